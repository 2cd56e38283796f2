"""A progress bar on stderr while links are checked, only when stderr is a terminal.

stdout carries the report (possibly JSON piped into another program) and a CI log is not a
terminal, so neither ever sees the bar. rich is imported only when a bar is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from citecheck.model import LinkResult

Tick = Callable[[str, LinkResult], None]


def _ignore(url: str, result: LinkResult) -> None:
    return None


@contextmanager
def progress(total: int, enabled: bool | None = None) -> Iterator[Tick]:
    """Yield a callback to call once per finished link. `enabled` None means "if stderr is
    a terminal"."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled or total < 2:
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("checking links"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("links", total=total)

        def tick(url: str, result: LinkResult) -> None:
            bar.advance(task)

        yield tick
