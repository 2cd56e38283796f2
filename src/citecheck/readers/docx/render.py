"""Word paragraphs as the text Word displays: runs, tabs and breaks, superscript digits,
note references at their column, hyperlinks (relationships, HYPERLINK fields), list numbers
written out, deleted text and the second copy of alternate content left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from citecheck.model import NoteNumber, Span, UrlRef
from citecheck.parse.notes import SUPERSCRIPTS
from citecheck.parse.urls import find_urls
from citecheck.readers.docx.package import _MC, _REL_NS

_TO_SUP = str.maketrans("0123456789", SUPERSCRIPTS)
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?:\\[a-z]\s+)*"?([^"\s]+)"?', re.I)
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


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
        for child, local in _elements(el):
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
            elif child.tag == f"{{{_MC}}}AlternateContent":
                continue  # drawings and text boxes, given twice (Choice and Fallback)
            elif local == "p":
                continue  # a paragraph nested in a text box: a line of its own
            else:
                self._children(child, parts, para, state, link)  # ins, smartTag, sdt, …

    def _run(self, r: etree._Element, parts: list[str], para: _Para, state: dict,
             link: str | None) -> None:
        w = self.w
        superscript = self.styles.superscript(r, w)
        for child, local in _elements(r):
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


def _elements(el: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """The element children of `el` (comments and processing instructions left out), each
    with its tag's local name."""
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            yield child, tag.rsplit("}", 1)[-1]


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
