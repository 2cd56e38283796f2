"""The result cache: reruns make no requests, failures are rechecked sooner, history is kept."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
from faultserver import FaultServer
from nethelp import fast_config, run

from citecheck.config import Config
from citecheck.model import LinkResult, Verdict
from citecheck.net import cache


def _path(url: str, server: FaultServer) -> str:
    return url.split(f":{server.port}", 1)[1]


def test_second_run_within_ttl_makes_no_request(server: FaultServer, tmp_path: Path) -> None:
    config = fast_config(cache=True, cache_dir=str(tmp_path))
    ok = f"http://site.test:{server.port}/article?c={uuid.uuid4().hex}"
    dead = f"http://site.test:{server.port}/gone-404?c={uuid.uuid4().hex}"
    first = run([ok, dead], config)
    second = run([ok, dead], config)
    assert server.hits[_path(ok, server)] == 1
    assert server.hits[_path(dead, server)] == 1
    assert second.requests == 0
    assert all(r.from_cache for r in second.results.values())
    assert [r.verdict for r in second.results.values()] == [
        r.verdict for r in first.results.values()
    ]
    assert second.results[ok].status == 200


def test_no_cache_neither_reads_nor_writes(server: FaultServer, tmp_path: Path) -> None:
    config = fast_config(cache=False, cache_dir=str(tmp_path))
    url = f"http://site.test:{server.port}/article?c={uuid.uuid4().hex}"
    run([url], config)
    run([url], config)
    assert server.hits[_path(url, server)] == 2
    assert not (tmp_path / "links.sqlite3").exists()


def test_failure_history_across_runs(server: FaultServer, tmp_path: Path) -> None:
    config = fast_config(cache=True, cache_dir=str(tmp_path), cache_ttl=0.0)
    url = f"http://site.test:{server.port}/gone-410?c={uuid.uuid4().hex}"
    results = [run([url], config).results[url] for _ in range(3)]
    assert [r.failures for r in results] == [1, 2, 3]
    assert results[2].failing_since == results[0].checked_at
    assert server.hits[_path(url, server)] == 3


def test_changed_settings_recheck(server: FaultServer, tmp_path: Path) -> None:
    url = f"http://site.test:{server.port}/article?c={uuid.uuid4().hex}"
    run([url], fast_config(cache=True, cache_dir=str(tmp_path)))
    again = run([url], fast_config(cache=True, cache_dir=str(tmp_path),
                                   paywall_hosts=("site.test",)))
    assert again.results[url].verdict is Verdict.PAYWALL
    assert server.hits[_path(url, server)] == 2


def test_a_file_that_is_not_a_database_is_moved_aside_and_made_anew(
    server: FaultServer, tmp_path: Path
) -> None:
    (tmp_path / "links.sqlite3").write_bytes(b"not a database" * 100)
    url = f"http://site.test:{server.port}/article?c={uuid.uuid4().hex}"
    config = fast_config(cache=True, cache_dir=str(tmp_path))
    start = time.monotonic()
    assert run([url], config).results[url].verdict is Verdict.OK
    assert (tmp_path / "links.sqlite3.corrupt").read_bytes().startswith(b"not a database")
    again = run([url], config)  # the new cache works: the rerun makes no request
    assert again.requests == 0 and again.results[url].from_cache
    assert time.monotonic() - start < 2


@pytest.mark.parametrize(("column", "value"), [
    ("checked_at", 1e300), ("checked_at", -5.0), ("checked_at", "soon"),
    ("checked_at", time.time() + 10 * 365 * 86400),  # "checked" in the future: never stale
    ("failing_since", 1e300), ("failures", "many"),
    ("result", '{"verdict": "alive"}'), ("result", "[[["), ("result", '{"verdict": "ok", '
                                                           '"status": "200"}'),
])
def test_a_bad_row_is_dropped_not_obeyed(
    column: str, value: object, server: FaultServer, tmp_path: Path
) -> None:
    url = f"http://site.test:{server.port}/gone-404?c={uuid.uuid4().hex}"
    config = fast_config(cache=True, cache_dir=str(tmp_path))
    assert run([url], config).results[url].verdict is Verdict.DEAD
    with sqlite3.connect(tmp_path / "links.sqlite3") as db:
        db.execute(f"UPDATE links SET {column} = ? WHERE url = ?", (value, url))
    again = run([url], config)
    assert again.requests == 1 and not again.results[url].from_cache
    assert again.results[url].verdict is Verdict.DEAD


def test_a_table_of_another_shape_is_made_anew(server: FaultServer, tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "links.sqlite3") as db:
        db.execute("CREATE TABLE links (url TEXT PRIMARY KEY, verdict TEXT)")
    url = f"http://site.test:{server.port}/article?c={uuid.uuid4().hex}"
    config = fast_config(cache=True, cache_dir=str(tmp_path))
    run([url], config)
    assert run([url], config).requests == 0


def test_every_setting_that_shapes_a_verdict_is_in_the_key() -> None:
    base = cache.settings_key(fast_config())
    for change in ({"timeout": 5.0}, {"retries": 0}, {"connect_timeout": 3.0},
                   {"max_redirects": 2}, {"max_body": 1024}, {"doi_resolver": ""},
                   {"user_agent": "x"}, {"allow_private": False}):
        assert cache.settings_key(fast_config(**change)) != base, change


def test_failures_are_rechecked_sooner_than_successes() -> None:
    base = 3600.0
    assert cache.ttl(Verdict.OK, base) == base
    assert cache.ttl(Verdict.DEAD, base) < base
    assert cache.ttl(Verdict.TIMEOUT, base) < cache.ttl(Verdict.DEAD, base)
    assert cache.ttl(Verdict.SKIPPED, base) == 0
    now = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    hour_old = now - dt.timedelta(hours=1, minutes=1)
    assert cache.fresh(LinkResult("u", Verdict.OK, checked_at=hour_old), now, 86400)
    assert not cache.fresh(LinkResult("u", Verdict.TIMEOUT, checked_at=hour_old), now, 86400)


def test_history_resets_on_success() -> None:
    now = dt.datetime(2024, 5, 3, tzinfo=dt.UTC)
    since = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    before = LinkResult("u", Verdict.DEAD, checked_at=since, failures=2, failing_since=since)
    again = cache.with_history(LinkResult("u", Verdict.DEAD, checked_at=now), before, now)
    assert (again.failures, again.failing_since) == (3, since)
    back = cache.with_history(LinkResult("u", Verdict.OK, checked_at=now), again, now)
    assert (back.failures, back.failing_since) == (0, None)
    blocked = cache.with_history(LinkResult("u", Verdict.BLOCKED), again, now)
    assert blocked.failures == 0  # "could not verify" is not a failure of the link


def test_cache_dir_defaults_to_user_cache(monkeypatch: object) -> None:
    path = cache.default_path(Config())
    assert path.name == "links.sqlite3" and "citecheck" in str(path)


def test_a_cache_dir_that_cannot_be_used_is_said(tmp_path: Path) -> None:
    """The user named the folder: a run that goes without the cache says why, once."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert cache.problem(Config(cache_dir=str(blocker / "sub")))
    assert cache.problem(Config(cache_dir=str(tmp_path / "fine"))) is None
    assert (tmp_path / "fine" / "links.sqlite3").exists()
