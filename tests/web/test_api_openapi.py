"""Issue 16, an exact OpenAPI document: it validates (openapi-spec-validator), every
operation states its error answers with the error schema and its security, and every
string the API reads states what the server refuses (``minLength`` on required strings and
query parameters, the refused characters as a ``pattern``, enums)."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from tests.web.conftest import Site

METHODS = {"get", "post", "put", "patch", "delete"}


def document(site: Site) -> dict[str, Any]:
    return dict(site.flask.test_client().get("/api/v1/openapi.json").get_json())


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return dict(doc["components"]["schemas"][ref.rsplit("/", 1)[1]])
    return schema


def test_the_document_validates(site: Site) -> None:
    doc = document(site)
    validate(doc)  # raises on an invalid document
    assert doc["openapi"].startswith("3.")
    assert doc["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}


def test_every_operation_states_its_errors_and_security(site: Site) -> None:
    doc = document(site)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            assert op["operationId"], (method, path)
            public = op.get("security") == []
            if not public:
                assert "401" in op["responses"], (method, path)
            for status, answer in op["responses"].items():
                if status.startswith(("4", "5")):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path)
            if "requestBody" in op or op.get("parameters"):
                assert "422" in op["responses"], (method, path)


def test_required_strings_and_query_strings_say_what_is_refused(site: Site) -> None:
    doc = document(site)
    checked = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            for p in op.get("parameters", []):
                schema = p["schema"]
                plain = schema.get("type") == "string" and "format" not in schema
                if p["in"] == "query" and plain and "enum" not in schema:
                    assert schema.get("minLength") == 1, (method, path, p["name"])
                    checked += 1
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            schema = resolve(doc, body["schema"])
            for name in schema.get("required", []):
                prop = schema["properties"][name]
                if prop.get("type") == "string" and "enum" not in prop and "format" not in prop:
                    assert prop.get("minLength", 0) >= 1, (method, path, name)
                    assert "pattern" in prop["not"], (method, path, name)
                    checked += 1
    assert checked >= 10
    meeting = doc["components"]["schemas"]["MeetingCreate"]["properties"]
    assert meeting["body"]["enum"]
    assert meeting["starts_at"]["format"] == "date-time"
    # lists answer one envelope
    for path in ("/meetings", "/groups", "/people", "/me/tokens", "/audit", "/cases"):
        ok = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        page = resolve(doc, ok["schema"])
        assert set(page["properties"]) == {"items", "total", "page", "per_page"}, path
