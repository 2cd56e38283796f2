"""User patterns run in linear time (citecheck.patterns): a document cannot stall a run."""

from __future__ import annotations

import time

import pytest

from citecheck import suppress
from citecheck.config import Config, Suppression
from citecheck.model import Document, Finding, Severity
from citecheck.patterns import PatternError, _fallback, compile_pattern

EVIL = "https://example.org/" + "a" * 50_000 + "!"


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)*$", r"(a*)*b", r"^(\w+\s?)*$"])
def test_catastrophic_patterns_match_a_long_url_at_once(pattern: str) -> None:
    compiled = compile_pattern(pattern)
    start = time.perf_counter()
    compiled.search(EVIL)
    assert time.perf_counter() - start < 0.5


def test_patterns_keep_their_meaning() -> None:
    p = compile_pattern(r"^https://intranet\.example\.org/")
    assert p.search("https://intranet.example.org/a") and not p.search("https://example.org/")
    assert compile_pattern("(?i)EXAMPLE").search("https://example.org/")


def test_suppression_and_exclude_use_the_linear_engine() -> None:
    doc = Document("b.txt", "text", "x\n", (), ())
    finding = Finding("L401", Severity.ERROR, "dead", "b.txt", 1, url=EVIL)
    config = Config(exclude=(r"(a+)+$",), suppress=(Suppression(url=r"(a|aa)*$"),))
    start = time.perf_counter()
    assert suppress.apply(doc, [finding], config) == []
    assert time.perf_counter() - start < 0.5


def test_look_around_is_refused_with_a_reason() -> None:
    with pytest.raises(PatternError, match="no look-around"):
        compile_pattern(r"(?<!x)y")


def test_the_fallback_engine_refuses_nested_repetition() -> None:
    with pytest.raises(PatternError, match="repeats a repetition"):
        _fallback(r"(a+)+$")
    assert _fallback(r"^https://a\.org/(x|y)+").search("https://a.org/xyx")
