"""Fingerprints: one stable identity per finding, shared by the baseline and SARIF.

A CI gate that compares runs must recognise "the same problem" after an editor adds a
paragraph above it (every line number shifts) or reflows a note (its line breaks change).
So a fingerprint hashes what the problem is *about*, never where it stands:

    rule code | the URL, for a finding about a link
              | otherwise the text of the note it concerns, whitespace collapsed
                (or, for a body marker, the text of its line; for a missing note,
                its number)

and appends an occurrence index (`:1`, `:2`, …) so that two identical problems in one
document stay distinct. This is the scheme GitHub code scanning uses for its own
`primaryLocationLineHash` (a content hash plus an occurrence count), applied to notes
rather than lines because a note is the unit an editor moves.

Line and column numbers and messages are left out on purpose: messages quote line numbers
("numbered like the note on line 55") and would change with every shift.
"""

from __future__ import annotations

import hashlib

from citecheck.model import Document, DocumentReport, Finding

VERSION = "v1"
"""Bumped if the recipe changes, so an old baseline is refused rather than half-matched."""

TYPE_CHECKING = False  # `typing` is not imported on the offline path (see cli.py)
if TYPE_CHECKING:
    from collections.abc import Iterable


def fingerprints(report: DocumentReport) -> list[str]:
    """The fingerprint of each of `report.findings`, in order."""
    return of_findings(report.document, report.findings)


def note_index(document: Document, finding: Finding) -> int | None:
    """Which of `document.notes` a finding is about: the note with its number, and when two
    notes share a number (N102), the one whose lines hold the finding."""
    if finding.note is None:
        return None
    matches = [i for i, n in enumerate(document.notes) if n.number == finding.note]
    if len(matches) > 1:
        for i in matches:
            note = document.notes[i]
            if note.span.line <= finding.line <= max(note.end_line, note.span.line):
                return i
    return matches[0] if matches else None


def of_findings(document: Document, findings: Iterable[Finding]) -> list[str]:
    lines: list[str] | None = None
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        index = note_index(document, f)
        if f.url is not None:
            # A finding about a link is about that URL: editing the note's wording or its
            # access date must not make old link rot look new. The occurrence index keeps
            # one URL cited in several notes apart.
            context = "url"
        elif index is not None:
            context = f"note|{' '.join(document.notes[index].text.split())}"
        elif f.code == "N101":
            # A missing note is its number alone: it is reported on the next note's line,
            # and correcting that note (its access date, a typo) must not make it new.
            context = f"missing|{f.note}"
        else:
            if lines is None:
                lines = document.text.split("\n")
            line = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
            # A missing or orphan note number is part of what the problem is.
            context = f"line|{f.note if f.note is not None else ''}|{' '.join(line.split())}"
        digest = hashlib.sha256(
            "\x1f".join((f.code, f.url or "", context)).encode("utf-8")
        ).hexdigest()[:20]
        seen[digest] = seen.get(digest, 0) + 1
        out.append(f"{digest}:{seen[digest]}")
    return out
