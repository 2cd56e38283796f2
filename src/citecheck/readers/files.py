"""Load an input's bytes, refusing with one clear line what is not a readable file.

Input is only ever read: citecheck never writes to the user's file. Every refusal is an
InputError whose message names the file and the problem, so the CLI can print it and exit 2.
"""

from __future__ import annotations

import os
import stat
import sys

from citecheck.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
"""A 64 MB text brief is already some 30,000 pages; past that it is not a brief."""


def load_bytes(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        _check_size("<stdin>", len(data))
        return data
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a directory, not a file (name the brief itself)")
    _check_size(path, st.st_size)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    _check_size(path, len(data))
    if not data.strip():
        raise InputError(f"{path}: is empty")
    return data


def _check_size(path: str, size: int) -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"{path}: too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)"
        )
