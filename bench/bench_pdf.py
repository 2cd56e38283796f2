"""PDF reading speed, the choice of PDF library, and the text path's start-up latency.

    python bench/bench_pdf.py                 # 50 pages, 400 footnotes; latency of a .txt brief
    python bench/bench_pdf.py --compare [PDF ...]   # PDF libraries side by side

1. Read time: a generated 50-page report with 400 footnotes (fixtures/make_pdfs.py), read
   whole by citecheck (text layer, layout, parse), CPU seconds, best of three. Bar: 2 s.
2. Latency: `citecheck --offline BRIEF.txt` against a bare interpreter (bench_offline), so a
   change to the PDF path that leaked an import into the text path shows here.
3. --compare: the same facts (characters with position and size, raised digits found) from
   each candidate library installed in the environment: pypdfium2 (what citecheck uses),
   pypdf and pdfplumber. "raised" counts digits set smaller and above their line, which is
   what tells a marker from a number; libraries not installed are skipped.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "fixtures"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def generated(notes: int = 400) -> Path:
    from make_pdfs import synthetic_report
    from pdfgen import build

    path = Path(tempfile.mkdtemp()) / f"report-{notes}.pdf"
    build(path, synthetic_report(notes=notes))
    return path


def read_time(path: Path, runs: int = 3) -> tuple[float, int, int, int]:
    """(best CPU seconds, pages, notes, markers) for citecheck reading `path` whole."""
    from citecheck.readers import read_document

    best = float("inf")
    doc = None
    for _ in range(runs):
        start = time.process_time()
        doc = read_document(str(path))
        best = min(best, time.process_time() - start)
    assert doc is not None
    return best, len(doc.pages), len(doc.notes), len(doc.markers)


def _raised(rows: list[tuple[str, float, float]]) -> int:
    """Digits smaller than their line's main size and above its baseline.
    rows: (char, baseline y going up, size)."""
    lines: dict[int, list[tuple[str, float, float]]] = {}
    for ch, y, size in rows:
        lines.setdefault(round(y / 4), []).append((ch, y, size))
    count = 0
    keys = sorted(lines)
    for k in keys:
        near = lines.get(k, []) + lines.get(k - 1, []) + lines.get(k + 1, [])
        sizes = sorted(s for ch, _, s in near if ch.isalpha())
        if not sizes:
            continue
        main = sizes[len(sizes) // 2]
        base = min((y for ch, y, s in near if ch.isalpha() and abs(s - main) < 0.3),
                   default=0.0)
        count += sum(1 for ch, y, s in lines[k] if ch.isdigit() and s < 0.85 * main
                     and y > base + 0.08 * main)
    return count


def chars_pypdfium2(path: Path) -> tuple[int, int]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    rect = raw.FS_RECTF()
    total, rows = 0, []
    for k in range(len(pdf)):
        tp = pdf[k].get_textpage()
        n = raw.FPDFText_CountChars(tp)
        text = tp.get_text_range(0, n)
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            raw.FPDFText_GetLooseCharBox(tp, i, rect)
            rows.append((ch, rect.bottom + k * 10_000, rect.top - rect.bottom))
        total += n
    return total, _raised(rows)


def chars_pypdf(path: Path) -> tuple[int, int]:
    import logging

    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # font-encoding notes on stderr

    reader = pypdf.PdfReader(str(path))
    total, rows = 0, []
    for k, page in enumerate(reader.pages):
        def visit(text, cm, tm, font, size, k=k):  # type: ignore[no-untyped-def]
            scale = (tm[3] ** 2 + tm[1] ** 2) ** 0.5 or 1.0
            y = tm[5] * cm[3] + cm[5]
            for ch in text:
                rows.append((ch, y + k * 10_000, size * scale))

        page.extract_text(visitor_text=visit)
    total = sum(1 for _ in rows)
    return total, _raised(rows)


def chars_pdfplumber(path: Path) -> tuple[int, int]:
    import pdfplumber

    rows = []
    with pdfplumber.open(str(path)) as pdf:
        for k, page in enumerate(pdf.pages):
            for c in page.chars:
                rows.append((c["text"], page.height - c["bottom"] + k * 10_000, c["size"]))
    return len(rows), _raised(rows)


LIBRARIES: dict[str, tuple[str, Callable[[Path], tuple[int, int]]]] = {
    "pypdfium2": ("Apache-2.0/BSD-3", chars_pypdfium2),
    "pypdf": ("BSD-3", chars_pypdf),
    "pdfplumber": ("MIT (pdfminer.six)", chars_pdfplumber),
}


def compare(paths: list[Path]) -> None:
    print(f"{'document':32s} {'library':11s} {'licence':20s} {'pages':>5s} {'s/page':>8s} "
          f"{'chars':>8s} {'raised':>7s}")
    for path in paths:
        pages = _pages(path)
        for name, (licence, fn) in LIBRARIES.items():
            try:
                __import__(name)
            except ImportError:
                print(f"{path.name[:32]:32s} {name:11s} (not installed)")
                continue
            start = time.process_time()
            total, raised = fn(path)
            cpu = time.process_time() - start
            print(f"{path.name[:32]:32s} {name:11s} {licence:20s} {pages:5d} "
                  f"{cpu / max(pages, 1):8.4f} {total:8d} {raised:7d}")


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(path)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--runs", type=int, default=20, help="latency runs")
    ap.add_argument("pdfs", nargs="*", type=Path)
    args = ap.parse_args()
    path = generated()
    if args.compare:
        compare([path, *args.pdfs])
        return
    cpu, pages, notes, markers = read_time(path)
    print(f"read     {pages} pages, {notes} footnotes, {markers} markers: {cpu:5.2f} s CPU "
          f"({cpu / pages * 1e3:4.1f} ms/page; bar 2 s)")
    for extra in args.pdfs:
        cpu, pages, notes, markers = read_time(extra)
        print(f"read     {extra.name}: {pages} pages, {notes} notes, {markers} markers: "
              f"{cpu:5.2f} s CPU")
    import os

    from bench_offline import DEFAULT_BRIEF, SEED, latency

    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("latency  note: PYTHONDONTWRITEBYTECODE is set, so every run compiles every "
              "module; installed, citecheck runs from cached bytecode")

    brief = SEED if SEED.exists() else DEFAULT_BRIEF
    (bare, bare_cpu), (check, check_cpu) = latency(brief, args.runs)
    print(f"latency  bare python {bare * 1e3:5.1f} ms, citecheck --offline {brief.name} "
          f"{check * 1e3:5.1f} ms: ratio {check / bare:4.1f}x wall, "
          f"{check_cpu / bare_cpu:4.1f}x CPU (budget 8x)")


if __name__ == "__main__":
    main()
