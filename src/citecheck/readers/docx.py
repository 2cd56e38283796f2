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

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field, replace

from lxml import etree

from citecheck.errors import InputError
from citecheck.model import Document, Marker, NoteNumber, Span, UrlRef
from citecheck.parse.assemble import FoundNote, assemble, at
from citecheck.parse.notes import SUPERSCRIPTS
from citecheck.parse.urls import find_urls

_NS_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MAX_PART = 256 * 1024 * 1024
"""An XML part larger than this once unzipped is a ZIP bomb, not a manuscript."""
_TO_SUP = str.maketrans("0123456789", SUPERSCRIPTS)
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?:\\[a-z]\s+)*"?([^"\s]+)"?', re.I)
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def read(name: str, data: bytes) -> Document:
    package = _Package(name, data)
    return _Reader(name, package).read()


# -- the package ---------------------------------------------------------------------------


class _Package:
    """The parts of a .docx, found through its relationships rather than fixed names."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(f"{name}: is not a readable .docx (damaged ZIP: {exc})") from None
        self.names = names
        main = self._main_part()
        if main is None:
            raise InputError(f"{name}: is a ZIP archive but not a Word document "
                             "(no word/document.xml)")
        self.main = main
        self.document = self.xml(main)
        if self.document is None:
            raise InputError(f"{name}: {main} is missing")
        root_ns = etree.QName(self.document).namespace
        self.w = root_ns if root_ns in (_NS_TRANSITIONAL, _NS_STRICT) else _NS_TRANSITIONAL
        self.rels = self.relationships(main)

    def _main_part(self) -> str | None:
        root = self.xml("_rels/.rels")
        if root is not None:
            for rel in root.iter(f"{{{_PKG_RELS}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = rel.get("Target", "").lstrip("/")
                    if target in self.names:
                        return target
        return "word/document.xml" if "word/document.xml" in self.names else None

    def read_bytes(self, part: str) -> bytes | None:
        if part not in self.names:
            return None
        info = self.zip.getinfo(part)
        if info.file_size > _MAX_PART:
            raise InputError(f"{self.name}: {part} unpacks to {info.file_size // 2**20} MB; "
                             "refusing it as a ZIP bomb")
        try:
            return self.zip.read(part)
        except RuntimeError as exc:  # zipfile's word for an encrypted member
            raise InputError(f"{self.name}: is password-protected ({exc})") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise InputError(f"{self.name}: is not a readable .docx (damaged {part}: {exc})"
                             ) from None

    def xml(self, part: str) -> etree._Element | None:
        raw = self.read_bytes(part)
        if raw is None:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                                 remove_comments=True)
        try:
            return etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{self.name}: {part} is not well-formed XML ({exc})") from None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """id -> (type, target) for the part's relationships; internal targets as part
        names, external ones (hyperlinks) as written."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        rels: dict[str, tuple[str, str]] = {}
        if root is None:
            return rels
        for rel in root.iter(f"{{{_PKG_RELS}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            rels[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return rels

    def related(self, kind: str) -> str | None:
        for rel_type, target in self.rels.values():
            if rel_type.endswith("/" + kind):
                return target
        return None


# -- paragraphs as text -----------------------------------------------------------------


@dataclass
class _Ref:
    kind: str  # "footnote" | "endnote"
    id: str
    column: int  # 0-based, in the paragraph's text
    custom: bool = False
    width: int = 0


@dataclass
class _Para:
    text: str = ""
    refs: list[_Ref] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)
    own_mark: int | None = None
    """Where the note's own number (w:footnoteRef) ends, in a footnote's first paragraph."""


