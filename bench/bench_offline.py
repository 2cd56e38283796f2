"""Offline speed: start-up latency of `citecheck --offline` and parse time of large briefs.

    python bench/bench_offline.py [--runs 30] [--brief PATH]

1. Latency: wall time of `citecheck --offline BRIEF` against a bare `python -c pass` started
   the same way (same interpreter, alternating runs, median of --runs each). The ratio is the
   figure the pre-commit budget is set in (<= 8x).
2. Parse time: a generated 5 MB brief with 20,000 notes and one twice that size, parsed
   in-process (best of three, CPU seconds), and their ratio (linear is 2.0).
"""

from __future__ import annotations

import argparse
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


def latency(brief: Path, runs: int) -> tuple[float, float]:
    """Median wall seconds of a bare interpreter and of citecheck --offline, interleaved so
    that machine noise hits both alike."""
    bare_cmd = [sys.executable, "-c", "pass"]
    check_cmd = [sys.executable, "-c", "import sys; from citecheck.cli import main; "
                 "sys.exit(main())", "--offline", str(brief)]
    bare, check = [], []
    for _ in range(runs):
        for cmd, out in ((bare_cmd, bare), (check_cmd, check)):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            out.append(time.perf_counter() - t0)
    return statistics.median(bare), statistics.median(check)


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

    bare, check = latency(args.brief, args.runs)
    print(f"latency  bare python: {bare * 1e3:6.1f} ms   citecheck --offline {args.brief.name}: "
          f"{check * 1e3:6.1f} ms   ratio {check / bare:4.1f}x (budget 8x)")
    size5, t5 = parse_time(20_000, filler=7)
    size10, t10 = parse_time(40_000, filler=7)
    print(f"parse    {size5:5.1f} MB, 20,000 notes: {t5:5.2f} s   "
          f"{size10:5.1f} MB, 40,000 notes: {t10:5.2f} s   ratio {t10 / t5:4.2f} (budget 2.2)")


if __name__ == "__main__":
    main()
