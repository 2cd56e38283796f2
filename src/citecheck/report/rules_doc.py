"""`citecheck rules [CODE | NAME | PREFIX]`: the catalogue for people (text) and programs
(`--format json`)."""

from __future__ import annotations

import textwrap

from citecheck.rules.catalogue import GROUPS, RULES, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def listing(rules: list[Rule] | None = None) -> str:
    chosen = list(RULES.values()) if rules is None else rules
    lines = []
    for prefix, group in GROUPS.items():
        members = [r for r in chosen if r.code.startswith(prefix)]
        if not members:
            continue
        lines.append(f"{group}:")
        for r in members:
            lines.append(f"  {r.code}  {r.name:<28} {r.severity.value:<8} {r.summary}{_tag(r)}")
        lines.append("")
    lines.append("`citecheck rules CODE` explains one rule (a name or a prefix works too).")
    return "\n".join(lines) + "\n"


def as_json(rules: list[Rule]) -> str:
    import json

    return json.dumps([
        {"code": r.code, "name": r.name, "severity": r.severity.value, "status": r.status,
         "enabled": r.enabled, "group": r.group, "summary": r.summary, "why": r.why,
         "example_fails": r.bad, "example_passes": r.good, "fix": r.fix}
        for r in rules
    ], indent=2, ensure_ascii=False) + "\n"


def _tag(rule: Rule) -> str:
    tags = [] if rule.enabled else ["off by default"]
    if rule.status != "stable":
        tags.append(rule.status)
    return f"  ({', '.join(tags)})" if tags else ""


def document(rule: Rule) -> str:
    """The rule's documentation under fixed headings (ruff's layout)."""
    off = " Off by default: enable it with --select." if not rule.enabled else ""
    if rule.status == "planned":
        off += " Planned: documented, not reported yet."
    elif rule.status == "preview":
        off += " Preview: reported; its details may still change."
    return "\n".join([
        f"{rule.code} {rule.name} ({rule.severity.value}){off}",
        "",
        "What it does",
        _wrap(f"Reports when {rule.summary}."),
        "",
        "Why it matters",
        _wrap(rule.why),
        "",
        "Example (fails)",
        textwrap.indent(rule.bad, "    "),
        "",
        "Example (passes)",
        textwrap.indent(rule.good, "    "),
        "",
        "Fix",
        _wrap(rule.fix),
        "",
    ])


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=88, initial_indent="    ", subsequent_indent="    ")


def command() -> Any:
    """`citecheck rules [QUERY] [--format text|json]` (built only when it is run)."""
    import click

    from citecheck.errors import InputError
    from citecheck.report.outputs import write_stdout
    from citecheck.rules.catalogue import find

    def rules(query: str | None, fmt: str) -> int:
        chosen = find(query) if query else list(RULES.values())
        if not chosen:
            raise InputError(f"no rule {query!r} (see `citecheck rules`)")
        if fmt == "json":
            write_stdout(as_json(chosen))
        elif query and len(chosen) == 1:
            write_stdout(document(chosen[0]))
        else:
            write_stdout(listing(chosen))
        return 0

    return click.Command(
        "rules", callback=rules,
        help="List the rules, or explain one: QUERY is a code (R202), a name "
             "(ibid-ambiguous) or a prefix of either (R2, link-).",
        params=[click.Argument(["query"], required=False),
                click.Option(["--format", "fmt"], type=click.Choice(["text", "json"]),
                             default="text", help="text (default) or json")],
        context_settings={"help_option_names": ["-h", "--help"]})
