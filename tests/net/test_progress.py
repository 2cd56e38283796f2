"""The progress bar names the link the run has waited on longest, and is shown only on a
terminal (the report on stdout, a CI log, never see it)."""

from __future__ import annotations

import io

import pytest

from citecheck.model import LinkResult, Verdict
from citecheck.net import progress
from citecheck.net.progress import Waiting

URLS = ["https://a.example.org/1", "https://user:pw@b.example.org/2", "https://c.example.org/3"]


def test_the_oldest_unfinished_link_is_named() -> None:
    waiting = Waiting(URLS)
    assert waiting.finish("https://c.example.org/3") == URLS[0]
    assert waiting.finish(URLS[0]) == "https://b.example.org/2"  # no credentials shown
    assert waiting.finish(URLS[1]) == ""


def test_the_bar_shows_the_url_it_waits_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import rich.console

    screen = io.StringIO()
    real = rich.console.Console

    def console(**kwargs: object) -> rich.console.Console:
        return real(file=screen, force_terminal=True, width=160)

    monkeypatch.setattr(rich.console, "Console", console)
    with progress.progress(URLS, enabled=True) as tick:
        tick(URLS[0], LinkResult(URLS[0], Verdict.OK))
        tick(URLS[2], LinkResult(URLS[2], Verdict.OK))
    assert "waiting on https://b.example.org/2" in screen.getvalue()


def test_no_bar_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress.progress(URLS) as tick:
        tick(URLS[0], LinkResult(URLS[0], Verdict.OK))
    assert capsys.readouterr().err == ""
