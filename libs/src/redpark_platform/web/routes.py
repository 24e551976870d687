"""The app's API routes with their full paths, however FastAPI keeps included routers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.routing import APIRoute


def api_routes(app: FastAPI) -> Iterator[Any]:
    """APIRoutes (or FastAPI's route contexts standing for them) with path_format, methods, dependant."""
    iter_contexts = getattr(fastapi_routing, "iter_route_contexts", None)
    if iter_contexts is None:  # FastAPI versions that flatten included routers into app.routes
        yield from (r for r in app.routes if isinstance(r, APIRoute))
        return
    for ctx in iter_contexts(app.routes):
        if isinstance(ctx.original_route, APIRoute):
            yield ctx


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves at `path` (Starlette's own 405 names only the first route's)."""
    methods: set[str] = set()
    for route in api_routes(app):
        if route.path_regex.match(path):
            methods |= set(route.methods or ())
    return sorted(methods)
