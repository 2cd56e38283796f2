"""Network down versus dead links (issue 3, item 6).

A machine without internet, whose resolver answers "no such host" for every name, must get
"network unreachable" and exit 3 — never a report of dead links. A brief whose other hosts
answer, or a machine whose well-known probe names still resolve and connect, keeps its dead
links dead. DNS is faked throughout, so no test depends on (or reaches) the real network.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import aiohttp.resolver
import pytest
from faultserver import FaultServer, free_port
from nethelp import FakeResolver, fast_config, run

from citecheck import cli
from citecheck.model import Verdict
from citecheck.net import transport

BRIEF_URLS = [
    "https://www.mod.go.jp/j/approach/agenda/guideline/pdf/security_strategy_en.pdf",
    "https://www.ft.com/content/df99994d-ec4b-4c3c-9c42-738ec9b338d0",
    "https://www.heritage.org/defense/report/aukus-good-first-step-it-needs-go-further",
]
NO_DNS = FakeResolver(default=None)  # every name: NXDOMAIN


def test_no_dns_at_all_is_network_down() -> None:
    config = fast_config(network_probe=("example.com:443", "www.wikipedia.org:443"))
    outcome = run(BRIEF_URLS, config, NO_DNS)
    assert outcome.network_down
    assert outcome.notice and "network unreachable" in outcome.notice
    assert {r.verdict for r in outcome.results.values()} == {Verdict.SKIPPED}
    assert {r.reason for r in outcome.results.values()} == {"network-down"}


def test_every_connection_refused_and_probe_fails_is_network_down() -> None:
    urls = [f"http://127.0.0.1:{free_port()}/a", f"http://127.0.0.1:{free_port()}/b"]
    outcome = run(urls, fast_config(network_probe=("example.com:443",), retries=0), NO_DNS)
    assert outcome.network_down
    assert not any(r.verdict is Verdict.DEAD for r in outcome.results.values())


def test_dead_host_among_live_ones_is_dead(server: FaultServer) -> None:
    live = f"http://site.test:{server.port}/article"
    urls = [live, "http://nosuch.invalid/report"]
    outcome = run(urls, fast_config(network_probe=("example.com:443",)), FakeResolver())
    assert not outcome.network_down
    assert outcome.results["http://nosuch.invalid/report"].verdict is Verdict.DEAD


def test_all_links_dead_but_probe_answers_is_not_down(server: FaultServer) -> None:
    resolver = FakeResolver({"probe.test": "127.0.0.1"}, default=None)
    config = fast_config(network_probe=(f"probe.test:{server.port}",))
    outcome = run(BRIEF_URLS, config, resolver)
    assert not outcome.network_down
    assert {r.verdict for r in outcome.results.values()} == {Verdict.DEAD}
    assert {r.reason for r in outcome.results.values()} == {"nxdomain"}
    assert "probe.test" in resolver.asked


def test_probe_name_resolving_but_not_connecting_is_down() -> None:
    resolver = FakeResolver({"probe.test": "127.0.0.1"}, default=None)
    config = fast_config(network_probe=(f"probe.test:{free_port()}",))
    assert run(BRIEF_URLS, config, resolver).network_down


def test_no_probe_configured_never_decides_down() -> None:
    outcome = run(BRIEF_URLS, fast_config(network_probe=()), NO_DNS)
    assert not outcome.network_down
    assert {r.verdict for r in outcome.results.values()} == {Verdict.DEAD}


def test_cli_exits_3_with_one_line_and_no_dead_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dns(*args: object, **kwargs: object) -> FakeResolver:
        return FakeResolver(default=None)

    monkeypatch.setattr(transport, "ThreadedResolver", no_dns)
    monkeypatch.setattr(aiohttp.resolver, "ThreadedResolver", no_dns)
    brief = tmp_path / "brief.txt"
    brief.write_text(
        "Japan's strategy changed.¹ Allies responded.² Analysts agree.³\n\nEndnotes\n\n"
        + "".join(
            f"{i}. Author {i}, *Title {i}*, 2024, {url} (accessed April 5, 2024).\n"
            for i, url in enumerate(BRIEF_URLS, 1)
        ),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(brief), "--no-cache", "--format", "json"])
    assert code == 3
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "network unreachable" in lines[0]
    assert "L401" not in out.getvalue()
    assert '"dead"' not in out.getvalue()


def test_loopback_rig_with_unresolvable_hosts_is_not_down(server: FaultServer) -> None:
    """A fault server on 127.0.0.1 beside hosts that do not resolve, on a machine without
    internet (every probe fails): the answering server shows the network stack works, so the
    unresolvable hosts are dead, not "network down"."""
    urls = [f"http://127.0.0.1:{server.port}/article", "http://nosuch.invalid/x",
            "https://gone.example.org/report"]
    outcome = run(urls, fast_config(network_probe=("example.com:443",)), NO_DNS)
    assert not outcome.network_down
    assert [r.verdict for r in outcome.results.values()] == [Verdict.OK, Verdict.DEAD,
                                                             Verdict.DEAD]


def test_special_use_names_are_dead_even_without_network() -> None:
    """.invalid never resolves anywhere (RFC 6761): its NXDOMAIN is no evidence of an outage."""
    outcome = run(["http://nosuch.invalid/x"], fast_config(network_probe=("example.com:443",)),
                  NO_DNS)
    assert not outcome.network_down
    assert outcome.results["http://nosuch.invalid/x"].verdict is Verdict.DEAD
