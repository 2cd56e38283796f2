"""The loopback fault server (faultserver.py), started once for the whole test session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from faultserver import FaultServer


@pytest.fixture(scope="session")
def server() -> Iterator[FaultServer]:
    s = FaultServer().start()
    yield s
    s.stop()
