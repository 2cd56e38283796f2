"""The terminal report: findings grouped by note, each with `file:line:col`, severity, code,
message and fix; each checked link with its verdict under the notes that cite it.

The layout is built once as styled segments. On a terminal it is printed through rich (so
colour works everywhere rich does); otherwise it is joined as plain text without importing
rich at all, which keeps a pre-commit run fast.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

from citecheck.model import (
    Document,
    DocumentReport,
    Finding,
    LinkResult,
    Note,
    NoteNumber,
    Report,
    Verdict,
)
from citecheck.readers.text import GUESSED
from citecheck.report import RenderOptions
from citecheck.report.coverage import SKIPPED_AS, by_verdict, coverage
from citecheck.report.escape import sanitize
from citecheck.rules.catalogue import RULES

Segment = tuple[str, str]  # (text, rich style name or "")
Line = list[Segment]

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLE = {
    Verdict.OK: "green",
    Verdict.MOVED: "cyan",
    Verdict.DEAD: "bold red",
    Verdict.SOFT_404: "red",
    Verdict.PAYWALL: "yellow",
    Verdict.BLOCKED: "yellow",
    Verdict.TIMEOUT: "yellow",
    Verdict.ERROR: "yellow",
    Verdict.SKIPPED: "dim",
}
KIND_LABEL = {"ibid": "Ibid.", "id": "Id.", "supra": "supra", "short": "short form"}


def render(report: Report, options: RenderOptions) -> str:
    lines = layout(report, options)
    if not options.color:
        return "".join("".join(sanitize(t) for t, _ in line) + "\n" for line in lines)
    return _rich(lines)


def layout(report: Report, options: RenderOptions) -> list[Line]:
    out: list[Line] = []
    for doc in report.documents:
        if options.quiet and not doc.findings:
            continue
        out.extend(_document(doc, options))
    if not options.quiet:
        out.extend(_inputs(report))
        out.extend(_links(report))
        if report.quotes is not None:
            out.append([("Quotations", "bold"), (f": {report.quotes.line()}", "")])
        out.append(_summary(report))
    return _tidy(out)


def _inputs(report: Report) -> list[Line]:
    """Files a folder run found without notes, and files it could not read: once each."""
    out: list[Line] = []
    if report.without_notes:
        names = list(report.without_notes)
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        out.append([(_count(len(names), "file"), "bold"), (" without notes: ", ""),
                    (shown, "dim")])
    for path, why in report.skipped:
        out.append([("skipped ", "yellow"), (path, "bold"), (f": {why}", "")])
    return out


def _links(report: Report) -> list[Line]:
    """The links by verdict, as lychee closes its report."""
    counts = by_verdict(report)
    if not counts:
        return []
    excluded = counts.pop("excluded", 0)  # never fetched: not among the links checked
    late = counts.pop(SKIPPED_AS["max-time"], 0)
    parts = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
    said = f": {sum(counts.values())} checked" + (f": {parts}" if parts else "")
    if excluded:
        said += f"; {excluded} excluded"
    if late:
        said += f"; {late} not checked (--max-time)"
    return [[("Links", "bold"), (said, "")]]


def _tidy(lines: list[Line]) -> list[Line]:
    """No blank line first, and never two in a row (a document without findings under
    -q would otherwise print only blank lines)."""
    out: list[Line] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _document(d: DocumentReport, options: RenderOptions) -> list[Line]:
    doc = d.document
    out: list[Line] = []
    if not options.quiet:
        guessed = GUESSED.get(doc.encoding or "")
        out.append(
            [
                (doc.path, "bold"),
                (f" (read as {guessed})" if guessed else "", "yellow"),
                (
                    f": {_count(len(doc.notes), 'note')}, {_count(len(doc.markers), 'marker')}, "
                    f"{_count(len(d.links), 'link')}",
                    "",
                ),
            ]
        )
    if options.verbose and not options.quiet and doc.seen:
        out.append([("  " + "; ".join(doc.seen), "dim")])  # what the reader recognised
    by_note = _group(d.findings, doc.notes)
    results_by_note: dict[NoteNumber, list[LinkResult]] = defaultdict(list)
    if d.links_checked:
        for link in d.links:
            result = d.results.get(link.url)
            if result is not None:
                for n in link.notes:
                    results_by_note[n].append(result)

    if by_note.get(None):
        out.append([])
        out.append([("document", "bold")])
        for f in by_note[None]:
            out.extend(_finding_lines(f, doc.path))
    for position, note in enumerate(doc.notes):
        findings = by_note.get(position, [])
        results = results_by_note.get(note.number, [])
        shown = [r for r in results if options.verbose or r.verdict is not Verdict.OK]
        if not findings and not shown and not options.verbose:
            continue
        if options.quiet and not findings:
            continue
        out.append([])
        out.append(_note_heading(note, doc))
        if options.verbose and not options.quiet:
            out.extend(_note_detail(note))
        for f in findings:
            out.extend(_finding_lines(f, doc.path))
        if not options.quiet:
            told = {f.url for f in findings if f.url}  # their findings said why already
            out.extend(_link_line(r, detail=r.url not in told) for r in shown)
    return [*out, []]


def _group(findings: Iterable[Finding], notes: tuple[Note, ...]) -> dict[int | None, list[Finding]]:
    """Findings by the position of the note they belong to: the note whose lines hold the
    finding (so two notes numbered 5 each get their own), else the first note with the
    finding's number (a marker finding in the body), else the document (a missing note)."""
    starts = [n.span.line for n in notes]
    first_with: dict[NoteNumber, int] = {}
    for i, n in enumerate(notes):
        first_with.setdefault(n.number, i)
    grouped: dict[int | None, list[Finding]] = defaultdict(list)
    for f in findings:
        k = bisect.bisect_right(starts, f.line) - 1
        if (
            k >= 0
            and notes[k].span.line <= f.line <= max(notes[k].end_line, notes[k].span.line)
            and (f.note is None or f.note == notes[k].number)
        ):
            grouped[k].append(f)
        else:
            grouped[first_with.get(f.note) if f.note is not None else None].append(f)
    return grouped


