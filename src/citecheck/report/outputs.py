"""Where each report goes, and writing it there with one line for any failure.

`--format FMT[:PATH]` may be repeated, so one run feeds several consumers (the GitHub
Action writes SARIF to a file and annotations to stdout from one check). A format without a
PATH goes to `--output`, or to stdout; settings.check_value has made sure no two formats
share a destination.

Writing is where a run meets the outside world, so every failure becomes an OutputError
(exit 2, one line): a full disk (/dev/full), a closed or broken stdout, a folder named as
the output, a path with no permission. A reader that closes the pipe early (`| head`) is not
an error: the rest of the report is simply not written.
"""

from __future__ import annotations

import os
import sys

from citecheck.errors import InputError
from citecheck.model import Report
from citecheck.report import RenderOptions, render

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from citecheck.config import Config


class OutputError(InputError):
    """A report that could not be written: exit 2."""


def destinations(config: Config) -> list[tuple[str, str | None]]:
    """(format, path) for every report of the run; a None path is stdout."""
    out = []
    for spec in config.format:
        name, _, path = spec.partition(":")
        out.append((name, path or config.output))
    return out


def write_all(report: Report, config: Config, options: RenderOptions) -> None:
    """Render and write every report; stdout last, so a file is complete even when stdout
    is a closed pipe."""
    targets = sorted(destinations(config), key=lambda t: t[1] is None)
    for fmt, path in targets:
        colored = options.color and fmt == "text" and path is None
        text = render(report, fmt, options if colored else _plain(options))
        if path is None:
            write_stdout(text)
        else:
            write_file(path, text)


def _plain(options: RenderOptions) -> RenderOptions:
    from dataclasses import replace

    return replace(options, color=False)


def write_file(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_stdout(text: str) -> None:
    """Write to stdout; OutputError when it cannot take the report (not for a closed pipe,
    which means the reader has seen enough)."""
    if not text:  # -q on a clean run: nothing to say (a 0-byte write to a full disk fails)
        return
    stream = sys.stdout
    if stream is None:
        raise OutputError("cannot write to stdout: it is closed")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _silence(stream)
    except UnicodeEncodeError:  # a terminal that cannot show the report's characters
        try:
            stream.buffer.write(text.encode(stream.encoding or "ascii", "backslashreplace"))
            stream.flush()
        except (OSError, ValueError, AttributeError) as exc:
            _silence(stream)
            raise OutputError(f"cannot write to stdout ({_why(exc)})") from None
    except (OSError, ValueError) as exc:
        raise OutputError(failed_stdout(exc)) from None


def failed_stdout(exc: BaseException) -> str:
    """Quiet a stdout that failed (so the flush at exit stays quiet) and say why."""
    if sys.stdout is not None:
        _silence(sys.stdout)
    return f"cannot write to stdout ({_why(exc)})"


def _silence(stream: TextIO) -> None:
    """Point stdout at /dev/null so that the interpreter's flush at exit, which would fail
    the same way, stays quiet (the recipe of the Python docs on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        sys.stdout = None  # type: ignore[assignment]


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return "it is closed" if isinstance(exc, ValueError) else str(exc)
