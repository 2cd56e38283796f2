"""Link rules L401–L409 over link results: pure, no I/O.

One finding per note that cites a URL, at the place the URL stands in that note: each note is
a place the editor has to fix. The verdict picks the rule; for `skipped` and `error` the
result's `reason` does (an invalid URL is L408, a refused private target L409, a link skipped
because it was excluded or the network was down is no finding at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from citecheck.model import Document, Finding, LinkResult, Verdict
from citecheck.net.facts import clean, permanent_target
from citecheck.rules.finding import finding

RULE_BY_VERDICT = {
    Verdict.DEAD: "L401",
    Verdict.SOFT_404: "L402",
    Verdict.PAYWALL: "L403",
    Verdict.BLOCKED: "L404",
    Verdict.TIMEOUT: "L405",
    Verdict.MOVED: "L406",
    Verdict.ERROR: "L407",
}
RULE_BY_SKIP_REASON = {
    "invalid-url": "L408",
    "unsupported-scheme": "L408",
    "private-address": "L409",
}


def rule_for(result: LinkResult) -> str | None:
    """The rule a result triggers, or None (ok, excluded, not checked)."""
    if result.verdict is Verdict.SKIPPED:
        return RULE_BY_SKIP_REASON.get(result.reason)
    if result.verdict is Verdict.ERROR and result.reason == "invalid-url":
        return "L408"
    return RULE_BY_VERDICT.get(result.verdict)


def _history(result: LinkResult) -> str:
    if result.failures > 1 and result.failing_since is not None:
        return (
            f"; failing since {result.failing_since:%Y-%m-%d} "
            f"({result.failures} checks)"
        )
    return ""


def message(result: LinkResult) -> str:
    """What the editor reads: the verdict, the evidence, the final URL where it differs."""
    detail = clean(result.detail) if result.detail else ""
    what = {
        "L401": "link is dead",
        "L402": "link is a soft 404",
        "L403": "link is behind a paywall",
        "L404": "link could not be verified (blocked)",
        "L405": "link timed out",
        "L406": "link moved permanently",
        "L407": "link failed",
        "L408": "link is invalid",
        "L409": "link not checked (private address)",
    }[rule_for(result) or "L407"]
    text = f"{what}: {detail}" if detail else what
    return text + _history(result)


def fix(result: LinkResult, code: str) -> str | None:
    """A concrete fix where the result gives one; None lets the catalogue's stand."""
    if code == "L406":
        target = permanent_target(result.url, result.chain, result.final_url)
        if target == result.final_url:
            return f"cite the final URL {clean(target, 500)}"
        if target:
            return f"cite {clean(target, 500)}, where the page moved permanently"
    if code == "L404":
        host = urlsplit(result.url).hostname or result.url
        return (
            "open the link in a browser; if it works, accept the status for "
            f"{clean(host, 100)} in the configuration ([tool.citecheck.accept])"
        )
    return None


def check(document: Document, results: Mapping[str, LinkResult]) -> list[Finding]:
    """L-findings for `document`: one per (note, URL) whose result triggers a rule."""
    out: list[Finding] = []
    seen: set[tuple[object, str]] = set()
    for note in document.notes:
        for ref in note.urls:
            result = results.get(ref.url)
            if result is None or (note.number, ref.url) in seen:
                continue
            code = rule_for(result)
            if code is None:
                continue
            seen.add((note.number, ref.url))
            out.append(
                finding(
                    code, message(result), document.path, ref.span, note=note.number,
                    url=ref.url, fix=fix(result, code),
                )
            )
    return out
