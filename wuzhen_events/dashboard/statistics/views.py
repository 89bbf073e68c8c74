"""The statistics page: every figure of the conference at once, in a fixed number of queries."""

from __future__ import annotations

from flask import Blueprint, render_template

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.dashboard.access import current_scope, requires
from wuzhen_events.dashboard.statistics.overview import overview
from wuzhen_events.program.queries import current_conference

bp = Blueprint("statistics", __name__, url_prefix="/statistics")


@bp.get("/")
@requires(Permission.VIEW_STATISTICS)
def index():
    conference = current_conference()
    if conference is None:
        return render_template("dashboard/statistics/index.html", headline=None, sections=[])
    headline, sections = overview(conference, subforum_ids=current_scope().subforum_ids)
    return render_template("dashboard/statistics/index.html", headline=headline, sections=sections)
