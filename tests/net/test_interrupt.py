"""The command as a user runs it, stopped by Ctrl-C or SIGTERM, or by its own time budget.

Stopped: promptly, with one line on stderr and no traceback, and nothing half-done in the
cache. Out of time (--max-time): the links still out are "not checked" (never dead) and the
report is written all the same.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from faultserver import FaultServer


def _brief(tmp_path: Path, server: FaultServer, paths: list[str]) -> Path:
    notes = "".join(
        f"{i}. Jane Doe, *Report {i}*, 2024, http://127.0.0.1:{server.port}{p}.\n"
        for i, p in enumerate(paths, 1)
    )
    markers = " ".join(f"Claim {i}.[{i}]" for i in range(1, len(paths) + 1))
    path = tmp_path / "brief.txt"
    path.write_text(f"{markers}\n\nEndnotes\n\n{notes}", encoding="utf-8")
    (tmp_path / "citecheck.toml").write_text("network_probe = []\n")  # no probe leaves
    return path


def _start(tmp_path: Path, brief: Path, *flags: str) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "citecheck", str(brief), "--allow-private", "--no-archive",
         "--format", "json", *flags],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def _cached_rows(tmp_path: Path) -> int:
    db = tmp_path / "cache" / "citecheck" / "links.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM links").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_promptly_without_a_trace(
    signum: int, code: int, tmp_path: Path, server: FaultServer
) -> None:
    token = uuid.uuid4().hex
    paths = ["/article", *(f"/hang?{token}-{i}" for i in range(5))]
    proc = _start(tmp_path, _brief(tmp_path, server, paths))
    deadline = time.monotonic() + 15
    while not server.hits[f"/hang?{token}-0"] and time.monotonic() < deadline:
        time.sleep(0.02)  # until the run is in the middle of its checks
    assert server.hits[f"/hang?{token}-0"], "the run never reached the hanging links"
    sent = time.monotonic()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=10)
    assert time.monotonic() - sent < 2.0
    assert proc.returncode == code
    assert "Traceback" not in err and err.strip().splitlines() == ["citecheck: interrupted"]
    assert _cached_rows(tmp_path) == 0  # the finished link was not stored alone either


def test_max_time_reports_what_was_not_checked_and_writes_the_report(
    tmp_path: Path, server: FaultServer
) -> None:
    token = uuid.uuid4().hex
    paths = ["/article", "/gone-404", *(f"/hang?{token}-{i}" for i in range(3))]
    start = time.monotonic()
    proc = _start(tmp_path, _brief(tmp_path, server, paths), "--max-time", "2")
    out, err = proc.communicate(timeout=30)
    took = time.monotonic() - start
    assert took < 5.0 and "Traceback" not in err
    assert proc.returncode == 1  # the dead link is a finding
    links = {link["url"].rsplit("/", 1)[1].split("?")[0]: link
             for link in json.loads(out)["documents"][0]["links"]}
    assert links["article"]["verdict"] == "ok"
    assert links["gone-404"]["verdict"] == "dead"
    assert links["hang"]["verdict"] == "timeout" and links["hang"]["reason"] == "max-time"
    assert _cached_rows(tmp_path) == 2  # what was checked is kept; "not checked" is not
