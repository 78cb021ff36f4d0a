"""The Noark 5 arkivuttrekk (``caseflow archive noark5``): how fast it is written and
how much memory it takes, on the plain demo and on the 10,000-case store.

    python bench/bench_noark5.py [--quick] [--json FILE]

Each measurement runs in a fresh child process (its memory is the export's own):

- **export**: the whole extract of the store (every case and meeting read and replayed,
  one at a time; the log streamed for the endringslogg; the documents copied and
  checked) — events per second of the log;
- **raw baseline**, in the same child before the export: reading and decoding the same
  log in the same batches (``select_notifications`` + ``to_domain_event``), which any
  reader of the history pays;
- **memory**: the child's resident set size (RSS, now — not the peak) when a tenth of
  the cases is written, when a tenth of the log is read, and at the end, and its peak.
  Flat means the end is not a multiple of the tenth: the export holds one aggregate at
  a time (plus the name books and, for the endringslogg, a few values per aggregate).

The 10,000-case store is ``/tmp/shared-stores/scale10.sqlite3`` with its attachments
(``bench.stores.build_demo_store(url, 10)``), copied to a temporary folder first (never
written to); ``--quick`` (and ``run(quick=True)``) builds and measures the plain demo.

``run(quick) -> dict`` is the entry point for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import snapshot_sqlite  # noqa: E402

SHARED = Path("/tmp/shared-stores")
SCALE10 = SHARED / "scale10.sqlite3"
SCALE10_ATTACHMENTS = SHARED / "attachments-scale10"


def _rss_mib() -> float:
    """The process's resident set size now (MiB)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _raw_decode(app: Any, batch: int) -> tuple[int, float]:
    began = time.perf_counter()
    position, read = 0, 0
    while True:
        page = app.recorder.select_notifications(start=position + 1, limit=batch)
        if not page:
            break
        for n in page:
            app.mapper.to_domain_event(n)
        position = page[-1].id
        read += len(page)
    return read, time.perf_counter() - began


def _child(url: str, attachments: str, out: str, queue: Any) -> None:
    from caseflow.application import Settings
    from caseflow.archive.noark5 import export_noark5
    from caseflow.archive.noark5.source import LOG_BATCH
    from caseflow.persistence import open_application
    from caseflow.persistence.attachments import AttachmentStore

    app, _ = open_application(url, Settings())
    app.use_attachment_store(AttachmentStore(attachments))
    try:
        rss_start = _rss_mib()
        events, raw_s = _raw_decode(app, LOG_BATCH)
        cases = len(app.case_ids())
        marks: dict[str, float] = {}

        def progress(phase: str, done: int) -> None:
            if phase == "cases" and done == max(1, cases // 10):
                marks["rss_at_tenth_of_cases_mib"] = _rss_mib()
            elif phase == "log" and "rss_at_tenth_of_log_mib" not in marks and done >= events / 10:
                marks["rss_at_tenth_of_log_mib"] = _rss_mib()

        report = export_noark5(app, Path(out), progress=progress)
        rss_end = _rss_mib()
        size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    finally:
        app.close()
    queue.put(
        {
            "cases": report.cases,
            "meetings": report.meetings,
            "events": report.events,
            "endringer": report.changes,
            "journalposter": report.journal_entries,
            "document_files": report.documents,
            "extract_mib": round(size / 2**20, 1),
            "export_s": round(report.seconds, 1),
            "export_events_per_s": round(report.events / report.seconds),
            "raw_decode_s": round(raw_s, 1),
            "raw_decode_events_per_s": round(events / raw_s) if raw_s else None,
            "ratio_export_to_raw_decode": round(report.seconds / raw_s, 2) if raw_s else None,
            "rss_before_mib": rss_start,
            **marks,
            "rss_at_end_mib": rss_end,
            "peak_rss_mib": _peak_mib(),
        }
    )


def _measure(url: str, attachments: Path, out: Path) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_child, args=(url, str(attachments), str(out), queue))
    child.start()
    result: dict[str, Any] = queue.get()
    child.join()
    assert child.exitcode == 0, "the export failed"
    return result


def _build_demo(url: str, attachments: str) -> None:
    os.environ["CASEFLOW_ATTACHMENTS_DIR"] = attachments
    from bench.stores import build_demo_store

    build_demo_store(url, years=0)


def run(
    quick: bool = False, store: Path | None = None, attachments: Path | None = None
) -> dict[str, Any]:
    """``{"demo": {...}}`` and, unless ``quick``, ``{"scale10": {...}}``: the 10,000-case
    ``store`` with its ``attachments`` (``bench/run.py``'s own), else :data:`SCALE10`."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-noark5-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work}/demo.sqlite3"
        builder = multiprocessing.get_context("spawn").Process(
            target=_build_demo, args=(url, str(work / "attachments"))
        )
        builder.start()
        builder.join()
        assert builder.exitcode == 0, "building the demo store failed"
        results["demo"] = _measure(url, work / "attachments", work / "demo-extract")
        if not quick:
            source = store or SCALE10
            if not source.exists():
                raise FileNotFoundError(f"{source} is missing: build it (bench/stores.py)")
            snapshot_sqlite(source, work / "scale10.sqlite3")  # never written to
            if attachments is None:  # the shared store's: copied, as the store
                attachments = work / "attachments-scale10"
                shutil.copytree(SCALE10_ATTACHMENTS, attachments)
            results["scale10"] = _measure(
                f"sqlite:///{work}/scale10.sqlite3", attachments, work / "scale10-extract"
            )
    return results


#: The export reads the history twice (each aggregate, then the log for the endringslogg)
#: and writes five XML files: at most four times the raw decode per pass.
TARGET_RATIO = 8.0


def report_rows(
    quick: bool, store: Path | None = None, attachments: Path | None = None
) -> tuple[list[Any], dict[str, Any]]:
    """``bench/run.py``'s rows: the 10,000-case figures (the demo's with ``quick``), on
    ``store`` and ``attachments`` when given."""
    from bench.common import Row, ratio_row

    result = run(quick=quick, store=store, attachments=attachments)
    f = result["demo" if quick else "scale10"]
    size = "demo" if quick else f"{f['cases']:,} cases"
    section = f"noark5 extract ({size}, SQLite)"
    tenth = f.get("rss_at_tenth_of_cases_mib")
    rows = [
        Row(
            section,
            "export rate",
            f["export_events_per_s"],
            "events/s",
            status="info",
            note=f"{f['events']:,} events, {f['cases']:,} cases, {f['document_files']:,} files "
            f"in {f['export_s']} s; raw decode {f['raw_decode_events_per_s']:,} events/s",
        ),
        ratio_row(
            section,
            "export ÷ raw decode of the same log",
            f["ratio_export_to_raw_decode"],
            TARGET_RATIO,
            note="two passes over the history (aggregates, then the log) and five XML files",
        ),
        Row(
            section,
            "RSS at the end",
            f["rss_at_end_mib"],
            "MiB",
            status="info",
            note=f"{tenth} MiB at 1/10 of the cases, {f.get('rss_at_tenth_of_log_mib')} at 1/10 "
            f"of the log; peak {f['peak_rss_mib']} MiB",
        ),
    ]
    return rows, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the plain demo only")
    parser.add_argument("--json", default=None, help="write the figures to FILE")
    args = parser.parse_args(argv)
    result = run(quick=args.quick)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
