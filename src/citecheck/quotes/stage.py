"""The quotation stage: look for each quotation in the source its note cites (Q601, Q602).

    body quotations (body.py) -> the note's citations, an Ibid./supra/short form followed to
        its full citation, each keeping its own pin cite
    -> each cited source read once (the live page, or the archived copy near the access date
       when the page is gone or has drifted), through the run's client, limits and deadline
    -> its text (sources.py) -> each quotation matched (match.py), its page checked (pages.py)

Runs after the links and archives, in the same event loop and under the same time budget,
and only when the body quotes something: a brief without quotations costs no request. A
source that cannot be read (paywalled, blocked, dead without a copy, too large, a scan) gives
no finding; the summary counts such quotations with the reason.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from citecheck.config import Config
from citecheck.model import (
    Citation,
    Document,
    Finding,
    LinkResult,
    Note,
    NoteKind,
    QuoteSummary,
    Verdict,
)
from citecheck.net.checker import within
from citecheck.net.http import Http, Policy
from citecheck.quotes.body import quotations
from citecheck.quotes.find import Quotation
from citecheck.quotes.match import Found, Missed, Words, locate
from citecheck.quotes.pages import Paged, locator_pages, on_cited_page
from citecheck.quotes.sources import Unreadable, source_text
from citecheck.rules.finding import finding

_READABLE = (Verdict.OK, Verdict.MOVED)
_COPY_OF = (Verdict.OK, Verdict.MOVED, Verdict.DEAD, Verdict.SOFT_404)
"""Verdicts whose archived copy (LinkResult.archive) is searched when there is one: the
page is gone, or it has drifted from what the author read."""


class _Tally:
    """The summary as the quotations are judged."""

    def __init__(self) -> None:
        self.found = self.missed = self.elsewhere = 0
        self.unchecked: Counter[str] = Counter()

    def summary(self) -> QuoteSummary:
        return QuoteSummary(self.found, self.missed, self.elsewhere,
                            tuple(self.unchecked.most_common()))


@dataclass(frozen=True)
class QuoteOutcome:
    findings: list[list[Finding]]
    """Per document, in the order given."""
    summary: QuoteSummary | None
    """None when the body quotes nothing."""
    requests: int = 0


@dataclass(frozen=True)
class _Target:
    """One source a quotation may come from: the URL cited and the pages the note names."""

    url: str
    pages: frozenset[int]
    locator: str | None


@dataclass(frozen=True)
class _Source:
    """A source's searchable text and which copy it is ("the live page", "the archived
    copy of 2024-04-03"), or why it could not be read."""

    copy: str
    paged: Paged | None = None
    words: Words | None = None
    reason: str = ""


async def check_quotes(
    documents: Sequence[Document],
    results: Mapping[str, LinkResult],
    config: Config,
    http: Http,
    until: float,
) -> QuoteOutcome:
    """Q601/Q602 findings per document for the quotations of their bodies."""
    tally = _Tally()
    found = [quotations(doc) for doc in documents]
    if not any(found):
        return QuoteOutcome([[] for _ in documents], None)
    plans = [[(q, _targets(doc, q)) for q in qs] for doc, qs in zip(documents, found, strict=True)]
    copies: dict[str, tuple[str, str]] = {}  # cited URL -> (URL to read, which copy)
    skipped: dict[str, str] = {}
    for doc_plans in plans:
        for _, targets in doc_plans:
            for t in targets if isinstance(targets, list) else ():
                if t.url not in copies and t.url not in skipped:
                    chosen = _copy(results.get(t.url))
                    if isinstance(chosen, str):
                        skipped[t.url] = chosen
                    else:
                        copies[t.url] = chosen
    wanted = {read for read, _ in copies.values()}
    policy = Policy(config.timeout, 3 * config.timeout, config.retries, config.timeout,
                    config.quote_max_body, any_body=True)
    # Sources are read one at a time on a worker thread: off the loop, so requests go on,
    # and one at a time because PDFium (the PDF reader) is not thread-safe.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="citecheck-quotes") as worker:
        read = await within({u: partial(_read, http, policy, worker, u) for u in wanted},
                            until, lambda u: "the run's time budget ran out")
    sources = {
        url: _Source(copy, *read[target]) if isinstance(read[target], tuple)
        else _Source(copy, reason=str(read[target]))
        for url, (target, copy) in copies.items()
    }
    sources.update({url: _Source("", reason=why) for url, why in skipped.items()})
    out = [
        [f for q, targets in doc_plans if (f := _judge(doc, q, targets, sources, tally))]
        for doc, doc_plans in zip(documents, plans, strict=True)
    ]
    return QuoteOutcome(out, tally.summary(), requests=len(wanted))


async def _read(
    http: Http, policy: Policy, worker: ThreadPoolExecutor, url: str
) -> tuple[Paged, Words] | str:
    """The searchable text of `url`, or why it cannot be searched."""
    fetched = await http.fetch(url, policy)
    if fetched.status is None:
        return f"source not reachable ({fetched.failure_detail or 'no answer'})"
    if fetched.status != 200:
        return f"source answered {fetched.status}"
    if fetched.truncated:
        return f"source larger than {policy.max_body // (1024 * 1024)} MB"
    loop = asyncio.get_running_loop()
    try:
        paged = await loop.run_in_executor(
            worker, source_text, fetched.body, fetched.content_type, url)
    except Unreadable as exc:
        return f"source unreadable: {exc}"
    return paged, await loop.run_in_executor(worker, Words.of, paged.text)


