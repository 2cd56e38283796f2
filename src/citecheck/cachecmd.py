"""`citecheck cache info` and `citecheck cache clean`: the result cache, shown and emptied.

The cache is one SQLite file (net/cache.py) holding link results and archive look-ups; its
place follows `cache_dir` (configuration, or the user cache folder).
"""

from __future__ import annotations

import os

from citecheck.config import Config
from citecheck.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_TABLES = (("links", "link results"), ("archive_lookups", "archive look-ups"))


def _files(config: Config) -> list[str]:
    from citecheck.net.cache import default_path

    path = str(default_path(config))
    return [path, f"{path}-wal", f"{path}-shm"]


def info(config: Config) -> str:
    import sqlite3

    files = _files(config)
    lines = [f"cache: {files[0]}"]
    if not os.path.exists(files[0]):
        return lines[0] + " (empty: nothing cached yet)\n"
    size = sum(os.path.getsize(f) for f in files if os.path.exists(f))
    lines.append(f"size: {size / 1024:.0f} KiB")
    try:
        db = sqlite3.connect(f"file:{files[0]}?mode=ro", uri=True)
        try:
            present = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table, label in _TABLES:
                count = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] \
                    if table in present else 0
                lines.append(f"{label}: {count}")
        finally:
            db.close()
    except sqlite3.Error as exc:
        lines.append(f"unreadable: {exc} (`citecheck cache clean` removes it)")
    return "\n".join(lines) + "\n"


def clean(config: Config) -> str:
    removed = 0
    for path in _files(config):
        try:
            os.remove(path)
            removed += 1
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise InputError(f"{path}: cannot remove ({exc.strerror or exc})") from None
    where = _files(config)[0]
    return f"removed the cache {where}\n" if removed else f"no cache at {where}\n"


def command() -> Any:
    """`citecheck cache info` and `citecheck cache clean` (built only when run)."""
    import click

    from citecheck.report.outputs import write_stdout

    def config() -> Config:
        from citecheck.settings import resolve

        return resolve({}, os.environ, ())[0]

    def alone() -> int | None:  # `citecheck cache` alone is `citecheck cache info`
        if click.get_current_context().invoked_subcommand is None:
            return write_stdout(info(config())) or 0
        return None

    group = click.Group("cache", help="Show (info, the default) or empty (clean) the result "
                        "cache of links and archive look-ups, found from the configuration's "
                        "cache_dir.", invoke_without_command=True, callback=alone,
                        context_settings={"help_option_names": ["-h", "--help"]})
    group.add_command(click.Command("info", help="Where the cache is, its size and contents.",
                                    callback=lambda: write_stdout(info(config())) or 0))
    group.add_command(click.Command("clean", help="Remove the cache file.",
                                    callback=lambda: write_stdout(clean(config())) or 0))
    return group
