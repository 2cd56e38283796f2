"""The types that flow through citecheck's pipeline: read the names and you have the design.

    read  -> Document (text, notes, markers)
    check -> Finding            (offline rules on notes and markers)
    links -> Link -> LinkResult (one per unique URL, checked online)
    all   -> DocumentReport -> Report -> formatted output + exit code

Every type is a frozen dataclass of plain values so that stages stay pure and results can be
compared, cached and rendered by any reporter without knowing where they came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

NoteNumber = int | str
"""An int for numbered notes; a string label for named footnotes such as Markdown `[^smith]`."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used by --fail-on and sorting."""
        return {"info": 1, "warning": 2, "error": 3}[self.value]


class NoteKind(StrEnum):
    FULL = "full"
    IBID = "ibid"
    ID = "id"
    SUPRA = "supra"
    SHORT = "short"


class Verdict(StrEnum):
    """What checking a link established. Only DEAD means the source is gone."""

    OK = "ok"
    MOVED = "moved"
    DEAD = "dead"
    SOFT_404 = "soft-404"
    PAYWALL = "paywall"
    BLOCKED = "blocked"
    TIMEOUT = "timeout"
    ERROR = "error"
    SKIPPED = "skipped"

    @property
    def is_broken(self) -> bool:
        """The reader cannot reach the cited content: worth an archived copy."""
        return self in (Verdict.DEAD, Verdict.SOFT_404, Verdict.PAYWALL, Verdict.BLOCKED)


@dataclass(frozen=True, slots=True)
class Span:
    """Where something stands in the input: 1-based line and column (in characters)."""

    line: int
    column: int = 1


@dataclass(frozen=True, slots=True)
class AccessDate:
    """An "accessed …" / "last visited …" clause, read or not.

    `date` is None when the text could not be read or names a day that does not exist;
    `problem` then says why. `precision` is "day", "month" or "year".
    """

    text: str
    span: Span
    date: dt.date | None
    precision: str = "day"
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class UrlRef:
    """A URL as cited: cleaned (wrapping joined, trailing punctuation removed) with its place."""

    url: str
    span: Span


@dataclass(frozen=True, slots=True)
class Citation:
    """One source inside a note; a note may cite several, separated by semicolons."""

    text: str
    span: Span
    kind: NoteKind = NoteKind.FULL
    urls: tuple[UrlRef, ...] = ()
    accessed: tuple[AccessDate, ...] = ()
    author: str | None = None
    title: str | None = None
    locator: str | None = None
    source_date: dt.date | None = None
    source_date_precision: str = "day"
    supra_note: int | None = None
    """For "supra note N": the N written in the text."""
    hereinafter: str | None = None
    """The short name a full citation defines with "[hereinafter …]"."""


@dataclass(frozen=True, slots=True)
class Note:
    """A numbered endnote or footnote, with its back-reference resolved.

    `refers_to` is the note a back-reference points at directly (Ibid. -> the previous note);
    `resolves_to` is the note holding the full citation at the end of that chain.
    Both are None for a full citation and for a back-reference that cannot be resolved.
    """

    number: NoteNumber
    span: Span
    text: str
    citations: tuple[Citation, ...]
    kind: NoteKind = NoteKind.FULL
    refers_to: NoteNumber | None = None
    resolves_to: NoteNumber | None = None
    end_line: int = 0
    style: str = ""
    """How its number was written: "dot" (1.), "bracket" ([1]), "md" ([^label]:), …"""

    @property
    def urls(self) -> tuple[UrlRef, ...]:
        return tuple(u for c in self.citations for u in c.urls)

    @property
    def accessed(self) -> tuple[AccessDate, ...]:
        return tuple(a for c in self.citations for a in c.accessed)


