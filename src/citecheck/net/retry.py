"""When to try a request again, and how long to wait first: pure functions.

Transient answers only (as lychee's `retry.rs`): 408, 429 and 5xx other than 501/505 (which
say "never"), resets and timeouts. A 404 is an answer, and so is a bot challenge served with
503: retrying either only adds load. Waits are exponential with jitter, so that many URLs on one
struggling host do not retry in lock-step; a `Retry-After` the server sends replaces the
computed wait, capped so one header cannot stall the whole run.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from collections.abc import Callable

from citecheck.net.failures import Failure

RETRY_AFTER_CAP = 30.0
"""Seconds: the longest wait a Retry-After header can impose."""
BACKOFF_CAP = 8.0

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
    HTTP-date. None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def delay(
    attempt: int, base: float, retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds before the next attempt: Retry-After if given (capped), else "equal jitter"
    exponential backoff — half fixed so a retry never comes at once, half random."""
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP)
    ceiling = min(BACKOFF_CAP, base * (2**attempt))
    return ceiling / 2 + rand() * ceiling / 2
