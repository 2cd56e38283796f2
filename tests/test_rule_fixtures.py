"""The catalogue is the single source of truth: every stable rule fires on a fixture.

Offline rules fire on the briefs of fixtures/ (each with its hand-written expected file,
tests/test_fixtures.py); rules that need the network fire on the briefs of fixtures/online/,
run here through the CLI against the loopback fault server (tests/net/faultserver.py) and the
fake archive (tests/archive/fakearchive.py), each with its expected findings. A rule marked
stable in the catalogue without a fixture that makes it fire fails this test; a planned rule
must fire nowhere.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.rules.catalogue import RULES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
ONLINE = FIXTURES / "online"
sys.path[:0] = [str(ROOT / "tests" / "net"), str(ROOT / "tests" / "archive")]

from fakearchive import Cap, FakeArchive  # noqa: E402
from faultserver import FaultServer  # noqa: E402
from pages import ARTICLE, REWRITTEN, html  # noqa: E402


def _run(argv: list[str]) -> tuple[int, dict, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, json.loads(out.getvalue()) if out.getvalue() else {}, err.getvalue()


def _found(report: dict) -> list[tuple[str, object]]:
    return sorted(((f["code"], f["note"]) for d in report["documents"] for f in d["findings"]),
                  key=str)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[FaultServer, FakeArchive]]:
    fault, archive = FaultServer().start(), FakeArchive().start()
    yield fault, archive
    fault.stop()
    archive.stop()


def _config(tmp: Path, archive: FakeArchive, **extra: str) -> Path:
    lines = ["allow_private = true", "cache = false", "timeout = 0.5", "connect_timeout = 0.5",
             "retries = 0", "retry_backoff = 0.01", "network_probe = []", "as_of = 2026-11-25",
             *[f"{k} = {v}" for k, v in extra.items()],
             "[archive]", f'wayback_available = "{archive.base}/wayback/available"',
             f'wayback_cdx = "{archive.base}/cdx/search/cdx"',
             f'timegates = ["{archive.base}/tg/"]',
             "interval = 0.0", "timeout = 1.0", "retries = 0", "max_retry_after = 1.0"]
    path = tmp / "citecheck.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _brief(tmp: Path, name: str, fault: FaultServer, archive: FakeArchive) -> Path:
    text = (ONLINE / name).read_text(encoding="utf-8")
    path = tmp / name
    base = f"http://127.0.0.1:{fault.port}"
    path.write_text(text.replace("{fault}", base).replace("{archive}", archive.base),
                    encoding="utf-8")
    return path


def _expected(name: str) -> list[tuple[str, object]]:
    data = json.loads((ONLINE / name.replace(".txt", ".expected.json")).read_text())
    return sorted(((f["code"], f["note"]) for f in data["findings"]), key=str)


def _online_codes(tmp: Path, servers: tuple[FaultServer, FakeArchive]) -> set[str]:
    fault, archive = servers
    fired: set[str] = set()

    # Links and archives: one run over a brief with every kind of broken link.
    work = tmp / "links"
    work.mkdir()
    brief = _brief(work, "links.txt", fault, archive)
    gone = f"http://127.0.0.1:{fault.port}/gone-404?n=2"
    archive.add(gone, Cap("20240401000000", gone))
    live = f"{archive.base}/live/article"
    archive.live["article"] = (200, html(REWRITTEN))
    archive.add(live, Cap("20240401000000", live, body=html(ARTICLE)))
    code, report, err = _run(["--config", str(_config(work, archive)), "--format", "json",
                              str(brief)])
    assert code == 1, err
    assert _found(report) == _expected("links.txt"), err
    fired |= {c for c, _ in _found(report)}

    # A private address is never fetched (L409): the same configuration without
    # allow_private.
    work = tmp / "private"
    work.mkdir()
    brief = _brief(work, "private-target.txt", fault, archive)
    config = _config(work, archive)
    config.write_text(config.read_text().replace("allow_private = true", "allow_private = false"))
    code, report, err = _run(["--config", str(config), "--format", "json", str(brief)])
    assert _found(report) == _expected("private-target.txt"), err
    fired |= {c for c, _ in _found(report)}

    # An archive that cannot be consulted (A504), never turned into A502.
    work = tmp / "down"
    work.mkdir()
    brief = _brief(work, "archive-down.txt", fault, archive)
    from fakearchive import Fault

    for endpoint in ("available", "cdx", "timegate"):
        archive.faults[endpoint] = Fault("down")
    code, report, err = _run(["--config", str(_config(work, archive)), "--format", "json",
                              str(brief)])
    archive.faults.clear()
    assert _found(report) == _expected("archive-down.txt"), err
    fired |= {c for c, _ in _found(report)}

    # Quotations (Q601, Q602): the quotations brief over its sources on a site of its own
    # (tests/quotes checks every one of its cases; here only that its rules fire).
    sys.path.insert(0, str(Path(__file__).parent / "quotes"))
    from siteserver import Site

    site = Site().start()
    try:
        work = tmp / "quotes"
        work.mkdir()
        brief = work / "brief.txt"
        brief.write_text((FIXTURES / "quotes" / "brief.txt").read_text(encoding="utf-8")
                         .replace("{site}", site.base), encoding="utf-8")
        code, report, err = _run(["--config", str(_config(work, archive)), "--format", "json",
                                  str(brief)])
    finally:
        site.stop()
    quoted = {(c, n) for c, n in _found(report) if c.startswith("Q")}
    assert {("Q601", 4), ("Q601", 5), ("Q602", 8)} <= quoted, err
    fired |= {c for c, _ in quoted}
    return fired


def _offline_codes() -> set[str]:
    fired: set[str] = set()
    for expected in sorted(FIXTURES.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        # the brief beside it, whatever its format (stem.txt, stem.md, stem.html, stem.pdf…)
        [brief] = [p for p in FIXTURES.glob(f"{stem}.*") if p != expected]
        args = json.loads(expected.read_text(encoding="utf-8")).get("args", [])
        code, report, err = _run(["--offline", "--format", "json", "--as-of", "2026-11-25",
                                  *args, str(brief)])
        assert code in (0, 1), err
        fired |= {c for c, _ in _found(report)}
    return fired


def test_every_stable_rule_fires_on_a_fixture(
    tmp_path: Path, servers: tuple[FaultServer, FakeArchive]
) -> None:
    fired = _offline_codes() | _online_codes(tmp_path, servers)
    stable = {code for code, rule in RULES.items() if rule.status == "stable"}
    assert not stable - fired, f"stable rules with no fixture that fires them: {stable - fired}"
    planned = {code for code, rule in RULES.items() if rule.status == "planned"}
    assert not planned & fired, "a planned rule fired: mark it stable or preview"


def test_statuses_are_known_and_planned_rules_are_not_in_the_readme_table() -> None:
    from citecheck.report.rules_table import markdown_table
    from citecheck.rules.catalogue import STATUSES

    assert {r.status for r in RULES.values()} <= set(STATUSES)
    table = markdown_table().split("\n\n")[0]
    assert "`L401`" in table
    for code, rule in RULES.items():
        assert (f"`{code}`" in table) == (rule.status != "planned"), code
