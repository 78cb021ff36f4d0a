"""The notifier catching up after an outage, on SQLite and PostgreSQL.

    python bench/bench_notify.py [--scale YEARS] [--no-postgres] [--json FILE]
    python bench/bench_notify.py --store PATH [--outage-days D | --outage-events N] ...

Two stores:

- ``--scale YEARS`` (default 0, the plain demo; built in a child process so that its
  memory is not counted): the outage is the whole log — a notifier that starts at
  position 0 (``caseflow notify --from-start``) catches up with all of it;
- ``--store PATH``: a copy of a SQLite store (e.g. the 10,000-case store,
  ``bench.stores.build_demo_store(url, 10)``; the original is never written to), and an
  outage of the last ``--outage-days`` (default 14) days' or ``--outage-events`` events:
  the notifier had been following the log and sending until then (prepared in a child
  process: it learns who is who from the events before, and what was due by the clock at
  the outage's start counts as sent), then was down. On PostgreSQL the same events
  (``bench.stores.copy_sqlite_to_postgres``) and the same prepared notifier (its tables
  copied from the prepared SQLite store: :func:`copy_notifier_state`).

Then, in a child process of its own (its peak memory is the catch-up's and the sending's),
the notifier catches up — deciding the messages of every event of the outage and the
reminders and overdue notices due now — and hands every due message to a real SMTP server
on loopback (``tests/notifications/smtp.py``: aiosmtpd, in this parent process, not the
notifier's interpreter; keeping each message's Message-ID, as a mail server's queue
would, without parsing it — the tests' parsing costs more than the notifier's sending).
Every message must arrive once (counted by Message-ID). In the same run:

- **decide**: events per second, against a raw baseline — reading and decoding the same
  events in the same batches (``select_notifications`` + ``to_domain_event``), which any
  follower pays;
- **send**: messages per second and the notifier's CPU milliseconds per message, against
  a raw baseline — ``smtplib`` sending the same number of small messages over one
  connection to the same server (no rendering, no outbox);
- **peak memory**: the measuring process's maximum resident set size (MiB), and its
  resident size before the catch-up.

``run(scale) -> dict`` is the entry point for other scripts (``run(store=PATH)`` for a
store of its own); ``bench/run.py`` takes its rows from :func:`report_rows` (the run's
10,000-case store after a two-week outage).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import shutil
import smtplib
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import POSTGRES_URL, snapshot_sqlite  # noqa: E402
from bench.stores import build_demo_store, copy_sqlite_to_postgres  # noqa: E402

#: The outage of ``--store`` unless told otherwise: the last two weeks.
OUTAGE_DAYS = 14


def _rss_now_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _build(url: str, scale: int) -> None:
    build_demo_store(url, years=scale)


def _in_child(target: Any, *args: Any) -> dict[str, Any]:
    """``target(queue, *args)`` in a spawned process; what it put on the queue."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=target, args=(queue, *args))
    child.start()
    result = queue.get()
    child.join()
    assert child.exitcode == 0, f"{target.__name__} failed"
    if "error" in result:
        raise RuntimeError(result["error"])
    return dict(result)


def _guarded(queue: Any, work: Any, *args: Any) -> None:
    try:
        queue.put(work(*args))
    except BaseException as e:  # reported to the parent, which raises it
        import traceback

        queue.put({"error": f"{type(e).__name__}: {e}\n{traceback.format_exc()}"})


def _config(smtp_url: str | None, instance: str) -> Any:
    from caseflow.notifications import NotifyConfig

    return NotifyConfig(secret_key="bench", smtp_url=smtp_url, instance=Path(instance), batch=500)


def outage_start(url: str, days: int | None, events: int | None) -> tuple[int, int]:
    """(the position where the outage began, the log's head): ``events`` before the head,
    or the last event more than ``days`` before now (the log is in time order)."""
    from caseflow.persistence import open_application

    app, _ = open_application(url)
    try:
        head = int(app.recorder.max_notification_id() or 0)
        if events is not None:
            return max(0, head - events), head
        since = datetime.now(UTC) - timedelta(days=days if days is not None else OUTAGE_DAYS)
        low, high = 0, head  # the answer is in [low, high]: the last position before since
        while low < high:
            mid = (low + high + 1) // 2
            note = app.recorder.select_notifications(start=mid, limit=1)[0]
            if cast(Any, app.mapper.to_domain_event(note)).timestamp < since:
                low = mid
            else:
                high = mid - 1
        return low, head
    finally:
        app.close()


