"""The rule catalogue: the single source of rule codes, names, severities and documentation.

Codes never change meaning once released (as in ruff's `codes.rs`): a retired rule keeps its
code forever and a new rule takes a new one. Each rule's documentation has fixed headings —
what it does, why it matters, a failing and a passing example, the fix — printed by
`citecheck rules CODE` and used by the SARIF reporter for `tool.driver.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.model import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    """Fires when… (one line, for listings)."""
    why: str
    bad: str
    good: str
    fix: str
    enabled: bool = True
    """False for rules that are off unless selected (D304)."""
    status: str = "stable"
    """stable: the code and what fires it are fixed; preview: new, reported, and its
    details may still change; planned: documented, never reported yet (nothing emits it)."""

    @property
    def group(self) -> str:
        return GROUPS[self.code[0]]


GROUPS = {
    "N": "notes and markers",
    "R": "back-references",
    "D": "access dates",
    "L": "links",
    "A": "archives",
    "Q": "quotations",
    "B": "body links",
}
STATUSES = ("stable", "preview", "planned")

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_RULES = (
    Rule(
        "N101", "missing-note", ERR,
        "a number in 1..max has no note",
        "A gap in the numbering usually means a note was deleted while its marker stayed, so a "
        "reader following the marker lands on the wrong source.",
        "Endnotes\n1. Smith, Ports, 2020.\n3. Jones, Ships, 2021.",
        "Endnotes\n1. Smith, Ports, 2020.\n2. Lee, Docks, 2019.\n3. Jones, Ships, 2021.",
        "Restore the missing note, or renumber the notes and their markers.",
    ),
    Rule(
        "N102", "duplicate-note", ERR,
        "two notes carry the same number",
        "Two notes with one number leave the reader unable to tell which source a marker cites; "
        "it often follows a merge of two drafts.",
        "Endnotes\n1. Smith, Ports, 2020.\n1. Jones, Ships, 2021.",
        "Endnotes\n1. Smith, Ports, 2020.\n2. Jones, Ships, 2021.",
        "Renumber the notes so that each number is used once, and check the markers.",
    ),
    Rule(
        "N103", "orphan-marker", ERR,
        "a body marker cites a note that does not exist",
        "A marker with no note promises a source the publication does not give.",
        "…as the report found.⁴  (with notes 1–3 only)",
        "…as the report found.³  (with notes 1–3)",
        "Add the missing note, or correct the marker's number.",
    ),
    Rule(
        "N104", "uncited-note", WARN,
        "a note is never cited by a body marker",
        "A note nobody cites is usually a marker lost in editing: the claim it supported now "
        "stands unsourced.",
        "Body text with markers ¹ and ³ only; Endnotes 1, 2, 3.",
        "Body text with markers ¹ ² ³; Endnotes 1, 2, 3.",
        "Put the marker back where the note's claim is made, or delete the note.",
    ),
    Rule(
        "N105", "marker-order", WARN,
        "note n+1 is first cited before note n",
        "Endnotes are numbered in order of first citation; out-of-order markers mean notes were "
        "moved without renumbering, and any Ibid. after them may now point elsewhere.",
        "…first claim.² Later claim.¹",
        "…first claim.¹ Later claim.²",
        "Renumber the notes in the order the body first cites them.",
    ),
    Rule(
        "N106", "no-notes", INFO,
        "no notes section was found",
        "Without a notes section citecheck cannot check citations; the document may use a "
        "heading citecheck does not know, or have no notes at all.",
        "A brief whose sources are listed under 'Further reading' with no numbers.",
        "Endnotes\n1. Smith, Ports, 2020.",
        "Head the notes 'Notes', 'Endnotes', 'References', 'Footnotes' or 'Sources', and "
        "number them 1., 2., …",
    ),
    Rule(
        "N107", "notes-not-found", ERR,
        "the body cites notes that were not found, or no marker cites the notes found",
        "A document whose markers cite notes citecheck could not find, or whose notes nothing "
        "in the body cites, would otherwise pass with its citations or its markers unchecked; "
        "a gate must not say all clear having read nothing. The message names the reader and "
        "what it recognised, which tells a layout citecheck does not read from a document that "
        "keeps its notes elsewhere (a separate file, an image).",
        "Ports grew fast.¹ Then they stopped.²  (and no notes anywhere in the document)",
        "Ports grew fast.¹ Then they stopped.²\n\nNotes\n1. Smith, Ports, 2020.\n"
        "2. Lee, Docks, 2021.",
        "Put the notes in the document (numbered, under a Notes heading, or as the format's own "
        "footnotes); if they are there, run with -v to see what the reader recognised. Ignore "
        "N107 for a document whose numbered list is not notes.",
    ),
    Rule(
        "R201", "ibid-first", ERR,
        "Ibid./Id. in the first note: nothing to refer to",
        "Ibid. means 'the source of the previous note'; in the first note there is none, which "
        "happens when notes are reordered or the first note is deleted.",
        "1. Ibid., p. 4.",
        "1. Jane Smith, Ports of Asia (Boston: Harbor Press, 2020), p. 4.",
        "Replace Ibid. with the full citation.",
    ),
    Rule(
        "R202", "ibid-ambiguous", ERR,
        "Ibid./Id. after a note that cites more than one source",
        "Chicago (14.34) and the Bluebook (4.1) allow Ibid./Id. only when the previous note "
        "cites a single source; otherwise the reader cannot tell which one is meant.",
        "3. Smith, Ports, 2020; Jones, Ships, 2021.\n4. Ibid., p. 7.",
        "3. Smith, Ports, 2020; Jones, Ships, 2021.\n4. Jones, Ships, p. 7.",
        "Replace Ibid. with a shortened citation naming the intended source.",
    ),
    Rule(
        "R203", "ibid-broken-chain", ERR,
        "a back-reference resolves through a note that is itself broken",
        "An Ibid. chain is only as good as its first link: if the note it points to cannot be "
        "resolved, neither can this one.",
        "1. Ibid.\n2. Ibid., p. 3.",
        "1. Smith, Ports, 2020.\n2. Ibid., p. 3.",
        "Fix the note the chain passes through; this note then resolves too.",
    ),
    Rule(
        "R204", "supra-missing", ERR,
        "'supra note N' where N does not exist or is not earlier",
        "Supra points back to an earlier note; a note that does not exist, or comes later, "
        "is usually left over from renumbering.",
        "5. Smith, supra note 9, at 12.   (note 9 comes later)",
        "5. Smith, supra note 2, at 12.",
        "Point supra at the note holding the full citation.",
    ),
    Rule(
        "R205", "supra-mismatch", WARN,
        "'Author, supra note N' where note N does not name that author or title",
        "The author named before supra should be the one in note N; a mismatch means the note "
        "number is stale.",
        "2. Jane Smith, Ports, 2020.\n6. Jones, supra note 2, at 4.",
        "2. Jane Smith, Ports, 2020.\n6. Smith, supra note 2, at 4.",
        "Correct the note number, or the author's name.",
    ),
    Rule(
        "R206", "short-unresolved", INFO,
        "a shortened citation matches no earlier full citation",
        "A shortened citation (author and short title) is only clear after the full citation "
        "has been given once; if none precedes it, the reader has nothing to look up.",
        "4. Smith, Ports, p. 9.   (no earlier note by Smith)",
        "1. Jane Smith, Ports of Asia (Boston: Harbor Press, 2020).\n4. Smith, Ports, p. 9.",
        "Give the full citation at the first mention, or fix the short form to match it.",
    ),
    Rule(
        "D301", "date-invalid", ERR,
        "an access date that cannot be read or is not a real date",
        "An access date tells the reader which version of a page was used and lets citecheck "
        "find that version in an archive; 'February 30' helps neither.",
        "… (accessed February 30, 2024).",
        "… (accessed February 29, 2024).",
        "Correct the date from the research notes.",
    ),
    Rule(
        "D302", "date-future", ERR,
        "an access date after the as-of date (--as-of, default today)",
        "Nobody has read a page on a day that has not come: a typo in the year is the usual "
        "cause.",
        "… (accessed April 5, 2042).",
        "… (accessed April 5, 2024).",
        "Correct the year.",
    ),
    Rule(
        "D303", "date-before-source", ERR,
        "an access date before the cited item's own date",
        "A page cannot be read before it was published; one of the two dates is wrong.",
        "Smith, 'Ports', March 24, 2024, <https://…> (accessed March 4, 2024).",
        "Smith, 'Ports', March 24, 2024, <https://…> (accessed April 4, 2024).",
        "Correct the publication date or the access date.",
    ),
    Rule(
        "D304", "date-missing", INFO,
        "a URL cited with no access date",
        "Chicago (14.12) asks for an access date when a source has no publication date; an "
        "access date also tells citecheck which archived snapshot to offer when the link dies.",
        "Smith, 'Ports', https://example.org/ports.",
        "Smith, 'Ports', https://example.org/ports (accessed April 4, 2024).",
        "Add '(accessed Month D, YYYY)' after the URL.",
        enabled=False,
    ),
    Rule(
        "L401", "link-dead", ERR,
        "404/410, unknown host, refused, redirect loop or chain ending dead — confirmed",
        "The source is gone; readers following the note find nothing. citecheck reports dead "
        "only on a definite answer, never on a timeout or a 5xx.",
        "https://example.org/report.pdf -> 404 Not Found",
        "https://example.org/report.pdf -> 200 OK",
        "Cite the archived copy (see A501), or find where the page moved.",
    ),
    Rule(
        "L402", "link-soft-404", ERR,
        "a 200 that is really 'not found', or a deep link redirected to the site's home page",
        "Many sites answer a missing page with 200 and a 'page not found' template or a "
        "redirect to the home page; a plain checker calls that fine.",
        "https://example.org/2019/report -> 302 -> https://example.org/ (200)",
        "https://example.org/2019/report -> 200 with the report",
        "Cite the archived copy, or search the site for the page's new address.",
    ),
    Rule(
        "L403", "link-paywall", WARN,
        "readers hit a paywall or login wall",
        "A paywalled source is real but not verifiable by most readers; an archived copy or "
        "an open version serves them better.",
        "https://news.example.com/article -> subscribe page",
        "https://news.example.com/article -> 200, isAccessibleForFree true",
        "Add an archived or open-access copy beside the paywalled link.",
    ),
    Rule(
        "L404", "link-blocked", WARN,
        "401/403/429/999/bot challenge: could not verify — never reported as dead",
        "Sites behind bot protection refuse automated checks; the page may be fine. citecheck "
        "says it could not verify rather than calling it dead.",
        "https://example.com/page -> 403 with a 'Just a moment…' challenge",
        "https://example.com/page -> 200",
        "Open the link in a browser; if it works, accept the host in the configuration.",
    ),
    Rule(
        "L405", "link-timeout", WARN,
        "no answer within the timeout after retries",
        "A server that does not answer may be down for now or gone; check again later before "
        "changing the citation.",
        "https://slow.example.org/ -> no answer in 20 s, 3 attempts",
        "https://slow.example.org/ -> 200 in 2 s",
        "Re-run later, or raise --timeout for that host.",
    ),
    Rule(
        "L406", "link-moved", INFO,
        "permanent redirect: cite the final URL",
        "A 301/308 means the publisher moved the page for good; citing the final address "
        "survives the day the redirect is dropped.",
        "http://example.org/old -> 301 -> https://example.org/new (200)",
        "https://example.org/new -> 200",
        "Replace the URL with the final one shown.",
    ),
    Rule(
        "L407", "link-server-error", WARN,
        "5xx persisting after retries",
        "The server failed on every attempt; the page may come back, so this is not 'dead'.",
        "https://example.org/data -> 500, 500, 500",
        "https://example.org/data -> 200",
        "Re-run later; if the error persists for days, look for an archived copy.",
    ),
    Rule(
        "L408", "link-invalid", ERR,
        "malformed URL or unsupported scheme",
        "A URL that cannot be parsed, or uses a scheme no reader can follow, is a typo or an "
        "extraction error.",
        "htps://example.org/report",
        "https://example.org/report",
        "Correct the URL.",
    ),
    Rule(
        "L409", "link-refused-target", INFO,
        "target is a private, loopback or link-local address and was not fetched",
        "citecheck never fetches private or metadata addresses unless --allow-private: a "
        "document must not be able to make the checker probe your network.",
        "http://192.168.1.10/report",
        "https://example.org/report",
        "Cite a public address, or pass --allow-private when checking an intranet document.",
    ),
    Rule(
        "A501", "archive-available", INFO,
        "a dead, soft-404, paywalled or blocked link has a snapshot near its access date (the fix)",
        "The archived copy nearest the access date is the page as the author read it: the "
        "natural replacement for a dead link.",
        "https://example.org/gone (dead), accessed April 5, 2024",
        "https://example.org/gone, archived at https://web.archive.org/web/20240404…/ on "
        "April 4, 2024",
        "Add the snapshot URL shown (or run --fix-archive).",
    ),
    Rule(
        "A502", "archive-missing", ERR,
        "a dead link with no snapshot anywhere: the reference is lost",
        "No reader can recover the source; the claim it supports needs another citation.",
        "https://example.org/gone (dead, no capture in any archive)",
        "https://example.org/gone (dead, captured 2024-04-04)",
        "Find the document elsewhere (a repository, the author) or cite another source.",
    ),
    Rule(
        "A503", "content-drift", WARN,
        "the live page differs substantially from the snapshot nearest its access date",
        "A page rewritten since it was cited may no longer support the claim; the snapshot is "
        "what the author read.",
        "Live page's text shares little with the capture of April 2024.",
        "Live page's text matches the capture apart from dates and navigation.",
        "Check the claim against the live page, or cite the snapshot.",
    ),
    Rule(
        "A504", "archive-unavailable", WARN,
        "an archive could not be consulted: whether a snapshot exists is unknown",
        "An archive that is down or rate-limiting says nothing about the page; citecheck does "
        "not turn that into 'no snapshot'.",
        "archive.org answered 503 to every look-up",
        "archive.org answered the look-up",
        "Re-run later.",
    ),
    Rule(
        "Q601", "quote-not-found", WARN,
        "words quoted in the sentence that cites note n are not in the cited source",
        "A quotation is the strongest claim a publication makes about its source, and the one "
        "a reader checks first. Words that are not in the cited source (a word changed, words "
        "dropped without an ellipsis, a quotation from another source) are a misquote or a "
        "wrong citation. The finding names the closest passage of the source and how it "
        "differs, and which copy was searched (the live page, or the archived copy near the "
        "access date when the page is gone or has changed). Typography is not a difference: "
        "curly or straight quotes, dashes, spacing, soft hyphens, a word hyphenated across a "
        "line or page, the case of the first letter, an ellipsis for omitted words and a "
        "bracketed alteration such as [t]he.",
        "Japan calls it “an even more serious and imminent threat.”¹  "
        "(the source says 'an even more grave and imminent threat')",
        "Japan calls it “an even more grave and imminent threat.”¹",
        "Quote the source's words exactly, mark omissions with an ellipsis and alterations "
        "with brackets, or cite the source the words come from.",
    ),
    Rule(
        "Q602", "quote-page-mismatch", INFO,
        "a quotation is found in the cited PDF, but not on the page the note names",
        "A pin cite sends the reader to a page; a quotation found elsewhere in the source means "
        "the page number is wrong (often after a new edition or a renumbered draft). Pages are "
        "matched by the number printed on the page and by the page's place in the file.",
        "“…the most severe and complex since the end of World War II.”²  "
        "2. Ministry of Defense, National Defense Strategy, p. 4.  (the words are on page 9)",
        "2. Ministry of Defense, National Defense Strategy, p. 9.",
        "Correct the page in the note to the page where the words are.",
    ),
)

BODY_OFFSET = 300
"""A body-link code is its link rule's code plus this: L401 dead in a note, B701 in the body."""


