"""Markdown: the text parser over the page with its markup masked, line for line.

Static-site publications (Jekyll, Hugo, kramdown) write notes in HTML inside Markdown:
`<sup>12</sup>` markers, notes as `<sup>12</sup> Smith, …` lines under an "Endnotes"
heading or between `***` rules, links as `<a href="…">`, plus front matter, kramdown
attribute lines (`{: .no_toc }`), Liquid tags and HTML blocks. The text parser already
reads numbered notes, superscript markers, `[^label]` footnotes and every URL shape, so
this reader rewrites the markup it does not know into what it does, keeping every line
and (but for reference-style links) every column where it was:

    <sup>12</sup> at a paragraph start  ->  "12."  + spaces   (a note's number)
    <sup>12</sup>, <sup>[12](#fn12)</sup> -> "¹²"   + spaces   (a marker)
    <a href="https://…">                  ->  spaces + "<https://…>"
    front matter, {: …}, code, comments, other tags  ->  spaces

Markdown's own syntax needs no parser for this: a measured markdown-it-py run gave the
same notes and markers, and its import alone costs more than this whole reader (see
bench/bench_formats.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from citecheck.lazyre import lazy
from citecheck.model import Document, UrlRef
from citecheck.parse.notes import SUPERSCRIPTS
from citecheck.readers.text import Source, decoded, recognised

_TO_SUP = str.maketrans("0123456789", SUPERSCRIPTS)
_FENCE = lazy(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ATTRIBUTE_LINE = lazy(r"^[ \t]*\{(?::|#|::)[^}]*\}[ \t]*$|^[ \t]*\{%.*%\}[ \t]*$")
_RULE = lazy(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REF_DEFINITION = lazy(
    r"^[ \t]{0,3}\[(?!\^)([^\]]{1,100})\]:[ \t]*<?((?:[a-z][a-z0-9+.-]*:|www\.|/|#|\.\.?/)"
    r"\S*?)>?(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$",
    re.I,
)
"""A link reference definition: `[label]: https://… "title"`. "[1]: Smith, Ports, 2020." and
"[2]: Ibid." are notes numbered [1] and [2], not link targets."""
_BRACKET_NOTE = lazy(r"^([ \t]{0,3}\[\d{1,4}\]):")
_REF_USE = lazy(r"\[([^\[\]^][^\[\]]{0,299})\](?:\[([^\[\]]{0,100})\]|(?![\[(:]))")
"""`[text][label]`, `[label][]` and the shortcut `[label]` (never `[^note]`)."""
_RAW_OPEN = lazy(r"<(script|style|pre|iframe|svg|textarea)\b", re.I)
_INLINE = lazy(
    r"(?P<comment><!--.*?(?:-->|$))"
    r"|(?P<sup><sup\b[^>]*>(?P<inner>.{0,120}?)</sup\s*>)"
    r"|(?P<anote><a\b[^>]*href=[\"']#[^\"']*[\"'][^>]*>(?P<alabel>\s*\[?\s*\d{1,4}\s*\]?\s*)</a>)"
    r"|(?P<mdnote>\[\[?(?P<mdlabel>\d{1,4})\]?\]\(#[^)\s]*\))"
    r"|(?P<href><a\b[^>]*?\bhref[ \t]*=[ \t]*(?P<q>[\"']?)(?P<url>(?:https?:)?//[^\"'\s>]+)"
    r"(?P=q)[^>]*>)"
    r"|(?P<tag></?(?![a-z][a-z0-9+.-]*:/|www\.)[A-Za-z][\w:-]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*/?>)"
    r"|(?P<liquid>\{\{.*?\}\}|\{%.*?%\})"
    r"|(?P<ial>\{:[^}\n]*\}|\{#[\w:-]+\}[ \t]*$)"
    r"|(?P<code>`[^`\n]+`)",
    re.I,
)
_URL_TEXT = lazy(r"\[\s*(?:https?://|www\.)[^\]\s]*\s*\]\(")
_TAG_NAME = lazy(r"<(/?)([A-Za-z][\w:-]*)")
_START_ATTR = lazy(r"\bstart\s*=\s*[\"']?(\d{1,4})", re.I)
_INNER_MARKUP = lazy(r"<[^>]*>|\]\([^)]*\)|[\[\]\s]")
_HEADING_LIKE = lazy(r"^[ \t]{0,3}(?:#{1,6}[ \t]|(?:\*\*|__)[^*_]{1,60}(?:\*\*|__)[ \t]*$)")
_DEFINITION = lazy(r"^ {0,3}\[\^([^\]\s]{1,64})\]:[ \t]*(.*)$")
_FOOTNOTE_MARKER = lazy(r"\[\^([^\]\s]{1,64})\]")
_FRONT_DATE = lazy(r"^date[ \t]*[:=][ \t]*[\"']?(\d{4}-\d{2}-\d{2})", re.M)
_TABLE_RULE = lazy(r"^\|[\s|:-]*-[\s|:-]*$")
_NOTE_START = lazy(r"^[ \t]*(?:<sup\b|\d{1,4}\.[ \t]|\[\^|\[\d{1,4}\])")
_NUMBERS = lazy(r"^(\d{1,4})(?:[,–-]\d{1,4})*\.?$")


def read(name: str, data: bytes) -> Document:
    from citecheck.parse import parse

    source, encoding = decoded(name, data)
    masked, seen = mask(source)
    stated = _stated_date(source)
    lines = masked.split("\n")
    if any(line.startswith(("[^", " [^", "  [^", "   [^")) and _DEFINITION.match(line)
           for line in lines):
        return replace(_footnotes(name, source, lines, seen), date=stated, encoding=encoding)
    doc = parse(Source(name, "markdown", masked))
    return replace(doc, text=source, seen=("read as Markdown", *seen, *recognised(doc)),
                   date=stated or doc.date, encoding=encoding)


def _stated_date(source: str) -> dt.date | None:
    """The post's date from its front matter (`date: 2024-04-18 09:00`)."""
    if not source.startswith(("---", "+++")):
        return None
    m = _FRONT_DATE.search(source, 0, 4000)
    if m is None:
        return None
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None


