"""Back-references (DESIGN.md §3): Ibid./Id. chains, supra note N, "[hereinafter …]" and
shortened citations, each with its kind, the note it points at (`refers_to`) and the note
holding the full citation at the end of the chain (`resolves_to`)."""

from __future__ import annotations

import datetime as dt

from citecheck.model import Document, NoteKind
from citecheck.parse import parse
from citecheck.readers.text import Source
from citecheck.rules import offline


def doc(*notes: str) -> Document:
    body = "Body " + " ".join(f"claim {i}.[{i}]" for i in range(1, len(notes) + 1))
    section = "\n".join(f"{i}. {text}" for i, text in enumerate(notes, 1))
    return parse(Source("b.txt", "text", f"{body}\n\nNotes\n\n{section}\n"))


def refs(d: Document) -> list[tuple[int | str, str, int | str | None, int | str | None]]:
    return [(n.number, n.kind.value, n.refers_to, n.resolves_to) for n in d.notes]


def codes(d: Document, prefix: str = "R") -> list[tuple[str, int | str | None, int]]:
    found = offline.check(d, as_of=dt.date(2030, 1, 1))
    return sorted((f.code, f.note, f.line) for f in found if f.code.startswith(prefix))


SMITH = "Jane Smith, *Ports and Power* (Washington: Harbor Press, 2020), p. 4."
JONES = "Tom Jones, *Ships at Sea* (Boston: Sea Press, 2019)."


def test_ibid_chain_resolves_to_the_full_citation() -> None:
    d = doc(SMITH, "Ibid., p. 9.", "Ibid.")
    assert refs(d) == [(1, "full", None, None), (2, "ibid", 1, 1), (3, "ibid", 2, 1)]
    assert d.notes[1].citations[0].locator == "p. 9"
    assert d.notes[2].citations[0].locator is None
    assert codes(d) == []


def test_id_and_id_at_page() -> None:
    d = doc(SMITH, "Id.", "Id. at 45.", "See id. at 46.")
    assert refs(d) == [
        (1, "full", None, None),
        (2, "id", 1, 1),
        (3, "id", 2, 1),
        (4, "id", 3, 1),
    ]
    assert d.notes[2].citations[0].locator == "at 45"
    assert d.notes[2].kind is NoteKind.ID


def test_ibid_lowercase_and_italic() -> None:
    d = doc(SMITH, "ibid., 12.", "*Ibid.*")
    assert [n.kind.value for n in d.notes] == ["full", "ibid", "ibid"]
    assert [n.resolves_to for n in d.notes] == [None, 1, 1]


def test_ibid_in_the_first_note_refers_to_nothing() -> None:
    d = doc("Ibid., p. 4.", SMITH)
    assert refs(d)[0] == (1, "ibid", None, None)
    assert codes(d) == [("R201", 1, 5)]


def test_ibid_after_a_two_source_note_is_unresolved() -> None:
    d = doc(f"{SMITH[:-1]}; {JONES}", "Ibid., p. 9.", "Ibid.")
    assert len(d.notes[0].citations) == 2
    assert refs(d) == [(1, "full", None, None), (2, "ibid", 1, None), (3, "ibid", 2, None)]
    assert codes(d) == [("R202", 2, 6), ("R203", 3, 7)]


def test_ibid_after_a_shortened_citation_resolves_through_it() -> None:
    d = doc(SMITH, JONES, "Smith, *Ports*, p. 12.", "Ibid., p. 13.")
    assert refs(d) == [
        (1, "full", None, None),
        (2, "full", None, None),
        (3, "short", 1, 1),
        (4, "ibid", 3, 1),
    ]


def test_supra_note_earlier() -> None:
    d = doc(SMITH, JONES, "Smith, supra note 1, at 110.")
    assert refs(d)[2] == (3, "supra", 1, 1)
    c = d.notes[2].citations[0]
    assert (c.supra_note, c.author, c.locator) == (1, "Smith", "at 110")
    assert codes(d) == []


def test_bare_supra_note() -> None:
    d = doc(SMITH, "See supra note 1.")
    assert refs(d)[1] == (2, "supra", 1, 1)
    assert codes(d) == []


def test_supra_note_later_is_unresolved() -> None:
    d = doc(SMITH, "Smith, supra note 3, at 5.", JONES)
    assert refs(d)[1] == (2, "supra", 3, None)
    assert codes(d) == [("R204", 2, 6)]


