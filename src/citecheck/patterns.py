"""Regular expressions the user writes (`exclude`, `suppress.url`), run in linear time.

They are matched against URLs the *document* supplies, so a pattern such as `(a+)+$` on
Python's backtracking engine lets a brief stall the run for hours with one long URL. RE2
(google-re2, BSD licence) matches in time linear in the text for every pattern it accepts;
what it refuses (look-around, back-references) is refused here with one line naming the key.

RE2 is imported only when a run has such a pattern. Where its wheel cannot be installed,
Python's engine is used behind a guard that refuses nested repetition (the shape of every
catastrophic pattern in practice) and a cap on the text matched.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_TEXT = 8192
"""Characters of a URL the fallback engine looks at (RE2 needs no cap)."""


class PatternError(ValueError):
    """A pattern that cannot be used; the message says why, without the key."""


class Pattern:
    """A compiled user pattern: `search(text)` is true when it matches anywhere."""

    __slots__ = ("_cap", "_compiled", "source")

    def __init__(self, source: str, compiled: Any, cap: int | None) -> None:
        self.source, self._compiled, self._cap = source, compiled, cap

    def search(self, text: str) -> bool:
        if self._cap is not None:
            text = text[: self._cap]
        return self._compiled.search(text) is not None

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"


def compile_pattern(source: str) -> Pattern:
    """Compile `source` (RE2 syntax: Python's without look-around and back-references)."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency; see the docstring
        return _fallback(source)
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own lines on stderr
    try:
        return Pattern(source, re2.compile(source, options), None)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
            exc.args[0], bytes) else str(exc)
        hint = ("; RE2 runs in linear time and has no look-around or back-references"
                if "perl operator" in reason or "escape" in reason else "")
        raise PatternError(
            f"{source!r} is not a regular expression citecheck can use ({reason}{hint})"
        ) from None


def _fallback(source: str) -> Pattern:
    import re

    try:
        compiled = re.compile(source)
    except re.error as exc:
        raise PatternError(f"{source!r} is not a regular expression ({exc})") from None
    if _nested_repeat(source):
        raise PatternError(
            f"{source!r} repeats a repetition, which can take exponential time on a long URL"
        )
    return Pattern(source, compiled, MAX_TEXT)


def _nested_repeat(source: str) -> bool:
    import re._parser as parser  # type: ignore[import-not-found]

    repeats = {parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT}

    def walk(items: Any, inside: bool) -> bool:
        for op, arg in items:
            if op in repeats:
                if inside or walk(arg[2], True):
                    return True
            elif op is parser.SUBPATTERN:
                if walk(arg[3], inside):
                    return True
            elif op is parser.BRANCH and any(walk(b, inside) for b in arg[1]):
                return True
        return False

    return walk(parser.parse(source), False)
