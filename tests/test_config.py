"""Configuration files: discovery, precedence (the flag wins), strict keys, --show-config.

Every run goes through the real CLI (`citecheck.cli.main`) in-process, as a user runs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from citecheck import configfile
from citecheck.cli import main
from citecheck.config import Config

DATA = Path(__file__).resolve().parent / "data"
AS_OF = "2025-01-01"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A publication repository: a brief two folders below the root."""
    briefs = tmp_path / "briefs" / "2024"
    briefs.mkdir(parents=True)
    shutil.copy2(DATA / "broken-ibid.txt", briefs / "brief.txt")
    return tmp_path


def brief(project: Path) -> str:
    return str(project / "briefs" / "2024" / "brief.txt")


# --- discovery ------------------------------------------------------------------------------


def test_found_upward_from_the_input(project: Path) -> None:
    (project / "citecheck.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    config, source = configfile.resolve([brief(project)])
    assert source == str(project / "citecheck.toml")
    assert config.fail_on == "never"


def test_pyproject_needs_a_tool_citecheck_table(project: Path) -> None:
    (project / "briefs" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (project / "pyproject.toml").write_text('[tool.citecheck]\nformat = "json"\n')
    config, source = configfile.resolve([brief(project)])
    assert source == str(project / "pyproject.toml")
    assert config.format == ("json",)


def test_the_nearest_file_wins_and_citecheck_toml_before_pyproject(project: Path) -> None:
    (project / "citecheck.toml").write_text('format = "json"\n')
    near = project / "briefs"
    (near / "pyproject.toml").write_text('[tool.citecheck]\nformat = "sarif"\n')
    (near / "citecheck.toml").write_text('format = "junit"\n')
    config, source = configfile.resolve([brief(project)])
    assert (config.format, source) == (("junit",), str(near / "citecheck.toml"))


def test_no_file_means_defaults(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x\n")
    assert configfile.resolve([str(tmp_path / "b.txt")]) == (Config(), None)


# --- precedence -----------------------------------------------------------------------------


def test_the_flag_wins_over_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "citecheck.toml").write_text(
        'format = "json"\nfail_on = "never"\noffline = true\nas_of = 2025-01-01\n'
    )
    code, out, _ = run(capsys, brief(project))
    assert code == 0 and json.loads(out)["summary"]["error"] == 1  # the file's choices
    code, out, _ = run(capsys, "--format", "text", "--fail-on", "error", brief(project))
    assert code == 1 and "R202" in out and not out.startswith("{")  # the flags'


def test_severity_overrides_and_select_from_the_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "citecheck.toml").write_text('[severity]\nR202 = "warning"\n')
    code, out, _ = run(capsys, "--offline", "--as-of", AS_OF, brief(project))
    assert code == 0 and "warning  R202" in out
    (project / "citecheck.toml").write_text('[severity]\nr202 = "off"\n')
    code, out, _ = run(capsys, "--offline", "--as-of", AS_OF, brief(project))
    assert code == 0 and "R202" not in out


def test_no_config_ignores_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "citecheck.toml").write_text('fail_on = "never"\n')
    assert run(capsys, "--offline", "--as-of", AS_OF, brief(project))[0] == 0
    assert run(capsys, "--offline", "--as-of", AS_OF, "--no-config", brief(project))[0] == 1


