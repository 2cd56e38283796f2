"""--fix-archive and --suggest: the edit (pure), the copy on disk, and the CLI end to end."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

import pytest
from fakearchive import Cap, FakeArchive

from citecheck.fix import FixError, apply, plan, targets
from citecheck.model import Document, DocumentReport, LinkResult, Snapshot, Verdict
from citecheck.parse import parse
from citecheck.pipeline import collect_links
from citecheck.readers.text import Source

GONE = "https://gone.example.org/2024/report-on-ports"
SNAP = Snapshot(f"https://web.archive.org/web/20240404101010/{GONE}",
                dt.datetime(2024, 4, 4, 10, 10, 10, tzinfo=dt.UTC), "wayback")


def report_for(text: str, verdict: Verdict = Verdict.DEAD, fmt: str = "text",
               snapshot: Snapshot | None = SNAP) -> DocumentReport:
    doc = parse(Source("brief.txt", fmt, text), path="brief.txt")
    links = collect_links(doc)
    results = {
        link.url: LinkResult(link.url, verdict, archive=snapshot) if "gone" in link.url
        and "web.archive.org" not in link.url else LinkResult(link.url, Verdict.OK)
        for link in links
    }
    return DocumentReport(doc, tuple(links), results)


BRIEF = """Ports matter.[1] Again.[2]

Endnotes

