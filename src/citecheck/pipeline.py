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
from citecheck.model import Document, DocumentReport, Finding, Link, NoteNumber, Report, Span
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
        return _finish(reports, config)
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
    return _finish(reports, config, notice=online.notice, network_down=online.network_down,
                   archive_problem=online.archive_problem)


def _finish(
    reports: list[DocumentReport], config: Config, *, notice: str | None = None,
    network_down: bool = False, archive_problem: str | None = None,
) -> Report:
    selection = Selection.of(config.select, config.ignore, config.severity)
    done = []
    for r in reports:
        kept = suppress.apply(r.document, selection.apply(r.findings), config)
        kept = _placed(r.document, kept)
        kept.sort(key=_order)
        done.append(DocumentReport(r.document, r.links, r.results, tuple(kept), r.links_checked))
    report = Report(tuple(done), network_down=network_down, notice=notice,
                    archive_problem=archive_problem)
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
    """One Link per unique URL, with every note and access date that cites it. Linear in the
    size of the notes: a citation's dates are deduplicated once and shared by each of its
    URLs; they are merged only for a URL cited by several citations."""
    by_url: dict[str, tuple[dict[NoteNumber, None], list[Span], list[tuple[dt.date, ...]]]] = {}
    for note in document.notes:
        for citation in note.citations:
            dates = tuple(dict.fromkeys(a.date for a in citation.accessed if a.date is not None))
            for ref in citation.urls:
                entry = by_url.get(ref.url)
                if entry is None:
                    entry = by_url[ref.url] = ({}, [], [])
                entry[0][note.number] = None
                entry[1].append(ref.span)
                if dates and (not entry[2] or entry[2][-1] is not dates):
                    entry[2].append(dates)
    return [
        Link(url, tuple(notes), tuple(spans),
             dates[0] if len(dates) == 1 else tuple(dict.fromkeys(d for ds in dates for d in ds)))
        for url, (notes, spans, dates) in by_url.items()
    ]
