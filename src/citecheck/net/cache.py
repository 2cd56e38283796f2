"""Link results remembered between runs, in SQLite in the user cache directory.

A rerun within the TTL makes no request at all (a pre-commit hook, a cheap CI rerun). Failures
are rechecked sooner than successes, and each URL's failure history is kept: the report says
"failing since …".

A stored result is reused only when made under the same settings that shape a verdict
(`settings_key`); changing one rechecks, but keeps the history. The file is input like any
other (a CI cache restored between jobs may carry anything): a row that is not what we write
(an unknown verdict, a timestamp out of range or in the future) is dropped, not obeyed, and a
file that is not a database is moved aside and made anew.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from citecheck.config import Config
from citecheck.model import Hop, LinkResult, Verdict

SCHEMA_VERSION = 1
CLASSIFIER_VERSION = 2  # bump when verdicts change meaning: every stored result is then rechecked

# How long a verdict stays fresh, as a share of Config.cache_ttl (24 h by default).
TTL_SHARE = {
    Verdict.OK: 1.0, Verdict.MOVED: 1.0, Verdict.PAYWALL: 1.0, Verdict.DEAD: 0.25,
    Verdict.SOFT_404: 0.25, Verdict.BLOCKED: 0.25, Verdict.TIMEOUT: 1 / 24,
    Verdict.ERROR: 1 / 24, Verdict.SKIPPED: 0.0,
}
FAILED = (Verdict.DEAD, Verdict.SOFT_404, Verdict.TIMEOUT, Verdict.ERROR)
"""Verdicts that count towards a URL's failure history."""


def settings_key(config: Config) -> str:
    parts = {
        "v": CLASSIFIER_VERSION,
        "accept": sorted((k, list(v)) for k, v in config.accept.items()),
        "paywall": sorted(config.paywall_hosts),
        "headers": sorted((k, sorted(v.items())) for k, v in config.headers.items()),
        "ua": config.user_agent,
        "private": config.allow_private,
        "body": config.max_body,
        "timeout": [config.timeout, config.connect_timeout],
        "retries": [config.retries, config.retry_backoff],
        "redirects": config.max_redirects,
        "doi": config.doi_resolver,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def ttl(verdict: Verdict, base: float) -> float:
    return base * TTL_SHARE.get(verdict, 0.0)


def with_history(result: LinkResult, previous: LinkResult | None, now: dt.datetime) -> LinkResult:
    """`result` carrying the failure count and first-failure time across runs."""
    if result.verdict not in FAILED:
        if result.failures == 0 and result.failing_since is None:
            return result
        return replace(result, failures=0, failing_since=None)
    if previous is not None and previous.verdict in FAILED and previous.failures > 0:
        return replace(
            result, failures=previous.failures + 1,
            failing_since=previous.failing_since or previous.checked_at or now,
        )
    return replace(result, failures=1, failing_since=now)


LINK_COLUMNS = ("url TEXT PRIMARY KEY, schema INTEGER, settings TEXT, result TEXT, "
                "checked_at REAL, failures INTEGER, failing_since REAL")


def default_path(config: Config) -> Path:
    if config.cache_dir:
        return Path(config.cache_dir).expanduser() / "links.sqlite3"
    import platformdirs

    return Path(platformdirs.user_cache_dir("citecheck")) / "links.sqlite3"


def connect(config: Config, name: str, columns: str) -> sqlite3.Connection | None:
    """The shared cache file with table `name` (`columns`) ready, or None when it cannot be
    used (a read-only home, say): the caller then works without a cache. A file that is not a
    database is moved aside (`links.sqlite3.corrupt`) and a new one made; a table of another
    shape (an older citecheck's) is made anew."""
    db = _connect(config, name, columns)
    return None if isinstance(db, str) else db


def problem(config: Config) -> str | None:
    """Why the cache cannot be used, if it cannot: said when the user named its folder
    (`cache_dir`), whose run would otherwise go without a cache in silence."""
    db = _connect(config, "links", LINK_COLUMNS)
    if isinstance(db, str):
        return db
    db.close()
    return None


def _connect(config: Config, name: str, columns: str) -> sqlite3.Connection | str:
    path = default_path(config)
    for attempt in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=5.0)
            try:
                db.execute("PRAGMA journal_mode=WAL")  # parallel runs (pre-commit) share it
                db.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
                wanted = [c.split()[0] for c in columns.split(", ")]
                found = [row[1] for row in db.execute(f"PRAGMA table_info({name})")]
                if found != wanted:
                    with db:
                        db.execute(f"DROP TABLE {name}")
                        db.execute(f"CREATE TABLE {name} ({columns})")
            except sqlite3.Error:
                db.close()
                raise
            return db
        except sqlite3.DatabaseError as exc:
            if attempt or not _move_aside(path):
                return str(exc)
        except OSError as exc:
            return exc.strerror or str(exc)
        except sqlite3.Error as exc:
            return str(exc)
    return "not a database"


