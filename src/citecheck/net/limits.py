"""How many requests run at once, globally and per host, and how often one host is asked.

This is the one place where concurrency is limited (the transport's own pool is unbounded):
a request waits for a slot on its host first and only then for a global slot, so URLs queued
for one slow or large host never hold global slots that other hosts could use. A host that
answers 429 is slowed down for all its URLs, not just the one that was refused: its minimum
interval between requests grows, and nothing starts there before its Retry-After has passed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

SLOWDOWN_MIN_INTERVAL = 0.5
"""Seconds between requests to a host once it has said 429, at the least."""
SLOWDOWN_MAX_INTERVAL = 10.0


@dataclass(slots=True)
class _Host:
    slots: asyncio.Semaphore
    interval: float
    next_start: float = 0.0
    throttled: int = field(default=0)


class Limits:
    """Per-host and global concurrency plus a per-host minimum interval between starts."""

    def __init__(self, max_concurrency: int, host_concurrency: int, host_interval: float) -> None:
        """`host_interval` is in seconds (Config.host_interval is in milliseconds)."""
        self.all = asyncio.Semaphore(max(1, max_concurrency))
        self.host_concurrency = max(1, host_concurrency)
        self.host_interval = max(0.0, host_interval)
        self.hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        state = self.hosts.get(host)
        if state is None:
            state = _Host(asyncio.Semaphore(self.host_concurrency), self.host_interval)
            self.hosts[host] = state
        return state

    async def acquire(self, host: str) -> None:
        """Wait for a slot on `host`, for its interval, then for a global slot. Pair every
        call with `release(host)`."""
        state = self._host(host)
        await state.slots.acquire()
        try:
            if state.interval > 0 or state.next_start:
                loop = asyncio.get_running_loop()
                now = loop.time()
                start = max(now, state.next_start)
                state.next_start = start + state.interval
                if start > now:
                    await asyncio.sleep(start - now)
            await self.all.acquire()
        except BaseException:
            state.slots.release()
            raise

    def release(self, host: str) -> None:
        self.all.release()
        self.hosts[host].slots.release()

    def slow_down(self, host: str, retry_after: float | None) -> None:
        """The host said 429: space its requests further apart, and pause it for
        `retry_after` seconds if it said how long."""
        state = self._host(host)
        state.throttled += 1
        state.interval = min(
            SLOWDOWN_MAX_INTERVAL, max(SLOWDOWN_MIN_INTERVAL, state.interval * 2)
        )
        now = asyncio.get_running_loop().time()
        state.next_start = max(state.next_start, now + (retry_after or state.interval))
