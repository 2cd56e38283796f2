"""The command line: build the configuration, call the engine, render, return the exit code.

Exit codes (DESIGN.md §7): 0 nothing at or above --fail-on; 1 findings; 2 usage or input
error (one line on stderr, never a traceback); 3 the check could not run.

Built on argparse rather than click: in a fresh virtual environment `import click` costs
~26 ms against an 8 ms bare interpreter start, a third of the pre-commit latency budget
(8x a bare start), for nothing this small interface needs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from citecheck import __version__
from citecheck.config import Config
from citecheck.errors import CannotRunError, InputError
from citecheck.report import FORMATS

TYPE_CHECKING = False  # `typing` costs ~3 ms at start-up; annotations need it only for checkers
if TYPE_CHECKING:
    from typing import Any, NoReturn

    from citecheck.model import Report

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_CANNOT_RUN = 0, 1, 2, 3
FAIL_LEVELS = ("error", "warning", "info", "never")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr, exit 2 (argparse prints the whole usage)."""

    def error(self, message: str) -> NoReturn:
        _error(f"{message} (see `citecheck --help`)")
        raise SystemExit(EXIT_INPUT)


class _Formatter(argparse.HelpFormatter):
    """argparse builds a formatter for every add_argument call, and the default one asks
    shutil for the terminal size (~2 ms of imports); read $COLUMNS instead."""

    def __init__(self, prog: str) -> None:
        import os

        columns = os.environ.get("COLUMNS", "")
        width = int(columns) - 2 if columns.isdigit() and int(columns) > 40 else 98
        super().__init__(prog, width=width)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None


def _codes(value: str) -> list[str]:
    from citecheck.rules.selection import unknown_codes

    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    bad = unknown_codes(codes)
    if bad:
        raise argparse.ArgumentTypeError(f"no rule code starts with {', '.join(bad)}")
    return codes


def _positive(kind: type, low: float) -> Any:
    def convert(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
        if number < low:
            raise argparse.ArgumentTypeError(f"{value} is below the minimum of {low}")
        return number

    return convert


_NETWORK_VALUES = (
    ("--max-concurrency", _positive(int, 1), "N", "requests in flight at once (default 64)"),
    ("--host-concurrency", _positive(int, 1), "N", "requests in flight to one host (default 8)"),
    ("--host-interval", _positive(float, 0), "MS",
     "minimum milliseconds between requests to one host"),
    ("--timeout", _positive(float, 0.1), "S",
     "seconds for one request (default 20); a link gets at most 2×S in all, redirects, "
     "retries and waits included, and a Retry-After longer than S is not waited for"),
    ("--retries", _positive(int, 0), "N", "retries of a transient failure (default 2)"),
    ("--max-time", _positive(float, 1), "S",
     "seconds for all link and archive checks (default 300); links not checked by then "
     "are reported as not checked, never dead, and the report is written"),
)


def _switch(group: argparse._ArgumentGroup, *names: str, help: str) -> None:
    """An on/off flag whose absence is None, so a configuration file's value survives."""
    group.add_argument(*names, action="store_true", default=None, help=help)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="citecheck",
        formatter_class=_Formatter,
        usage="citecheck [OPTIONS] FILE...\n       citecheck rules [CODE]",
        description="Verify the endnotes, back-references, links and access dates of a "
        "publication (plain text or Markdown; '-' reads stdin).",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input "
        "error, 3 the check could not run (network unreachable).",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="briefs to check")
    p.add_argument("--version", action="version", version=f"citecheck {__version__}")
    inp = p.add_argument_group("input")
    inp.add_argument(
        "--input-format",
        choices=("text", "markdown", "html", "docx", "pdf"),
        help="read every FILE as this format (default: by extension and content)",
    )
    inp.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="the name to report stdin ('-') under; its extension chooses the format",
    )
    out = p.add_argument_group("report")
    out.add_argument("--format", choices=sorted(FORMATS), help="report format (default text)")
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    out.add_argument(
        "--fail-on",
        choices=FAIL_LEVELS,
        help="lowest severity that makes the exit code 1 (default error)",
    )
    out.add_argument(
        "--select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="only these rule codes or prefixes (comma-separated)",
    )
    out.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="skip these rule codes or prefixes; the longest prefix wins",
    )
    out.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date no access date may be after (default today)",
    )
    _switch(out, "-q", "--quiet", help="print findings only")
    _switch(out, "-v", "--verbose", help="also print every note's parse: kind, URLs, access dates")
    net = p.add_argument_group("links")
    _switch(net, "--offline", help="do not check links; offline rules only")
    for flag, kind, metavar, text in _NETWORK_VALUES:
        net.add_argument(flag, type=kind, metavar=metavar, help=text)
    _switch(net, "--allow-private",
            help="allow fetching private, loopback and link-local addresses")
    _switch(net, "--no-cache", help="neither read nor write the result cache")
    net.add_argument("--cache-ttl", type=_positive(float, 0), metavar="S",
                     help="seconds a cached success stays fresh (default 86400)")
    _switch(net, "--no-archive", help="do not look up archived snapshots")
    net.add_argument(
        "--fix-archive",
        metavar="OUTPUT",
        help="write a copy of the brief with each dead or soft-404 URL followed "
        "by its archived copy (a directory for several files; never the input)",
    )
    _switch(net, "--suggest", help="print the archived-copy replacements instead of the report")
    net.add_argument(
        "--exclude",
        action="append",
        metavar="REGEX",
        help="do not check URLs matching REGEX (repeatable)",
    )
    gate = p.add_argument_group("configuration and CI gate")
    gate.add_argument(
        "--config",
        metavar="FILE",
        help="read this configuration file (citecheck.toml or pyproject.toml) "
        "instead of finding one upward from the first FILE",
    )
    gate.add_argument(
        "--no-config",
        action="store_true",
        help="ignore configuration files: defaults and flags only",
    )
    gate.add_argument(
        "--show-config",
        action="store_true",
        help="print the resolved configuration as TOML and exit",
    )
    gate.add_argument(
        "--baseline",
        metavar="FILE",
        help="findings recorded in FILE are reported but do not fail the run",
    )
    gate.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every finding of this run in FILE (the run then passes)",
    )
    return p


