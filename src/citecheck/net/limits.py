"""How many requests run at once, globally and per host, and how often one host is asked.

The one place where concurrency is limited: every request of a run (links, probes, DOI and
archive look-ups) takes a slot on its host, then a global slot, so requests queued for one
slow host never hold global slots other hosts could use. A host may have limits of its own
(the archives). A host that answers 429 is slowed down for all its requests: paused for the
Retry-After we wait for, and spaced further apart — until it answers anything but 429: then
it is back to its own pace at once, requests already queued at the slowed pace included, so a
few rate-limited pages do not hold the rest of their site (each of them still waits its own
Retry-After before its retry).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

SLOWDOWN_INTERVAL = 0.25  # seconds between requests to a host after a 429 (doubled by each)
SLOWDOWN_MAX_INTERVAL = 4.0
# Distinct URLs of a host answering 429 in a row after which it is not asked again this run.
# URLs, not requests: one link's own retries are one, and a site whose few rate-limited pages
# sit among live ones (a fault catalogue, a site limiting one section) keeps being asked.
RATE_LIMITED_AFTER = 10
RATE_LIMITED = "rate-limited"  # acquire's reason for a request a rate-limited host won't get


@dataclass(slots=True)
class _Host:
    slots: asyncio.Semaphore
    interval: float
    base: float
    next_start: float = 0.0
    eased: int = 0  # times the slowdown ended: a request queued at the slowed pace re-plans
    throttled: set[str] = field(default_factory=set)  # URLs answering 429 in a row


class Limits:
    """Per-host and global concurrency plus a per-host minimum interval between starts."""

    def __init__(self, max_concurrency: int, host_concurrency: int, host_interval: float) -> None:
        """`host_interval` is in seconds (Config.host_interval is in milliseconds)."""
        self.all = asyncio.Semaphore(max(1, max_concurrency))
        self.host_concurrency = max(1, host_concurrency)
        self.host_interval = max(0.0, host_interval)
        self.hosts: dict[str, _Host] = {}
        self.special: dict[str, tuple[int, float]] = {}

    def configure(self, host: str, concurrency: int, interval: float) -> None:
        """Limits of their own for `host` (before its first request)."""
        self.special[host] = (max(1, concurrency), max(0.0, interval))
        self.hosts.pop(host, None)

    def _host(self, host: str) -> _Host:
        state = self.hosts.get(host)
        if state is None:
            slots, interval = self.special.get(host, (self.host_concurrency, self.host_interval))
            state = _Host(asyncio.Semaphore(slots), interval, interval)
            self.hosts[host] = state
        return state

    async def acquire(
        self, host: str, wanted: Callable[[], str | None] | None = None
    ) -> str | None:
        """Wait for a slot on `host`, for its interval, then for a global slot; pair the
        call with `release(host)`. `wanted` is asked once the host's slot is had: a reason
        it gives ends the wait, slots released and the host's interval not spent (a request
        for an archive switched off meanwhile must not hold the queue behind it)."""
        state = self._host(host)
        await state.slots.acquire()
        try:
            reason = wanted() if wanted is not None else None
            if not reason and len(state.throttled) >= RATE_LIMITED_AFTER:
                # A site that answers every request with 429 is not asked for the rest of the
                # run: its links are blocked at once, and the run is not stalled behind it.
                reason = RATE_LIMITED
            if reason:
                state.slots.release()
                return reason
            if state.interval > 0 or state.next_start:
                loop = asyncio.get_running_loop()
                while True:
                    now = loop.time()
                    start = max(now, state.next_start)
                    state.next_start = start + state.interval
                    eased = state.eased
                    while start > now and state.eased == eased:
                        await asyncio.sleep(min(start - now, SLOWDOWN_INTERVAL))
                        if len(state.throttled) >= RATE_LIMITED_AFTER:  # given up meanwhile
                            state.slots.release()
                            return RATE_LIMITED
                        now = loop.time()
                    if start <= now:
                        break
            await self.all.acquire()
        except BaseException:
            state.slots.release()
            raise
        return None

    def release(self, host: str) -> None:
        self.all.release()
        self.hosts[host].slots.release()

    def rate_limited(self, host: str) -> bool:
        """Whether `host` has answered 429 too often in a row to be asked again this run."""
        state = self.hosts.get(host)
        return state is not None and len(state.throttled) >= RATE_LIMITED_AFTER

    def answered(self, host: str, status: int, pause: float | None, url: str = "") -> None:
        """A request for `url` on `host` was answered with `status`. A 429 spaces the host's
        requests further apart and, with `pause` (the Retry-After we are going to wait for),
        holds every request to the host until then; any other answer eases the spacing."""
        state = self._host(host)
        if status != 429:
            state.throttled.clear()
            if state.interval > state.base:  # answering again: back to its own pace
                state.interval = state.base
                state.next_start = asyncio.get_running_loop().time()
                state.eased += 1
            return
        state.throttled.add(url)
        state.interval = max(state.base, min(SLOWDOWN_MAX_INTERVAL,
                                             max(SLOWDOWN_INTERVAL, state.interval * 2)))
        if pause:
            now = asyncio.get_running_loop().time()
            state.next_start = max(state.next_start, now + pause)
