"""The notifier's settings, read by the composition roots (``caseflow notify``, ``caseflow
project``, ``caseflow serve``/``web.create_app``) from the environment and given here."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The instance folder the web app uses (``web.create_app``'s Flask instance path).
DEFAULT_INSTANCE = Path(__file__).resolve().parents[2] / "instance"

#: The kinds of message a person can choose for (immediately / daily digest / off).
KINDS = (
    "advice_requested",
    "advice_reminder",
    "advice_overdue",
    "invitation",
    "case_outcome",
    "membership",
)
MODES = ("immediately", "digest", "off")


def _int(environ: Mapping[str, str], name: str, default: int, low: int = 0) -> int:
    text = (environ.get(name) or "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None
    if value < low:
        raise ValueError(f"{name} must be at least {low}, not {value}")
    return value


def _float(environ: Mapping[str, str], name: str, default: float) -> float:
    text = (environ.get(name) or "").strip()
    try:
        return float(text) if text else default
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {text!r}") from None


def read_secret_key(instance: Path, environ: Mapping[str, str]) -> str:
    """``CASEFLOW_SECRET_KEY``, else the key the web app generated once into the instance
    folder (generated here, the same way, when the notifier runs first)."""
    from_env = environ.get("CASEFLOW_SECRET_KEY")
    if from_env:
        return from_env
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


@dataclass(frozen=True)
class NotifyConfig:
    """``base_url``: links in messages. ``smtp_url``: None writes ``.eml`` files to
    ``instance/outbox/``. ``reminder_days``: the reminder before an advice deadline.
    ``max_attempts``: temporary failures before a message is dead. ``backoff``: seconds
    before the first retry (doubling, at most an hour). ``lease``: seconds a sender holds
    a message it is sending (another sender takes it over after that)."""

    secret_key: str
    base_url: str = "http://127.0.0.1:5000"
    smtp_url: str | None = None
    mail_from: str = "caseflow@localhost"
    instance: Path = DEFAULT_INSTANCE
    reminder_days: int = 3
    max_attempts: int = 5
    backoff: float = 60.0
    lease: float = 120.0
    batch: int = 200
    #: Messages handed over before they are marked in one transaction (and at most
    #: ``notifier.MARK_WITHIN`` seconds): what a crashed sender can hand over twice.
    mark_every: int = 20
    #: Seconds to wait after each message is handed to the server, before it is marked
    #: sent (tests: a notifier killed between the two).
    delay: float = 0.0

    @property
    def outbox_dir(self) -> Path:
        return self.instance / "outbox"

    @classmethod
    def from_environ(
        cls,
        environ: Mapping[str, str],
        instance: Path | str | None = None,
        *,
        secret_key: str | None = None,
    ) -> NotifyConfig:
        """``CASEFLOW_BASE_URL``, ``CASEFLOW_SMTP_URL``, ``CASEFLOW_MAIL_FROM``,
        ``CASEFLOW_REMINDER_DAYS`` (3), ``CASEFLOW_NOTIFY_ATTEMPTS`` (5),
        ``CASEFLOW_NOTIFY_BACKOFF`` (60 s), ``CASEFLOW_NOTIFY_LEASE`` (120 s),
        ``CASEFLOW_NOTIFY_MARK_EVERY`` (20), ``CASEFLOW_NOTIFY_DELAY`` (0; tests),
        ``CASEFLOW_SECRET_KEY``."""
        folder = Path(instance) if instance else DEFAULT_INSTANCE
        return cls(
            secret_key=secret_key or read_secret_key(folder, environ),
            base_url=(environ.get("CASEFLOW_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
            smtp_url=(environ.get("CASEFLOW_SMTP_URL") or "").strip() or None,
            mail_from=(environ.get("CASEFLOW_MAIL_FROM") or "").strip() or "caseflow@localhost",
            instance=folder,
            reminder_days=_int(environ, "CASEFLOW_REMINDER_DAYS", 3),
            max_attempts=_int(environ, "CASEFLOW_NOTIFY_ATTEMPTS", 5, low=1),
            backoff=_float(environ, "CASEFLOW_NOTIFY_BACKOFF", 60.0),
            lease=_float(environ, "CASEFLOW_NOTIFY_LEASE", 120.0),
            mark_every=_int(environ, "CASEFLOW_NOTIFY_MARK_EVERY", 20, low=1),
            delay=_float(environ, "CASEFLOW_NOTIFY_DELAY", 0.0),
        )
