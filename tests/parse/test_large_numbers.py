"""Note numbers of any size a publication uses: a series numbered past 99,999 (a digest
that continues its numbering, say) is read like any other (issue 9: the pattern stopped at
five digits)."""

from __future__ import annotations

from citecheck.parse import parse
from citecheck.readers.text import Source


def test_notes_and_markers_numbered_past_99999() -> None:
    text = ("A claim.[123456] Another.[123457] A third.¹²³⁴⁵⁸\n\nNotes\n\n"
            "123456. Jane Doe, *Report*, 2020, https://example.org/a.\n"
            "123457. Ibid., p. 4.\n"
            "123458. John Roe, *Paper*, 2021.\n")
    doc = parse(Source("big.txt", "text", text), path="big.txt")
    assert [n.number for n in doc.notes] == [123456, 123457, 123458]
    assert [m.number for m in doc.markers] == [123456, 123457, 123458]
    assert doc.notes[1].resolves_to == 123456
