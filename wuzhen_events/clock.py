"""The app's clocks: now, which tests and demos can pin to a moment of the conference, and a
steady clock for time-to-live checks, which tests step forward."""

import time
from datetime import datetime

from flask import current_app

from wuzhen_events.db import utcnow


def now() -> datetime:
    frozen = current_app.config.get("FROZEN_NOW")
    return frozen if frozen is not None else utcnow()


def monotonic() -> float:
    """Seconds on a clock no setting or adjustment moves back: how long ago a check was made."""
    return time.monotonic()