def test_explicit_config_file(project: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "ci.toml"
    other.write_text('fail_on = "never"\n')
    assert run(capsys, "--offline", "--config", str(other), brief(project))[0] == 0
    code, _, err = run(capsys, "--offline", "--config", str(tmp_path / "nope.toml"),
                       brief(project))
    assert code == 2 and "nope.toml: no such configuration file" in err
    code, _, err = run(capsys, "--offline", "--config", str(tmp_path), brief(project))
    assert code == 2 and "is a directory, not a configuration file" in err


def test_relative_paths_are_relative_to_the_file(project: Path) -> None:
    (project / "citecheck.toml").write_text('baseline = "ci/baseline.json"\n')
    config, _ = configfile.resolve([brief(project)])
    assert config.baseline == str(project / "ci" / "baseline.json")


# --- errors: exit 2, one line, naming the key -------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("timout = 5\n", "unknown key 'timout' (did you mean 'timeout'?)"),
        ("[archive]\nenabeld = false\n", "unknown key 'archive.enabeld' (did you mean"),
        ('timeout = "fast"\n', "timeout: expected a number, got 'fast'"),
        ("select = \"R2\"\n", "select: expected a list, got 'R2'"),
        ('select = ["Z9"]\n', "select: no rule code starts with Z9"),
        ('[severity]\nR202 = "loud"\n', "severity.R202: 'loud' is not one of"),
        ('format = "pdf"\n', "format: 'pdf' is not one of"),
        ('exclude = ["(unclosed"]\n', "exclude: '(unclosed' is not a regular expression"),
        ("[[suppress]]\ncodes = [\"R202\"]\nnote = 3\n", "suppress[0].note: expected a string"),
        ("fail_on = \n", "not valid TOML"),
        ("timeout = 1" + "0" * 5000 + "\n", "not valid TOML (a number too long to read)"),
        ('exclude = ["(' + "a" * 100_000 + '"]\n', "exclude: '(aaaa"),
    ],
)
def test_bad_configuration_is_one_line_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    (project / "citecheck.toml").write_text(toml, encoding="utf-8")
    code, out, err = run(capsys, "--offline", brief(project))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("citecheck: error: ")
    assert message in err and len(err) < 2000  # a huge value is not quoted back in full
    assert "citecheck.toml" in err


def test_bad_exclude_on_the_command_line(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--offline", "--exclude", "[", brief(project))
    assert code == 2 and "exclude" in err and err.count("\n") == 1


# --- --show-config --------------------------------------------------------------------------


def test_show_config_prints_every_key_and_round_trips(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.citecheck]\ntimeout = 5\nselect = ["N", "R2"]\n'
        'paywall_hosts = ["a\\u202eb\\U000e0041.org"]\n'
        '[tool.citecheck.accept]\n"example.com" = [403]\n'
        '[tool.citecheck.headers."example.org"]\nCookie = "consent=1"\n'
        '[[tool.citecheck.suppress]]\nnote = "Ibid., p. 14"\ncodes = ["R202"]\nreason = "ok"\n'
    )
    code, out, _ = run(capsys, "--show-config", "--retries", "7", brief(project))
    assert code == 0
    assert f"# from: defaults, {project / 'pyproject.toml'}, then command-line flags" in out
    assert "timeout = 5.0" in out and "retries = 7" in out
    assert '"a\\u202eb\\U000e0041.org"' in out  # escaped on the terminal, read back the same
    for field in fields(Config):
        assert field.name in out, field.name
    shown = tmp_path / "shown.toml"
    shown.write_text(out, encoding="utf-8")
    again, _ = configfile.resolve([], explicit=str(shown))
    expected, _ = configfile.resolve([brief(project)])
    assert again == configfile.Config(**{**expected.__dict__, "retries": 7})


def test_show_config_without_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--show-config")
    assert code == 0 and "no configuration file" in out and 'fail_on = "error"' in out


# --- the offline path stays light -----------------------------------------------------------


def test_offline_run_imports_nothing_heavy(tmp_path: Path) -> None:
    """The pre-commit hook's latency: no tomllib without a config file, and never rich,
    httpx, bs4 or jsonschema when links are not checked."""
    shutil.copy2(DATA / "clean-brief.txt", tmp_path / "brief.txt")
    code = (
        "import sys\n"
        "before = set(sys.modules)  # site customisation may import typing or more\n"
        "from citecheck.cli import main\n"
        "main(['--offline', 'brief.txt'])\n"
        "heavy = {'tomllib', 'rich', 'httpx', 'bs4', 'jsonschema', 'typing'}\n"
        "print(sorted(heavy & (set(sys.modules) - before)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    loaded = done.stderr.strip().splitlines()[-1]
    assert loaded in ("[]", "['typing']"), loaded  # typing may come from site customisation
