"""Plain text: decode it, refusing binary data with one clear line, and parse it.

The text parser (citecheck.parse) is the one every text-like input ends in: text
extracted from a PDF, a Markdown file, a brief typed in an editor.
"""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.errors import InputError
from citecheck.model import Document

_BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc: save it as .docx)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}


@dataclass(frozen=True, slots=True)
class Source:
    """The text of one input, before parsing."""

    path: str
    format: str
    text: str


def read(name: str, data: bytes) -> Document:
    from dataclasses import replace

    from citecheck.parse import parse

    doc = parse(Source(name, "text", decode(name, data)))
    return replace(doc, seen=("read as text", *recognised(doc)))


def recognised(doc: Document) -> tuple[str, ...]:
    """What the text parser found, in a few words (for -v and the N107 message)."""
    where = (f" under the heading on line {doc.notes_heading.line}"
             if doc.notes_heading is not None else "")
    return (f"{len(doc.notes)} notes{where}", f"{len(doc.markers)} markers")


def decode(path: str, data: bytes) -> str:
    for sig, what in _BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise InputError(f"{path}: is {what}, not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-16 text") from None
    else:
        if b"\x00" in data[:65536]:
            raise InputError(f"{path}: is a binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
                "save it as UTF-8"
            ) from None
    if not text.strip():
        raise InputError(f"{path}: is empty")
    if _looks_binary(text):
        raise InputError(f"{path}: is a binary file, not text")
    return text


def _looks_binary(text: str) -> bool:
    """Control characters other than tab, newline, CR and form feed mark binary data."""
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 100)