class _Renderer:
    """Turns w:p elements into the text Word displays, with references and links."""

    def __init__(self, w: str, styles: _Styles, numbering: _Numbering,
                 numbers: dict[tuple[str, str], NoteNumber]) -> None:
        self.w = w
        self.styles = styles
        self.numbering = numbering
        self.numbers = numbers
        self.rels: dict[str, tuple[str, str]] = {}
        self.fields: list[dict] = []

    def paragraph(self, p: etree._Element) -> _Para:
        para = _Para()
        parts: list[str] = []
        state = {"length": 0, "custom": None}
        label = self.numbering.label(p, self.styles)
        if label:
            parts.append(label + " ")
            state["length"] = len(label) + 1
        self._children(p, parts, para, state, None)
        para.text = "".join(parts)
        return para

    def _children(self, el: etree._Element, parts: list[str], para: _Para, state: dict,
                  link: str | None) -> None:
        w = self.w
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = tag.rsplit("}", 1)[-1]
            if local == "r":
                self._run(child, parts, para, state, link)
            elif local == "hyperlink":
                target = None
                rid = _rid(child)
                if rid and rid in self.rels:
                    target = self.rels[rid][1]
                start = state["length"]
                self._children(child, parts, para, state, target or link)
                if target and _is_web(target):
                    para.links.append((start, state["length"], target))
            elif local == "fldSimple":
                m = _HYPERLINK_FIELD.match(child.get(f"{{{w}}}instr", ""))
                start = state["length"]
                self._children(child, parts, para, state, link)
                if m and _is_web(m.group(1)):
                    para.links.append((start, state["length"], m.group(1)))
            elif local in ("del", "moveFrom", "pPr", "rPr", "sectPr", "txbxContent"):
                continue
            elif tag == f"{{{_MC}}}AlternateContent":
                continue  # drawings and text boxes, given twice (Choice and Fallback)
            elif local == "p":
                continue  # a paragraph nested in a text box: a line of its own
            else:
                self._children(child, parts, para, state, link)  # ins, smartTag, sdt, …

    def _run(self, r: etree._Element, parts: list[str], para: _Para, state: dict,
             link: str | None) -> None:
        w = self.w
        superscript = self.styles.superscript(r, w)
        for child in r:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = tag.rsplit("}", 1)[-1]
            if local == "fldChar":
                kind = child.get(f"{{{w}}}fldCharType")
                if kind == "begin":
                    self.fields.append({"instr": "", "result": False, "start": 0})
                elif kind == "separate" and self.fields:
                    self.fields[-1]["result"] = True
                    self.fields[-1]["start"] = state["length"]
                elif kind == "end" and self.fields:
                    done = self.fields.pop()
                    m = _HYPERLINK_FIELD.match(done["instr"])
                    if m and done["result"] and _is_web(m.group(1)):
                        para.links.append((done["start"], state["length"], m.group(1)))
                continue
            if local == "instrText":
                if self.fields:
                    self.fields[-1]["instr"] += child.text or ""
                continue
            if self.fields and not self.fields[-1]["result"]:
                continue  # inside a field's instructions: not displayed
            text = ""
            if local == "t":
                text = child.text or ""
                if state["custom"] is not None:
                    ref = state["custom"]
                    ref.column, ref.width = state["length"], len(text)
                    state["custom"] = None
                elif superscript and any(c.isdigit() for c in text):
                    text = text.translate(_TO_SUP)
            elif local == "tab":
                text = "\t"
            elif local in ("br", "cr"):
                text = " "
            elif local == "noBreakHyphen":
                text = "-"
            elif local in ("footnoteReference", "endnoteReference"):
                kind = "footnote" if local.startswith("foot") else "endnote"
                note_id = child.get(f"{{{w}}}id", "")
                custom = child.get(f"{{{w}}}customMarkFollows") in ("1", "true", "on")
                ref = _Ref(kind, note_id, state["length"], custom)
                para.refs.append(ref)
                if custom:
                    state["custom"] = ref
                    continue
                shown = str(self.numbers.get((kind, note_id), "?"))
                text = shown.translate(_TO_SUP) if shown.isdigit() else shown
                ref.width = len(text)
            elif local in ("footnoteRef", "endnoteRef"):
                text = ""
                para.own_mark = state["length"]
            if text:
                parts.append(text)
                state["length"] += len(text)


