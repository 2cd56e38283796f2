"""No request leaves for a private address without allow_private, also through a redirect.

The fault server listens on 127.0.0.1 and 127.0.0.2. To test the refusal with a live server,
these tests pretend 127.0.0.1 is a public address (the site being checked) while 127.0.0.2
and every other loopback, private, link-local or metadata address stay forbidden — then count
the requests that reached /secret on 127.0.0.2: there must be none.
"""

from __future__ import annotations

import pytest
from faultserver import FaultServer
from nethelp import FakeResolver, fast_config, run

from citecheck.model import LinkResult, Verdict
from citecheck.net import safety, transport
from citecheck.net.checker import precheck


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
        ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
        ("100.64.0.1", "private"), ("fd00::1", "private"),
        ("169.254.169.254", "cloud metadata"), ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"), ("fd00:ec2::254", "cloud metadata"),
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
        ("0.0.0.0", "reserved"), ("224.0.0.1", "reserved"),
        ("93.184.215.14", None), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    assert safety.address_problem(address) == problem


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST.", "app.localhost", "2130706433", "127.1", "0x7f.0.0.1",
     "[::1]", "169.254.169.254", "10.0.0.1"],
)
def test_host_problem_catches_literal_forms(host: str) -> None:
    assert safety.host_problem(host) is not None


@pytest.mark.parametrize("host", ["example.org", "8.8.8.8", "1.2.3.4", "site.test"])
def test_public_hosts_pass(host: str) -> None:
    assert safety.host_problem(host) is None


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://[::1]:8080/x", "http://169.254.169.254/latest/meta-data/",
     "http://localhost:5000/admin", "http://192.168.0.1/", "http://2130706433/"],
)
def test_private_literals_skipped_without_a_request(url: str) -> None:
    result = precheck(url, fast_config(allow_private=False), [])
    assert isinstance(result, LinkResult)
    assert (result.verdict, result.reason) == (Verdict.SKIPPED, "private-address")


@pytest.mark.parametrize(
    ("url", "reason"),
    [("ftp://example.org/file", "unsupported-scheme"), ("mailto:a@example.org",
     "unsupported-scheme"), ("http://", "invalid-url"), ("http://exa mple.org/", "invalid-url")],
)
def test_invalid_urls(url: str, reason: str) -> None:
    result = precheck(url, fast_config(), [])
    assert isinstance(result, LinkResult) and result.reason == reason


@pytest.fixture
def loopback_one_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    real = safety.address_problem

    def problem(address: str) -> str | None:
        return None if address == "127.0.0.1" else real(address)

    monkeypatch.setattr(safety, "address_problem", problem)
    monkeypatch.setattr(transport, "address_problem", problem)


@pytest.mark.usefixtures("loopback_one_is_public")
@pytest.mark.parametrize(
    "path", ["/to-private-literal", "/to-private-name", "/to-metadata"]
)
def test_redirect_to_private_is_not_followed(server: FaultServer, path: str) -> None:
    before = server.hits["/secret"]
    url = f"http://site.test:{server.port}{path}"
    result = run([url], fast_config(allow_private=False)).results[url]
    assert (result.verdict, result.reason) == (Verdict.SKIPPED, "private-address")
    assert [h.status for h in result.chain] == [302]
    assert server.hits["/secret"] == before


@pytest.mark.usefixtures("loopback_one_is_public")
def test_name_resolving_to_private_is_refused_by_the_resolver(server: FaultServer) -> None:
    before = server.hits["/secret"]
    url = f"http://internal.test:{server.port}/secret"
    resolver = FakeResolver()
    result = run([url], fast_config(allow_private=False), resolver).results[url]
    assert (result.verdict, result.reason) == (Verdict.SKIPPED, "private-address")
    assert "internal.test" in resolver.asked
    assert server.hits["/secret"] == before


def test_allow_private_fetches(server: FaultServer) -> None:
    before = server.hits["/secret"]
    url = f"http://127.0.0.2:{server.port}/secret"
    assert run([url], fast_config(allow_private=True)).results[url].verdict is Verdict.OK
    assert server.hits["/secret"] == before + 1