def _finding_lines(f: Finding, path: str) -> list[Line]:
    lines = [_finding(f, path)]
    if f.fix:
        lines.append([("      fix: ", "dim"), (_one_line(f.fix), "")])
    return lines


def _note_heading(note: Note, doc: Document) -> Line:
    line: Line = [(f"note {note.number}", "bold"), (f" ({where(doc, note.span.line)})", "dim")]
    label = KIND_LABEL.get(note.kind.value)
    if label:
        target = f" → note {note.resolves_to}" if note.resolves_to is not None else ""
        line.append((f"  {label}{target}", "dim"))
    return line


def where(doc: Document, line: int) -> str:
    """A line of the document's text as its reader knows it: "line 12" in a text, "page 3"
    in a PDF, "paragraph 40" in a Word file (one paragraph to a line of its text)."""
    if doc.unit == "paragraph":
        return f"paragraph {line}"
    place = doc.page_of(line)
    return f"page {place[0]}" if place else f"line {line}"


def _note_detail(note: Note) -> list[Line]:
    out: list[Line] = []
    text = " ".join(note.text.split())
    out.append([("    ", ""), (text[:160] + ("…" if len(text) > 160 else ""), "dim")])
    for c in note.citations:
        for u in c.urls:
            out.append([("    url ", "dim"), (u.url, "")])
        for a in c.accessed:
            when = a.date.isoformat() if a.date else f"unreadable ({a.problem})"
            out.append([("    accessed ", "dim"), (when, "")])
    return out


def _finding(f: Finding, path: str) -> Line:
    rule = RULES.get(f.code)
    return [
        ("  ", ""),
        (f"{path}:{f.line}:{f.column}", "bold"),
        (f" (page {f.page})" if f.page is not None else "", "dim"),
        ("  ", ""),
        (f"{f.severity.value:<7}", SEVERITY_STYLE[f.severity.value]),
        ("  ", ""),
        (f.code, "bold"),
        (f" {rule.name}" if rule else "", "dim"),
        ("  ", ""),
        (_one_line(f.message), ""),
        ("  (baseline)" if f.baseline else "", "dim"),
    ]


def _link_line(r: LinkResult, *, detail: bool = True) -> Line:
    status = f" {r.status}" if r.status is not None else ""
    line: Line = [
        ("    ", ""),
        (f"{r.verdict.value}{status}", VERDICT_STYLE[r.verdict]),
        ("  ", ""),
        (r.url, ""),
    ]
    if r.final_url and r.final_url != r.url:
        line += [(" → ", "dim"), (r.final_url, "")]
    if detail and r.detail and r.verdict is not Verdict.OK:
        line += [("  (", "dim"), (r.detail, "dim"), (")", "dim")]
    if r.failing_since and r.failures >= 2:  # a first failure has no history to show
        line += [(f"  failing since {r.failing_since:%Y-%m-%d} ({r.failures} runs)", "dim")]
    if r.archive:
        line += [
            ("\n      archived: ", "dim"),
            (f"{r.archive.url} ({r.archive.timestamp:%Y-%m-%d})", "green"),
        ]
    return line


def _summary(report: Report) -> Line:
    s = report.summary()
    total = sum(s.values())
    docs = len(report.documents)
    notes = sum(len(d.document.notes) for d in report.documents)
    cover = coverage(report)  # links counted once, however many files cite them
    where = f"{_count(docs, 'file')}, {_count(notes, 'note')}, {_count(cover.total, 'link')}"
    if total == 0:
        # Without the links checked, "no problems" covers only what was checked.
        clean = "No problems found" if cover.complete else "No problems found in the notes"
        line: Line = [(clean, "bold green"), (f" ({where})", "")]
    else:
        line = [
            (_count(s["error"], "error"), SEVERITY_STYLE["error"] if s["error"] else ""),
            (", ", ""),
            (_count(s["warning"], "warning"), SEVERITY_STYLE["warning"] if s["warning"] else ""),
            (", ", ""),
            (f"{s['info']} info", ""),
            (f" ({where})", ""),
        ]
    baseline = sum(1 for f in report.findings if f.baseline)
    if baseline:
        line.append((f"; {baseline} in the baseline, not failing the run", "dim"))
    sentence = cover.sentence()
    if sentence:  # the network-down reason itself goes to stderr once, with exit 3
        line.append((f"; {sentence}", "dim" if cover.reason == "offline" else "yellow"))
    elif report.notice:
        line.append((f"; {report.notice}", "yellow"))
    return line


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _rich(lines: list[Line]) -> str:
    """Print the layout through rich. Document text goes in as Text segments, never as
    markup, so a bracket in a brief cannot restyle the output."""
    import io

    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, highlight=False, soft_wrap=True)
    for line in lines:
        text = Text()
        for chunk, style in line:
            text.append(sanitize(chunk), style=style or None)
        console.print(text)
    return buf.getvalue()


def _one_line(text: str) -> str:
    """A message or fix on one line: text from a brief or a page may hold line breaks."""
    return " ".join(text.split())
