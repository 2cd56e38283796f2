"""The baseline: a CI gate that fails only on problems a change introduces.

A publication with years of link rot cannot be fixed in one pull request, but it can stop
getting worse. `--write-baseline FILE` records every current finding; `--baseline FILE`
then marks the findings recorded there as `baseline`: they are still reported (old rot
stays visible, and SARIF says `baselineState: unchanged`) but they no longer count towards
the exit code. A new defect fails the gate on its own.

Findings are matched by rule code and fingerprint (citecheck.fingerprint), which ignore line
numbers, so adding a paragraph above old problems does not turn them into new ones. Paths
are stored relative to the baseline file's folder, so the gate gives the same answer
whichever folder CI runs it from.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import replace

from citecheck.errors import InputError
from citecheck.fingerprint import VERSION as FINGERPRINT_VERSION
from citecheck.fingerprint import fingerprints
from citecheck.model import DocumentReport, Finding, Report

TYPE_CHECKING = False  # `typing` stays off the offline path (see cli.py)
if TYPE_CHECKING:
    from collections.abc import Callable

FORMAT = 1
Key = tuple[str, str, str]
"""(path relative to the baseline's folder, rule code, fingerprint)."""


def write(report: Report, path: str) -> int:
    """Record every finding of `report` in the baseline file `path`; returns how many.

    The file is sorted and holds no timestamps, so rewriting it after a clean run leaves
    it unchanged and a reviewer sees exactly which problems a change accepted."""
    base = _folder(path)
    entries = []
    for d in report.documents:
        for f, fp in zip(d.findings, fingerprints(d), strict=True):
            entries.append({
                "path": _relative(f.path, base),
                "code": f.code,
                "fingerprint": fp,
                "note": f.note,
                "line": f.line,
                "message": f.message,
            })
    entries.sort(key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]))
    data = {
        "citecheck_baseline": FORMAT,
        "fingerprint": FINGERPRINT_VERSION,
        "findings": entries,
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    # Through a symlink to the file it names; a device or pipe (/dev/stdout) is written in
    # place: replacing it would put a regular file where /dev/stdout or /dev/full was.
    real = os.path.realpath(path)
    tmp = f"{real}.tmp{os.getpid()}"
    try:
        if os.path.exists(path) and not os.path.isfile(path):
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            return len(entries)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, real)  # never leave a half-written baseline behind
    except OSError as exc:
        _remove(tmp)
        raise InputError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None
    return len(entries)


def load(path: str) -> set[Key]:
    """The keys recorded in a baseline file; a missing or malformed file is an input error
    (exit 2): a gate that silently ran without its baseline would fail on every old problem."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file (create it with --write-baseline)") \
            from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a baseline file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the baseline "
                         f"({getattr(exc, 'strerror', None) or exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not a citecheck baseline (line {exc.lineno}: {exc.msg})") \
            from None
    except ValueError:  # an integer past Python's 4,300-digit conversion limit
        raise InputError(f"{path}: not a citecheck baseline (a number too long to read)") \
            from None
    except (RecursionError, MemoryError):
        raise InputError(f"{path}: not a citecheck baseline (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("citecheck_baseline") != FORMAT:
        raise InputError(f"{path}: not a citecheck baseline (version {FORMAT} expected)")
    if data.get("fingerprint") != FINGERPRINT_VERSION:
        raise InputError(
            f"{path}: written with fingerprints {data.get('fingerprint')!r}, this citecheck "
            f"uses {FINGERPRINT_VERSION!r}: write the baseline again"
        )
    keys: set[Key] = set()
    for entry in data.get("findings", []):
        try:
            keys.add((str(entry["path"]), str(entry["code"]), str(entry["fingerprint"])))
        except (KeyError, TypeError):
            raise InputError(f"{path}: malformed baseline entry {entry!r}") from None
    return keys


def apply(report: Report, path: str) -> Report:
    """`report` with the findings recorded in the baseline file `path` marked as such."""
    keys = load(path)
    base = _folder(path)
    return _mark(report, lambda d, f, fp: (_relative(f.path, base), f.code, fp) in keys)


def mark_all(report: Report) -> Report:
    """Every finding marked as baseline: what a run that has just written one reports."""
    return _mark(report, lambda d, f, fp: True)


def _mark(report: Report, known: Callable[[DocumentReport, Finding, str], bool]) -> Report:
    documents = []
    for d in report.documents:
        findings = tuple(
            replace(f, baseline=True) if known(d, f, fp) else f
            for f, fp in zip(d.findings, fingerprints(d), strict=True)
        )
        documents.append(DocumentReport(d.document, d.links, d.results, findings,
                                        d.links_checked))
    return replace(report, documents=tuple(documents))


def _folder(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _relative(path: str, base: str) -> str:
    if path.startswith("<"):  # <stdin>
        return path
    try:
        rel = os.path.relpath(os.path.abspath(path), base)
    except ValueError:  # another drive, on Windows
        rel = os.path.abspath(path)
    return rel.replace(os.sep, "/")


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)
