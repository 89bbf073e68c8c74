"""Invitations: the list, one made by hand, or a CSV file of them with a report of each row.

The service returns an invitation's code once and keeps only its hash, and nothing e-mails it:
the organizer sees it once (on the answer to the form, or in the file's report) and sends it
as invitations to government delegates are sent, through their own channel."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

from flask import Blueprint, render_template, request, url_for

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.dashboard.access import current_actor, requires
from wuzhen_events.dashboard.filters import page_number
from wuzhen_events.dashboard.invitations.forms import InvitationForm, UploadForm
from wuzhen_events.errors import DomainError
from wuzhen_events.forms import form_problems
from wuzhen_events.pagination import paginate
from wuzhen_events.program.models import Conference
from wuzhen_events.program.queries import conference_or_404
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.invitation_import import (
    InvitationFileError,
    create_invitations,
    read_invitation_file,
    report_csv,
)
from wuzhen_events.registration.queries import invitations_statement, used_by_names

bp = Blueprint("invitations", __name__, url_prefix="/invitations")

PER_PAGE = 50


@bp.get("/")
@requires(Permission.MANAGE_DELEGATES)
def index():
    conference = conference_or_404()
    page = paginate(
        invitations_statement(conference.id), page_number(request.args), PER_PAGE, past_last="last"
    )
    page = dataclasses.replace(
        page, url_for_page=lambda number: url_for("dashboard.invitations.index", page=number)
    )
    return render_template(
        "dashboard/invitations/index.html", page=page, used_by=used_by_names(page.items)
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_DELEGATES)
def new():
    conference = conference_or_404()
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            invitation, code = services.create_invitation(
                conference,
                email=form.email.data,
                category=DelegateCategory(form.category.data),
                expires_at=_end_of(form.expires_on.data, conference),
                actor=current_actor(),
            )
        except DomainError as refusal:
            field = refusal.field if refusal.field in ("email",) else "expires_on"
            form[field].errors = [*form[field].errors, refusal.message]
        else:
            return render_template(
                "dashboard/invitations/created.html", invitation=invitation, code=code
            )
    status = 422 if form.errors else 200
    return render_template(
        "dashboard/invitations/new.html", form=form, problems=form_problems(form)
    ), status


@bp.route("/upload", methods=["GET", "POST"])
@requires(Permission.MANAGE_DELEGATES)
def upload():
    conference = conference_or_404()
    form = UploadForm()
    if form.validate_on_submit():
        try:
            parsed = read_invitation_file(form.file.data.read())
        except InvitationFileError as refusal:
            form.file.errors = [*form.file.errors, refusal.message]
        else:
            try:
                outcomes = create_invitations(
                    conference,
                    parsed.rows,
                    expires_at=_end_of(form.expires_on.data, conference),
                    actor=current_actor(),
                )
            except DomainError as refusal:
                form.expires_on.errors = [*form.expires_on.errors, refusal.message]
            else:
                return render_template(
                    "dashboard/invitations/report.html",
                    outcomes=outcomes,
                    created=sum(outcome.created for outcome in outcomes),
                    refused=sum(not outcome.created for outcome in outcomes),
                    empty_rows=parsed.empty_rows,
                    report_url="data:text/csv;charset=utf-8," + quote(report_csv(outcomes)),
                )
    status = 422 if form.errors else 200
    return render_template(
        "dashboard/invitations/upload.html", form=form, problems=form_problems(form)
    ), status


def _end_of(day: date | None, conference: Conference) -> datetime | None:
    """The end of a conference day, as the invitee counts it."""
    if day is None or day == date.max:
        return None
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=conference.tzinfo)
