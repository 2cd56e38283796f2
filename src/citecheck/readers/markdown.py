"""Markdown: for now the text parser, which knows `[^label]` footnotes."""

from __future__ import annotations

from citecheck.model import Document
from citecheck.readers.text import Source, decode


def read(name: str, data: bytes) -> Document:
    from citecheck.parse import parse

    return parse(Source(name, "markdown", decode(name, data)))
