"""The command line as users run it (DESIGN.md §7, issue 2 item 5): bad input, stdin, the
JSON contract, exit codes, --output, `citecheck rules`, and escaping of document text.

Most cases call `citecheck.cli.main` in-process (fast); a few run the installed console
script in a subprocess to prove the real entry point behaves the same. Every run is
--offline: no test touches the network."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.report import FORMATS
from citecheck.rules.catalogue import RULES

CLEAN = (
    "A claim.¹ Another.² A third.³\n\n"
    "Endnotes\n\n"
    "1. Jane Smith, *Ports and Power* (Harbor Press, 2020), https://example.org/ports "
    "(accessed April 5, 2024).\n"
    "2. Ibid., p. 9.\n"
    "3. Smith, *Ports*, p. 12.\n"
)
WARNING_ONLY = "A claim.¹\n\nNotes\n\n1. Smith, Report, 2020.\n2. Jones, Paper, 2021.\n"  # N104
INFO_ONLY = "A paragraph of body text without any notes.\n"  # N106
ERROR = "A claim.¹ Another.²\n\nNotes\n\n1. Ibid., p. 4.\n2. Smith, Report, 2020.\n"  # R201
GARBAGE_NOTES = "A claim.¹\n\nNotes\n\n" + "\n".join(
    "#$%^&*(){}|<>?~`!@#$%^&*()_+{}|:<>?~" for _ in range(20)
) + "\n"


def write(tmp_path: Path, text: str | bytes, name: str = "brief.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--offline", "--no-config", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_error_line(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("citecheck: error: ")
    assert "Traceback" not in err


# Bad input: exit 2, one line on stderr, nothing on stdout.

BAD_INPUTS = {
    "directory": None,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    "utf16-broken": b"\xff\xfeA\x00\x00\xd8",
    "empty": b"",
    "whitespace": b"   \n\t\n  \n",
    "nul-bytes": b"A claim\x00\x00\x00 binary\x00\n" * 10,
    "garbage-notes": GARBAGE_NOTES.encode(),
}


@pytest.mark.parametrize("kind", [*BAD_INPUTS, "missing"])
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind == "missing":
        path = tmp_path / "nope.txt"
    elif kind == "directory":
        path = tmp_path / "adir"
        path.mkdir()
    else:
        path = write(tmp_path, BAD_INPUTS[kind])
    code, out, err = run(capsys, str(path))
    assert code == 2
    assert out == ""
    assert_one_error_line(err)
    assert path.name in err


def test_too_large_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("citecheck.readers.files.MAX_BYTES", 1000)
    path = write(tmp_path, CLEAN * 10)
    assert path.stat().st_size > 1000
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == ""
    assert_one_error_line(err)
    assert "too large" in err


def test_too_large_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("citecheck.readers.files.MAX_BYTES", 1000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((CLEAN * 10).encode())))
    code, out, err = run(capsys, "-")
    assert code == 2 and out == ""
    assert_one_error_line(err)


def test_error_line_is_one_line_and_escaped_for_a_hostile_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil\x1b[31m\nname.txt"
    code, out, err = run(capsys, str(path))
    assert out == ""
    assert code == 2
    assert_one_error_line(err)
    assert "\x1b" not in err


def test_no_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert out == ""
    assert code == 2
    assert_one_error_line(err)


@pytest.mark.parametrize(
    "args",
    [
        ["--fail-on", "bogus"],
        ["--format", "yaml"],
        ["--as-of", "April 5"],
        ["--no-such-flag"],
    ],
)
def test_bad_flags_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    path = write(tmp_path, CLEAN)
    code, out, err = run(capsys, *args, str(path))
    assert out == ""
    assert code == 2
    assert_one_error_line(err)


def test_second_file_bad_still_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, CLEAN)
    code, out, err = run(capsys, str(good), str(tmp_path / "missing.txt"))
    assert out == ""
    assert code == 2
    assert_one_error_line(err)


# Input is only read.


def test_input_file_is_not_modified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, ERROR)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    for fmt in ("text", "json"):
        code, _, _ = run(capsys, "--format", fmt, str(path))
        assert code == 1
    report = tmp_path / "report.json"
    run(capsys, "--format", "json", "-o", str(report), str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.txt", "report.json"]


def test_output_onto_the_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, ERROR)
    before = path.read_bytes()
    code, _, err = run(capsys, "-o", str(path), str(path))
    assert path.read_bytes() == before
    assert code == 2
    assert_one_error_line(err)


# stdin.


def test_dash_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ERROR.encode("utf-8"))))
    code, out, err = run(capsys, "--format", "json", "-")
    assert err == ""
    assert code == 1
    [doc] = json.loads(out)["documents"]
    assert doc["path"] in ("-", "<stdin>")
    assert [n["number"] for n in doc["notes"]] == [1, 2]
    assert [(f["code"], f["note"], f["line"]) for f in doc["findings"]] == [("R201", 1, 5)]


def test_dash_with_windows_1252_stdin_is_read_with_a_note(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Word's "Plain Text" export: curly quotes and a dash in Windows-1252, not UTF-8."""
    brief = ("Growth slowed.\u00b9\n\nNotes\n\n1. Jane Smith, \u201cPorts\u201d \u2013 a "
             "report, 2020.\n").encode("cp1252")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(brief)))
    code, out, err = run(capsys, "--offline", "--format", "json", "-")
    assert code == 0, err
    doc = json.loads(out)["documents"][0]
    assert doc["encoding"] == "cp1252"
    assert "\u201cPorts\u201d \u2013" in doc["notes"][0]["text"]
    assert err == "citecheck: <stdin>: not UTF-8; read as Windows-1252 (--encoding names another)\n"


