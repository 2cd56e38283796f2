"""Every option of a run, and the one set of checks each value passes wherever it comes from.

A value reaches a run from a flag, a `CITECHECK_<OPTION>` environment variable or a
configuration file, and the one that wins is, in order:

    flag  >  environment  >  configuration file  >  default

Flags and environment variables are text, read by `parse` (the same reader for both);
configuration files are typed TOML, read by configfile.py. Every value from every source
then passes `check_value`, so `timeout = 0` in a file, `CITECHECK_TIMEOUT=0` and
`--timeout 0` are refused alike, each with one line naming where the value came from.

This module is data and plain functions: the CLI builds its click options from `OPTIONS`.
"""

from __future__ import annotations

import datetime as dt
import math

from citecheck.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from citecheck.config import Config

ENV_PREFIX = "CITECHECK_"
INPUT_FORMATS = ("text", "markdown", "html", "docx", "pdf")
FAIL_LEVELS = ("error", "warning", "info", "never")
COLORS = ("auto", "always", "never")
SEVERITIES = ("error", "warning", "info", "off")


class SettingError(InputError):
    """A value no run can use: exit 2, one line naming the flag, variable or file key."""


class Option:
    """One command-line option. `key` is its Config field (None: it acts on one run and has
    no key); `kind` says how its text is read: str, int, float, flag, date, codes, list."""

    __slots__ = ("choices", "flags", "group", "help", "key", "kind", "metavar")

    def __init__(self, group: str, flags: tuple[str, ...], key: str | None, kind: str,
                 metavar: str, help: str, choices: tuple[str, ...] = ()) -> None:
        self.group, self.flags, self.key, self.kind = group, flags, key, kind
        self.metavar, self.help, self.choices = metavar, help, choices

    @property
    def name(self) -> str:
        """The long flag without dashes, with underscores: click's parameter name."""
        return self.flags[-1].lstrip("-").replace("-", "_")

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


_I, _R, _L, _C = "input", "report", "links", "configuration and CI gate"
OPTIONS: tuple[Option, ...] = (
    Option(_I, ("--input-format",), "input_format", "str", "FORMAT",
           "read every input as this format (default: by extension and content)",
           INPUT_FORMATS),
    Option(_I, ("--stdin-filename",), "stdin_filename", "str", "NAME",
           "the name stdin ('-') is reported under; its extension chooses the format"),
    Option(_I, ("--encoding",), "encoding", "str", "CODEC",
           "decode text inputs with CODEC (default: UTF-8, UTF-16 with a BOM, else "
           "Windows-1252 with a note)"),
    Option(_I, ("--exclude-path",), "exclude_path", "list", "GLOB",
           "skip files a folder or glob finds that match GLOB (repeatable)"),
    Option(_R, ("--format",), "format", "list", "FMT[:PATH]",
           "report format: text, concise, json, sarif, github, gitlab, junit, markdown; "
           "repeat for several, each to stdout, --output or its own :PATH"),
    Option(_R, ("-o", "--output"), "output", "str", "FILE",
           "write the report (of the format without a :PATH) to FILE"),
    Option(_R, ("--fail-on",), "fail_on", "str", "LEVEL",
           "lowest severity that makes the exit code 1 (default error)", FAIL_LEVELS),
    Option(_R, ("--select",), "select", "codes", "CODES",
           "only these rule codes or prefixes (comma-separated)"),
    Option(_R, ("--ignore",), "ignore", "codes", "CODES",
           "skip these rule codes or prefixes; the longest prefix wins"),
    Option(_R, ("--as-of",), "as_of", "date", "YYYY-MM-DD",
           "date no access date may be after (default today)"),
    Option(_R, ("--statistics",), "statistics", "flag", "",
           "count findings per rule instead of listing them"),
    Option(_R, ("--color",), "color", "str", "WHEN",
           "colour the text report: auto (a terminal; NO_COLOR, FORCE_COLOR), always, never",
           COLORS),
    Option(_R, ("-q", "--quiet"), "quiet", "flag", "", "print findings only"),
    Option(_R, ("-v", "--verbose"), "verbose", "flag", "",
           "also print every note's parse: kind, URLs, access dates"),
    Option(_L, ("--offline",), "offline", "flag", "", "do not check links; offline rules only"),
    Option(_L, ("--max-concurrency",), "max_concurrency", "int", "N",
           "requests in flight at once (default 64)"),
    Option(_L, ("--host-concurrency",), "host_concurrency", "int", "N",
           "requests in flight to one host (default 8)"),
    Option(_L, ("--host-interval",), "host_interval", "float", "MS",
           "minimum milliseconds between requests to one host"),
    Option(_L, ("--timeout",), "timeout", "float", "S",
           "seconds for one request (default 20); a link gets at most 2×S in all, redirects, "
           "retries and waits included, and a Retry-After longer than S is not waited for"),
    Option(_L, ("--retries",), "retries", "int", "N",
           "retries of a transient failure (default 2)"),
    Option(_L, ("--max-time",), "max_time", "float", "S",
           "seconds for all link and archive checks (default 300); links not checked by then "
           "are reported as not checked, never dead, and the report is written"),
    Option(_L, ("--allow-private",), "allow_private", "flag", "",
           "allow fetching private, loopback and link-local addresses"),
    Option(_L, ("--no-cache",), "cache", "flag", "", "neither read nor write the result cache"),
    Option(_L, ("--cache-ttl",), "cache_ttl", "float", "S",
           "seconds a cached success stays fresh (default 86400)"),
    Option(_L, ("--no-archive",), "archive.enabled", "flag", "",
           "do not look up archived snapshots"),
    Option(_L, ("--no-quotes",), "quotes", "flag", "",
           "do not look for quoted words in the cited sources (Q601, Q602)"),
    Option(_L, ("--exclude",), "exclude", "list", "REGEX",
           "do not check URLs matching REGEX (RE2 syntax; repeatable)"),
    Option(_L, ("--fix-archive",), None, "str", "OUTPUT",
           "write a copy of the brief with each dead or soft-404 URL followed by its archived "
           "copy (a directory for several files; never the input)"),
    Option(_L, ("--suggest",), None, "flag", "",
           "print the archived-copy replacements instead of the report"),
    Option(_C, ("--config",), None, "str", "FILE",
           "read this configuration file instead of finding one upward from the first input"),
    Option(_C, ("--no-config",), None, "flag", "",
           "ignore configuration files: defaults, environment and flags only"),
    Option(_C, ("--show-config",), None, "flag", "",
           "print the resolved configuration as TOML and exit"),
    Option(_C, ("--baseline",), "baseline", "str", "FILE",
           "findings recorded in FILE are reported but do not fail the run"),
    Option(_C, ("--write-baseline",), "write_baseline", "str", "FILE",
           "record every finding of this run in FILE (the run then passes)"),
)
SUMMARY = ("Verify the endnotes, back-references, access dates and links of publications "
           "(text, Markdown, HTML, Word, PDF; folders are searched, '-' reads stdin).")
