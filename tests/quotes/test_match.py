"""Matching a quotation against a source: tolerant of typography, strict on words."""

from __future__ import annotations

import pytest

from citecheck.quotes.match import Found, Missed, Words, locate

SOURCE = (
    "Japan’s security environment is the most severe and complex since the end of World "
    "War II.\nChina’s current external stance has become a matter of serious concern and "
    "presents an un-\nprecedented and the greatest strategic challenge in ensuring the peace "
    "and stability of Japan.\fNorth Korea is an even more grave and imminent threat to Japan’s "
    "national secu\u00adrity than ever before. The ﬁnancial burden is well-known."
)


@pytest.fixture(scope="module")
def source() -> Words:
    return Words.of(SOURCE)


@pytest.mark.parametrize(
    "quotation",
    [
        "the most severe and complex since the end of World War II",
        "The Most Severe and Complex",  # case
        "an unprecedented and the greatest strategic challenge",  # hyphenated over a line break
        "unprecedented . . . strategic challenge in ensuring",  # spaced ellipsis
        "unprecedented...strategic challenge",
        "unprecedented […] strategic challenge",
        "China's current external stance",  # straight apostrophe for a curly one
        "[t]he greatest strategic challenge",  # a letter's case altered
        "[Beijing’s] current external stance has become a matter of serious concern",
        "stability of Japan. North Korea is an even more grave",  # across a page break
        "to Japan’s national security than ever before",  # soft hyphen in the source
        "The financial burden is well-known",  # a ligature in the source
        "the financial burden is well known",
        "North Korea is an even more grave [sic] and imminent threat",
    ],
)
def test_found(source: Words, quotation: str) -> None:
    assert isinstance(locate(quotation, source), Found)


@pytest.mark.parametrize(
    ("text", "quotation"),
    [
        ("a well-\nknown burden of proof", "a well-known burden of proof"),
        ("a well-known burden of proof", "a well-\nknown burden of proof"),
        ("an unprece-\ndented burden of proof", "an unprecedented burden of proof"),
        ("an unprecedented burden of proof", "an unprece-\ndented burden of proof"),
    ],
)
def test_hyphens_at_line_breaks_either_way(text: str, quotation: str) -> None:
    assert isinstance(locate(quotation, Words.of(text)), Found)


def test_found_gives_the_place_in_the_source(source: Words) -> None:
    hit = locate("the greatest strategic challenge", source)
    assert isinstance(hit, Found)
    assert SOURCE[hit.start : hit.end] == "the greatest strategic challenge"


def test_one_word_changed_is_a_miss_that_names_the_word(source: Words) -> None:
    miss = locate("an even more serious and imminent threat to Japan's national security", source)
    assert isinstance(miss, Missed)
    assert miss.difference == "source says 'grave', brief says 'serious'"
    assert miss.passage.startswith("an even more grave and imminent threat")


def test_words_left_out_without_an_ellipsis_are_a_miss(source: Words) -> None:
    miss = locate("North Korea is an even more grave threat", source)
    assert isinstance(miss, Missed)
    assert "leaves out 'and imminent'" in miss.difference


def test_pieces_out_of_order_are_a_miss(source: Words) -> None:
    assert isinstance(locate("strategic challenge ... the most severe and complex", source), Missed)


def test_an_absent_quotation_has_no_close_passage(source: Words) -> None:
    miss = locate("the committee rejected every amendment offered by the minority", source)
    assert isinstance(miss, Missed)
    assert miss.passage == ""


def test_an_ellipsis_cannot_bridge_the_whole_source() -> None:
    far = Words.of("alpha beta " + "filler " * 3000 + "gamma delta")
    assert isinstance(locate("alpha beta ... gamma delta", far), Missed)
    near = Words.of("alpha beta " + "filler " * 30 + "gamma delta")
    assert isinstance(locate("alpha beta ... gamma delta", near), Found)


def test_matching_is_linear_on_a_large_source() -> None:
    import time

    big = Words.of("the quick brown fox jumps over the lazy dog. " * 40_000)
    t = time.perf_counter()
    assert isinstance(locate("the lazy dog the quick brown fox", big), Found)
    assert isinstance(locate("the lazy cat the quick brown fox", big), Missed)
    assert time.perf_counter() - t < 5


def test_a_phrase_the_source_repeats_is_found_where_the_caller_prefers() -> None:
    text = "the fleet was weighed against the treaty. " * 3
    source = Words.of(text)
    later = locate("weighed against the treaty", source, lambda f: f.start > 50)
    assert isinstance(later, Found) and later.start > 50
    anywhere = locate("weighed against the treaty", source, lambda f: False)
    assert isinstance(anywhere, Found) and anywhere.start == text.index("weighed")


def test_invisible_joiners_inside_a_word_keep_it_one_word() -> None:
    source = Words.of("We recog\u200bnise that the transi\u2060tion will be diffi\ufeffcult.")
    assert isinstance(locate("we recognise that the transition will be difficult", source),
                      Found)
