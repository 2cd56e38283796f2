"""Run the CLI as a user does and read its JSON report."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

AS_OF = "2026-11-25"


def run(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `citecheck ARGS`, in-process."""
    import sys

    from citecheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def report(path: Path | str, *extra: str, stdin: bytes | None = None) -> tuple[int, dict]:
    """Exit code and the one document of the JSON report for `path` (offline)."""
    code, out, err = run(["--offline", "--format", "json", "--as-of", AS_OF, *extra, str(path)],
                         stdin=stdin)
    assert code in (0, 1), f"citecheck exited {code}: {err}"
    data = json.loads(out)
    assert len(data["documents"]) == 1
    return code, data["documents"][0]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(doc: dict) -> list[str]:
    return sorted(f["code"] for f in doc["findings"])


def build_docx(path: Path, **spec: object) -> Path:
    """A .docx written by fixtures/make_docx.py (see its docstring for the run shapes)."""
    import sys

    fixtures = str(Path(__file__).resolve().parents[2] / "fixtures")
    if fixtures not in sys.path:
        sys.path.insert(0, fixtures)
    import make_docx

    make_docx.build(path, **spec)  # type: ignore[arg-type]
    return path
