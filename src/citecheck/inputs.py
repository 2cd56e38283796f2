"""What the user named, as the files to read: files, folders searched recursively, globs.

    citecheck brief.txt                 a file (always read, whatever its extension)
    citecheck briefs/                   every file below with an extension citecheck reads
    citecheck 'briefs/**/*.md'          a glob the shell did not expand (quoted, or Windows)
    citecheck -                         stdin

Files a folder or glob *found* differ from files the user *named* in two ways: one that
cannot be read is skipped with a line rather than stopping the run, and one without notes
is listed once in the summary rather than reported with an N106 of its own. `exclude_path`
globs (--exclude-path, the configuration's `exclude_path`) remove found files and prune
folders; hidden folders (.git, .venv) are never searched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from citecheck.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_GLOB_CHARS = frozenset("*?[")
_NEVER = frozenset({"node_modules", "__pycache__"})


@dataclass(frozen=True, slots=True)
class Input:
    path: str
    found: bool = False
    """Found by a folder or glob rather than named."""


def expand(paths: Sequence[str], exclude: Sequence[str] = ()) -> list[Input]:
    """The inputs `paths` stand for, in order, each once."""
    out: list[Input] = []
    for path in paths:
        if path == "-" or os.path.isfile(path):
            out.append(Input(path))
        elif os.path.isdir(path):
            found = list(_walk(path, exclude))
            if not found:
                raise InputError(f"{path}: holds no file citecheck reads ({_extensions()})")
            out.extend(found)
        elif _GLOB_CHARS & set(path):
            found = list(_glob(path, exclude))
            if not found:
                raise InputError(f"{path}: matches no file citecheck reads")
            out.extend(found)
        elif _near_command(path) and not os.path.exists(path):
            raise InputError(f"{path}: no such file (did you mean `citecheck "
                             f"{_near_command(path)}`?)")
        else:
            out.append(Input(path))  # read_document says what is wrong with it
    return _once(out)


_NEAR_COMMANDS = {"rule": "rules", "ruels": "rules", "rulse": "rules", "caches": "cache",
                  "cahce": "cache", "info": "cache info", "clean": "cache clean"}
"""Words a user types meaning a command (`citecheck rule R202`): said, not read as files."""


def _near_command(path: str) -> str | None:
    """The subcommand a missing bare word was probably meant to be ("cahe", "Rules")."""
    if path in _NEAR_COMMANDS:
        return _NEAR_COMMANDS[path]
    if not path.isalpha():  # a name with a dot or a slash is a file
        return None
    import difflib

    close = difflib.get_close_matches(path.lower(), ("rules", "cache"), n=1, cutoff=0.6)
    return close[0] if close else None


def _walk(folder: str, exclude: Sequence[str]) -> Iterable[Input]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _NEVER
                         and not excluded(os.path.join(root, d), exclude))
        for name in sorted(files):
            path = os.path.join(root, name)
            if _readable(path) and not excluded(path, exclude):
                yield Input(path, found=True)


def _glob(pattern: str, exclude: Sequence[str]) -> Iterable[Input]:
    import glob

    for path in sorted(glob.glob(pattern, recursive=True)):
        if os.path.isdir(path):
            yield from _walk(path, exclude)
        elif _readable(path) and not excluded(path, exclude):
            yield Input(path, found=True)


def _readable(path: str) -> bool:
    """A regular file (never a FIFO or a device, which would block the run) in a format
    citecheck reads."""
    from citecheck.readers import EXTENSIONS

    return os.path.splitext(path)[1].lower() in EXTENSIONS and os.path.isfile(path)


def _once(inputs: list[Input]) -> list[Input]:
    seen: set[str] = set()
    out = []
    for i in inputs:
        key = i.path if i.path == "-" else os.path.realpath(i.path)
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def excluded(path: str, globs: Sequence[str]) -> bool:
    return any(path_matches(g, path) for g in globs)


def path_matches(pattern: str, path: str) -> bool:
    """A glob; one without a slash matches the file's name in any folder (as in .gitignore),
    one with a slash matches the path's end, so it holds whether citecheck was given
    `briefs/a.txt`, `./briefs/a.txt` or an absolute path."""
    import fnmatch

    path = path.replace("\\", "/")
    pattern = pattern.rstrip("/") or pattern  # "drafts/", as .gitignore writes a folder
    if "/" not in pattern:
        return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    pattern = pattern.removeprefix("./")
    path = path.removeprefix("./")
    return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, f"*/{pattern}")


def _extensions() -> str:
    from citecheck.readers import EXTENSIONS

    return ", ".join(sorted(EXTENSIONS))
