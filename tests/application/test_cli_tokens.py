"""``caseflow users token / tokens / revoke`` against a real store (issue 12 #10): tokens
expire, the other active tokens are listed when a new one is issued, and revocation by
id or all at once works (and is recorded as events, without the secrets)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner

from caseflow.cli import main
from caseflow.domain import clock
from caseflow.domain.organisation import Account
from caseflow.persistence import open_application
from tests.world import World

EMAIL = "atp@test.caseflow.no"


@pytest.fixture
def url(store_url: str) -> Iterator[str]:
    app, _ = open_application(store_url)
    try:
        world = World.build(app)
        app.create_account(None, EMAIL, "pw-atp", world["atp"])
        yield store_url
    finally:
        app.close()


def cli(url: str, *args: str):
    return CliRunner().invoke(main, ["--database-url", url, *args])


def check(url: str, token: str) -> str | None:
    app, _ = open_application(url)
    try:
        return app.check_token(token).problem
    finally:
        app.close()


def test_token_expires_after_the_days_given(url: str) -> None:
    made = cli(url, "users", "token", EMAIL, "--expires", "3", "--label", "kort")
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert token.startswith("cf_")
    assert check(url, token) is None
    app, _ = open_application(url)
    try:
        later = clock.now() + timedelta(days=3, minutes=1)
        with clock.frozen_at(lambda: later):
            assert app.check_token(token).problem == "expired"
        [listed] = app.tokens_of(EMAIL)
        assert listed.label == "kort"
        assert listed.last_four == token[-4:]
        assert timedelta(days=3) - (listed.expires_at - listed.created_at) < timedelta(seconds=5)
    finally:
        app.close()
    assert cli(url, "users", "token", EMAIL, "--expires", "0").exit_code == 2
    assert cli(url, "users", "token", EMAIL, "--expires", "400").exit_code == 2


def test_default_expiry_is_365_days(url: str) -> None:
    cli(url, "users", "token", EMAIL)
    app, _ = open_application(url)
    try:
        [t] = app.tokens_of(EMAIL)
        assert timedelta(days=364) < t.expires_at - t.created_at <= timedelta(days=365)
    finally:
        app.close()


def test_a_new_token_lists_the_others_and_revoke_by_id_or_all(url: str) -> None:
    first = cli(url, "users", "token", EMAIL, "--label", "laptop").stdout.strip()
    second = cli(url, "users", "token", EMAIL, "--label", "script")
    assert "1 other active token" in second.stderr
    assert "laptop" in second.stderr
    assert f"…{first[-4:]}" in second.stderr
    assert first not in second.stderr
    third = cli(url, "users", "token", EMAIL, "--label", "ci").stdout.strip()

    listed = cli(url, "users", "tokens", EMAIL)
    assert listed.exit_code == 0
    assert listed.output.count("active") == 3
    laptop = next(line.split()[0] for line in listed.output.splitlines() if "laptop" in line)

    revoked = cli(url, "users", "revoke", EMAIL, "--token", laptop)
    assert revoked.exit_code == 0
    assert "laptop" in revoked.output
    assert check(url, first) == "revoked"
    assert check(url, third) is None
    assert cli(url, "users", "revoke", EMAIL, "--token", laptop).exit_code == 1  # already
    assert cli(url, "users", "revoke", EMAIL, "--token", "nope").exit_code == 1

    everything = cli(url, "users", "revoke", EMAIL, "--all")
    assert everything.exit_code == 0
    assert everything.output.count("revoked ") == 2
    assert check(url, third) == "revoked"
    assert "no active token" in cli(url, "users", "revoke", EMAIL, "--all").output

    assert cli(url, "users", "revoke", EMAIL).exit_code == 2
    assert cli(url, "users", "revoke", EMAIL, "--all", "--token", laptop).exit_code == 2
    assert cli(url, "users", "revoke", "nobody@test.caseflow.no", "--all").exit_code == 1

    # issue and revocation are events of the account; none carries a secret
    app, _ = open_application(url)
    try:
        events = list(app.events.get(Account.create_id(EMAIL)))
        names = [type(e).__name__ for e in events]
        assert names.count("TokenIssued") == 3
        assert names.count("TokenRevoked") == 3
        stored = b"".join(
            s.state for s in app.recorder.select_events(Account.create_id(EMAIL), desc=False)
        )
        for secret in (first, third):
            assert secret.encode() not in stored
        assert hashlib.sha256(first.encode()).hexdigest().encode() in stored  # the hash only
    finally:
        app.close()
