"""Writing reports: several formats from one run, and one line (exit 2) for every place a
report cannot go — a full disk, a closed stdout, a folder, a missing directory — and for a
file the user named that cannot be read (a deeply nested configuration or baseline)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.cli import main

DATA = Path(__file__).resolve().parent / "data"
RUN = [sys.executable, "-c", "import sys; from citecheck.cli import main; sys.exit(main())"]


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    shutil.copy2(DATA / "broken-ibid.txt", tmp_path / "b.txt")
    return tmp_path / "b.txt"


def _proc(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITECHECK")}
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([*RUN, "--offline", "--no-config", *argv], stderr=subprocess.PIPE,
                          text=True, timeout=60, env=env, **kwargs)  # type: ignore[call-overload]


def _one_error(err: str, says: str) -> None:
    assert err.count("\n") == 1 and err.startswith("citecheck: error: "), err
    assert says in err and "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_stdout_is_one_line(brief: Path) -> None:
    with open("/dev/full", "w") as full:
        done = _proc(str(brief), stdout=full)
    assert done.returncode == 2
    _one_error(done.stderr, "cannot write to stdout (No space left on device)")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_quiet_clean_run_writes_nothing_so_a_full_stdout_is_no_error(tmp_path: Path) -> None:
    shutil.copy2(DATA / "clean-brief.txt", tmp_path / "c.txt")
    with open("/dev/full", "w") as full:
        done = _proc("-q", str(tmp_path / "c.txt"), stdout=full)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_closed_stdout_is_one_line(brief: Path) -> None:
    done = subprocess.run(
        [*RUN, "--offline", "--no-config", str(brief)], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, timeout=60,
        preexec_fn=lambda: os.close(1),  # the stream a user closed with >&-
    )
    assert done.returncode == 2
    _one_error(done.stderr, "cannot write to stdout: it is closed")


def test_a_reader_that_stops_early_is_not_an_error(brief: Path) -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
    done = _proc("--format", "json", "--select", "ALL", str(brief), stdout=reader.stdin)
    reader.stdin.close()  # type: ignore[union-attr]
    reader.wait()
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.parametrize("where", ["folder", "missing-dir"])
def test_an_unwritable_output_is_one_line(
    brief: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    target = brief.parent if where == "folder" else brief.parent / "nope" / "r.sarif"
    code = main(["--offline", "--format", f"sarif:{target}", str(brief)])
    _, err = capsys.readouterr()
    assert code == 2
    _one_error(err, f"{target}: cannot write")


def test_deeply_nested_configuration_and_baseline_are_one_line(
    brief: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = brief.parent / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert main(["--offline", "--config", str(deep), str(brief)]) == 2
    _one_error(capsys.readouterr().err, "not valid TOML")
    deep = brief.parent / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["--offline", "--baseline", str(deep), str(brief)]) == 2
    _one_error(capsys.readouterr().err, "not a citecheck baseline")


def test_several_formats_from_one_run(brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sarif, junit = brief.parent / "r.sarif", brief.parent / "r.xml"
    code = main(["--offline", "--format", "github", "--format", f"sarif:{sarif}",
                 "--format", f"junit:{junit}", str(brief)])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert out.splitlines()[0] == "::notice title=citecheck::1 link not checked (--offline)"
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "R202"
    assert 'skipped message="not checked (--offline)"' in junit.read_text()


def test_two_formats_cannot_share_stdout(brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--offline", "--format", "json", "--format", "text", str(brief)]) == 2
    _one_error(capsys.readouterr().err, "would both go to the same output")


def test_output_and_a_format_path_cannot_name_one_file(
    brief: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = brief.parent / "r.json"
    code = main(["--offline", "--format", "json", "-o", str(out),
                 "--format", f"sarif:{brief.parent}/./r.json", str(brief)])
    assert code == 2
    _one_error(capsys.readouterr().err, "--output and --format sarif: would both write")
    assert not out.exists()
    assert main(["--offline", "--write-baseline", str(out), "--format", f"json:{out}",
                 str(brief)]) == 2
    _one_error(capsys.readouterr().err, "--format json: and --write-baseline would both write")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["rules"], ["--show-config"]])
def test_other_commands_on_a_full_stdout_are_one_line(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*RUN, *argv], stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=60)
    assert done.returncode == 2
    _one_error(done.stderr, "cannot write to stdout (No space left on device)")


def test_an_output_onto_a_file_a_folder_run_reads_is_refused(
    brief: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = brief.read_bytes()
    assert main(["--offline", "--output", str(brief), str(brief.parent)]) == 2
    _one_error(capsys.readouterr().err, "is one of the files being checked")
    assert brief.read_bytes() == before
