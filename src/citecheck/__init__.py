"""citecheck: verify the endnotes, back-references, links and access dates of a publication.

    >>> from citecheck import check
    >>> report = check(["brief.txt"])          # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/citecheck-notes/citecheck"
"""The project's own page: named by the User-Agent, SARIF's informationUri and the README."""

TYPE_CHECKING = False  # keeps `typing` off the start-up path

if TYPE_CHECKING:
    from citecheck.config import Config
    from citecheck.model import Report

__all__ = ["__version__", "check"]


def check(paths: list[str], config: Config | None = None) -> Report:
    """Check the documents at `paths`; see `citecheck.pipeline.check`."""
    from citecheck.pipeline import check as _check

    return _check(paths, config)
