"""The audit log: every change, newest first, filtered by person, object and days. Read-only:
this blueprint has no POST route, and the trail is never edited from the dashboard."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.accounts.models import Account
from wuzhen_events.audit.queries import entries_query, object_types
from wuzhen_events.dashboard.access import requires
from wuzhen_events.dashboard.audit.forms import AuditFilterForm
from wuzhen_events.dashboard.history import history_lines
from wuzhen_events.extensions import db
from wuzhen_events.pagination import paginate
from wuzhen_events.program.queries import current_conference

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 50
DEFAULT_ZONE = "Asia/Shanghai"


@bp.get("/")
@requires(Permission.VIEW_AUDIT)
def index():
    form = AuditFilterForm(request.args)
    form.set_choices(_account_choices(), object_types())
    form.validate()
    wanted = form.audit_filter(_zone())
    page = paginate(entries_query(wanted), form.page.data or 1, PER_PAGE, past_last="last")
    args = {name: value for name, value in request.args.items() if name != "page" and value}
    page = dataclasses.replace(
        page, url_for_page=lambda number: url_for("dashboard.audit.index", **args, page=number)
    )
    lines = history_lines(page.items)
    return render_template(
        "dashboard/audit/index.html",
        form=form,
        problems=form.error_summary(),
        page=page,
        lines=lines,
        delegate_urls={line.delegate_id: _delegate_url(line.delegate_id) for line in lines},
    )


def _account_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Account.id, Account.name, Account.email).order_by(Account.name)
    )
    return [(row.id, f"{row.name} <{row.email}>") for row in rows]


def _zone() -> ZoneInfo:
    """Days are the conference's days, as organizers on site count them."""
    conference = current_conference()
    return conference.tzinfo if conference is not None else ZoneInfo(DEFAULT_ZONE)


def _delegate_url(delegate_id: int | None) -> str | None:
    return (
        None
        if delegate_id is None
        else url_for("dashboard.delegates.detail", delegate_id=delegate_id)
    )