def _prepare(url: str, start: int, instance: str) -> dict[str, Any]:
    """The notifier as it was when the outage began: it had followed the log up to
    ``start`` (learning who is who), and what was due by the clock then was sent."""
    from caseflow.notifications import Notifier
    from caseflow.persistence import open_application

    app, settings = open_application(url)
    try:
        note = app.recorder.select_notifications(start=start, limit=1)
        at = cast(Any, app.mapper.to_domain_event(note[0])).timestamp if note else datetime.now(UTC)
        notifier = Notifier(app, settings, _config(None, instance), now=lambda: at)
        # A store loaded by `caseflow demo` has its notifier's start recorded at the head
        # (nothing of the loaded history is sent): this notifier had been sending until
        # the outage instead, so its start is the outage's, whatever was recorded.
        with notifier.view.transaction() as tx:
            tx.execute("DELETE FROM {t_meta} WHERE key = 'start_at'")
        if notifier.view.position(app.name) > start:
            raise RuntimeError(
                f"the store's notifier has read past the outage's start ({start}): "
                "use a store whose notifier has not run"
            )
        notifier.start_at(at=start)
        began = time.perf_counter()
        learnt = notifier.decide(until=start)
        seconds = time.perf_counter() - began
        with notifier.view.transaction() as tx:
            tx.execute(
                "UPDATE {t} SET state = 'sent', sent_at = created_at WHERE state = 'pending'"
            )
            counted = tx.scalar("SELECT COUNT(*) FROM {t}")
    finally:
        app.close()
    return {
        "events_learnt": learnt,
        "learn_s": round(seconds, 1),
        "outage_began": at.isoformat(timespec="seconds"),
        "sent_before_outage": int(counted or 0),
    }


def copy_notifier_state(sqlite_path: Path, pg_url: str, instance: str) -> float:
    """The prepared notifier's tables (``notify*``: its position, who is who, the
    outbox) from a SQLite store into the PostgreSQL copy of its events (COPY), so that
    PostgreSQL starts from the same notifier as SQLite; seconds taken."""
    import sqlite3

    import psycopg
    from psycopg import sql

    from caseflow.notifications import Notifier
    from caseflow.persistence import open_application

    app, settings = open_application(pg_url)
    Notifier(app, settings, _config(None, instance))  # its tables, empty
    app.close()
    began = time.perf_counter()
    src = sqlite3.connect(str(sqlite_path))
    tables = [
        str(r[0])
        for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'notify%'"
        )
    ]
    assert settings.postgres_dsn is not None
    with psycopg.connect(settings.postgres_dsn) as conn:
        if settings.schema:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(settings.schema)))
        for table in tables:
            columns = [str(c[1]) for c in src.execute(f'PRAGMA table_info("{table}")')]
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            with conn.cursor().copy(statement) as copy:
                for row in src.execute(f'SELECT * FROM "{table}"'):
                    copy.write_row(row)
        conn.commit()
    src.close()
    return round(time.perf_counter() - began, 1)


def _raw_decode(app: Any, start: int, batch: int) -> tuple[int, float]:
    began = time.perf_counter()
    position, read = start, 0
    while True:
        page = app.recorder.select_notifications(start=position + 1, limit=batch)
        if not page:
            break
        for n in page:
            app.mapper.to_domain_event(n)
        position = page[-1].id
        read += len(page)
    return read, time.perf_counter() - began


