"""The small program the calendar tests read (tests/worlds.py), whose feeds test_golden.py pins
to the byte, and a delegate with a personal feed."""

from __future__ import annotations

import pytest

from tests import worlds
from tests.factories import OPERATOR
from tests.helpers.registration import register_delegate
from wuzhen_events.registration import services as registration


@pytest.fixture
def program(app) -> worlds.CalendarProgram:
    return worlds.calendar_program()


@pytest.fixture
def delegate(program):
    """A delegate seated in the fintech subforum who starred the opening ceremony."""
    delegate, token = register_delegate(program.conference, "ada@example.org", program.fintech)
    registration.star_session(delegate, program.opening, actor=OPERATOR)
    return delegate, token
