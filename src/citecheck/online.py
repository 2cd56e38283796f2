"""The online stage: check links (and, later, archives) for every document.

Placeholder until the link checker lands: it reports every link as not checked and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citecheck.config import Config
from citecheck.model import Document, Finding, Link, LinkResult, Verdict


@dataclass(frozen=True)
class OnlineOutcome:
    results: dict[str, LinkResult]
    findings: list[list[Finding]]
    """Per document, in the order given."""
    checked: bool
    network_down: bool = False
    notice: str | None = None


def check_online(
    documents: Sequence[Document], links: Sequence[Sequence[Link]], config: Config
) -> OnlineOutcome:
    results = {
        link.url: LinkResult(link.url, Verdict.SKIPPED, detail="not checked")
        for doc_links in links
        for link in doc_links
    }
    return OnlineOutcome(
        results,
        [[] for _ in documents],
        checked=False,
        notice="links were not checked: the online link checker is not available yet",
    )