def _raw_send(port: int, count: int) -> tuple[float, float]:
    """Seconds and CPU seconds for ``count`` small messages over one connection."""
    began, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(count):
            msg = EmailMessage()
            msg["From"] = "bench@caseflow.test"
            msg["To"] = f"person{i}@caseflow.test"
            msg["Subject"] = f"Benchmark {i}"
            msg["Message-ID"] = f"<raw{i}@caseflow.test>"
            msg.set_content("Hei,\n\nen melding.\n")
            smtp.send_message(msg)
    return time.perf_counter() - began, time.process_time() - cpu


def _measure(url: str, start: int | None, smtp_url: str, port: int, instance: str) -> dict:
    """Catch up (from ``start``, or from position 0 when None) and send all that is due."""
    from caseflow.notifications import Notifier
    from caseflow.persistence import open_application

    app, settings = open_application(url)
    try:
        config = _config(smtp_url, instance)
        notifier = Notifier(app, settings, config)
        rss_before = _rss_now_mib()
        events, raw_decode_s = _raw_decode(app, start or 0, config.batch * 10)
        began = time.perf_counter()
        read = notifier.decide(from_start=start is None)
        decide_s = time.perf_counter() - began
        began, cpu = time.perf_counter(), time.process_time()
        report = notifier.send_due()
        send_s, send_cpu = time.perf_counter() - began, time.process_time() - cpu
        sent = report.sent
        raw_send_s, raw_cpu = _raw_send(port, max(sent, 1))
        peak = _peak_rss_mib()
    finally:
        app.close()
    return {
        "events": events,
        "events_decided": read,
        "decide_s": round(decide_s, 2),
        "decide_events_per_s": round(read / decide_s) if decide_s else None,
        "raw_decode_events_per_s": round(events / raw_decode_s) if raw_decode_s else None,
        "ratio_decide_to_raw_decode": round(decide_s / raw_decode_s, 2) if raw_decode_s else None,
        "messages_sent": sent,
        "messages_failed": report.failed + report.dead,
        "send_s": round(send_s, 2),
        "send_messages_per_s": round(sent / send_s) if send_s else None,
        "raw_smtp_messages_per_s": round(max(sent, 1) / raw_send_s),
        "ratio_send_to_raw_smtp": round(send_s / raw_send_s, 2),
        "send_cpu_ms_per_message": round(send_cpu * 1000 / max(sent, 1), 2),
        "raw_smtp_cpu_ms_per_message": round(raw_cpu * 1000 / max(sent, 1), 2),
        "rss_mib_before_catch_up": rss_before,
        "peak_rss_mib": peak,
    }


def measure(
    url: str,
    *,
    scale: int = 0,
    start: int | None = None,
    build: bool = True,
    prepared: bool = False,
    snapshot: Path | None = None,
) -> dict:
    """One store: built (``scale``) or given (``url``, prepared to ``start`` here unless
    ``prepared``; a ``snapshot`` of it kept as prepared), then measured."""
    from tests.notifications.smtp import SmtpServer

    figures: dict[str, Any] = {}
    if build:
        child = multiprocessing.get_context("spawn").Process(target=_build, args=(url, scale))
        child.start()
        child.join()
        assert child.exitcode == 0, "building the demo store failed"
    with tempfile.TemporaryDirectory() as instance:
        if start is not None and not prepared:
            figures.update(_in_child(_guarded, _prepare, url, start, instance))
            if snapshot is not None:
                snapshot_sqlite(Path(url.removeprefix("sqlite:///")), snapshot)
        server = SmtpServer(parse=False)  # a mail server's queue: Message-IDs kept, not parsed
        server.start()
        try:
            figures.update(
                _in_child(_guarded, _measure, url, start, server.url, server.port, instance)
            )
            ids = Counter(r.message_id for r in server.recorder.received)
        finally:
            server.stop()
    raw = figures["messages_sent"]  # the raw baseline's messages arrive too
    assert len(ids) - max(raw, 1) == figures["messages_sent"], "a message went missing"
    assert sum(ids.values()) == len(ids), "a message arrived twice"
    return figures


def _pg_url() -> str:
    schema = "bench_n_" + uuid.uuid4().hex[:8]
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}schema={schema}"


