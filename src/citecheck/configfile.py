"""Configuration files: `[tool.citecheck]` in pyproject.toml, or citecheck.toml.

    defaults  <  the configuration file  <  CITECHECK_* variables  <  command-line flags

The file is found by walking up from the first input's folder (the current folder for
stdin): in each folder `citecheck.toml`, then `.citecheck.toml`, then a `pyproject.toml`
that has a `[tool.citecheck]` table; the first found is the only one read (as ruff does:
no merging, so what applies is never a puzzle). `--config FILE` names it instead, and
`--no-config` ignores every file.

Keys are the `Config` field names; dashes and underscores are the same (`fail-on` or
`fail_on`). Every key is checked: an unknown key, or a value of the wrong type, is an error
that names the file and the key, so a typo (`timout = 5`) is never silently ignored; values
then pass the same checks as a flag's (citecheck.settings.check_value).
Relative paths in the file (`baseline`, `output`, `cache_dir`…) are relative to the file.

tomllib and typing are imported only when a file exists: the offline pre-commit path
without a configuration file pays for one `stat` per folder, nothing more.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import fields, is_dataclass, replace

from citecheck.config import ArchiveConfig, Config, Suppression
from citecheck.settings import SettingError, validate

TYPE_CHECKING = False  # `typing` stays off the offline path (see cli.py)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

FILE_NAMES = ("citecheck.toml", ".citecheck.toml", "pyproject.toml")
PATH_KEYS = ("output", "baseline", "write_baseline", "cache_dir")
"""Keys holding a path: resolved against the configuration file's folder."""


class ConfigError(SettingError):
    """A configuration file that cannot be used: exit 2 with one line naming file and key."""


def find(start: str) -> str | None:
    """The configuration file that applies to inputs in the folder `start`, if any."""
    folder = os.path.abspath(start)
    while True:
        for name in FILE_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and (
                name != "pyproject.toml" or _mentions_citecheck(candidate)
            ):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def resolve(
    files: Sequence[str], explicit: str | None = None, isolated: bool = False
) -> tuple[Config, str | None]:
    """The configuration from the file that applies to `files` (or `explicit`), on top of
    the defaults, with the path of the file it came from (None when there is none)."""
    if isolated:
        return Config(), None
    if explicit is not None:
        if os.path.isdir(explicit):
            raise ConfigError(f"{explicit}: is a directory, not a configuration file")
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such configuration file")
        path: str | None = explicit
    else:
        first = next((f for f in files if f != "-"), None)
        if first is None:
            start = os.getcwd()
        else:  # a folder input is searched from itself, a file or a glob from its folder
            start = first if os.path.isdir(first) else os.path.dirname(os.path.abspath(first))
        path = find(start)
    if path is None:
        return Config(), None
    table = read_table(path, required=explicit is not None)
    if table is None:  # a pyproject.toml that only mentions citecheck elsewhere
        return Config(), None
    return from_table(table, path), path


