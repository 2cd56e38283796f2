"""What the archive stage establishes, as plain data the pure rules (rules/archives.py) read.

A look-up has three outcomes and only three, because the rules must tell them apart: `found`
(a capture to cite), `missing` (every configured archive answered, and none has one) and
`unavailable` (at least one archive could not be asked and none had a capture). Only `missing`
may become A502; `unavailable` becomes A504, never A502 (DESIGN.md §4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from citecheck.model import Snapshot


@dataclass(frozen=True, slots=True)
class Capture:
    """One archived copy of a URL as an archive lists it, before we pick one. `status` is
    the status the archive recorded (a capture of a 404 page is not of the cited content);
    None when it did not say (a Memento in a Link header), until the copy is replayed."""

    timestamp: dt.datetime  # aware, UTC
    url: str  # where the copy is replayed, e.g. https://web.archive.org/web/20240404…/https://…
    original: str
    """The URL the archive captured (may differ from the cited one in scheme or `www.`)."""
    status: int | None = 200
    digest: str | None = None
    """Content hash (Wayback's SHA-1 digest): equal digests are equal copies."""
    archive: str = "wayback"

    def snapshot(self) -> Snapshot:
        return Snapshot(
            url=self.url, timestamp=self.timestamp, archive=self.archive, status=self.status,
            original=self.original,
        )


class State(StrEnum):
    FOUND = "found"
    MISSING = "missing"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class SourceAnswer:
    """What one archive (Wayback, or one TimeGate) said about one URL."""

    archive: str
    state: State
    capture: Capture | None = None
    detail: str = ""  # why it is unavailable ("429, retry after 120 s", "malformed JSON", …)


@dataclass(frozen=True, slots=True)
class Lookup:
    """The outcome for one URL and one target date, over every configured archive."""

    url: str
    target: dt.date | None
    """The access date (or the brief's date) the snapshot should be nearest; None = newest."""
    state: State
    snapshot: Snapshot | None = None
    answers: tuple[SourceAnswer, ...] = ()

    @property
    def failed(self) -> tuple[SourceAnswer, ...]:
        return tuple(a for a in self.answers if a.state is State.UNAVAILABLE)

    @property
    def before_target(self) -> bool:
        """The snapshot was taken on or before the target day (the preferred side)."""
        snap, target = self.snapshot, self.target
        return snap is not None and target is not None and snap.timestamp.date() <= target


@dataclass(frozen=True, slots=True)
class Drift:
    """The live page compared with the snapshot nearest its access date."""

    url: str
    snapshot: Snapshot
    retained: float
    """Share of the snapshot's main-text shingles still present on the live page (0..1)."""
    drifted: bool
    words: int  # words of main text in the snapshot: too few and no verdict is given
