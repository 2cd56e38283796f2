"""Link results to findings (rules/links.py), and the whole online path through the CLI."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pytest
from faultserver import FaultServer

from citecheck import cli
from citecheck.model import Hop, LinkResult, Verdict
from citecheck.readers import read_document
from citecheck.rules import links


@pytest.mark.parametrize(
    ("result", "code"),
    [
        (LinkResult("u", Verdict.DEAD, 404), "L401"),
        (LinkResult("u", Verdict.SOFT_404, 200), "L402"),
        (LinkResult("u", Verdict.PAYWALL, 402), "L403"),
        (LinkResult("u", Verdict.BLOCKED, 403), "L404"),
        (LinkResult("u", Verdict.TIMEOUT), "L405"),
        (LinkResult("u", Verdict.MOVED, 200), "L406"),
        (LinkResult("u", Verdict.ERROR, 500), "L407"),
        (LinkResult("u", Verdict.SKIPPED, reason="invalid-url"), "L408"),
        (LinkResult("u", Verdict.SKIPPED, reason="unsupported-scheme"), "L408"),
        (LinkResult("u", Verdict.SKIPPED, reason="private-address"), "L409"),
        (LinkResult("u", Verdict.SKIPPED, reason="excluded"), None),
        (LinkResult("u", Verdict.SKIPPED, reason="network-down"), None),
        (LinkResult("u", Verdict.OK, 200), None),
    ],
)
def test_rule_for_each_verdict(result: LinkResult, code: str | None) -> None:
    assert links.rule_for(result) == code


def test_messages_and_fixes() -> None:
    moved = LinkResult(
        "http://a.org/old", Verdict.MOVED, 200, "https://a.org/new",
        (Hop("http://a.org/old", 301),), detail="301 moved permanently to https://a.org/new",
    )
    assert links.fix(moved, "L406") == "cite the final URL https://a.org/new"
    since = dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
    dead = LinkResult("u", Verdict.DEAD, 404, detail="404 Not Found", failures=3,
                      failing_since=since)
    assert links.message(dead) == (
        "link is dead: 404 Not Found; failing since 2024-04-01 (3 checks)"
    )
    assert "\x1b" not in links.message(LinkResult("u", Verdict.ERROR, detail="a\x1b[2Jb"))


BRIEF = """Ports matter.¹ Shipping too.² And again.³ Paywalls.⁴ Moved.⁵

Endnotes

1. Author, *Port traffic*, 2024, http://127.0.0.1:{port}/article?{t} (accessed April 5, 2024).
2. Author, *Gone*, 2024, http://127.0.0.1:{port}/gone-404?{t} (accessed April 5, 2024).
3. Ibid.; see also http://127.0.0.1:{port}/gone-404?{t} (accessed April 6, 2024).
4. Author, *Paywalled*, 2024, http://127.0.0.1:{port}/pay-402?{t} (accessed April 5, 2024).
5. Author, *Moved*, 2024, http://127.0.0.1:{port}/r301?{t} (accessed April 5, 2024).
"""


def _brief(tmp_path: Path, server: FaultServer) -> Path:
    path = tmp_path / "brief.txt"
    path.write_text(BRIEF.format(port=server.port, t=uuid.uuid4().hex), encoding="utf-8")
    return path


def test_one_finding_per_citing_note_at_the_url(tmp_path: Path, server: FaultServer) -> None:
    path = _brief(tmp_path, server)
    doc = read_document(str(path))
    gone = next(u.url for n in doc.notes for u in n.urls if "gone-404" in u.url)
    results = {gone: LinkResult(gone, Verdict.DEAD, 404, detail="404 Not Found")}
    found = links.check(doc, results)
    assert [(f.code, f.note) for f in found] == [("L401", 2), ("L401", 3)]
    text = path.read_text(encoding="utf-8").splitlines()
    for f in found:
        assert text[f.line - 1][f.column - 1 :].startswith(gone)


def test_cli_json_links_and_exit_code(tmp_path: Path, server: FaultServer) -> None:
    path = _brief(tmp_path, server)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([
            str(path), "--allow-private", "--no-cache", "--no-archive", "--format", "json",
            "--timeout", "2", "--retries", "1",
        ])
    assert code == 1, err.getvalue()
    doc = json.loads(out.getvalue())["documents"][0]
    by_path = {link["url"].split("?")[0].rsplit("/", 1)[1]: link for link in doc["links"]}
    assert by_path["article"]["verdict"] == "ok"
    assert by_path["gone-404"]["verdict"] == "dead"
    assert by_path["gone-404"]["notes"] == [2, 3]
    assert by_path["pay-402"]["verdict"] == "paywall"
    assert by_path["r301"]["verdict"] == "moved"
    assert by_path["r301"]["final_url"].split("?")[0].endswith("/article")
    codes = sorted((f["code"], f["note"]) for f in doc["findings"] if f["code"][0] == "L")
    assert codes == [("L401", 2), ("L401", 3), ("L403", 4), ("L406", 5)]
    assert err.getvalue() == ""  # no progress bar: stderr is not a terminal