def test_encoding_flag_forces_a_codec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes("A claim [1].\n\nNotes\n\n1. \u0160koda, Report, 2020.\n".encode("cp1250"))
    code, out, err = run(capsys, "--offline", "--format", "json", "--encoding", "cp1250",
                         str(path))
    assert code == 0 and err == ""
    doc = json.loads(out)["documents"][0]
    assert (doc["encoding"], doc["notes"][0]["text"][:5]) == ("cp1250", "\u0160koda")
    code, out, err = run(capsys, "--offline", "--encoding", "utf-8", str(path))
    assert code == 2 and "not valid utf-8 (byte 0x" in err


# The JSON contract (DESIGN.md §7).

CONTRACT = (
    "A claim.¹ Another.² Third.³\n\n"
    "Endnotes\n\n"
    "1. Jane Smith, *Ports and Power* (Harbor Press, 2020), https://example.org/ports "
    "(accessed April 5, 2024).\n"
    "2. Ibid., p. 9, https://example.org/ports (accessed May 1, 2024).\n"
    "1. Duplicate, Report, 2021.\n"
)


def test_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, CONTRACT)
    code, out, err = run(capsys, "--format", "json", "--as-of", "2025-01-01", str(path))
    assert err == ""
    assert code == 1
    report = json.loads(out)
    assert report["version"] == 1
    assert {"version", "documents", "summary"} <= report.keys()
    [doc] = report["documents"]
    assert {"path", "notes", "markers", "links", "findings"} <= doc.keys()
    assert doc["path"] == str(path)

    notes = doc["notes"]
    for n in notes:
        assert {"number", "line", "kind", "resolves_to", "urls", "accessed"} <= n.keys()
    assert [(n["number"], n["line"], n["kind"], n["resolves_to"]) for n in notes] == [
        (1, 5, "full", None),
        (2, 6, "ibid", 1),
        (1, 7, "full", None),
    ]
    assert notes[0]["urls"] == ["https://example.org/ports"]
    assert notes[0]["accessed"] == ["2024-04-05"]
    assert notes[1]["accessed"] == ["2024-05-01"]
    assert notes[2]["urls"] == [] and notes[2]["accessed"] == []

    assert [{k: m[k] for k in ("number", "line", "column")} for m in doc["markers"]] == [
        {"number": 1, "line": 1, "column": 9},
        {"number": 2, "line": 1, "column": 19},
        {"number": 3, "line": 1, "column": 27},
    ]

    [link] = doc["links"]
    assert {"url", "notes", "verdict", "status", "final_url", "archive"} <= link.keys()
    assert link["url"] == "https://example.org/ports"
    assert link["notes"] == [1, 2]
    assert link["verdict"] == "skipped"  # --offline
    assert link["status"] is None and link["archive"] is None

    fields = {"code", "severity", "message", "line", "column", "note", "url", "fix"}
    for f in doc["findings"]:
        assert fields <= f.keys()
        assert f["severity"] in ("error", "warning", "info")
        assert isinstance(f["line"], int) and isinstance(f["column"], int)
    assert sorted((f["code"], f["note"], f["line"]) for f in doc["findings"]) == [
        ("N102", 1, 7),
        ("N103", 3, 1),
    ]

    summary = report["summary"]
    assert set(summary) >= {"error", "warning", "info"}
    assert summary == {
        "error": sum(f["severity"] == "error" for f in doc["findings"]),
        "warning": sum(f["severity"] == "warning" for f in doc["findings"]),
        "info": sum(f["severity"] == "info" for f in doc["findings"]),
    }
    assert summary["error"] == 2


