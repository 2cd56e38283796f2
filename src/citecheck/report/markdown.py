"""Markdown for a pull-request comment or a CI job summary (GitHub, GitLab, Gitea).

Layout: a verdict heading, a summary table (one row per file), then each file's findings
grouped by note in collapsible `<details>` blocks — open when the note has a finding that
fails the gate, closed when all it has is baseline or below-threshold findings, so a
reviewer sees what blocks the merge first. A hidden `<!-- citecheck-report -->` marker on
the first line lets a bot find and update its previous comment instead of adding one.

Everything taken from the brief or a web page is escaped twice over: HTML-escaped (the
comment is rendered as HTML, and a brief may contain `<img src=…>`), markdown-escaped (a
`|` would split a table cell), and `@` is followed by a zero-width space so that a quoted
`@name` does not notify a GitHub user.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

from citecheck.fingerprint import note_index
from citecheck.model import DocumentReport, Finding, LinkResult, Report, Verdict
from citecheck.report import RenderOptions
from citecheck.report.escape import sanitize
from citecheck.report.gate import fails
from citecheck.rules.catalogue import RULES

MARKER = "<!-- citecheck-report -->"
ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~#!])")


def render(report: Report, options: RenderOptions) -> str:
    out = [MARKER, _heading(report, options), ""]
    out += _table(report)
    if report.notice:
        out += ["", f"> {text(report.notice)}"]
    for d in report.documents:
        out += _document(d, options)
    out += ["", "<sub>citecheck · `citecheck rules CODE` explains a rule</sub>", ""]
    return "\n".join(out)


def _heading(report: Report, options: RenderOptions) -> str:
    s = report.summary()
    failing = sum(1 for f in report.findings if fails(f, options.fail_on))
    baseline = sum(1 for f in report.findings if f.baseline)
    counts = f"{_n(s['error'], 'error')}, {_n(s['warning'], 'warning')}, {s['info']} info"
    if not report.findings:
        return "## ✅ citecheck: no problems found"
    if failing:
        return f"## ❌ citecheck: {counts}"
    why = f"{baseline} in the baseline" if baseline else f"none at or above {options.fail_on}"
    return f"## ✅ citecheck: {counts} ({why})"


def _table(report: Report) -> list[str]:
    rows = [
        "| file | notes | links | errors | warnings | info | in baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for d in report.documents:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in d.findings:
            counts[f.severity.value] += 1
        baseline = sum(1 for f in d.findings if f.baseline)
        rows.append(
            f"| {code(d.document.path)} | {len(d.document.notes)} | {len(d.links)} | "
            f"{counts['error']} | {counts['warning']} | {counts['info']} | {baseline} |"
        )
    return rows


def _document(d: DocumentReport, options: RenderOptions) -> list[str]:
    groups: dict[int | None, list[Finding]] = defaultdict(list)
    for f in d.findings:
        groups[note_index(d.document, f)].append(f)
    results: dict[object, list[LinkResult]] = defaultdict(list)
    if d.links_checked:
        for link in d.links:
            r = d.results.get(link.url)
            if r is not None and r.verdict not in (Verdict.OK, Verdict.SKIPPED):
                for n in link.notes:
                    results[n].append(r)
    if not groups and not results:
        return []
    out = ["", f"### {code(d.document.path)}"]
    if groups.get(None):
        out += _group("document", None, groups[None], [], options)
    shown_links: set[object] = set()
    for i, note in enumerate(d.document.notes):
        links = results.get(note.number, []) if note.number not in shown_links else []
        if i in groups or links:
            shown_links.add(note.number)
            out += _group(f"note {note.number}", note.span.line, groups.get(i, []), links,
                          options)
    return out


def _group(
    label: str, line: int | None, findings: list[Finding], links: list[LinkResult],
    options: RenderOptions,
) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.severity.value] += 1
    tally = ", ".join(_n(counts[s], s) if s != "info" else f"{counts[s]} info"
                      for s in ("error", "warning", "info") if counts[s])
    tally = tally or _n(len(links), "link problem")
    where = f" (line {line})" if line is not None else ""
    is_open = " open" if any(fails(f, options.fail_on) for f in findings) else ""
    out = ["", f"<details{is_open}>",
           f"<summary><strong>{label}</strong>{where} · {tally}</summary>", ""]
    if findings:
        out += ["| | line | rule | problem | fix |", "| --- | ---: | --- | --- | --- |"]
        for f in findings:
            rule = RULES.get(f.code)
            name = f" {text(rule.name)}" if rule else ""
            mark = " *(baseline)*" if f.baseline else ""
            out.append(
                f"| {ICON[f.severity.value]} | {f.line}:{f.column} | `{f.code}`{name}{mark} | "
                f"{text(f.message)} | {text(f.fix) if f.fix else ''} |"
            )
    if links:
        out += [""] + [_link(r) for r in links]
    out += ["", "</details>"]
    return out


def _link(r: LinkResult) -> str:
    status = f" {r.status}" if r.status is not None else ""
    line = f"- **{r.verdict.value}{status}** {code(r.url)}"
    if r.final_url and r.final_url != r.url:
        line += f" → {code(r.final_url)}"
    if r.detail:
        line += f" ({text(r.detail)})"
    if r.archive:
        line += f" — archived copy: {code(r.archive.url)} ({r.archive.timestamp:%Y-%m-%d})"
    return line


def text(value: str) -> str:
    """Text from a brief or a page, safe in a table cell, a list item or a summary."""
    value = sanitize(" ".join(value.split()))
    value = html.escape(value, quote=False)
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return value.replace("@", "@\u200b")


def code(value: str) -> str:
    """A path or URL as inline code, where nothing is a link, an emphasis or a mention."""
    value = sanitize(" ".join(value.split()))
    if "`" in value:
        return text(value)
    escaped = value.replace("|", "\\|")  # a pipe ends a table cell, even in code
    return f"`{escaped}`"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