def _move_aside(path: Path) -> bool:
    try:
        path.replace(path.with_name(path.name + ".corrupt"))
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    except OSError:
        return False
    return True


@dataclass
class LinkCache:
    """One SQLite file; concurrent runs (parallel pre-commit hooks) share it through WAL."""

    db: sqlite3.Connection
    settings: str

    @classmethod
    def open(cls, config: Config) -> LinkCache | None:
        """The cache, or None when it cannot be used (then every link is simply checked)."""
        db = connect(config, "links", LINK_COLUMNS)
        return None if db is None else cls(db, settings_key(config))

    def load(self, urls: Sequence[str]) -> dict[str, tuple[LinkResult, bool]]:
        """Stored results by URL, each with whether it was made under the current settings."""
        found: dict[str, tuple[LinkResult, bool]] = {}
        try:
            for i in range(0, len(urls), 500):
                chunk = list(urls[i : i + 500])
                rows = self.db.execute(
                    "SELECT url, schema, settings, result, checked_at, failures, failing_since "
                    f"FROM links WHERE url IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                for url, schema, settings, blob, checked, failures, since in rows:
                    if schema != SCHEMA_VERSION:
                        continue
                    result = _decode(url, blob, checked, failures, since)
                    if result is not None:
                        found[url] = (result, settings == self.settings)
        except sqlite3.Error:
            return {}
        return found

    def store(self, results: Iterable[LinkResult]) -> None:
        rows = [
            (
                r.url, SCHEMA_VERSION, self.settings, _encode(r),
                r.checked_at.timestamp() if r.checked_at else time.time(),
                r.failures, r.failing_since.timestamp() if r.failing_since else None,
            )
            for r in results
            if r.verdict is not Verdict.SKIPPED and not r.from_cache
        ]
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, ?)", rows
                )
        except sqlite3.Error:
            pass  # a cache that cannot be written costs the next run time, nothing else

    def close(self) -> None:
        self.db.close()


def fresh(result: LinkResult, now: dt.datetime, base_ttl: float) -> bool:
    if result.checked_at is None:
        return False
    return (now - result.checked_at).total_seconds() < ttl(result.verdict, base_ttl)


def _encode(r: LinkResult) -> str:
    return json.dumps({
        "verdict": r.verdict.value, "status": r.status, "final_url": r.final_url,
        "chain": [[h.url, h.status] for h in r.chain], "elapsed": r.elapsed,
        "detail": r.detail, "reason": r.reason,
    })


def _when(value: object) -> dt.datetime:
    """A stored timestamp, or ValueError: finite, after 1970, and not in the future (a row
    "checked" in 3000 would stay fresh for ever)."""
    if not isinstance(value, int | float) or not 0 <= value <= time.time() + 86400:
        raise ValueError("timestamp out of range")
    return dt.datetime.fromtimestamp(value, dt.UTC)


def _decode(
    url: str, blob: object, checked: object, failures: object, since: object
) -> LinkResult | None:
    """The stored result, or None for a row that is not what `_encode` writes."""
    try:
        d = json.loads(blob)  # type: ignore[arg-type]
        status, chain, elapsed = d.get("status"), d.get("chain", []), d.get("elapsed", 0.0)
        texts = (d.get("final_url") or "", d.get("detail", ""), d.get("reason", ""))
        if not (
            (status is None or (isinstance(status, int) and 100 <= status <= 999))
            and all(isinstance(u, str) and isinstance(s, int) for u, s in chain)
            and isinstance(elapsed, int | float) and math.isfinite(elapsed)
            and all(isinstance(t, str) for t in texts) and isinstance(failures, int | None)
        ):
            return None
        return LinkResult(
            url, Verdict(d["verdict"]), status, d.get("final_url"),
            tuple(Hop(u, s) for u, s in chain), elapsed, texts[1],
            checked_at=_when(checked), failing_since=None if since is None else _when(since),
            failures=max(0, failures or 0), from_cache=True, reason=texts[2],
        )
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, OSError,
            RecursionError):
        return None
