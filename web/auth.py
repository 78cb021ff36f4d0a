"""Logging in and out (session cookie), bearer tokens for the API, the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, login_user, logout_user
from marshmallow import ValidationError
from werkzeug.wrappers import Response as BaseResponse

from caseflow.domain.errors import NotFoundError
from web.context import caseflow
from web.i18n import LANGUAGES, translate_fields
from web.schemas import LoginSchema
from web.security import has_bearer

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
            return load_person(UUID(user_id))
        except ValueError:
            return None

    @login_manager.request_loader
    def bearer_loader(req: Any) -> User | None:
        header = req.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        person_id = caseflow().person_for_token(token.strip())
        return load_person(person_id) if person_id else None

    @login_manager.unauthorized_handler
    def unauthorized() -> Any:
        from web.errors import wants_json

        if wants_json():
            return {
                "error": {
                    "code": "unauthorized",
                    "message": _("Log in first."),
                    "rule": None,
                    "fields": None,
                }
            }, 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a user elsewhere after login."""
    if not target:
        return url_for("overview.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("overview.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
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
            limiter = current_app.extensions["login_limiter"]
            keys = (f"ip:{request.remote_addr}", f"email:{data['email'].lower()}")
            wait = limiter.retry_after(*keys)
            if wait:
                flash(_("Too many failed attempts. Try again in %(s)s seconds.", s=wait), "error")
                response = Response(
                    render_template("auth/login.html", form=form, errors=errors), 429
                )
                response.headers["Retry-After"] = str(wait)
                return response
            person_id = caseflow().authenticate(data["email"], data["password"])
            user = load_person(person_id) if person_id else None
            if user is None:
                limiter.failed(*keys)
                errors = {"password": [_("Wrong e-mail or password.")]}
                status = 401
            else:
                language = session.get("lang")
                session.clear()
                if language:
                    session["lang"] = language
                login_user(user)
                return redirect(_safe_next(request.form.get("next")))
    return render_template("auth/login.html", form=form, errors=errors), status


@bp.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> BaseResponse:
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
