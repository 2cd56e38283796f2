"""When to try a request again, and how long to wait first: one policy for link checks and
archive look-ups alike, pure functions.

Transient answers only (as lychee's `retry.rs`): 408, 429 and 5xx other than 501/505/511,
resets, a server closing without answering, and timeouts; a 404, or a bot challenge served
with 503, is an answer. Waits are exponential with jitter, so that many URLs on one host do
not retry in lock-step. A Retry-After replaces the wait when it is a finite number of seconds
within the caller's cap; a longer one is not waited for (the link is reported rate-limited at
once), and one that is not a finite number (400 digits) is ignored.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import random
from collections.abc import Callable

from citecheck.net.failures import Failure

BACKOFF_CAP = 8.0  # seconds: the longest computed wait between two attempts

_NEVER_TRANSIENT = {501, 505, 511}


def transient_status(status: int) -> bool:
    return status in (408, 429) or (500 <= status < 600 and status not in _NEVER_TRANSIENT)


def should_retry(
    attempt: int, retries: int, *, status: int | None = None, failure: Failure | None = None,
    challenge: bool = False,
) -> bool:
    """Whether attempt number `attempt` (0-based) deserves another after it."""
    if attempt >= retries or challenge:
        return False
    if failure is not None:
        return failure.transient
    return status is not None and transient_status(status)


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an
    HTTP-date. None when absent, unreadable or not a finite number."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        seconds = float(value)  # 400 digits make inf, not an exception
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    try:
        return max(0.0, (when - now).total_seconds())
    except OverflowError:
        return None


def delay(attempt: int, base: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds before the next attempt without a Retry-After: "equal jitter" exponential
    backoff — half fixed so a retry never comes at once, half random."""
    ceiling = min(BACKOFF_CAP, base * (2**attempt))
    return ceiling / 2 + rand() * ceiling / 2
