"""The dashboard's own blueprint: the overview, and the guard every area's pages pass."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.dashboard.access import (
    current_account,
    guard_dashboard,
    private_response,
    requires,
)
from wuzhen_events.dashboard.navigation import dashboard_menu
from wuzhen_events.dashboard.statistics.overview import headline
from wuzhen_events.program.queries import current_conference

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
# Nested area blueprints (dashboard/areas.py) pass through these too.
bp.before_request(guard_dashboard)
bp.after_request(private_response)


@bp.app_context_processor
def inject_dashboard_layout() -> dict:
    """The menu of the signed-in account, for dashboard/layout.html; nothing elsewhere."""
    if not (request.blueprint or "").startswith("dashboard") or not current_user.is_authenticated:
        return {}
    return {"dashboard_menu": dashboard_menu(current_user), "account": current_user}


@bp.get("/")
@requires(Permission.OWN_ACCOUNT)
def home():
    account = current_account()
    areas = [item for item in dashboard_menu(account) if not item.current]
    figures = None
    if account.can(Permission.VIEW_STATISTICS):
        conference = current_conference()
        if conference is not None:
            figures = headline(conference, subforum_ids=account.scope.subforum_ids)
    return render_template("dashboard/home.html", account=account, areas=areas, headline=figures)
