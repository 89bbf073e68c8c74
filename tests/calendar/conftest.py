"""The small program the calendar tests read (tests/worlds.py); its feeds are pinned to the
byte by test_golden.py."""

from __future__ import annotations

import pytest

from tests import worlds


@pytest.fixture
def program(app) -> worlds.CalendarProgram:
    return worlds.calendar_program()
