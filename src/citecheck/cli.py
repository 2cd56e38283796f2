"""The command line: build the configuration, call the engine, render, return the exit code.

Exit codes (DESIGN.md §7): 0 nothing at or above --fail-on; 1 findings; 2 usage or input
error (one line on stderr, never a traceback); 3 the check could not run.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from citecheck import __version__
from citecheck.config import Config
from citecheck.errors import CannotRunError, InputError
from citecheck.report import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_CANNOT_RUN = 0, 1, 2, 3
FAIL_LEVELS = ("error", "warning", "info", "never")


class _Cli(click.Group):
    """`citecheck FILE…` checks; `citecheck rules [CODE]` documents rules. A first argument
    that is not a subcommand means "check", so the common case needs no subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Verify the endnotes, back-references, links and access dates of a publication."""


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _codes(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    from citecheck.rules.selection import unknown_codes

    codes = tuple(c.strip().upper() for v in value for c in v.split(",") if c.strip())
    bad = unknown_codes(codes)
    if bad:
        raise click.BadParameter(f"no rule code starts with {', '.join(bad)}")
    return codes


class _CheckCommand(click.Command):
    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("citecheck", "[OPTIONS] FILE...")
        formatter.write_text("       citecheck rules [CODE]")


@cli.command("check", cls=_CheckCommand)
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option("--offline", is_flag=True, default=None, help="Do not check links; offline rules only.")
@click.option("--format", "format_", type=click.Choice(sorted(FORMATS)), default=None,
              help="Report format (default text).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default=None,
              help="Lowest severity that makes the exit code 1 (default error).")
@click.option("--select", multiple=True, callback=_codes, metavar="CODES",
              help="Only these rule codes or prefixes (comma-separated; repeatable).")
@click.option("--ignore", multiple=True, callback=_codes, metavar="CODES",
              help="Skip these rule codes or prefixes; the longest prefix wins.")
@click.option("--as-of", callback=_date, metavar="YYYY-MM-DD",
              help="Date an access date may not be after (default today).")
@click.option("-q", "--quiet", is_flag=True, default=None, help="Print findings only.")
@click.option("-v", "--verbose", is_flag=True, default=None,
              help="Also print every note's parse: kind, URLs, access dates.")
@click.option("--max-concurrency", type=click.IntRange(1, 1024), default=None,
              help="Requests in flight at once (default 64).")
@click.option("--host-concurrency", type=click.IntRange(1, 256), default=None,
              help="Requests in flight to one host (default 8).")
@click.option("--host-interval", type=click.FloatRange(0), default=None, metavar="MS",
              help="Minimum milliseconds between requests to one host.")
@click.option("--timeout", type=click.FloatRange(0.1), default=None, metavar="S",
              help="Seconds for one request (default 20).")
@click.option("--retries", type=click.IntRange(0, 10), default=None,
              help="Retries of a transient failure (default 2).")
@click.option("--allow-private", is_flag=True, default=None,
              help="Allow fetching private, loopback and link-local addresses.")
@click.option("--no-cache", "no_cache", is_flag=True, default=None,
              help="Neither read nor write the result cache.")
@click.option("--cache-ttl", type=click.FloatRange(0), default=None, metavar="S",
              help="Seconds a cached success stays fresh (default 86400).")
@click.option("--no-archive", "no_archive", is_flag=True, default=None,
              help="Do not look up archived snapshots.")
@click.option("--exclude", multiple=True, metavar="REGEX",
              help="Do not check URLs matching this regular expression (repeatable).")
@click.version_option(__version__, "--version", prog_name="citecheck")
def check_command(files: tuple[str, ...], **opts: Any) -> None:
    """Check the notes, markers, back-references, access dates and links of each FILE
    (plain text; '-' reads stdin)."""
    if not files:
        raise click.UsageError("name at least one file to check (or '-' for stdin)")
    config = _config(opts)
    sys.exit(run(list(files), config))


def _config(opts: dict[str, Any]) -> Config:
    from dataclasses import replace

    values = {
        "offline": opts["offline"],
        "format": opts["format_"],
        "output": opts["output"],
        "fail_on": opts["fail_on"],
        "select": opts["select"] or None,
        "ignore": opts["ignore"] or None,
        "as_of": opts["as_of"],
        "quiet": opts["quiet"],
        "verbose": opts["verbose"],
        "max_concurrency": opts["max_concurrency"],
        "host_concurrency": opts["host_concurrency"],
        "host_interval": opts["host_interval"],
        "timeout": opts["timeout"],
        "retries": opts["retries"],
        "allow_private": opts["allow_private"],
        "cache": False if opts["no_cache"] else None,
        "cache_ttl": opts["cache_ttl"],
        "exclude": opts["exclude"] or None,
    }
    config = Config().with_overrides(values)
    if opts["no_archive"]:
        config = replace(config, archive=replace(config.archive, enabled=False))
    return config


def run(files: list[str], config: Config) -> int:
    """Check, render, write; returns the exit code. Errors become one line on stderr."""
    from citecheck.pipeline import check
    from citecheck.report import render

    try:
        report = check(files, config)
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except CannotRunError as exc:
        _error(str(exc))
        return EXIT_CANNOT_RUN
    to_file = config.output is not None
    color = not to_file and config.format == "text" and sys.stdout.isatty()
    text = render(report, config.format, color=color, quiet=config.quiet, verbose=config.verbose)
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
    return exit_code(report.summary(), config.fail_on)


def exit_code(summary: dict[str, int], fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_OK
    levels = FAIL_LEVELS[: FAIL_LEVELS.index(fail_on) + 1]
    return EXIT_FINDINGS if any(summary.get(level, 0) for level in levels) else EXIT_OK


def _error(message: str) -> None:
    click.echo(f"citecheck: error: {_one_line(message)}", err=True)


def _warn(message: str) -> None:
    click.echo(f"citecheck: {_one_line(message)}", err=True)


def _one_line(message: str) -> str:
    from citecheck.report.escape import sanitize

    return sanitize(" ".join(message.split()))


@cli.command("rules")
@click.argument("code", required=False)
def rules_command(code: str | None) -> None:
    """List the rules, or explain one (e.g. `citecheck rules R202`)."""
    from citecheck.report.rules_doc import explain, listing

    if code is None:
        click.echo(listing(), nl=False)
        return
    text = explain(code.strip().upper())
    if text is None:
        click.echo(f"citecheck: error: no rule {code!r} (see `citecheck rules`)", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(text, nl=False)


def main() -> int:
    try:
        cli.main(prog_name="citecheck", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("citecheck: interrupted", err=True)
        return 130
    return 0
