"""Hardening finding 2: the hash chain is extended by the same driver as the read models,
so an event edited in the store seconds after it was written fails `audit verify` at its
position (before, nothing had chained it yet, and verify chained the edited bytes)."""

from __future__ import annotations

from caseflow.ledger import EDITED, Ledger
from tests.ledger.helpers import RawEvents
from tests.web.conftest import Site


def test_a_case_proposed_through_the_api_is_chained_before_anyone_verifies(fresh: Site) -> None:
    app = fresh.app
    ledger = Ledger(app, fresh.flask.extensions["caseflow_settings"])
    w = fresh.world
    client = fresh.client("atp")
    before = app.recorder.max_notification_id()
    answer = client.post_json(
        "/api/v1/cases",
        {
            "title": "Kjedet med en gang",
            "summary": "Kort.",
            "kind": "board_case",
            "group_id": str(w.groups["atp"]),
        },
    )
    assert answer.status_code == 201, answer.get_json()
    head = app.recorder.max_notification_id()
    assert head > before
    assert ledger.tracked() == head  # chained by the command's own request

    raw = RawEvents(app, fresh.flask.extensions["caseflow_settings"])
    position = before + 1
    *_, state = raw.row(position)
    raw.set_state(position, bytes(state).replace(b"Kjedet", b"Endret"))

    result = ledger.verify()
    assert not result.ok
    assert result.first_bad_position == position
    assert result.kind == EDITED
