"""Exhibitor applications: the waiting and decided lists, a page per application, approval
with a hall and booth (the company then joins the Expo directory there), rejection with a
reason. The reason is stored with the decision and shown to organizers on this page; the
service e-mails nobody, so telling the applicant is the organizers' own step."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.dashboard.access import current_actor, requires
from wuzhen_events.dashboard.applications.forms import ApproveForm, RejectForm
from wuzhen_events.dashboard.filters import page_number
from wuzhen_events.errors import DomainError
from wuzhen_events.expo.applications import queries
from wuzhen_events.expo.applications.services import (
    BoothPlace,
    approve_application,
    reject_application,
)
from wuzhen_events.expo.enums import ApplicationStatus
from wuzhen_events.expo.models import ExhibitorApplication
from wuzhen_events.extensions import db
from wuzhen_events.forms import form_problems
from wuzhen_events.pagination import paginate
from wuzhen_events.program.queries import conference_or_404

bp = Blueprint("applications", __name__, url_prefix="/applications")

PER_PAGE = 50


@bp.get("/")
@requires(Permission.MANAGE_DELEGATES)
def index():
    conference = conference_or_404()
    try:
        status = ApplicationStatus(request.args.get("status", ApplicationStatus.APPLIED.value))
    except ValueError:
        status = ApplicationStatus.APPLIED
    page = paginate(
        queries.applications_statement(conference.id, status),
        page_number(request.args),
        PER_PAGE,
        past_last="last",
    )
    page = dataclasses.replace(
        page,
        url_for_page=lambda number: url_for(
            "dashboard.applications.index", status=status.value, page=number
        ),
    )
    return render_template(
        "dashboard/applications/index.html",
        page=page,
        status=status,
        statuses=list(ApplicationStatus),
        counts=queries.status_counts(conference.id),
    )


@bp.get("/<int:application_id>")
@requires(Permission.MANAGE_DELEGATES)
def detail(application_id: int):
    return _detail_page(_application_or_404(application_id), ApproveForm(), RejectForm())


@bp.post("/<int:application_id>/approve")
@requires(Permission.MANAGE_DELEGATES)
def approve(application_id: int):
    application = _application_or_404(application_id)
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            approve_application(
                application,
                form.note.data or "",
                place=BoothPlace(form.hall.data, form.booth.data),
                actor=current_actor(),
            )
        except DomainError as refusal:
            field = {"hall": "hall", "booth": "booth"}.get(refusal.field or "", "note")
            form[field].errors = [*form[field].errors, refusal.message]
        else:
            flash(_("%(company)s is approved.", company=application.company), "success")
            return redirect(
                url_for("dashboard.applications.detail", application_id=application_id), 303
            )
    return _detail_page(application, form, RejectForm(formdata=None), status=422)


@bp.post("/<int:application_id>/reject")
@requires(Permission.MANAGE_DELEGATES)
def reject(application_id: int):
    application = _application_or_404(application_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            reject_application(application, form.reason.data, actor=current_actor())
        except DomainError as refusal:
            form.reason.errors = [*form.reason.errors, refusal.message]
        else:
            flash(_("%(company)s is rejected.", company=application.company), "success")
            return redirect(
                url_for("dashboard.applications.detail", application_id=application_id), 303
            )
    return _detail_page(application, ApproveForm(formdata=None), form, status=422)


def _application_or_404(application_id: int) -> ExhibitorApplication:
    application = db.session.get(ExhibitorApplication, application_id)
    if application is None or application.conference_id != conference_or_404().id:
        abort(404)
    return application


def _detail_page(application, approve_form, reject_form, status: int = 200):
    problems = form_problems(approve_form) + form_problems(reject_form)
    return render_template(
        "dashboard/applications/detail.html",
        application=application,
        approve_form=approve_form,
        reject_form=reject_form,
        problems=problems,
        waiting=application.status is ApplicationStatus.APPLIED,
    ), status
