"""Search: the menu's search box and its results page — the cases the reader may see
whose title, summary, reference, board number ("62/26", "Sak 62/26") or documents match,
ranked, with the matches marked in an escaped snippet (``caseflow/readmodels/search.py``).
The case list's ``q`` and ``GET /api/v1/cases?q=`` answer from the same index."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required
from marshmallow import ValidationError, fields, validate

from caseflow.readmodels.api import CaseFilter, Page, SearchHit
from web.context import actor, caseflow, read
from web.i18n import translate_fields
from web.queries import search_cases
from web.schemas import QuerySchema

bp = Blueprint("search", __name__)


class SearchQuerySchema(QuerySchema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


@bp.route("/search")
@login_required
def results() -> ResponseReturnValue:
    args = {k: v for k, v in request.args.items() if v}
    errors = None
    try:
        query: dict[str, Any] = SearchQuerySchema().load(args)
    except ValidationError as e:
        errors = translate_fields(e.normalized_messages())
        query = SearchQuerySchema().load({})
        query["q"] = request.args.get("q", "")[:200]
    q = query["q"].strip()
    found: Page[SearchHit] = Page([], 0, 1, query["per_page"])
    if q and errors is None:
        f = CaseFilter(q=q, page=query["page"], per_page=query["per_page"])
        found = search_cases(caseflow(), read(), actor(), f)
    return render_template("search/results.html", q=q, page=found, errors=errors), (
        422 if errors else 200
    )