@dataclass(frozen=True, slots=True)
class Marker:
    """A note reference in the body text: ¹, [1], ^1, a PDF digit, or [^label]."""

    number: NoteNumber
    span: Span
    style: str = "superscript"


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed input: what citecheck knows about one publication before going online."""

    path: str
    format: str
    text: str
    notes: tuple[Note, ...]
    markers: tuple[Marker, ...]
    date: dt.date | None = None
    notes_heading: Span | None = None
    """Where the notes section heading stands, if there is one."""
    problems: tuple[Finding, ...] = ()
    """Findings the parser itself makes (e.g. a notes section it could not read)."""
    pages: tuple[int, ...] = ()
    """For a paged source (a PDF, text with form feeds): the 1-based line of `text` on which
    each page begins. Empty when the source has no pages."""
    body_urls: tuple[UrlRef, ...] = ()
    """URLs cited in the body text, outside the notes (checked too, reported at their line)."""
    seen: tuple[str, ...] = ()
    """What the reader recognised, in a few words each ("read as HTML", "79 <sup> markers",
    "no notes list found"): shown by -v, and named by the finding that says notes are missing."""
    unit: str = "line"
    """What a line of `text` is in the source: "line" (text, Markdown, HTML source lines,
    PDF lines) or "paragraph" (a Word document: one paragraph per line)."""
    encoding: str | None = None
    """The codec a text input was decoded with ("utf-8", "utf-16", "cp1252", …); None for
    binary formats (PDF, Word)."""

    def page_of(self, line: int) -> tuple[int, int] | None:
        """(page, line on that page), both 1-based, for a line of `text`; None if unpaged."""
        if not self.pages:
            return None
        import bisect

        k = bisect.bisect_right(self.pages, line)
        if k == 0:
            return None
        return k, line - self.pages[k - 1] + 1


@dataclass(frozen=True, slots=True)
class Link:
    """A unique URL with every place it is cited: checked once, reported under each note."""

    url: str
    notes: tuple[NoteNumber, ...]
    spans: tuple[Span, ...]
    accessed: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a redirect chain."""

    url: str
    status: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An archived copy of a page, e.g. a Wayback Machine capture."""

    url: str
    timestamp: dt.datetime
    archive: str
    status: int | None = 200
    original: str | None = None


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The outcome of checking one URL; failures are data, never exceptions."""

    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    chain: tuple[Hop, ...] = ()
    elapsed: float = 0.0
    detail: str = ""
    archive: Snapshot | None = None
    checked_at: dt.datetime | None = None
    failing_since: dt.datetime | None = None
    failures: int = 0
    from_cache: bool = False
    reason: str = ""
    """Which evidence decided the verdict, as a stable token ("http-404", "nxdomain",
    "redirect-home", "jsonld", "private-address", "excluded", "network-down", …): rules pick a
    code by it (L407 vs L408 vs L409) and JSON consumers may filter on it."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, at one place, with what to do about it."""

    code: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int = 1
    note: NoteNumber | None = None
    url: str | None = None
    fix: str | None = None
    page: int | None = None
    """The page the finding is on, for a paged source (PDF); `line` stays the line of the
    document's text, so ordering, fingerprints and suppressions work alike for every format."""
    baseline: bool = False
    """Recorded in the baseline file (--baseline): still reported, but it does not fail the
    gate, so CI fails only on problems a change introduces."""


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    """What became of the body's quotations: found in their source, not found (Q601), found
    on another page (Q602), or not checked, with why (a paywalled source, a scan, …)."""

    found: int = 0
    missed: int = 0
    elsewhere: int = 0
    unchecked: tuple[tuple[str, int], ...] = ()
    """(reason, count), most frequent first."""

    @property
    def checked(self) -> int:
        return self.found + self.missed + self.elsewhere

    @property
    def not_checked(self) -> int:
        return sum(n for _, n in self.unchecked)

    def line(self) -> str:
        """"12 quotations checked (10 found, 1 not found, 1 on another page); 2 not checked
        (2 source paywall)"."""
        parts = [f"{self.found} found"]
        if self.missed:
            parts.append(f"{self.missed} not found")
        if self.elsewhere:
            parts.append(f"{self.elsewhere} on another page")
        text = f"{self.checked} quotation{'' if self.checked == 1 else 's'} checked"
        text += f" ({', '.join(parts)})" if self.checked else ""
        if self.unchecked:
            why = ", ".join(f"{n} {reason}" for reason, n in self.unchecked)
            text += f"; {self.not_checked} not checked ({why})"
        return text


@dataclass(frozen=True, slots=True)
class DocumentReport:
    document: Document
    links: tuple[Link, ...]
    results: dict[str, LinkResult] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    links_checked: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    documents: tuple[DocumentReport, ...]
    network_down: bool = False
    notice: str | None = None
    """One line the user must see, e.g. that links were not checked."""
    archive_problem: str | None = None
    """Why archives could not be consulted for some broken links (the A504), if so: what
    --suggest says when it has no replacement to offer for them."""
    unchecked: str | None = None
    """Why the links were not checked, when they were not: "offline" (--offline) or
    "network-down". Every format says so, so a clean report never overstates."""
    elapsed: float = 0.0
    """Wall-clock seconds of the whole run (read, parse, check, look up)."""
    without_notes: tuple[str, ...] = ()
    """Files a folder or glob found that have no notes: listed once, not one N106 each."""
    skipped: tuple[tuple[str, str], ...] = ()
    """Files a folder or glob found that could not be read: (path, why)."""
    quotes: QuoteSummary | None = None
    """What became of the quotations, when quotations were looked for (online, with Q on)."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for d in self.documents for f in d.findings)

    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts
