"""A cited source's text as quotations are searched in it."""

from __future__ import annotations

import pytest

from citecheck.quotes.match import Found, Words, locate
from citecheck.quotes.sources import html_text, source_text

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


def test_an_articles_own_header_and_footer_are_its_text() -> None:
    page = (b"<html><body><header>Site menu: Home News</header><article><header><h1>Plan</h1>"
            b"<p>The standfirst names the four harbours.</p></header><p>Body text.</p>"
            b"<footer>Reporting by Ida Lund.</footer></article><footer>Copyright line"
            b"</footer></body></html>")
    text = html_text(page).text
    assert "The standfirst names the four harbours." in text
    assert "Reporting by Ida Lund." in text
    assert "Site menu" not in text and "Copyright" not in text


def test_a_form_around_the_whole_page_keeps_the_page() -> None:
    page = (b"<html><body><form role='search'><p>Search the site</p></form><form id='main'>"
            b"<h1>Ports plan</h1><p>The plan gives priority to fuel terminals and to dredging."
            b"</p></form></body></html>")
    text = html_text(page).text
    assert "The plan gives priority to fuel terminals and to dredging." in text
    assert "Search the site" not in text


def test_a_utf8_page_with_no_charset_anywhere_is_read_as_utf8() -> None:
    # A static server says "text/html" only; a byte-statistics guess read this as Shift JIS.
    page = ("<html><body><p>We recog\u200bnise that the transition will be diffi\u00adcult "
            "for many small operators.</p></body></html>").encode()
    words = Words.of(html_text(page, "text/html").text)
    quotation = "We recognise that the transition will be difficult"
    assert isinstance(locate(quotation, words), Found)


def test_a_declared_charset_is_kept() -> None:
    page = "<html><head><meta charset='windows-1252'></head><body><p>Caf\xe9 society is"
    text = html_text((page + " back in fashion this year, and in every city of the north."
                      "</p></body></html>").encode("cp1252"),
                     "text/html").text
    assert "Café society is back in fashion" in text


@pytest.mark.parametrize("kind", ["text/html", "text/plain"])
def test_a_charset_python_does_not_know_is_no_charset(kind: str) -> None:
    """'charset=x-unknown' from a server: the source is read as UTF-8, not refused (a plain
    text raised LookupError, reported as the run's time budget running out)."""
    body = b"<p>" + "The café’s ledger was reconciled every week. ".encode() * 20 + b"</p>"
    text = source_text(body, f"{kind}; charset=x-unknown-9").text
    assert "café’s ledger was reconciled" in text
