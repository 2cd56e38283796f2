"""What the link stage covered: every format says when links were not checked, and why, so
that a clean report never reads as "the links are fine" when nobody looked at them."""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.model import LinkResult, Report, Verdict
from citecheck.report.escape import sanitize

SKIPPED_AS = {"invalid-url": "invalid", "unsupported-scheme": "invalid",
              "private-address": "private (not fetched)", "excluded": "excluded",
              "max-time": "not checked (--max-time)"}
"""How a link that was not fetched is counted in the summary by verdict: by its reason."""

WHY = {
    "offline": "--offline",
    "network-down": "the network is unreachable",
}


@dataclass(frozen=True)
class Coverage:
    total: int
    """Unique URLs across the documents (cited and, unless ignored, in the body)."""
    checked: int
    excluded: int
    reason: str | None
    """Why none was checked: "offline" or "network-down"; None when the stage ran."""
    late: int = 0
    """Links the run's time budget (--max-time) ran out before: reported, not checked."""

    @property
    def why(self) -> str | None:
        """The reason code of the JSON and SARIF reports: offline, network-down, excluded,
        max-time."""
        if self.complete:
            return None
        return self.reason or ("excluded" if self.excluded else "max-time" if self.late
                               else "not checked")

    @property
    def complete(self) -> bool:
        return self.checked == self.total

    def sentence(self) -> str | None:
        """One clause for a summary line, or None when every link was checked."""
        if self.total == 0 or self.complete:
            return None
        links = f"{self.total} link{'' if self.total == 1 else 's'}"
        if self.checked:
            links = f"{self.total - self.checked} of {links}"
        if self.reason is not None:
            return f"{links} {not_checked(self.reason)}"
        why = [w for n, w in ((self.excluded, "excluded by configuration"),
                              (self.late, "the run's time budget (--max-time) ran out first"))
               if n]
        return f"{links} not checked" + (f": {'; '.join(why)}" if why else "")


def coverage(report: Report) -> Coverage:
    urls: set[str] = set()
    checked: set[str] = set()
    excluded: set[str] = set()
    late: set[str] = set()
    for d in report.documents:
        for link in d.links:
            urls.add(link.url)
            result = d.results.get(link.url)
            if was_checked(result, d.links_checked):
                checked.add(link.url)
            elif result is not None and result.reason == "excluded":
                excluded.add(link.url)
            elif result is not None and result.reason == "max-time":
                late.add(link.url)
    return Coverage(len(urls), len(checked), len(excluded), why_none(report), len(late))


def was_checked(result: LinkResult | None, links_checked: bool) -> bool:
    """Whether a link was looked at: not excluded, not cut off by --max-time (a "timeout" no
    request answered or refused), not left out because the network was down. A result the
    cache held is a check, even in a run whose network turned out down."""
    if result is None or (not links_checked and result.verdict is Verdict.SKIPPED):
        return False
    if result.verdict is Verdict.SKIPPED and result.reason in ("excluded", "network-down"):
        return False
    return result.reason != "max-time"


def why_none(report: Report) -> str | None:
    """Why no link was checked: "offline" or "network-down"; None when the stage ran."""
    return report.unchecked or ("network-down" if report.network_down else None)


def not_checked(reason: str | None) -> str:
    """"not checked (--offline)", "not checked: the network is unreachable", or plain
    "not checked" when the stage ran (a link it left out says its own reason)."""
    if reason == "offline":
        return "not checked (--offline)"
    return f"not checked: {WHY.get(reason, reason)}" if reason is not None else "not checked"


def by_verdict(report: Report) -> dict[str, int]:
    """Unique checked URLs per verdict, in the verdicts' order (lychee's closing summary)."""
    seen: dict[str, str] = {}
    for d in report.documents:
        if not d.links_checked:
            continue
        for link in d.links:
            result = d.results.get(link.url)
            if result is not None:
                verdict = result.verdict.value
                if result.verdict is Verdict.SKIPPED or result.reason in ("invalid-url",
                                                                           "max-time"):
                    verdict = SKIPPED_AS.get(result.reason, verdict)
                seen.setdefault(link.url, verdict)
    order = [v.value for v in Verdict] + list(dict.fromkeys(SKIPPED_AS.values()))
    counts = {v: 0 for v in order}
    for verdict in seen.values():
        counts[verdict] += 1
    return {v: n for v, n in counts.items() if n}


def closing(report: Report) -> str:
    """"Found N findings." and whether the links were checked: the last line of the concise
    and statistics reports (ruff's closing line, plus what a link checker must say)."""
    n = len(report.findings)
    found = f"Found {n} finding{'' if n == 1 else 's'}." if n else "No problems found."
    cover = coverage(report)
    sentence = cover.sentence() or (
        f"{cover.total} link{'' if cover.total == 1 else 's'} checked" if cover.total else None)
    closing = f"{found} {sentence[:1].upper()}{sentence[1:]}." if sentence else found
    quiet = without_notes(report)
    return f"{closing} {quiet[:1].upper()}{quiet[1:]}." if quiet else closing


def without_notes(report: Report) -> str | None:
    """The files a folder run found without notes, in one clause (never a silent pass)."""
    names = list(report.without_notes)
    if not names:
        return None
    shown = ", ".join(sanitize(n) for n in names[:10])
    shown += f" and {len(names) - 10} more" if len(names) > 10 else ""
    return f"{len(names)} file{'' if len(names) == 1 else 's'} without notes: {shown}"
