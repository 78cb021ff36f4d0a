"""The web service: pages for the secretariat, KG, groups and auditors, and the JSON API.

``create_app(config)`` is the composition root: it opens the Caseflow application once per
process (``app.extensions["caseflow"]``), its read models (``"caseflow_read"``) and wires
sessions, CSRF, translations, security headers and one blueprint per area.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request

from caseflow.application.settings import Settings
from caseflow.domain import localtime
from caseflow.persistence import open_application
from caseflow.persistence.attachments import AttachmentStore
from caseflow.persistence.calendar_tokens import open_calendar_tokens
from caseflow.persistence.token_uses import RESOLUTION, open_token_uses
from caseflow.readmodels import open_read_models
from web.token_uses import KnownUses


def _secret_key(instance_path: str) -> str:
    """CASEFLOW_SECRET_KEY, else a key generated once into the instance folder (0600)."""
    from_env = os.environ.get("CASEFLOW_SECRET_KEY")
    if from_env:
        return from_env
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def _console(line: str) -> None:
    """A progress line on the server's console (stderr), e.g. while catching up at start."""
    print(f"caseflow: {line}", file=sys.stderr, flush=True)


def _secure_cookies() -> bool:
    """``CASEFLOW_SECURE_COOKIES=1`` (or ``0``); unset: secure when ``CASEFLOW_BASE_URL``
    is an https address."""
    explicit = os.environ.get("CASEFLOW_SECURE_COOKIES", "").strip()
    if explicit:
        return explicit.lower() in ("1", "true", "yes")
    return os.environ.get("CASEFLOW_BASE_URL", "").lower().startswith("https://")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app. Config keys: DATABASE_URL, SECRET_KEY, LANGUAGE, TESTING,
    INSTANCE_PATH (where a generated secret key is kept), SESSION_COOKIE_SECURE,
    SESSION_IDLE_MINUTES / SESSION_MAX_HOURS (session limits), PROXIES (trusted reverse
    proxies in front: their X-Forwarded-For/-Proto/-Host are believed), LOGIN_RATE_LIMIT
    (failed logins of one account from one address before the backoff starts),
    LOGIN_ADDRESS_LIMIT (the same for one address across accounts), LOGIN_BACKOFF_SECONDS
    / LOGIN_BACKOFF_MAX (first and longest delay), LOGIN_RATE_WINDOW (seconds without a
    failure after which the failures are forgotten), TIMEZONE (the zone people read
    times in; ``CASEFLOW_TIMEZONE``, default Europe/Oslo)."""
    config = dict(config or {})
    app = Flask(__name__, instance_relative_config=True, instance_path=config.get("INSTANCE_PATH"))
    app.config.update(
        DATABASE_URL=os.environ.get("CASEFLOW_DATABASE_URL"),
        LANGUAGE=os.environ.get("CASEFLOW_LANGUAGE", "nb"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_secure_cookies(),
        SESSION_IDLE_MINUTES=float(os.environ.get("CASEFLOW_SESSION_IDLE_MINUTES") or 30),
        SESSION_MAX_HOURS=float(os.environ.get("CASEFLOW_SESSION_MAX_HOURS") or 12),
        PROXIES=int(os.environ.get("CASEFLOW_PROXIES") or 0),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
        TIMEZONE=os.environ.get("CASEFLOW_TIMEZONE") or "Europe/Oslo",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        LOGIN_RATE_LIMIT=5,
        LOGIN_ADDRESS_LIMIT=50,
        LOGIN_BACKOFF_SECONDS=30,
        LOGIN_BACKOFF_MAX=3600,
        LOGIN_RATE_WINDOW=86400,
        IDLE_DAYS=21,
        JSON_SORT_KEYS=False,
        # seconds each process keeps the log's head for the public pages' ETag (issue 19)
        PUBLIC_HEAD_TTL=float(os.environ.get("CASEFLOW_PUBLIC_HEAD_TTL") or 1.0),
    )
    app.config.update(config)
    if app.config["LANGUAGE"] not in ("nb", "en"):
        app.config["LANGUAGE"] = "nb"
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["LANGUAGE"]
    # the one zone people read times in (caseflow.domain.localtime), pages and exports alike
    app.config["BABEL_DEFAULT_TIMEZONE"] = localtime.use_zone(app.config["TIMEZONE"]).key
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)

    application, settings = open_application(
        app.config["DATABASE_URL"], Settings.from_environ(os.environ)
    )
    application.use_attachment_store(AttachmentStore.from_environ(os.environ))
    from web.presentation.protokoll import render_protokoll_pdf

    application.use_protokoll_renderer(render_protokoll_pdf)  # issue 14: minutes as PDF
    application.use_calendar_store(open_calendar_tokens(application))
    # issue 19: a use is passed on only when the table would write it (web/token_uses.py)
    application.use_token_use_store(KnownUses(open_token_uses(application), RESOLUTION))
    app.extensions["caseflow"] = application
    app.extensions["caseflow_settings"] = settings
    _guard_logins(app, application)
    read = open_read_models(application, settings)
    app.extensions["caseflow_read"] = read
    read.start(report=_console)
    from caseflow.notifications import NotifyConfig, open_notifier  # issue 17

    notify_config = NotifyConfig.from_environ(
        os.environ, app.instance_path, secret_key=app.config["SECRET_KEY"]
    )
    app.extensions["caseflow_notifier"] = open_notifier(application, settings, notify_config)
    if app.config.get("NOTIFY_THREAD"):  # `caseflow serve`: on SQLite, in a thread of its own
        from caseflow.notifications.cli import beside_server

        beside_server(app.extensions["caseflow_notifier"])

    from web import auth, errors, i18n, security
    from web.filters import register_filters

    i18n.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    from web import limits  # request size, JSON depth and malformed bodies (issue 12 #9)

    limits.init_app(app)
    register_filters(app)

    from web import advice, api, audit, cases, groups, measures, meetings, overview

    app.register_blueprint(auth.bp)
    app.register_blueprint(overview.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(advice.bp)
    app.register_blueprint(groups.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(measures.bp)
    app.register_blueprint(api.bp)
    from web import account, api_account, api_calendars, calendars  # issue 14: /meg, /kalender

    app.register_blueprint(account.bp)
    app.register_blueprint(calendars.bp)
    app.register_blueprint(api_calendars.bp)
    app.register_blueprint(api_account.bp)
    from web import api_documents, documents  # issue 14: case documents (pages, API)

    app.register_blueprint(documents.bp)
    app.register_blueprint(api_documents.bp)
    from web import search  # issue 15: full-text search (the menu's search box)

    app.register_blueprint(search.bp)
    from web import public  # issue 18: /offentlig/, no login, cacheable

    app.register_blueprint(public.bp)
    from web import api_screening, screening  # issue 18: screening (the case page, API)

    app.register_blueprint(screening.bp)
    app.register_blueprint(api_screening.bp)
    from web import api_notifications, notifications  # issue 17: /varsler and its API

    app.register_blueprint(notifications.bp)
    app.register_blueprint(api_notifications.bp)

    @app.before_request
    def freshen() -> None:
        """Read models current with the log, whichever process wrote: one indexed query
        (the log's head) per request, a catch-up only when another process wrote."""
        if request.endpoint not in ("static", "healthz") and request.blueprint != "public":
            # the public pages freshen after their conditional GET; what this one found
            # spares the page cache (web/page_cache.py) a second look at the head
            g.caseflow_fresh = read.freshen()

    @app.route("/healthz")
    def healthz() -> Response:
        """Liveness for docker-compose: no login, no template, no database. ``ok``; or
        503 ``degraded`` naming each read model (or follower) that stopped, at which
        position and why, as this process last saw it."""
        health = read.health()
        if health["status"] == "ok":
            return Response("ok", mimetype="text/plain")
        return Response(json.dumps(health, indent=1), status=503, mimetype="application/json")

    if int(app.config["PROXIES"]) > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    return app


def _guard_logins(app: Flask, application: Any) -> None:
    """The login guard over the store's throttle table (``web.security.LoginGuard``)."""
    from caseflow.persistence.throttle import ThrottlePolicy, open_login_throttle
    from web.security import LoginGuard

    config = app.config
    backoff = float(config["LOGIN_BACKOFF_SECONDS"]), float(config["LOGIN_BACKOFF_MAX"])
    forget = float(config["LOGIN_RATE_WINDOW"])
    app.extensions["login_guard"] = LoginGuard(
        open_login_throttle(application),
        pair=ThrottlePolicy(int(config["LOGIN_RATE_LIMIT"]), *backoff, forget),
        address=ThrottlePolicy(int(config["LOGIN_ADDRESS_LIMIT"]), *backoff, forget),
    )
