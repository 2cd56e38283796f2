"""The pre-commit hooks, run for real through `pre-commit try-repo` on a temporary git repo.

pre-commit installs a `language: python` hook by creating a virtualenv and `pip install`-ing
the hook repository into it. To keep this test off the network and fast (~3 s), the hook's
virtualenv sees the test environment's site-packages (where citecheck's dependencies are
already installed) and pip is told to use no index and no isolated build. If that offline
install fails — the dependencies are not installed here — the test retries with the index,
and skips cleanly if that fails too (no network).

The hook repository is a fresh git repository holding a copy of this working tree (src/,
pyproject.toml, the hooks file), so the test exercises the code under test, committed or not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OFFLINE_PIP = {
    "VIRTUALENV_SYSTEM_SITE_PACKAGES": "1",
    "PIP_NO_INDEX": "1",
    "PIP_NO_BUILD_ISOLATION": "0",  # pip reads "0" here as "do not isolate the build"
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=citecheck tests", "-c", "user.email=tests@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def _env(home: Path, offline: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    if offline:
        env.update(OFFLINE_PIP)
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (test extra)")
    repo = tmp_path_factory.mktemp("hook-repo")
    shutil.copytree(ROOT / "src", repo / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, repo / name)
    if not (repo / "README.md").exists():  # pyproject names it as the long description
        (repo / "README.md").write_text("citecheck\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "hook repository under test")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(hook_repo: Path, home: Path, brief: Path, tmp_path: Path) -> tuple[int, str]:
    work = tmp_path / "publication"
    work.mkdir()
    shutil.copy2(brief, work / "brief.txt")
    _git(work, "init", "-q")
    _git(work, "add", "brief.txt")
    _git(work, "commit", "-q", "-m", "a brief")
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "citecheck",
               "--files", "brief.txt"]
    output = ""
    for offline in (True, False):
        done = subprocess.run(command, cwd=work, env=_env(home, offline), capture_output=True,
                              text=True, timeout=300)
        output = done.stdout + done.stderr
        if "An error has occurred" not in output:
            return done.returncode, output
        shutil.rmtree(home, ignore_errors=True)  # a half-built environment is not reused
        home.mkdir()
    pytest.skip(f"pre-commit could not install the hook (no network?): {output[-300:]}")


def test_offline_hook_fails_on_a_broken_ibid(
    hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    code, output = _try_repo(hook_repo, pre_commit_home, DATA / "broken-ibid.txt", tmp_path)
    assert code == 1, output
    assert "Failed" in output
    assert "R202" in output and "brief.txt:12:1" in output


def test_offline_hook_passes_on_a_clean_brief(
    hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    code, output = _try_repo(hook_repo, pre_commit_home, DATA / "clean-brief.txt", tmp_path)
    assert code == 0, output
    assert "Passed" in output


def test_hooks_file_declares_offline_and_online_hooks() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"citecheck", "citecheck-links"}
    assert "--offline" in hooks["citecheck"]["entry"].split()
    assert "stages" not in hooks["citecheck"]  # every commit
    assert "--offline" not in hooks["citecheck-links"]["entry"].split()
    assert hooks["citecheck-links"]["stages"] == ["pre-push", "manual"]
    assert all(h["language"] == "python" for h in hooks.values())
