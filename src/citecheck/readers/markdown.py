"""Markdown: for now the text parser, which knows `[^label]` footnotes."""

from __future__ import annotations

from citecheck.model import Document
from citecheck.readers.text import read_as


def read(name: str, data: bytes) -> Document:
    return read_as(name, data, "markdown")
