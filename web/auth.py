"""Logging in and out (a session cookie the server can end, ``web/sessions.py``), login
throttling per account and address (``web/security.py``), bearer tokens for the API, the
language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, logout_user
from marshmallow import ValidationError
from werkzeug.wrappers import Response as BaseResponse

from caseflow.domain.errors import NotFoundError
from web import sessions
from web.context import after_write, caseflow
from web.i18n import LANGUAGES, translate_fields
from web.schemas import LoginSchema
from web.security import has_bearer, login_guard

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class User(UserMixin):
    """The logged-in person (id: the person's UUID as a string)."""

    def __init__(self, person_id: UUID, name: str, email: str, roles: list[str]) -> None:
        self.id = str(person_id)
        self.name = name
        self.email = email
        self.system_roles = roles


def load_person(person_id: UUID) -> User | None:
    try:
        view = caseflow().get_person(person_id)
    except NotFoundError:
        return None
    return User(view.id, view.name, view.email, view.system_roles)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def user_loader(user_id: str) -> User | None:
        if has_bearer():
            return None  # a bearer request is that token's person only, never the session's
        try:
            person_id = UUID(user_id)
        except ValueError:
            return None
        problem = sessions.problem(person_id)
        if problem is not None:
            g.session_problem = problem
            sessions.clear()
            return None
        return load_person(person_id)

    @login_manager.request_loader
    def bearer_loader(req: Any) -> User | None:
        header = req.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        check = caseflow().check_token(token.strip())
        if check.person_id is None:
            g.token_problem = check.problem
            return None
        return load_person(check.person_id)

    @login_manager.unauthorized_handler
    def unauthorized() -> Any:
        from web.errors import error_body, wants_json

        code, message = _why_unauthorized()
        if wants_json():
            return error_body(code, message), 401
        if code != "unauthorized":
            flash(message, "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _why_unauthorized() -> tuple[str, str]:
    """The error code and message of a 401: an expired or revoked token and an ended
    session say so; anything else asks to log in."""
    token = g.get("token_problem")
    if token == "expired":
        return "token_expired", _("The API token has expired. Ask for a new one.")
    if token == "revoked":
        return "token_revoked", _("The API token has been revoked.")
    if token is not None:
        return "unauthorized", _("Unknown API token.")
    problem = g.get("session_problem")
    if problem == "idle":
        return "session_expired", _("You were logged out after a while without activity.")
    if problem == "expired":
        return "session_expired", _("Your session has expired. Log in again.")
    if problem is not None:
        return "session_ended", _("Your session has ended. Log in again.")
    return "unauthorized", _("Log in first.")


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a user elsewhere after login."""
    if not target:
        return url_for("overview.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("overview.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    errors: dict[str, list[str]] | None = None
    form = {"email": request.values.get("email", ""), "next": request.values.get("next", "")}
    status = 200
    if request.method == "POST":
        try:
            data = LoginSchema().load({k: request.form.get(k, "") for k in ("email", "password")})
        except ValidationError as e:
            errors = translate_fields(e.normalized_messages())
            status = 422
        else:
            guard = login_guard()
            email, address = data["email"], request.remote_addr
            wait = guard.retry_after(email, address)
            if wait:
                flash(_("Too many failed attempts. Try again in %(s)s seconds.", s=wait), "error")
                response = Response(
                    render_template("auth/login.html", form=form, errors=errors), 429
                )
                response.headers["Retry-After"] = str(wait)
                return response
            found = caseflow().login(email, data["password"])
            user = load_person(found.person_id) if found else None
            if found is None or user is None:
                guard.failed(email, address)
                errors = {"password": [_("Wrong e-mail or password.")]}
                status = 401
            else:
                guard.succeeded(email, address)
                sessions.start(user, found)
                return redirect(_safe_next(request.form.get("next")))
    return render_template("auth/login.html", form=form, errors=errors), status


@bp.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    """End the session everywhere: the account's epoch moves on (an event), so this
    cookie — and any copy of it — is refused by every worker from now on."""
    account = sessions.account_id()
    if account is not None and not has_bearer() and current_user.is_authenticated:
        caseflow().end_sessions(UUID(current_user.id), account, "logout")
        after_write()
    logout_user()
    sessions.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> BaseResponse:
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
