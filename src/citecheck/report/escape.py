"""Make document and web text safe to print.

A brief or a web page can hold escape sequences that would recolour, retitle or clear the
user's terminal, and invisible or bidirectional characters that make a line read differently
from what it holds (Trojan Source, CVE-2021-42574): they are shown as visible escapes
instead (DESIGN.md §9). Escaped are every character of Unicode's categories Cc (controls
but tab and newline), Cf (format: bidi embeddings, overrides and isolates, U+061C, zero-width
characters, the BOM, tag characters U+E0000–E007F), Zl and Zp (line and paragraph
separators) and Cs (lone surrogates), plus the characters that draw nothing though their
category says otherwise (the combining grapheme joiner, Hangul fillers, Khmer inherent
vowels, Mongolian variation selectors). The ranges are listed rather than computed from
unicodedata at start-up, which would cost a pass over every code point; a test compares
them with unicodedata.
"""

from __future__ import annotations

import re

from citecheck.lazyre import lazy

INVISIBLE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ud800-\udfff\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_CONTROL = lazy(f"[{INVISIBLE}]")


def sanitize(text: str) -> str:
    """Replace control, invisible and bidi characters with `\\xNN` / `\\uNNNN` /
    `\\UNNNNNNNN` escapes."""
    return _CONTROL.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def json_escaped(text: str) -> str:
    """JSON text (json.dumps with ensure_ascii=False) with the same characters written as
    `\\uNNNN` escapes: the same data for a program, nothing invisible for a terminal. Safe
    on the whole text: json.dumps puts none of them outside a string. ASCII text holds none
    but DEL (json.dumps escapes the other C0 controls itself), and is told at memchr speed."""
    if text.isascii() and "\x7f" not in text:
        return text
    return _CONTROL.sub(_json_escape, text)


def _json_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON writes a character past the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def toml_escaped(text: str) -> str:
    """A TOML basic string (as json.dumps writes one) with the same characters as `\\uNNNN`
    or `\\UNNNNNNNN` escapes, which TOML reads back (it has no surrogate pairs)."""
    return _CONTROL.sub(_toml_escape, text)


def _toml_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
