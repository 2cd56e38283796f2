"""Choosing the capture to cite (choose.py): pure, no network."""

from __future__ import annotations

import datetime as dt

import pytest

from citecheck.archive.choose import (
    choose,
    format_timestamp,
    parse_timestamp,
    resource_key,
    timestamp_in,
    usable,
)
from citecheck.archive.types import Capture

URL = "https://example.org/report"
DAY = dt.date(2024, 4, 5)


def cap(stamp: str, original: str = URL, status: int | None = 200,
        digest: str | None = None) -> Capture:
    when = parse_timestamp(stamp)
    assert when is not None
    return Capture(when, f"https://web.archive.org/web/{stamp}/{original}", original, status,
                   digest or f"D{stamp}")


def stamp(c: Capture | None) -> str:
    assert c is not None
    return format_timestamp(c.timestamp)


def test_nearest_before_wins_over_a_nearer_after() -> None:
    caps = [cap("20240301000000"), cap("20240404000000"), cap("20240406000000")]
    assert stamp(choose(caps, URL, DAY)) == "20240404000000"


def test_nearest_after_when_nothing_before() -> None:
    caps = [cap("20250101000000"), cap("20240601000000"), cap("20240404000000", status=404)]
    assert stamp(choose(caps, URL, DAY)) == "20240601000000"


def test_the_access_day_itself_counts_as_before() -> None:
    caps = [cap("20240405235959"), cap("20240301000000")]
    assert stamp(choose(caps, URL, DAY)) == "20240405235959"


def test_newest_without_a_target() -> None:
    caps = [cap("20200101000000"), cap("20240101000000"), cap("20240301000000", status=500)]
    assert stamp(choose(caps, URL, None)) == "20240101000000"


def test_nothing_usable_is_none() -> None:
    assert choose([], URL, DAY) is None
    assert choose([cap("20240404000000", status=404), cap("20240403000000", status=301)],
                  URL, DAY) is None


def test_a_revisit_of_a_200_capture_is_a_200_capture() -> None:
    caps = [cap("20240101000000", digest="X"), cap("20240404000000", status=0, digest="X"),
            cap("20240405000000", status=0, digest="Y")]
    chosen = choose(caps, URL, DAY)
    assert stamp(chosen) == "20240404000000" and chosen.status == 200


def test_identical_listings_of_one_capture_are_one() -> None:
    twins = [cap("20240404000000", "http://example.org/report", digest="Z"),
             cap("20240404000000", digest="Z")]
    kept = usable(twins, URL)
    assert len(kept) == 1
    # Of the two spellings the cited one is chosen.
    assert choose(twins, URL, DAY).original == URL


def test_scheme_www_port_fragment_and_parameter_order_do_not_matter() -> None:
    a = resource_key("https://www.Example.org:443/a/b/?y=2&x=1#part")
    assert a == resource_key("http://example.org/a/b?x=1&y=2")
    assert a != resource_key("http://example.org/a/b?x=1&y=3")
    assert resource_key("example.org") == resource_key("https://example.org/")


def test_captures_of_another_query_string_are_ignored() -> None:
    caps = [cap("20240404000000", URL + "?page=2"), cap("20240101000000")]
    assert stamp(choose(caps, URL, DAY)) == "20240101000000"
    assert choose(caps, URL + "#notes", DAY) is not None


@pytest.mark.parametrize(("text", "expected"), [
    ("20240405123456", dt.datetime(2024, 4, 5, 12, 34, 56, tzinfo=dt.UTC)),
    ("2024", dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
    ("202404", dt.datetime(2024, 4, 1, tzinfo=dt.UTC)),
    ("20240230000000", None),
    ("2024x", None),
    ("", None),
])
def test_parse_timestamp(text: str, expected: dt.datetime | None) -> None:
    assert parse_timestamp(text) == expected


def test_timestamp_in_a_replay_url() -> None:
    when = timestamp_in("https://web.archive.org/web/20240404000000id_/https://x.org/20240101")
    assert when == dt.datetime(2024, 4, 4, tzinfo=dt.UTC)
    assert timestamp_in("https://archive.example/memento/abc") is None
