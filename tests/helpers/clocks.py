"""A clock the test moves by hand, for the time-to-live checks of feeds and schedule files."""

from __future__ import annotations


class Clock:
    """A monotonic clock that stands still until the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
