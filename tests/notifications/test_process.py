"""``caseflow notify --once`` as a process of its own against a real SMTP server, on both
stores: exactly one message per recipient and event naming the case, and kill -9 half-way
through a batch then a restart: none missing, none doubled (counted by Message-ID at the
server; the messages handed over since the killed sender's last mark — at most
``CASEFLOW_NOTIFY_MARK_EVERY`` — may arrive twice, with the same Message-ID: the
documented at-least-once hand-over). That a second ``caseflow notify --once`` sends
nothing more is tests/notifications/test_cli.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from caseflow.notifications import Notifier, NotifyConfig, open_inbox
from caseflow.persistence import parse_database_url
from tests.notifications.smtp import SmtpServer
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]


def notify(url: str, smtp: SmtpServer, tmp_path: Path, **env: str) -> subprocess.Popen[str]:
    environ = {
        **os.environ,
        "CASEFLOW_DATABASE_URL": url,
        "CASEFLOW_SMTP_URL": smtp.url,
        "CASEFLOW_SECRET_KEY": "test-secret",
        "CASEFLOW_BASE_URL": "https://caseflow.test",
        "CASEFLOW_MAIL_FROM": "varsel@caseflow.test",
        "CASEFLOW_NOTIFY_LEASE": "0.5",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "caseflow.cli", "notify", "--once"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(p: subprocess.Popen[str]) -> str:
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, f"{out}\n{err}"
    return out


@pytest.mark.slow
def test_kill_minus_nine_half_way_then_restart(world: World, store_url, smtp, tmp_path) -> None:
    app = world.app
    config = NotifyConfig(secret_key="test-secret", smtp_url=smtp.url)
    notifier = Notifier(app, parse_database_url(store_url), config)
    notifier.decide()  # starts at the head
    assert smtp.recorder.received == []
    references = []
    for i in range(4):
        case = world.drafted(title=f"Sak {i}")
        app.request_advice(world["sekretariat"], case.id, date.today() + timedelta(days=10))
        references.append(case.reference)
    expected = 4 * 4  # KG's three acting members and ATP's invited leader (R13), per case

    every = 3  # marked sent in one transaction per three messages handed over
    slow = notify(
        store_url,
        smtp,
        tmp_path,
        CASEFLOW_NOTIFY_DELAY="0.3",
        CASEFLOW_NOTIFY_MARK_EVERY=str(every),
    )
    deadline = time.monotonic() + 30
    while len(smtp.recorder.received) < 2 * every + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    slow.kill()  # SIGKILL: after some marks, with messages handed over and not yet marked
    slow.communicate()
    before = len(smtp.recorder.received)
    assert 2 * every + 1 <= before < expected
    marked = open_inbox(notifier).counts().get("sent", 0)
    assert before - every <= marked <= before  # the marks made before the kill are kept
    time.sleep(0.6)  # the killed sender's lease runs out
    finished(notify(store_url, smtp, tmp_path))

    ids = Counter(smtp.recorder.ids())
    assert len(ids) == expected  # none missing
    doubled = sum(ids.values()) - len(ids)
    assert doubled == before - marked <= every  # only the unmarked ones, same Message-ID
    assert max(ids.values()) <= 2
    for reference in references:
        got = [r for r in smtp.recorder.received if reference in str(r.message["Subject"])]
        assert {r.envelope_to[0] for r in got} == {
            f"{k}@test.caseflow.no" for k in ("kg-leder", "kg", "kg2", "atp-leder")
        }