def read_table(path: str, required: bool = False) -> dict[str, Any] | None:
    """The citecheck table of a configuration file, as parsed TOML."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except ValueError:  # an integer past Python's 4,300-digit conversion limit
        raise ConfigError(f"{path}: not valid TOML (a number too long to read)") from None
    except (RecursionError, MemoryError):
        raise ConfigError(f"{path}: not valid TOML (nested too deeply)") from None
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("citecheck") if isinstance(tool, dict) else None
        if table is None:
            if required:
                raise ConfigError(f"{path}: has no [tool.citecheck] table")
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: tool.citecheck must be a table")
        return table
    return data


def from_table(table: dict[str, Any], path: str = "<config>") -> Config:
    """A Config from a parsed table; every key and value is checked."""
    where = "tool.citecheck" if os.path.basename(path) == "pyproject.toml" else ""
    if isinstance(table.get("format"), str):  # one format, as a string
        table = {**table, "format": [table["format"]]}
    config = _dataclass(Config, table, path, where)
    folder = os.path.dirname(os.path.abspath(path))
    given = _given(table)
    paths = {
        key: os.path.normpath(os.path.join(folder, value))
        for key in PATH_KEYS
        if isinstance(value := getattr(config, key, None), str) and key in given
    }
    upper = lambda codes: tuple(c.strip().upper() for c in codes)  # noqa: E731
    config = replace(
        config,
        **paths,
        format=tuple(_format_path(spec, folder) for spec in config.format),
        severity={code: level.lower() for code, level in config.severity.items()},
        select=upper(config.select),
        ignore=upper(config.ignore),
        suppress=tuple(replace(s, codes=upper(s.codes)) for s in config.suppress),
    )
    validate(config, f"{path}: {where + '.' if where else ''}")
    return config


def _format_path(spec: str, folder: str) -> str:
    name, _, target = spec.partition(":")
    return f"{name}:{os.path.normpath(os.path.join(folder, target))}" if target else spec


# --- reading values by type ----------------------------------------------------------------


def _dataclass(cls: type, table: Any, path: str, where: str) -> Any:
    import typing

    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where or 'the file'} must be a table")
    hints = typing.get_type_hints(cls, localns=_NAMES)
    known = {f.name for f in fields(cls)}
    values = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in known:
            raise ConfigError(f"{path}: unknown key {_name(where, raw_key)!r}{_hint(key, known)}")
        values[key] = _value(value, hints[key], path, _name(where, raw_key))
    return cls(**values)


def _value(value: Any, tp: Any, path: str, key: str) -> Any:
    import types
    import typing

    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _value(value, options[0], path, key)
    if tp is typing.Any:
        return value
    if is_dataclass(tp):
        return _dataclass(tp, value, path, key)
    if origin is tuple:
        if not isinstance(value, list):
            raise _type_error(path, key, "a list", value)
        return tuple(_value(v, args[0], path, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise _type_error(path, key, "a table", value)
        return {
            _dict_key(k, key): _value(v, args[1], path, f"{key}.{k}") for k, v in value.items()
        }
    if tp is bool:
        if not isinstance(value, bool):
            raise _type_error(path, key, "true or false", value)
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _type_error(path, key, "a whole number", value)
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _type_error(path, key, "a number", value)
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise _type_error(path, key, "a string", value)
        return value
    if tp is dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise _type_error(path, key, "a date (YYYY-MM-DD)", value)
    raise ConfigError(f"{path}: {key}: cannot be set in a configuration file")


def _dict_key(key: str, table: str) -> str:
    # Rule codes are upper case wherever they are written.
    return key.upper() if table.rsplit(".", 1)[-1] == "severity" else key


def _type_error(path: str, key: str, expected: str, value: Any) -> ConfigError:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return ConfigError(f"{path}: {key}: expected {expected}, got {shown}")


def _name(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _hint(key: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _given(table: dict[str, Any]) -> set[str]:
    return {k.replace("-", "_") for k in table}


def _mentions_citecheck(path: str) -> bool:
    """Read pyproject.toml as text first: most do not configure citecheck, and then TOML is
    never parsed (nor tomllib imported)."""
    import re

    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return False
    return "tool.citecheck" in text or re.search(r"tool\s*\.\s*\"?citecheck", text) is not None


_NAMES = {"dt": dt, "Config": Config, "ArchiveConfig": ArchiveConfig, "Suppression": Suppression}


# --- showing the resolved configuration -----------------------------------------------------


def show(config: Config, source: str | None) -> str:
    """The resolved configuration as a citecheck.toml: every key, defaults included, so a
    user sees what a run will do and can copy any line into their own file."""
    origin = f"{source}, then " if source else "no configuration file; "
    out = [
        "# citecheck: resolved configuration",
        f"# from: defaults, {origin}command-line flags (the flag wins)",
        "",
    ]
    tables: list[tuple[str, Any]] = []
    arrays: list[tuple[str, tuple[Any, ...]]] = []
    for f in fields(config):
        value = getattr(config, f.name)
        if is_dataclass(value) or isinstance(value, dict):
            tables.append((f.name, value))
        elif isinstance(value, tuple) and value and is_dataclass(value[0]):
            arrays.append((f.name, value))
        elif isinstance(value, tuple) and not value and f.name == "suppress":
            out.append("# suppress: none ([[suppress]] tables)")
        else:
            out.append(_line(f.name, value))
    for name, value in tables:
        out.append("")
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            out.append(f"[{name}]  # one table per host")
            for host, inner in value.items():
                out.append(f"[{name}.{_key(host)}]")
                out.extend(_line(k, v) for k, v in inner.items())
            continue
        out.append(f"[{name}]")
        items = (
            [(g.name, getattr(value, g.name)) for g in fields(value)]
            if is_dataclass(value) else list(value.items())
        )
        out.extend(_line(k, v) for k, v in items)
    for name, entries in arrays:
        for entry in entries:
            out.append("")
            out.append(f"[[{name}]]")
            out.extend(
                _line(g.name, getattr(entry, g.name)) for g in fields(entry)
            )
    return "\n".join(out) + "\n"


def _line(key: str, value: Any) -> str:
    if value is None:
        return f"# {key} = (not set)"
    return f"{_key(key)} = {_toml(value)}"


def _key(key: Any) -> str:
    import re

    key = str(key)
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)


def _toml(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        from citecheck.report.escape import toml_escaped  # nothing invisible on a terminal

        return toml_escaped(json.dumps(value, ensure_ascii=False))  # JSON escapes are TOML's
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")
