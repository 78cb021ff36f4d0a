"""A bearer request writes the token's last use only when the table would change
(issue 19, ``web.token_uses.KnownUses``): the table holds what it held before, with its
60-second resolution, without a write transaction on every request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from caseflow.domain import clock
from caseflow.persistence.token_uses import RESOLUTION
from tests.web.conftest import Site
from web.token_uses import KnownUses


class Table:
    """The table's rule (``caseflow.persistence.token_uses``) in memory."""

    def __init__(self) -> None:
        self.stored: dict[str, float] = {}
        self.calls = 0

    def used(self, token_hash: str, at: datetime) -> None:
        self.calls += 1
        old = self.stored.get(token_hash)
        if old is None or old < at.timestamp() - RESOLUTION:
            self.stored[token_hash] = at.timestamp()

    def last_used(self, token_hashes: Sequence[str]) -> dict[str, datetime]:
        return {
            h: datetime.fromtimestamp(self.stored[h], UTC) for h in token_hashes if h in self.stored
        }


def test_only_the_uses_the_table_would_write_are_passed_on() -> None:
    table = Table()
    uses = KnownUses(table, RESOLUTION)
    t0 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    for seconds in (0, 1, 30, 59.9):  # within the resolution of the stored time
        uses.used("a", t0 + timedelta(seconds=seconds))
    assert table.calls == 1
    assert table.stored["a"] == t0.timestamp()
    uses.used("a", t0 + timedelta(seconds=60.5))  # the table writes this one
    assert table.calls == 2
    assert table.stored["a"] == (t0 + timedelta(seconds=60.5)).timestamp()
    uses.used("b", t0)  # another token: its own
    assert table.calls == 3

    # Another process wrote a later use: this one learns it when it passes one on,
    # and never skips a use the table would write.
    other = KnownUses(table, RESOLUTION)
    table.stored["c"] = (t0 - timedelta(seconds=50)).timestamp()
    other.used("c", t0)  # the table keeps t0 - 50 s (within 60 s): no write, but asked
    assert table.stored["c"] == (t0 - timedelta(seconds=50)).timestamp()
    other.used("c", t0 + timedelta(seconds=5))  # t0 - 50 s is still within 60 s: skipped
    assert table.calls == 4
    other.used("c", t0 + timedelta(seconds=11))  # more than 60 s after it: written
    assert table.calls == 5
    assert table.stored["c"] == (t0 + timedelta(seconds=11)).timestamp()


def test_bearer_requests_record_the_last_use_as_before(fresh: Site) -> None:
    app, w = fresh.app, fresh.world
    token = app.issue_token(w["kg-obs"], "kg-obs@test.caseflow.no", "script")
    client = fresh.client().http
    headers = {"Authorization": f"Bearer {token}"}
    uses = app.accounts.uses
    assert isinstance(uses, KnownUses)
    start = clock.now()
    with clock.frozen_at(lambda: start):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    first = app.list_tokens(w["kg-obs"])[0].last_used_at
    assert first is not None
    passed = uses.passed
    for seconds in (1, 30, 59):
        with clock.frozen_at(lambda s=seconds: start + timedelta(seconds=s)):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert uses.passed == passed  # nothing the table would write
    assert app.list_tokens(w["kg-obs"])[0].last_used_at == first
    later = start + timedelta(seconds=61)
    with clock.frozen_at(lambda: later):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert uses.passed == passed + 1
    last = app.list_tokens(w["kg-obs"])[0].last_used_at
    assert last is not None
    assert abs((last - later).total_seconds()) < 0.001