EPILOG = ("Other commands: `citecheck rules [CODE]` explains the rules, `citecheck cache "
          "{info,clean}` shows or empties the result cache. Every option with a value can "
          "be set as CITECHECK_<OPTION> (e.g. CITECHECK_FAIL_ON=warning): a flag wins over "
          "the environment, which wins over the configuration file. Exit codes: 0 clean, 1 "
          "findings at or above --fail-on, 2 usage or input error, 3 the check could not run.")


def complete_format(ctx: Any, param: Any, incomplete: str) -> list[str]:
    """Shell completion of --format's value (click calls it with its context)."""
    from citecheck.report import FORMATS

    return [name for name in FORMATS if name.startswith(incomplete)]


NEGATED = {"cache", "archive.enabled", "quotes"}
"""Keys a flag turns off (--no-cache sets cache = false)."""

# --- reading text (flags and environment variables) ---------------------------------------


def parse(option: Option, text: str | tuple[str, ...] | bool) -> Any:
    """The typed value of a flag's or variable's text (a tuple for a repeated flag)."""
    kind = option.kind
    if kind == "flag":
        value = text if isinstance(text, bool) else _boolean(str(text))
        return (not value) if option.key in NEGATED else value
    if kind == "codes":
        items = (text,) if isinstance(text, str) else tuple(text)
        return tuple(c.strip().upper() for item in items for c in item.split(",") if c.strip())
    if kind == "list":  # a repeated flag gives a tuple; a variable separates by spaces
        return tuple(text) if isinstance(text, tuple) else tuple(str(text).split())
    assert isinstance(text, str)
    if kind in _CONVERT:
        convert, wrong = _CONVERT[kind]
        try:
            return convert(text.strip())
        except ValueError:
            raise ValueError(f"{text!r} {wrong}") from None
    return text


_CONVERT: dict[str, tuple[Callable[[str], Any], str]] = {
    "int": (int, "is not a whole number"),
    "float": (float, "is not a number"),
    "date": (dt.date.fromisoformat, "is not a date in the form YYYY-MM-DD"),
}
"""How the text of a typed option is read, and what is said when it cannot be."""


def _boolean(text: str) -> bool:
    low = text.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{text!r} is not true or false (1/0, true/false, yes/no, on/off)")