def config_from_args(args: argparse.Namespace) -> Config:
    """Defaults, then the configuration file, then the flags given (the flag wins)."""
    return resolve_config(args)[0]


def resolve_config(args: argparse.Namespace) -> tuple[Config, str | None]:
    """The configuration and the file it was read from; raises ConfigError (exit 2)."""
    from dataclasses import replace

    from citecheck import configfile

    values = {
        "offline": args.offline,
        "format": args.format,
        "output": args.output,
        "fail_on": args.fail_on,
        "select": tuple(args.select) if args.select else None,
        "ignore": tuple(args.ignore) if args.ignore else None,
        "as_of": args.as_of,
        "input_format": args.input_format,
        "stdin_filename": args.stdin_filename,
        "quiet": args.quiet,
        "verbose": args.verbose,
        "max_concurrency": args.max_concurrency,
        "host_concurrency": args.host_concurrency,
        "host_interval": args.host_interval,
        "timeout": args.timeout,
        "retries": args.retries,
        "max_time": args.max_time,
        "allow_private": args.allow_private,
        "cache": False if args.no_cache else None,
        "cache_ttl": args.cache_ttl,
        "exclude": tuple(args.exclude) if args.exclude else None,
    }
    values["baseline"] = args.baseline
    values["write_baseline"] = args.write_baseline
    base, source = configfile.resolve(args.files, args.config, args.no_config)
    config = base.with_overrides(values)
    if args.no_archive:
        config = replace(config, archive=replace(config.archive, enabled=False))
    configfile.validate(config)
    return config, source


def main(argv: Sequence[str] | None = None) -> int:
    import signal

    # SIGTERM (a CI job cancelled, a killed hook) stops the run as Ctrl-C does: the online
    # stage is cancelled, nothing half-done reaches the cache, one line, no traceback.
    terminated: list[int] = []

    def on_term(signum: int, frame: object) -> None:
        import _thread

        terminated.append(signum)
        _thread.interrupt_main()

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread (called from a program's worker thread)
        previous = None
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        _error("interrupted")
        return 143 if terminated else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str]) -> int:
    import gc

    # The command's own process, not a library's host: what is loaded by now lives until the
    # end, so the collector need not scan it, and a run's many short-lived requests need
    # young collections less often (bench/bench_links.py: ~6% of a 2,000-link run).
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    try:
        if argv[:1] == ["rules"]:
            return rules_command(argv[1:])
        args = build_parser().parse_args(argv)
        try:
            config, source = resolve_config(args)
        except InputError as exc:
            _error(str(exc))
            return EXIT_INPUT
        if args.show_config:
            from citecheck.configfile import show

            sys.stdout.write(show(config, source))
            return EXIT_OK
        if not args.files:
            _error("name at least one file to check (or '-' for stdin); see `citecheck --help`")
            return EXIT_INPUT
        if (args.fix_archive or args.suggest) and (config.offline or not config.archive.enabled):
            _error(
                "--fix-archive and --suggest need links checked and archives consulted "
                "(drop --offline / --no-archive)"
            )
            return EXIT_INPUT
        return run(args.files, config, fix_archive=args.fix_archive, suggest=bool(args.suggest))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK


