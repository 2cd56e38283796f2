"""Resolve back-references: where each Ibid., Id., supra and shortened citation points.

- Ibid./Id. point to the previous note, and only make sense when it cites one source
  (Chicago 14.34; Bluebook 4.1). A chain 3 -> 2 -> 1 resolves 3 to 1.
- "supra note N" points to note N, which must come earlier.
- A shortened citation ("Smith, *Ports*, p. 9.") or a "[hereinafter Name]" short name points
  to the earlier full citation with the same author and title.

Matching is indexed by author and title words, so it stays linear in the number of notes.
"""

from __future__ import annotations

import re
from collections import defaultdict

from citecheck.model import Citation, Note, NoteKind, NoteNumber
from citecheck.parse.citations import words

_BACK = (NoteKind.IBID, NoteKind.ID)
_SHORT_MAX = 220
"""A shortened citation is short: longer pieces are discussion or full citations."""


class _Full:
    """An earlier full citation as the short-form matcher sees it. Title and text words are
    worked out only when a look-up reaches the entry: most full citations are never the
    target of a short form, and at 20,000 notes the words cost a tenth of the parse."""

    __slots__ = ("_title_words", "_words", "author", "number", "text", "title")

    def __init__(self, number: NoteNumber, author: list[str], title: str | None, text: str):
        self.number, self.author, self.title, self.text = number, author, title, text
        self._title_words: list[str] | None = None
        self._words: frozenset[str] | None = None

    def title_words(self) -> list[str]:
        if self._title_words is None:
            self._title_words = words(self.title)
        return self._title_words

    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(words(self.text))
        return self._words


def resolve(notes: list[Note]) -> list[Note]:
    """Fill in kind, refers_to and resolves_to of every note, in document order."""
    out: list[Note] = []
    by_number: dict[NoteNumber, Note] = {}
    order: dict[NoteNumber, int] = {}
    index = _FullIndex()
    for pos, note in enumerate(notes):
        first = note.citations[0] if note.citations else None
        resolved = note
        if first is not None:
            resolved = _resolve_one(note, first, pos, out, by_number, order, index)
        out.append(resolved)
        by_number.setdefault(resolved.number, resolved)
        order.setdefault(resolved.number, pos)
        for c in resolved.citations:
            if c.kind is NoteKind.FULL and not looks_short(c):
                index.add(resolved.number, c)
            elif c.kind is NoteKind.FULL and resolved.kind is NoteKind.FULL:
                index.add_cases(resolved.number, c.text)  # "…, 555 U.S. 555, 565 (2009)"
    return out


def _resolve_one(
    note: Note,
    first: Citation,
    pos: int,
    done: list[Note],
    by_number: dict[NoteNumber, Note],
    order: dict[NoteNumber, int],
    index: _FullIndex,
) -> Note:
    if first.kind in _BACK:
        if not done:
            return replace(note, kind=first.kind)
        prev = done[-1]
        # "See id. at 508; id. at 512–13." cites one source twice: an Id. after it is clear.
        if len(prev.citations) != 1 and not all(c.kind in _BACK for c in prev.citations):
            return replace(note, kind=first.kind, refers_to=prev.number)
        return replace(note, kind=first.kind, refers_to=prev.number, resolves_to=_target(prev))
    if first.kind is NoteKind.SUPRA:
        n = first.supra_note
        if n is None:
            hit = index.match(first.author, None)
            return replace(note, kind=NoteKind.SUPRA, refers_to=hit, resolves_to=hit)
        target = by_number.get(n)
        if target is None or order.get(n, pos) >= pos:
            return replace(note, kind=NoteKind.SUPRA, refers_to=n)
        return replace(note, kind=NoteKind.SUPRA, refers_to=n, resolves_to=_target(target))
    hit = index.hereinafter(first.text)
    if hit is not None:
        return replace(note, kind=NoteKind.SHORT, refers_to=hit, resolves_to=hit)
    case = _CASE_SHORT.match(first.text) if _AT_PAGE.search(first.text) else None
    if case is not None:
        hit = index.case(_reporter_key(case.group(1), case.group(2)))
        if hit is not None:
            return replace(note, kind=NoteKind.SHORT, refers_to=hit, resolves_to=hit)
    head = first.text[:240]
    if ("supra" in head or "infra" in head) and _WITHIN.search(head):
        return replace(note, kind=NoteKind.FULL)  # a cross-reference: nothing to resolve
    if looks_short(first):
        hit = index.match(first.author, first.title)
        return replace(note, kind=NoteKind.SHORT, refers_to=hit, resolves_to=hit)
    if _bare_candidate(first):
        # Italics lost in extraction: "Author, Short Title, pp. 19 and 20." is still a short
        # form when every word of it stands in one earlier full citation.
        hit = index.match_words(first.text)
        if hit is not None:
            return replace(note, kind=NoteKind.SHORT, refers_to=hit, resolves_to=hit)
    return note if note.kind is NoteKind.FULL else replace(note, kind=NoteKind.FULL)


