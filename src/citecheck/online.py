"""The online stage: check every link of every document once, then turn results into findings.

Thin on purpose: URLs are deduplicated across documents (a URL cited by three briefs is
fetched once), the network package does the work behind one `asyncio.run` (uvloop's where
installed), and the pure rules in rules/links.py make the findings. Imported only when links
are checked, so httpx and aiohttp never load on the offline path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citecheck.config import Config
from citecheck.model import Document, Finding, Link, LinkResult
from citecheck.net.checker import check_urls
from citecheck.net.progress import progress
from citecheck.net.transport import loop_runner
from citecheck.rules import links as link_rules


@dataclass(frozen=True)
class OnlineOutcome:
    results: dict[str, LinkResult]
    findings: list[list[Finding]]
    """Per document, in the order given."""
    checked: bool
    network_down: bool = False
    notice: str | None = None


def unique_urls(links: Sequence[Sequence[Link]]) -> list[str]:
    """Every URL once, in first-cited order across documents."""
    return list(dict.fromkeys(link.url for doc_links in links for link in doc_links))


def check_online(
    documents: Sequence[Document], links: Sequence[Sequence[Link]], config: Config
) -> OnlineOutcome:
    urls = unique_urls(links)
    with progress(len(urls), enabled=None if not config.quiet else False) as tick:
        outcome = loop_runner()(check_urls(urls, config, on_result=tick))
    results = outcome.results

    findings = [link_rules.check(doc, results) for doc in documents]
    if config.archive.enabled and not outcome.network_down:
        # Snapshots for dead/soft-404/paywall/blocked links, drift for live ones (A501-A504);
        # results come back with LinkResult.archive filled.
        from citecheck.archive.stage import run_archives

        archived = run_archives(documents, results, config)
        results = archived.results
        findings = [f + a for f, a in zip(findings, archived.findings, strict=True)]
    return OnlineOutcome(
        results,
        findings,
        checked=not outcome.network_down,
        network_down=outcome.network_down,
        notice=outcome.notice,
    )
