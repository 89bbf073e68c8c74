"""A conference with three bookable subforums, two of them overlapping (tests/worlds.py)."""

from __future__ import annotations

import pytest

from tests import worlds


@pytest.fixture
def setting(app) -> worlds.OverlappingSubforums:
    return worlds.overlapping_subforums()
