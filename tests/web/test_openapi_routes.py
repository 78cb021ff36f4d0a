"""The API's routes and its OpenAPI document come from one statement per endpoint
(``web.openapi.api_route``): every ``/api/v1`` rule of the app is an operation of
``/api/v1/openapi.json`` with the same method, and every operation is a rule."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask

from tests.web.conftest import Site

PREFIX = "/api/v1"
_PARAM = re.compile(r"<(?:[a-z]+:)?(\w+)>")


def api_rules(app: Flask) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every rule below /api/v1 in the app's url_map."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = _PARAM.sub(r"{\1}", rule.rule[len(PREFIX) :])
        for method in rule.methods or ():
            if method not in {"HEAD", "OPTIONS"}:
                found.add((path, method.lower()))
    return found


def documented(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in doc["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_api_route_is_documented_and_every_operation_routed(site: Site) -> None:
    doc = site.flask.test_client().get(PREFIX + "/openapi.json").get_json()
    routes, operations = api_rules(site.flask), documented(doc)
    assert routes - operations == set(), "routes without an OpenAPI operation"
    assert operations - routes == set(), "OpenAPI operations without a route"
    assert len(routes) >= 29


def test_the_comparison_catches_a_route_registered_apart() -> None:
    """A route added with a bare ``bp.route`` (the old idiom) is not in the document."""
    app = Flask(__name__)
    bp = Blueprint("extra", __name__, url_prefix=PREFIX)

    @bp.route("/extra/<uuid:id>", methods=["POST"])
    def extra(id: str) -> str:
        return id

    app.register_blueprint(bp)
    assert api_rules(app) - documented({"paths": {}}) == {("/extra/{id}", "post")}


def test_every_read_but_the_public_ones_requires_a_login(site: Site) -> None:
    """Without a session or token a GET answers 401 unless the document says it is public
    (writes too: tests/web/test_api_consistency.py)."""
    doc = site.flask.test_client().get(PREFIX + "/openapi.json").get_json()
    client = site.flask.test_client()
    for path, item in doc["paths"].items():
        url = PREFIX + re.sub(r"\{\w+\}", "00000000-0000-0000-0000-000000000000", path)
        for method, entry in item.items():
            if method != "get":
                continue
            status = client.get(url).status_code
            if entry.get("security") == []:
                assert status == 200, (method, path)
            else:
                assert status == 401, (method, path, status)
