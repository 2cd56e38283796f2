"""Make document and web text safe to print.

A brief or a web page can hold escape sequences that would recolour, retitle or clear the
user's terminal; they are shown as visible escapes instead (DESIGN.md §9).
"""

from __future__ import annotations

import re

from citecheck.lazyre import lazy

_CONTROL = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """Replace control characters (and bidi overrides) with `\\xNN` / `\\uNNNN` escapes."""
    return _CONTROL.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
