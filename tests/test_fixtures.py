"""Whole briefs in fixtures/, each checked against its hand-written expected result.

Each brief `fixtures/<name>.<txt|md|html|docx|pdf>` has a `fixtures/<name>.expected.json`
written by hand from the spec (DESIGN.md §3, §4, §7), not from citecheck's output: it is the
ground truth the parser and the offline rules are judged against. For a PDF, lines are those
of the text the reader extracts (one line per printed line, running heads dropped). The
test runs the real CLI in-process with the JSON reporter and compares only the fields the
expected file lists:

- notes:    number, line, kind, resolves_to, urls, accessed (in document order)
- markers:  number, line, column (in document order)
- findings: (code, note, line), compared as sorted lists

Conventions the expected files follow: lines and columns are 1-based and columns count
Unicode characters; a note's line is the line holding its number; a marker's column is where
the marker starts (`[` of `[3]`, `^` of `^3`, the first superscript of `¹⁰`, the digit of a
glued PDF marker). N101 is reported at the next existing note after the gap, N102 at the second
note carrying the number, N103/N105 at the offending marker, every other note rule and every
R/D rule at the note's own line.

The as-of date is fixed so that D302 (access date in the future) does not depend on the day
the suite runs.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = ROOT.parent / "shared" / "seeds" / "000_8b1fe2f793e0f8eb.txt"
AS_OF = "2026-11-25"

NOTE_FIELDS = ("number", "line", "kind", "resolves_to", "urls", "accessed")
MARKER_FIELDS = ("number", "line", "column")

EXPECTED = sorted(FIXTURES.glob("*.expected.json"))
BRIEF_SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf")
"""What a fixture brief may be: a file of any format citecheck reads (generators beside
them, such as make_pdfs.py, are not briefs)."""


def brief_of(expected_path: Path) -> Path:
    stem = expected_path.name.replace(".expected.json", "")
    found = [FIXTURES / (stem + s) for s in BRIEF_SUFFIXES if (FIXTURES / (stem + s)).exists()]
    assert len(found) == 1, f"{expected_path.name}: expected one brief, found {found}"
    return found[0]


def run_json(path: Path, args: list[str] | None = None) -> dict:
    """The JSON report for one document, from the CLI as a user runs it (offline), with the
    expected file's `args` (e.g. `--select D304` for a rule that is off by default)."""
    from citecheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--offline", "--format", "json", "--as-of", AS_OF, *(args or []),
                     str(path)])
    # 0: nothing at or above --fail-on; 1: findings. Anything else is a crash or usage error.
    assert code in (0, 1), f"citecheck exited {code} on {path.name}\n{err.getvalue()}"
    report = json.loads(out.getvalue())
    assert report["version"] == 1
    assert len(report["documents"]) == 1
    return report["documents"][0]


def _project(rows: list[dict], fields: tuple[str, ...]) -> list[dict]:
    return [{k: row.get(k) for k in fields} for row in rows]


def _by_position(rows: list[dict], *keys: str) -> list[dict]:
    return sorted(rows, key=lambda r: tuple(r.get(k) or 0 for k in keys))


def _diff(what: str, expected: list, actual: list) -> str:
    exp = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in expected]
    act = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in actual]
    lines = difflib.unified_diff(exp, act, "expected", "citecheck", lineterm="", n=1)
    return f"{what} differ (- expected, + citecheck):\n" + "\n".join(lines)


def _finding_key(f: dict) -> tuple:
    return (f["code"], f["note"], f["line"])


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_fixture(expected_path: Path) -> None:
    brief = brief_of(expected_path)
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    doc = run_json(brief, expected.get("args"))

    problems = []

    want_notes = _by_position(expected["notes"], "line")
    got_notes = _by_position(_project(doc["notes"], NOTE_FIELDS), "line")
    if got_notes != want_notes:
        problems.append(_diff("notes", want_notes, got_notes))

    want_markers = _by_position(expected["markers"], "line", "column")
    got_markers = _by_position(_project(doc["markers"], MARKER_FIELDS), "line", "column")
    if got_markers != want_markers:
        problems.append(_diff("markers", want_markers, got_markers))

    want_findings = sorted((_finding_key(f) for f in expected["findings"]), key=repr)
    got_findings = sorted((_finding_key(f) for f in doc["findings"]), key=repr)
    if got_findings != want_findings:
        messages = {_finding_key(f): f.get("message") for f in doc["findings"]}
        problems.append(
            _diff(
                "findings (code, note, line)",
                [list(f) for f in want_findings],
                [list(f) for f in got_findings],
            )
            + "\nmessages of unexpected findings:\n"
            + "\n".join(f"  {k}: {messages[k]}" for k in got_findings if k not in want_findings)
        )

    assert not problems, f"{brief.name}:\n\n" + "\n\n".join(problems)


def test_every_fixture_has_expected_result() -> None:
    """A brief without its expected file would silently go untested."""
    briefs = {p.stem for p in FIXTURES.iterdir() if p.suffix in BRIEF_SUFFIXES}
    expected = {p.name.replace(".expected.json", "") for p in EXPECTED}
    assert briefs == expected


@pytest.mark.skipif(not SEED.exists(), reason="shared seed brief not present")
def test_seed_brief() -> None:
    """The real issue brief that the design names: superscripts, an Endnotes section,
    "*Ibid.*, p. 9.", a shortened citation in note 4, URLs in <…>, page-break debris."""
    doc = run_json(SEED)
    notes = {n["number"]: n for n in doc["notes"]}

    assert sorted(notes) == [1, 2, 3, 4, 5, 6, 7]
    assert [n["line"] for n in doc["notes"]] == [92, 93, 94, 95, 96, 97, 98]
    assert [(m["number"], m["line"], m["column"]) for m in doc["markers"]] == [
        (1, 29, 363),
        (2, 33, 205),
        (3, 33, 359),
        (4, 35, 343),
        (5, 49, 198),
        (6, 51, 474),
        (7, 75, 511),
    ]

    assert (notes[2]["kind"], notes[2]["resolves_to"]) == ("ibid", 1)
    assert (notes[4]["kind"], notes[4]["resolves_to"]) == ("short", 1)
    for n in (1, 3, 5, 6, 7):
        assert (notes[n]["kind"], notes[n]["resolves_to"]) == ("full", None)

    cited = {n: (notes[n]["urls"], notes[n]["accessed"]) for n in notes if notes[n]["urls"]}
    assert cited == {
        1: (
            ["https://www.mod.go.jp/j/approach/agenda/guideline/pdf/security_strategy_en.pdf"],
            ["2024-04-05"],
        ),
        3: (
            ["https://www.mod.go.jp/j/approach/agenda/guideline/strategy/pdf/strategy_en.pdf"],
            ["2024-04-05"],
        ),
        5: (["https://www.ft.com/content/df99994d-ec4b-4c3c-9c42-738ec9b338d0"], ["2024-04-04"]),
        6: (
            [
                "https://www.japantimes.co.jp/news/2024/03/31/japan/politics/"
                "fumio-kishida-us-state-visit-preview/"
            ],
            ["2024-04-04"],
        ),
        7: (
            ["https://www.heritage.org/defense/report/aukus-good-first-step-it-needs-go-further"],
            ["2024-04-04"],
        ),
    }

    serious = [f for f in doc["findings"] if f["severity"] in ("error", "warning")]
    assert serious == [], serious
