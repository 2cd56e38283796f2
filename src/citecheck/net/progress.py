"""A progress bar on stderr while links are checked, only when stderr is a terminal (the
report on stdout and a CI log never see it). It names the link the run has waited on longest
(the first still unfinished: links start in citation order), so a run held up by one slow site
says which. rich is imported only when a bar is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from citecheck.model import LinkResult
from citecheck.net.facts import clean, without_credentials

Tick = Callable[[str, LinkResult], None]


def _ignore(url: str, result: LinkResult) -> None:
    return None


class Waiting:
    """Which of `urls` is the oldest still unfinished, kept up as links finish."""

    def __init__(self, urls: Sequence[str]) -> None:
        self.urls = urls
        self.done: set[str] = set()
        self.first = 0

    def finish(self, url: str) -> str:
        """Mark `url` done; the oldest unfinished URL as the bar shows it ("" when none)."""
        self.done.add(url)
        while self.first < len(self.urls) and self.urls[self.first] in self.done:
            self.first += 1
        if self.first >= len(self.urls):
            return ""
        return clean(without_credentials(self.urls[self.first]), 70)


@contextmanager
def progress(urls: Sequence[str], enabled: bool | None = None) -> Iterator[Tick]:
    """Yield a callback to call once per finished link. `enabled` None means "if stderr is
    a terminal"."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled or len(urls) < 2:
        yield _ignore
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    waiting = Waiting(urls)
    columns = (
        TextColumn("checking links"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("[dim]{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"waiting on {escape(waiting.finish(''))}", total=len(urls))

        def tick(url: str, result: LinkResult) -> None:
            oldest = waiting.finish(url)
            bar.update(task, advance=1,
                       description=f"waiting on {escape(oldest)}" if oldest else "")

        yield tick