def test_supra_note_to_itself_is_unresolved() -> None:
    d = doc(SMITH, "Smith, supra note 2.")
    assert refs(d)[1] == (2, "supra", 2, None)
    assert codes(d) == [("R204", 2, 6)]


def test_supra_note_missing() -> None:
    d = doc(SMITH, "supra note 9.")
    assert refs(d)[1] == (2, "supra", 9, None)
    assert codes(d) == [("R204", 2, 6)]


def test_supra_note_through_an_ibid_resolves_to_its_full_citation() -> None:
    d = doc(SMITH, "Ibid., p. 5.", "Smith, supra note 2, at 7.")
    assert refs(d)[2] == (3, "supra", 2, 1)
    assert codes(d) == []


def test_supra_author_must_be_named_in_the_note() -> None:
    d = doc(SMITH, JONES, "Jones, supra note 1, at 12.", "Smith, supra note 1, at 13.")
    assert refs(d)[2] == (3, "supra", 1, 1)
    assert codes(d) == [("R205", 3, 7)]


def test_supra_without_note_number_matches_by_author() -> None:
    d = doc(SMITH, JONES, "Smith, supra, at 12.", "Id. at 13.")
    assert refs(d)[2:] == [(3, "supra", 1, 1), (4, "id", 3, 1)]
    assert codes(d) == []


def test_hereinafter_definition_and_use() -> None:
    d = doc(
        "Convention on the Law of the Sea, Dec. 10, 1982, 1833 U.N.T.S. 397 "
        "[hereinafter UNCLOS].",
        JONES,
        "UNCLOS, art. 113.",
        "Id. art. 114.",
    )
    assert d.notes[0].citations[0].hereinafter == "UNCLOS"
    assert refs(d) == [
        (1, "full", None, None),
        (2, "full", None, None),
        (3, "short", 1, 1),
        (4, "id", 3, 1),
    ]
    assert codes(d) == []


def test_hereinafter_with_quoted_multiword_name() -> None:
    d = doc(
        "U.S. Gov't Accountability Off., GAO-24-1, Undersea Cables 5 (2024) "
        "[hereinafter “GAO Cable Report”].",
        JONES,
        "GAO Cable Report, at 7.",
    )
    assert d.notes[0].citations[0].hereinafter == "GAO Cable Report"
    assert refs(d)[2] == (3, "short", 1, 1)


def test_shortened_citation_resolves_by_author_and_title() -> None:
    d = doc(SMITH, JONES, "Smith, *Ports*, p. 12.", "Jones, *Ships at Sea*, 40.")
    assert refs(d)[2:] == [(3, "short", 1, 1), (4, "short", 2, 2)]
    c = d.notes[2].citations[0]
    assert (c.author, c.title, c.locator) == ("Smith", "Ports", "p. 12")
    assert codes(d) == []


def test_shortened_citation_with_wrong_title_is_unresolved() -> None:
    d = doc(SMITH, JONES, "Smith, *Harbors*, p. 12.")
    assert refs(d)[2] == (3, "short", None, None)
    assert codes(d) == [("R206", 3, 7)]


def test_shortened_citation_before_its_full_citation_is_unresolved() -> None:
    d = doc("Smith, *Ports*, p. 12.", SMITH)
    assert refs(d)[0] == (1, "short", None, None)
    assert codes(d) == [("R206", 1, 5)]


def test_repeated_full_citation_is_full() -> None:
    d = doc(SMITH, SMITH)
    assert refs(d) == [(1, "full", None, None), (2, "full", None, None)]


def test_ibid_after_an_unresolved_short_citation_resolves_to_it() -> None:
    """An unmatched short form still names a source: Ibid. points at it (R206 is the
    finding, not a broken chain)."""
    d = doc("Brown, *Cables*, p. 3.", "Ibid., p. 5.")
    assert refs(d) == [(1, "short", None, None), (2, "ibid", 1, 1)]
    assert codes(d) == [("R206", 1, 5)]


def test_short_form_whose_title_contains_a_publisher_word() -> None:
    # "Pressure" is not "Press": the short form still resolves, and the Ibid. after it too.
    full = ('Jane Smith and Raj Patel, "Ports Under Pressure," Harbor Review, May 2, 2023, '
            "https://harborreview.example/ports (accessed June 1, 2023).")
    d = doc(full, 'Smith and Patel, "Ports Under Pressure."', "Ibid.")
    assert refs(d) == [(1, "full", None, None), (2, "short", 1, 1), (3, "ibid", 2, 1)]
    assert codes(d) == []


