"""Compare HTTP client stacks on the link checker's workload, to choose a transport by measurement.

    python bench/bench_transports.py [--urls 2000] [--hosts 20] [--per-host 10] [--latency 0]

Each stack fetches the same URLs from the loopback server (bench/loopback_server.py) under the
same limits (a semaphore per host, one global) and reads each body; the figures are wall time,
requests per second and client CPU time per request. The checker itself (citecheck.net) is
measured end to end by bench_links.py; this script isolates the transport.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loopback_server import LoopbackServer

Fetch = Callable[[str], Awaitable[int]]


async def _drive(urls: list[str], per_host: int, fetch: Fetch) -> float:
    hosts: dict[str, asyncio.Semaphore] = {}
    total = asyncio.Semaphore(len({u.split("/")[2] for u in urls}) * per_host)

    async def one(url: str) -> None:
        sem = hosts.setdefault(url.split("/")[2], asyncio.Semaphore(per_host))
        async with sem, total:
            status = await fetch(url)
            assert status == 200, status

    start = time.perf_counter()
    await asyncio.gather(*(one(u) for u in urls))
    return time.perf_counter() - start


async def _aiohttp(urls: list[str], per_host: int) -> float:
    import aiohttp

    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=per_host)
    ) as session:

        async def fetch(url: str) -> int:
            async with session.get(url, allow_redirects=False) as r:
                await r.content.read(256 * 1024)
                return r.status

        return await _drive(urls, per_host, fetch)


async def _httpx_default(urls: list[str], per_host: int) -> float:
    import httpx

    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

        async def fetch(url: str) -> int:
            async with client.stream("GET", url) as r:
                async for _ in r.aiter_bytes():
                    pass
                return r.status_code

        return await _drive(urls, per_host, fetch)


async def _httpx_aiohttp(urls: list[str], per_host: int) -> float:
    import aiohttp
    import httpx
    from httpx_aiohttp import AiohttpTransport

    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=per_host)
    )
    async with httpx.AsyncClient(transport=AiohttpTransport(client=session), trust_env=False) as c:

        async def fetch(url: str) -> int:
            async with c.stream("GET", url) as r:
                async for _ in r.aiter_bytes():
                    pass
                return r.status_code

        return await _drive(urls, per_host, fetch)


async def _citecheck_transport(urls: list[str], per_host: int) -> float:
    """citecheck's own client and transport (net/transport.py), through client.stream."""
    from citecheck.config import Config
    from citecheck.net.transport import open_client

    config = Config(allow_private=True, host_concurrency=per_host, max_concurrency=10_000)
    async with open_client(config) as (client, _):

        async def fetch(url: str) -> int:
            async with client.stream("GET", url) as r:
                async for _ in r.aiter_bytes():
                    pass
                return r.status_code

        return await _drive(urls, per_host, fetch)


STACKS = {
    "aiohttp": _aiohttp,
    "httpx": _httpx_default,
    "httpx+aiohttp": _httpx_aiohttp,
    "citecheck": _citecheck_transport,
}


def _measure(stack: str, urls: list[str], per_host: int, loop: str) -> tuple[float, float]:
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    coro = STACKS[stack](urls, per_host)
    if loop == "uvloop":
        import uvloop

        wall = uvloop.run(coro)
    else:
        wall = asyncio.run(coro)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--per-host", type=int, default=10)
    ap.add_argument("--latency", type=float, default=0.0, help="ms")
    ap.add_argument("--stacks", default=",".join(STACKS))
    ap.add_argument("--loops", default="asyncio,uvloop")
    args = ap.parse_args()
    hosts = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    with LoopbackServer(hosts, args.latency / 1000) as port:
        urls = [f"http://{hosts[i % len(hosts)]}:{port}/report/{i}" for i in range(args.urls)]
        print(f"{args.urls} URLs, {args.hosts} hosts, {args.per_host}/host, "
              f"{args.latency:g} ms latency")
        print(f"{'stack':<14} {'loop':<8} {'wall s':>7} {'req/s':>7} {'CPU ms/req':>10}")
        for stack in args.stacks.split(","):
            for loop in args.loops.split(","):
                try:
                    _measure(stack, urls[:200], args.per_host, loop)  # warm imports, caches
                    wall, cpu = _measure(stack, urls, args.per_host, loop)
                except Exception as exc:  # httpcore's pool fails outright at high fan-out
                    print(f"{stack:<14} {loop:<8} failed: {type(exc).__name__} {exc}")
                    continue
                print(f"{stack:<14} {loop:<8} {wall:7.3f} {args.urls / wall:7.0f} "
                      f"{1000 * cpu / args.urls:10.3f}")


if __name__ == "__main__":
    main()
