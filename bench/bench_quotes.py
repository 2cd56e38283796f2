"""Quotation checking as a user runs it: a brief with 50 quotations over 20 sources (10 HTML
pages and 10 PDFs of 30 pages) served on 127.0.0.1.

    python bench/bench_quotes.py [--runs 3]

The whole `citecheck` command (start-up, parse, link checks, the sources read and searched,
JSON report) is timed with quotations checked and with --no-quotes, and the peak memory of
each run is given (the largest resident set of the child process). Two quotations in five are
misquoted, so the misses (the closest-passage search) are measured too. Nothing leaves the
machine: the archive endpoints and the network probe point at a closed port on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from reportlab.pdfgen import canvas

HTML_SOURCES, PDF_SOURCES, PDF_PAGES = 10, 10, 30
QUOTES = 50
CONFIG = """\
allow_private = true
cache = false
network_probe = []

[archive]
enabled = false
"""
WORDS = ("harbour", "fleet", "quota", "treaty", "ministry", "coast", "patrol", "strait", "ice",
         "cargo", "fuel", "berth", "dredging", "tariff", "council", "survey", "season", "catch",
         "vessel", "charter")


def sentence(source: int, k: int) -> str:
    """A sentence of its own for each (source, k): the quotations pick some of them."""
    w = [WORDS[(source * 7 + k * 3 + i) % len(WORDS)] for i in range(12)]
    return (f"In section {k} of source {source} the {w[0]} and the {w[1]} were weighed "
            f"against the {w[2]} of the {w[3]}, and the {w[4]} prevailed over the {w[5]}.")


def html_page(source: int, sentences: int = 120) -> bytes:
    paras = "".join(f"<p>{sentence(source, k)}</p>\n" for k in range(sentences))
    return (f"<!DOCTYPE html><html><head><title>Source {source}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><main><h1>Source {source}</h1>\n{paras}</main>"
            "<footer>Footer text</footer></body></html>").encode()


def pdf_file(source: int, path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=(432, 648), invariant=1)
    k = 0
    for page in range(1, PDF_PAGES + 1):
        c.setFont("Helvetica", 8)
        c.drawCentredString(216, 30, str(page))
        c.setFont("Times-Roman", 10)
        y = 600.0
        for _ in range(12):  # about 40 lines a page, three to a sentence
            line = ""
            for word in sentence(source, k).split():
                if len(line) + len(word) > 62:
                    c.drawString(50, y, line)
                    y -= 13
                    line = ""
                line = f"{line} {word}".strip()
            c.drawString(50, y, line)
            y -= 13
            k += 1
        c.showPage()
    c.save()


def brief(base: str) -> tuple[str, int]:
    """50 quotations, each citing one of the 20 sources; every fifth and second-fifth one
    has a word changed. Returns the brief and the number of misquotes."""
    body, notes, wrong = ["Quotations Benchmark", ""], [], 0
    for n in range(1, QUOTES + 1):
        source = (n - 1) % (HTML_SOURCES + PDF_SOURCES)
        is_pdf = source >= HTML_SOURCES
        k = (n * 5) % 100
        words = sentence(source, k).split()[6:16]
        if n % 5 in (1, 2):
            words[3] = "quarrel"
            wrong += 1
        sup = str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        body.append(f"The report found that “{' '.join(words)}.”{sup}")
        if is_pdf:
            page = k // 12 + 1
            url = f"{base}/source-{source}.pdf"
            notes.append(f"{n}. Institute, Source {source} (2024), p. {page}, {url} "
                         "(accessed March 1, 2024).")
        else:
            notes.append(f"{n}. Institute, “Source {source},” 2024, {base}/source-{source}.html "
                         "(accessed March 1, 2024).")
    return "\n".join([*body, "", "Notes", "", *notes]) + "\n", wrong


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # socketserver's 5 drops connections a checker opens at once
    daemon_threads = True


def serve(folder: Path) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self._send(False)

        def do_GET(self) -> None:
            self._send(True)

        def _send(self, body: bool) -> None:
            path = folder / self.path.lstrip("/")
            data = path.read_bytes() if path.is_file() else b""
            self.send_response(200 if data else 404)
            self.send_header("Content-Type", "application/pdf" if path.suffix == ".pdf"
                             else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    server = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(cmd: list[str], cwd: Path) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS (MB) of this run's child, and its JSON report."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env={**os.environ, "NO_COLOR": "1"})
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = child.stderr.read().decode() if child.stderr else ""
        raise SystemExit(f"citecheck failed ({code}): {err[-500:]}")
    return wall, usage.ru_maxrss / 1024, json.loads((cwd / "report.json").read_text("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--citecheck", default=str(Path(sys.executable).parent / "citecheck"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = work / "site"
        site.mkdir()
        for s in range(HTML_SOURCES):
            (site / f"source-{s}.html").write_bytes(html_page(s))
        for s in range(HTML_SOURCES, HTML_SOURCES + PDF_SOURCES):
            pdf_file(s, site / f"source-{s}.pdf")
        size = sum(p.stat().st_size for p in site.iterdir())
        server = serve(site)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        text, wrong = brief(base)
        (work / "brief.txt").write_text(text, encoding="utf-8")
        (work / "citecheck.toml").write_text(CONFIG, encoding="utf-8")
        print(f"{QUOTES} quotations ({wrong} misquoted) over {HTML_SOURCES} HTML pages and "
              f"{PDF_SOURCES} PDFs of {PDF_PAGES} pages ({size / 1e6:.1f} MB in all); "
              f"{args.runs} runs each; load average {os.getloadavg()[0]:.2f}")
        print(f"{'run':>12} {'median s':>9} {'best s':>7} {'peak MB':>8}  quotations")
        for label, extra in (("quotes", []), ("--no-quotes", ["--no-quotes"])):
            walls, peaks, summary = [], [], None
            for _ in range(args.runs):
                cmd = [args.citecheck, "--format", "json", "-o", "report.json", *extra,
                       "brief.txt"]
                wall, peak, report = run(cmd, work)
                walls.append(wall)
                peaks.append(peak)
                summary = report["quotations"]
            found = ("-" if summary is None else
                     f"{summary['found']} found, {summary['not_found']} not found, "
                     f"{summary['on_another_page']} elsewhere")
            print(f"{label:>12} {statistics.median(walls):9.3f} {min(walls):7.3f} "
                  f"{max(peaks):8.0f}  {found}")
        server.shutdown()


if __name__ == "__main__":
    main()