1. Jane Doe, "Ports," <{url}> (accessed April 5, 2024).
2. John Roe, "Ships," {url} (accessed April 6, 2024).
"""


def test_the_snapshot_follows_each_dead_url_and_nothing_else_changes() -> None:
    text = BRIEF.format(url=GONE)
    fixed = apply(text, plan(report_for(text)))
    assert (f"<{GONE}>, archived at <{SNAP.url}> on April 4, 2024 (accessed April 5, 2024)."
            in fixed)
    assert f"{GONE}, archived at {SNAP.url} on April 4, 2024 (accessed April 6, 2024)." in fixed
    assert fixed.replace(f", archived at <{SNAP.url}> on April 4, 2024", "").replace(
        f", archived at {SNAP.url} on April 4, 2024", "") == text


def test_a_url_wrapped_over_two_lines_is_followed_after_its_second_half() -> None:
    text = ("Ports.[1]\n\nEndnotes\n\n1. Jane Doe, \"Ports,\" https://gone.example.org/2024/report-\n"
            "on-ports (accessed April 5, 2024).\n")
    rep = report_for(text)
    assert [link.url for link in rep.links] == [GONE]
    fixed = apply(text, plan(rep))
    assert f"report-\non-ports, archived at {SNAP.url} on April 4, 2024 (accessed" in fixed


def test_markdown_links_stay_links() -> None:
    text = f"Ports.[1]\n\nEndnotes\n\n1. Jane Doe, [Ports]({GONE}) (accessed April 5, 2024).\n"
    rep = report_for(text, fmt="markdown")
    fixed = apply(text, plan(rep))
    assert f"[Ports]({GONE}), archived at <{SNAP.url}> on April 4, 2024" in fixed


def test_only_dead_and_soft_404_links_are_rewritten() -> None:
    text = BRIEF.format(url=GONE)
    assert plan(report_for(text, Verdict.PAYWALL)) == []
    assert plan(report_for(text, Verdict.BLOCKED)) == []
    assert len(plan(report_for(text, Verdict.SOFT_404))) == 2
    assert plan(report_for(text, Verdict.DEAD, snapshot=None)) == []


def test_fixing_a_fixed_copy_changes_nothing() -> None:
    text = BRIEF.format(url=GONE)
    once = apply(text, plan(report_for(text)))
    assert apply(once, plan(report_for(once))) == once


def test_suggestions_name_file_line_note_and_replacement() -> None:
    [first, _] = plan(report_for(BRIEF.format(url=GONE)))
    assert first.describe() == (f"brief.txt:5:24: note 1: {GONE} -> {SNAP.url} "
                                "(archived 2024-04-04)")


def test_the_input_is_never_the_output(tmp_path: Path) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text("x")
    rep = report_for(BRIEF.format(url=GONE))
    rep = DocumentReport(_with_path(rep, str(brief)), rep.links, rep.results)
    with pytest.raises(FixError, match="input"):
        targets([rep], str(brief))
    with pytest.raises(FixError, match="input"):
        targets([rep], str(tmp_path / "." / "brief.txt"))
    assert targets([rep], str(tmp_path / "fixed.txt"))[0][1] == tmp_path / "fixed.txt"


def _with_path(rep: DocumentReport, path: str) -> Document:
    from dataclasses import replace

    return replace(rep.document, path=path)


def _toml(archive: FakeArchive) -> str:
    b = archive.base
    return (
        "allow_private = true\ncache = false\ntimeout = 3.0\nretry_backoff = 0.01\n"
        "network_probe = []\n\n"  # never decide "network down" by asking the internet
        f'[archive]\nwayback_available = "{b}/wayback/available"\n'
        f'wayback_cdx = "{b}/cdx/search/cdx"\ntimegates = ["{b}/tg/"]\n'
        "interval = 0.0\ntimeout = 1.0\ndrift = false\n"
    )


def _cli(*args: str) -> tuple[int, str, str]:
    from citecheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_cli_fix_archive_and_suggest_end_to_end(archive: FakeArchive, tmp_path: Path) -> None:
    dead = f"{archive.base}/live/gone"
    archive.add(dead, Cap("20240401000000", dead), Cap("20240501000000", dead))
    (tmp_path / "citecheck.toml").write_text(_toml(archive))
    brief = tmp_path / "brief.txt"
    original = BRIEF.format(url=dead)
    brief.write_text(original)
    snap = f"{archive.base}/web/20240401000000/{dead}"

    code, out, err = _cli("--suggest", "--as-of", "2026-01-01", str(brief))
    assert code == 1, err  # the dead link (L401) still fails the gate
    assert f"note 1: {dead} -> {snap} (archived 2024-04-01)" in out
    assert "L401" not in out  # the replacements only, not the report

    fixed = tmp_path / "out" / "brief.fixed.txt"
    code, out, err = _cli("--fix-archive", str(fixed), "--format", "json", "--as-of",
                          "2026-01-01", str(brief))
    assert brief.read_text() == original
    assert f"<{dead}>, archived at <{snap}> on April 1, 2024 (accessed" in fixed.read_text()
    assert "2 archived copies added" in err
    assert '"archive": {' in out and '"A501"' in out

    code, _, err = _cli("--fix-archive", str(brief), str(brief))
    assert code == 2 and "input" in err and brief.read_text() == original
    code, _, err = _cli("--suggest", "--offline", str(brief))
    assert code == 2 and "--offline" in err


def test_the_copy_gets_the_users_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from citecheck.fix import write_copy

    old = os.umask(0o027)
    try:
        write_copy("text", tmp_path / "new.txt")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o604)
    write_copy("text", kept)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_text() == "text"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_pipe_or_symlink_destination_is_written_not_replaced(tmp_path: Path) -> None:
    """--fix-archive /dev/stdout (a symlink to a pipe) must not put a file where it was."""
    import os
    import stat

    from citecheck.fix import write_copy

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a writer may now open it
    try:
        write_copy("fixed text", fifo)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert os.read(reader, 100) == b"fixed text"
    finally:
        os.close(reader)
    target = tmp_path / "real.txt"
    target.write_text("old")
    (tmp_path / "link.txt").symlink_to(target)
    write_copy("new", tmp_path / "link.txt")
    assert (tmp_path / "link.txt").is_symlink() and target.read_text() == "new"


@pytest.mark.parametrize("where", ["locked/fixed.txt", "locked/sub/fixed.txt", "file/fixed.txt"])
def test_an_unwritable_destination_is_one_line_exit_2(
    where: str, archive: FakeArchive, tmp_path: Path
) -> None:
    import os

    if os.geteuid() == 0 and where.startswith("locked"):
        pytest.skip("root writes into a read-only folder")
    dead = f"{archive.base}/live/gone"
    archive.add(dead, Cap("20240401000000", dead))
    (tmp_path / "citecheck.toml").write_text(_toml(archive))
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF.format(url=dead))
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked").chmod(0o500)
    (tmp_path / "file").write_text("a file, not a folder")
    try:
        code, _, err = _cli("--fix-archive", str(tmp_path / where), str(brief))
    finally:
        (tmp_path / "locked").chmod(0o700)
    assert code == 2 and "cannot write" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_suggest_says_when_no_archive_could_be_consulted() -> None:
    from dataclasses import replace as with_

    from citecheck.fix import suggestions
    from citecheck.model import Report

    rep = report_for(BRIEF.format(url=GONE), snapshot=None)
    assert suggestions(Report((rep,))) == "no dead or soft-404 link has an archived copy\n"
    down = with_(Report((rep,)), archive_problem="archive could not be consulted (wayback: "
                 "HTTP 503): whether snapshots exist is unknown for 1 link")
    said = suggestions(down)
    assert said.startswith("no replacement can be suggested where the archive could not")
    assert "HTTP 503" in said
