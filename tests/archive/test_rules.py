"""Rules A501-A504 (rules/archives.py): pure, from results and look-ups to findings."""

from __future__ import annotations

import datetime as dt

from helpers import brief, cite

from citecheck.archive.types import Drift, Lookup, SourceAnswer, State
from citecheck.model import LinkResult, Snapshot, Verdict
from citecheck.rules.archives import check
from citecheck.rules.archives import unavailable as run_a504

A, B = "https://a.example.org/x", "https://b.example.org/y"
DAY = dt.date(2024, 4, 5)
SNAP = Snapshot("https://web.archive.org/web/20240404000000/" + A,
                dt.datetime(2024, 4, 4, tzinfo=dt.UTC), "wayback")


def found(url: str) -> Lookup:
    return Lookup(url, DAY, State.FOUND, SNAP, (SourceAnswer("wayback", State.FOUND),))


def missing(url: str) -> Lookup:
    return Lookup(url, DAY, State.MISSING, None,
                  (SourceAnswer("wayback", State.MISSING), SourceAnswer("tg", State.MISSING)))


def unavailable(url: str) -> Lookup:
    return Lookup(url, DAY, State.UNAVAILABLE, None, (
        SourceAnswer("wayback", State.UNAVAILABLE, detail="HTTP 429 (rate-limited)"),
        SourceAnswer("tg", State.MISSING)))


def codes_for(verdict: Verdict, lookup: Lookup) -> list[str]:
    doc = brief(cite(A))
    out = check(doc, {A: LinkResult(A, verdict)}, {(A, DAY): lookup}, {})
    return [f.code for f in out]


def test_a501_for_every_broken_verdict_with_a_snapshot() -> None:
    for v in (Verdict.DEAD, Verdict.SOFT_404, Verdict.PAYWALL, Verdict.BLOCKED):
        assert codes_for(v, found(A)) == ["A501"]


def test_a502_only_for_dead_links() -> None:
    assert codes_for(Verdict.DEAD, missing(A)) == ["A502"]
    for v in (Verdict.SOFT_404, Verdict.PAYWALL, Verdict.BLOCKED):
        assert codes_for(v, missing(A)) == []


def test_unavailable_is_a504_never_a502_and_one_per_run() -> None:
    assert codes_for(Verdict.DEAD, unavailable(A)) == []  # not per citation
    docs = [brief(cite(A), cite(B)), brief(cite(B))]
    results = {A: LinkResult(A, Verdict.DEAD), B: LinkResult(B, Verdict.SOFT_404)}
    lookups = {(A, DAY): unavailable(A), (B, DAY): unavailable(B)}
    index, f = run_a504(docs, results, lookups)
    assert index == 0 and f.code == "A504" and f.note == 1 and f.url == A
    assert "429" in f.message and "unknown for 2 links" in f.message
    assert A in f.message and B in f.message and "brief.txt note 2" in f.message
    assert run_a504(docs, results, {(A, DAY): found(A), (B, DAY): missing(B)}) is None


def test_findings_name_the_note_and_the_fix() -> None:
    doc = brief(cite(B), cite(A))
    [f] = check(doc, {A: LinkResult(A, Verdict.DEAD), B: LinkResult(B, Verdict.OK)},
                {(A, DAY): found(A)}, {})
    assert f.note == 2 and f.url == A and SNAP.url in (f.fix or "")
    assert "on or before the access date 2024-04-05" in f.message


def test_a503_only_when_drifted() -> None:
    doc = brief(cite(A))
    ok = {A: LinkResult(A, Verdict.OK)}
    same = Drift(A, SNAP, 0.97, False, 120)
    gone = Drift(A, SNAP, 0.1, True, 120)
    assert check(doc, ok, {}, {(A, DAY): same}) == []
    [f] = check(doc, ok, {}, {(A, DAY): gone})
    assert f.code == "A503" and "90%" in f.message


def test_a504_names_each_problem_once() -> None:
    """Every link and every request meeting one dead archive host: said once, not per request."""
    def down(url: str, detail: str) -> Lookup:
        return Lookup(url, DAY, State.UNAVAILABLE, None,
                      (SourceAnswer("wayback", State.UNAVAILABLE, detail=detail),))

    lookups = {(A, DAY): down(A, "host not found; host not found"),
               (B, DAY): down(B, "host not found (not asked again this run)")}
    results = {A: LinkResult(A, Verdict.DEAD), B: LinkResult(B, Verdict.DEAD)}
    _, f = run_a504([brief(cite(A), cite(B))], results, lookups)
    assert "archive could not be consulted (wayback: host not found): " in f.message
