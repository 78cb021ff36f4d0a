"""Meeting pages (owned by the meetings work; registered by ``web.create_app``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
