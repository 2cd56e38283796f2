"""End-to-end benchmark of the online stage: citecheck.online.check_online over loopback.

    python bench/bench_links.py                      # 2,000 URLs, 20 hosts, 50 ms and 0 ms
    python bench/bench_links.py --latency 50 --host-concurrency 10 --max-concurrency 200
    python bench/bench_links.py --endless 200        # peak RSS while bodies never end

A loopback server (bench/loopback_server.py, its own process) answers on 127.0.0.2 … 127.0.0.21
after an injected latency. The checker does everything it does on a real brief — limits,
fetch, classification, results, L-findings — except the cache (off, so every run fetches).

Printed per run: wall time, URLs/s, the client's CPU seconds, its peak RSS, and the
theoretical floor: with a per-host limit H and a global limit G, no schedule can finish
before max(max over hosts of ceil(n_host / H), ceil(N / G)) rounds of one latency each.

Figures on two cores (H = 10; medians of 5 runs, each `--runs 1 --max-concurrency G`):

| G   | 50 ms: wall / floor       | 0 ms: URLs/s | CPU s (50 / 0 ms) | peak RSS |
| --- | ------------------------- | ------------ | ----------------- | -------- |
|  64 | 1.66 s / 1.60 s = 1.04x   |        5,000 | 0.45 / 0.39       |    52 MB |
| 128 | 0.88 s / 0.80 s = 1.09x   |        4,900 | 0.42 / 0.40       |    53 MB |
| 200 | 0.58 s / 0.50 s = 1.16x   |        4,550 | 0.44 / 0.44       |    54 MB |

(Before the per-URL CPU work in net/: 1.13x, 1.31x and 1.61x; ~3,100-3,350 URLs/s.)
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from citecheck.config import Config
from citecheck.model import Document, Link, Note, Span, Verdict
from citecheck.online import check_online
from loopback_server import LoopbackServer


def floor_seconds(per_host: Counter[str], host_limit: int, global_limit: int, latency: float
                  ) -> float:
    total = sum(per_host.values())
    rounds = max(
        max(math.ceil(n / host_limit) for n in per_host.values()),
        math.ceil(total / global_limit),
    )
    return rounds * latency


def one_run(urls: list[str], config: Config) -> tuple[float, float, Counter[Verdict]]:
    doc = Document("bench.txt", "txt", "", (Note(1, Span(1), "", ()),), ())
    links = [Link(u, (1,), (Span(1),)) for u in urls]
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    outcome = check_online([doc], [links], config)
    wall = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return wall, cpu, Counter(r.verdict for r in outcome.results.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--latency", type=float, action="append",
                    help="ms; repeatable (default: 50 and 0)")
    ap.add_argument("--host-concurrency", type=int, default=10)
    ap.add_argument("--max-concurrency", type=int, default=None,
                    help="default: hosts x host-concurrency, so the per-host limit binds")
    ap.add_argument("--runs", type=int, default=3, help="runs per latency; best is reported")
    ap.add_argument("--loop", choices=("auto", "asyncio"), default="auto",
                    help="asyncio: do not use uvloop even if installed")
    ap.add_argument("--endless", type=int, default=0,
                    help="instead: this many URLs whose body never ends; reports peak RSS")
    args = ap.parse_args()
    if args.loop == "asyncio":
        import citecheck.online
        from citecheck.net import transport

        citecheck.online.loop_runner = lambda: transport.loop_runner(use_uvloop=False)
    hosts = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    global_limit = args.max_concurrency or args.hosts * args.host_concurrency
    config = Config(
        allow_private=True, cache=False, quiet=True, host_concurrency=args.host_concurrency,
        max_concurrency=global_limit, timeout=30, retries=0,
    )
    if args.endless:
        with LoopbackServer(hosts, 0.0) as port:
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            urls = [f"http://{hosts[i % len(hosts)]}:{port}/endless/{i}"
                    for i in range(args.endless)]
            wall, cpu, verdicts = one_run(urls, config)
            rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"{args.endless} endless bodies (max_body {config.max_body // 1024} KiB): "
              f"wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss0 / 1024:.0f} -> "
              f"{rss1 / 1024:.0f} MiB, verdicts {dict(verdicts)}")
        return
    loop = "asyncio" if args.loop == "asyncio" else _loop_name()
    print(f"{args.urls} URLs over {args.hosts} hosts; {args.host_concurrency} per host, "
          f"{global_limit} in all; loop: {loop}")
    print(f"{'latency':>8} {'wall s':>7} {'URLs/s':>7} {'CPU s':>6} {'floor s':>8} "
          f"{'wall/floor':>10} {'peak RSS':>9}  verdicts")
    for latency_ms in args.latency or [50.0, 0.0]:
        with LoopbackServer(hosts, latency_ms / 1000) as port:
            urls = [f"http://{hosts[i % len(hosts)]}:{port}/report/{i}" for i in range(args.urls)]
            per_host = Counter(u.split("/")[2] for u in urls)
            floor = floor_seconds(per_host, args.host_concurrency, global_limit,
                                  latency_ms / 1000)
            one_run(urls[: len(hosts) * 2], config)  # warm: imports, first connections
            best = min((one_run(urls, config) for _ in range(args.runs)), key=lambda r: r[0])
            wall, cpu, verdicts = best
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            ratio = f"{wall / floor:10.2f}" if floor else f"{'-':>10}"
            print(f"{latency_ms:6.0f}ms {wall:7.3f} {args.urls / wall:7.0f} {cpu:6.2f} "
                  f"{floor:8.3f} {ratio} {rss:7.0f}MB  "
                  + ", ".join(f"{v.value} {n}" for v, n in verdicts.items()))


def _loop_name() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


if __name__ == "__main__":
    main()