class _Styles:
    """Character styles that raise their text (a superscript "Endnote Reference" style)."""

    def __init__(self, root: etree._Element | None, w: str) -> None:
        self.raised: set[str] = set()
        self.paragraph_numbering: dict[str, tuple[str, str]] = {}
        if root is None:
            return
        based: dict[str, str] = {}
        own: set[str] = set()
        for style in root.iter(f"{{{w}}}style"):
            sid = style.get(f"{{{w}}}styleId", "")
            parent = style.find(f"{{{w}}}basedOn")
            if parent is not None:
                based[sid] = parent.get(f"{{{w}}}val", "")
            va = style.find(f"{{{w}}}rPr/{{{w}}}vertAlign")
            if va is not None and va.get(f"{{{w}}}val") == "superscript":
                own.add(sid)
            num = style.find(f"{{{w}}}pPr/{{{w}}}numPr")
            if num is not None:
                num_id = num.find(f"{{{w}}}numId")
                ilvl = num.find(f"{{{w}}}ilvl")
                if num_id is not None:
                    self.paragraph_numbering[sid] = (
                        num_id.get(f"{{{w}}}val", ""),
                        ilvl.get(f"{{{w}}}val", "0") if ilvl is not None else "0",
                    )
        for sid in list(based) + list(own):
            seen, cur = set(), sid
            while cur and cur not in seen:
                if cur in own:
                    self.raised.add(sid)
                    break
                seen.add(cur)
                cur = based.get(cur, "")

    def superscript(self, r: etree._Element, w: str) -> bool:
        rpr = r.find(f"{{{w}}}rPr")
        if rpr is None:
            return False
        va = rpr.find(f"{{{w}}}vertAlign")
        if va is not None:
            return va.get(f"{{{w}}}val") == "superscript"
        style = rpr.find(f"{{{w}}}rStyle")
        return style is not None and style.get(f"{{{w}}}val", "") in self.raised


class _Numbering:
    """Word's automatic list numbers ("1.", "a)"), written out as the list shows them."""

    def __init__(self, root: etree._Element | None, w: str) -> None:
        self.w = w
        self.levels: dict[str, dict[str, tuple[int, str, str]]] = {}
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[str, tuple[int, str, str]]] = {}
        for a in root.iter(f"{{{w}}}abstractNum"):
            levels = {}
            for lvl in a.iter(f"{{{w}}}lvl"):
                start = lvl.find(f"{{{w}}}start")
                fmt = lvl.find(f"{{{w}}}numFmt")
                text = lvl.find(f"{{{w}}}lvlText")
                levels[lvl.get(f"{{{w}}}ilvl", "0")] = (
                    _int(start.get(f"{{{w}}}val") if start is not None else None, 1),
                    fmt.get(f"{{{w}}}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{{{w}}}val", "") if text is not None else "",
                )
            abstract[a.get(f"{{{w}}}abstractNumId", "")] = levels
        for num in root.iter(f"{{{w}}}num"):
            ref = num.find(f"{{{w}}}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{{{w}}}val", "") if ref is not None else "", {}))
            for override in num.iter(f"{{{w}}}lvlOverride"):
                start = override.find(f"{{{w}}}startOverride")
                ilvl = override.get(f"{{{w}}}ilvl", "0")
                if start is not None and ilvl in levels:
                    _, fmt, text = levels[ilvl]
                    levels[ilvl] = (_int(start.get(f"{{{w}}}val"), 1), fmt, text)
            self.levels[num.get(f"{{{w}}}numId", "")] = levels

    def label(self, p: etree._Element, styles: _Styles) -> str:
        if not self.levels:
            return ""
        w = self.w
        num_pr = p.find(f"{{{w}}}pPr/{{{w}}}numPr")
        num_id = ilvl = None
        if num_pr is not None:
            n = num_pr.find(f"{{{w}}}numId")
            lv = num_pr.find(f"{{{w}}}ilvl")
            num_id = n.get(f"{{{w}}}val") if n is not None else None
            ilvl = lv.get(f"{{{w}}}val") if lv is not None else None
        if num_id is None:
            style = p.find(f"{{{w}}}pPr/{{{w}}}pStyle")
            found = styles.paragraph_numbering.get(style.get(f"{{{w}}}val", "")) if (
                style is not None) else None
            if found is None:
                return ""
            num_id, ilvl = found[0], ilvl or found[1]
        levels = self.levels.get(num_id or "")
        if not levels:
            return ""
        level = _int(ilvl, 0)
        counters = self.counters.setdefault(num_id or "", [0] * 9)
        if not 0 <= level < 9:
            return ""
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        start, fmt, text = levels.get(str(level), (1, "decimal", f"%{level + 1}."))
        counters[level] = start if counters[level] == 0 else counters[level] + 1
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""

        def shown(k: int) -> str:
            s, f, _ = levels.get(str(k), (1, "decimal", ""))
            return _format(counters[k] or s, f)

        return re.sub(r"%([1-9])", lambda m: shown(int(m.group(1)) - 1), text)


