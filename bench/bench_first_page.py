"""From ``git clone`` to the first page: what a new developer waits for.

    python bench/bench_first_page.py [--json FILE]

In a temporary directory: ``git clone`` of this checkout (its committed HEAD), then
``make run PORT=<free port>`` in the clone — a virtualenv, ``pip install -e '.[test]'``
(from the configured index and wheel folders), ``caseflow demo --if-empty`` into the
clone's own ``instance/`` store, ``caseflow serve`` — timed until ``/login`` answers 200
with the login form. In the same run, the baseline: ``python3 -m venv`` of an empty
virtualenv alone (what any Python project's first step costs here). Prints the time to
the first page, its ratio to the baseline, and when each step's output first appeared.
Every child runs in a session of its own and is ended by its process group at the end;
no ``CASEFLOW_*`` variable of the calling process is passed on (the clone uses its
defaults, as a new developer's would). ``run() -> dict`` is the entry for bench/run.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: Give up waiting for the first page after this long (seconds).
TIMEOUT = 900

#: Output lines that mark the start of ``make run``'s steps (the Makefile's commands).
STEPS = {
    "venv": "-m venv",
    "install": "pip install",
    "demo": "caseflow demo",
    "serve": "caseflow serve",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    """The caller's environment without Caseflow's settings and without this checkout's
    virtualenv on the path (the clone makes its own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFLOW_")}
    env.pop("VIRTUAL_ENV", None)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


def _login_page(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            body = resp.read().decode("utf-8", "replace")
            return resp.status == 200 and 'name="password"' in body
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen[Any]) -> None:
    """End the process group this run started (make and the server it runs)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


def baseline_venv(work: Path) -> float:
    """Seconds of ``python3 -m venv`` of an empty virtualenv (the baseline)."""
    began = time.perf_counter()
    subprocess.run(
        ["python3", "-m", "venv", str(work / "baseline-venv")],
        check=True,
        env=_env(),
        capture_output=True,
        timeout=300,
    )
    return time.perf_counter() - began


def first_page(work: Path) -> dict[str, Any]:
    """Clone, ``make run``, and the seconds until the login form answers."""
    clone = work / "caseflow"
    began = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300)
    cloned = time.perf_counter() - began
    port = _free_port()
    log_path = work / "make-run.log"
    seen: dict[str, float] = {}
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            ["make", "run", f"PORT={port}", "HOST=127.0.0.1"],
            cwd=clone,
            env=_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/login"
            deadline = time.monotonic() + TIMEOUT
            answered = None
            while time.monotonic() < deadline:
                text = log_path.read_text(errors="replace")
                for step, marker in STEPS.items():
                    if step not in seen and marker in text:
                        seen[step] = time.perf_counter() - began
                if proc.poll() is not None:
                    tail = text.strip().splitlines()[-3:]
                    raise RuntimeError(f"make run exited ({proc.returncode}): {tail}")
                if "serve" in seen and _login_page(url):
                    answered = time.perf_counter() - began
                    break
                time.sleep(0.25)
            if answered is None:
                raise RuntimeError(f"no login page within {TIMEOUT} s")
        finally:
            _stop(proc)
    return {
        "clone_s": round(cloned, 1),
        "steps_started_at_s": {k: round(v, 1) for k, v in seen.items()},
        "first_page_s": round(answered, 1),
    }


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="caseflow-first-page-") as tmp:
        work = Path(tmp)
        base = baseline_venv(work)
        found = first_page(work)
    found["baseline_venv_s"] = round(base, 1)
    found["ratio_first_page_to_venv"] = round(found["first_page_s"] / max(base, 1e-9), 1)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", dest="json_file", default=None)
    args = parser.parse_args(argv)
    result = run()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json_file:
        Path(args.json_file).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
