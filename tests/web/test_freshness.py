"""Pages show what any process wrote, and a read model that stopped at an event answers
503 with a clear message on its pages (and ``/healthz`` says so) while the others serve."""

from __future__ import annotations

from typing import Any

import pytest

from caseflow.persistence import open_application
from caseflow.readmodels.sql import Tx
from tests.web.conftest import Site


def test_a_case_written_by_another_process_shows_on_the_next_page(fresh: Site) -> None:
    client = fresh.client("sekretariat")
    assert "Skrevet av et skript" not in client.get("/cases/").get_data(as_text=True)
    url = fresh.flask.config["DATABASE_URL"]
    script, _ = open_application(url)
    try:
        w = fresh.world
        script.propose_case(w["atp"], w.groups["atp"], "Skrevet av et skript", "Kort.")
    finally:
        script.close()
    assert "Skrevet av et skript" in client.get("/cases/").get_data(as_text=True)
    api = client.get("/api/v1/cases?q=skript").get_json()
    assert api["total"] == 1


def test_a_stopped_read_model_answers_503_on_its_pages_and_on_healthz(
    fresh: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = fresh.flask.extensions["caseflow_read"]
    cases = read.projections["cases"]
    original = type(cases).apply

    def apply(self: Any, tx: Tx, event: Any, position: int) -> None:
        if "Giftig" in str(getattr(event, "title", "")):
            raise ValueError("cannot apply this event")
        original(self, tx, event, position)

    monkeypatch.setattr(type(cases), "apply", apply)
    w = fresh.world
    fresh.app.propose_case(w["atp"], w.groups["atp"], "Giftig sak", "Kort.")
    client = fresh.client("sekretariat")

    listing = client.get("/cases/", headers={"Accept-Language": "nb"})
    assert listing.status_code == 503
    body = listing.get_data(as_text=True)
    assert "stoppet" in body
    assert "ValueError" not in body
    api = client.get("/api/v1/cases")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "read_model_stopped"
    # Pages that read other models still serve.
    assert client.get("/audit").status_code == 200
    health = fresh.flask.test_client().get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["stopped"]["cases"]["reason"].startswith("ValueError")

    monkeypatch.undo()
    read.resume()
    assert client.get("/cases/").status_code == 200
    assert fresh.flask.test_client().get("/healthz").status_code == 200
