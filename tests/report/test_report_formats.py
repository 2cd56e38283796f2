"""Every format renders the canonical report (conftest.py) exactly as its golden file says.

Regenerate the golden files after a deliberate change with

    CITECHECK_UPDATE_GOLDEN=1 pytest tests/report

and review the diff: it is the change users will see.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.model import DocumentReport, Finding, Report, Severity
from citecheck.report import FORMATS, RenderOptions, github, markdown, render, sarif

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = Path(__file__).parent / "schema" / "sarif-schema-2.1.0.json"
SUFFIX = {"text": ".txt", "json": ".json", "sarif": ".sarif", "github": ".github.txt",
          "junit": ".xml", "markdown": ".md", "concise": ".concise.txt",
          "gitlab": ".gitlab.json"}
UPDATE = os.environ.get("CITECHECK_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _no_github_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The github format reads the Actions environment: a test run inside Actions must
    not append to the real job summary or shorten paths against the real workspace."""
    for name in ("GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)


def test_every_format_choice_is_handled() -> None:
    """A format added to FORMATS without a golden file or a suffix here fails this test."""
    assert set(FORMATS) == set(SUFFIX), "give the new format a suffix and a golden file"
    for fmt in FORMATS:
        module = __import__(FORMATS[fmt], fromlist=["render"])
        assert callable(module.render), fmt


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(fmt: str, report: Report) -> None:
    out = render(report, fmt)
    path = GOLDEN / f"canonical{SUFFIX.get(fmt, '.out')}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"no golden file for {fmt}: run with CITECHECK_UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_renders_an_empty_report(fmt: str) -> None:
    assert render(Report(()), fmt)


# --- SARIF ----------------------------------------------------------------------------------


def _validator():  # jsonschema is a test dependency only
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_2_1_0_schema(report: Report) -> None:
    log = json.loads(render(report, "sarif"))
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_shape_for_code_scanning(report: Report) -> None:
    run = json.loads(render(report, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["N101", "N102", "N103"]
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    results = run["results"]
    assert len(results) == len(report.findings)
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert set(r["partialFingerprints"]) == {sarif.FINGERPRINT_KEY}
        assert "primaryLocationLineHash" not in r["partialFingerprints"]
    states = {r["ruleId"]: r["baselineState"] for r in results}
    assert states["N104"] == "unchanged" and states["R202"] == "new"
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "briefs/grain%20brief.txt"
    assert {r["level"] for r in results} == {"error", "warning", "note"}


def test_sarif_fingerprints_survive_a_line_shift(report: Report) -> None:
    """Two paragraphs added above every note: lines change, fingerprints do not."""
    def shifted(d: DocumentReport) -> DocumentReport:
        notes = tuple(replace(n, span=replace(n.span, line=n.span.line + 2),
                              end_line=n.end_line + 2) for n in d.document.notes)
        doc = replace(d.document, text="New paragraph.\n\n" + d.document.text, notes=notes)
        findings = tuple(replace(f, line=f.line + 2) for f in d.findings)
        return replace(d, document=doc, findings=findings)

    moved = Report(tuple(shifted(d) for d in report.documents))
    prints = lambda r: [x["partialFingerprints"] for x in  # noqa: E731
                        json.loads(render(r, "sarif"))["runs"][0]["results"]]
    assert prints(moved) == prints(report)
    assert len({json.dumps(p) for p in prints(report)}) == len(report.findings)


# --- GitHub annotations --------------------------------------------------------------------


def test_workflow_command_escaping() -> None:
    assert github.escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert github.escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    # `%` is escaped first, so an escape already in the text is not decoded by the runner
    assert github.escape_data("%0A") == "%250A"


def test_annotation_cannot_inject_a_command(report: Report) -> None:
    out = render(report, "github")
    for line in out.splitlines():
        assert line.startswith(("::error ", "::warning ", "::notice ", "citecheck: "))
    d302 = next(line for line in out.splitlines() if "D302" in line)
    # the CR is shown as a visible escape (report.escape), the LF is percent-encoded: the
    # runner sees one line, and `::error::` inside it is only text
    assert "100%25 sure?\\x0d%0A::error::not a command" in d302
    path = "file=briefs/grain brief.txt"
    assert path in d302
    f = Finding("R202", Severity.ERROR, "m", "dir,odd:name.txt", 3, 2)
    assert github.annotation(f, "error").startswith(
        "::error file=dir%2Codd%3Aname.txt,line=3,col=2,title=R202 ibid-ambiguous::")


def test_at_most_ten_annotations_per_level(report: Report, tmp_path: Path) -> None:
    base = report.documents[0]
    extra = tuple(
        Finding("R202", Severity.ERROR, f"problem {i}", base.document.path, 9, 1, note=3)
        for i in range(25)
    ) + tuple(
        Finding("N104", Severity.WARNING, f"warning {i}", base.document.path, 10, 1, note=3)
        for i in range(12)
    )
    big = Report((replace(base, findings=base.findings + extra),))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    out = github.render(big, RenderOptions(), env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = out.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert sum(line.startswith("::notice ") for line in lines) == 2  # the baseline findings
    assert any("more error annotations not shown" in line and "job summary" in line
               for line in lines)
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n")  # appended, never overwritten
    assert len(re.findall(r"problem \d+", written)) == 25  # the summary holds every finding
    assert markdown.MARKER in written


def test_a_job_summary_that_cannot_be_written_is_said(report: Report, tmp_path: Path) -> None:
    out = github.render(report, RenderOptions(),
                        env={"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "summary.md")})
    (said,) = [line for line in out.splitlines() if "job summary" in line]
    assert said.startswith("citecheck: the job summary was not written") and "No such" in said
    assert "job summary" not in github.render(report, RenderOptions(), env={})


def test_annotations_put_gate_failures_first(report: Report) -> None:
    lines = render(report, "github").splitlines()
    notices = [i for i, line in enumerate(lines) if line.startswith("::notice ")]
    errors = [i for i, line in enumerate(lines) if line.startswith("::error ")]
    assert max(errors) < min(notices)
    assert all("[baseline]" in lines[i] or "N106" in lines[i] for i in notices)


def test_workspace_paths_are_relative(tmp_path: Path) -> None:
    f = Finding("R202", Severity.ERROR, "m", str(tmp_path / "docs" / "a.txt"), 1, 1)
    line = github.annotation(f, "error", workspace=str(tmp_path))
    assert "file=docs/a.txt," in line


# --- Markdown and JUnit ---------------------------------------------------------------------


def test_markdown_escapes_brief_text(report: Report) -> None:
    out = render(report, "markdown")
    assert "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "paywall \\| " in out  # a pipe would end the table cell
    assert "@\u200boctocat" in out  # no notification for a quoted @name
    assert "\x1b" not in out
    assert out.startswith(markdown.MARKER)


def test_markdown_opens_only_groups_that_fail_the_gate(report: Report) -> None:
    out = render(report, "markdown")
    assert re.search(r"<details open>\n<summary><strong>note 2</strong>", out)
    # the second note 3 holds only baseline findings: closed
    assert re.search(r"<details>\n<summary><strong>note 3</strong> \(line 10\)", out)


def test_junit_is_well_formed_and_counts(report: Report) -> None:
    root = ET.fromstring(render(report, "junit"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    names = [c.get("name") for c in cases]
    assert names[:5] == ["document", "note 1", "note 2", "note 3", "note 3"]
    assert names[5:] == [
        "https://www.example.org/reports/grain-2023.pdf",
        "https://news.example.com/2024/01/05/grain?ref=a,b",
        "https://stats.example.net/ports",
    ]
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {"document", "note 2", "note 3", DEAD_URL}
    assert root.get("tests") == str(len(cases) + 1)  # plus memo.md's document case
    assert "\x1b" not in render(report, "junit")


DEAD_URL = "https://www.example.org/reports/grain-2023.pdf"


def test_junit_skips_links_when_offline(report: Report) -> None:
    offline = Report(tuple(
        replace(d, links_checked=False, results={},
                findings=tuple(f for f in d.findings if not f.code.startswith("L")))
        for d in report.documents
    ))
    root = ET.fromstring(render(offline, "junit"))
    links = [c for c in root.iter("testcase") if c.get("classname", "").endswith(".links")]
    assert links and all(c.find("skipped") is not None for c in links)


def test_fail_on_changes_what_fails(report: Report) -> None:
    strict = markdown.render(report, RenderOptions(fail_on="info"))
    lenient = markdown.render(report, RenderOptions(fail_on="never"))
    assert strict.splitlines()[1].startswith("## ❌")
    assert lenient.splitlines()[1].startswith("## ✅")


def test_sarif_of_real_briefs_validates(capsys: pytest.CaptureFixture[str]) -> None:
    """The judged case: SARIF of briefs with findings, from the CLI, against the schema."""
    from citecheck.cli import main

    root = Path(__file__).resolve().parent.parent.parent
    briefs = [*sorted((root / "fixtures").glob("*.txt")),
              *sorted((root / "tests" / "data").glob("*.txt"))]
    validator = _validator()
    with_results = 0
    for brief in briefs:
        code = main(["--offline", "--as-of", "2026-11-25", "--format", "sarif", str(brief)])
        assert code in (0, 1), brief.name
        log = json.loads(capsys.readouterr().out)
        errors = list(validator.iter_errors(log))
        assert not errors, f"{brief.name}: {errors[0].message}"
        with_results += bool(log["runs"][0]["results"])
    assert with_results >= 1


def test_link_findings_keep_their_fingerprint_when_the_note_is_edited(report: Report) -> None:
    """Old link rot stays old when an editor corrects the note's access date; a note
    finding is about the note's text, so editing that note makes it a new finding."""
    from citecheck.fingerprint import fingerprints

    d = report.documents[0]
    notes = tuple(replace(n, text=n.text.replace("2024", "2023").replace("2031", "2030"))
                  for n in d.document.notes)
    edited = replace(d, document=replace(d.document, notes=notes))
    before = {f.code: fp for f, fp in zip(d.findings, fingerprints(d), strict=True)}
    after = {f.code: fp for f, fp in zip(edited.findings, fingerprints(edited), strict=True)}
    assert before["L401"] == after["L401"]
    assert before["L403"] == after["L403"]
    assert before["D302"] != after["D302"]
