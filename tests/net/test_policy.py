"""Retry policy, Retry-After, backoff and the per-host limiter: pure or nearly so."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from citecheck.net import retry
from citecheck.net.failures import Failure
from citecheck.net.limits import SLOWDOWN_INTERVAL, Limits


@pytest.mark.parametrize(
    ("status", "again"),
    [(500, True), (502, True), (503, True), (504, True), (408, True), (429, True),
     (501, False), (505, False), (404, False), (410, False), (403, False), (200, False)],
)
def test_transient_statuses(status: int, again: bool) -> None:
    assert retry.should_retry(0, 2, status=status) is again


@pytest.mark.parametrize(
    ("failure", "again"),
    [(Failure.RESET, True), (Failure.READ_TIMEOUT, True), (Failure.CONNECT_TIMEOUT, True),
     (Failure.REFUSED, True), (Failure.NXDOMAIN, False), (Failure.TLS, False),
     (Failure.LOOP, False)],
)
def test_transient_failures(failure: Failure, again: bool) -> None:
    assert retry.should_retry(0, 2, failure=failure) is again


def test_retries_are_bounded_and_challenges_never_retried() -> None:
    assert not retry.should_retry(2, 2, status=503)
    assert not retry.should_retry(0, 2, status=503, challenge=True)
    assert not retry.should_retry(0, 0, status=503)


def test_retry_after_forms() -> None:
    now = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert retry.parse_retry_after("7") == 7.0
    assert retry.parse_retry_after("Wed, 01 May 2024 12:00:30 GMT", now) == 30.0
    assert retry.parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0
    assert retry.parse_retry_after("soon") is None
    assert retry.parse_retry_after(None) is None


@pytest.mark.parametrize(
    "value", ["9" * 400, "1e400", "inf", "nan", "-5", "²", "Wed, 01 May 99999 12:00:00 GMT"]
)
def test_retry_after_that_is_not_a_finite_number_is_ignored(value: str) -> None:
    assert retry.parse_retry_after(value) is None


def test_backoff_jitters_and_is_capped() -> None:
    assert retry.delay(0, 0.5, rand=lambda: 0.0) == 0.25
    assert retry.delay(2, 0.5, rand=lambda: 1.0) == 2.0
    assert retry.delay(20, 0.5, rand=lambda: 1.0) == retry.BACKOFF_CAP


def test_host_and_global_concurrency() -> None:
    peak: dict[str, int] = {}
    running: dict[str, int] = {}
    total = {"now": 0, "peak": 0}

    async def main() -> None:
        limits = Limits(max_concurrency=5, host_concurrency=2, host_interval=0)

        async def one(host: str) -> None:
            await limits.acquire(host)
            try:
                running[host] = running.get(host, 0) + 1
                total["now"] += 1
                peak[host] = max(peak.get(host, 0), running[host])
                total["peak"] = max(total["peak"], total["now"])
                await asyncio.sleep(0.005)
            finally:
                running[host] -= 1
                total["now"] -= 1
                limits.release(host)

        await asyncio.gather(*(one(f"h{i % 4}") for i in range(40)))

    asyncio.run(main())
    assert max(peak.values()) == 2
    assert total["peak"] == 5


def test_host_interval_and_429_slowdown_that_eases_again() -> None:
    async def main() -> tuple[list[float], list[float]]:
        loop = asyncio.get_running_loop()
        limits = Limits(max_concurrency=10, host_concurrency=10, host_interval=0.02)
        starts = []
        for _ in range(4):
            await limits.acquire("a")
            starts.append(loop.time())
            limits.release("a")
        limits.answered("a", 429, 0.1)
        slowed = []
        t0 = loop.time()
        for _ in range(2):
            await limits.acquire("a")
            slowed.append(loop.time() - t0)
            limits.release("a")
        await limits.acquire("b")  # other hosts are not slowed
        limits.release("b")
        for _ in range(4):
            limits.answered("a", 200, None)  # answers that are not 429 ease the spacing
        return starts, slowed, limits.hosts["a"].interval

    starts, slowed, eased = asyncio.run(main())
    # Starts are slotted `interval` apart from the first; one late wake-up under load shortens
    # the next measured gap, never the span of the slots.
    assert starts[-1] - starts[0] >= 3 * 0.02 - 0.004
    assert slowed[0] >= 0.09
    assert slowed[1] - slowed[0] >= SLOWDOWN_INTERVAL - 0.01
    assert eased == pytest.approx(0.02)
