"""Helpers for the link checker's tests: a fake resolver, fast configs, a runner.

Nothing here reaches the internet: URLs name hosts under `.test` (RFC 6761), which the fake
resolver maps to the loopback server, and every other name fails as NXDOMAIN without asking
any DNS server. Configs use short timeouts and backoffs so the suite stays fast.
"""

from __future__ import annotations

import asyncio
import socket

from aiohttp.abc import AbstractResolver, ResolveResult

from citecheck.config import Config
from citecheck.net.checker import CheckOutcome, check_urls


class FakeResolver(AbstractResolver):
    """`.test` names resolve to loopback (internal.test to 127.0.0.2); all others are
    NXDOMAIN, exactly as a sandbox without DNS answers. Counts look-ups per name."""

    def __init__(self, names: dict[str, str] | None = None, default: str | None = "127.0.0.1"):
        self.names = {"internal.test": "127.0.0.2", **(names or {})}
        self.default = default
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        address = self.names.get(host)
        if address is None and host.endswith(".test") and self.default:
            address = self.default
        if address is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [{"hostname": host, "host": address, "port": port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


def fast_config(**overrides: object) -> Config:
    base = Config(
        allow_private=True, cache=False, timeout=1.0, connect_timeout=0.5, retries=2,
        retry_backoff=0.01, network_probe=(), max_concurrency=64, host_concurrency=16,
    )
    return base.with_overrides(dict(overrides))


def run(
    urls: list[str], config: Config | None = None, resolver: AbstractResolver | None = None,
    **kwargs: object,
) -> CheckOutcome:
    return asyncio.run(
        check_urls(urls, config or fast_config(), resolver=resolver or FakeResolver(), **kwargs)
    )
