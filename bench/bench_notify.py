"""The notifier catching up after an outage, on SQLite and PostgreSQL.

    python bench/bench_notify.py [--scale YEARS] [--no-postgres] [--json FILE]

The demo store (``caseflow demo``'s generator, ``--scale`` more years of cases; built in a
child process so that its memory is not counted) is the outage: a notifier that starts
at position 0 (``caseflow notify --from-start``) catches up with all of it, deciding the
messages of every event and the reminders and overdue notices due now, then hands every
message to a real SMTP server on loopback (aiosmtpd, in this process). In the same run:

- **decide**: events per second, against a raw baseline — reading and decoding the same
  log in the same batches (``select_notifications`` + ``to_domain_event``), which any
  follower pays;
- **send**: messages per second, against a raw baseline — ``smtplib`` sending the same
  number of small messages over one connection to the same server (no rendering, no
  outbox);
- **peak memory**: the process's maximum resident set size before and after (MiB).

``run(scale) -> dict`` is the entry point for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import smtplib
import sys
import tempfile
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import POSTGRES_URL  # noqa: E402
from bench.stores import build_demo_store  # noqa: E402


def _rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _build(url: str, scale: int) -> None:
    build_demo_store(url, years=scale)


def _raw_decode(app: Any, batch: int) -> tuple[int, float]:
    started = time.perf_counter()
    position, read = 0, 0
    while True:
        page = app.recorder.select_notifications(start=position + 1, limit=batch)
        if not page:
            break
        for n in page:
            app.mapper.to_domain_event(n)
        position = page[-1].id
        read += len(page)
    return read, time.perf_counter() - started


def _raw_send(port: int, count: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(count):
            msg = EmailMessage()
            msg["From"] = "bench@caseflow.test"
            msg["To"] = f"person{i}@caseflow.test"
            msg["Subject"] = f"Benchmark {i}"
            msg["Message-ID"] = f"<raw{i}@caseflow.test>"
            msg.set_content("Hei,\n\nen melding.\n")
            smtp.send_message(msg)
    return time.perf_counter() - started


def measure(url: str, scale: int) -> dict[str, Any]:
    from caseflow.notifications import Notifier, NotifyConfig
    from caseflow.persistence import open_application
    from tests.notifications.smtp import SmtpServer

    child = multiprocessing.get_context("spawn").Process(target=_build, args=(url, scale))
    child.start()
    child.join()
    assert child.exitcode == 0, "building the demo store failed"
    server = SmtpServer()
    server.start()
    app, settings = open_application(url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = NotifyConfig(
                secret_key="bench", smtp_url=server.url, instance=Path(tmp), batch=500
            )
            notifier = Notifier(app, settings, config)
            rss_before = _rss_mib()
            events, raw_decode_s = _raw_decode(app, config.batch * 10)
            t = time.perf_counter()
            read = notifier.decide(from_start=True)
            decide_s = time.perf_counter() - t
            t = time.perf_counter()
            report = notifier.send_due()
            send_s = time.perf_counter() - t
            sent = report.sent
            raw_send_s = _raw_send(server.port, max(sent, 1))
            rss_after = _rss_mib()
    finally:
        app.close()
        server.stop()
    return {
        "events": events,
        "events_decided": read,
        "decide_s": round(decide_s, 2),
        "decide_events_per_s": round(read / decide_s) if decide_s else None,
        "raw_decode_events_per_s": round(events / raw_decode_s) if raw_decode_s else None,
        "ratio_decide_to_raw_decode": round(decide_s / raw_decode_s, 2) if raw_decode_s else None,
        "messages_sent": sent,
        "send_s": round(send_s, 2),
        "send_messages_per_s": round(sent / send_s) if send_s else None,
        "raw_smtp_messages_per_s": round(max(sent, 1) / raw_send_s),
        "ratio_send_to_raw_smtp": round(send_s / raw_send_s, 2),
        "peak_rss_mib_before": rss_before,
        "peak_rss_mib_after": rss_after,
    }


def run(scale: int = 0, postgres: bool = True) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = measure(f"sqlite:///{tmp}/notify.sqlite3", scale)
    if postgres:
        from bench.common import drop_pg_schema

        schema = "bench_n_" + uuid.uuid4().hex[:8]
        sep = "&" if "?" in POSTGRES_URL else "?"
        try:
            results["postgres"] = measure(f"{POSTGRES_URL}{sep}schema={schema}", scale)
        finally:
            drop_pg_schema(schema)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=0, help="more years of demo cases")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", dest="json_file", default=None)
    args = parser.parse_args(argv)
    report = run(args.scale, postgres=not args.no_postgres)
    for store, figures in report.items():
        for key, value in figures.items():
            print(f"{store:9} {key:32} {value}")
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
