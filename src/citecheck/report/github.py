"""GitHub Actions: workflow-command annotations, plus the full report in the job summary.

Each finding becomes `::error file=…,line=…,col=…,title=…::message`, which GitHub shows
on the pull request's diff and in the run's summary. Two limits of GitHub's shape this:

- GitHub displays at most 10 annotations of each level (error, warning, notice) per step
  and drops the rest, so we emit at most 10 per level and say in the log how many more
  there are. Within a level the slots go round the rules (findings that fail the gate
  first, archive findings last): one rule with many findings cannot crowd out the others,
  so a paywall or a timeout is annotated even when a run has twenty of something else;
- the full report (the markdown format) goes to `$GITHUB_STEP_SUMMARY` when that is set,
  so nothing is lost to the cap. GitHub limits a step summary to 1 MiB.

Escaping follows the workflow-command rules of GitHub's own toolkit (`@actions/core`,
`command.ts`): in the message `%`, CR and LF are percent-encoded; in a property value
`:` and `,` are too, since they separate properties. Without it a brief containing a
newline followed by `::` could issue workflow commands of its own. Findings recorded in the
baseline are annotated as notices (they do not fail the gate) with a `[baseline]` title.
"""

from __future__ import annotations

import os

from citecheck.model import Finding, Report, Severity
from citecheck.report import RenderOptions
from citecheck.report.coverage import coverage, without_notes
from citecheck.report.escape import sanitize
from citecheck.report.gate import fails
from citecheck.rules.catalogue import RULES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_PER_LEVEL = 10
SUMMARY_LIMIT = 1024 * 1024
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF percent-encoded (`%` first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as data, plus `:` and `,`, which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, options: RenderOptions, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    workspace = env.get("GITHUB_WORKSPACE")
    lines = []
    unchecked = coverage(report).sentence()
    if unchecked:  # a run-level notice: GitHub shows it on the run's summary page
        lines.append(f"::notice title=citecheck::{escape_data(unchecked)}")
    lines += [f"::warning file={escape_property(sanitize(repo_path(path, workspace)))},"
              f"title=citecheck::{escape_data(sanitize(f'could not read it: {why}'))}"
              for path, why in report.skipped]
    used = {"notice": 1 if unchecked else 0, "warning": len(report.skipped)}
    chosen, hidden = choose(report.findings, options.fail_on, used)
    lines += [annotation(f, level, workspace) for f, level in chosen]
    summary_path = env.get("GITHUB_STEP_SUMMARY")
    failed = write_step_summary(report, options, summary_path) if summary_path else None
    wrote_summary = bool(summary_path) and failed is None
    lines.append(_totals(report, unchecked))
    if failed is not None:
        lines.append(f"citecheck: the job summary was not written ($GITHUB_STEP_SUMMARY: "
                     f"{sanitize(failed)})")
    for level, count in hidden.items():
        where = ("the job summary lists every finding" if wrote_summary
                 else "run with --format text to see every finding")
        lines.append(
            f"citecheck: {count} more {level} annotation{'s' if count != 1 else ''} not shown "
            f"(GitHub displays {MAX_PER_LEVEL} per level); {where}"
        )
    if report.notice and not report.network_down:
        lines.append(f"citecheck: {sanitize(' '.join(report.notice.split()))}")
    return "\n".join(lines) + "\n"


def choose(
    findings: tuple[Finding, ...], fail_on: str, used: Mapping[str, int] | None = None
) -> tuple[list[tuple[Finding, str]], dict[str, int]]:
    """The findings to annotate, with their level, and how many of each level are left
    out (`used`: slots per level already taken by run-level annotations). Per level, rules
    take turns: each rule's first finding, then each one's second…"""
    by_level: dict[str, dict[str, list[Finding]]] = {}
    for f in findings:
        level = "notice" if f.baseline else LEVEL[f.severity]
        by_level.setdefault(level, {}).setdefault(f.code, []).append(f)
    chosen: list[tuple[Finding, str]] = []
    hidden: dict[str, int] = {}
    for level in ("error", "warning", "notice"):
        rules = by_level.get(level, {})
        room = MAX_PER_LEVEL - (used or {}).get(level, 0)
        order = sorted(rules, key=lambda code: (
            not any(fails(f, fail_on) for f in rules[code]), code[0] == "A", code))
        queues = [list(rules[code]) for code in order]
        taken = 0
        while taken < room and any(queues):
            for queue in queues:
                if queue and taken < room:
                    chosen.append((queue.pop(0), level))
                    taken += 1
        left = sum(len(q) for q in queues)
        if left:
            hidden[level] = left
    return chosen, hidden


def annotation(f: Finding, level: str, workspace: str | None = None) -> str:
    rule = RULES.get(f.code)
    title = f"{f.code} {rule.name}" if rule else f.code
    if f.baseline:
        title = f"[baseline] {title}"
    properties = [
        ("file", repo_path(f.path, workspace)),
        ("line", str(max(f.line, 1))),
        ("col", str(max(f.column, 1))),
        ("title", title),
    ]
    message = f.message if not f.fix else f"{f.message}\nFix: {f.fix}"
    props = ",".join(f"{k}={escape_property(sanitize(v))}" for k, v in properties)
    return f"::{level} {props}::{escape_data(sanitize(message))}"


def write_step_summary(report: Report, options: RenderOptions, path: str) -> str | None:
    """Append the markdown report to the job summary; why not, when it cannot be written
    (the annotations still stand, so this is said, not worth failing the run for)."""
    from citecheck.report import markdown

    text = markdown.render(report, options)
    data = text.encode("utf-8")
    if len(data) > SUMMARY_LIMIT:
        cut = data[: SUMMARY_LIMIT - 200].decode("utf-8", "ignore")
        text = cut[: cut.rfind("\n") + 1] + (
            "\n\n*The report was cut at GitHub's 1 MiB summary limit; "
            "run citecheck with `--format text` for all of it.*\n"
        )
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def repo_path(path: str, workspace: str | None) -> str:
    """The path from the repository root (`workspace`), as annotations and GitLab's Code
    Quality report need it."""
    if workspace and os.path.isabs(path):
        try:
            rel = os.path.relpath(path, workspace)
        except ValueError:
            return path
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path.replace(os.sep, "/").removeprefix("./")


def _totals(report: Report, unchecked: str | None) -> str:
    s = report.summary()
    baseline = sum(1 for f in report.findings if f.baseline)
    extra = f" ({baseline} in the baseline)" if baseline else ""
    links = f"; {unchecked}" if unchecked else "; links checked" if any(
        d.links for d in report.documents) else ""
    quiet = without_notes(report)
    return (f"citecheck: {s['error']} error{'s' if s['error'] != 1 else ''}, "
            f"{s['warning']} warning{'s' if s['warning'] != 1 else ''}, "
            f"{s['info']} info{extra}{links}" + (f"; {quiet}" if quiet else ""))
