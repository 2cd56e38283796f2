"""One run of the check, after the command line has built its Config: check, write every
report where it goes, say what the user must know on stderr, return the exit code.

InputError (exit 2) and CannotRunError (exit 3) propagate to the CLI, which prints them as
one line.
"""

from __future__ import annotations

import os
import sys

from citecheck.config import Config
from citecheck.errors import CannotRunError, InputError
from citecheck.report.gate import exit_code


def run(paths: list[str], config: Config, *, fix_archive: str | None = None,
        suggest: bool = False) -> int:
    """Check, render, write; returns the exit code (InputError, CannotRunError propagate)."""
    from dataclasses import replace

    from citecheck.pipeline import check
    from citecheck.report import RenderOptions
    from citecheck.report.outputs import destinations, write_all, write_stdout

    _refuse_overwrite(config, paths)  # before the work, for the files named
    report = check(paths, replace(config, baseline=None) if config.write_baseline else config)
    _refuse_overwrite(config, [d.document.path for d in report.documents])  # and found
    if config.cache_dir and config.cache and not config.offline:
        from citecheck.net import cache

        if why := cache.problem(config):
            say(f"cache_dir {config.cache_dir}: cannot be used ({why}); links were checked "
                "without the cache")
    if config.write_baseline:  # a new baseline replaces the old one, and the run passes
        from citecheck import baseline

        count = baseline.write(report, config.write_baseline)
        say(f"wrote {count} finding{'' if count == 1 else 's'} to the baseline "
             f"{config.write_baseline}")
        report = baseline.mark_all(report)
    for d in report.documents:
        from citecheck.readers.text import GUESSED

        if d.document.encoding in GUESSED and not config.quiet:
            say(f"{d.document.path}: not UTF-8; read as {GUESSED[d.document.encoding]} "
                 "(--encoding names another)")
    if (fix_archive or suggest) and not report.network_down:
        from citecheck import fix

        try:
            if suggest:
                write_stdout(fix.suggestions(report))
            for dest, count in fix.write_fixes(report, fix_archive) if fix_archive else ():
                say(f"wrote {dest}: {count} archived cop{'y' if count == 1 else 'ies'} added")
        except fix.FixError as exc:
            raise InputError(str(exc)) from None
        if suggest:
            return exit_code(report, config.fail_on)
    options = RenderOptions(color=_color(config.color), quiet=config.quiet,
                            verbose=config.verbose, fail_on=config.fail_on,
                            statistics=config.statistics)
    write_all(report, config, options)
    if report.network_down:
        raise CannotRunError(report.notice or "the network is unreachable: links not checked")
    to_stdout_text = any(f == "text" and p is None for f, p in destinations(config))
    if not to_stdout_text and not config.quiet:  # the text report on stdout says these
        for path, why in report.skipped:
            say(f"skipped {path}: {why}")
        if report.notice:
            say(report.notice)
    return exit_code(report, config.fail_on)


def _color(setting: str) -> bool:
    """always/never as asked; auto: NO_COLOR turns colour off, FORCE_COLOR on, else a TTY."""
    if setting != "auto":
        return setting == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or bool(sys.stdout and sys.stdout.isatty())


def _refuse_overwrite(config: Config, read: list[str]) -> None:
    from citecheck.report.outputs import destinations

    targets = [(f"--format {f}:" if ":" in spec else "--output", path) for spec, (f, path) in
               zip(config.format, destinations(config), strict=True)]
    claimed: dict[str, str] = {}  # --output and a :PATH naming one file (the flags can't tell)
    for flag, target in [*targets, ("--write-baseline", config.write_baseline)]:
        if target and os.path.realpath(target) in claimed:
            raise InputError(f"{claimed[os.path.realpath(target)]} and {flag} would both "
                             f"write {target}: give each report its own file")
        if target:
            claimed[os.path.realpath(target)] = flag
    for flag, target in [*targets, ("--write-baseline", config.write_baseline)]:
        if target and _is_input(target, read):
            raise InputError(f"{flag} {target} is one of the files being checked: citecheck "
                             "never writes over its input")


def _is_input(target: str, paths: list[str]) -> bool:
    if not os.path.exists(target):
        return False
    return any(p != "-" and os.path.exists(p) and os.path.samefile(p, target) for p in paths)


def say(message: str) -> None:
    """One line on stderr, escaped (a file name can hold anything); silent if stderr is gone."""
    from citecheck.report.escape import sanitize

    text = " ".join(message.split())
    if len(text) > 2000:  # a huge value quoted back: keep the key (first) and the reason (last)
        text = f"{text[:1200]} … {text[-600:]}"
    try:
        sys.stderr.write(f"citecheck: {sanitize(text)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