def run(
    scale: int = 0,
    postgres: bool = True,
    *,
    store: str | Path | None = None,
    outage_days: int | None = None,
    outage_events: int | None = None,
) -> dict[str, Any]:
    """The figures on SQLite (and PostgreSQL): the demo at ``scale`` caught up from
    position 0, or a copy of ``store`` caught up after an outage."""
    from bench.common import drop_pg_schema

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notify.sqlite3"
        snapshot = Path(tmp) / "prepared.sqlite3" if store is not None and postgres else None
        url = f"sqlite:///{path}"
        start: int | None = None
        if store is not None:
            shutil.copyfile(store, path)  # never the original
            start, head = outage_start(url, outage_days, outage_events)
            results["outage"] = {"store": str(store), "head": head, "from": start}
        results["sqlite"] = measure(
            url, scale=scale, start=start, build=store is None, snapshot=snapshot
        )
        if postgres:
            pg = _pg_url()
            schema = pg.rpartition("schema=")[2]
            try:
                if snapshot is not None:  # the same events and the same prepared notifier
                    copied = copy_sqlite_to_postgres(snapshot, pg)
                    results["outage"]["postgres_copy_s"] = copied.get("seconds")
                    results["outage"]["postgres_notifier_copy_s"] = copy_notifier_state(
                        snapshot, pg, tmp
                    )
                results["postgres"] = measure(
                    pg, scale=scale, start=start, build=store is None, prepared=True
                )
            finally:
                drop_pg_schema(schema)
    return results


def report_rows(pg: bool, store: Path | None) -> tuple[list[Any], dict[str, Any]]:
    """``bench/run.py``'s rows: a copy of ``store`` (its 10,000-case store) after an
    outage of the last :data:`OUTAGE_DAYS` days, or — without one — the plain demo from
    position 0."""
    from bench.common import Row

    result = run(0, postgres=pg, store=store)
    size = f"after a {OUTAGE_DAYS}-day outage" if store is not None else "demo, from position 0"
    rows: list[Any] = []
    for backend in ("sqlite", "postgres"):
        f = result.get(backend)
        if not f:
            continue
        section = f"notifier ({backend})"
        if f["events"] and not f["messages_sent"]:
            # An outage of days in the demo's life always has advice requests, invitations
            # and reminders to send: none sent is a broken benchmark, not a fast notifier.
            raise RuntimeError(f"{backend}: {f['events']:,} events decided, nothing sent")
        note = f"{f['events']:,} events, {f['messages_sent']:,} messages, {size}"
        rows += [
            Row(
                section, "decide: events/s", f["decide_events_per_s"], "events/s", "", "info", note
            ),
            Row(
                section,
                "decide ÷ raw read-and-decode",
                f["ratio_decide_to_raw_decode"],
                "×",
                status="info",
            ),
            Row(section, "send: messages/s", f["send_messages_per_s"], "msg/s", "", "info", note),
            Row(section, "send ÷ raw smtplib", f["ratio_send_to_raw_smtp"], "×", status="info"),
            Row(
                section,
                "send: CPU per message",
                f["send_cpu_ms_per_message"],
                "ms",
                status="info",
                note=f"raw smtplib {f['raw_smtp_cpu_ms_per_message']} ms",
            ),
            Row(section, "peak RSS", f["peak_rss_mib"], "MiB", status="info"),
        ]
    return rows, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=0, help="more years of demo cases")
    parser.add_argument("--store", default=None, help="a SQLite store to copy (not written)")
    outage = parser.add_mutually_exclusive_group()
    outage.add_argument("--outage-days", type=int, default=None, help="with --store")
    outage.add_argument("--outage-events", type=int, default=None, help="with --store")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", dest="json_file", default=None)
    args = parser.parse_args(argv)
    if args.store is None and (args.outage_days or args.outage_events):
        parser.error("--outage-days and --outage-events go with --store")
    report = run(
        args.scale,
        postgres=not args.no_postgres,
        store=args.store,
        outage_days=args.outage_days,
        outage_events=args.outage_events,
    )
    for store, figures in report.items():
        for key, value in figures.items():
            print(f"{store:9} {key:32} {value}")
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