# -- the reading ----------------------------------------------------------------------------


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
        for scope in (settings, body.find(f"{{{w}}}sectPr")):
            restart = scope.find(f"{{{w}}}footnotePr/{{{w}}}numRestart") if (
                scope is not None) else None
            if restart is not None and restart.get(f"{{{w}}}val") in ("eachPage", "eachSect"):
                # Word shows 1, 2, … again on each page (or section); pages are not known
                # here, and repeated numbers would read as duplicates: number in sequence.
                self.restarts = restart.get(f"{{{w}}}val", "")
        numbers: dict[tuple[str, str], NoteNumber] = {}
        count = {"footnote": 0, "endnote": 0}
        refs = 0
        for p in paragraphs:
            for el in p.iter(f"{{{w}}}footnoteReference", f"{{{w}}}endnoteReference"):
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
        order: list[tuple[str, str]] = []
        for i, para in enumerate(rendered):
            for ref in para.refs:
                key = (ref.kind, ref.id)
                if ref.custom:
                    mark = para.text[ref.column:ref.column + ref.width].strip() or "*"
                    custom_numbers.setdefault(key, mark)
                number = custom_numbers.get(key) or numbers.get(key, "?")
                markers.append(Marker(number, Span(i + 1, ref.column + 1), "superscript"))
                if key not in order:
                    order.append(key)
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
        seen.append("no footnotes or endnotes: read as a typed notes list")
        seen.append(f"{len(doc.notes)} typed notes, {len(doc.markers)} superscript markers")
        return replace(doc, unit="paragraph", seen=tuple(seen),
                       body_urls=doc.body_urls or tuple(body_urls))


# -- helpers --------------------------------------------------------------------------------


def _paragraphs(root: etree._Element, w: str) -> list[etree._Element]:
    """The paragraphs under `root` in document order, each once: those in text boxes and in
    the fallback copy of alternate content are left out."""
    out = []
    skip = {f"{{{w}}}txbxContent", f"{{{_MC}}}Fallback", f"{{{_MC}}}AlternateContent",
            f"{{{w}}}del"}
    for p in root.iter(f"{{{w}}}p"):
        if not any(a.tag in skip for a in p.iterancestors()):
            out.append(p)
    return out


def _body_urls(rendered: list[_Para]) -> list[UrlRef]:
    urls = []
    for i, para in enumerate(rendered):
        linked = []
        for a, b, url in para.links:
            urls.append(UrlRef(url, Span(i + 1, a + 1)))
            linked.append((a, b))
        if "http" in para.text or "www." in para.text:
            for u in find_urls(para.text):
                if not any(a <= u.start < max(b, a + 1) for a, b in linked):
                    urls.append(UrlRef(u.url, Span(i + 1, u.start + 1)))
    return urls


def _with_targets(para: _Para) -> str:
    """The paragraph's text with each link's target after its text, unless the text shows
    the target already."""
    text = para.text
    for a, b, url in sorted(para.links, reverse=True):
        shown = text[a:b]
        if _bare(url) in _bare(shown) or find_urls(shown):
            continue
        text = text[:b] + f" <{url}>" + text[b:]
    return text


def _bare(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")


def _rid(el: etree._Element) -> str | None:
    for ns in _REL_NS:
        value = el.get(f"{{{ns}}}id")
        if value:
            return value
    return None


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "www."))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _number(n: int, fmt: str) -> NoteNumber:
    if fmt in ("decimal", "decimalZero", "decimalEnclosedCircle", "decimalFullWidth"):
        return n
    return _format(n, fmt)


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", n
        for value, letters in _ROMAN:
            while rest >= value:
                out += letters
                rest -= value
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "chicago":
        marks = "*†‡§"
        return marks[(n - 1) % 4] * ((n - 1) // 4 + 1)
    return str(n)
