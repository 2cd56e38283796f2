"""`citecheck rules` and `citecheck rules CODE`: the catalogue as text for people."""

from __future__ import annotations

import textwrap

from citecheck.rules.catalogue import GROUPS, RULES, Rule


def listing() -> str:
    lines = []
    for prefix, group in GROUPS.items():
        rules = [r for r in RULES.values() if r.code.startswith(prefix)]
        if not rules:
            continue
        lines.append(f"{group}:")
        for r in rules:
            off = "  (off by default)" if not r.enabled else ""
            lines.append(f"  {r.code}  {r.name:<20} {r.severity.value:<8} {r.summary}{off}")
        lines.append("")
    lines.append("`citecheck rules CODE` explains one rule.")
    return "\n".join(lines) + "\n"


def explain(code: str) -> str | None:
    rule = RULES.get(code)
    return None if rule is None else document(rule)


def document(rule: Rule) -> str:
    """The rule's documentation under fixed headings (ruff's layout)."""
    off = " Off by default: enable it with --select." if not rule.enabled else ""
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