def test_json_named_markdown_footnote_number_is_a_string(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "Text.[^smith]\n\n## Notes\n\n[^smith]: Smith, Report, 2020.\n",
                 name="brief.md")
    code, out, _ = run(capsys, "--format", "json", str(path))
    doc = json.loads(out)["documents"][0]
    assert [n["number"] for n in doc["notes"]] == ["smith"]
    assert [m["number"] for m in doc["markers"]] == ["smith"]
    assert code == 0


def test_json_two_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path, CLEAN, "a.txt")
    b = write(tmp_path, ERROR, "b.txt")
    code, out, _ = run(capsys, "--format", "json", str(a), str(b))
    report = json.loads(out)
    assert [d["path"] for d in report["documents"]] == [str(a), str(b)]
    assert report["documents"][0]["findings"] == []
    assert report["summary"]["error"] == 1
    assert code == 1


# Exit codes and --fail-on.


@pytest.mark.parametrize(
    ("text", "fail_on", "expected"),
    [
        (CLEAN, "error", 0),
        (CLEAN, "info", 0),
        (ERROR, None, 1),
        (ERROR, "error", 1),
        (ERROR, "warning", 1),
        (ERROR, "never", 0),
        (WARNING_ONLY, None, 0),
        (WARNING_ONLY, "error", 0),
        (WARNING_ONLY, "warning", 1),
        (WARNING_ONLY, "info", 1),
        (WARNING_ONLY, "never", 0),
        (INFO_ONLY, "warning", 0),
        (INFO_ONLY, "info", 1),
        (INFO_ONLY, "never", 0),
    ],
)
def test_exit_codes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    fail_on: str | None,
    expected: int,
) -> None:
    path = write(tmp_path, text)
    args = ["--fail-on", fail_on] if fail_on else []
    code, out, err = run(capsys, *args, str(path))
    assert code == expected, out + err
    assert "Traceback" not in err


def test_clean_brief_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, CLEAN)
    code, out, err = run(capsys, str(path))
    assert "Traceback" not in err
    assert code == 0
    assert "No problems found" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_text_report_shows_location_code_and_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, ERROR)
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert f"{path}:5:1" in out
    assert "R201" in out and "error" in out
    assert "fix:" in out
    assert "note 1" in out


# --output.


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    path = write(tmp_path, ERROR)
    dest = tmp_path / f"out.{fmt}"
    code, out, err = run(capsys, "--format", fmt, "-o", str(dest), str(path))
    assert err == ""
    assert code == 1
    assert out == ""
    written = dest.read_text(encoding="utf-8")
    assert "R201" in written
    if fmt == "json":
        assert json.loads(written)["summary"]["error"] == 1
    else:
        assert "\x1b[" not in written


def test_output_to_unwritable_place_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, ERROR)
    code, out, err = run(capsys, "-o", str(tmp_path / "no" / "such" / "dir.txt"), str(path))
    assert out == ""
    assert code == 2
    assert_one_error_line(err)


# `citecheck rules`.


def test_rules_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for code, rule in RULES.items():
        assert code in out, code
        assert rule.name in out
    for code in ("N101", "N106", "R201", "R206", "D301", "D304"):
        assert code in out


