"""The baseline CI gate: old problems stay reported, only new ones fail the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citecheck.cli import main

DATA = Path(__file__).resolve().parent / "data"
AS_OF = "2025-01-01"
IBID = "2. Ibid., p. 14."
NOTE_3 = '3. Lena Ortiz, "Who Uses Cooling Centers?", Urban Climate Letters 8 (2022): 41–57.'


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:
    code = main(["--offline", "--as-of", AS_OF, "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def findings(report: dict) -> list[tuple[str, bool]]:
    return sorted((f["code"], f["baseline"]) for d in report["documents"] for f in d["findings"])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "briefs").mkdir()
    shutil.copy2(DATA / "broken-ibid.txt", tmp_path / "briefs" / "brief.txt")
    return tmp_path


def test_gate_fails_on_the_new_defect_alone(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    brief = repo / "briefs" / "brief.txt"
    # 1. the brief has an old problem (R202); the team accepts it into a baseline
    code, report, err = check(capsys, "--write-baseline", "baseline.json", "briefs/brief.txt")
    assert code == 0 and findings(report) == [("R202", True)]
    assert "wrote 1 finding to the baseline baseline.json" in err
    code, report, _ = check(capsys, "--baseline", "baseline.json", "briefs/brief.txt")
    assert code == 0 and findings(report) == [("R202", True)]

    # 2. an edit adds a paragraph above everything (every line shifts by two) and a new
    # defect: an access date in the future in note 3
    text = brief.read_text(encoding="utf-8")
    text = text.replace("Priya Natarajan\n", "Priya Natarajan\n\nA new first paragraph.\n", 1)
    text = text.replace(NOTE_3, NOTE_3[:-1] + ", https://ucl.example/ortiz (accessed May 2, 2031).")
    brief.write_text(text, encoding="utf-8")
    code, report, _ = check(capsys, "--baseline", "baseline.json", "briefs/brief.txt")
    assert code == 1
    assert findings(report) == [("D302", False), ("R202", True)]  # old one still reported
    new = [f for d in report["documents"] for f in d["findings"] if not f["baseline"]]
    assert [(f["code"], f["note"]) for f in new] == [("D302", 3)]

    # 3. without the baseline both fail; with --fail-on never nothing does
    assert check(capsys, "briefs/brief.txt")[0] == 1
    assert check(capsys, "--baseline", "baseline.json", "--fail-on", "never",
                 "briefs/brief.txt")[0] == 0


def test_the_baseline_is_found_from_any_folder(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths are stored relative to the baseline file: CI may run from another folder."""
    monkeypatch.chdir(repo)
    assert check(capsys, "--write-baseline", "baseline.json", "briefs/brief.txt")[0] == 0
    monkeypatch.chdir(repo / "briefs")
    code, report, _ = check(capsys, "--baseline", "../baseline.json", "brief.txt")
    assert code == 0 and findings(report) == [("R202", True)]


def test_baseline_file_is_stable_and_reviewable(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    check(capsys, "--write-baseline", "one.json", "briefs/brief.txt")
    check(capsys, "--write-baseline", "two.json", "briefs/brief.txt")
    one = (repo / "one.json").read_text(encoding="utf-8")
    assert one == (repo / "two.json").read_text(encoding="utf-8")
    data = json.loads(one)
    assert data["citecheck_baseline"] == 1
    [entry] = data["findings"]
    assert entry["path"] == "briefs/brief.txt" and entry["code"] == "R202"
    assert entry["note"] == 2 and "Ibid." in entry["message"]


def test_sarif_fingerprints_are_identical_across_runs(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = str(repo / "briefs" / "brief.txt")
    runs = []
    for _ in range(2):
        assert main(["--offline", "--as-of", AS_OF, "--format", "sarif", brief]) == 1
        log = json.loads(capsys.readouterr().out)
        runs.append([r["partialFingerprints"] for r in log["runs"][0]["results"]])
    assert runs[0] == runs[1] and len(runs[0]) == 1


def test_sarif_marks_baseline_state(repo: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    check(capsys, "--write-baseline", "b.json", "briefs/brief.txt")
    code = main(["--offline", "--as-of", AS_OF, "--format", "sarif", "--baseline", "b.json",
                 "briefs/brief.txt"])
    log = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [r["baselineState"] for r in log["runs"][0]["results"]] == ["unchanged"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline file (create it with --write-baseline)"),
        ("{not json", "not a citecheck baseline"),
        ('{"citecheck_baseline": 99}', "not a citecheck baseline (version 1 expected)"),
        ('{"citecheck_baseline": 1, "fingerprint": "v0", "findings": []}',
         "write the baseline again"),
        ('{"citecheck_baseline": 1' + "0" * 5000 + "}", "a number too long to read"),
    ],
)
def test_an_unusable_baseline_is_one_line_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = repo / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, report, err = check(capsys, "--baseline", str(path), str(repo / "briefs" / "brief.txt"))
    assert code == 2 and report == {}
    assert err.count("\n") == 1 and message in err


def test_write_baseline_over_the_baseline_in_use(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refreshing a baseline in place (same file for both flags) needs no existing file."""
    monkeypatch.chdir(repo)
    code, _, _ = check(capsys, "--baseline", "b.json", "--write-baseline", "b.json",
                       "briefs/brief.txt")
    assert code == 0 and (repo / "b.json").exists()


def test_correcting_the_note_after_a_gap_keeps_the_missing_note_old(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """N101 is reported on the next note's line; that note's text is not its identity."""
    monkeypatch.chdir(repo)
    brief = repo / "briefs" / "brief.txt"
    text = brief.read_text(encoding="utf-8").replace("\n3. Lena", "\n4. Lena", 1)
    text = text.replace("\n4. Marco", "\n5. Marco", 1).replace("stops.³", "stops.⁴")
    brief.write_text(text.replace("heat.⁴", "heat.⁵"), encoding="utf-8")
    code, report, _ = check(capsys, "--write-baseline", "baseline.json", "briefs/brief.txt")
    assert code == 0 and ("N101", True) in findings(report)
    brief.write_text(brief.read_text(encoding="utf-8").replace(  # note 4's pages corrected
        "8 (2022): 41–57.\n5", "8 (2022): 41–59.\n5"), encoding="utf-8")
    assert "41–59" in brief.read_text(encoding="utf-8")
    code, report, _ = check(capsys, "--baseline", "baseline.json", "briefs/brief.txt")
    assert code == 0 and all(old for _, old in findings(report))


def test_a_pipe_or_symlink_baseline_is_written_not_replaced(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--write-baseline /dev/stdout or /dev/full must never put a file where the device was."""
    import os
    import stat

    monkeypatch.chdir(repo)
    os.mkfifo("pipe.json")
    reader = os.open("pipe.json", os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, _, _ = check(capsys, "--write-baseline", "pipe.json", "briefs/brief.txt")
        assert code == 0 and stat.S_ISFIFO(os.stat("pipe.json").st_mode)
        assert json.loads(os.read(reader, 65536))["findings"][0]["code"] == "R202"
    finally:
        os.close(reader)
    Path("real.json").write_text("{}")
    Path("link.json").symlink_to("real.json")
    assert check(capsys, "--write-baseline", "link.json", "briefs/brief.txt")[0] == 0
    assert Path("link.json").is_symlink() and "R202" in Path("real.json").read_text()
