"""Is the network down, or are these links dead?

A machine without internet fails every link the way a dead host fails one ("no such host",
"connection refused", "no route"): reporting them all dead would be a false alarm on every
link. So when no link's host answered at all and some failed at the network level, a few
well-known names (Config.network_probe) are tried: one that resolves and connects means the
failures stand; none means the network is down, said once, exit 3 (DESIGN.md §5, §7).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver

from citecheck.model import LinkResult
from citecheck.net.failures import Failure

NETWORK_REASONS = frozenset(f.value for f in Failure if f.network_level)
NOTICE = "network unreachable (no link's host answered, nor did {probes}): links not checked"


# Special-use names that never resolve anywhere (RFC 6761, RFC 2606): "no such host" for them
# is certain, and says nothing about the network.
NEVER_RESOLVE = (".invalid", ".test", ".example", ".localhost")


def _network_evidence(r: LinkResult) -> bool:
    if r.reason not in NETWORK_REASONS:
        return False
    host = (urlsplit(r.final_url or r.url).hostname or "").lower().rstrip(".")
    return not (r.reason == "nxdomain" and host.endswith(NEVER_RESOLVE))


def suspect_down(results: Iterable[LinkResult]) -> bool:
    """No HTTP answer from any host in this run, and at least one network-level failure.

    Any answer counts, a loopback one too: a brief checked beside a local server (as in a
    test rig) has a working network stack, and its unresolvable hosts are dead."""
    fresh = [r for r in results if not r.from_cache]
    if any(r.status is not None for r in fresh):
        return False
    return any(_network_evidence(r) for r in fresh)


def _split(target: str) -> tuple[str, int]:
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit():
        return target, 443
    return host.strip("[]"), int(port)


async def reachable(
    targets: Sequence[str], resolver: AbstractResolver, timeout: float
) -> bool:
    """Whether any of `targets` ("host:port") resolves and accepts a TCP connection."""

    async def one(target: str) -> bool:
        host, port = _split(target)
        try:
            async with asyncio.timeout(timeout):
                found = await resolver.resolve(host, port, socket.AF_UNSPEC)
        except (OSError, TimeoutError):
            return False
        for entry in found[:3]:
            try:
                async with asyncio.timeout(timeout):
                    _, writer = await asyncio.open_connection(entry["host"], port)
            except (OSError, TimeoutError):
                continue
            writer.close()
            return True
        return False

    if not targets:
        return True
    return any(await asyncio.gather(*(one(t) for t in targets)))