def _footnotes(name: str, source: str, lines: list[str], seen: list[str]) -> Document:
    """Markdown footnotes (`[^label]` and `[^label]: text`), read by their syntax: a
    definition may stand anywhere (after the paragraph that cites it, as many blogs put
    them), runs on over its lazy continuation lines and its indented paragraphs, and only
    starts a line; `[^label]:` in mid-sentence is a marker followed by a colon."""
    from citecheck.model import Marker, Span
    from citecheck.parse.assemble import FoundNote, assemble, at
    from citecheck.parse.urls import find_urls

    notes: list[FoundNote] = []
    markers: list[Marker] = []
    in_note = [False] * len(lines)
    i = 0
    while i < len(lines):
        m = _DEFINITION.match(lines[i])
        if m is None:
            i += 1
            continue
        label = m.group(1)
        note = FoundNote(int(label) if label.isascii() and label.isdigit() else label,
                         Span(i + 1, m.start() + 1), style="md")
        note.body.add(m.group(2), at(i + 1, m.start(2) + 1))
        in_note[i] = True
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if not line.strip():
                k = j
                while k < len(lines) and not lines[k].strip():
                    k += 1
                if k < len(lines) and lines[k].startswith(("    ", "\t")):
                    j = k
                    continue
                break
            if _DEFINITION.match(line):
                break
            indent = len(line) - len(line.lstrip())
            note.body.add("\n")
            note.body.add(line[indent:], at(j + 1, indent + 1))
            in_note[j] = True
            j += 1
        notes.append(note)
        i = j
    body_urls = []
    for i, line in enumerate(lines):
        start = 0
        definition = _DEFINITION.match(line)
        if definition is not None:
            start = definition.end(1) + 2
        for m in _FOOTNOTE_MARKER.finditer(line, start):
            label = m.group(1)
            number = int(label) if label.isascii() and label.isdigit() else label
            markers.append(Marker(number, Span(i + 1, m.start() + 1), "md"))
        if not in_note[i] and ("http" in line or "www." in line):
            body_urls += [UrlRef(u.url, Span(i + 1, u.start + 1)) for u in find_urls(line)]
    seen = ["read as Markdown", *seen,
            f"{len(notes)} footnote definitions ([^label]:)", f"{len(markers)} [^label] markers"]
    return assemble(name, "markdown", source, notes, markers, body_urls=body_urls, seen=seen)


