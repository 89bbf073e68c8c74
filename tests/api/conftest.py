"""A small program and Expo, built through the services, that most API tests read."""

from __future__ import annotations

import pytest

from tests import worlds
from tests.helpers.checkin import world  # noqa: F401  (the check-in fixture)


@pytest.fixture
def program(app) -> worlds.SmallProgram:
    return worlds.small_program()
