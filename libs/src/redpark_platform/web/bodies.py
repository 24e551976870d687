"""Request and response bodies as msgspec Structs, decoded once and documented in OpenAPI.

FastAPI knows pydantic models, not msgspec Structs. The one way to use a Struct here:

    NewRegistration = Annotated[RegisterCommand, Body(RegisterCommand, example=...)]

    @router.post("/registrations", status_code=201,
                 responses=response_schema(Registered, status=201))
    async def register(body: NewRegistration) -> MsgspecResponse:
        return MsgspecResponse(Registered(...), status_code=201)

`Body` reads the raw body and decodes it with a cached `msgspec.json.Decoder` (errors become
problem+json naming the field); `response_schema` documents what `MsgspecResponse` encodes.
`install_openapi` (called by `create_app`) puts the Structs' JSON schemas into the document.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, Generic, TypeVar, cast

import msgspec
from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from .bounded import DATE_MAX, DATE_MIN, DATE_PATTERN, out_of_window
from .problems import PROBLEM_JSON, BadRequestBody, FieldError, Problem, body_error
from .routes import api_routes

T = TypeVar("T")

REF_TEMPLATE = "#/components/schemas/{name}"
# Carries a response's msgspec component schemas from `response_schema` to `install_openapi`.
_SCHEMAS_KEY = "x-redpark-schemas"
NO_NUL_PATTERN = r"^[^\x00]*$"

_encoder = msgspec.json.Encoder()
# Well above any form a person fills in; an event must also fit on the bus (see store.MAX_EVENT_BYTES).
MAX_BODY_BYTES = 256 * 1024


@functools.cache
def decoder_for(type_: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(type_)


def schema_for(type_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON schema of `type_` (a `$ref` for a Struct) and the components it refers to; every
    date says the window the body reader keeps it in, and every other string that it holds no NUL."""
    (schema,), components = msgspec.json.schema_components((type_,), ref_template=REF_TEMPLATE)
    _document_edge_rules(schema)
    _document_edge_rules(components)
    return schema, components


def _document_edge_rules(node: Any) -> None:
    """Put what the body reader refuses beyond msgspec's own checks into the schema, so a client
    (and schemathesis) reads the rules the edge applies."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "pattern" not in node and "enum" not in node and "const" not in node:
            node["pattern"] = DATE_PATTERN + "$" if node.get("format") == "date" else NO_NUL_PATTERN
        for value in node.values():
            _document_edge_rules(value)
    elif isinstance(node, list):
        for value in node:
            _document_edge_rules(value)


class BodyReader(Generic[T]):
    """A FastAPI dependency that decodes the request body into `type_`."""

    def __init__(self, type_: type[T], example: T | None = None) -> None:
        self.type = type_
        self.example = example
        self.decoder = decoder_for(cast(Any, type_))  # a type is hashable, whatever its declared type says

    async def __call__(self, request: Request) -> T:
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            raise BadRequestBody(413, f"the request body is over {MAX_BODY_BYTES} bytes", "请求内容过长",
                                 [FieldError(field="body", message="too large", message_zh="内容过长")])
        if not raw.strip():
            raise BadRequestBody(422, "the request body is empty", "请求内容为空",
                                 [FieldError(field="body", message="a JSON body is required",
                                             message_zh="缺少请求内容")])
        return _dates_in_window(_without_nul(self._decode(raw), raw))

    def _decode(self, raw: bytes) -> T:
        try:
            return self.decoder.decode(raw)  # type: ignore[no-any-return]
        except msgspec.ValidationError as exc:
            if "got `float`" not in str(exc):
                raise body_error(exc) from None
        except msgspec.DecodeError as exc:
            raise body_error(exc) from None
        # JSON Schema's "integer" includes 2.0, which msgspec's strict int refuses: the slow path
        # accepts integral floats where an int is expected, and nothing else that strict mode refuses.
        try:
            return msgspec.convert(_integral_floats_as_ints(msgspec.json.decode(raw)), self.type)
        except msgspec.ValidationError as exc:
            raise body_error(exc) from None

    def request_body(self) -> tuple[dict[str, Any], dict[str, Any]]:
        schema, components = schema_for(self.type)
        content: dict[str, Any] = {"schema": schema}
        if self.example is not None:
            content["example"] = msgspec.to_builtins(self.example)
        return {"required": True, "content": {"application/json": content}}, components


def _integral_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _integral_floats_as_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral_floats_as_ints(v) for v in value]
    return value


def Body(type_: type[T], *, example: T | None = None) -> Any:  # noqa: N802 - reads like FastAPI's Body
    """`Annotated[T, Body(T, example=...)]`: the request body decoded as the msgspec type `T`."""
    return Depends(BodyReader(type_, example))


class MsgspecResponse(JSONResponse):
    """A response whose content (Structs, lists of them, builtins) is encoded by msgspec."""

    def render(self, content: Any) -> bytes:
        return _encoder.encode(content)


def response_schema(
    type_: Any, *, status: int = 200, description: str = "", example: Any = None,
) -> dict[int | str, dict[str, Any]]:
    """Document a msgspec response for a route's `responses=`; merge several with `{**a, **b}`."""
    schema, components = schema_for(type_)
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = msgspec.to_builtins(example)
    return {status: {
        "description": description or _struct_doc(type_) or "Success",
        "content": {"application/json": content},
        _SCHEMAS_KEY: components,
    }}


