"""Accounts on a real store: the session epoch, tokens issued before they had an expiry
(version 1 events, upcast), and the login throttle table shared by processes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from caseflow.application import Caseflow
from caseflow.application.security import token_hash
from caseflow.domain import clock
from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import CaseflowError
from caseflow.domain.index import Index
from caseflow.domain.organisation import LEGACY_TOKEN_DAYS, Account
from caseflow.persistence import open_application
from caseflow.persistence.throttle import ThrottlePolicy, open_login_throttle
from tests.world import World

EMAIL = "kg@test.caseflow.no"


@pytest.fixture
def app(store_url: str) -> Iterator[Caseflow]:
    application, _ = open_application(store_url)
    try:
        world = World.build(application)
        application.create_account(None, EMAIL, "pw-kg", world["kg"])
        yield application
    finally:
        application.close()


def test_logout_and_a_new_password_move_the_session_epoch_on(app: Caseflow) -> None:
    login = app.login(EMAIL, "pw-kg")
    assert login is not None
    assert login.epoch == 0
    assert app.session_epoch(login.account_id, login.person_id) == 0
    app.end_sessions(login.person_id, login.account_id)
    assert app.session_epoch(login.account_id, login.person_id) == 1
    app.create_account(None, EMAIL, "nytt-passord")
    assert app.session_epoch(login.account_id, login.person_id) == 2
    assert app.login(EMAIL, "pw-kg") is None
    # someone else's account is not theirs to end
    other = app.find_person_id("atp@test.caseflow.no")
    assert app.session_epoch(login.account_id, other) is None
    with pytest.raises(CaseflowError) as refused:
        app.end_sessions(other, login.account_id)
    assert getattr(refused.value, "status", None) == 403


def _store_v1_token(app: Caseflow, token: str) -> None:
    """A TokenIssued event as the code before token expiry wrote it (no id, expiry or
    last four characters), with its index."""
    account = app.for_query(Account, Account.create_id(EMAIL), optional=True)
    assert account is not None
    state: dict[str, Any] = {
        "token_hash": token_hash(token),
        "label": "old",
        "actor": SYSTEM,
        "role": SYSTEM,
        "on_behalf_of": None,
        "timestamp": clock.now(),
    }
    stored = StoredEvent(
        originator_id=account.id,
        originator_version=account.version + 1,
        topic="caseflow.domain.organisation:Account.TokenIssued",
        state=app.mapper.transcoder.encode(state),
    )
    index = Index._create(
        Index.Indexed,
        kind="token",
        key=token_hash(token),
        target=account.id,
        actor=SYSTEM,
        role=SYSTEM,
        on_behalf_of=None,
    )
    app.recorder.insert_events([stored])
    app.save(index)


def test_a_token_from_before_expiry_expires_90_days_after_its_issue(app: Caseflow) -> None:
    token = "cf_" + "x" * 43
    _store_v1_token(app, token)
    person = app.find_person_id(EMAIL)
    assert app.check_token(token).person_id == person
    [old] = app.list_tokens(person)
    assert old.id == token_hash(token)[:12]
    assert old.last_four is None
    assert old.expires_at - old.created_at == timedelta(days=LEGACY_TOKEN_DAYS)
    later = old.created_at + timedelta(days=LEGACY_TOKEN_DAYS, seconds=1)
    with clock.frozen_at(lambda: later):
        assert app.check_token(token).problem == "expired"
    app.revoke_token(person, person, old.id)
    assert app.check_token(token).problem == "revoked"


def test_the_throttle_is_shared_by_processes(store_url: str, app: Caseflow) -> None:
    other, _ = open_application(store_url)
    try:
        mine, theirs = open_login_throttle(app), open_login_throttle(other)
        policy = ThrottlePolicy(free=2, base=10, cap=40, forget=1000)
        keys = [("acct:a|addr:1", policy)]
        assert mine.failed(keys, 100.0) == 0
        assert theirs.failed(keys, 101.0) == 10  # the second failure, counted by another
        assert mine.retry_after(keys, 105.0) == 6
        assert theirs.failed(keys, 112.0) == 20
        assert theirs.failed(keys, 140.0) == 40
        assert theirs.failed(keys, 190.0) == 40  # capped
        assert mine.retry_after([("acct:b|addr:1", policy)], 190.0) == 0
        assert mine.retry_after(keys, 190.0 + 2000) == 0  # forgotten after quiet
        assert mine.failed(keys, 190.0 + 2000) == 0  # and counted afresh
        mine.succeeded("acct:a|addr:1")
        assert theirs.retry_after(keys, 190.0 + 2001) == 0
    finally:
        other.close()


def test_backoff_policy() -> None:
    policy = ThrottlePolicy(free=5, base=30, cap=3600)
    assert [policy.delay(n) for n in (1, 4, 5, 6, 7, 12, 20)] == [0, 0, 30, 60, 120, 3600, 3600]


def test_a_role_that_may_not_create_tables_creates_no_throttle_table(store_url: str) -> None:
    from caseflow.persistence import parse_database_url

    settings = parse_database_url(store_url)
    owner, _ = open_application(store_url)
    limited = Caseflow(env={**settings.env, "CREATE_TABLE": "n"})
    try:
        keys = [("acct:a|addr:1", ThrottlePolicy())]
        not_created = open_login_throttle(limited)
        with pytest.raises(Exception):  # noqa: B017, PT011 - the table is not there: the driver's error
            not_created.retry_after(keys, 0.0)
        open_login_throttle(owner)  # the owner creates it
        assert open_login_throttle(limited).retry_after(keys, 0.0) == 0
    finally:
        limited.close()
        owner.close()
