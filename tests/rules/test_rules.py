"""Each offline rule (DESIGN.md §4) on the smallest brief that triggers it, and the
--select/--ignore logic that decides which rules report."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.model import Finding
from citecheck.parse import parse
from citecheck.readers.text import Source
from citecheck.rules import offline
from citecheck.rules.catalogue import RULES
from citecheck.rules.selection import Selection, unknown_codes

AS_OF = dt.date(2025, 1, 1)


def check(
    text: str,
    *,
    as_of: dt.date = AS_OF,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> list[Finding]:
    d = parse(Source("b.txt", "text", text))
    found = list(d.problems) + offline.check(d, as_of=as_of)
    return Selection.of(select, ignore).apply(found)


def keys(findings: list[Finding]) -> list[tuple[str, int | str | None, int]]:
    return sorted((f.code, f.note, f.line) for f in findings)


def brief(body: str, *notes: str) -> str:
    return body + "\n\nNotes\n\n" + "\n".join(notes) + "\n"


CASES = {
    # code: (brief, expected (code, note, line) findings)
    "N101": (brief("A.¹ B.³", "1. Smith, Report, 2020.", "3. Jones, Paper, 2021."),
             [("N101", 2, 6)]),
    "N102": (brief("A.¹", "1. Smith, Report, 2020.", "1. Jones, Paper, 2021."),
             [("N102", 1, 6)]),
    "N103": (brief("A.¹ B.⁷", "1. Smith, Report, 2020."), [("N103", 7, 1)]),
    "N104": (brief("A.¹", "1. Smith, Report, 2020.", "2. Jones, Paper, 2021."),
             [("N104", 2, 6)]),
    "N105": (brief("A.² B.¹", "1. Smith, Report, 2020.", "2. Jones, Paper, 2021."),
             [("N105", 2, 1)]),
    "N106": ("A paragraph of body text without any notes.\n", [("N106", None, 1)]),
    "R201": (brief("A.¹ B.²", "1. Ibid., p. 4.", "2. Smith, Report, 2020."),
             [("R201", 1, 5)]),
    "R202": (brief("A.¹ B.²", "1. Smith, *Ports* (Press, 2020); Jones, *Ships* (Sea, 2019).",
                   "2. Ibid., p. 4."), [("R202", 2, 6)]),
    "R203": (brief("A.¹ B.² C.³", "1. Smith, *Ports* (Press, 2020); Jones, *Ships* (Sea, 2019).",
                   "2. Ibid.", "3. Ibid., p. 4."), [("R202", 2, 6), ("R203", 3, 7)]),
    "R204": (brief("A.¹ B.²", "1. Smith, *Ports* (Press, 2020).", "2. Lee, supra note 5."),
             [("R204", 2, 6)]),
    "R205": (brief("A.¹ B.²", "1. Smith, *Ports* (Press, 2020).", "2. Lee, supra note 1."),
             [("R205", 2, 6)]),
    "R206": (brief("A.¹ B.²", "1. Smith, *Ports* (Press, 2020).", "2. Brown, *Ships*, p. 4."),
             [("R206", 2, 6)]),
    "D301": (brief("A.¹", "1. Smith, Report, 2020, https://example.org/a "
                   "(accessed February 30, 2024)."), [("D301", 1, 5)]),
    "D303": (brief("A.¹", "1. Smith, Report, June 5, 2024, https://example.org/a "
                   "(accessed April 5, 2024)."), [("D303", 1, 5)]),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_where_planted(code: str) -> None:
    text, expected = CASES[code]
    found = check(text)
    assert keys(found) == sorted(expected)
    for f in found:
        assert f.severity is RULES[f.code].severity
        assert f.path == "b.txt"
        assert f.message
        assert f.fix, f"{f.code} gives no fix"


def test_n103_and_n105_point_at_the_marker_column() -> None:
    [n103] = check(CASES["N103"][0])
    assert n103.column == len("A.¹ B.") + 1
    [n105] = check(CASES["N105"][0])
    assert n105.column == len("A.") + 1


def test_n106_unreadable_section_points_at_the_heading() -> None:
    found = check("Body text.¹\n\nEndnotes\n\nThese are thoughts without numbers.\n")
    # The marker cites a note that was not read: never a silent pass (N107).
    assert sorted((f.code, f.line, f.severity.value) for f in found) == [
        ("N106", 3, "info"), ("N107", 1, "error")]


def test_d301_unreadable_month() -> None:
    found = check(brief("A.¹", "1. Smith, Report, 2020, https://example.org/a "
                        "(accessed Febuary 5, 2024)."))
    assert keys(found) == [("D301", 1, 5)]
    assert "Febuary 5, 2024" in found[0].message


def test_d301_column_is_the_date() -> None:
    note = "1. Smith, Report, 2020, https://example.org/a (accessed February 30, 2024)."
    [f] = check(brief("A.¹", note))
    assert f.column == note.index("February") + 1


D302_BRIEF = brief("A.¹", "1. Smith, Report, 2020, https://example.org/a "
                   "(accessed March 3, 2025).")


def test_d302_future_relative_to_as_of() -> None:
    assert keys(check(D302_BRIEF, as_of=dt.date(2025, 3, 2))) == [("D302", 1, 5)]


def test_d302_not_on_the_as_of_day_itself() -> None:
    assert check(D302_BRIEF, as_of=dt.date(2025, 3, 3)) == []


def test_d302_via_cli_as_of(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text(D302_BRIEF, encoding="utf-8")
    early = run_cli("--as-of", "2025-03-02", str(path))
    late = run_cli("--as-of", "2025-03-03", str(path))
    assert [f["code"] for f in early[1]["documents"][0]["findings"]] == ["D302"]
    assert early[0] == 1
    assert late[1]["documents"][0]["findings"] == [] and late[0] == 0


def test_d303_compares_at_the_coarser_precision() -> None:
    same_year = brief("A.¹", "1. Smith, Report, 2024, https://example.org/a "
                      "(accessed April 5, 2024).")
    assert check(same_year) == []
    year_before = brief("A.¹", "1. Smith, Report, 2024, https://example.org/a "
                        "(accessed April 5, 2023).")
    assert keys(check(year_before)) == [("D303", 1, 5)]


D304_BRIEF = brief("A.¹", "1. Smith, Report, 2020, https://example.org/a.")


def test_d304_is_off_by_default() -> None:
    assert check(D304_BRIEF) == []
    assert RULES["D304"].enabled is False


def test_d304_with_select() -> None:
    [f] = check(D304_BRIEF, select=("D304",))
    assert (f.code, f.note, f.line, f.url) == ("D304", 1, 5, "https://example.org/a")
    assert f.column == D304_BRIEF.splitlines()[4].index("https") + 1


def test_d304_not_for_a_url_with_an_access_date() -> None:
    text = brief("A.¹", "1. Smith, Report, 2020, https://example.org/a (accessed May 1, 2024).")
    assert check(text, select=("D304",)) == []


def test_clean_brief_has_no_findings_at_all() -> None:
    text = brief(
        "A claim.¹ Another.² A third.³",
        "1. Jane Smith, *Ports and Power* (Harbor Press, 2020), https://example.org/ports "
        "(accessed April 5, 2024).",
        "2. Ibid., p. 9.",
        "3. Smith, *Ports*, p. 12.",
    )
    assert check(text, select=("ALL",)) == []


# Selection: --select / --ignore by code prefix, the longest prefix wins.

ALL_OFFLINE = brief(
    "A.¹ B.² C.⁹",
    "1. Ibid., p. 4.",
    "2. Smith, Report, 2020, https://example.org/a (accessed February 30, 2024).",
    "2. Jones, Paper, 2021, https://example.org/b.",
)


def codes_with(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> set[str]:
    return {f.code for f in check(ALL_OFFLINE, select=select, ignore=ignore)}


def test_all_offline_brief_fires_several_groups() -> None:
    assert codes_with() == {"N102", "N103", "R201", "D301"}


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (("N",), (), {"N102", "N103"}),
        (("N103",), (), {"N103"}),
        (("n1",), (), {"N102", "N103"}),
        ((), ("N",), {"R201", "D301"}),
        ((), ("N103", "R"), {"N102", "D301"}),
        (("N",), ("N10",), set()),
        (("N103",), ("N",), {"N103"}),
        (("N",), ("N103",), {"N102"}),
        (("D",), ("D30",), set()),
        (("D301",), ("D3",), {"D301"}),
        (("D304",), (), {"D304"}),
        (("D304",), ("D",), {"D304"}),
        (("N", "D304"), (), {"N102", "N103", "D304"}),
        (("ALL",), ("R201", "N102", "N103"), {"D301", "D304"}),
    ],
)
def test_select_and_ignore_longest_prefix_wins(
    select: tuple[str, ...], ignore: tuple[str, ...], expected: set[str]
) -> None:
    assert codes_with(select, ignore) == expected


@pytest.mark.parametrize("ignore", [("N", "R"), ("N10", "R20")])
def test_select_all_loses_to_any_ignore_prefix(ignore: tuple[str, ...]) -> None:
    assert codes_with(("ALL",), ignore) == {"D301", "D304"}


def test_selection_enabled_directly() -> None:
    s = Selection.of(["N1"], ["N10"])
    assert not s.enabled("N101")
    s = Selection.of(["N101"], ["N10"])
    assert s.enabled("N101") and not s.enabled("N102")
    assert not Selection.of().enabled("D304")
    assert Selection.of().enabled("D301")


def test_severity_override_changes_and_switches_off() -> None:
    found = Selection.of(severity={"N103": "warning", "R201": "off"}).apply(
        check(ALL_OFFLINE)
    )
    by_code = {f.code: f.severity.value for f in found}
    assert by_code["N103"] == "warning"
    assert "R201" not in by_code


def test_unknown_codes() -> None:
    assert unknown_codes(["N1", "D304", "ALL", "X9", "N9", "R2"]) == ["X9", "N9"]


def run_cli(*args: str) -> tuple[int, dict]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--offline", "--no-config", "--format", "json", *args])
    return code, json.loads(out.getvalue()) if out.getvalue() else {}


@pytest.mark.parametrize("flag", ["--select", "--ignore"])
@pytest.mark.parametrize("value", ["X9", "N9", "N101,Z"])
def test_unknown_prefix_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    path = tmp_path / "b.txt"
    path.write_text(ALL_OFFLINE, encoding="utf-8")
    code = main(["--offline", "--no-config", flag, value, str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("citecheck: error:")
    assert "Traceback" not in captured.err


def test_select_via_cli(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text(ALL_OFFLINE, encoding="utf-8")
    code, report = run_cli("--select", "N,D304", "--ignore", "N102", str(path))
    assert {f["code"] for f in report["documents"][0]["findings"]} == {"N103", "D304"}
    assert code == 1
