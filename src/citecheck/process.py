"""The console script: what the `citecheck` program does to its own process before it runs
the command line. A library never changes its host's process-wide state (the garbage
collector, signal handlers, modules), so these settings live here, where citecheck is the
program, and not in `citecheck.cli.main`, which tests and other programs call in-process.
"""

from __future__ import annotations

import sys


def console() -> int:
    """Entry point of the `citecheck` command (and `python -m citecheck`)."""
    import gc
    import signal

    from citecheck.cli import main

    # What is loaded by now lives until the end, so the collector need not scan it again,
    # and a run's many short-lived requests need young collections less often
    # (bench/bench_links.py: ~40 ms of a 2,000-link run).
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    _without_httpx_command_line()
    # SIGTERM (a CI job cancelled, a killed hook) stops the run as Ctrl-C does: the online
    # stage is cancelled, nothing half-done reaches the cache, one line, no traceback.
    terminated: list[int] = []

    def on_term(signum: int, frame: object) -> None:
        import _thread

        terminated.append(signum)
        _thread.interrupt_main()

    signal.signal(signal.SIGTERM, on_term)
    return main(None, terminated)


def _without_httpx_command_line() -> None:
    """httpx imports its own command line (`httpx._main`, with click, rich.syntax and
    pygments) whenever those are installed, as they are beside citecheck: ~50 ms of every
    online run for a program citecheck never calls. Stand in for that module with one whose
    `main` loads the real one if anything ever calls it."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    import types

    stand_in = types.ModuleType("httpx._main")

    def main(*args: object, **kwargs: object) -> object:
        del sys.modules["httpx._main"]
        import importlib

        return importlib.import_module("httpx._main").main(*args, **kwargs)

    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in
