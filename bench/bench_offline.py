"""Offline speed: start-up latency of `citecheck --offline` and parse time of large briefs.

    python bench/bench_offline.py [--runs 30] [--brief PATH]

1. Latency: wall and CPU time of `citecheck --offline BRIEF` against a bare `python -c pass`
   started the same way (same interpreter, alternating runs, median of --runs each). The
   ratio is the figure the pre-commit budget is set in (<= 10x). The package is byte-compiled
   first, as pip does on install: a checkout run with PYTHONDONTWRITEBYTECODE would otherwise
   compile every module on every run and measure the compiler.
2. Parse time: a generated 5 MB brief with 20,000 notes and one twice that size, parsed
   in-process (best of three, CPU seconds), and their ratio (linear is 2.0).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_BRIEF = ROOT / "fixtures" / "thinktank-superscripts.txt"
SEED = ROOT.parent / "shared" / "seeds" / "000_8b1fe2f793e0f8eb.txt"


def latency(brief: Path, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) seconds of a bare interpreter and of citecheck --offline,
    interleaved so that machine noise hits both alike."""
    import compileall
    import resource

    compileall.compile_dir(str(ROOT / "src" / "citecheck"), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    bare_cmd = [sys.executable, "-c", "pass"]
    check_cmd = [sys.executable, "-c", "import sys; from citecheck.process import console; "
                 "sys.exit(console())", "--offline", "--no-config", str(brief)]
    walls: dict[int, list[float]] = {0: [], 1: []}
    cpus: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(runs):
        for k, cmd in enumerate((bare_cmd, check_cmd)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False, env=env)
            walls[k].append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[k].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    med = statistics.median
    return (med(walls[0]), med(cpus[0])), (med(walls[1]), med(cpus[1]))


def parse_time(notes: int, filler: int) -> tuple[float, float]:
    """(size in MB, best-of-three CPU seconds) to parse a generated brief."""
    from citecheck.parse import parse
    from citecheck.readers.text import Source
    from generate import brief

    text = brief(notes, filler=filler)
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        parse(Source("generated.txt", "text", text))
        best = min(best, time.process_time() - t0)
    return len(text.encode()) / 1e6, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--brief", type=Path, default=SEED if SEED.exists() else DEFAULT_BRIEF)
    args = ap.parse_args()

    (bare, bare_cpu), (check, check_cpu) = latency(args.brief, args.runs)
    print(f"latency  bare python: {bare * 1e3:6.1f} ms wall {bare_cpu * 1e3:6.1f} ms CPU   "
          f"citecheck --offline {args.brief.name}: {check * 1e3:6.1f} ms wall "
          f"{check_cpu * 1e3:6.1f} ms CPU   ratio {check / bare:4.1f}x wall, "
          f"{check_cpu / bare_cpu:4.1f}x CPU (budget 10x)")
    size5, t5 = parse_time(20_000, filler=7)
    size10, t10 = parse_time(40_000, filler=7)
    print(f"parse    {size5:5.1f} MB, 20,000 notes: {t5:5.2f} s   "
          f"{size10:5.1f} MB, 40,000 notes: {t10:5.2f} s   ratio {t10 / t5:4.2f} (budget 2.2)")


if __name__ == "__main__":
    main()
