"""Fixtures for the archive stage: a fresh fake archive per test, briefs, fast configs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fakearchive import FakeArchive


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    server = FakeArchive().start()
    yield server
    server.stop()
