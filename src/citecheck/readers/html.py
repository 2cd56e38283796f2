"""HTML: not yet read."""

from __future__ import annotations

from citecheck.errors import InputError
from citecheck.model import Document


def read(name: str, data: bytes) -> Document:
    raise InputError(f"{name}: HTML is not read yet")
