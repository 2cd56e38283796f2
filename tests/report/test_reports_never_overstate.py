"""What the reports say beyond the findings: that links were not checked and why (every
format, in its own place), the link summary, statistics, the comment-size cap, the choice of
GitHub annotations, and the escaping of invisible characters."""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from citecheck.model import Finding, Report, Severity, Verdict
from citecheck.report import FORMATS, RenderOptions, github, markdown, render
from citecheck.report.escape import sanitize

SAYS_UNCHECKED = {
    "text": "3 links not checked (--offline)",
    "concise": "3 links not checked (--offline).",
    "markdown": "**Links not checked.** 3 links not checked (--offline).",
    "github": "::notice title=citecheck::3 links not checked (--offline)",
    "gitlab": '"check_name": "citecheck/links-not-checked"',
    "junit": 'skipped message="not checked (--offline)"',
    "json": '"reason": "offline"',
    "sarif": '"linksNotCheckedReason": "offline"',
}


def offline(report: Report) -> Report:
    docs = tuple(replace(d, links_checked=False, results={}) for d in report.documents)
    findings_only = tuple(replace(d, findings=tuple(f for f in d.findings if f.code[0] != "L"))
                          for d in docs)
    return replace(report, documents=findings_only, unchecked="offline")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_says_links_were_not_checked(report: Report, fmt: str) -> None:
    assert set(SAYS_UNCHECKED) == set(FORMATS)
    out = render(offline(report), fmt)
    assert SAYS_UNCHECKED[fmt] in out
    checked = render(report, fmt)
    assert "not checked (--offline)" not in checked and '"reason": "offline"' not in checked


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_clean_offline_run_is_not_an_all_clear(report: Report, fmt: str) -> None:
    clean = offline(replace(report, documents=tuple(replace(d, findings=())
                                                   for d in report.documents)))
    out = render(clean, fmt)
    assert "no problems found\n" not in out.lower().replace("in the notes", "")
    assert "✅" not in out
    if fmt == "markdown":
        assert out.splitlines()[1].startswith("## ⚠️ citecheck: no problems found in the notes")


def test_sarif_invocation_and_json_top_level_when_the_network_is_down(report: Report) -> None:
    down = replace(offline(report), unchecked="network-down", network_down=True,
                   notice="the network is unreachable")
    sarif = json.loads(render(down, "sarif"))["runs"][0]["invocations"][0]
    assert sarif["executionSuccessful"] is False
    assert sarif["properties"]["linksChecked"] is False
    assert "the network is unreachable" in sarif["toolExecutionNotifications"][0]["message"]["text"]
    data = json.loads(render(down, "json"))
    assert (data["links_checked"], data["links_not_checked"]["reason"]) == (False, "network-down")


def test_links_the_cache_answered_count_as_checked_when_the_network_is_down(
    report: Report,
) -> None:
    """A run whose network is down still reports what its cache held: not "all unchecked"."""
    doc = report.documents[0]
    gone = {url: replace(r, verdict=Verdict.SKIPPED, reason="network-down", status=None)
            for url, r in doc.results.items()}
    dead_url = next(iter(doc.results))
    gone[dead_url] = replace(doc.results[dead_url], from_cache=True)
    down = replace(report, documents=(replace(doc, results=gone, links_checked=False),
                                      *report.documents[1:]),
                   unchecked="network-down", network_down=True)
    says = "2 of 3 links not checked: the network is unreachable"
    assert says in render(down, "text")
    data = json.loads(render(down, "json"))
    assert data["links_not_checked"] == {"count": 2, "reason": "network-down"}
    props = json.loads(render(down, "sarif"))["runs"][0]["invocations"][0]["properties"]
    assert (props["linksChecked"], props["linksNotChecked"]) == (False, 2)
    root = ET.fromstring(render(down, "junit"))
    assert root.get("skipped") == "2"


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "markdown", "json"])
def test_files_without_notes_are_said_once(report: Report, fmt: str) -> None:
    """A folder run's files without notes are named in every summary, not passed silently."""
    quiet = replace(report, without_notes=("briefs/memo.md", "briefs/cover.txt"))
    out = render(quiet, fmt)
    assert "briefs/memo.md" in out and out.count("briefs/cover.txt") == 1
    if fmt in ("concise", "github"):
        assert "2 files without notes: briefs/memo.md, briefs/cover.txt" in out


def test_links_the_time_budget_cut_short_are_not_checked(report: Report) -> None:
    """--max-time: a link no request finished is "not checked", in every format, never ok."""
    doc = report.documents[0]
    url = list(doc.results)[-1]  # the link that was ok, without a finding
    cut = dict(doc.results)
    cut[url] = replace(cut[url], verdict=Verdict.TIMEOUT, status=None, reason="max-time",
                       detail="not checked: the run's time budget (--max-time 2 s) ran out")
    late = replace(report, documents=(replace(doc, results=cut), *report.documents[1:]))
    text = render(late, "text")
    assert "Links: 2 checked: 1 dead, 1 paywall; 1 not checked (--max-time)" in text
    assert "1 of 3 links not checked: the run's time budget (--max-time) ran out first" in text
    data = json.loads(render(late, "json"))
    assert (data["links_checked"], data["links_not_checked"]) == (
        False, {"count": 1, "reason": "max-time"})
    props = json.loads(render(late, "sarif"))["runs"][0]["invocations"][0]["properties"]
    assert (props["linksChecked"], props["linksNotCheckedReason"]) == (False, "max-time")
    assert "1 of 3 links not checked" in render(late, "github")
    assert 'skipped message="not checked: the run' in render(late, "junit")


