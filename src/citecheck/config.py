"""One configuration type for the CLI and for configuration files.

Every command-line option has a key here with the same name (dashes become underscores);
the CLI builds a `Config` from file values first and its own flags second, so the flag wins.
Defaults protect the user (DESIGN.md §9): no private addresses, bounded time and bodies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

from citecheck import PROJECT_URL, __version__

TYPE_CHECKING = False  # keeps `typing` off the start-up path
if TYPE_CHECKING:
    from typing import Any

DEFAULT_USER_AGENT = (
    f"Mozilla/5.0 (compatible; citecheck/{__version__}; +{PROJECT_URL}) citation checker"
)


@dataclass(frozen=True)
class ArchiveConfig:
    """Where snapshots are looked up (DESIGN.md §6); endpoints are configuration so tests
    can point them at a local server."""

    enabled: bool = True
    """False (--no-archive): no snapshot look-ups, so no A501-A504."""
    wayback_available: str = "https://archive.org/wayback/available"
    """Wayback availability API, asked first (one cheap answer). Empty: not used."""
    wayback_cdx: str = "https://web.archive.org/cdx/search/cdx"
    """Wayback CDX API, asked when the availability answer does not settle the look-up: it
    lists every capture with its status, so "nearest before, status 200" can be enforced.
    Empty: not used."""
    wayback_replay: str = ""
    """Where CDX captures are replayed (`<replay><timestamp>/<url>`). Empty: `/web/` on the
    CDX endpoint's host, as on web.archive.org."""
    timegates: tuple[str, ...] = ("https://web.archive.org/web/",)
    """Memento TimeGates (RFC 7089), asked with Accept-Datetime when Wayback found no capture
    on or before the target date; the original URL is appended to each."""
    drift: bool = True
    """Compare live pages that have an access date with their snapshot (A503)."""
    drift_threshold: float = 0.5
    """Share of the snapshot's main text that must be gone before A503 fires."""
    drift_window: int = 366
    """Days: a snapshot further than this from the access date says nothing about what the
    author read, and is not compared (0: no limit)."""
    interval: float = 1.0
    """Seconds between requests to one archive host: the archives are a shared resource."""
    concurrency: int = 2
    """Requests in flight to one archive host at once."""
    timeout: float = 20.0
    """Seconds for one archive request, connect to last byte: the availability API is often
    slow, and a hung archive must still not stall the run (see archive/http.py)."""
    retries: int = 2
    """Retries of a transient archive failure (429, 5xx, a reset connection). A timeout is
    not retried: the archive is switched off for the run instead (archive/http.py)."""
    max_retry_after: float = 30.0
    """Seconds: the longest Retry-After honoured by waiting; a longer one means the archive is
    not asked again this run (A504)."""
    max_answer: int = 4 * 1024 * 1024
    """Bytes read of one archive answer (a CDX listing, a snapshot page)."""


@dataclass(frozen=True)
class Suppression:
    """One `[[suppress]]` entry: findings of `codes` (prefixes; empty for all) about a note
    whose text contains `note`, in files matching the glob `path`, with a URL matching the
    regular expression `url`. Unset fields match everything. See citecheck.suppress."""

    codes: tuple[str, ...] = ()
    path: str | None = None
    note: str | None = None
    url: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Config:
    # What is reported
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    """Per-rule severity overrides, e.g. {"N104": "error"}; "off" disables the rule."""
    fail_on: str = "error"
    format: tuple[str, ...] = ("text",)
    """Report formats, each `FMT` or `FMT:PATH` (several from one run); a format without a
    path goes to `output`, or to stdout."""
    output: str | None = None
    quiet: bool = False
    verbose: bool = False
    statistics: bool = False
    """Count findings per rule instead of listing them (ruff's --statistics)."""
    color: str = "auto"
    """auto (a terminal, unless NO_COLOR; FORCE_COLOR forces it), always or never."""
    as_of: dt.date | None = None

    # Input
    input_format: str | None = None
    """Read every input as this format (text, markdown, html, docx, pdf) rather than as its
    extension and content say."""
    stdin_filename: str | None = None
    """The name stdin ('-') is reported under; its extension chooses the format."""
    encoding: str | None = None
    """Decode text inputs with this codec rather than detecting UTF-8/UTF-16/Windows-1252."""
    exclude_path: tuple[str, ...] = ()
    """Globs: files a folder or glob input finds that are not checked (named files are)."""

    # Network
    offline: bool = False
    max_concurrency: int = 64
    host_concurrency: int = 8
    host_interval: float = 0.0
    """Milliseconds between two requests to one host."""
    timeout: float = 20.0
    """Seconds for one request, connect to last byte read. A link gets twice that in all:
    every redirect, retry and wait included (net/http.py)."""
    max_time: float = 300.0
    """Seconds for the whole online stage (links, archives, drift); links still unchecked
    then are reported as not checked (timeout), never dead, and the report is written."""
    connect_timeout: float = 10.0
    retries: int = 2
    retry_backoff: float = 0.5
    """Seconds: the first wait before a retry; it doubles each time, with jitter."""
    max_redirects: int = 10
    max_body: int = 256 * 1024
    network_probe: tuple[str, ...] = (
        "example.com:443", "www.wikipedia.org:443", "one.one.one.one:443",
    )
    """Well-known names ("host:port") tried when no link's host answered: if none of them
    resolves and connects either, the network is down (exit 3) rather than every link dead.
    Names, not addresses, so that a resolver failing every name counts as down. Empty: never
    decide "down"."""
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False
    exclude: tuple[str, ...] = ()
    """Regular expressions (RE2 syntax, run in linear time: citecheck.patterns); a URL
    matching one is not checked (verdict skipped)."""
    accept: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Per-host statuses to accept as ok, e.g. {"example.com": (403,)}."""
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per-host extra request headers."""
    paywall_hosts: tuple[str, ...] = ()

    # Quotations (citecheck.quotes)
    quotes: bool = True
    """Look for the words the body quotes in the sources their notes cite (Q601, Q602)."""
    quote_max_body: int = 20 * 1024 * 1024
    """Bytes read of one cited source searched for a quotation (a report's PDF is larger than
    what a link check reads); a larger source is not searched, and the report says so."""
    doi_resolver: str = "https://doi.org/api/handles/"
    """The DOI handle API: a cited DOI is asked here (the DOI is appended) whether it is
    registered and where it leads (net/doi.py). Empty: DOIs are checked as plain links."""

    # Cache
    cache: bool = True
    cache_dir: str | None = None
    cache_ttl: float = 24 * 3600.0
    """Seconds a successful result stays fresh; failures are rechecked sooner."""

    archive: ArchiveConfig = field(default_factory=ArchiveConfig)

    # CI gate and suppressions (citecheck.suppress, citecheck.baseline)
    baseline: str | None = None
    """A baseline file: findings recorded in it are reported but do not fail the gate."""
    write_baseline: str | None = None
    """Write every finding of this run to this baseline file (and pass the gate)."""
    suppress: tuple[Suppression, ...] = ()
    """Findings an editor accepted, for formats that cannot hold an ignore comment."""

    def with_overrides(self, values: dict[str, Any]) -> Config:
        """A copy with `values` (None means "not given") applied on top."""
        given = {k: v for k, v in values.items() if v is not None}
        return replace(self, **given)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