def _struct_doc(type_: Any) -> str | None:
    if isinstance(type_, type) and issubclass(type_, msgspec.Struct):
        return type_.__doc__
    return None


def body_readers(dependant: Dependant) -> Iterator[BodyReader[Any]]:
    for dep in dependant.dependencies:
        if isinstance(dep.call, BodyReader):
            yield dep.call
        yield from body_readers(dep)


def _problem_responses(components: dict[str, Any]) -> dict[str, Any]:
    schema, extra = schema_for(Problem)
    components.update(extra)
    content = {PROBLEM_JSON: {"schema": schema}}
    return {
        "422": {"description": "The input is invalid; `errors` names each field", "content": content},
        "default": {"description": "An error, as RFC 9457 problem details", "content": content},
    }


def install_openapi(app: FastAPI) -> None:
    """Replace the app's OpenAPI builder with one that documents msgspec bodies and problems."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title, version=app.version, openapi_version=app.openapi_version,
            description=app.description, routes=app.routes, tags=app.openapi_tags, servers=app.servers,
        )
        components: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
        problems = _problem_responses(components)
        routes = {(r.path_format, m.lower()): r for r in api_routes(app) for m in r.methods}
        for path, item in doc.get("paths", {}).items():
            for method, op in item.items():
                route = routes.get((path, method))
                readers = list(body_readers(route.dependant)) if route is not None else []
                if readers:
                    op["requestBody"], extra = readers[-1].request_body()
                    components.update(extra)
                takes_input = bool(readers or op.get("parameters"))
                _document_responses(op, components, problems, takes_input=takes_input)
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _document_responses(
    op: dict[str, Any], components: dict[str, Any], problems: dict[str, Any], *, takes_input: bool,
) -> None:
    responses: dict[str, Any] = op.setdefault("responses", {})
    ours = {code for code, r in responses.items() if _SCHEMAS_KEY in r}
    for code in ours:
        components.update(responses[code].pop(_SCHEMAS_KEY))
    # FastAPI adds an untyped "200" for every route; drop it when the route documents its own success.
    generic = responses.get("200", {}).get("content", {}).get("application/json", {}).get("schema")
    if ours and "200" not in ours and generic == {}:
        del responses["200"]
    if takes_input:
        responses["422"] = problems["422"]
    else:
        responses.pop("422", None)
    responses.setdefault("default", problems["default"])


def _dates_in_window(decoded: T) -> T:
    """Refuse a date the park's calendar and read models were never meant to hold (year 1 or 9999
    overflow the time-zone arithmetic) or an infinite number, naming the field; msgspec has no
    range for dates."""
    where = out_of_window(decoded)
    if where is None:
        return decoded
    window = f"{DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"
    message = f"must be a finite number, or a date between {window}"
    raise BadRequestBody(422, f"{where or 'body'}: {message}", f"{where or 'body'}: 取值超出范围",
                         [FieldError(field=where or "body", message=message,
                                     message_zh=f"须为有限的数值，或 {window} 之间的日期")])


def _without_nul(decoded: T, raw: bytes) -> T:
    """Refuse a NUL character in any field kept (PostgreSQL text cannot hold it), naming the
    field, rather than fail with a 500 at the store. Keys the type ignores do not matter."""
    if b"\\u0000" not in raw:
        return decoded
    where = _nul_path(msgspec.to_builtins(decoded))
    if where is None:
        return decoded
    raise BadRequestBody(422, "a text field contains the NUL character", "文本中包含非法的空字符",
                         [FieldError(field=where or "body", message="must not contain the NUL character (\\u0000)",
                                     message_zh="不能包含空字符")])


def _nul_path(value: Any, path: str = "") -> str | None:
    """Where the first string holding a NUL character is, as a dotted field path."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_path(key, path) if "\x00" in key else _nul_path(item, f"{path}.{key}" if path else key)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None
