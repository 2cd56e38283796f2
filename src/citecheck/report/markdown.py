"""Markdown for a pull-request comment or a CI job summary (GitHub, GitLab, Gitea).

Layout: a verdict heading, a summary table (one row per file), then each file's findings
grouped by note in collapsible `<details>` blocks — open when the note has a finding that
fails the gate, closed when all it has is baseline or below-threshold findings, so a
reviewer sees what blocks the merge first. A hidden `<!-- citecheck-report -->` marker on
the first line lets a bot find and update its previous comment instead of adding one.

When links were not checked the heading says so (a ⚠️ instead of a ✅ on a clean run) and
the table's links column says "not checked"; the whole comment stays under GitHub's
65,536-character limit for a comment, cutting whole note blocks from the end and saying how
many findings were cut.

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
from citecheck.report.coverage import Coverage, by_verdict, coverage, was_checked
from citecheck.report.escape import sanitize
from citecheck.report.gate import fails
from citecheck.rules.catalogue import RULES

MARKER = "<!-- citecheck-report -->"
ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~#!])")


LIMIT = 65_536
"""GitHub's limit on a comment's body, in characters."""


def render(report: Report, options: RenderOptions) -> str:
    cover = coverage(report)
    head = [MARKER, _heading(report, options, cover), ""]
    head += _table(report, cover)
    sentence = cover.sentence()
    counts = {} if sentence else by_verdict(report)
    if sentence:
        head += ["", f"> **Links not checked.** {text(_capital(sentence))}."]
    elif counts:
        head += ["", f"**Links:** {sum(counts.values())} checked: "
                     + ", ".join(f"{n} {verdict}" for verdict, n in counts.items())]
    if report.quotes is not None:
        head += ["", f"**Quotations:** {text(report.quotes.line())}"]
    if report.notice and not report.network_down:
        head += ["", f"> {text(report.notice)}"]
    if report.without_notes:
        names = ", ".join(code(p) for p in report.without_notes[:20])
        more = f" and {len(report.without_notes) - 20} more" if len(report.without_notes) > 20 \
            else ""
        head += ["", f"{_n(len(report.without_notes), 'file')} without notes: {names}{more}"]
    for path, why in report.skipped:
        head += ["", f"⚠️ Skipped {code(path)}: {text(why)}"]
    foot = ["", "<sub>citecheck · `citecheck rules CODE` explains a rule</sub>", ""]
    blocks = [_document(d, options) for d in report.documents]
    return _capped(head, blocks, foot, len(report.findings))


Block = tuple[list[str], int]
"""Lines of one note's (or a document heading's) block, and how many findings it shows."""


def _capped(head: list[str], blocks: list[list[Block]], foot: list[str], total: int) -> str:
    """Head, document blocks and foot joined, with whole blocks dropped from the end until
    the comment fits under LIMIT, and a note of what was cut."""
    body = [block for doc in blocks for block in doc]

    def size(lines: list[str]) -> int:
        return sum(len(line) + 1 for line in lines)

    room = LIMIT - size(head) - size(foot) - 400  # the cut note
    kept: list[Block] = []
    used = 0
    for block in body:
        if used + size(block[0]) > room:
            break
        kept.append(block)
        used += size(block[0])
    lines = head + [line for block, _ in kept for line in block]
    if len(kept) < len(body):
        shown = sum(n for _, n in kept)
        lines += ["", f"> ✂️ **Cut to fit a comment** ({LIMIT:,} characters): "
                      f"{_n(total - shown, 'finding')} in {_n(len(body) - len(kept), 'block')} "
                      "not shown. Run `citecheck --format text` for the whole report."]
    return "\n".join(lines + foot)


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]


def _heading(report: Report, options: RenderOptions, cover: Coverage) -> str:
    s = report.summary()
    failing = sum(1 for f in report.findings if fails(f, options.fail_on))
    baseline = sum(1 for f in report.findings if f.baseline)
    counts = f"{_n(s['error'], 'error')}, {_n(s['warning'], 'warning')}, {s['info']} info"
    if not report.findings and cover.sentence():
        return f"## ⚠️ citecheck: no problems found in the notes — {cover.sentence()}"
    if not report.findings:
        return "## ✅ citecheck: no problems found"
    if failing:
        return f"## ❌ citecheck: {counts}"
    why = f"{baseline} in the baseline" if baseline else f"none at or above {options.fail_on}"
    return f"## ✅ citecheck: {counts} ({why})"


def _table(report: Report, cover: Coverage) -> list[str]:
    rows = [
        "| file | notes | links | errors | warnings | info | in baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for d in report.documents:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in d.findings:
            counts[f.severity.value] += 1
        baseline = sum(1 for f in d.findings if f.baseline)
        unchecked = sum(1 for link in d.links
                        if not was_checked(d.results.get(link.url), d.links_checked))
        links = f"{len(d.links)}" if not unchecked else f"{len(d.links)} (not checked)" \
            if unchecked == len(d.links) else f"{len(d.links)} ({unchecked} not checked)"
        rows.append(
            f"| {code(d.document.path)} | {len(d.document.notes)} | {links} | "
            f"{counts['error']} | {counts['warning']} | {counts['info']} | {baseline} |"
        )
    return rows


def _document(d: DocumentReport, options: RenderOptions) -> list[Block]:
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
    out: list[Block] = [(["", f"### {code(d.document.path)}"], 0)]
    if groups.get(None):
        out.append((_group("document", None, groups[None], [], options), len(groups[None])))
    shown_links: set[object] = set()
    for i, note in enumerate(d.document.notes):
        links = results.get(note.number, []) if note.number not in shown_links else []
        if i in groups or links:
            shown_links.add(note.number)
            out.append((_group(f"note {note.number}", note.span.line, groups.get(i, []), links,
                               options), len(groups.get(i, []))))
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
                f"| {ICON[f.severity.value]} | {_place(f)} | `{f.code}`{name}{mark} | "
                f"{text(f.message)} | {text(f.fix) if f.fix else ''} |"
            )
    if links:
        out += [""] + [_link(r) for r in links]
    out += ["", "</details>"]
    return out


def _place(f: Finding) -> str:
    return f"{f.line}:{f.column}" + (f" (p. {f.page})" if f.page is not None else "")


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
