"""Regular expressions compiled on first use.

Compiling citecheck's patterns costs ~10 ms, an eighth of the pre-commit latency budget;
most briefs never need the rarer ones ("hereinafter", Markdown links, section words), so
those are compiled only when a brief first needs them.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # without importing typing: see the module docstring
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "split")


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`; the first call compiles it and binds the
    compiled methods onto the instance, so later calls cost what a compiled pattern's do."""

    if TYPE_CHECKING:
        match: Callable[..., re.Match[str] | None]
        fullmatch: Callable[..., re.Match[str] | None]
        search: Callable[..., re.Match[str] | None]
        finditer: Callable[..., Iterator[re.Match[str]]]
        findall: Callable[..., list]
        sub: Callable[..., str]
        split: Callable[..., list]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> object:
        if name not in _METHODS:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