def test_italics_lost_short_form_matches_every_word() -> None:
    full = ("Government of Japan, Ministry of Defense, National Security Strategy of Japan, "
            "December 2022, pp. 9 and 14, https://www.mod.example/nss.pdf "
            "(accessed April 5, 2024).")
    other = ("Government of Japan, Ministry of Defense, National Defense Strategy, "
             "December 16, 2022, p. 7, https://www.mod.example/nds.pdf (accessed April 5, 2024).")
    short = "Government of Japan, Ministry of Defense, National Security Strategy of Japan, p. 19."
    d = doc(full, other, short)
    assert refs(d) == [(1, "full", None, None), (2, "full", None, None), (3, "short", 1, 1)]


def test_bluebook_case_short_forms_resolve_by_volume_and_reporter() -> None:
    """Bluebook rule 10.9: "Harlow, 512 U.S. at 77" and "788 F.3d at 21" name the case
    by its volume and reporter, which the full citation gave."""
    d = doc(
        "See Harlow v. Pennock Mills, Inc., 512 U.S. 61, 70 (1994).",
        "See Quarry Co. v. Delmont Cnty., 788 F.3d 12, 19–20 (5th Cir. 2015); "
        "Bell v. Tarn, 402 F. Supp. 3d 118 (D. Mass. 2019).",
        "Harlow, 512 U.S. at 77.",
        "See 788 F.3d at 21.",
        "Bell, 402 F. Supp. 3d at 120.",
        "Osgood, 611 F.2d at 9.",
    )
    assert refs(d)[2:] == [
        (3, "short", 1, 1),
        (4, "short", 2, 2),
        (5, "short", 2, 2),
        (6, "short", None, None),
    ]
    assert codes(d) == [("R206", 6, d.notes[5].span.line)]


def test_statutes_and_cross_references_are_not_short_forms() -> None:
    d = doc(
        "See Seed Labeling Amendments of 1971, Pub. L. No. 92-41, § 3, 85 Stat. 90, 91 "
        "(codified as amended at 7 U.S.C. § 1571).",
        "See, e.g., infra “Preemption of State Labeling Laws.”",
        "For the background of the program, see supra “Early Regulation.”",
    )
    assert [n.kind for n in d.notes] == [NoteKind.FULL] * 3
    assert codes(d) == []


def test_id_after_a_note_citing_one_source_twice_is_clear() -> None:
    d = doc(
        "See Harlow v. Pennock Mills, Inc., 512 U.S. 61, 70 (1994).",
        "See id. at 72 (Ruiz, J., concurring); id. at 80 (Lane, J., dissenting).",
        "Id. at 81.",
    )
    assert refs(d)[2] == (3, "id", 2, 1)
    assert codes(d) == []


def test_oscola_n_cross_references_are_supra() -> None:
    """OSCOLA writes "Carneiro (n 9) at 228" for Bluebook's "Carneiro, supra note 9"."""
    d = doc(
        "Davide Carneiro, Online Dispute Resolution (Springer 2014) 12.",
        "Ibid 14.",
        "Carneiro (n 1) at 228.",
        "Ellis (n 1) 30.",
    )
    assert refs(d)[2:] == [(3, "supra", 1, 1), (4, "supra", 1, 1)]
    assert codes(d) == [("R205", 4, d.notes[3].span.line)]


def test_statutes_sentences_and_register_cites_are_not_short_forms() -> None:
    d = doc(
        "10 U.S.C. §1552(b) (“A board may excuse a failure to file in the interest of "
        "justice.”).",
        "There is also a DD Form 215, “Correction to DD Form 214.”",
        "NOAA, “Deep Seabed Mining: Revisions to Regulations,” 91 Federal Register 2642.",
    )
    assert [n.kind for n in d.notes] == [NoteKind.FULL] * 3
    assert codes(d) == []


def test_supra_in_prose_is_no_back_reference() -> None:
    """"as discussed supra, the City was not their agent": the opinion points back at its
    own text; a supra citation names its source before a comma ("Smith, supra, at 5")."""
    d = doc(
        "Jane Smith, *Ports and Power* (Harbor Press 2020).",
        "She contends she relied on her employer, but as discussed supra, it was not an "
        "agent.",
        "Smith, supra, at 5.",
    )
    assert [n.kind for n in d.notes] == [NoteKind.FULL, NoteKind.FULL, NoteKind.SUPRA]
    assert codes(d) == []
