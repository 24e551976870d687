"""A branch secretary's reads probed over a service's whole OpenAPI document: `foreign_reads`.

Every GET route the document lists is called with the token of a secretary of one branch, its path
parameters filled with the ids of another (foreign) branch and, where the route takes `branch_id` in
its query, once more asking for the foreign branch outright. An answer leaks when any foreign value
(a member id, a name) appears in it: as a whole string anywhere in a JSON body, in a workbook's
cells, or inside any other text. A refusal (403/404) or a list without them is fine.

The list of routes comes from the running app, so a route added later is probed without anyone
remembering to add it here; routes that are park-wide by design are named by the test with a reason.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import msgspec
import openpyxl
from fastapi.routing import APIRoute

# `{name}` in an OpenAPI path.
_PARAM = re.compile(r"\{([^}]+)\}")


class Leak(msgspec.Struct, frozen=True, kw_only=True):
    route: str
    url: str
    status: int
    found: list[str]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _found(response: httpx.Response, foreign: set[str]) -> list[str]:
    kind = response.headers.get("content-type", "")
    if "json" in kind:
        return sorted(foreign & set(_strings(response.json())))
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for c in row if c is not None}
        return sorted(foreign & cells)
    if kind.startswith("image/"):
        return []
    text = response.text
    return sorted(v for v in foreign if v in text)


def _required_query(operation: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, str]:
    query = {}
    for p in operation.get("parameters", []):
        if p["in"] == "query" and p.get("required"):
            if p["name"] not in values:
                raise KeyError(f"no value for the required query parameter {p['name']!r}")
            query[p["name"]] = values[p["name"]]
    return query


async def foreign_reads(
    client: httpx.AsyncClient, headers: Mapping[str, str], *, openapi: Mapping[str, Any],
    path_values: Mapping[str, str], query_values: Mapping[str, str], foreign_branch: str,
    foreign: set[str], allowed: Mapping[str, str],
) -> tuple[list[Leak], list[str]]:
    """(leaks, routes probed): every GET route of `openapi` but the `allowed` ones, as `headers`.

    `path_values` fills each path parameter by name (a missing one fails the probe: a new route
    with a new parameter must get a foreign value, not be skipped); `query_values` fills the
    required query parameters.
    """
    leaks: list[Leak] = []
    probed: list[str] = []
    for route, operations in openapi["paths"].items():
        operation = operations.get("get")
        if operation is None or route in allowed:
            continue
        names = _PARAM.findall(route)
        missing = [n for n in names if n not in path_values]
        if missing:
            raise KeyError(f"{route}: no foreign value for the path parameter(s) {', '.join(missing)}")
        url = _PARAM.sub(lambda m: path_values[m.group(1)], route)
        query = _required_query(operation, query_values)
        tries = [query]
        if any(p["in"] == "query" and p["name"] == "branch_id" for p in operation.get("parameters", [])):
            tries.append({**query, "branch_id": foreign_branch})
        for params in tries:
            response = await client.get(url, params=params, headers=dict(headers))
            assert response.status_code < 500, f"{route} {params}: {response.status_code} {response.text[:300]}"
            if response.status_code == 200:
                found = _found(response, foreign)
                if found:
                    leaks.append(Leak(route=route, url=str(response.request.url), status=response.status_code,
                                      found=found[:5]))
        probed.append(route)
    return leaks, probed


def _routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        # FastAPI 0.16x keeps an included router whole (its routes are not copied onto the app).
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def page_routes(app: Any) -> dict[str, Any]:
    """The console's pages (GET routes left out of the OpenAPI document) in the document's shape,
    so `foreign_reads` probes them too: a page shows what the API would not."""
    paths: dict[str, Any] = {}
    for route in _routes(app.routes):
        if isinstance(route, APIRoute) and not route.include_in_schema and "GET" in (route.methods or ()):
            required = [{"name": p.alias, "in": "query", "required": True}
                        for p in route.dependant.query_params if p.field_info.is_required()]
            paths[route.path] = {"get": {"parameters": required}}
    return {"paths": paths}
