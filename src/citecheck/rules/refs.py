"""R2xx: back-references (Ibid., Id., supra, short forms) point where they should."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.model import Document, Finding, Note, NoteKind, NoteNumber
from citecheck.parse.citations import words
from citecheck.rules.finding import finding

_BACK = (NoteKind.IBID, NoteKind.ID)
_LABEL = {NoteKind.IBID: "Ibid.", NoteKind.ID: "Id."}


def check(doc: Document) -> Iterator[Finding]:
    by_number: dict[NoteNumber, Note] = {}
    position: dict[NoteNumber, int] = {}
    for pos, note in enumerate(doc.notes):
        by_number.setdefault(note.number, note)
        position.setdefault(note.number, pos)
    for pos, note in enumerate(doc.notes):
        path, span, n = doc.path, note.span, note.number
        if note.kind in _BACK:
            label = _LABEL[note.kind]
            prev = doc.notes[pos - 1] if pos else None
            if prev is None:
                yield finding("R201", f"{label} in the first note has nothing to refer to",
                              path, span, note=n, fix=f"Replace {label} with the full citation.")
            elif len(prev.citations) > 1 and not all(c.kind in _BACK for c in prev.citations):
                # ("See id. at 508; id. at 512." cites one source twice: not ambiguous.)
                yield finding("R202", f"{label} follows note {prev.number}, which cites "
                              f"{len(prev.citations)} sources: which one is meant?",
                              path, span, note=n,
                              fix=f"Replace {label} with a shortened citation naming the "
                              "intended source.")
            elif note.resolves_to is None:
                yield finding("R203", f"{label} refers to note {prev.number}, which does not "
                              "resolve to a full citation", path, span, note=n)
        elif note.kind is NoteKind.SUPRA:
            yield from _supra(doc, note, pos, by_number, position)
        elif note.kind is NoteKind.SHORT and note.resolves_to is None:
            c = note.citations[0]
            who = c.title or c.author or c.text[:40]
            yield finding("R206", f"shortened citation '{who}' matches no earlier full "
                          "citation", path, span, note=n)


def _supra(
    doc: Document,
    note: Note,
    pos: int,
    by_number: dict[NoteNumber, Note],
    position: dict[NoteNumber, int],
) -> Iterator[Finding]:
    c = note.citations[0]
    path, span, n = doc.path, note.span, note.number
    target_no = c.supra_note
    if target_no is None:
        if note.resolves_to is None:
            yield finding("R204", f"'supra' names no note, and no earlier note cites "
                          f"{c.author or 'this source'}", path, span, note=n)
        return
    target = by_number.get(target_no)
    if target is None:
        yield finding("R204", f"supra note {target_no}: there is no note {target_no}", path,
                      span, note=n)
        return
    if position[target_no] >= pos:
        yield finding("R204", f"supra note {target_no} points forward: note {target_no} comes "
                      "after this one", path, span, note=n)
        return
    if note.resolves_to is None:
        yield finding("R203", f"supra note {target_no} refers to a note that does not resolve "
                      "to a full citation", path, span, note=n)
        return
    if c.author and not _names(c.author, target, by_number):
        yield finding("R205", f"'{c.author}' does not appear in note {target_no}, which supra "
                      "points to", path, span, note=n)


def _names(author: str, target: Note, by_number: dict[NoteNumber, Note]) -> bool:
    """Does the note supra points to (or the full citation it resolves to) name `author`?"""
    wanted = set(words(author))
    if not wanted:
        return True
    have: set[str] = set(words(target.text))
    full = by_number.get(target.resolves_to) if target.resolves_to is not None else None
    if full is not None:
        have |= set(words(full.text))
    return wanted <= have
