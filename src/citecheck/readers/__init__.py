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
    try:
        if encoding is None or fmt in ("pdf", "docx"):
            return reader.read(name, data)
        from dataclasses import replace

        from citecheck.readers.text import recode

        return replace(reader.read(name, recode(name, data, encoding)), encoding=encoding)
    except (InputError, KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:
        # A shape no reader expected must still end in one line and exit 2, never in a
        # traceback; the line names the exception so that it can be reported.
        raise InputError(
            f"{name}: could not be read as {fmt} ({type(exc).__name__}: {exc}); "
            "please report this file's shape"
        ) from exc


def detect(name: str, data: bytes) -> str:
    """The format of `data`: binary formats by their signature (a PDF saved as .txt is
    still a PDF), text formats by extension, confirmed by content (a saved web page named
    .txt is HTML); without an extension (stdin), HTML by its opening tag and Markdown by its
    front matter or markup. A .docx that is not one is refused with the reason."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-") or (head.startswith(b"%") and b"%PDF-" in head):
        # Readers accept the header anywhere in the first 1024 bytes (PDF 32000 annex H);
        # an editor that appended to a PDF may have left "%%EOF" before it.
        return "pdf"
    ext = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind == "docx":
            return "docx"
        if ext == "docx":
            raise InputError(f"{name}: " + (
                "is a ZIP archive but not a Word document (no word/document.xml)"
                if kind == "zip" else "is not a readable .docx (the ZIP archive is damaged)"))
    if ext == "docx" and data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name}: is password-protected or an old .doc file (Word keeps both "
                         "in an OLE container): save it unprotected as .docx")
    if ext in ("pdf", "docx"):
        what = "a PDF" if ext == "pdf" else "a Word (.docx) file"
        raise InputError(f"{name}: is not {what} (its content does not start like one)")
    if ext in (None, "text", "markdown") and _looks_html(head):
        return "html"
    if ext is None and _looks_markdown(data):
        return "markdown"
    return ext or "text"


def _looks_html(head: bytes) -> bool:
    lowered = head[:1024].lower()
    while lowered.startswith((b"<!--", b"<?xml")):
        end = lowered.find(b"-->" if lowered.startswith(b"<!--") else b"?>")
        if end < 0:
            return False
        lowered = lowered[end + 2:].lstrip(b"> \t\r\n")
    return lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta"))


def _looks_markdown(data: bytes) -> bool:
    """Front matter, or HTML note markup (<sup>) among Markdown headings or links."""
    head = data[:65536]
    if head.startswith((b"---\n", b"---\r\n", b"+++\n", b"+++\r\n")):
        return True
    heading = b"\n# " in head or b"\n## " in head or head.startswith(b"#")
    return (b"<sup" in head or b"](" in head) and heading


def _zip_kind(data: bytes) -> str:
    """"docx" for a Word package, "zip" for another ZIP archive, "damaged" for neither."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "damaged"
    if "word/document.xml" in names or (any(
        n.startswith("word/") and n.endswith(".xml") for n in names
    ) and "[Content_Types].xml" in names):
        return "docx"
    return "zip"
