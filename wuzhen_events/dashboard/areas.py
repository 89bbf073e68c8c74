"""The dashboard blueprint with every area nested in it (endpoints `dashboard.<area>.<view>`),
so the parent's guard runs before each area's pages. One line per area."""

from __future__ import annotations

from wuzhen_events.dashboard.account.views import bp as account_bp
from wuzhen_events.dashboard.statistics.views import bp as statistics_bp
from wuzhen_events.dashboard.views import bp

AREAS = (statistics_bp, account_bp)

for area in AREAS:
    bp.register_blueprint(area)

__all__ = ["bp"]
