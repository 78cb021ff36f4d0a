"""The notifier's command line on both stores (click's runner, in process): `caseflow
project --once` runs the notifier too, `caseflow notify --once` then sends nothing more,
a person's list and choices, and the secretariat's failed messages and retry — the same
checks as the pages (a KG member may not retry)."""

from __future__ import annotations

import re
import time

from click.testing import CliRunner

from caseflow.cli import main


def test_notify_commands(world, store_url, smtp, monkeypatch, tmp_path) -> None:
    for name, value in {
        "CASEFLOW_SMTP_URL": smtp.url,
        "CASEFLOW_SECRET_KEY": "test-secret",
        "CASEFLOW_BASE_URL": "https://caseflow.test",
        "CASEFLOW_MAIL_FROM": "varsel@caseflow.test",
        "CASEFLOW_NOTIFY_BACKOFF": "0",
    }.items():
        monkeypatch.setenv(name, value)
    smtp.recorder.refuse.add("kg2@test.caseflow.no")
    runner = CliRunner()

    def cli(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["--database-url", store_url, *args])
        assert result.exit_code == code, result.output
        return result.output

    assert "0 sent" in cli("notify", "--once")  # a new notifier starts at the head
    case = world.advice_requested()
    cli("project", "--once")  # the projection loop runs the notifier too
    assert len(smtp.recorder.received) == 3  # kg-leder, kg, atp-leder (kg2 refused)
    assert "0 sent" in cli("notify", "--once")  # nothing more

    listed = cli("notify", "list", "kg@test.caseflow.no")
    assert f"Råd etterspurt: {case.reference}" in listed
    chosen = cli("notify", "choose", "kg@test.caseflow.no", "invitation=off", "--language", "en")
    assert "invitation=off" in chosen
    assert "language en" in chosen
    cli("notify", "choose", "kg@test.caseflow.no", "invitation=never", code=1)

    failed = cli("notify", "failed", "--as", "sekretariat@test.caseflow.no")
    found = re.search(r"^([0-9a-f]{40}) failed kg2@test.caseflow.no", failed, re.M)
    assert found is not None
    cli("notify", "failed", "--as", "kg@test.caseflow.no", code=1)  # not the secretariat
    cli("notify", "retry", found.group(1), "--as", "kg@test.caseflow.no", code=1)
    cli("notify", "retry", found.group(1), "--as", "sekretariat@test.caseflow.no")
    smtp.recorder.refuse.clear()
    assert "1 sent" in cli("notify", "--once")
    assert "failed: 0" in cli("notify", "--status")


def test_serve_runs_the_notifier_in_a_thread_on_sqlite(world, make_notifier, smtp) -> None:
    from caseflow.notifications.cli import beside_server

    notifier = make_notifier(smtp.url)
    thread = beside_server(notifier, poll=0.05)
    if notifier.dialect != "sqlite":
        assert thread is None  # PostgreSQL: `caseflow notify` or `caseflow project`
        return
    assert thread is not None
    try:
        deadline = time.monotonic() + 20
        while notifier.position() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the thread's first turn: it starts at the head
        world.advice_requested()
        while len(smtp.recorder.received) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        thread.stop()
    assert len(smtp.recorder.received) == 4
