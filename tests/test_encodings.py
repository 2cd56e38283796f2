"""Text encodings (readers/text.py): what Word, Notepad and older editors save is read, and a
guess is said aloud rather than refused."""

from __future__ import annotations

import pytest

from citecheck.errors import InputError
from citecheck.readers import read_document
from citecheck.readers.text import decoded, recode

TEXT = "Growth slowed.¹ “Quoted” – café.\n\nNotes\n\n1. Smith, Report, 2020.\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
    (TEXT.encode("utf-16"), "utf-16"),  # with its byte-order mark
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.replace("¹", "1").encode("cp1252"), "cp1252"),
])
def test_encodings_are_recognised(data: bytes, encoding: str) -> None:
    text, found = decoded("b.txt", data)
    assert found == encoding
    assert "“Quoted” – café" in text and not text.startswith("\ufeff")


def test_bytes_windows_1252_leaves_undefined_fall_back_to_latin_1() -> None:
    text, found = decoded("b.txt", b"Caf\xe9 \x81 and more text.\n")
    assert (found, text[:4]) == ("latin-1", "Café")


def test_random_bytes_are_still_refused() -> None:
    noise = bytes(range(1, 256)) * 40
    with pytest.raises(InputError, match="binary"):
        decoded("b.bin", noise)


def test_a_named_encoding_is_used_and_checked(tmp_path) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes("Škoda [1].\n\nNotes\n\n1. Report, 2020.\n".encode("cp1250"))
    doc = read_document(str(path), encoding="cp1250")
    assert doc.encoding == "cp1250" and doc.text.startswith("Škoda")
    assert read_document(str(path)).encoding == "cp1252"  # the guess, said aloud
    with pytest.raises(InputError, match="not valid utf-8"):
        recode("b.txt", b"\xff\xfe\xfd", "utf-8")
