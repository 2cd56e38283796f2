"""Read a publication as it is published, whatever its format, into one `Document`.

    path or stdin -> bytes (files.py: one clear line for what cannot be read)
                  -> format (by extension, confirmed by content; --input-format forces one)
                  -> the format's reader -> Document (notes, markers, URLs, access dates)

Every reader returns the same `Document` the rules consume, so rules, reports and the
online stage never know which format they are looking at. Each reader module is imported
only when its format is read: the plain-text path, which a pre-commit hook takes, never
pays for an HTML, Word or PDF library.
"""

from __future__ import annotations

import importlib
import os

from citecheck.errors import InputError
from citecheck.model import Document
from citecheck.readers.files import load_bytes

INPUT_FORMATS = ("text", "markdown", "html", "docx", "pdf")
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
_MODULES = {
    "text": "citecheck.readers.text",
    "markdown": "citecheck.readers.markdown",
    "html": "citecheck.readers.html",
    "docx": "citecheck.readers.docx",
    "pdf": "citecheck.readers.pdf",
}


def read_document(
    path: str, *, input_format: str | None = None, display_name: str | None = None,
    encoding: str | None = None,
) -> Document:
    """Read `path` ('-' for stdin) as `input_format`, or as its extension and content say.
    `display_name` names stdin in reports (--stdin-filename) and gives it an extension;
    `encoding` (--encoding) decodes a text-like input instead of detecting its codec.
    Raises InputError (exit 2) for what cannot be read."""
    data = load_bytes(path)
    name = display_name or ("<stdin>" if path == "-" else path)
    fmt = input_format or detect(name, data)
    if fmt not in _MODULES:
        raise InputError(f"{name}: unknown input format {fmt!r}")
    reader = importlib.import_module(_MODULES[fmt])
    if encoding is None or fmt in ("pdf", "docx"):
        return reader.read(name, data)
    from dataclasses import replace

    from citecheck.readers.text import recode

    return replace(reader.read(name, recode(name, data, encoding)), encoding=encoding)


def detect(name: str, data: bytes) -> str:
    """The format of `data`: binary formats by their signature (a PDF saved as .txt is
    still a PDF), text formats by extension, with HTML recognised by its opening tag."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and _is_docx(data):
        return "docx"
    ext = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if ext in ("pdf", "docx"):
        what = "a PDF" if ext == "pdf" else "a Word (.docx) file"
        raise InputError(f"{name}: is not {what} (its content does not start like one)")
    if ext is None and _looks_html(head):
        return "html"
    return ext or "text"


def _looks_html(head: bytes) -> bool:
    lowered = head[:512].lower()
    return lowered.startswith((b"<!doctype html", b"<html")) or (
        lowered.startswith(b"<?xml") and b"<html" in lowered
    )


def _is_docx(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
