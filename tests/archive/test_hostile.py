"""What an archive answers is input, not truth (issue 9): captures that recorded a redirect,
snapshot URLs that are not URLs on the archive's replay host, a corrupt cache — each case
asserting the finding and the wall time, and that nothing of a bad answer reaches the brief.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from fakearchive import Cap, FakeArchive, Fault
from helpers import brief, cite, codes, config, results, run

from citecheck.model import Verdict

GONE = "https://gone.example.org/2024/report"
OTHER = "https://gone.example.org/2024/report-final"


def _timed(archive: FakeArchive, **archive_config: object) -> tuple[object, float]:
    start = time.monotonic()
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}),
              config(archive, **archive_config))
    return out, time.monotonic() - start


def test_a_capture_of_a_redirect_to_a_login_page_is_no_snapshot(archive: FakeArchive) -> None:
    login = "https://gone.example.org/login?next=/2024/report"
    archive.add(GONE, Cap("20240401000000", GONE, status=302, location=login))
    archive.add(login, Cap("20240401000001", login))
    out, took = _timed(archive)
    assert codes(out) == ["A502"] and out.results[GONE].archive is None
    assert took < 2


def test_a_capture_of_a_redirect_without_its_target_is_no_snapshot(
    archive: FakeArchive,
) -> None:
    archive.add(GONE, Cap("20240401000000", GONE, status=301))
    out, took = _timed(archive)
    assert codes(out) == ["A502"] and took < 2


def test_a_capture_of_a_redirect_to_the_moved_page_is_followed(archive: FakeArchive) -> None:
    archive.add(GONE, Cap("20240401000000", GONE, status=301, location=OTHER))
    archive.add(OTHER, Cap("20240401000005", OTHER))
    out, took = _timed(archive)
    snap = out.results[GONE].archive
    assert codes(out) == ["A501"] and took < 2
    assert snap is not None and snap.url == f"{archive.base}/web/20240401000005/{OTHER}"
    assert snap.status == 200


def test_a_redirect_capture_is_not_preferred_to_a_200_capture(archive: FakeArchive) -> None:
    archive.add(GONE, Cap("20240404000000", GONE, status=302, location=OTHER),
                Cap("20230101000000", GONE))
    archive.add(OTHER, Cap("20240404000005", OTHER))
    out, _ = _timed(archive)
    assert out.results[GONE].archive.timestamp.year == 2023


@pytest.mark.parametrize("kind", ["javascript", "multiline", "badurl", "elsewhere"])
def test_a_bad_snapshot_url_is_a504_never_the_fix(kind: str, archive: FakeArchive) -> None:
    archive.add(GONE, Cap("20240401000000", GONE))
    archive.faults["available"] = Fault(kind)
    archive.faults["cdx"] = Fault("down")
    archive.faults["timegate"] = Fault(kind)
    out, took = _timed(archive)
    assert codes(out) == ["A504"] and out.results[GONE].archive is None
    assert "snapshot" in out.findings[0][0].message  # the answer was read, and refused
    assert took < 2


def test_a_bad_answer_from_one_api_does_not_hide_a_good_one(archive: FakeArchive) -> None:
    archive.add(GONE, Cap("20240401000000", GONE))
    archive.faults["available"] = Fault("javascript")
    out, _ = _timed(archive, timegates=())
    snap = out.results[GONE].archive
    assert codes(out) == ["A501"]
    assert snap.url == f"{archive.base}/web/20240401000000/{GONE}"  # CDX's, rebuilt by us


def test_nothing_of_a_hostile_answer_reaches_the_fixed_copy(
    archive: FakeArchive, tmp_path: Path,
) -> None:
    from test_fix import BRIEF, _cli, _toml

    dead = f"{archive.base}/live/gone"
    archive.add(dead, Cap("20240401000000", dead))
    archive.faults["available"] = Fault("multiline")
    archive.faults["cdx"] = Fault("down")
    archive.faults["timegate"] = Fault("javascript")
    (tmp_path / "citecheck.toml").write_text(_toml(archive))
    brief_path = tmp_path / "brief.txt"
    brief_path.write_text(BRIEF.format(url=dead))
    fixed = tmp_path / "fixed.txt"
    code, out, err = _cli("--fix-archive", str(fixed), "--as-of", "2026-01-01", str(brief_path))
    assert "Traceback" not in err and code == 1
    assert fixed.read_text() == brief_path.read_text()
    assert "Injected" not in fixed.read_text() and "javascript" not in fixed.read_text()
    code, out, err = _cli("--suggest", "--as-of", "2026-01-01", str(brief_path))
    assert "no replacement can be suggested" in out and "could not be consulted" in out


def test_a_cached_answer_is_checked_as_an_answer_is(archive: FakeArchive, tmp_path: Path) -> None:
    import sqlite3

    archive.add(GONE, Cap("20240401000000", GONE))
    cfg = replace(config(archive), cache=True, cache_dir=str(tmp_path))
    run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)
    with sqlite3.connect(tmp_path / "links.sqlite3") as db:
        for (key, answer) in db.execute("SELECT key, answer FROM archive_lookups").fetchall():
            poisoned = answer.replace(f"{archive.base}/web/", "javascript:alert(1)//")
            db.execute("UPDATE archive_lookups SET answer = ?, stored = 1e300 WHERE key = ?",
                       (poisoned, key))
    again = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)
    assert again.results[GONE].archive.url.startswith(f"{archive.base}/web/")
    assert again.requests > 0  # the poisoned rows were not used