def test_text_ends_with_the_links_by_verdict(report: Report) -> None:
    lines = render(report, "text").splitlines()
    assert lines[-2] == "Links: 3 checked: 1 ok, 1 dead, 1 paywall"


def test_excluded_links_are_not_counted_as_checked(report: Report) -> None:
    doc = report.documents[0]
    skipped = {url: replace(r, verdict=Verdict.SKIPPED, reason="excluded", status=None)
               for url, r in doc.results.items()}
    every = replace(report, documents=(replace(doc, results=skipped), *report.documents[1:]))
    assert "Links: 0 checked; 3 excluded" in render(every, "text").splitlines()
    one = dict(doc.results)
    one[next(iter(one))] = next(iter(skipped.values()))
    some = replace(report, documents=(replace(doc, results=one), *report.documents[1:]))
    assert "Links: 2 checked: 1 ok, 1 paywall; 1 excluded" in render(some, "text").splitlines()


def test_statistics_count_per_rule(report: Report) -> None:
    out = render(report, "text", RenderOptions(statistics=True)).splitlines()
    assert out[0].split("\t") == ["1", "D302", "date-future"]
    assert len(out) == 9 and out[-1] == "Found 8 findings. 3 links checked."
    data = json.loads(render(report, "json", RenderOptions(statistics=True)))
    assert sum(row["count"] for row in data) == 8
    assert render(report, "sarif", RenderOptions(statistics=True)).startswith("{\n  \"$schema\"")


def test_concise_is_one_line_per_finding_with_the_page(report: Report) -> None:
    lines = render(report, "concise").splitlines()
    assert len(lines) == len(report.findings) + 1
    assert lines[4] == ("briefs/grain brief.txt:9:1: R202 Ibid. follows note 2, which cites 2 "
                        "sources: which one? [page 2]")
    assert render(report, "concise", RenderOptions(quiet=True)).count("\n") == 8


def test_gitlab_code_quality_shape(report: Report) -> None:
    issues = json.loads(render(report, "gitlab"))
    assert {i["severity"] for i in issues} == {"major", "minor", "info"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert all(set(i) >= {"description", "check_name", "fingerprint", "severity", "location"}
               for i in issues)
    again = json.loads(render(replace(report, elapsed=9.0), "gitlab"))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]


def test_junit_times_are_the_runs_wall_time(report: Report) -> None:
    root = ET.fromstring(render(report, "junit"))
    assert root.get("time") == "1.500"
    assert sum(float(s.get("time", "0")) for s in root) == pytest.approx(1.5, abs=0.002)


def test_markdown_is_cut_under_githubs_comment_limit(report: Report) -> None:
    doc = report.documents[0]
    many = tuple(replace(doc.findings[2], message=f"problem {i} " + "x" * 300, line=8)
                 for i in range(400))
    big = replace(report, documents=(replace(doc, findings=doc.findings + many),))
    out = markdown.render(big, RenderOptions())
    assert len(out) <= markdown.LIMIT
    assert "Cut to fit a comment" in out and "findings in" in out


def test_github_annotations_give_every_rule_a_turn() -> None:
    noisy = [Finding("A504", Severity.WARNING, f"archive down {i}", "b.txt", i) for i in range(16)]
    others = [Finding(code, Severity.WARNING, code, "b.txt", 50 + n)
              for n, code in enumerate(("L403", "L404", "L405"))]
    chosen, hidden = github.choose(tuple(noisy + others), "error")
    codes = [f.code for f, _ in chosen]
    assert len(codes) == 10 and {"L403", "L404", "L405"} <= set(codes)
    assert codes[:3] == ["L403", "L404", "L405"]  # archive findings take their turn last
    assert hidden == {"warning": 9}


def test_every_invisible_and_bidi_character_is_escaped() -> None:
    for cp in range(0x110000):
        ch = chr(cp)
        invisible = unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs")
        if invisible and ch not in "\t\n":
            assert sanitize(ch) != ch, hex(cp)
    for ch in ("\u061c", "\u200b", "\u202e", "\u2066", "\U000e0041", "\ufeff", "\u3164"):
        assert sanitize(f"a{ch}b").startswith("a\\") and ch not in sanitize(f"a{ch}b")
    assert sanitize("tab\tand é ü — ‘quotes’") == "tab\tand é ü — ‘quotes’"


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_escape_invisible_characters_losslessly(report: Report, fmt: str) -> None:
    """JSON on a terminal is terminal output too: \\u escapes, the same data for a program."""
    hidden = "Jo\u202ene\u061c\u200b\U000e0041s\x9b"
    doc = report.documents[0]
    findings = (replace(doc.findings[0], message=f"'{hidden}' is not in note 1"),
                *doc.findings[1:])
    out = render(replace(report, documents=(replace(doc, findings=findings),
                                            *report.documents[1:])), fmt)
    assert not any(ch in out for ch in "\u202e\u061c\u200b\U000e0041\x9b")
    assert f"'{hidden}' is not in note 1" in json.dumps(json.loads(out), ensure_ascii=False)


def test_sarif_with_unchecked_links_is_valid_2_1_0(report: Report) -> None:
    from pathlib import Path

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "schema" / "sarif-schema-2.1.0.json")
                        .read_text(encoding="utf-8"))
    for variant in (offline(report), replace(offline(report), unchecked="network-down",
                                             network_down=True, notice="network down")):
        jsonschema.Draft4Validator(schema).validate(json.loads(render(variant, "sarif")))
