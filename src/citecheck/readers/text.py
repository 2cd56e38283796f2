"""Plain text: decode it, refusing binary data with one clear line, and parse it.

The text parser (citecheck.parse) is the one every text-like input ends in: text
extracted from a PDF, a Markdown file, a brief typed in an editor.

Encodings, in the order they are recognised: a byte-order mark (UTF-8, UTF-16), then UTF-8,
then Windows-1252 — what Word's "Plain Text" export and older Windows editors write — with
Latin-1 for the five bytes Windows-1252 leaves undefined. A guessed Windows-1252 is never
refused: the document records it (Document.encoding) and the CLI says so in one line;
`--encoding` names the codec instead.
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


GUESSED = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}
"""Encodings citecheck falls back to (not declared by a BOM, not valid UTF-8): said aloud."""


def read(name: str, data: bytes) -> Document:
    return read_as(name, data, "text")


def read_as(name: str, data: bytes, fmt: str) -> Document:
    """Decode and parse a text-like input, recording the encoding it was read with."""
    from dataclasses import replace

    from citecheck.parse import parse

    text, encoding = decoded(name, data)
    doc = parse(Source(name, fmt, text))
    return replace(doc, encoding=encoding, seen=(f"read as {fmt}", *recognised(doc)))


def recognised(doc: Document) -> tuple[str, ...]:
    """What the text parser found, in a few words (for -v and the N107 message)."""
    where = (f" under the heading on line {doc.notes_heading.line}"
             if doc.notes_heading is not None else "")
    return (f"{len(doc.notes)} notes{where}", f"{len(doc.markers)} markers")


def decode(path: str, data: bytes) -> str:
    return decoded(path, data)[0]


def recode(path: str, data: bytes, encoding: str) -> bytes:
    """`data` read as `encoding` (--encoding), as UTF-8 bytes for the readers."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}: not valid {encoding} (byte 0x{data[exc.start]:02x} on line "
                         f"{line})") from None
    except LookupError:
        raise InputError(f"{path}: {encoding!r} is not a text encoding") from None
    return text.removeprefix("\ufeff").encode("utf-8")


def decoded(path: str, data: bytes) -> tuple[str, str]:
    """The text of `data` and the codec it was read with."""
    for sig, what in _BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise InputError(f"{path}: is {what}, not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-16 text") from None
    else:
        if b"\x00" in data[:65536]:
            raise InputError(f"{path}: is a binary file, not text")
        encoding = "utf-8"
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = "cp1252"
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined there
                encoding, text = "latin-1", data.decode("latin-1")
    if not text.strip():
        raise InputError(f"{path}: is empty")
    if _looks_binary(text):
        raise InputError(f"{path}: is a binary file, not text")
    return text, encoding


def _looks_binary(text: str) -> bool:
    """Control characters other than tab, newline, CR and form feed mark binary data."""
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 100)