def mask(text: str) -> tuple[str, list[str]]:
    """`text` with its markup rewritten for the text parser, and what was recognised."""
    lines = text.split("\n")
    seen: list[str] = []
    start = _front_matter(lines)
    if start:
        seen.append(f"front matter (lines 1-{start}) skipped")
    references = _references(lines)
    counts = {"sup": 0, "code": 0, "attr": 0}
    fence: str | None = None
    raw_end: re.Pattern[str] | None = None
    in_comment = False
    in_notes = after_notes = False
    lists: list[int] = []
    first_note: int | None = None
    previous_blank = True
    for i in range(start, len(lines)):
        line = lines[i]
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines[i] = ""
            continue
        if raw_end is not None:
            end = raw_end.search(line)
            if end is None:
                lines[i] = ""
                continue
            line = " " * end.end() + line[end.end():]
            raw_end = None
        if in_comment:
            close = line.find("-->")
            if close < 0:
                lines[i] = ""
                continue
            line = " " * (close + 3) + line[close + 3:]
            in_comment = False
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)[0] * len(m.group(1))
            counts["code"] += 1
            lines[i] = ""
            continue
        if line.startswith("|"):
            # a table row: cells are text ("| 12. | Smith, …" is note 12 in a table)
            if _TABLE_RULE.match(line):
                lines[i] = ""
                continue
            line = line.replace("|", " ")
        if _ATTRIBUTE_LINE.match(line) or _RULE.match(line) or _REF_DEFINITION.match(line):
            counts["attr"] += bool(_ATTRIBUTE_LINE.match(line))
            if in_notes and _RULE.match(line):
                after_notes = True  # a rule closing the notes: what follows is not a note
            lines[i] = ""
            previous_blank = True
            continue
        if after_notes:
            if not _NOTE_START.match(line):
                lines[i] = ""
                continue
            after_notes = False
        if line[:4].lstrip().startswith("[") and _BRACKET_NOTE.match(line):
            line = _BRACKET_NOTE.sub(r"\1 ", line)  # "[1]: Smith, …" is note 1
        if references and "[" in line:
            line = _REF_USE.sub(lambda m: _expand_reference(m, references), line)
        if "](" in line:
            # [https://x](https://x): the link's text repeats its target; one URL, not two
            line = _URL_TEXT.sub(lambda m: "[" + " " * (len(m.group()) - 3) + "](", line)
        opens = _opens_block(line)
        if "<" in line or "{" in line or "[" in line or "`" in line:
            line, counts["sup"], note_start = _mask_inline(
                line, counts["sup"], previous_blank or in_notes, lists
            )
            if note_start and first_note is None:
                first_note = i
            in_notes = in_notes or note_start
        if opens is not None:
            kind, at = opens
            line = line[:at]
            if kind == "comment":
                in_comment = True
            else:
                raw_end = re.compile(rf"</{kind}\s*>", re.I)
        previous_blank = not line.strip() or _HEADING_LIKE.match(line) is not None
        lines[i] = line
    if first_note is not None and _unheaded(lines, first_note):
        # Notes between rules with no heading: name the blank line above them a heading,
        # so the text parser knows where the body ends (a numbered run must otherwise reach
        # the end of the text).
        lines[first_note - 1] = "Notes"
        seen.append(f"<sup> notes from line {first_note + 1}, with no heading")
    if counts["sup"]:
        seen.append(f"{counts['sup']} <sup> numbers")
    if counts["code"]:
        seen.append(f"{counts['code']} code blocks skipped")
    if counts["attr"]:
        seen.append(f"{counts['attr']} kramdown/Liquid lines skipped")
    return "\n".join(lines), seen


def _unheaded(lines: list[str], first: int) -> bool:
    from citecheck.parse.layout import HEADING_RE

    if first == 0 or lines[first - 1].strip():
        return False
    above = [line for line in lines[max(0, first - 12):first] if line.strip()]
    return not (above and HEADING_RE.match(above[-1]))


