"""The small Expo most Expo tests read."""

import pytest

from tests.expo.small_expo import make_small_expo


@pytest.fixture
def expo(app):
    return make_small_expo()
