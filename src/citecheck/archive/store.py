"""Archive answers remembered between runs, in the link checker's SQLite file.

The same file as the link results (net/cache.py's `default_path`, WAL mode, so parallel runs
share it), in a table of its own. Only definite answers are kept: a capture found (captures
do not change, so it stays fresh for `FOUND_TTL`) and "no capture" (kept for
Config.cache_ttl, since the page may be captured tomorrow). An archive that could not be
consulted is never remembered: the next run asks again.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from dataclasses import dataclass

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

        db = connect(
            config,
            "CREATE TABLE IF NOT EXISTS archive_lookups (key TEXT PRIMARY KEY, "
            "answer TEXT, stored REAL, ttl REAL)",
        )
        return None if db is None else cls(db, config.cache_ttl)

    def get(self, k: str) -> SourceAnswer | None:
        try:
            row = self.db.execute(
                "SELECT answer, stored, ttl FROM archive_lookups WHERE key = ?", (k,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or time.time() - row[1] >= row[2]:
            return None
        return _decode(row[0])

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
    c = a.capture
    return json.dumps({
        "archive": a.archive, "state": a.state.value,
        "capture": None if c is None else {
            "timestamp": c.timestamp.isoformat(), "url": c.url, "original": c.original,
            "status": c.status, "digest": c.digest, "archive": c.archive,
        },
    })


def _decode(blob: str) -> SourceAnswer | None:
    try:
        d = json.loads(blob)
        c = d.get("capture")
        capture = None if c is None else Capture(
            dt.datetime.fromisoformat(c["timestamp"]), c["url"], c["original"], c["status"],
            c["digest"], c["archive"],
        )
        return SourceAnswer(d["archive"], State(d["state"]), capture)
    except (ValueError, KeyError, TypeError):
        return None
