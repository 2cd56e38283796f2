"""Reading speed of the HTML, Markdown and Word readers, and the whole command per format.

    python bench/bench_formats.py [--runs 15] [--only html,docx,markdown,command,imports]

1. html: parse time of a generated 1 MB page shaped like a saved Wikipedia article (600
   references, each cited twice, "^ a b" back-links, navigation and footer), in-process,
   best of three, CPU seconds; and of the same page at 2 MB (linear is 2.0).
2. docx: parse time of a generated Word file with 500 footnotes (ids not the numbers
   shown, hyperlinks through relationships, a field-code link every tenth note).
3. markdown: parse time of a generated Jekyll post with 500 <sup> notes; and, when
   markdown-it-py is installed (it is not a dependency), what a markdown-it parse of the
   same post and its import would cost, the figures behind reading Markdown without it.
4. imports: CPU cost of importing each reader's library on top of the CLI, in a fresh
   interpreter (median of --runs).
5. command: CPU time of `citecheck --offline FILE` as a user runs it, per format, against a
   bare `python -c pass` (median of --runs): the pre-commit figure.

Each part is its own function so that other readers' benchmarks (PDF) sit beside them.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "fixtures"))


def best_cpu(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def child_cpu(cmd: list[str], runs: int) -> float:
    """Median user+system CPU seconds of `cmd` in a fresh process."""
    out = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(out)


# -- generated documents -------------------------------------------------------------------


def wikipedia_page(refs: int) -> str:
    """A page shaped like a saved Wikipedia article with `refs` references."""
    head = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Bench</title>'
            "<style>.reference{font-size:80%}</style><script>var rl = '<sup>';</script></head>"
            '<body>\n<nav role="navigation"><a href="/wiki/Main_Page">Main page</a></nav>\n'
            '<main><div class="mw-parser-output">\n')
    parts = [head]
    for i in range(2 * refs):
        r = i % refs + 1
        use = i // refs
        parts.append(
            f'<p>Paragraph {i} of the article, with <a href="/wiki/Topic_{i}">an internal link'
            f"</a> and enough prose to look like a real article about bridges and "
            f"rivers.<sup id=\"cite_ref-r{r}_{r}-{use}\" class=\"reference\"><a href=\"#cite_"
            f'note-r{r}-{r}"><span class="cite-bracket">&#91;</span>{r}<span class="cite-'
            f'bracket">&#93;</span></a></sup> More prose follows the marker.</p>\n')
    parts.append('<h2 id="References">References</h2>\n<div class="reflist"><ol class='
                 '"references">\n')
    for r in range(1, refs + 1):
        parts.append(
            f'<li id="cite_note-r{r}-{r}"><span class="mw-cite-backlink">^ <a href="#cite_ref-'
            f'r{r}_{r}-0"><sup><i><b>a</b></i></sup></a> <a href="#cite_ref-r{r}_{r}-1"><sup>'
            f'<i><b>b</b></i></sup></a></span> <span class="reference-text"><cite class='
            f'"citation web cs1">Author, A. ({2000 + r % 24}). <a rel="nofollow" class='
            f'"external text" href="https://example.org/reports/{r}">"Report {r}"</a>. '
            f"<i>Example Institute</i>. Retrieved <span class=\"reference-accessdate\">"
            f"{1 + r % 28} May 2014</span>.</cite></span></li>\n")
    parts.append('</ol></div></div></main>\n<footer><a href="https://example.org/privacy">'
                 "Privacy</a></footer></body></html>\n")
    return "".join(parts)


def sized_page(megabytes: float) -> str:
    refs = 100
    page = wikipedia_page(refs)
    while len(page.encode()) < megabytes * 1e6:
        refs = int(refs * megabytes * 1e6 / len(page.encode())) + 1
        page = wikipedia_page(refs)
    return page


def docx_bytes(notes: int) -> bytes:
    import make_docx

    body, footnotes = [], {}
    for n in range(1, notes + 1):
        note_id = notes + 1 - n  # ids run backwards: Word numbers by reference order
        body.append([f"Paragraph {n} states a finding the brief relies on, with a figure of "
                     f"{n * 3} percent.", ("fn", note_id), " The text goes on."])
        if n % 10 == 0:
            runs = ["Ibid., p. 4."]
        elif n % 10 == 5:
            runs = ["Agency, ", ("field", "Report", f"https://example.gov/r/{n}"),
                    f" ({2000 + n % 24}), accessed May 5, 2024."]
        else:
            runs = ["Author, “Title of the source,” ", ("link", "publisher",
                                                       f"https://example.org/{n}"),
                    f", {2000 + n % 24}, https://example.org/text/{n} (accessed May 5, 2024)."]
        footnotes[note_id] = [runs]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.docx"
        make_docx.build(path, body=body, footnotes=footnotes)
        return path.read_bytes()


def jekyll_post(notes: int) -> str:
    front = '---\nlayout: post\ntitle: "Bench"\n---\n\n{: .lead }\n'
    body = "".join(f"Paragraph {n} makes a claim that needs a source.<sup>{n}</sup> It goes on "
                   f"for a while, as posts do.\n\n" for n in range(1, notes + 1))
    notes_part = "".join(
        f"<sup>{n}</sup> Author, *Title {n}* ({2000 + n % 24}), "
        f'<a href="https://example.org/{n}">link</a>, accessed May 5, 2024.\n\n'
        if n % 7 else f"<sup>{n}</sup> Ibid., {n}.\n\n" for n in range(1, notes + 1))
    return front + body + "***\n\n## Endnotes\n{: .no_toc }\n\n" + notes_part


# -- the parts ----------------------------------------------------------------------------------


def bench_html() -> None:
    from citecheck.readers import html

    for size in (1.0, 2.0):
        page = sized_page(size)
        data = page.encode()
        t = best_cpu(lambda data=data: html.read("bench.html", data))
        doc = html.read("bench.html", data)
        print(f"html      {len(data) / 1e6:4.2f} MB, {len(doc.notes)} notes, "
              f"{len(doc.markers)} markers: {t:5.2f} s CPU")


def bench_docx() -> None:
    from citecheck.readers import docx

    data = docx_bytes(500)
    t = best_cpu(lambda: docx.read("bench.docx", data))
    doc = docx.read("bench.docx", data)
    print(f"docx      500 footnotes ({len(data) / 1e3:.0f} kB): {len(doc.notes)} notes, "
          f"{len(doc.markers)} markers: {t:5.3f} s CPU")


def bench_markdown() -> None:
    from citecheck.readers import markdown

    post = jekyll_post(500)
    data = post.encode()
    t = best_cpu(lambda: markdown.read("bench.md", data))
    doc = markdown.read("bench.md", data)
    print(f"markdown  500 <sup> notes ({len(data) / 1e3:.0f} kB): {len(doc.notes)} notes, "
          f"{len(doc.markers)} markers: {t:5.3f} s CPU")
    try:
        import markdown_it
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin
    except ImportError:
        print("markdown  (markdown-it-py not installed: no comparison)")
        return
    md = markdown_it.MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
    t_it = best_cpu(lambda: md.parse(post))
    print(f"markdown  markdown-it-py parse alone (tokens only, no notes read): {t_it:5.3f} s CPU")


def bench_imports(runs: int) -> None:
    py = sys.executable
    base = child_cpu([py, "-c", "import citecheck.cli"], runs)
    for what, code in (("bs4 + lxml (html)", "import bs4, lxml.etree"),
                       ("zipfile + lxml.etree (docx)", "import zipfile, lxml.etree"),
                       ("markdown-it-py + footnote plugin", "import markdown_it; "
                        "import mdit_py_plugins.footnote"),
                       ("python-docx", "import docx")):
        cost = child_cpu([py, "-c", f"import citecheck.cli; {code}"], runs)
        if subprocess.run([py, "-c", code], capture_output=True, check=False).returncode:
            print(f"import    {what:34s} not installed")
            continue
        print(f"import    {what:34s} +{(cost - base) * 1e3:5.1f} ms CPU over the CLI's "
              f"{base * 1e3:.0f} ms")


def bench_command(runs: int) -> None:
    py = sys.executable
    bare = child_cpu([py, "-c", "pass"], runs)
    fixtures = ROOT / "fixtures"
    cli = [py, "-c", "import sys; from citecheck.cli import main; sys.exit(main())", "--offline"]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "wikipedia-1mb.html"
        big.write_text(sized_page(1.0), encoding="utf-8")
        notes500 = Path(tmp) / "notes-500.docx"
        notes500.write_bytes(docx_bytes(500))
        cases = [
            ("text", fixtures / "thinktank-superscripts.txt"),
            ("markdown", fixtures / "markdown" / "jekyll-sup-notes.md"),
            ("html", fixtures / "html" / "footnotes-section.html"),
            ("html 1 MB", big),
            ("docx", fixtures / "docx" / "footnotes-lawreview.docx"),
            ("docx 500", notes500),
        ]
        print(f"command   bare python: {bare * 1e3:5.1f} ms CPU")
        for what, path in cases:
            t = child_cpu([*cli, str(path)], runs)
            print(f"command   {what:10s} {path.name:32s} {t * 1e3:6.1f} ms CPU  "
                  f"{t / bare:5.1f}x bare")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--only", default="html,docx,markdown,imports,command")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    loadavg = Path("/proc/loadavg")
    if loadavg.exists():
        print(f"load average: {loadavg.read_text().split()[0]}")
    if "html" in parts:
        bench_html()
    if "docx" in parts:
        bench_docx()
    if "markdown" in parts:
        bench_markdown()
    if "imports" in parts:
        bench_imports(args.runs)
    if "command" in parts:
        bench_command(args.runs)


if __name__ == "__main__":
    main()
