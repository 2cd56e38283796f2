"""Briefs, configs and a runner for the archive tests. Nothing here leaves 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace

from fakearchive import FakeArchive

from citecheck.archive.stage import ArchiveOutcome, check_archives
from citecheck.config import ArchiveConfig, Config
from citecheck.model import Document, LinkResult, Verdict
from citecheck.parse import parse
from citecheck.readers.text import Source


def brief(*notes: str, date_line: str = "") -> Document:
    """A small brief whose endnotes are `notes` (one citation each), every note cited."""
    markers = " ".join(f"Claim {i}.[{i}]" for i in range(1, len(notes) + 1))
    lines = ["A Brief on Ports", date_line, "", markers, "", "Endnotes", ""]
    lines += [f"{i}. {n}" for i, n in enumerate(notes, 1)]
    return parse(Source("brief.txt", "text", "\n".join(lines) + "\n"), path="brief.txt")


def cite(url: str, accessed: str | None = "April 5, 2024") -> str:
    tail = f" (accessed {accessed})" if accessed else ""
    return f'Jane Doe, "Port Traffic," Example Institute, 2023, <{url}>{tail}.'


def config(server: FakeArchive, **archive: object) -> Config:
    """Endpoints on the fake archive; short timeouts and no waiting between requests."""
    base = server.base
    a = ArchiveConfig(
        wayback_available=f"{base}/wayback/available",
        wayback_cdx=f"{base}/cdx/search/cdx",
        timegates=(f"{base}/tg/",),
        interval=0.0, timeout=0.5, retries=2, max_retry_after=3.0,
    )
    return Config(
        allow_private=True, cache=False, retry_backoff=0.01, timeout=2.0, connect_timeout=1.0,
        archive=replace(a, **archive),
    )


def results(**verdicts: Verdict) -> dict[str, LinkResult]:
    return {url: LinkResult(url, v) for url, v in verdicts.items()}


def run(documents: list[Document], res: dict[str, LinkResult], cfg: Config) -> ArchiveOutcome:
    return asyncio.run(check_archives(documents, res, cfg))


def codes(outcome: ArchiveOutcome) -> list[str]:
    return sorted(f.code for fs in outcome.findings for f in fs)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