def replace(
    note: Note,
    *,
    kind: NoteKind,
    refers_to: NoteNumber | None = None,
    resolves_to: NoteNumber | None = None,
) -> Note:
    """`dataclasses.replace` for the three fields resolution sets, at a third of its cost
    (it matters at 20,000 notes)."""
    return Note(note.number, note.span, note.text, note.citations, kind, refers_to,
                resolves_to, note.end_line, note.style)


def _target(note: Note) -> NoteNumber | None:
    """Where a reference to `note` ends up: the note itself when it holds a full citation,
    or a shortened citation that matched nothing (R206 says so; the chain is not broken)."""
    if note.kind is NoteKind.FULL or (note.kind is NoteKind.SHORT and note.resolves_to is None):
        return note.number
    return note.resolves_to


_PIN_AT = re.compile(r"at(?<=\bat)(?<!codified at)(?<!reprinted at)(?<!amended at)\s+\d")
"""A pin cite ("Riley, 488 U.S. at 450"); "codified (as amended) at 49 U.S.C." places a
statute. The pattern opens with its literal, which re finds by a fast scan: the look-behinds
first, tried at every character, cost a tenth of a 20,000-note parse."""

_REPORTER = (
    r"[A-Z][A-Za-z.’']*(?:\d[a-z]{1,2})?"
    r"(?:[ \t\n](?:[A-Z][A-Za-z.’']*(?:\d[a-z]{1,2})?|\d[a-z]{1,2}\.?)){0,3}"
)
"""A reporter or code as Bluebook abbreviates it: "U.S.", "F.4th", "F. Supp. 3d",
"S. Ct.", "F. App’x", "Stat."."""
_CASE_CITE = re.compile(r"\b(\d{1,4})[ \t\n](" + _REPORTER + r")[ \t\n]\d{1,5}\b")
"""A full cite's volume, reporter and first page ("555 U.S. 555")."""
_VOLUME = re.compile(r"\d[ \t\n][A-Z]")
"""A volume before its reporter: every full cite holds one; a plain scan tells most notes
have none before the pattern, with its backtracking reporter, is tried at every digit."""
_CASE_SHORT = re.compile(
    r"(?i:(?:see|see also|cf\.|but see|accord|compare)(?:,? e\.g\.,?)?[ \t\n]+)?"
    r"(?:[^,;()]{1,80},[ \t\n]+)?(\d{1,4})[ \t\n](" + _REPORTER + r")[ \t\n]at[ \t\n]+\d"
)
"""A Bluebook short form (rule 10.9): "Wyeth, 555 U.S. at 565", "691 F.2d at 61"."""
_AT_PAGE = re.compile(r"at(?<=[ \t\n]at)[ \t\n]+\d")
"""What every such short form holds, found by a plain scan before the pattern is tried."""
_WITHIN = re.compile(
    r"(?i:(?:see|see also|cf\.)(?:,? e\.g\.,?)?[ \t\n]+)?(?:infra|supra)[ \t\n]*[“\"‘]"
)
"""'See infra “Heading.”': a pointer to a part of this document, not to a source."""


def _reporter_key(volume: str, reporter: str) -> str:
    return volume + " " + "".join(reporter.split()).replace("’", "'")


def looks_short(c: Citation) -> bool:
    """A shortened citation names an author and a (short) title with a locator, and carries
    neither URL nor date: those belong to the full citation."""
    if c.kind is not NoteKind.FULL or c.urls or c.source_date or c.accessed:
        return False
    if len(c.text) > _SHORT_MAX or c.hereinafter:
        return False
    if _VOLUME.search(c.text) and _CASE_CITE.search(c.text):
        return False  # "…, 91 Federal Register 2642", "512 U.S. 61": volume and first page
    if re.search(r"\b(?:v\.|vol\.|no\.|press\b|university\b|ed\.|eds\.|trans\.)", c.text, re.I):
        return c.title is None and bool(_PIN_AT.search(c.text))
    return bool(c.title and _names_someone(c.author)) or bool(_PIN_AT.search(c.text))


