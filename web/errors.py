"""One place that turns errors into answers: JSON ``{"error": {...}}`` (API.md) for API
calls and JSON clients, an HTML page otherwise. Messages are in the user's language."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from caseflow.domain.errors import CaseflowError
from caseflow.readmodels.api import ReadModelStopped
from web.i18n import translate_error, translate_fields
from web.messages import N_

TITLES = {
    400: N_("Bad request"),
    401: N_("Not logged in"),
    403: N_("Not permitted"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Request too large"),
    422: N_("Invalid input"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
    503: N_("Temporarily unavailable"),
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_body(
    code: str, message: str, rule: str | None = None, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "rule": rule, "fields": fields}}


def domain_error_body(e: CaseflowError) -> dict[str, Any]:
    return error_body(e.code, translate_error(e), e.rule, translate_fields(e.fields))


def validation_body(e: ValidationError) -> dict[str, Any]:
    messages = e.normalized_messages()
    fields = translate_fields(messages) or {}
    return error_body("invalid", _("Some fields are invalid."), None, fields)


def render_error(status: int, body: dict[str, Any]) -> Any:
    if wants_json():
        return body, status
    return render_template(
        "errors/error.html", status=status, title=_(TITLES.get(status, N_("Error"))), **body
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CaseflowError)
    def domain(e: CaseflowError) -> Any:
        return render_error(e.status, domain_error_body(e))

    @app.errorhandler(ReadModelStopped)
    def stopped(e: ReadModelStopped) -> Any:
        app.logger.error("%s", e)
        message = _(
            "This page cannot be shown for now: the list it reads stopped at "
            "event %(position)s of the log. The other pages work; the server log says why.",
            position=e.stop.position,
        )
        return render_error(503, error_body(e.code, message))

    @app.errorhandler(ValidationError)
    def invalid(e: ValidationError) -> Any:
        return render_error(422, validation_body(e))

    @app.errorhandler(CSRFError)
    def csrf(e: CSRFError) -> Any:
        if request.path.startswith("/api/") and not current_user.is_authenticated:
            # A call without a session or token is first of all not logged in (401), not
            # a forged form: the login manager says why (token expired, session ended…).
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        return render_error(
            400,
            error_body(
                "csrf", _("The form has expired or did not come from this site; reload it.")
            ),
        )

    @app.errorhandler(HTTPException)
    def http(e: HTTPException) -> Any:
        status = e.code or 500
        codes = {
            400: "bad_request",
            401: "unauthorized",
            403: "not_permitted",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            429: "too_many_requests",
        }
        message = _(TITLES.get(status, N_("Error")))
        answer = render_error(status, error_body(codes.get(status, "http_error"), message))
        if isinstance(e, MethodNotAllowed) and e.valid_methods:
            return (*answer, {"Allow": ", ".join(sorted(e.valid_methods))})
        return answer

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> Any:
        app.logger.exception("unexpected error")
        return render_error(500, error_body("internal", _("Something went wrong")))
