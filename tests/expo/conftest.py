"""The small Expo most Expo tests read (tests/worlds.py)."""

import pytest

from tests import worlds


@pytest.fixture
def expo(app) -> worlds.SmallExpo:
    return worlds.small_expo()
