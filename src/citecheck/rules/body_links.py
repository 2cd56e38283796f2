"""Body-link rules B701–B709: the link rules (rules/links.py) for URLs outside the notes.

A URL in the running text ("the data are at https://…") is read like a citation, so it is
checked like one; its findings carry their own codes so that an editor can keep them apart
from cited links (`--ignore B7` reports, and fetches, none of them). The verdict-to-rule
mapping, messages and fixes are the link rules' own: B7nn is L4nn at a body line.
"""

from __future__ import annotations

from collections.abc import Mapping

from citecheck.model import Document, Finding, LinkResult
from citecheck.rules import links
from citecheck.rules.catalogue import body_code
from citecheck.rules.finding import finding


def check(document: Document, results: Mapping[str, LinkResult]) -> list[Finding]:
    """One finding per body URL (per line it stands on) whose result triggers a link rule."""
    out: list[Finding] = []
    seen: set[tuple[int, str]] = set()
    for ref in document.body_urls:
        result = results.get(ref.url)
        code = links.rule_for(result) if result is not None else None
        if result is None or code is None or (ref.span.line, ref.url) in seen:
            continue
        seen.add((ref.span.line, ref.url))
        out.append(finding(body_code(code), links.message(result), document.path, ref.span,
                           url=ref.url, fix=links.fix(result, code)))
    return out
