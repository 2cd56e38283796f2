"""Which rules report, and at what severity: --select/--ignore by code prefix, longest
prefix wins (as flake8's style guide decides), plus per-rule severity overrides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from citecheck.model import Finding, Severity
from citecheck.rules.catalogue import RULES


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        severity: dict[str, str] | None = None,
    ) -> Selection:
        norm = lambda codes: tuple(c.strip().upper() for c in codes if c.strip())  # noqa: E731
        return cls(norm(select), norm(ignore), tuple(sorted((severity or {}).items())))

    def enabled(self, code: str) -> bool:
        """A rule reports when the longest matching select prefix beats the longest ignore
        prefix. Rules that are off by default (D304) need an explicit select."""
        overrides = dict(self.severity)
        if overrides.get(code, "").lower() == "off":
            return False
        sel = max((_length(p) for p in self.select if _matches(code, p)), default=-1)
        ign = max((_length(p) for p in self.ignore if _matches(code, p)), default=-1)
        rule = RULES.get(code)
        if sel < 0:
            if self.select and not any(p == "ALL" for p in self.select):
                return False
            if rule is not None and not rule.enabled:
                return False
            sel = 0
        return sel >= ign if ign >= 0 else True

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        overrides = {k.upper(): v.lower() for k, v in self.severity}
        out = []
        for f in findings:
            if not self.enabled(f.code):
                continue
            level = overrides.get(f.code)
            if level and level != "off":
                f = replace(f, severity=Severity(level))
            out.append(f)
        return out


def _length(prefix: str) -> int:
    """How specific a prefix is; ALL is the least specific of all (`--select ALL
    --ignore N` keeps everything but the N rules)."""
    return 0 if prefix == "ALL" else len(prefix)


def _matches(code: str, prefix: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def unknown_codes(prefixes: Iterable[str]) -> list[str]:
    """Prefixes that match no rule: a typo in --select should be an error, not silence."""
    return [p for p in prefixes if p != "ALL" and not any(c.startswith(p) for c in RULES)]
