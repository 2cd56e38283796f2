"""Note numbers of any size a publication uses: a brief with more than 99,999 notes (a digest,
an annotated bibliography) has notes numbered 100000 and up, and the patterns that read note
starts and markers stopped at five digits (issue 9)."""

from __future__ import annotations

import pytest

from citecheck.parse.markers import _MARKER_RE
from citecheck.parse.notes import START_RE


@pytest.mark.parametrize("line", ["123456. Jane Doe, *Report*, 2020.", "[123456] Jane Doe.",
                                  "(123456) Jane Doe.", "¹²³⁴⁵⁶ Jane Doe."])
def test_a_six_digit_note_start_is_read(line: str) -> None:
    found = START_RE.match(line)
    assert found is not None
    assert found.group(found.lastgroup or "") in ("123456", "¹²³⁴⁵⁶")


@pytest.mark.parametrize("text", ["A claim.[123456] More.", "A claim.¹²³⁴⁵⁶ More.",
                                  "A claim.^123456 More."])
def test_a_six_digit_marker_is_read(text: str) -> None:
    found = _MARKER_RE.search(text)
    assert found is not None and found.group(found.lastgroup or "") in ("123456", "¹²³⁴⁵⁶")
