"""Inputs: folders searched recursively, quoted globs, --exclude-path, files without notes
listed once, unreadable found files skipped (citecheck.inputs, the pipeline, the reports)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citecheck.cli import main

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "pubs"
    (root / "2024" / "drafts").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy2(DATA / "broken-ibid.txt", root / "2024" / "brief.txt")
    shutil.copy2(DATA / "clean-brief.txt", root / "clean.md")
    (root / "2024" / "drafts" / "draft.txt").write_text("Draft.¹\n\nNotes\n\n1. Ibid.\n")
    (root / "memo.txt").write_text("A memo without notes.\n")
    (root / "letter.md").write_text("# A letter\n\nNo notes here.\n")
    (root / "empty.txt").write_text("")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / ".git" / "notes.txt").write_text("1. Ibid.\n")
    return root


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:
    code = main(["--offline", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def test_a_folder_is_searched_for_what_citecheck_reads(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, err = _json(capsys, str(folder))
    assert code == 1, err
    paths = sorted(Path(d["path"]).relative_to(folder).as_posix() for d in report["documents"])
    assert paths == ["2024/brief.txt", "2024/drafts/draft.txt", "clean.md", "letter.md",
                     "memo.txt"]
    assert sorted(Path(p).name for p in report["without_notes"]) == ["letter.md", "memo.txt"]
    assert [s["path"] for s in report["skipped"]] == [str(folder / "empty.txt")]
    codes = [f["code"] for d in report["documents"] for f in d["findings"]]
    assert "N106" not in codes and "R201" in codes and "R202" in codes


def test_exclude_path_and_a_quoted_glob(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for glob in ("drafts/*", "drafts", "drafts/", "2024/drafts/"):  # a folder, .gitignore-style
        _, report, _ = _json(capsys, "--exclude-path", glob, str(folder))
        assert not any("draft" in d["path"] for d in report["documents"]), glob
    _, report, _ = _json(capsys, str(folder / "**" / "*.txt"), "--exclude-path", "memo.txt")
    names = sorted(Path(d["path"]).name for d in report["documents"])
    assert names == ["brief.txt", "draft.txt"]


def test_text_report_lists_files_without_notes_once(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--offline", str(folder)])
    out = capsys.readouterr().out
    assert "2 files without notes: " in out and "N106" not in out
    assert f"skipped {folder / 'empty.txt'}: is empty" in out


def test_a_named_file_still_stops_the_run(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--offline", str(folder / "empty.txt"), str(folder / "memo.txt")])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == f"citecheck: error: {folder / 'empty.txt'}: is empty"
    code = main(["--offline", str(folder / "memo.txt")])
    assert code == 0 and "N106" in capsys.readouterr().out  # named: its own finding


def test_empty_folder_and_unmatched_glob(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--offline", str(tmp_path)]) == 2
    assert "holds no file citecheck reads" in capsys.readouterr().err
    assert main(["--offline", str(tmp_path / "*.md")]) == 2
    assert "matches no file" in capsys.readouterr().err


def test_a_file_named_like_a_command_is_checked_as_a_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy2(DATA / "broken-ibid.txt", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    assert main(["--offline", "-q", "./rules"]) == 1
    assert "R202" in capsys.readouterr().out
    assert main(["rules"]) == 0
    assert "N101" in capsys.readouterr().out


def test_a_folder_input_finds_the_configuration_inside_it(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "citecheck.toml").write_text('ignore = ["R"]\n', encoding="utf-8")
    code, report, err = _json(capsys, str(folder))
    assert code == 0, err
    assert not [f for d in report["documents"] for f in d["findings"]]


def test_every_format_names_a_skipped_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = str(folder / "empty.txt")
    for fmt in ("github", "markdown", "sarif"):
        main(["--offline", "--format", fmt, str(folder)])
        out, err = capsys.readouterr()
        assert empty.replace(":", "%3A") in out or empty in out, fmt
        assert err.count(f"skipped {empty}: is empty") == 1
