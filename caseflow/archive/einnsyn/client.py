"""A small client of eInnsyn's API over ``urllib.request``: JSON in and out, the
``API-KEY`` header, retries with backoff for what may pass (no connection, a timeout,
429 and 5xx answers) and one clear error for what does not."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

#: Answers worth another try: too many requests and the server's own errors.
RETRYABLE = frozenset({429, 500, 502, 503, 504})


class EinnsynError(Exception):
    """A request eInnsyn refused or did not answer (``status`` 0: no answer)."""

    def __init__(
        self, method: str, path: str, status: int, message: str, retry_after: float = 0.0
    ) -> None:
        super().__init__(f"{method} {path}: {status or 'no answer'} {message}".strip())
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.retry_after = retry_after  # seconds the server asked to wait (Retry-After)

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status in RETRYABLE


def _message(raw: bytes) -> str:
    """eInnsyn's error message (``{"type", "message"}``, also inside ``body``), short."""
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        return raw[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        body = data.get("body")
        inner: dict[str, Any] = body if isinstance(body, dict) else data
        return str(inner.get("message") or inner.get("type") or "")[:200]
    return ""


def _seconds(value: str | None) -> float:
    """``Retry-After`` in seconds (a number; an HTTP date counts as none), at most 300."""
    try:
        return min(max(float(value or 0), 0.0), 300.0)
    except ValueError:
        return 0.0


class EinnsynClient:
    """Requests to the eInnsyn API at ``url`` (e.g. ``https://api.einnsyn.no``)."""

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.requests = 0

    def once(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        """One request; the answer's JSON. Raises :class:`EinnsynError`."""
        address = self.url + path + (f"?{urlencode(query)}" if query else "")
        data = (
            json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
            if body is not None
            else None
        )
        request = urllib.request.Request(address, data=data, method=method)
        request.add_header("API-KEY", self.api_key)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as e:
            wait = _seconds(e.headers.get("Retry-After") if e.headers else None)
            raise EinnsynError(method, path, e.code, _message(e.read()), wait) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            reason = getattr(e, "reason", e)
            raise EinnsynError(method, path, 0, str(reason)) from None
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            raise EinnsynError(method, path, 200, "the answer is not JSON") from None

    def retrying(self, attempt: Callable[[], Any]) -> Any:
        """``attempt()`` again after a retryable error, waiting longer each time."""
        for n in range(self.retries + 1):
            try:
                return attempt()
            except EinnsynError as e:
                if not e.retryable or n == self.retries:
                    raise
                self.sleep(max(self.backoff * 2**n, e.retry_after))
        raise AssertionError("unreachable")  # pragma: no cover

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        """An idempotent request (GET, PATCH, DELETE), retried."""
        return self.retrying(lambda: self.once(method, path, body, query))
