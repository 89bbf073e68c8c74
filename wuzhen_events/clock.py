"""The app's notion of now, which tests and demos can pin to a moment of the conference."""

from datetime import datetime

from flask import current_app

from wuzhen_events.db import utcnow


def now() -> datetime:
    frozen = current_app.config.get("FROZEN_NOW")
    return frozen if frozen is not None else utcnow()
