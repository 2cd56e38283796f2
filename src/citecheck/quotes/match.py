"""Find a quotation in a source's text: match tolerantly, decide strictly.

Both sides are reduced to a sequence of words — Unicode-normalised (PDF ligatures), case
folded, punctuation, quote marks and dashes dropped, a word hyphenated across a line or page
break joined again, soft hyphens removed — and the quotation's words must then appear in
the source exactly, in order. What editors legitimately change is allowed: an ellipsis
(`...`, `…`, `. . .`, `[...]`) omits words, so each piece on either side of it must be
found, in order, close together; a bracketed alteration (`[t]he`, `[the Commission]`) is
the editor's word, so it splits the quotation like a short omission; `[sic]` and
`[emphasis added]` are dropped. Anything else — one word changed — is a miss, reported
with the closest passage of the source and how it differs.

Searching is `str.find` over the joined words (linear, in C); only a miss pays for fuzzy
alignment (rapidfuzz), to name the closest passage.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_TOKEN = re.compile(
    r"[^\W_]+(?:(?:[-\u2010\u2011\u00ad][ \t]*(?:\r?\n|\f)[ \t]*|[\u00ad\u200b-\u200d\u2060\ufeff])"
    r"[^\W_]+)*")
"""A word; one hyphenated at a line or page break (`gov-\\nernment`), or holding a soft
hyphen, is one word again. A hyphen inside a line separates words (`well-known` is "well
known"), so the quotation may spell it either way."""
_BREAK_HYPHEN = re.compile(r"[-\u2010\u2011][ \t]*(?:\r?\n|\f)[ \t]*(?=[^\W_])")
_JOINERS = re.compile(r"[-\u2010\u2011\u00ad\u200b-\u200d\u2060\ufeff\s]+")
_ELLIPSIS = re.compile(r"\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|(?:\.\s*){3,}|…")
_BRACKET = re.compile(r"\[([^\]]{0,80})\]")
_LETTER_BRACKET = re.compile(r"\[([^\W\d_]{1,3})\](?=[^\W\d_])")
_DROPPED = frozenset(["sic", "emphasis added", "emphasis in original", "emphasis omitted"])
_NO_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", " " * 10)

OMISSION_GAP = 1500
"""Words an ellipsis may stand for: a quotation that skips more is quoting two passages."""
ALTERATION_GAP = 12
"""Words a bracketed alteration may replace (`[the Commission]` for "it")."""
CLOSE_ENOUGH = 60.0
"""rapidfuzz score (0–100) from which the best passage is shown as the closest one."""


@dataclass(slots=True)
class Words:
    """A text as a sequence of normalised words, with where each came from."""

    text: str
    words: list[str]
    starts: list[int]
    """Offset in `text` of each word."""
    ends: list[int]
    joined: str
    """' ' + words joined by ' ' + ' ': a word sequence is found with one str.find."""
    at: list[int]
    """Offset in `joined` of each word."""
    other_reading: Words | None = None

    @classmethod
    def of(cls, text: str, *, join_breaks: bool = True) -> Words:
        words, starts, ends = [], [], []
        # Superscript digits are note markers, not words: blanked (offsets kept).
        scan = text.translate(_NO_SUPERSCRIPTS)
        for m in (_TOKEN if join_breaks else _WORD).finditer(scan):
            word = _normal(m.group())
            if word:
                words.append(word)
                starts.append(m.start())
                ends.append(m.end())
        at, pos = [], 1
        for w in words:
            at.append(pos)
            pos += len(w) + 1
        return cls(text, words, starts, ends, " " + " ".join(words) + " ", at)

    def find(self, needle: list[str], start_word: int = 0, end_word: int | None = None) -> int:
        """Index of the first word of `needle` found at or after `start_word` (and starting
        before `end_word`), or -1."""
        if not needle:
            return start_word
        key = " " + " ".join(needle) + " "
        lo = self.at[start_word] - 1 if start_word < len(self.at) else len(self.joined)
        hi = len(self.joined)
        if end_word is not None and end_word < len(self.at):
            hi = self.at[end_word] - 1 + len(key)
        pos = self.joined.find(key, lo, hi)
        if pos < 0:
            return -1
        return bisect.bisect_left(self.at, pos + 1)


    def reread(self) -> Words | None:
        """The text read with hyphens at line breaks kept as hyphens (`well-\\nknown` is
        "well known", not "wellknown"): a break cannot say which it was, so a quotation
        not found one way is looked for the other way too."""
        if self.other_reading is None and _BREAK_HYPHEN.search(self.text):
            self.other_reading = Words.of(self.text, join_breaks=False)
        return self.other_reading


_WORD = re.compile(r"[^\W_]+(?:[\u00ad\u200b-\u200d\u2060\ufeff][^\W_]+)*")


def _normal(word: str) -> str:
    word = unicodedata.normalize("NFKC", word)
    return _JOINERS.sub("", word).casefold()


@dataclass(frozen=True, slots=True)
class Found:
    """Where the quotation is: offsets in the source text of its first and last word."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Missed:
    """The quotation is not in the source. `passage` is the closest one (empty if nothing
    comes close) and `difference` says how it differs, in the editor's words."""

    passage: str
    difference: str


def pieces(quotation: str, *, join_breaks: bool = True) -> list[tuple[list[str], int]]:
    """The quotation's word pieces, each with how many source words may stand between it
    and the piece before (0: the words follow on; an ellipsis or an alteration allows more)."""
    out: list[tuple[list[str], int]] = []
    gap = 0
    for k, part in enumerate(_ELLIPSIS.split(_unbracket_letters(quotation))):
        if k:
            gap = OMISSION_GAP
        pos = 0
        for m in _BRACKET.finditer(part):
            words = Words.of(part[pos : m.start()], join_breaks=join_breaks).words
            if words:
                out.append((words, gap))
                gap = 0
            pos = m.end()
            if m.group(1).strip().casefold() not in _DROPPED:
                gap = max(gap, ALTERATION_GAP)
        words = Words.of(part[pos:], join_breaks=join_breaks).words
        if words:
            out.append((words, gap))
            gap = 0
    return out


def _unbracket_letters(quotation: str) -> str:
    """`[t]he` -> `the`: a bracket of a few letters opening a word changes only its case."""
    return _LETTER_BRACKET.sub(r"\1", quotation)


def _plain(quotation: str) -> str:
    """The quotation's own words, ellipses and alterations blanked: what the diff shows."""
    return _BRACKET.sub(" ", _ELLIPSIS.sub(" ", _unbracket_letters(quotation)))


MAX_PLACES = 50
"""Places of a quotation looked at for one on the cited page (a phrase a source repeats)."""


def locate(
    quotation: str, source: Words, prefer: Callable[[Found], bool] | None = None
) -> Found | Missed:
    """Find `quotation` in `source`: every piece, in order, within its allowed gap. Where
    the source has the words in several places, the first that `prefer` accepts (on the
    page the note cites) is given, else the first."""
    result = _locate(quotation, source, True, prefer)
    if isinstance(result, Found):
        return result
    # A hyphen at a line break may be a word's or a compound's: try the other readings.
    tries = [(source.reread(), True)]
    if _BREAK_HYPHEN.search(quotation):
        tries += [(source, False), (source.reread(), False)]
    for other, join in tries:
        if other is not None and isinstance(
                found := _locate(quotation, other, join, prefer), Found):
            return found
    return result


def _locate(
    quotation: str, source: Words, join_breaks: bool, prefer: Callable[[Found], bool] | None
) -> Found | Missed:
    parts = pieces(quotation, join_breaks=join_breaks)
    if not parts:
        return Missed("", "the quotation has no words")
    first_words, _ = parts[0]
    start = 0
    failed_at = 0
    first: Found | None = None
    for _ in range(MAX_PLACES if prefer is not None else 1_000_000):
        at = source.find(first_words, start)
        if at < 0:
            break
        end, failed = _rest(parts, source, at)
        if end >= 0:
            found = Found(source.starts[at], source.ends[end])
            if prefer is None or prefer(found):
                return found
            first = first or found
        else:
            failed_at = max(failed_at, failed)
        start = at + 1
    return first or _closest(quotation, parts, failed_at, source)


def _rest(parts: list[tuple[list[str], int]], source: Words, at: int) -> tuple[int, int]:
    """The last word index of a match whose first piece starts at `at`, or (-1, index of
    the piece that could not be found)."""
    last = at + len(parts[0][0]) - 1
    for k, (words, gap) in enumerate(parts[1:], start=1):
        nxt = last + 1
        if gap == 0:
            if source.words[nxt : nxt + len(words)] != words:
                return -1, k
            last = nxt + len(words) - 1
            continue
        found = source.find(words, nxt, nxt + gap + 1)
        if found < 0:
            return -1, k
        last = found + len(words) - 1
    return last, len(parts)


def _closest(
    quotation: str, parts: list[tuple[list[str], int]], failed: int, source: Words
) -> Missed:
    """The passage of the source closest to the quotation (to the piece that could not be
    found, after an ellipsis), and how the two differ."""
    if not source.words:
        return Missed("", "the source has no text")
    from rapidfuzz import fuzz

    wanted = parts[failed][0] if failed and parts[failed][1] else [w for p in parts for w in p[0]]
    hit = fuzz.partial_ratio_alignment(
        " ".join(wanted), source.joined, score_cutoff=CLOSE_ENOUGH
    )
    if hit is None:
        return Missed("", "no passage of the source comes close")
    first = max(0, bisect.bisect_right(source.at, hit.dest_start) - 1)
    last = max(first, bisect.bisect_right(source.at, max(hit.dest_end - 1, 0)) - 1)
    ours = Words.of(_plain(quotation))
    if failed and parts[failed][1]:
        done = sum(len(p[0]) for p in parts[:failed])
        ours = _slice(ours, done, done + len(wanted))
    first, last = _fit(ours.words, source.words, first, last)
    passage = source.text[source.starts[first] : source.ends[last]]
    return Missed(" ".join(passage.split()), difference(ours, source, first, last))


def _fit(ours: list[str], theirs: list[str], first: int, last: int) -> tuple[int, int]:
    """Widen the aligned window by a few words each side, then trim the source words at
    either end that the quotation does not share: the passage to show is the one the
    quotation was meant to reproduce."""
    import difflib

    slack = 3 + len(ours) // 4
    a, b = max(0, first - slack), min(len(theirs) - 1, last + slack)
    blocks = difflib.SequenceMatcher(None, ours, theirs[a : b + 1], autojunk=False)
    matched = [m for m in blocks.get_matching_blocks() if m.size]
    if not matched:
        return first, last
    lo = a + matched[0].b - matched[0].a
    hi = a + matched[-1].b + matched[-1].size - 1 + (len(ours) - matched[-1].a - matched[-1].size)
    lo, hi = max(a, lo), min(b, max(hi, lo))
    return lo, hi


def _slice(words: Words, a: int, b: int) -> Words:
    return Words(words.text, words.words[a:b], words.starts[a:b], words.ends[a:b], "", [])


def difference(ours: Words, source: Words, first: int, last: int) -> str:
    """How the quotation's words differ from source words first..last, in the editor's
    terms: "source says 'grave', brief says 'serious'"."""
    import difflib

    theirs = source.words[first : last + 1]
    sm = difflib.SequenceMatcher(None, ours.words, theirs, autojunk=False)
    said = []
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            continue
        brief, src = _span(ours, a1, a2), _span(source, first + b1, first + b2)
        if op == "replace":
            said.append(f"source says '{src}', brief says '{brief}'")
        elif op == "delete":
            said.append(f"the source does not have '{brief}'")
        else:
            said.append(f"the brief leaves out '{src}' without an ellipsis")
        if len(said) == 3:
            break
    return "; ".join(said) if said else "the words differ"


def _span(words: Words, a: int, b: int) -> str:
    if a >= b or a >= len(words.starts):
        return ""
    text = words.text[words.starts[a] : words.ends[b - 1]]
    return " ".join(text.split())[:120]
