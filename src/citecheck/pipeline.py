"""The whole check, top to bottom: read -> parse -> offline rules -> links -> report.

This is the importable API (`citecheck.check`); the CLI is a thin shell around it. Only the
online stage is async and imports httpx, and it is imported only when links are checked, so
the offline path stays fast enough for a pre-commit hook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from citecheck import suppress
from citecheck.config import Config
from citecheck.model import Document, DocumentReport, Finding, Link, Report
from citecheck.readers import read_document
from citecheck.rules import offline
from citecheck.rules.selection import Selection


def check(paths: Sequence[str], config: Config | None = None) -> Report:
    """Check every document in `paths` and return the report. Raises InputError for input
    that is not a brief, CannotRunError when the check itself cannot run."""
    config = config or Config()
    as_of = config.as_of or dt.date.today()
    documents = [
        read_document(
            p,
            input_format=config.input_format,
            display_name=config.stdin_filename if p == "-" else None,
        )
        for p in paths
    ]
    links = [collect_links(d) for d in documents]
    findings = [list(d.problems) + offline.check(d, as_of=as_of) for d in documents]
    if config.offline:
        reports = [
            DocumentReport(d, tuple(ls), {}, tuple(fs)) for d, ls, fs in zip(
                documents, links, findings, strict=True)
        ]
        return _finish(reports, config, notice=None)
    from citecheck.online import check_online  # heavy imports only when going online

    online = check_online(documents, links, config)
    reports = [
        DocumentReport(
            d,
            tuple(ls),
            {link.url: online.results[link.url] for link in ls if link.url in online.results},
            tuple(fs + online.findings[i]),
            links_checked=online.checked,
        )
        for i, (d, ls, fs) in enumerate(zip(documents, links, findings, strict=True))
    ]
    return _finish(reports, config, notice=online.notice, network_down=online.network_down)


def _finish(
    reports: list[DocumentReport], config: Config, *, notice: str | None,
    network_down: bool = False,
) -> Report:
    selection = Selection.of(config.select, config.ignore, config.severity)
    done = []
    for r in reports:
        kept = suppress.apply(r.document, selection.apply(r.findings), config)
        kept = _placed(r.document, kept)
        kept.sort(key=_order)
        done.append(DocumentReport(r.document, r.links, r.results, tuple(kept), r.links_checked))
    report = Report(tuple(done), network_down=network_down, notice=notice)
    if config.baseline:  # mark, never drop: old problems stay visible, out of the exit code
        from citecheck import baseline

        report = baseline.apply(report, config.baseline)
    return report


def _placed(document: Document, findings: list[Finding]) -> list[Finding]:
    """Findings on a paged source (a PDF) name their page."""
    if not document.pages:
        return findings
    from dataclasses import replace

    out = []
    for f in findings:
        place = document.page_of(f.line)
        out.append(replace(f, page=place[0]) if place and f.page is None else f)
    return out


def _order(f: Finding) -> tuple[int, int, str]:
    return (f.line, f.column, f.code)


def collect_links(document: Document) -> list[Link]:
    """One Link per unique URL, with every note and access date that cites it."""
    by_url: dict[str, dict] = {}
    for note in document.notes:
        for citation in note.citations:
            dates = [a.date for a in citation.accessed if a.date is not None]
            for ref in citation.urls:
                entry = by_url.setdefault(ref.url, {"notes": [], "spans": [], "dates": []})
                if note.number not in entry["notes"]:
                    entry["notes"].append(note.number)
                entry["spans"].append(ref.span)
                entry["dates"].extend(d for d in dates if d not in entry["dates"])
    return [
        Link(url, tuple(e["notes"]), tuple(e["spans"]), tuple(e["dates"]))
        for url, e in by_url.items()
    ]