_PROSE = frozenset({"is", "are", "was", "were", "there", "also", "may", "such", "which",
                    "this", "these", "that", "example", "see", "for", "section", "entitled"})


def _names_someone(author: str | None) -> bool:
    """The text before a quoted title names an author or body ("Kraska", "NOAA"), not a
    statute ("10 U.S.C. §1553(b)") or a sentence ("There is also a DD Form 214-1")."""
    found = words(author)
    if not found or len(found) > 6 or author is None:
        return False
    if author[:1].isdigit() or "§" in author:
        return False
    return not any(w in _PROSE for w in found[1:]) and found[0] not in _PROSE - {"see"}


def _bare_candidate(c: Citation) -> bool:
    return (
        c.kind is NoteKind.FULL
        and c.title is None
        and not (c.urls or c.source_date or c.accessed or c.hereinafter)
        and len(c.text) <= _SHORT_MAX
    )


_PIN_WORDS = frozenset({"p", "pp", "para", "paras", "ch", "chap", "n", "nn"})


class _FullIndex:
    """Earlier full citations, indexed by their author's words; by title words too, built
    the first time a short form without an author asks."""

    def __init__(self) -> None:
        self._entries: list[_Full] = []
        self._by_author: dict[str, list[_Full]] = defaultdict(list)
        self._by_title: dict[str, list[_Full]] | None = None
        self._names: dict[str, NoteNumber] = {}
        self._cases: dict[str, NoteNumber] = {}

    def add_cases(self, number: NoteNumber, text: str) -> None:
        """Index the volume and reporter of each full case or statute cite in `text`: a
        Bluebook short form names them ("555 U.S. at 565"), not the author or title."""
        if _VOLUME.search(text):
            for m in _CASE_CITE.finditer(text):
                self._cases.setdefault(_reporter_key(m.group(1), m.group(2)), number)

    def case(self, key: str) -> NoteNumber | None:
        return self._cases.get(key)

    def add(self, number: NoteNumber, c: Citation) -> None:
        self.add_cases(number, c.text)
        entry = _Full(number, words(c.author), c.title, c.text)
        self._entries.append(entry)
        for w in set(entry.author):
            self._by_author[w].append(entry)
        if self._by_title is not None:
            self._index_title(entry)
        if c.hereinafter:
            self._names.setdefault(" ".join(words(c.hereinafter)), number)

    def _index_title(self, entry: _Full) -> None:
        assert self._by_title is not None
        for w in set(entry.title_words()):
            self._by_title.setdefault(w, []).append(entry)

    def hereinafter(self, text: str) -> NoteNumber | None:
        if not self._names:
            return None
        head = words(text)
        for size in range(min(len(head), 8), 0, -1):
            hit = self._names.get(" ".join(head[:size]))
            if hit is not None:
                return hit
        return None

    def match(self, author: str | None, title: str | None) -> NoteNumber | None:
        a, t = words(author), words(title)
        if a:
            bucket = _rarest(a, self._by_author)
        elif t:
            bucket = _rarest(t, self._titles(), every=True)
        else:
            return None
        for entry in bucket:
            full_title = entry.title_words()
            if a and not set(a) <= set(entry.author) | set(full_title):
                continue
            if t and not _title_matches(t, full_title):
                continue
            return entry.number
        return None

    def _titles(self) -> dict[str, list[_Full]]:
        if self._by_title is None:
            self._by_title = {}
            for entry in self._entries:
                self._index_title(entry)
        return self._by_title

    def match_words(self, text: str) -> NoteNumber | None:
        """The earlier full citation holding every word of `text` but its pin cite."""
        wanted = [w for w in words(text) if not w.isdigit() and w not in _PIN_WORDS]
        if len(wanted) < 2:
            return None
        need = set(wanted)
        for entry in _rarest(wanted, self._by_author):
            if need <= entry.words():
                return entry.number
        return None


def _rarest(
    wanted: list[str], index: dict[str, list[_Full]], *, every: bool = False
) -> list[_Full]:
    """The smallest bucket among `wanted`'s words: a match must hold all of them, so any
    one bucket has every candidate, and the rarest keeps look-ups cheap when one author is
    cited hundreds of times. With `every`, a word missing from the index means no match."""
    best: list[_Full] | None = None
    for w in set(wanted):
        bucket = index.get(w)
        if bucket is None:
            if every:
                return []
            continue
        if best is None or len(bucket) < len(best):
            best = bucket
    return best or []


def _title_matches(short: list[str], full: list[str]) -> bool:
    """A short title is the full title's leading words, or a subset of them."""
    return bool(full) and (full[: len(short)] == short or set(short) <= set(full))
