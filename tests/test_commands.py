"""The click command line: the default command, `rules`, `cache`, did-you-mean, colour."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citecheck.cli import main

DATA = Path(__file__).resolve().parent / "data"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("typo", "meant"), [("--ofline", "--offline"), ("--formt", "--format"),
                                             ("--fail-onn", "--fail-on")])
def test_a_mistyped_flag_suggests_the_right_one(
    capsys: pytest.CaptureFixture[str], typo: str, meant: str
) -> None:
    code, out, err = _run(capsys, typo, "b.txt")
    assert (code, out) == (2, "")
    assert err == f"citecheck: error: no such option {typo} (did you mean {meant}?)\n"


def test_help_version_and_the_other_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and "PATH..." in out and "citecheck rules" in out and "--offline" in out
    assert "CITECHECK_" in out
    code, out, _ = _run(capsys, "--version")
    assert (code, out.split()[0]) == (0, "citecheck")


@pytest.mark.parametrize(("query", "codes"), [
    ("R202", ["R202"]), ("ibid-ambiguous", ["R202"]), ("r20", ["R201", "R202", "R203",
                                                               "R204", "R205", "R206"]),
    ("body-link-d", ["B701"]), ("L40", [f"L40{i}" for i in range(1, 10)]),
])
def test_rules_by_code_name_or_prefix(
    capsys: pytest.CaptureFixture[str], query: str, codes: list[str]
) -> None:
    code, out, _ = _run(capsys, "rules", "--format", "json", query)
    assert code == 0
    assert [r["code"] for r in json.loads(out)] == codes
    code, out, _ = _run(capsys, "rules", query)
    assert code == 0 and all(c in out for c in codes)


def test_rules_json_lists_the_catalogue_with_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules", "--format", "json")
    rules = {r["code"]: r for r in json.loads(out)}
    assert code == 0 and rules["Q601"]["status"] == "stable"
    assert rules["L401"]["status"] == "stable" and rules["B701"]["status"] == "preview"
    code, out, _ = _run(capsys, "rules")
    assert "Q602" in out and "(preview)" in out
    code, _, err = _run(capsys, "rules", "Z9")
    assert code == 2 and "no rule 'Z9'" in err


def test_cache_info_and_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "citecheck.toml").write_text('cache_dir = "cache"\n')
    code, out, _ = _run(capsys, "cache", "info")
    assert code == 0 and "nothing cached yet" in out and str(tmp_path / "cache") in out
    import sqlite3

    (tmp_path / "cache").mkdir()
    db = sqlite3.connect(tmp_path / "cache" / "links.sqlite3")
    db.execute("CREATE TABLE links (url TEXT)")
    db.execute("INSERT INTO links VALUES ('https://a.example/')")
    db.commit()
    db.close()
    code, out, _ = _run(capsys, "cache", "info")
    assert code == 0 and "link results: 1" in out
    code, out, _ = _run(capsys, "cache", "clean")
    assert code == 0 and out.startswith("removed the cache")
    assert not (tmp_path / "cache" / "links.sqlite3").exists()


@pytest.mark.parametrize(("argv", "env", "coloured"), [
    ([], {}, False),
    (["--color", "always"], {}, True),
    ([], {"FORCE_COLOR": "1"}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    (["--color", "always"], {"NO_COLOR": "1"}, True),
    ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ([], {"CITECHECK_COLOR": "always"}, True),
])
def test_colour_follows_the_flag_no_color_and_force_color(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    argv: list[str], env: dict[str, str], coloured: bool,
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "CITECHECK_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    shutil.copy2(DATA / "broken-ibid.txt", tmp_path / "b.txt")
    code, out, _ = _run(capsys, "--offline", *argv, str(tmp_path / "b.txt"))
    assert code == 1 and ("\x1b[" in out) is coloured


def test_a_mistyped_command_is_pointed_out(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "rule", "R202")
    assert code == 2
    assert err == "citecheck: error: rule: no such file (did you mean `citecheck rules`?)\n"
    for typo, meant in (("rles", "rules"), ("Rules", "rules"), ("cahe", "cache"),
                        ("cach", "cache")):
        assert _run(capsys, typo, "info")[2] == (
            f"citecheck: error: {typo}: no such file (did you mean `citecheck {meant}`?)\n")
    assert _run(capsys, "brief")[2] == "citecheck: error: brief: no such file\n"


def test_shell_completion_offers_flags_formats_and_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def complete(words: str) -> str:
        monkeypatch.setenv("_CITECHECK_COMPLETE", "bash_complete")
        monkeypatch.setenv("COMP_WORDS", words)
        monkeypatch.setenv("COMP_CWORD", str(len(words.split(" ")) - 1))
        with pytest.raises(SystemExit):
            main([])
        return capsys.readouterr().out

    assert "plain,--offline" in complete("citecheck --off")
    assert complete("citecheck --format js") == "plain,json\n"
    assert "plain,rules" in complete("citecheck ru")
    assert "plain,rules" not in complete("citecheck --offline ru")
