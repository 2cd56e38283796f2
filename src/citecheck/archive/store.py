"""Archive answers remembered between runs, in the link checker's SQLite file.

The same file as the link results (net/cache.py's `default_path`, WAL mode, so parallel runs
share it), in a table of its own. Only definite answers are kept: a capture found (captures
do not change, so it stays fresh for `FOUND_TTL`) and "no capture" (kept for
Config.cache_ttl, since the page may be captured tomorrow). An archive that could not be
consulted is never remembered: the next run asks again. A row is checked as it is read, as
an archive's answer is: one that is not what `_encode` writes, or whose snapshot URL would not
be admitted from the archive itself (archive/http.py), is ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Collection
from dataclasses import asdict, dataclass

from citecheck.archive.http import ArchiveUnavailable, snapshot_url
from citecheck.archive.types import Capture, SourceAnswer, State
from citecheck.config import Config

SCHEMA_VERSION = 1
FOUND_TTL = 30 * 24 * 3600.0
"""Seconds a found capture stays fresh: an archived capture is immutable; only a closer one
may appear (for a past access date, rarely)."""


def key(endpoint: str, url: str, target: dt.date | None) -> str:
    return f"{SCHEMA_VERSION}|{endpoint}|{url}|{target.isoformat() if target else 'newest'}"


@dataclass
class ArchiveStore:
    db: sqlite3.Connection
    missing_ttl: float

    @classmethod
    def open(cls, config: Config) -> ArchiveStore | None:
        """The store, or None when the cache cannot be used (every look-up is then asked)."""
        from citecheck.net.cache import connect

        db = connect(config, "archive_lookups",
                     "key TEXT PRIMARY KEY, answer TEXT, stored REAL, ttl REAL")
        return None if db is None else cls(db, config.cache_ttl)

    def get(self, k: str, hosts: Collection[str]) -> SourceAnswer | None:
        """The answer kept for `k`, if fresh and sound (its snapshot on one of `hosts`)."""
        try:
            row = self.db.execute(
                "SELECT answer, stored, ttl FROM archive_lookups WHERE key = ?", (k,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not all(isinstance(v, int | float) for v in row[1:]):
            return None
        if not 0 <= time.time() - row[1] < row[2]:  # stale, or stored "in the future"
            return None
        return _decode(row[0], hosts)

    def put(self, k: str, answer: SourceAnswer, *, newest: bool = False) -> None:
        if answer.state is State.UNAVAILABLE:
            return
        ttl = FOUND_TTL if answer.state is State.FOUND and not newest else self.missing_ttl
        try:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO archive_lookups VALUES (?, ?, ?, ?)",
                    (k, _encode(answer), time.time(), ttl),
                )
        except sqlite3.Error:
            pass  # an unwritable cache costs the next run requests, nothing else

    def close(self) -> None:
        self.db.close()


def _encode(a: SourceAnswer) -> str:
    c = None if a.capture is None else {**asdict(a.capture),
                                         "timestamp": a.capture.timestamp.isoformat()}
    return json.dumps({"archive": a.archive, "state": a.state.value, "capture": c})


def _decode(blob: object, hosts: Collection[str]) -> SourceAnswer | None:
    try:
        d = json.loads(blob)  # type: ignore[arg-type]
        c = d.get("capture")
        capture = None if c is None else Capture(
            dt.datetime.fromisoformat(c["timestamp"]).astimezone(dt.UTC),
            snapshot_url(c["url"], c["url"], hosts), str(c["original"]),
            c["status"] if isinstance(c["status"], int | None) else 0,
            c["digest"] if isinstance(c["digest"], str | None) else None, str(c["archive"]),
        )
        return SourceAnswer(str(d["archive"]), State(d["state"]), capture)
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError,
            ArchiveUnavailable):
        return None