@pytest.mark.parametrize("code", ["R202", "r202"])
def test_rules_code_explains_one(capsys: pytest.CaptureFixture[str], code: str) -> None:
    assert main(["rules", code]) == 0
    out = capsys.readouterr().out
    assert out.startswith("R202 ibid-ambiguous")
    headings = ["What it does", "Why it matters", "Example (fails)", "Example (passes)", "Fix"]
    positions = [out.index(f"\n{h}\n") for h in headings]
    assert positions == sorted(positions)
    assert RULES["R202"].bad.splitlines()[0].strip() in out


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_documentation(capsys: pytest.CaptureFixture[str], code: str) -> None:
    assert main(["rules", code]) == 0
    out = capsys.readouterr().out
    rule = RULES[code]
    assert rule.why and rule.bad and rule.good and rule.fix
    assert rule.bad != rule.good
    assert "Example (fails)" in out and "Example (passes)" in out


def test_rules_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "XYZ"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_one_error_line(captured.err)


# Escape sequences in document text never reach the output raw.

HOSTILE = (
    "A claim.¹ Another.²\n\nNotes\n\n"
    "1. Jane Smith, *Ports \x1b[31mand\x1b[0m Power* (Press, 2020), "
    "https://example.org/a (accessed February 30, 2024).\n"
    "2. \x1b]0;pwned\x07Zed\x1b[2J\u202e, supra note 1.\n"
)
RAW = ("\x1b", "\x07", "\u202e")


@pytest.mark.parametrize("verbose", [False, True])
def test_text_report_escapes_control_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], verbose: bool
) -> None:
    path = write(tmp_path, HOSTILE)
    code, out, err = run(capsys, *(["-v"] if verbose else []), str(path))
    assert code == 1
    assert "R205" in out  # the hostile author is quoted in the message
    for raw in RAW:
        assert raw not in out and raw not in err
    assert "\\x1b]0;pwned\\x07Zed\\x1b[2J" in out
    if verbose:
        assert "Ports \\x1b[31mand\\x1b[0m Power" in out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_format_lets_escape_or_bell_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = write(tmp_path, HOSTILE)
    code, out, err = run(capsys, "-v", "--format", fmt, str(path))
    assert code == 1
    assert out
    assert "\x1b" not in out and "\x07" not in out
    assert "\x1b" not in err and "\x07" not in err


def test_json_keeps_the_text_but_encodes_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, HOSTILE)
    _, out, _ = run(capsys, "--format", "json", str(path))
    assert "\x1b" not in out
    doc = json.loads(out)["documents"][0]
    r205 = [f for f in doc["findings"] if f["code"] == "R205"]
    assert r205 and "\x1b]0;pwned" in r205[0]["message"]


# The installed console script.


def console_script() -> str:
    here = Path(sysconfig.get_path("scripts")) / "citecheck"
    found = str(here) if here.exists() else shutil.which("citecheck")
    assert found, "the citecheck console script is not installed (pip install -e .)"
    return found


def script(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITECHECK")}
    return subprocess.run(
        [console_script(), "--offline", "--no-config", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=env,
        cwd=cwd,
    )


def test_console_script_json_and_exit_1(tmp_path: Path) -> None:
    path = write(tmp_path, ERROR)
    proc = script("--format", "json", str(path))
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert [(f["code"], f["line"]) for f in doc["findings"]] == [("R201", 5)]


def test_console_script_stdin(tmp_path: Path) -> None:
    proc = script("--format", "json", "-", stdin=CLEAN.encode("utf-8"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert [n["kind"] for n in doc["notes"]] == ["full", "ibid", "short"]


@pytest.mark.parametrize("kind", ["missing", "png", "utf16-broken"])
def test_console_script_bad_input(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nope.txt" if kind == "missing" else write(tmp_path, BAD_INPUTS[kind])
    proc = script(str(path))
    assert proc.returncode == 2
    assert proc.stdout == b""
    err = proc.stderr.decode("utf-8")
    assert_one_error_line(err)


def test_console_script_rules_unknown() -> None:
    proc = subprocess.run([console_script(), "rules", "XYZ"], capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert_one_error_line(proc.stderr.decode("utf-8"))