def from_environment(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Values of the `CITECHECK_*` variables that are set: ({key: value}, {key: variable}).
    A list in a variable is separated by spaces (codes by commas, as on the command line)."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for option in OPTIONS:
        if option.key is None or option.env not in env:
            continue
        try:
            value = parse(option, env[option.env])
            check_value(option.key, value)
        except ValueError as exc:
            raise SettingError(f"{option.env}: {exc}") from None
        values[option.key], origins[option.key] = value, option.env
    return values, origins


def unknown_variables(env: Mapping[str, str]) -> list[str]:
    """`CITECHECK_*` names that are close to an option's but are none (a typo)."""
    known = {o.env for o in OPTIONS} | {"CITECHECK_CONFIG", "CITECHECK_NO_CONFIG"}
    out = []
    for name in env:
        if name.startswith(ENV_PREFIX) and name not in known:
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.85)
            if close:
                out.append(f"{name} is not a citecheck setting (did you mean {close[0]}?)")
    return out


# --- checking a value, whatever its source ----------------------------------------------------

BOUNDS: dict[str, tuple[float, float, str]] = {
    "max_concurrency": (1, 10_000, ""),
    "host_concurrency": (1, 1_000, ""),
    "host_interval": (0, 3_600_000, " ms"),
    "timeout": (0.1, 3600, " s"),
    "max_time": (1, 86400, " s"),
    "connect_timeout": (0.1, 3600, " s"),
    "retries": (0, 20, ""),
    "retry_backoff": (0, 600, " s"),
    "max_redirects": (0, 100, ""),
    "max_body": (1024, 1 << 30, " bytes"),
    "quote_max_body": (1024, 1 << 31, " bytes"),
    "cache_ttl": (0, 10 * 366 * 86400, " s"),
    "archive.interval": (0, 3600, " s"),
    "archive.concurrency": (1, 100, ""),
    "archive.timeout": (0.1, 3600, " s"),
    "archive.retries": (0, 20, ""),
    "archive.max_retry_after": (0, 86400, " s"),
    "archive.max_answer": (1024, 1 << 30, " bytes"),
    "archive.drift_threshold": (0, 1, ""),
    "archive.drift_window": (0, 100_000, " days"),
}
CHOICES = {"fail_on": FAIL_LEVELS, "color": COLORS, "input_format": INPUT_FORMATS}
_ENDPOINTS = ("archive.wayback_available", "archive.wayback_cdx", "archive.wayback_replay",
              "doi_resolver")
_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def check_value(key: str, value: Any) -> None:
    """Raise ValueError (message without the key) unless `value` is usable for `key`."""
    if value is None:
        return
    if key in BOUNDS:
        low, high, unit = BOUNDS[key]
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
        if not low <= value <= high:
            side = "below the minimum" if value < low else "above the maximum"
            raise ValueError(f"{_num(value)} is {side} of {_num(low if value < low else high)}"
                             f"{unit}")
    elif key in CHOICES and value not in CHOICES[key]:
        raise ValueError(f"{value!r} is not one of {', '.join(CHOICES[key])}")
    elif key in ("select", "ignore"):
        from citecheck.rules.selection import unknown_codes

        bad = unknown_codes(value)
        if bad:
            raise ValueError(f"no rule code starts with {', '.join(bad)}")
    elif key == "format":
        _check_formats(value)
    elif key in ("exclude", "suppress.url"):
        from citecheck.patterns import compile_pattern

        for pattern in value if isinstance(value, tuple) else (value,):
            compile_pattern(pattern)
    elif key == "encoding":
        import codecs

        try:
            text_codec = codecs.lookup(value)._is_text_encoding  # rot13, base64: not text
        except LookupError:
            text_codec = False
        if not text_codec:
            raise ValueError(f"{value!r} is not a text encoding Python knows")
    elif key == "user_agent":
        _header_value(value)
    elif key == "headers":
        for host, table in value.items():
            for name, text in table.items():
                if not name or not set(name) <= _TOKEN:
                    raise ValueError(f"{host}: {name!r} is not an HTTP header name")
                _header_value(text, f"{host}.{name}: ")
    elif key == "accept":
        for host, statuses in value.items():
            wrong = [s for s in statuses if not 100 <= s <= 999]  # LinkedIn answers 999
            if wrong:
                raise ValueError(f"{host}: {wrong[0]} is not an HTTP status")
    elif key == "network_probe":
        for probe in value:
            host, _, port = probe.rpartition(":")
            if not host or not port.isdigit() or not 0 < int(port) < 65536 or _controls(host):
                raise ValueError(f"{probe!r} is not host:port")
    elif key in _ENDPOINTS or key == "archive.timegates":
        for url in value if isinstance(value, tuple) else (value,):
            if url and (not url.startswith(("http://", "https://")) or _controls(url)
                        or " " in url):
                raise ValueError(f"{url!r} is not an http(s) URL")
    elif isinstance(value, str) and _controls(value, allow_tab=False):
        raise ValueError(f"{value!r} holds control characters")
    elif isinstance(value, tuple) and any(isinstance(v, str) and _controls(v) for v in value):
        raise ValueError("an entry holds control characters")


