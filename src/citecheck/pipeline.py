"""The whole check, top to bottom: inputs -> read -> parse -> offline rules -> links -> report.

This is the importable API (`citecheck.check`); the CLI is a thin shell around it. Only the
online stage is async and imports httpx, and it is imported only when links are checked, so
the offline path stays fast enough for a pre-commit hook.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from citecheck import suppress
from citecheck.config import Config
from citecheck.errors import InputError
from citecheck.inputs import expand
from citecheck.model import (
    Document,
    DocumentReport,
    Finding,
    Link,
    NoteNumber,
    QuoteSummary,
    Report,
    Span,
)
from citecheck.readers import read_document
from citecheck.rules import offline
from citecheck.rules.catalogue import RULES
from citecheck.rules.selection import Selection


def check(paths: Sequence[str], config: Config | None = None) -> Report:
    """Check every document `paths` name (files, folders, globs; '-' for stdin) and return
    the report. Raises InputError for a named input that is not a brief, CannotRunError
    when the check itself cannot run."""
    start = time.perf_counter()
    config = config or Config()
    as_of = config.as_of or dt.date.today()
    selection = Selection.of(config.select, config.ignore, config.severity)
    documents: list[Document] = []
    found: set[str] = set()
    skipped: list[tuple[str, str]] = []
    for item in expand(paths, config.exclude_path):
        try:
            documents.append(read_document(
                item.path, input_format=config.input_format, encoding=config.encoding,
                display_name=config.stdin_filename if item.path == "-" else None,
            ))
        except InputError as exc:
            if not item.found:
                raise
            skipped.append((item.path, str(exc).removeprefix(f"{item.path}: ")))
            continue
        if item.found:
            found.add(documents[-1].path)
    if not documents:
        raise InputError("no input could be read: " + "; ".join(f"{p}: {w}" for p, w in skipped))
    body = any(selection.enabled(c) for c in _BODY_CODES)
    links = [collect_links(d, body=body) for d in documents]
    findings = [list(d.problems) + offline.check(d, as_of=as_of) for d in documents]
    if config.offline:
        reports = [
            DocumentReport(d, tuple(ls), {}, tuple(fs)) for d, ls, fs in zip(
                documents, links, findings, strict=True)
        ]
        return _finish(reports, config, selection, found, skipped, start, unchecked="offline")
    from citecheck.online import check_online  # heavy imports only when going online
    from citecheck.rules import body_links

    quotes = config.quotes and (selection.enabled("Q601") or selection.enabled("Q602"))
    online = check_online(documents, links, config, quotes=quotes)
    reports = [
        DocumentReport(
            d,
            tuple(ls),
            {link.url: online.results[link.url] for link in ls if link.url in online.results},
            tuple(fs + online.findings[i] + body_links.check(d, online.results)),
            links_checked=online.checked,
        )
        for i, (d, ls, fs) in enumerate(zip(documents, links, findings, strict=True))
    ]
    return _finish(reports, config, selection, found, skipped, start, notice=online.notice,
                   network_down=online.network_down,
                   unchecked="network-down" if online.network_down else None,
                   archive_problem=online.archive_problem, quotes=online.quotes)


_BODY_CODES = tuple(code for code in RULES if code.startswith("B"))


def _finish(
    reports: list[DocumentReport], config: Config, selection: Selection, found: set[str],
    skipped: list[tuple[str, str]], start: float, *, unchecked: str | None,
    notice: str | None = None, network_down: bool = False, archive_problem: str | None = None,
    quotes: QuoteSummary | None = None,
) -> Report:
    done = []
    without_notes = []
    for r in reports:
        kept = suppress.apply(r.document, selection.apply(r.findings), config)
        if r.document.path in found and not r.document.notes:
            # A folder of mixed files: say once which hold no notes, not one N106 each.
            without_notes.append(r.document.path)
            kept = [f for f in kept if f.code != "N106"]
        kept = _placed(r.document, kept)
        kept.sort(key=_order)
        done.append(DocumentReport(r.document, r.links, r.results, tuple(kept), r.links_checked))
    report = Report(
        tuple(done), network_down=network_down, notice=notice,
        unchecked=unchecked if any(r.links for r in reports) else None,
        without_notes=tuple(without_notes), skipped=tuple(skipped),
        archive_problem=archive_problem, quotes=quotes,
    )
    if config.baseline:  # mark, never drop: old problems stay visible, out of the exit code
        from citecheck import baseline

        report = baseline.apply(report, config.baseline)
    from dataclasses import replace

    return replace(report, elapsed=time.perf_counter() - start)


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


def collect_links(document: Document, *, body: bool = True) -> list[Link]:
    """One Link per unique URL, with every note and access date that cites it; URLs of the
    body text (outside the notes) too when `body`, as Links with no note of their own.
    Linear in the size of the notes: a citation's dates are deduplicated once and shared by
    each of its URLs; they are merged only for a URL cited by several citations."""
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
    for ref in document.body_urls if body else ():
        by_url.setdefault(ref.url, ({}, [], []))[1].append(ref.span)
    return [
        Link(url, tuple(notes), tuple(spans),
             dates[0] if len(dates) == 1 else tuple(dict.fromkeys(d for ds in dates for d in ds)))
        for url, (notes, spans, dates) in by_url.items()
    ]
