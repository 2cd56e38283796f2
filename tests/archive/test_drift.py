"""Content drift (A503): pure comparisons, then through the stage against the fake archive."""

from __future__ import annotations

from fakearchive import Cap, FakeArchive
from helpers import brief, cite, codes, config, results, run
from pages import ARTICLE, REWRITTEN, html

from citecheck.archive import drift
from citecheck.archive.stage import ArchiveOutcome
from citecheck.model import Verdict


def test_a_rewritten_page_has_drifted() -> None:
    result = drift.compare(html(ARTICLE), html(REWRITTEN))
    assert result.retained < 0.1 and result.drifted(0.5) is True


def test_changed_dates_navigation_and_footer_are_not_drift() -> None:
    later = html(ARTICLE, menu="Start | Stories | Data | Careers | Contact", date="June 10, 2025",
                 year="2025", sidebar="Most read: ferry strike ends; new cranes arrive")
    result = drift.compare(html(ARTICLE, toolbar=True), later)
    assert result.retained == 1.0 and result.drifted(0.5) is False


def test_text_added_to_the_live_page_is_not_drift() -> None:
    grown = html(ARTICLE + " Correction: an earlier version misstated the tonnage. " + REWRITTEN)
    assert drift.compare(html(ARTICLE), grown).drifted(0.5) is False


def test_a_partly_edited_page_is_judged_by_the_threshold() -> None:
    half = ARTICLE.split(". ")
    edited = ". ".join(half[:3]) + ". " + REWRITTEN
    result = drift.compare(html(ARTICLE), html(edited))
    assert 0.2 < result.retained < 0.8
    assert result.drifted(0.9) is False and result.drifted(0.1) is True


def test_a_page_with_too_little_text_gets_no_verdict() -> None:
    assert drift.compare(html("Loading…"), html(REWRITTEN)).drifted(0.5) is None


def test_main_text_drops_boilerplate_and_markup() -> None:
    text = drift.main_text(html(ARTICLE, toolbar=True))
    assert "Rotterdam" in text and "Wayback" not in text and "tracking" not in text
    assert "rights reserved" not in text and "News" not in text


def test_dates_are_erased_before_comparing() -> None:
    words = drift.normalise("Updated 3 May 2024, 10:32 a.m. EDT; posted 2024-05-03 and 5/3/24")
    assert words == ["updated", "posted", "and"]


def test_malformed_html_does_not_crash() -> None:
    assert drift.main_text(b"") == ""
    assert drift.main_text(b"<<<>>><p>unclosed <b>text") != "x"


def _live_case(archive: FakeArchive, live_body: bytes) -> tuple[str, ArchiveOutcome]:
    url = f"{archive.base}/live/article"
    archive.live["article"] = (200, live_body)
    archive.add(url, Cap("20240401000000", url, body=html(ARTICLE, toolbar=True)),
                Cap("20230101000000", url, body=html("An older text entirely. " * 20)))
    out = run([brief(cite(url))], results(**{url: Verdict.OK}), config(archive))
    return url, out


def test_stage_reports_a503_for_a_rewritten_live_page(archive) -> None:
    url, out = _live_case(archive, html(REWRITTEN))
    assert codes(out) == ["A503"]
    finding = out.findings[0][0]
    assert "2024-04-01" in finding.message and finding.note == 1
    assert out.results[url].archive is not None  # the snapshot is the evidence
    # The capture was read raw (Wayback's id_ flag), not through the replay toolbar.
    assert any("id_/" in e.path for e in archive.log)


def test_stage_reports_nothing_when_only_date_and_navigation_changed(archive) -> None:
    later = html(ARTICLE, menu="Start | Stories | Data", date="June 10, 2025", year="2025")
    url, out = _live_case(archive, later)
    assert codes(out) == []
    assert out.results[url].archive is None
    assert out.drifts and not next(iter(out.drifts.values())).drifted


def test_no_drift_check_without_an_access_date_or_when_turned_off(archive) -> None:
    url = f"{archive.base}/live/article"
    archive.live["article"] = (200, html(REWRITTEN))
    archive.add(url, Cap("20240401000000", url, body=html(ARTICLE)))
    out = run([brief(cite(url, accessed=None))], results(**{url: Verdict.OK}), config(archive))
    assert codes(out) == [] and archive.log == []
    out = run([brief(cite(url))], results(**{url: Verdict.OK}), config(archive, drift=False))
    assert codes(out) == [] and archive.log == []


def test_a_snapshot_far_from_the_access_date_is_not_compared(archive) -> None:
    url = f"{archive.base}/live/article"
    archive.live["article"] = (200, html(REWRITTEN))
    archive.add(url, Cap("20200101000000", url, body=html(ARTICLE)))
    out = run([brief(cite(url))], results(**{url: Verdict.OK}), config(archive))
    assert codes(out) == []
