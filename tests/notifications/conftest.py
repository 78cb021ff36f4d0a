"""Fixtures: a real SMTP server on a free loopback port, and a notifier on the test's
store (SQLite file and PostgreSQL schema, via ``store_url``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseflow.application import Caseflow
from caseflow.notifications import Notifier, NotifyConfig
from caseflow.persistence import parse_database_url
from tests.notifications.smtp import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_config(smtp_url: str | None, tmp_path: Path, **kw: object) -> NotifyConfig:
    values: dict[str, object] = {
        "secret_key": "test-secret",
        "base_url": "https://caseflow.test",
        "smtp_url": smtp_url,
        "mail_from": "varsel@caseflow.test",
        "instance": tmp_path / "instance",
        "backoff": 0.0,
        "lease": 0.5,
    }
    values.update(kw)
    return NotifyConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def make_notifier(app: Caseflow, store_url: str, tmp_path: Path, clock: Clock):  # type: ignore[no-untyped-def]
    settings = parse_database_url(store_url)

    def make(smtp_url: str | None, **kw: object) -> Notifier:
        return Notifier(app, settings, make_config(smtp_url, tmp_path, **kw), now=clock)

    return make
