"""The command line: options -> Config -> check -> reporters -> exit code.

    citecheck [OPTIONS] PATH...     check files, folders or quoted globs ('-' is stdin)
    citecheck rules [QUERY]         the rule catalogue; a code, a name or a prefix
    citecheck cache {info,clean}    the result cache

Exit codes (DESIGN.md §7): 0 clean; 1 findings; 2 usage or input error; 3 the check could not
run. Options are data (citecheck.settings); a command is built only when it is run.
"""

from __future__ import annotations

import importlib
import os

import click

from citecheck import __version__
from citecheck.errors import CannotRunError, InputError
from citecheck.report.gate import EXIT_CANNOT_RUN, EXIT_INPUT, EXIT_OK
from citecheck.run import run
from citecheck.run import say as _say
from citecheck.settings import EPILOG, OPTIONS, SUMMARY, complete_format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any


class _Main(click.Group):
    """Its default command is the check: `citecheck brief.txt`; a file named rules: ./rules."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in _COMMANDS:
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return _COMMANDS[name]() if name in _COMMANDS else None


class _Check(click.Command):  # usage without the hidden command's name
    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("citecheck", " ".join(self.collect_usage_pieces(ctx)))


def _option(o: Any) -> click.Option:
    if o.kind == "flag":
        return click.Option(list(o.flags), is_flag=True, default=None, help=o.help)
    kind: Any = click.Choice(o.choices) if o.choices else (
        click.Path() if o.metavar in ("FILE", "OUTPUT") else None)
    return click.Option(list(o.flags), metavar=o.metavar, type=kind, help=o.help,
                        multiple=o.kind in ("list", "codes"),
                        shell_complete=complete_format if o.key == "format" else None)


def _check_command() -> click.Command:
    params: list[click.Parameter] = [
        click.Argument(["paths"], nargs=-1, type=click.Path(), metavar="PATH...",
                       shell_complete=_complete_path)]
    params += [_option(o) for o in OPTIONS]
    params.append(click.Option(["--version"], is_flag=True, expose_value=False, is_eager=True,
                               help="print the version and exit", callback=_version))
    return _Check(
        "check", params=params, callback=_check, epilog=EPILOG,
        help=SUMMARY,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})


def _complete_path(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Files, and the other commands' names when nothing has been typed before."""
    from click.shell_completion import CompletionItem

    first = all(v in (None, (), False) for v in ctx.params.values())
    names = [n for n in _COMMANDS if n != "check" and n.startswith(incomplete) and first]
    return [CompletionItem(n) for n in names] + [CompletionItem(incomplete, type="file")]


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        click.echo(f"citecheck {__version__}")
        ctx.exit(EXIT_OK)


def _check(paths: tuple[str, ...], fix_archive: str | None, suggest: bool | None,
           show_config: bool | None, **given: Any) -> int:
    from citecheck.settings import resolve, unknown_variables

    config, source = resolve(given, os.environ, paths)
    for line in unknown_variables(os.environ):
        _say(line)
    if show_config:
        from citecheck.configfile import show
        from citecheck.report.outputs import write_stdout

        return write_stdout(show(config, source)) or EXIT_OK
    if not paths:
        raise InputError("name at least one file or folder to check (or '-' for stdin); "
                         "see `citecheck --help`")
    if (fix_archive or suggest) and (config.offline or not config.archive.enabled):
        raise InputError("--fix-archive and --suggest need links checked and archives "
                         "consulted (drop --offline / --no-archive)")
    return run(list(paths), config, fix_archive=fix_archive, suggest=bool(suggest))


def _elsewhere(module: str) -> Callable[[], click.Command]:
    """A command whose module is imported only when that command is run."""
    return lambda: importlib.import_module(module).command()


_COMMANDS = {"check": _check_command, "rules": _elsewhere("citecheck.report.rules_doc"),
             "cache": _elsewhere("citecheck.cachecmd")}


def main(argv: Sequence[str] | None = None, terminated: Sequence[int] = ()) -> int:
    """The command, in-process (tests, programs). `terminated` holds a signal number when
    SIGTERM, not Ctrl-C, stopped the run (citecheck.process, the console script, fills it)."""
    try:
        code = _Main("citecheck").main(list(argv) if argv is not None else None,
                                       prog_name="citecheck", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except click.NoSuchOption as exc:  # did you mean: the closest flag only, not click's three
        import difflib

        close = difflib.get_close_matches(exc.option_name, exc.possibilities or (), n=1)
        hint = f"did you mean {close[0]}?" if close else "see `citecheck --help`"
        _say(f"error: no such option {exc.option_name} ({hint})")
        return EXIT_INPUT
    except click.ClickException as exc:
        _say(f"error: {exc.format_message()} (see `citecheck --help`)")
        return EXIT_INPUT
    except InputError as exc:
        _say(f"error: {exc}")
        return EXIT_INPUT
    except CannotRunError as exc:
        _say(f"error: {exc}")
        return EXIT_CANNOT_RUN
    except (KeyboardInterrupt, click.exceptions.Abort):
        _say("interrupted")
        return 143 if terminated else 130
    except OSError as exc:  # click writing --help or --version to a full or closed stdout
        from citecheck.report.outputs import OutputError, failed_stdout

        _say(f"error: {OutputError(failed_stdout(exc))}")
        return EXIT_INPUT
