"""The JSON report: version 1 of the contract in DESIGN.md §7.

Other tools read this: fields may be added, never renamed or removed.
"""

from __future__ import annotations

import json
from typing import Any

from citecheck.model import DocumentReport, Finding, LinkResult, Note, Report, Snapshot
from citecheck.report import RenderOptions
from citecheck.report.coverage import coverage
from citecheck.report.escape import json_escaped
from citecheck.rules.catalogue import RULES

VERSION = 1


def render(report: Report, options: RenderOptions) -> str:
    return json_escaped(dumps(to_dict(report))) + "\n"


def dumps(value: Any, depth: int = 0, flat_from: int = 4) -> str:
    """JSON indented down to the records (a note, a link, a finding), each of which stands on
    one line: as readable, and json's C encoder writes each record, where `indent=` falls
    back to the pure-Python encoder (a fifth of a 2,000-link run's time, bench_links.py)."""
    if depth >= flat_from or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    inner = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {dumps(v, depth + 1, flat_from)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    items = [inner + dumps(v, depth + 1, flat_from) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"


def to_dict(report: Report) -> dict[str, Any]:
    cover = coverage(report)
    return {
        "version": VERSION,
        "documents": [_document(d) for d in report.documents],
        "summary": report.summary(),
        "network_down": report.network_down,
        "notice": report.notice,
        "links_checked": cover.complete,
        "links_not_checked": None if cover.complete else {
            "count": cover.total - cover.checked,
            "reason": cover.why,
        },
        "elapsed": round(report.elapsed, 3),
        "quotations": None if report.quotes is None else {
            "checked": report.quotes.checked,
            "found": report.quotes.found,
            "not_found": report.quotes.missed,
            "on_another_page": report.quotes.elsewhere,
            "not_checked": [{"reason": why, "count": n} for why, n in report.quotes.unchecked],
        },
        "without_notes": list(report.without_notes),
        "skipped": [{"path": p, "reason": why} for p, why in report.skipped],
    }


def _document(d: DocumentReport) -> dict[str, Any]:
    doc = d.document
    return {
        "path": doc.path,
        "format": doc.format,
        "encoding": doc.encoding,
        "unit": doc.unit,
        "seen": list(doc.seen),
        "date": doc.date.isoformat() if doc.date else None,
        "notes": [_note(n) for n in doc.notes],
        "markers": [
            {"number": m.number, "line": m.span.line, "column": m.span.column, "style": m.style}
            for m in doc.markers
        ],
        "links": [
            _link(link.url, list(link.notes), [s.line for s in link.spans],
                  [a.isoformat() for a in link.accessed], d.results.get(link.url))
            for link in d.links
        ],
        "links_checked": d.links_checked,
        "findings": [finding_dict(f) for f in d.findings],
    }


def _note(n: Note) -> dict[str, Any]:
    return {
        "number": n.number,
        "line": n.span.line,
        "kind": n.kind.value,
        "resolves_to": n.resolves_to,
        "refers_to": n.refers_to,
        "urls": [u.url for u in n.urls],
        "accessed": [a.date.isoformat() for a in n.accessed if a.date is not None],
        "end_line": n.end_line,
        "text": n.text,
    }


def _link(
    url: str, notes: list[Any], lines: list[int], accessed: list[str], r: LinkResult | None
) -> dict[str, Any]:
    return {
        "url": url,
        "notes": notes,
        "lines": lines,
        "accessed": accessed,
        "verdict": r.verdict.value if r else "skipped",
        "status": r.status if r else None,
        "final_url": r.final_url if r else None,
        "chain": [{"url": h.url, "status": h.status} for h in r.chain] if r else [],
        "detail": r.detail if r else "",
        "elapsed": round(r.elapsed, 4) if r else 0.0,
        "reason": r.reason if r else "",
        "failures": r.failures if r else 0,
        "failing_since": r.failing_since.isoformat() if r and r.failing_since else None,
        "from_cache": r.from_cache if r else False,
        "archive": _snapshot(r.archive) if r and r.archive else None,
    }


def _snapshot(s: Snapshot) -> dict[str, Any]:
    return {
        "url": s.url,
        "timestamp": s.timestamp.isoformat(),
        "archive": s.archive,
        "status": s.status,
        "original": s.original,
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    rule = RULES.get(f.code)
    return {
        "code": f.code,
        "name": rule.name if rule else None,
        "severity": f.severity.value,
        "message": f.message,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "note": f.note,
        "url": f.url,
        "fix": f.fix,
        "page": f.page,  # null on an unpaged source
        "baseline": f.baseline,
    }
