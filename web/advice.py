"""KG members' work list: advice requested from me, with deadlines."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from web.context import actor, caseflow, read
from web.queries import advice_requested_from

bp = Blueprint("advice", __name__, url_prefix="/advice")


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    rows = advice_requested_from(caseflow(), read(), actor())
    return render_template("advice/index.html", rows=rows, today=date.today())
