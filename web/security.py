"""Security headers, CSRF on every form (JSON with a bearer token exempt) and the login
guard (throttling with backoff, counted in the store)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any, Protocol, cast

from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFProtect

from caseflow.domain.clock import now as clock_now

csrf = CSRFProtect()

#: Endpoints whose POST carries a signed token of its own instead of a session and its
#: CSRF token: the one-click unsubscribe (RFC 8058, issue 17: web/notifications.py).
CSRF_EXEMPT = frozenset({"notifications.unsubscribe_apply"})

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def has_bearer() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


class Throttle(Protocol):
    """What the login guard needs from the store's throttle table
    (``caseflow.persistence.throttle.LoginThrottle``)."""

    def retry_after(self, keys: Sequence[tuple[str, Any]], now: float) -> int: ...

    def failed(self, keys: Sequence[tuple[str, Any]], now: float) -> int: ...

    def succeeded(self, key: str) -> None: ...


def address_key(address: str | None) -> str:
    """The throttled form of a client address: an IPv4 address as it is, an IPv6
    address by its /64 network (one host usually holds a whole /64)."""
    if not address:
        return "addr:unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"addr:{address}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"addr:{ip.ipv4_mapped}"
        return f"addr:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"addr:{ip}"


class LoginGuard:
    """Login throttling with backoff per account *and* address, and per address across
    accounts, counted in the store (every worker shares the counts). There is no
    account-wide limit: wrong passwords from one address never stop the account's owner
    logging in from another. ``pair`` and ``address`` are the two keys' policies
    (``caseflow.persistence.throttle.ThrottlePolicy``)."""

    def __init__(self, throttle: Throttle, pair: Any, address: Any) -> None:
        self.throttle = throttle
        self.pair = pair
        self.address = address

    def _keys(self, email: str, address: str | None) -> list[tuple[str, Any]]:
        where = address_key(address)
        return [(f"acct:{email.strip().lower()}|{where}", self.pair), (where, self.address)]

    def retry_after(self, email: str, address: str | None) -> int:
        """Seconds until this account may be tried from this address again (0: now)."""
        return self.throttle.retry_after(self._keys(email, address), clock_now().timestamp())

    def failed(self, email: str, address: str | None) -> None:
        self.throttle.failed(self._keys(email, address), clock_now().timestamp())

    def succeeded(self, email: str, address: str | None) -> None:
        """A correct login clears that account's failures from that address."""
        self.throttle.succeeded(self._keys(email, address)[0][0])


def login_guard() -> LoginGuard:
    return cast(LoginGuard, current_app.extensions["login_guard"])


def init_app(app: Flask) -> None:
    csrf.init_app(app)

    @app.before_request
    def check_csrf() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS") or has_bearer():
            return
        if request.endpoint in CSRF_EXEMPT:  # authenticated by a token of their own
            return
        csrf.protect()

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response
