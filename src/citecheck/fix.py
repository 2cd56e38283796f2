"""The fix an editor applies: each dead or soft-404 URL followed by its archived copy.

    …, <https://example.org/gone>, archived at <https://web.archive.org/web/20240404…/…>
    on April 4, 2024 (accessed April 5, 2024).

The style-manual form ("archived at URL on DATE"), inserted right after the URL (after its
`>` or Markdown `)`) so the access clause keeps its place. Only dead and soft-404 links are
rewritten: a paywalled or bot-blocked page still exists, and replacing it is the editor's call.
`plan` and `apply` are pure; `write_copy` never writes over an input (DESIGN.md §9), gives the
copy the user's usual permissions (umask), and a place it cannot write is one FixError.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from citecheck.model import Document, DocumentReport, NoteNumber, Report, Snapshot, Verdict

FIXABLE = (Verdict.DEAD, Verdict.SOFT_404)
_MARK = "archived at"


@dataclass(frozen=True, slots=True)
class Replacement:
    """One insertion: after the URL cited at `line`:`column`, its snapshot."""

    path: str
    line: int
    column: int
    note: NoteNumber | None
    url: str
    snapshot: Snapshot
    offset: int  # where the insertion goes in the document's text (after the URL and its bracket)
    text: str  # what is inserted

    def describe(self) -> str:
        """The one-line suggestion `--suggest` prints."""
        note = f" note {self.note}:" if self.note is not None else ""
        return (f"{self.path}:{self.line}:{self.column}:{note} {self.url} -> "
                f"{self.snapshot.url} (archived {self.snapshot.timestamp:%Y-%m-%d})")


def long_date(day: dt.date) -> str:
    """`April 4, 2024`: the form briefs use for access dates."""
    return f"{day:%B} {day.day}, {day.year}"


def _line_starts(text: str) -> list[int]:
    return [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]


def _end_of_url(text: str, start: int, url: str) -> int | None:
    """Where the cited URL ends in `text` when it starts at `start`: the parser joined a URL
    wrapped over lines and removed the spaces inside `<…>`, so whitespace is skipped here.
    None when the text there is not that URL (then nothing is inserted)."""
    target = url
    if not text.startswith(("http://", "https://"), start) and target.startswith(
        ("http://", "https://")
    ):
        target = target.split("://", 1)[1]  # the parser added a scheme to a bare `www.`
    i, j = start, 0
    while j < len(target) and i < len(text):
        ch = text[i]
        if ch.lower() == target[j].lower():
            i += 1
            j += 1
        elif ch in " \t\r\n":
            i += 1
        else:
            return None
    return i if j == len(target) else None


def _occurrences(document: Document) -> dict[str, list[tuple[NoteNumber, int, int]]]:
    found: dict[str, list[tuple[NoteNumber, int, int]]] = {}
    for note in document.notes:
        for ref in note.urls:
            found.setdefault(ref.url, []).append((note.number, ref.span.line, ref.span.column))
    return found


def plan(report: DocumentReport) -> list[Replacement]:
    """Every insertion for one document, in text order."""
    doc = report.document
    text = doc.text
    starts, places = _line_starts(text), _occurrences(doc)
    done: set[int] = set()
    out: list[Replacement] = []
    for link in report.links:
        result = report.results.get(link.url)
        snap = result.archive if result is not None and result.verdict in FIXABLE else None
        if snap is None or not snap.url.isprintable() or " " in snap.url:
            continue  # (an archive's answer was checked already; the brief is worth twice)
        for note, line, column in places.get(link.url, ()):
            if line - 1 >= len(starts):
                continue
            start = starts[line - 1] + column - 1
            end = _end_of_url(text, start, link.url)
            if end is None:
                continue
            bracketed = False
            if end < len(text) and text[end] == ">":
                end, bracketed = end + 1, True
            elif end < len(text) and text[end] == ")" and text[max(0, start - 2):start] == "](":
                end += 1
            if end in done or _MARK in text[end:end + 40]:
                continue  # already fixed (a rerun over a fixed copy changes nothing)
            done.add(end)
            shown = f"<{snap.url}>" if bracketed or doc.format == "markdown" else snap.url
            insert = f", {_MARK} {shown} on {long_date(snap.timestamp.date())}"
            out.append(Replacement(doc.path, line, column, note, link.url, snap, end, insert))
    out.sort(key=lambda r: r.offset)
    return out


def apply(text: str, replacements: list[Replacement]) -> str:
    """`text` with every insertion made (offsets refer to the original text)."""
    pieces, last = [], 0
    for r in sorted(replacements, key=lambda r: r.offset):
        pieces += [text[last:r.offset], r.text]
        last = r.offset
    return "".join([*pieces, text[last:]])


class FixError(Exception):
    """The fixed copy cannot be written where asked (the CLI prints it and exits 2)."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def targets(reports: list[DocumentReport], output: str) -> list[tuple[DocumentReport, Path]]:
    """Where each document's fixed copy goes: `output` itself for one document, a file of
    the same name inside the directory `output` for several. Refuses any input path."""
    out = Path(output)
    try:
        if len(reports) == 1 and not out.is_dir():
            pairs = [(reports[0], out)]
        else:
            if out.exists() and not out.is_dir():
                raise FixError(f"{output}: with several files, --fix-archive needs a directory")
            pairs = [(r, out / Path(r.document.path).name) for r in reports]
        inputs = [Path(r.document.path) for r in reports if r.document.path != "<stdin>"]
        for _, dest in pairs:
            if any(_same_file(dest, i) or dest.resolve() == i.resolve() for i in inputs):
                raise FixError(f"{dest}: is an input file; citecheck never writes over its input")
    except (OSError, RuntimeError) as exc:  # an unreadable folder, a symlink loop
        raise FixError(f"{output}: cannot write there ({exc})") from None
    return pairs


def write_copy(text: str, dest: Path) -> None:
    """Write `text` to `dest` atomically (a reader never sees half a brief), created as any
    file the user makes is (mode 0666 less their umask) or with the mode `dest` already has."""
    try:
        if dest.exists() and not dest.is_file():  # /dev/stdout, a pipe: never replaced
            with open(dest, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            return
        real = Path(os.path.realpath(dest))  # through a symlink to the file it names
        tmp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
        real.parent.mkdir(parents=True, exist_ok=True)
        mode = real.stat().st_mode & 0o7777 if real.exists() else 0o666
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.replace(tmp, real)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FixError(f"{dest}: cannot write ({exc.strerror or exc})") from None


def suggestions(report: Report) -> str:
    """What `--suggest` prints: one replacement per line, or a line saying there is none,
    and a line saying so when archives could not be consulted (then "none" is unknown)."""
    lines = [r.describe() for d in report.documents for r in plan(d)]
    if report.archive_problem:
        lines.append(f"no replacement can be suggested where the {report.archive_problem}")
    elif not lines:
        lines.append("no dead or soft-404 link has an archived copy")
    return "\n".join(lines) + "\n"


def write_fixes(report: Report, output: str) -> list[tuple[Path, int]]:
    """Write each document's fixed copy (`targets`); returns (where, insertions) per file."""
    written = []
    for doc_report, dest in targets(list(report.documents), output):
        changes = plan(doc_report)
        write_copy(apply(doc_report.document.text, changes), dest)
        written.append((dest, len(changes)))
    return written
