"""The terminal report: findings grouped by note, each with `file:line:col`, severity, code,
message and fix; each checked link with its verdict under the notes that cite it.

The layout is built once as styled segments. On a terminal it is printed through rich (so
colour works everywhere rich does); otherwise it is joined as plain text without importing
rich at all, which keeps a pre-commit run fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from citecheck.model import DocumentReport, Finding, LinkResult, Note, NoteNumber, Report, Verdict
from citecheck.report import RenderOptions
from citecheck.report.escape import sanitize
from citecheck.rules.catalogue import RULES

Segment = tuple[str, str]  # (text, rich style name or "")
Line = list[Segment]

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLE = {
    Verdict.OK: "green", Verdict.MOVED: "cyan", Verdict.DEAD: "bold red",
    Verdict.SOFT_404: "red", Verdict.PAYWALL: "yellow", Verdict.BLOCKED: "yellow",
    Verdict.TIMEOUT: "yellow", Verdict.ERROR: "yellow", Verdict.SKIPPED: "dim",
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
        out.extend(_document(doc, options))
    if not options.quiet:
        out.append(_summary(report))
    return out


def _document(d: DocumentReport, options: RenderOptions) -> list[Line]:
    doc = d.document
    out: list[Line] = []
    if not options.quiet:
        out.append([
            (doc.path, "bold"),
            (f": {_count(len(doc.notes), 'note')}, {_count(len(doc.markers), 'marker')}, "
             f"{_count(len(d.links), 'link')}", ""),
        ])
    by_note: dict[NoteNumber | None, list[Finding]] = defaultdict(list)
    for f in d.findings:
        by_note[f.note if _is_note(doc.notes, f.note) else None].append(f)
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
        out.extend(_finding(f, doc.path) for f in by_note[None])
    for note in doc.notes:
        findings = by_note.get(note.number, [])
        results = results_by_note.get(note.number, [])
        shown = [r for r in results if options.verbose or r.verdict is not Verdict.OK]
        if not findings and not shown and not options.verbose:
            continue
        if options.quiet and not findings:
            continue
        out.append([])
        out.append(_note_heading(note))
        if options.verbose and not options.quiet:
            out.extend(_note_detail(note))
        for f in findings:
            out.append(_finding(f, doc.path))
            if f.fix:
                out.append([("      fix: ", "dim"), (f.fix, "")])
        if not options.quiet:
            out.extend(_link_line(r) for r in shown)
    return out + [[]]


def _is_note(notes: Iterable[Note], number: NoteNumber | None) -> bool:
    return number is not None and any(n.number == number for n in notes)


def _note_heading(note: Note) -> Line:
    line: Line = [(f"note {note.number}", "bold"), (f" (line {note.span.line})", "dim")]
    label = KIND_LABEL.get(note.kind.value)
    if label:
        target = f" → note {note.resolves_to}" if note.resolves_to is not None else ""
        line.append((f"  {label}{target}", "dim"))
    return line


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
        ("  ", ""),
        (f"{f.severity.value:<7}", SEVERITY_STYLE[f.severity.value]),
        ("  ", ""),
        (f.code, "bold"),
        (f" {rule.name}" if rule else "", "dim"),
        ("  ", ""),
        (f.message, ""),
        ("  (baseline)" if f.baseline else "", "dim"),
    ]


def _link_line(r: LinkResult) -> Line:
    status = f" {r.status}" if r.status is not None else ""
    line: Line = [
        ("    ", ""),
        (f"{r.verdict.value}{status}", VERDICT_STYLE[r.verdict]),
        ("  ", ""),
        (r.url, ""),
    ]
    if r.final_url and r.final_url != r.url:
        line += [(" → ", "dim"), (r.final_url, "")]
    if r.detail and r.verdict is not Verdict.OK:
        line += [("  (", "dim"), (r.detail, "dim"), (")", "dim")]
    if r.failing_since:
        line += [(f"  failing since {r.failing_since:%Y-%m-%d}", "dim")]
    if r.archive:
        line += [("\n      archived: ", "dim"),
                 (f"{r.archive.url} ({r.archive.timestamp:%Y-%m-%d})", "green")]
    return line


def _summary(report: Report) -> Line:
    s = report.summary()
    total = sum(s.values())
    docs = len(report.documents)
    notes = sum(len(d.document.notes) for d in report.documents)
    links = sum(len(d.links) for d in report.documents)
    where = f"{_count(docs, 'file')}, {_count(notes, 'note')}, {_count(links, 'link')}"
    if total == 0:
        line: Line = [("No problems found", "bold green"), (f" ({where})", "")]
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
    if report.notice:
        line.append((f"; {report.notice}", "yellow"))
    elif links and not any(d.links_checked for d in report.documents):
        line.append(("; links not checked (--offline)", "dim"))
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
