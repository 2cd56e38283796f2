"""Suppressions: the findings an editor has looked at and decided to keep.

Three ways, from the most local to the most general:

1. **An ignore directive in the document** (ruff's `# noqa`, eslint's `eslint-disable`):

       <!-- citecheck: ignore R202 -->        Markdown and HTML: an invisible comment
       citecheck: ignore[R202, D3]            any format, e.g. in a draft's note text

   Codes are rule codes or prefixes, separated by commas or spaces; none means every rule.
   A directive that shares its line with text applies to that line; a directive alone on
   its line applies to the next non-blank line (eslint's `disable-next-line`), so a
   comment can stand above a note without changing it. When the line it applies to
   belongs to a note, the directive covers the whole note: every finding about that note
   or placed inside it. In the body it covers findings on that line only.

2. **`suppress` entries in the configuration**, for plain text, where a comment would be
   printed with the brief. An entry names rule codes and, optionally, the file (a glob),
   the note (words its text contains — stable when notes are renumbered or lines move,
   unlike a note number) and the URL (a regular expression), with the reason:

       [[tool.citecheck.suppress]]
       path = "briefs/grain-*.txt"
       note = "Jones, supra note 3"
       codes = ["R205"]
       reason = "Jones wrote the report note 3 cites under the institute's name"

3. **`exclude`**: a URL matching one of these regular expressions (RE2 syntax, matched in
   linear time: citecheck.patterns) is not checked, and no link, body-link or archive
   finding (L, B, A, Q) is reported for it.

A baseline (`citecheck.baseline`) is different: it does not hide old findings, it keeps
them out of the exit code.
"""

from __future__ import annotations

import re

from citecheck.lazyre import lazy
from citecheck.model import Document, Finding

TYPE_CHECKING = False  # `typing` is not imported on the offline path (see cli.py)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from citecheck.config import Config, Suppression
    from citecheck.patterns import Pattern

_DIRECTIVE = lazy(  # compiled only for a document that mentions citecheck at all
    r"(?:<!--[ \t]*)?\[?citecheck:[ \t]*ignore"
    r"(?:\[(?P<bracket>[^\]\n]*)\]|(?P<bare>(?:[ \t,]+[A-Za-z][0-9]{0,3}\b)*))"
    r"\]?(?:[ \t]*-->)?",
    re.IGNORECASE,
)
_CODE = lazy(r"[A-Za-z][0-9]{0,3}")
_ALL: tuple[str, ...] = ()
"""The codes of a directive that names none: every rule."""


def apply(document: Document, findings: Sequence[Finding], config: Config) -> list[Finding]:
    """`findings` without those that a directive, a `suppress` entry or `exclude` covers."""
    kept = list(findings)
    if not kept:
        return kept
    if "citecheck" in document.text:  # a substring test keeps the common case free
        kept = _inline(document, kept)
    if config.suppress:
        kept = [f for f in kept if not any(_entry_covers(s, f, document)
                                           for s in config.suppress)]
    if config.exclude:
        from citecheck.patterns import compile_pattern

        patterns = [compile_pattern(p) for p in config.exclude]
        kept = [f for f in kept if not _excluded(f, patterns)]
    return kept


def directives(text: str) -> list[tuple[int, tuple[str, ...], bool]]:
    """Every ignore directive as (1-based line, codes, alone on its line)."""
    out = []
    for index, line in enumerate(text.split("\n")):
        if "citecheck" not in line.lower():
            continue
        for m in _DIRECTIVE.finditer(line):
            raw = m.group("bracket") if m.group("bracket") is not None else m.group("bare")
            codes = tuple(c.upper() for c in _CODE.findall(raw or ""))
            rest = line[: m.start()] + line[m.end():]
            out.append((index + 1, codes or _ALL, not rest.strip()))
    return out


def _inline(document: Document, findings: list[Finding]) -> list[Finding]:
    found = directives(document.text)
    if not found:
        return findings
    lines = document.text.split("\n")
    spans = [(n.span.line, max(n.end_line, n.span.line), n.number) for n in document.notes]
    by_note: dict[object, list[tuple[str, ...]]] = {}
    by_line: dict[int, list[tuple[str, ...]]] = {}
    for line, codes, alone in found:
        target = _next_text_line(lines, line) if alone else line
        if target is None:
            continue
        note = next((number for first, last, number in spans if first <= target <= last), None)
        if note is not None:
            by_note.setdefault(note, []).append(codes)
        else:
            by_line.setdefault(target, []).append(codes)

    def covered(f: Finding) -> bool:
        scopes = list(by_line.get(f.line, ()))
        scopes += by_note.get(f.note, ()) if f.note is not None else ()
        for first, last, number in spans:
            if first <= f.line <= last and number in by_note:
                scopes += by_note[number]
        return any(_matches(f.code, codes) for codes in scopes)

    return [f for f in findings if not covered(f)]


def _next_text_line(lines: list[str], line: int) -> int | None:
    for index in range(line, len(lines)):  # `line` is 1-based: lines[line] is the next one
        if lines[index].strip():
            return index + 1
    return None


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    prefixes = tuple(prefixes)
    return not prefixes or any(code.startswith(p) for p in prefixes)


def _entry_covers(entry: Suppression, f: Finding, document: Document) -> bool:
    if not _matches(f.code, entry.codes):
        return False
    if entry.path is not None and not _path_matches(entry.path, f.path):
        return False
    if entry.url is not None and (f.url is None or not _url_pattern(entry.url).search(f.url)):
        return False
    if entry.note is not None:
        note = next((n for n in document.notes if n.number == f.note), None)
        if note is None:
            return False
        return _squash(entry.note) in _squash(note.text)
    return True


def _path_matches(pattern: str, path: str) -> bool:
    from citecheck.inputs import path_matches

    return path_matches(pattern, path)


def _url_pattern(source: str) -> Pattern:
    from citecheck.patterns import compile_pattern

    return compile_pattern(source)


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _excluded(f: Finding, patterns: list[Pattern]) -> bool:
    return f.url is not None and f.code[:1] in "LABQ" and any(p.search(f.url) for p in patterns)
