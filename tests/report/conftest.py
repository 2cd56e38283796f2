"""One canonical report, built by hand from the model types, that every format renders.

It is built without the parser on purpose: the reporters are judged on a report whose every
field is known, and a parser change cannot move the golden files. It holds what reporters
get wrong — every severity, a baseline finding, a document-level finding, two notes with one
number, link verdicts with an archived copy, a finding on a page, a path with a space, the
run's wall time — and text chosen to break
escaping: `%`, `:`, `,`, CR and LF, a table pipe, HTML, an @mention and a terminal escape.
"""

# ruff: noqa: E501 - the brief's notes are long lines, as real notes are
from __future__ import annotations

import datetime as dt

import pytest

from citecheck.model import (
    AccessDate,
    Citation,
    Document,
    DocumentReport,
    Finding,
    Link,
    LinkResult,
    Marker,
    Note,
    NoteKind,
    Report,
    Severity,
    Snapshot,
    Span,
    UrlRef,
    Verdict,
)

DEAD = "https://www.example.org/reports/grain-2023.pdf"
PAYWALL = "https://news.example.com/2024/01/05/grain?ref=a,b"
OK = "https://stats.example.net/ports"

TEXT = """Keeping Grain Moving

Exports recovered in 2024.¹ Insurers priced the risk.² Ports reopened.³⁵

Notes

1. Ada Smith, Grain Report 2023, Example Institute, 2023, https://www.example.org/reports/grain-2023.pdf (accessed March 3, 2024).
2. Bo Jones, "Grain: 100% recovered, again", News, January 5, 2024, https://news.example.com/2024/01/05/grain?ref=a,b (accessed April 5, 2031).
3. Ibid., p. 4.
3. Port data, https://stats.example.net/ports (accessed May 1, 2024).
"""


def _note(number: int, line: int, text: str, kind: NoteKind = NoteKind.FULL,
          urls: tuple[str, ...] = (), accessed: dt.date | None = None) -> Note:
    refs = tuple(UrlRef(u, Span(line, 40)) for u in urls)
    dates = (AccessDate("accessed", Span(line, 100), accessed),) if accessed else ()
    citation = Citation(text, Span(line, 4), kind, refs, dates)
    return Note(number, Span(line, 1), text, (citation,), kind,
                refers_to=2 if kind is NoteKind.IBID else None,
                resolves_to=2 if kind is NoteKind.IBID else None, end_line=line)


def canonical() -> Report:
    lines = TEXT.split("\n")
    notes = (
        _note(1, 7, lines[6][3:], urls=(DEAD,), accessed=dt.date(2024, 3, 3)),
        _note(2, 8, lines[7][3:], urls=(PAYWALL,), accessed=dt.date(2031, 4, 5)),
        _note(3, 9, lines[8][3:], NoteKind.IBID),
        _note(3, 10, lines[9][3:], urls=(OK,), accessed=dt.date(2024, 5, 1)),
    )
    markers = (
        Marker(1, Span(3, 26)), Marker(2, Span(3, 53)), Marker(3, Span(3, 70)),
        Marker(5, Span(3, 71)),
    )
    path = "briefs/grain brief.txt"
    document = Document(path, "text", TEXT, notes, markers)
    links = (
        Link(DEAD, (1,), (Span(7, 71),), (dt.date(2024, 3, 3),)),
        Link(PAYWALL, (2,), (Span(8, 73),), (dt.date(2031, 4, 5),)),
        Link(OK, (3,), (Span(10, 15),), (dt.date(2024, 5, 1),)),
    )
    snapshot = Snapshot(
        "https://web.archive.org/web/20240301000000/" + DEAD,
        dt.datetime(2024, 3, 1, 0, 0, 0), "wayback", 200, DEAD,
    )
    results = {
        DEAD: LinkResult(DEAD, Verdict.DEAD, 404, DEAD, elapsed=0.25, detail="404 Not Found",
                         archive=snapshot),
        PAYWALL: LinkResult(PAYWALL, Verdict.PAYWALL, 200, PAYWALL, elapsed=0.5,
                            detail="subscription wall"),
        OK: LinkResult(OK, Verdict.OK, 200, OK, elapsed=0.125),
    }
    E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
    findings = (
        Finding("N103", E, "marker 5 cites note 5, which does not exist", path, 3, 71, note=5,
                fix="Add the missing note, or correct the marker's number."),
        Finding("L401", E, "link is dead (404)", path, 7, 71, note=1, url=DEAD,
                fix=f"cite the archived copy: {snapshot.url}"),
        Finding("D302", E, "accessed April 5, 2031: after 2024-06-01, 100% sure?\r\n"
                "::error::not a command, really", path, 8, 100, note=2),
        Finding("L403", W, "readers hit a paywall | <img src=x onerror=alert(1)> @octocat",
                path, 8, 73, note=2, url=PAYWALL),
        Finding("R202", E, "Ibid. follows note 2, which cites 2 sources: which one?", path, 9, 1,
                note=3, fix="Replace Ibid. with a shortened citation.", page=2),
        Finding("N102", E, "note 3 is numbered like the note on line 9", path, 10, 1, note=3,
                baseline=True),
        Finding("N104", W, "note 3 is never cited \x1b[31min red\x1b[0m", path, 10, 1, note=3,
                baseline=True),
    )
    report1 = DocumentReport(document, links, results, findings, links_checked=True)

    empty_text = "A memo without notes.\n"
    empty = Document("memo.md", "markdown", empty_text, (), ())
    report2 = DocumentReport(
        empty, (), {},
        (Finding("N106", I, "no notes section found: citations were not checked", "memo.md",
                  1, 1),),
        links_checked=True,
    )
    return Report((report1, report2), elapsed=1.5)


@pytest.fixture
def report() -> Report:
    return canonical()