def validate(config: Config, origin: str) -> None:
    """Check every value of `config` (defaults and file values alike); `origin` prefixes
    the key in the message ("citecheck.toml: timeout: …")."""
    from dataclasses import fields

    def fail(key: str, exc: ValueError) -> SettingError:
        return SettingError(f"{origin}{key}: {exc}")

    for f in fields(config):
        value = getattr(config, f.name)
        if f.name == "archive":
            for g in fields(value):
                try:
                    check_value(f"archive.{g.name}", getattr(value, g.name))
                except ValueError as exc:
                    raise fail(f"archive.{g.name}", exc) from None
        elif f.name == "severity":
            _check_severity(value, origin)
        elif f.name == "suppress":
            _check_suppress(value, origin)
        else:
            try:
                check_value(f.name, value)
            except ValueError as exc:
                raise fail(f.name, exc) from None


def _check_severity(value: dict[str, str], origin: str) -> None:
    from citecheck.rules.catalogue import RULES

    for code, level in value.items():
        if code not in RULES:
            raise SettingError(f"{origin}severity: no rule {code!r}")
        if level not in SEVERITIES:
            raise SettingError(f"{origin}severity.{code}: {level!r} is not one of "
                               f"{', '.join(SEVERITIES)}")


def _check_suppress(entries: tuple[Any, ...], origin: str) -> None:
    from citecheck.rules.selection import unknown_codes

    for i, s in enumerate(entries):
        bad = unknown_codes(s.codes)
        if bad:
            raise SettingError(f"{origin}suppress[{i}].codes: no rule code starts with "
                               f"{', '.join(bad)}")
        try:
            check_value("suppress.url", s.url)
        except ValueError as exc:
            raise SettingError(f"{origin}suppress[{i}].url: {exc}") from None


def _check_formats(specs: tuple[str, ...]) -> None:
    from citecheck.report import FORMATS

    if not specs:
        raise ValueError("name at least one format")
    targets: dict[str, str] = {}
    for spec in specs:
        name, _, path = spec.partition(":")
        if name not in FORMATS:
            raise ValueError(f"{name!r} is not one of {', '.join(FORMATS)}")
        if _controls(path, allow_tab=False):
            raise ValueError(f"{spec!r}: the path holds control characters")
        where = path or "-"
        if where in targets:
            raise ValueError(
                f"{targets[where]} and {name} would both go to "
                f"{'the same output' if where == '-' else path}: give one its own :PATH"
            )
        targets[where] = name


def _header_value(text: str, where: str = "") -> None:
    if _controls(text):
        raise ValueError(f"{where}{text!r} holds control characters (CR, LF, …)")
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"{where}{text!r} holds characters an HTTP header cannot") from None


def _controls(text: str, allow_tab: bool = True) -> bool:
    return any((ord(c) < 0x20 and not (allow_tab and c == "\t")) or 0x7F <= ord(c) <= 0x9F
               for c in text)


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- the four sources, merged ---------------------------------------------------------------


def resolve(
    given: Mapping[str, Any], env: Mapping[str, str], paths: tuple[str, ...] | list[str],
) -> tuple[Config, str | None]:
    """The run's Config and the file it read: defaults, then the configuration file, then
    `CITECHECK_*` variables, then the flags in `given` ({option name: click's value}, None
    or an empty tuple when not given). Raises SettingError (exit 2)."""
    from citecheck import configfile

    explicit = given.get("config") or env.get("CITECHECK_CONFIG") or None
    isolated = bool(given.get("no_config")) or _boolean(env.get("CITECHECK_NO_CONFIG", ""))
    config, source = configfile.resolve(paths, explicit, isolated)
    values, _ = from_environment(env)
    for option in OPTIONS:
        raw = given.get(option.name)
        if option.key is None or raw is None or raw == () or (option.kind == "flag" and not raw):
            continue
        try:
            value = parse(option, raw)
            check_value(option.key, value)
        except ValueError as exc:
            raise SettingError(f"{option.flags[-1]}: {exc}") from None
        values[option.key] = value
    return apply(config, values), source


def apply(config: Config, values: Mapping[str, Any]) -> Config:
    """`config` with `values` ({key: value}; `archive.x` for the archive table) set."""
    from dataclasses import replace

    top = {k: v for k, v in values.items() if "." not in k}
    archive = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("archive.")}
    if archive:
        top["archive"] = replace(config.archive, **archive)
    return replace(config, **top)
