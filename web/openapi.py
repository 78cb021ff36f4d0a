"""The OpenAPI 3 document, generated from the marshmallow schemas the API itself loads
and dumps with: each API view is registered together with its request and response
schemas by one statement of its path and method (:func:`api_route`, which also adds the
Flask rule), and :func:`build_spec` turns that registry into the document."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint
from flask_login import login_required
from marshmallow import Schema

SUCCESS_STATUSES = {200: "OK", 201: "Created", 204: "No content"}

ERROR_STATUSES = {
    400: "Malformed request",
    401: "Not logged in, or the session ended (`session_ended`, `session_expired`), or the "
    "token expired or was revoked (`token_expired`, `token_revoked`)",
    403: "Not permitted (`rule` names the mandate's rule)",
    404: "Not found, or not visible to the caller",
    409: "Wrong state or stale `expected_version`",
    422: "Invalid fields (`fields` says which and why)",
}


@dataclass
class Operation:
    path: str  # Flask rule below /api/v1, e.g. /cases/<uuid:case_id>
    method: str
    summary: str
    response: type[Schema] | Schema | None
    body: type[Schema] | None = None
    #: A ``multipart/form-data`` body (a file upload) instead of JSON.
    form: type[Schema] | None = None
    query: type[Schema] | None = None
    status: int = 200
    errors: tuple[int, ...] = (401,)
    tags: list[str] = field(default_factory=list)
    public: bool = False


OPERATIONS: list[Operation] = []


def api_route(
    bp: Blueprint, path: str, method: str = "GET", **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``view`` on ``bp`` at ``path`` for ``method`` and record its OpenAPI
    operation from that same path and method (``kwargs`` are :class:`Operation`'s other
    fields). Unless the operation is ``public`` the view requires a login, so what the
    document says about security is what the route enforces."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        register_operation(path=path, method=method, **kwargs)
        guarded = view if kwargs.get("public") else login_required(view)
        bp.add_url_rule(path, view_func=guarded, methods=[method])
        return view

    return decorate


def register_operation(**kwargs: Any) -> None:
    OPERATIONS.append(Operation(**kwargs))


_PARAM = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>")


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for m in _PARAM.finditer(rule):
        schema: dict[str, Any] = {"type": "string"}
        if m.group("conv") == "uuid":
            schema["format"] = "uuid"
        params.append({"name": m.group("name"), "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(lambda m: "{" + m.group("name") + "}", rule), params


def build_spec(version: str = "1.0.0") -> dict[str, Any]:
    spec = APISpec(
        title="Caseflow API",
        version=version,
        openapi_version="3.0.3",
        info={
            "description": "Board cases of Osloregionen: proposal, KG advice, submission "
            "and decision, with every step's actor, role and rule. Errors: "
            '{"error": {"code", "message", "rule", "fields"}}.'
        },
        servers=[{"url": "/api/v1"}],
        plugins=[MarshmallowPlugin()],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    from web.schemas_out import ErrorSchema

    spec.components.schema("Error", schema=ErrorSchema)
    paths: dict[str, dict[str, Any]] = {}
    path_params: dict[str, list[dict[str, Any]]] = {}
    for op in OPERATIONS:
        path, params = _openapi_path(op.path)
        path_params[path] = params
        responses: dict[Any, Any] = {}
        ok: dict[str, Any] = {"description": SUCCESS_STATUSES.get(op.status, "OK")}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": op.response}}
        responses[str(op.status)] = ok
        errors = set(op.errors)
        if op.body is not None or op.form is not None:
            errors |= {400, 422}
        if op.query is not None:
            errors.add(422)
        for status in sorted(errors):
            responses[str(status)] = {
                "description": ERROR_STATUSES[status],
                "content": {"application/json": {"schema": "Error"}},
            }
        entry: dict[str, Any] = {
            "summary": op.summary,
            "operationId": _operation_id(op),
            "responses": responses,
            "tags": op.tags,
        }
        if op.public:
            entry["security"] = []
        if op.query is not None:
            entry["parameters"] = [{"in": "query", "schema": op.query}]
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": op.body}},
            }
        if op.form is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"multipart/form-data": {"schema": op.form}},
            }
        paths.setdefault(path, {})[op.method.lower()] = entry
    for path, operations in paths.items():
        spec.path(path=path, operations=operations, parameters=path_params[path])
    document = spec.to_dict()
    document["security"] = [{"bearer": []}]
    return document


def _operation_id(op: Operation) -> str:
    words = _PARAM.sub(lambda m: "by_" + m.group("name"), op.path)
    words = words.strip("/").replace("/", "_").replace("-", "_").replace(".", "_")
    return f"{op.method.lower()}_{words or 'root'}"
