"""A cited source's text as quotations are searched in it."""

from __future__ import annotations

from citecheck.quotes.match import Found, Words, locate
from citecheck.quotes.sources import html_text

PAGE = (
    b"<html><body><main><p>The straits carry a fifth of the region's shipping."
    b'<sup class="reference"><a href="#cite-1">[1]</a></sup> Traffic has grown steadily.'
    b'<sup><a href="#cite-2">2</a></sup> Its depth is 10<sup>3</sup> centimetres, and it '
    b"opened on the 1<sup>st</sup> of May.</p></main></body></html>"
)


def test_a_pages_own_reference_markers_are_not_searched() -> None:
    words = Words.of(html_text(PAGE).text)
    quotation = "The straits carry a fifth of the region's shipping. Traffic has grown steadily."
    assert isinstance(locate(quotation, words), Found)


def test_a_superscript_that_is_no_link_stays_in_the_text() -> None:
    text = html_text(PAGE).text
    assert "103 centimetres" in text
    assert "1st of May" in text