def run(
    files: list[str], config: Config, *, fix_archive: str | None = None, suggest: bool = False
) -> int:
    """Check, render, write; returns the exit code. Errors become one line on stderr.
    `fix_archive` writes the archive fix there; `suggest` prints it instead of the report."""
    from citecheck.pipeline import check
    from citecheck.report import render

    for target, flag in ((config.output, "--output"), (config.write_baseline, "--write-baseline")):
        if target and _is_input(target, files):
            _error(
                f"{flag} {target} is one of the files being checked: citecheck never "
                "writes over its input"
            )
            return EXIT_INPUT
    try:
        if config.write_baseline:  # a new baseline replaces the old: do not require it
            from dataclasses import replace

            report = check(files, replace(config, baseline=None))
            report = _write_baseline(report, config.write_baseline)
        else:
            report = check(files, config)
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except CannotRunError as exc:
        _error(str(exc))
        return EXIT_CANNOT_RUN
    if (fix_archive or suggest) and not report.network_down:
        from citecheck.archive import fix

        try:
            if suggest:
                sys.stdout.write(fix.suggestions(report))
            for dest, count in fix.write_fixes(report, fix_archive) if fix_archive else ():
                _warn(f"wrote {dest}: {count} archived cop{'y' if count == 1 else 'ies'} added")
        except fix.FixError as exc:
            _error(str(exc))
            return EXIT_INPUT
        if suggest:
            return exit_code(report.gate_summary(), config.fail_on)
    to_file = config.output is not None
    color = not to_file and config.format == "text" and sys.stdout.isatty()
    text = render(
        report,
        config.format,
        color=color,
        quiet=config.quiet,
        verbose=config.verbose,
        fail_on=config.fail_on,
    )
    if to_file:
        try:
            with open(config.output, "w", encoding="utf-8") as fh:  # type: ignore[arg-type]
                fh.write(text)
        except OSError as exc:
            _error(f"{config.output}: cannot write ({exc.strerror or exc})")
            return EXIT_INPUT
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if report.network_down:
        _error(report.notice or "the network is unreachable: links were not checked")
        return EXIT_CANNOT_RUN
    if report.notice and (config.format != "text" or to_file) and not config.quiet:
        _warn(report.notice)  # the text report on stdout carries it already
    return exit_code(report.gate_summary(), config.fail_on)


def _write_baseline(report: Report, path: str) -> Report:
    """Record every finding in `path`; the run then reports them all as baseline (exit 0)."""
    from citecheck import baseline

    count = baseline.write(report, path)
    _warn(f"wrote {count} finding{'' if count == 1 else 's'} to the baseline {path}")
    return baseline.mark_all(report)


def _is_input(target: str, files: list[str]) -> bool:
    import os

    if not os.path.exists(target):
        return False
    for f in files:
        try:
            if f != "-" and os.path.samefile(f, target):
                return True
        except OSError:
            continue
    return False


def exit_code(summary: dict[str, int], fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_OK
    levels = FAIL_LEVELS[: FAIL_LEVELS.index(fail_on) + 1]
    return EXIT_FINDINGS if any(summary.get(level, 0) for level in levels) else EXIT_OK


def rules_command(argv: list[str]) -> int:
    """`citecheck rules` lists the rules; `citecheck rules CODE` explains one."""
    from citecheck.report.rules_doc import explain, listing

    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(listing())
        return EXIT_OK
    text = explain(argv[0].strip().upper())
    if text is None:
        _error(f"no rule {argv[0]!r} (see `citecheck rules`)")
        return EXIT_INPUT
    sys.stdout.write(text)
    return EXIT_OK


def _error(message: str) -> None:
    sys.stderr.write(f"citecheck: error: {_one_line(message)}\n")


def _warn(message: str) -> None:
    sys.stderr.write(f"citecheck: {_one_line(message)}\n")


def _one_line(message: str) -> str:
    from citecheck.report.escape import sanitize

    return sanitize(" ".join(message.split()))