def body_code(link_code: str) -> str:
    """The body-link twin of a link rule's code: L401 -> B701."""
    return f"B{int(link_code[1:]) + BODY_OFFSET}"


def _body_rule(link: Rule) -> Rule:
    """The body-link twin of a link rule: same verdict, same severity, its own code, so a
    user can select or ignore links outside the notes (`--ignore B7`) apart from cited ones."""
    return Rule(
        body_code(link.code), f"body-{link.name}", link.severity,
        f"a URL in the body text, outside the notes: {link.summary}",
        f"A link in the running text is read like a citation. {link.why}",
        f"In the body: {link.bad}", f"In the body: {link.good}",
        link.fix.replace("Cite the archived copy (see A501)", "Link an archived copy (archives "
                         "are looked up for cited links only)"),
        status="preview",
    )


_RULES = _RULES + tuple(_body_rule(r) for r in _RULES if r.code.startswith("L"))
RULES: dict[str, Rule] = {r.code: r for r in _RULES}


def find(query: str) -> list[Rule]:
    """Rules by code, name or prefix of either (`L401`, `link-dead`, `L4`, `link-`)."""
    q = query.strip()
    if q.upper() in RULES:
        return [RULES[q.upper()]]
    by_name = [r for r in RULES.values() if r.name == q.lower()]
    if by_name:
        return by_name
    return [r for r in RULES.values()
            if r.code.startswith(q.upper()) or r.name.startswith(q.lower())]