def _opens_block(line: str) -> tuple[str, int] | None:
    """A comment or raw block (script, style, pre…) opened on this line and not closed on
    it: its kind and where it starts; the lines up to its end are blanked."""
    if "<" not in line:
        return None
    opened = line.rfind("<!--")
    if opened >= 0 and line.find("-->", opened + 4) < 0:
        return "comment", opened
    for m in _RAW_OPEN.finditer(line):
        kind = m.group(1).lower()
        if not re.search(rf"</{kind}\s*>", line[m.end():], re.I):
            return kind, m.start()
    return None


def _front_matter(lines: list[str]) -> int:
    """Lines of YAML (---) or TOML (+++) front matter at the top, blanked in place."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    closer = ("---", "...") if lines[0].strip() == "---" else ("+++",)
    for j in range(1, min(len(lines), 400)):
        if lines[j].strip() in closer:
            for k in range(j + 1):
                lines[k] = ""
            return j + 1
    return 0


def _references(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        if "]:" in line:
            m = _REF_DEFINITION.match(line)
            if m and m.group(2).lower().startswith(("http", "www.", "//")):
                found.setdefault(m.group(1).lower(), m.group(2))
    return found


def _expand_reference(m: re.Match[str], references: dict[str, str]) -> str:
    """`[text][label]` -> `[text](URL)`: the one rewrite that moves the rest of its line."""
    label = (m.group(2) or m.group(1)).lower()
    url = references.get(" ".join(label.split()))
    return f"[{m.group(1)}]({url})" if url else m.group()


def _mask_inline(line: str, sups: int, may_start_note: bool,
                 lists: list[int] | None = None) -> tuple[str, int, bool]:
    """One line with its inline markup rewritten (same width); `lists` holds the next
    number of each open HTML <ol> (or -1 for a <ul>), kept from line to line."""
    out: list[str] = []
    last = 0
    note_start = False
    lists = lists if lists is not None else []
    for m in _INLINE.finditer(line):
        out.append(line[last:m.start()])
        last = m.end()
        width = m.end() - m.start()
        kind = m.lastgroup
        if kind == "tag":
            tag = _TAG_NAME.match(m.group())
            name = tag.group(2).lower() if tag else ""
            closing = bool(tag and tag.group(1))
            if name in ("ol", "ul"):
                if closing:
                    if lists:
                        lists.pop()
                else:
                    start = _START_ATTR.search(m.group()) if name == "ol" else None
                    lists.append(int(start.group(1)) if start else (1 if name == "ol" else -1))
            elif name == "li" and not closing and lists and lists[-1] > 0:
                # an item of an HTML ordered list: written out as the number it shows
                number = lists[-1]
                lists[-1] += 1
                if not "".join(out).strip() and len(str(number)) + 1 <= width:
                    out.append(f"{number}.".ljust(width))
                    continue
        label = None
        if m.group("sup") is not None:
            label = _INNER_MARKUP.sub("", m.group("inner"))
        elif m.group("anote") is not None:
            label = _INNER_MARKUP.sub("", m.group("alabel"))
        elif m.group("mdnote") is not None:
            label = m.group("mdlabel")
        if label is not None:
            if not _NUMBERS.match(label):
                out.append(_spaces_keeping(m.group(), width) if kind == "sup" else m.group())
                continue
            sups += 1
            at_start = not "".join(out).strip(" \t*_>-")
            number = label.rstrip(".")
            if at_start and may_start_note and number.isdigit():
                note_start = True
                out.append((number + ".").ljust(width))
            else:
                out.append(number.translate(_TO_SUP).ljust(width))
            continue
        if m.group("href") is not None:
            url_at = m.start("url") - m.start()
            url = m.group("url")
            if url.startswith("//"):
                url = "https:" + url
            piece = " " * (url_at - 1) + "<" + url + ">"
            out.append(piece[:width].ljust(width) if len(piece) <= width else piece)
            continue
        out.append(" " * width)
    out.append(line[last:])
    return "".join(out), sups, note_start


def _spaces_keeping(markup: str, width: int) -> str:
    """A <sup> that is not a number (1<sup>st</sup>): its text stays, its tags go."""
    inner = re.sub(r"<[^>]*>", lambda t: " " * len(t.group()), markup)
    return inner.ljust(width)
