"""Read an input file (or stdin) into text, refusing what is not a brief with one clear line.

Input is only ever read: citecheck never writes to the user's file. Every refusal is an
InputError whose message names the file and the problem, so the CLI can print it and exit 2.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass

from citecheck.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
"""A 64 MB text brief is already some 30,000 pages; past that it is not a brief."""

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\xd0\xcf\x11\xe0": "an old Office file",
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


def read(path: str) -> Source:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return Source("<stdin>", "text", _decode("<stdin>", data))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a directory, not a file (name the brief itself)")
    if st.st_size > MAX_BYTES:
        raise InputError(
            f"{path}: too large ({st.st_size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)"
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    ext = os.path.splitext(path)[1].lower()
    return Source(path, FORMATS.get(ext, "text"), _decode(path, data))


def _decode(path: str, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: too large (the limit is {MAX_BYTES // 2**20} MB)")
    for sig, what in _BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise InputError(f"{path}: is {what}, not text (extract its text first)")
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
