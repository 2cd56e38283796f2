"""One set of checks for every source of a setting (citecheck.settings): a value from a
configuration file, a CITECHECK_* variable or a flag is refused alike, with one line naming
where it came from, and the sources win in the documented order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.config import Config
from citecheck.settings import OPTIONS, validate

DATA = Path(__file__).resolve().parent / "data"

# (configuration line, the same value as a flag or None, what the error line says)
HOSTILE = [
    ("timeout = nan", ["--timeout", "nan"], "nan is not a finite number"),
    ("timeout = 0", ["--timeout", "0"], "0 is below the minimum of 0.1 s"),
    ("timeout = -1", ["--timeout", "-1"], "-1 is below the minimum"),
    ("timeout = inf", ["--timeout", "inf"], "inf is not a finite number"),
    ("max_concurrency = 0", ["--max-concurrency", "0"], "0 is below the minimum of 1"),
    ("host_concurrency = -3", ["--host-concurrency", "-3"], "-3 is below the minimum of 1"),
    ("retries = -1", ["--retries", "-1"], "-1 is below the minimum of 0"),
    ("retries = 1000000", ["--retries", "1000000"], "above the maximum of 20"),
    ("host_interval = -5", ["--host-interval", "-5"], "below the minimum of 0"),
    ("cache_ttl = -1", ["--cache-ttl", "-1"], "below the minimum of 0"),
    ("max_redirects = -1", None, "below the minimum of 0"),
    ("max_body = 0", None, "below the minimum of 1024"),
    ('user_agent = "a\\r\\nX-Evil: 1"', None, "holds control characters"),
    ('[headers."example.org"]\n"X-A" = "b\\nc"', None, "holds control characters"),
    ('[headers."example.org"]\n"X A" = "b"', None, "is not an HTTP header name"),
    ('exclude = ["(?<=x)a"]', ["--exclude", "(?<=x)a"], "no look-around or back-references"),
    ('exclude = ["(a"]', ["--exclude", "(a"], "not a regular expression citecheck can use"),
    ('format = ["json", "sarif"]', ["--format", "json", "--format", "sarif"],
     "would both go to the same output"),
    ('format = "nope"', ["--format", "nope"], "'nope' is not one of"),
    ('select = ["X9"]', ["--select", "X9"], "no rule code starts with X9"),
    ('encoding = "klingon"', ["--encoding", "klingon"], "not a text encoding"),
    ('encoding = "rot13"', ["--encoding", "rot13"], "'rot13' is not a text encoding"),
    ('color = "sometimes"', None, "'sometimes' is not one of auto, always, never"),
    ('output = "a\\u0000b"', None, "holds control characters"),
    ("[archive]\ntimeout = 0", None, "archive.timeout: 0 is below the minimum"),
    ("[archive]\ndrift_threshold = 2.0", None, "above the maximum of 1"),
    ('network_probe = ["example.com"]', None, "is not host:port"),
    ('[archive]\ntimegates = ["ftp://x/"]', None, "is not an http(s) URL"),
    ("[accept]\n\"a.org\" = [42]", None, "42 is not an HTTP status"),
]


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    shutil.copy2(DATA / "broken-ibid.txt", tmp_path / "b.txt")
    return tmp_path / "b.txt"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("citecheck: error: "), err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(("line", "flag", "says"), HOSTILE, ids=[h[0][:30] for h in HOSTILE])
def test_hostile_values_are_refused_from_every_source(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, brief: Path,
    line: str, flag: list[str] | None, says: str,
) -> None:
    config = brief.parent / "citecheck.toml"
    config.write_text(line + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "--offline", str(brief))
    assert code == 2 and out == ""
    assert says in _one_line(err) and str(config) in err
    config.unlink()
    if flag is None:
        return
    code, _, err = _run(capsys, "--offline", *flag, str(brief))
    assert code == 2 and says in _one_line(err) and flag[0] in err
    option = next(o for o in OPTIONS if flag[0] in o.flags)
    values = flag[1::2]
    monkeypatch.setenv(option.env, " ".join(values))
    code, _, err = _run(capsys, "--offline", str(brief))
    assert code == 2 and says in _one_line(err) and option.env in err


def test_the_defaults_pass_the_checks() -> None:
    validate(Config(), "")


def test_precedence_flag_then_environment_then_file_then_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, brief: Path,
) -> None:
    def fail_on(*argv: str) -> str:
        code, out, err = _run(capsys, "--show-config", *argv, str(brief))
        assert code == 0, err
        return next(line for line in out.splitlines() if line.startswith("fail_on"))

    assert fail_on() == 'fail_on = "error"'
    (brief.parent / "citecheck.toml").write_text('fail_on = "warning"\n', encoding="utf-8")
    assert fail_on() == 'fail_on = "warning"'
    monkeypatch.setenv("CITECHECK_FAIL_ON", "info")
    assert fail_on() == 'fail_on = "info"'
    assert fail_on("--fail-on", "never") == 'fail_on = "never"'


def test_switches_and_lists_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, brief: Path,
) -> None:
    monkeypatch.setenv("CITECHECK_OFFLINE", "yes")
    monkeypatch.setenv("CITECHECK_FORMAT", f"concise json:{brief.parent / 'r.json'}")
    monkeypatch.setenv("CITECHECK_SELECT", "R2,N")
    code, out, err = _run(capsys, str(brief))
    assert code == 1, err
    assert out.startswith(f"{brief}:12:1: R202 ")
    report = json.loads((brief.parent / "r.json").read_text())
    assert report["links_not_checked"]["reason"] == "offline"
    monkeypatch.setenv("CITECHECK_OFFLINE", "maybe")
    code, _, err = _run(capsys, str(brief))
    assert code == 2 and "CITECHECK_OFFLINE: 'maybe' is not true or false" in _one_line(err)


def test_a_mistyped_variable_is_pointed_out(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, brief: Path,
) -> None:
    monkeypatch.setenv("CITECHECK_TIMOUT", "3")
    code, _, err = _run(capsys, "--offline", "-q", str(brief))
    assert code == 1
    assert "CITECHECK_TIMOUT is not a citecheck setting (did you mean CITECHECK_TIMEOUT?)" in err


def test_config_file_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, brief: Path,
) -> None:
    other = brief.parent / "other.toml"
    other.write_text('fail_on = "never"\n', encoding="utf-8")
    monkeypatch.setenv("CITECHECK_CONFIG", str(other))
    code, _, err = _run(capsys, "--offline", "-q", str(brief))
    assert code == 0, err
