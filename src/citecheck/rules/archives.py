"""Archive rules A501–A504 over link results and archive look-ups: pure, no I/O.

One finding per citation (note), since each place a dead URL is cited needs its own fix.

- A501 archive-available: a dead, soft-404, paywalled or blocked link has a snapshot.
- A502 archive-missing: a *dead* link, and every configured archive answered that it has no
  usable capture. A soft-404, paywall or blocked page without a snapshot is not lost (it may
  still be there), so it gets no A502.
- A503 content-drift: a live page has lost most of the snapshot's main text.
- A504 archive-unavailable: broken links whose snapshots could not be looked up because an
  archive was down, rate-limited or answered garbage, and no other archive had one. It is
  never turned into A502: "could not ask" is not "nothing there". One archive down is one
  problem, so it is one finding per run (at the first such citation), naming every link it
  leaves without an answer, not one per link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from citecheck.archive.cited import Cited, citations_of
from citecheck.archive.types import Drift, Lookup, State
from citecheck.model import Document, Finding, LinkResult, Verdict
from citecheck.net.facts import clean
from citecheck.rules.finding import finding

LookupKey = tuple[str, dt.date | None]

DRIFT_CHECKED = (Verdict.OK, Verdict.MOVED)


def _day(d: dt.date | dt.datetime) -> str:
    return f"{d:%Y-%m-%d}"


def check(
    document: Document,
    results: Mapping[str, LinkResult],
    lookups: Mapping[LookupKey, Lookup],
    drifts: Mapping[LookupKey, Drift],
) -> list[Finding]:
    """A-findings for `document` from its link results, archive look-ups (keyed by URL and
    target date) and drift comparisons (same keys)."""
    out: list[Finding] = []
    seen: set[tuple[str, object, str]] = set()
    for cited in citations_of(document):
        result = results.get(cited.url)
        if result is None:
            continue
        key = (cited.url, cited.target)
        made: Finding | None = None
        if result.verdict.is_broken and key in lookups:
            made = _broken(document, cited, result, lookups[key])
        elif result.verdict in DRIFT_CHECKED and key in drifts:
            made = _drift(document, cited, drifts[key])
        if made is None:
            continue
        ident = (made.code, cited.note, cited.url)
        if ident not in seen:
            seen.add(ident)
            out.append(made)
    return out


def _when(cited: Cited) -> str:
    if cited.accessed is not None:
        return f"the access date {_day(cited.accessed)}"
    if cited.target is not None:
        return f"the brief's date {_day(cited.target)}"
    return "today (no access date)"


def _broken(
    document: Document, cited: Cited, result: LinkResult, lookup: Lookup
) -> Finding | None:
    what = result.verdict.value
    if lookup.state is State.FOUND and lookup.snapshot is not None:
        snap = lookup.snapshot
        if cited.target is None:
            side = "newest capture"
        elif lookup.before_target:
            side = f"nearest capture on or before {_when(cited)}"
        else:
            side = f"no capture before {_when(cited)}; nearest after"
        return finding(
            "A501",
            f"{what} link has an archived copy from {_day(snap.timestamp)} ({side}): {snap.url}",
            document.path, cited.span, note=cited.note, url=cited.url,
            fix=f"cite {cited.url}, archived at {snap.url} on {_day(snap.timestamp)} "
                f"(or run with --fix-archive OUTPUT)",
        )
    if lookup.state is State.MISSING:
        if result.verdict is not Verdict.DEAD:
            return None
        archives = ", ".join(a.archive for a in lookup.answers) or "the archives"
        return finding(
            "A502",
            f"dead link with no usable snapshot in any archive ({archives} answered: none)",
            document.path, cited.span, note=cited.note, url=cited.url,
        )
    return None  # State.UNAVAILABLE: one A504 for the whole run (`unavailable`)


def unavailable(
    documents: Sequence[Document], results: Mapping[str, LinkResult],
    lookups: Mapping[LookupKey, Lookup],
) -> tuple[int, Finding] | None:
    """The run's one A504, with the index of the document it is reported in (the first
    with an affected citation), or None when every archive could be consulted."""
    places: dict[str, str] = {}
    reasons: dict[str, None] = {}
    first: tuple[int, Document, Cited] | None = None
    for i, document in enumerate(documents):
        for cited in citations_of(document):
            lookup = lookups.get((cited.url, cited.target))
            result = results.get(cited.url)
            if lookup is None or lookup.state is not State.UNAVAILABLE or result is None:
                continue
            if not result.verdict.is_broken:
                continue
            first = first or (i, document, cited)
            where = f"note {cited.note}" if len(documents) == 1 else (
                f"{document.path} note {cited.note}")
            places.setdefault(cited.url, where)
            for a in lookup.failed:  # each problem once, however many links and requests met it
                for part in a.detail.split("; "):
                    part = part.removesuffix(" (not asked again this run)")
                    reasons.setdefault(f"{a.archive}: {part}", None)
    if first is None:
        return None
    i, document, cited = first
    shown = [f"{clean(url, 300)} ({where})" for url, where in list(places.items())[:20]]
    more = f" and {len(places) - 20} more" if len(places) > 20 else ""
    count = f"{len(places)} link{'s' if len(places) > 1 else ''}"
    return i, finding(
        "A504",
        f"archive could not be consulted ({'; '.join(reasons) or 'no answer'}): whether "
        f"snapshots exist is unknown for {count}: {', '.join(shown)}{more}",
        document.path, cited.span, note=cited.note, url=cited.url,
    )


def _drift(document: Document, cited: Cited, drift: Drift) -> Finding | None:
    if not drift.drifted:
        return None
    gone = round((1.0 - drift.retained) * 100)
    return finding(
        "A503",
        f"live page differs from the snapshot of {_day(drift.snapshot.timestamp)} nearest "
        f"{_when(cited)}: {gone}% of its main text is gone ({drift.snapshot.url})",
        document.path, cited.span, note=cited.note, url=cited.url,
        fix=f"check the claim against the live page, or cite the snapshot {drift.snapshot.url}",
    )
