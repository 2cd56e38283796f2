"""The online stage: every link of every document checked once, archives consulted for the
broken ones and live pages compared with their snapshots — in one event loop, through one
client, under one set of limits and one time budget — then results turned into findings.

    unique URLs -> links (net/checker.py) -> L-findings (rules/links.py)
                -> snapshots and drift (archive/stage.py) -> A-findings (rules/archives.py)

URLs are deduplicated across documents (a URL cited by three briefs is fetched once). The run
is bounded by Config.max_time: what is not done by then is reported as not checked, and the
report is still written. Imported only when links are checked, so httpx and aiohttp never
load on the offline path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from aiohttp.abc import AbstractResolver

from citecheck.archive.cited import wanted
from citecheck.config import Config
from citecheck.model import Document, Finding, Link, LinkResult, QuoteSummary
from citecheck.net.checker import OnResult, check_urls
from citecheck.net.http import opened
from citecheck.net.progress import progress
from citecheck.rules import links as link_rules


@dataclass(frozen=True, repr=False)  # Python 3.11's asyncio.run formats repr(result) on exit
class OnlineOutcome:
    results: dict[str, LinkResult]
    findings: list[list[Finding]]
    """Per document, in the order given."""
    checked: bool
    network_down: bool = False
    notice: str | None = None
    archive_problem: str | None = None
    """Why no archive could be consulted, when none could (for --suggest)."""
    quotes: QuoteSummary | None = None
    """What became of the body's quotations, when they were looked for."""


def unique_urls(links: Sequence[Sequence[Link]]) -> list[str]:
    """Every URL once, in first-cited order across documents."""
    return list(dict.fromkeys(link.url for doc_links in links for link in doc_links))


def check_online(
    documents: Sequence[Document], links: Sequence[Sequence[Link]], config: Config,
    *, quotes: bool = False,
) -> OnlineOutcome:
    """`quotes`: look for the body's quotations in their sources too (Q601, Q602)."""
    urls = unique_urls(links)
    with progress(urls, enabled=None if not config.quiet else False) as tick:
        return _run(run_online(documents, urls, config, on_result=tick, quotes=quotes))


def _run(coro: object) -> OnlineOutcome:
    """The one event loop of a run: uvloop's where installed (a cheaper loop per request),
    else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    return uvloop.run(coro)  # type: ignore[arg-type,no-any-return]


async def run_online(
    documents: Sequence[Document],
    urls: Sequence[str],
    config: Config,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: AbstractResolver | None = None,
    on_result: OnResult | None = None,
    quotes: bool = False,
) -> OnlineOutcome:
    """The whole stage inside a running loop. `transport` replaces the network (respx in
    tests), `resolver` only DNS; `quotes` looks for quotations in their sources last."""
    until = asyncio.get_running_loop().time() + config.max_time
    async with opened(config, transport=transport, resolver=resolver) as http:
        checked = await check_urls(urls, config, http=http, transport=transport,
                                   resolver=resolver, on_result=on_result, until=until)
        results = checked.results
        findings = [link_rules.check(doc, results) for doc in documents]
        problem = None
        keys = (wanted(documents, results, config.archive.drift)
                if config.archive.enabled and not checked.network_down else ([], []))
        if any(keys):
            # Snapshots for dead/soft-404/paywall/blocked links, drift for live ones (A501-A504).
            from citecheck.archive.stage import check_archives

            archived = await check_archives(documents, results, config, http=http, until=until,
                                            keys=keys)
            results = archived.results
            findings = [f + a for f, a in zip(findings, archived.findings, strict=True)]
            problem = archived.problem
        quoted = None
        if quotes and not checked.network_down:
            from citecheck.quotes.stage import check_quotes

            q = await check_quotes(documents, results, config, http, until)
            findings = [f + g for f, g in zip(findings, q.findings, strict=True)]
            quoted = q.summary
    return OnlineOutcome(results, findings, checked=not checked.network_down,
                         network_down=checked.network_down, notice=checked.notice,
                         archive_problem=problem, quotes=quoted)
