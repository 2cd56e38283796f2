"""`--statistics`: how many findings of each rule, most frequent first (ruff's --statistics).

Text is a table (count, code, name); with `--format json` a list of objects, for scripts
that track a publication's backlog rule by rule.
"""

from __future__ import annotations

import json
from collections import Counter

from citecheck.model import Report
from citecheck.report import RenderOptions
from citecheck.report.coverage import closing
from citecheck.rules.catalogue import RULES


def counts(report: Report) -> list[tuple[str, int]]:
    tally = Counter(f.code for f in report.findings)
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))


def render(report: Report, options: RenderOptions, *, as_json: bool = False) -> str:
    rows = counts(report)
    if as_json:
        return json.dumps([
            {"code": code, "name": RULES[code].name if code in RULES else None,
             "severity": RULES[code].severity.value if code in RULES else None, "count": n}
            for code, n in rows
        ], indent=2) + "\n"
    width = max((len(str(n)) for _, n in rows), default=1)
    out = [f"{n:>{width}}\t{code}\t{RULES[code].name if code in RULES else ''}"
           for code, n in rows]
    if not options.quiet:
        out.append(closing(report))
    return "".join(f"{line}\n" for line in out)
