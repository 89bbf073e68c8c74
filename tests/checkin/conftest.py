"""The check-in world fixture (tests/helpers/checkin.py)."""

from tests.helpers.checkin import world  # noqa: F401
