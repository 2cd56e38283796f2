"""The README, the GitHub Action and the CLI agree with the code they describe."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from citecheck.config import ArchiveConfig, Config
from citecheck.report import rules_table
from citecheck.settings import OPTIONS, resolve

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

ACTIONS = {"config", "no_config", "show_config", "fix_archive", "suggest"}
"""Flags that act on one invocation rather than configure a run: no configuration key."""


def config_from_argv(argv: list[str]) -> Config:
    """The Config the check command builds from `argv`, parsed by click as a user's are."""
    from citecheck.cli import _check_command

    ctx = _check_command().make_context("citecheck", list(argv))
    params = dict(ctx.params)
    return resolve(params, {}, params.pop("paths"))[0]


def test_readme_starts_with_the_two_commands() -> None:
    # The two commands, as one indented code block: copied as they are, rendered as code.
    first = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:3]
    assert first[0].startswith("    pip install . && citecheck fixtures/")
    assert first[1] == "    pip install '.[test]' && pytest"
    assert first[2] == ""


def test_readme_rule_table_matches_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rules_table.updated(readme) == readme, (
        "the README's rule table is stale: run `python -m citecheck.report.rules_table README.md`"
    )


def test_every_cli_option_has_a_configuration_key() -> None:
    keys = {f.name for f in fields(Config)} | {f"archive.{f.name}" for f in fields(ArchiveConfig)}
    assert {o.name for o in OPTIONS if o.key is None} == ACTIONS
    missing = [o.flags[-1] for o in OPTIONS if o.key is not None and o.key not in keys]
    assert not missing, f"options without a Config key: {missing}"


def test_readme_documents_every_option_and_its_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for o in OPTIONS:
        assert f"`{o.flags[-1]}`" in readme, o.flags[-1]


def test_flags_land_in_the_configuration(tmp_path: Path) -> None:
    argv = [
        "--format", "json", "-o", "out.json", "--fail-on", "warning", "--select", "N,R",
        "--ignore", "R206", "--as-of", "2024-06-01", "-q", "--offline", "--max-concurrency",
        "5", "--host-concurrency", "2", "--host-interval", "100", "--timeout", "3",
        "--retries", "1", "--allow-private", "--no-cache", "--cache-ttl", "60",
        "--no-archive", "--exclude", "x", "--baseline", "b.json", "--no-config",
        "--format", "sarif:s.sarif", "--color", "never", "--statistics", "--encoding", "cp1252",
        "--exclude-path", "drafts/*", str(tmp_path / "b.txt"),
    ]
    c = config_from_argv(argv)
    assert (c.format, c.output, c.fail_on, c.select, c.ignore) == (
        ("json", "sarif:s.sarif"), "out.json", "warning", ("N", "R"), ("R206",))
    assert (c.color, c.statistics, c.encoding, c.exclude_path) == (
        "never", True, "cp1252", ("drafts/*",))
    assert (c.quiet, c.offline, c.max_concurrency, c.host_concurrency, c.host_interval) == (
        True, True, 5, 2, 100.0)
    assert (c.timeout, c.retries, c.allow_private, c.cache, c.cache_ttl) == (
        3.0, 1, True, False, 60.0)
    assert (c.archive.enabled, c.exclude, c.baseline) == (False, ("x",), "b.json")
    assert str(c.as_of) == "2024-06-01"


# --- the GitHub Action ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_is_composite_and_inputs_are_never_interpolated_into_scripts(
    action: dict,
) -> None:
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            # ${{ }} in a script is shell injection; inputs reach scripts through env only
            assert "${{" not in step["run"], step.get("name")
    used = {v.split("inputs.")[1].split()[0].rstrip("}").strip()
            for step in action["runs"]["steps"] for v in _strings(step) if "inputs." in v}
    assert used <= set(action["inputs"]), used - set(action["inputs"])


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _step(action: dict, step_id: str) -> dict:
    return next(s for s in action["runs"]["steps"] if s.get("id") == step_id)


BIN = os.path.dirname(sys.executable)
"""Where this environment's console scripts are (`citecheck` among them), on PATH or not."""


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which(
    "citecheck", path=os.pathsep.join([BIN, os.environ.get("PATH", "")])) is None,
                    reason="needs bash and an installed citecheck")
def test_action_scripts_run_and_gate(action: dict, tmp_path: Path) -> None:
    """The action's own shell steps, run as the runner would: files and args from env,
    outputs to $GITHUB_OUTPUT, the summary to $GITHUB_STEP_SUMMARY, the gate's exit code."""
    shutil.copy2(DATA / "broken-ibid.txt", tmp_path / "brief.txt")
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": os.pathsep.join([BIN, os.environ.get("PATH", "")]),
           "FILES": "*.txt", "ARGS": "--offline --as-of 2025-01-01",
           "SARIF": "true", "SARIF_FILE": "citecheck.sarif"}

    def bash(step: dict) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)

    check = bash(_step(action, "check"))  # one run: annotations and SARIF
    assert check.returncode == 0, check.stderr  # the gate is a later step
    lines = check.stdout.splitlines()
    assert lines[0] == "::notice title=citecheck::1 link not checked (--offline)"
    assert lines[1].startswith("::error file=brief.txt,line=12,col=1,title=R202")
    assert "exit-code=1" in output.read_text()
    assert "sarif-file=citecheck.sarif" in output.read_text()
    sarif = json.loads((tmp_path / "citecheck.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["R202"]
    assert "R202" in summary.read_text()
    gate = next(s for s in action["runs"]["steps"] if s.get("name") == "Gate")
    done = subprocess.run(["bash", "-c", gate["run"]], env={**env, "CODE": "1"})
    assert done.returncode == 1


def test_readme_json_contract_matches_the_output(capsys: pytest.CaptureFixture[str]) -> None:
    """Every field the README's example shows is in the real output, at the same place."""
    import re

    from citecheck.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## JSON contract.*?```json\n(.*?)```", readme, re.S)
    assert block is not None
    documented = json.loads(block.group(1).replace("…", "x"))
    main(["--offline", "--as-of", "2025-01-01", "--format", "json", str(DATA / "broken-ibid.txt")])
    actual = json.loads(capsys.readouterr().out)
    assert set(documented) <= set(actual)
    doc, real = documented["documents"][0], actual["documents"][0]
    assert set(doc) <= set(real)
    for key in ("notes", "markers", "links", "findings"):
        assert set(doc[key][0]) <= set(real[key][0]), key


def test_readme_configuration_examples_are_valid() -> None:
    """Every TOML example in the README loads without an error: a user copies them."""
    import re
    import tomllib

    from citecheck import configfile

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        data = tomllib.loads(block)
        table = data["tool"]["citecheck"] if "tool" in data else data
        configfile.from_table(table, "pyproject.toml")
