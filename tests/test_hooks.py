"""The pre-commit hooks, run for real through `pre-commit try-repo` on a temporary git repo.

pre-commit installs a `language: python` hook by creating a virtualenv and `pip install`-ing
the hook repository into it. To keep the test off the network and fast, the first attempt
installs offline: pip is told to use no index and no build isolation, and the hook's
environment sees this test environment's installed packages through PYTHONPATH — a folder
of links to them, without the build tools (pip, setuptools, wheel), so that the hook's own
virtualenv builds citecheck with its own. (`VIRTUALENV_SYSTEM_SITE_PACKAGES` does not do
this: virtualenv resolves a virtualenv's python to the base interpreter, whose site-packages
are not this environment's, and pip then finds no `rich`.) If that fails, the test retries
with the package index, and skips only if pre-commit could not install the hook either way
(its "An unexpected error has occurred: CalledProcessError" on the install command).

The hook repository is a fresh git repository holding a copy of this working tree (src/,
pyproject.toml, the hooks file), so the test exercises the code under test, committed or not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OFFLINE_PIP = {
    "PIP_NO_INDEX": "1",
    "PIP_NO_BUILD_ISOLATION": "0",  # pip reads "0" here as "do not isolate the build"
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}
BUILD_TOOLS = ("pip", "setuptools", "wheel", "_distutils_hack", "pkg_resources",
               "distutils-precedence.pth", "citecheck", "__editable__", "__pycache__")
INSTALL_FAILED = re.compile(r"An (unexpected )?error has occurred: CalledProcessError: "
                            r"command: .*-m ?pip', 'install'")


def _site_view(root: Path) -> Path:
    """A folder of links to this environment's installed packages, minus the build tools
    and citecheck itself: what the hook's environment may import and pip counts installed."""
    view = root / "site-view"
    if view.exists():
        return view
    view.mkdir()
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        for entry in Path(folder).iterdir():
            if entry.name.startswith(BUILD_TOOLS) or entry.suffix == ".pth":
                continue
            target = view / entry.name
            if not target.exists():
                target.symlink_to(entry)
    return view


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=citecheck tests", "-c", "user.email=tests@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def _env(home: Path, offline: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT", "CITECHECK_"))}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    if offline:
        env.update(OFFLINE_PIP)
        env["PYTHONPATH"] = str(_site_view(home.parent))
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (test extra)")
    repo = tmp_path_factory.mktemp("hook-repo")
    shutil.copytree(ROOT / "src", repo / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md", "LICENSE"):
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
        log = home / "pre-commit.log"
        if log.exists():
            output += log.read_text(encoding="utf-8", errors="replace")
        if not INSTALL_FAILED.search(output):
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
