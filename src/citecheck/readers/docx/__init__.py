"""Word (.docx): the footnotes and endnotes Word keeps, or a typed "Notes" list.

A .docx is a ZIP of XML parts, read here with zipfile and lxml. python-docx is not used: it
does not read footnotes or endnotes at all, and its import costs more than this reader's
whole run on a manuscript (bench/bench_formats.py).

- Real notes live in word/footnotes.xml and word/endnotes.xml; the body cites them with
  w:footnoteReference / w:endnoteReference runs. Their ids are not the numbers Word shows:
  Word numbers notes in order of first reference (from the w:numStart of the settings),
  skips separator entries, and shows a custom mark (w:customMarkFollows) instead of a
  number where the author typed one. Endnotes are numbered i, ii, iii unless the document
  says decimal, as in Word.
- A manuscript whose notes are typed as a numbered list at the end, with superscript runs
  as markers, is rendered to text (superscript digits as Unicode superscripts, Word's list
  numbers written out, link targets after their text) and read by the text parser.

`Document.text` holds one paragraph per line (body first, then footnotes, then endnotes),
so a finding's line is a paragraph number.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from citecheck.errors import InputError
from citecheck.model import Document, Marker, NoteNumber, Span
from citecheck.parse.assemble import FoundNote, assemble, at
from citecheck.readers.docx.package import _MC, _Package
from citecheck.readers.docx.render import (
    _body_urls,
    _int,
    _number,
    _Numbering,
    _Para,
    _paragraphs,
    _Renderer,
    _Styles,
    _with_targets,
)


def read(name: str, data: bytes) -> Document:
    package = _Package(name, data)
    return _Reader(name, package).read()


class _Reader:
    def __init__(self, name: str, package: _Package) -> None:
        self.name = name
        self.pkg = package
        self.w = package.w
        self.restarts = ""

    def read(self) -> Document:
        pkg, w = self.pkg, self.w
        body = pkg.document.find(f"{{{w}}}body")
        if body is None:
            raise InputError(f"{self.name}: {pkg.main} has no body")
        styles = _Styles(self._part("styles"), w)
        numbering = _Numbering(self._part("numbering"), w)
        settings = self._part("settings")
        paragraphs = _paragraphs(body, w)
        numbers, refs_seen = self._numbers(paragraphs, settings, body)
        renderer = _Renderer(w, styles, numbering, numbers)
        renderer.rels = pkg.rels
        rendered = [renderer.paragraph(p) for p in paragraphs]
        seen = ["read as Word (.docx)", f"{len(rendered)} body paragraphs"]
        if self.restarts:
            seen.append(f"Word restarts footnote numbers on {self.restarts[4:].lower()}; "
                        "numbered here in sequence")
        if refs_seen:
            return self._with_notes(rendered, renderer, numbers, seen)
        return self._typed(rendered, seen)

    def _part(self, kind: str) -> etree._Element | None:
        part = self.pkg.related(kind)
        return self.pkg.xml(part) if part else None

    def _numbers(self, paragraphs: list[etree._Element], settings: etree._Element | None,
                 body: etree._Element) -> tuple[dict[tuple[str, str], NoteNumber], int]:
        """Note numbers as Word shows them: in order of first reference, per kind."""
        w = self.w
        formats = {"footnote": ("decimal", 1), "endnote": ("lowerRoman", 1)}
        for scope in (settings, body.find(f"{{{w}}}sectPr")):
            if scope is None:
                continue
            restart = scope.find(f"{{{w}}}footnotePr/{{{w}}}numRestart")
            if restart is not None and restart.get(f"{{{w}}}val") in ("eachPage", "eachSect"):
                # Word shows 1, 2, … again on each page (or section); pages are not known
                # here, and repeated numbers would read as duplicates: number in sequence.
                self.restarts = restart.get(f"{{{w}}}val", "")
            for kind in formats:
                pr = scope.find(f"{{{w}}}{kind}Pr")
                if pr is None:
                    continue
                fmt, start = formats[kind]
                f = pr.find(f"{{{w}}}numFmt")
                s = pr.find(f"{{{w}}}numStart")
                formats[kind] = (
                    f.get(f"{{{w}}}val", fmt) if f is not None else fmt,
                    _int(s.get(f"{{{w}}}val") if s is not None else None, start),
                )
        numbers: dict[tuple[str, str], NoteNumber] = {}
        count = {"footnote": 0, "endnote": 0}
        refs = 0
        for p in paragraphs:
            for el in p.iter(f"{{{w}}}footnoteReference", f"{{{w}}}endnoteReference"):
                if _hidden(el, p, w):
                    continue  # deleted in tracked changes, or in a text box: not shown here
                refs += 1
                kind = "footnote" if el.tag.endswith("footnoteReference") else "endnote"
                key = (kind, el.get(f"{{{w}}}id", ""))
                if el.get(f"{{{w}}}customMarkFollows") in ("1", "true", "on"):
                    continue
                if key not in numbers:
                    fmt, start = formats[kind]
                    numbers[key] = _number(start + count[kind], fmt)
                    count[kind] += 1
        return numbers, refs

    def _with_notes(self, rendered: list[_Para], renderer: _Renderer,
                    numbers: dict[tuple[str, str], NoteNumber], seen: list[str]) -> Document:
        lines = [p.text for p in rendered]
        markers: list[Marker] = []
        custom_numbers: dict[tuple[str, str], NoteNumber] = {}
        order: dict[tuple[str, str], None] = {}  # first references, in body order
        for i, para in enumerate(rendered):
            for ref in para.refs:
                key = (ref.kind, ref.id)
                if ref.custom:
                    mark = para.text[ref.column:ref.column + ref.width].strip() or "*"
                    custom_numbers.setdefault(key, mark)
                number = custom_numbers.get(key) or numbers.get(key, "?")
                markers.append(Marker(number, Span(i + 1, ref.column + 1), "superscript"))
                order.setdefault(key)
        body_urls = _body_urls(rendered)
        notes: list[FoundNote] = []
        for kind in ("footnote", "endnote"):
            keys = [k for k in order if k[0] == kind]
            if not keys:
                continue
            part = self.pkg.related(kind + "s")
            root = self.pkg.xml(part) if part else None
            entries = {}
            if root is not None:
                renderer.rels = self.pkg.relationships(part or "")
                for entry in root.iter(f"{{{self.w}}}{kind}"):
                    if entry.get(f"{{{self.w}}}type") in (None, "normal"):
                        entries[entry.get(f"{{{self.w}}}id", "")] = entry
            missing = 0
            for key in keys:
                entry = entries.get(key[1])
                if entry is None:
                    missing += 1
                    continue
                number = custom_numbers.get(key) or numbers.get(key, "?")
                notes.append(self._note(number, entry, lines, renderer, kind))
            unreferenced = len(set(entries) - {k[1] for k in keys})
            what = f"{len(keys) - missing} {kind}s in {part}"
            if missing:
                what += f" ({missing} referenced but absent)"
            if unreferenced:
                what += f" ({unreferenced} never referenced in the body)"
            seen.append(what)
        seen.append(f"{len(markers)} note references in the body")
        return assemble(self.name, "docx", "\n".join(lines), notes, markers,
                        body_urls=body_urls, seen=seen, unit="paragraph")

    def _note(self, number: NoteNumber, entry: etree._Element, lines: list[str],
              renderer: _Renderer, kind: str) -> FoundNote:
        first_line = len(lines) + 1
        found = FoundNote(number, Span(first_line, 1), style=kind)
        for k, p in enumerate(_paragraphs(entry, self.w)):
            para = renderer.paragraph(p)
            lines.append(para.text)
            line = len(lines)
            skip = para.own_mark if para.own_mark is not None and k == 0 else 0
            while skip < len(para.text) and para.text[skip] in " \t":
                skip += 1
            piece = para.text[skip:]
            if found.body.length and piece:
                found.body.add("\n")
            start = found.body.length
            found.body.add(piece, at(line, skip + 1))
            for a, b, url in para.links:
                if b > skip:
                    found.link(url, start + max(0, a - skip), start + b - skip)
        return found

    def _typed(self, rendered: list[_Para], seen: list[str]) -> Document:
        """No real notes: the text parser reads a typed "Notes" list and superscript
        markers from the rendered text, with each link's target written after its text."""
        from citecheck.parse import parse
        from citecheck.readers.text import Source

        lines = [_with_targets(p) for p in rendered]
        doc = parse(Source(self.name, "docx", "\n".join(lines)))
        end = doc.notes[0].span.line - 1 if doc.notes else len(lines)
        if doc.notes_heading is not None:
            end = min(end, doc.notes_heading.line - 1)
        body_urls = _body_urls(rendered[:end])
        seen.append("no footnote or endnote references: read as a typed notes list")
        seen.append(f"{len(doc.notes)} typed notes, {len(doc.markers)} markers")
        problems = doc.problems
        unreferenced = self._unreferenced()
        if unreferenced and not doc.notes:
            # Notes Word keeps but nothing in the body shows: never a silent pass.
            from citecheck.rules.finding import finding

            problems = (*problems, finding(
                "N107", f"read as Word (.docx): {unreferenced}, but no reference to them in "
                "the body", self.name, Span(1, 1)))
        return replace(doc, unit="paragraph", seen=tuple(seen), problems=problems,
                       body_urls=doc.body_urls or tuple(body_urls))

    def _unreferenced(self) -> str:
        """What the footnotes and endnotes parts hold, when the body cites none of it."""
        held = []
        for kind in ("footnote", "endnote"):
            part = self.pkg.related(kind + "s")
            root = self.pkg.xml(part) if part else None
            if root is None:
                continue
            count = sum(1 for e in root.iter(f"{{{self.w}}}{kind}")
                        if e.get(f"{{{self.w}}}type") in (None, "normal"))
            if count:
                held.append(f"{part} holds {count} {kind}{'s' if count > 1 else ''}")
        return " and ".join(held)


def _hidden(el: etree._Element, paragraph: etree._Element, w: str) -> bool:
    """Whether a run inside `paragraph` is one the renderer leaves out (deleted text,
    a moved-from copy, a nested text box, the fallback copy of alternate content)."""
    hidden = {f"{{{w}}}del", f"{{{w}}}moveFrom", f"{{{w}}}txbxContent",
              f"{{{_MC}}}AlternateContent"}
    for ancestor in el.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag in hidden:
            return True
    return False