def _copy(result: LinkResult | None) -> tuple[str, str] | str:
    """Which copy of a cited page to search, or why none can be."""
    if result is None:
        return "source not checked"
    if result.archive is not None and result.verdict in _COPY_OF:
        when = result.archive.timestamp.date().isoformat()
        return result.archive.url, f"the archived copy of {when}"
    if result.verdict in _READABLE:
        return result.final_url or result.url, "the source"
    return f"source {result.verdict.value}"


def _targets(doc: Document, q: Quotation) -> list[_Target] | str:
    """The sources a quotation may come from, or why it cannot be checked."""
    by_number = {n.number: n for n in doc.notes}
    note = by_number.get(q.note)
    if note is None:
        return "note not found"
    full = note
    own_locator = None
    if note.kind is not NoteKind.FULL:
        if note.resolves_to is None:
            return "back-reference unresolved"
        full = by_number.get(note.resolves_to, note)
        own_locator = _back_reference_pin(note)
    targets = []
    for citation in full.citations:
        locator = own_locator if full is not note else _locator(citation)
        for ref in citation.urls:
            targets.append(_Target(ref.url, locator_pages(locator), locator))
    return targets or "cited source has no URL"


_BARE_PIN = re.compile(r",[ \t]*(\d{1,4}(?:[ \t]*[-–][ \t]*\d{1,4})?)[ \t]*\.?[ \t]*$")
"""A short form's pin cite as Chicago writes it: "Fleet Review, 12." or ", 12–14."."""


def _back_reference_pin(note: Note) -> str | None:
    """The page a back-reference cites: its own pin cite ("Ibid., p. 4", "Id. at 4", "supra
    note 3, at 7", a short form's ", 12."). A bare "Ibid." names no page: by Chicago 14.34 it
    repeats the page before it, but briefs write it as loosely as "same source", and a page
    check on a correct quotation there would be a false finding."""
    own = note.citations[0].locator if note.citations else None
    if own is None and note.kind is NoteKind.SHORT and note.citations:
        m = _BARE_PIN.search(note.citations[0].text)
        own = m.group(1) if m and not _YEAR.fullmatch(m.group(1)) else None
    if own is not None and note.kind is NoteKind.SUPRA:
        own = _SUPRA_NOTE.sub("", own) or None  # "supra n. 3, at 7": 3 is a note
    return own


_SUPRA_NOTE = re.compile(r"^n(?:ote|n)?\.?[ \t]*\d+[ \t]*,?[ \t]*")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")


def _locator(citation: Citation) -> str | None:
    if citation.locator:
        return citation.locator
    from citecheck.parse.citations import find_locator

    found = find_locator(citation.text)
    if found is None:
        return None
    after = citation.text[citation.text.rfind(found) + len(found):]
    # "Remarks at 10 Downing Street", "Report on 2030 at 5 Sites": a number a word follows
    # belongs to the title, not a pin cite ("p. 5 n. 3" and "pp. 4 and 6" are pin cites).
    if _IN_TITLE.match(after):
        return None
    following = _FOLLOWING.match(after)
    return found + following.group() if following else found


_IN_TITLE = re.compile(r"[ \t]+(?!(?:nn?|ff?|and)\b)[A-Za-z]")
_FOLLOWING = re.compile(r"[ \t]*ff?\b\.?")


def _judge(
    doc: Document, q: Quotation, targets: list[_Target] | str,
    sources: Mapping[str, _Source], summary: _Tally,
) -> Finding | None:
    if isinstance(targets, str):
        summary.unchecked[targets] += 1
        return None
    misses: list[tuple[_Target, _Source, Missed]] = []
    elsewhere: list[tuple[_Target, _Source, Found]] = []
    unread = ""
    for t in targets:
        source = sources[t.url]
        if source.words is None or source.paged is None:
            unread = unread or source.reason
            continue
        paged = source.paged
        hit = locate(q.text, source.words,
                     lambda f, t=t, paged=paged: on_cited_page(paged, f.start, f.end, t.pages))
        if isinstance(hit, Missed):
            misses.append((t, source, hit))
        elif on_cited_page(source.paged, hit.start, hit.end, t.pages):
            summary.found += 1
            return None
        else:
            elsewhere.append((t, source, hit))
    if elsewhere:
        t, source, hit = elsewhere[0]
        summary.elsewhere += 1
        page = source.paged.page_at(hit.start)  # type: ignore[union-attr]
        where = source.paged.shown(page) if page is not None else "another page"  # type: ignore[union-attr]
        return finding(
            "Q602", f"“{_short(q)}” is on {where} of {source.copy}, not on the page note "
            f"{q.note} names ({t.locator})", doc.path, q.span, note=q.note, url=t.url,
            fix=f"Cite {where.split(' (')[0]} in note {q.note}.")
    if unread or not misses:
        summary.unchecked[unread or "no source read"] += 1
        return None
    summary.missed += 1
    t, source, miss = max(misses, key=lambda m: len(m[2].passage))
    if miss.passage:
        message = (f"“{_short(q)}” is not in {source.copy} cited by note {q.note}: "
                   f"{miss.difference} (closest passage: “{_clip(miss.passage)}”)")
        fix = f"Quote the source as it reads: “{_clip(miss.passage, 200)}”."
    else:
        message = (f"“{_short(q)}” is not in {source.copy} cited by note {q.note}, and no "
                   "passage comes close")
        fix = None
    return finding("Q601", message, doc.path, q.span, note=q.note, url=t.url, fix=fix)


def _short(q: Quotation) -> str:
    return _clip(q.shown)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"



