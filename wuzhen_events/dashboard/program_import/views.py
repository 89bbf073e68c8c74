"""Import a program from a frab schedule file: upload, preview, confirm.

The upload is kept (uploads.py) between the preview and the confirmation, which applies
exactly the file previewed (its sha256 is checked again by the import). The upload route takes
a body up to IMPORT_MAX_BYTES, above the site's MAX_CONTENT_LENGTH: it is exempt from the
app-wide CSRF hook (which would read the body under the smaller limit first) and checks the
form's CSRF token itself through FlaskForm.validate_on_submit.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.dashboard.access import (
    current_account,
    current_actor,
    require_whole_conference,
    requires,
)
from wuzhen_events.dashboard.program_import import uploads
from wuzhen_events.dashboard.program_import.forms import ConfirmForm, UploadForm
from wuzhen_events.dashboard.program_import.preview import sections
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import csrf
from wuzhen_events.forms import form_problems
from wuzhen_events.program.frab_import import Action, Kind, preview
from wuzhen_events.program.imports import import_schedule
from wuzhen_events.program.queries import conference_or_404

bp = Blueprint("program_import", __name__, url_prefix="/program/import")
# Multipart framing around the file itself.
FORM_OVERHEAD = 64 * 1024


def _limit() -> int:
    return current_app.config["IMPORT_MAX_BYTES"]


def _too_large() -> str:
    return _(
        "The file is larger than %(limit)d MB; a schedule file is much smaller.",
        limit=max(1, _limit() // (1024 * 1024)),
    )


def _upload_page(form: UploadForm, problems: list, status: int):
    return render_template(
        "dashboard/program_import/index.html",
        form=form,
        problems=problems,
        limit_mb=max(1, _limit() // (1024 * 1024)),
    ), status


@bp.route("/", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
@csrf.exempt
def index():
    require_whole_conference()
    conference = conference_or_404()
    request.max_content_length = _limit() + FORM_OVERHEAD
    try:
        form = UploadForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = UploadForm(formdata=None)
        form.schedule.errors = [_too_large()]
        return _upload_page(form, form_problems(form), 413)
    if not submitted:
        return _upload_page(form, form_problems(form), 422 if form.errors else 200)
    data = form.schedule.data.read(_limit() + 1)
    try:
        plan = preview(
            data,
            conference,
            max_bytes=_limit(),
            capacity=current_app.config["IMPORT_SUBFORUM_CAPACITY"],
        )
    except DomainError as refusal:
        form.schedule.errors = [refusal.message]
        return _upload_page(form, form_problems(form), 422)
    token = uploads.keep(current_account().id, data)
    confirm = ConfirmForm(formdata=None, upload=token, sha256=plan.sha256)
    return render_template(
        "dashboard/program_import/preview.html",
        plan=plan,
        sections=sections(plan),
        filename=form.schedule.data.filename or "",
        confirm=confirm,
    )


@bp.post("/confirm")
@requires(Permission.EDIT_PROGRAM)
def confirm():
    require_whole_conference()
    conference = conference_or_404()
    form = ConfirmForm()
    account_id = current_account().id
    data = uploads.load(account_id, form.upload.data) if form.validate_on_submit() else None
    if data is None:
        flash(
            _(
                "The previewed file is no longer kept (already imported, or too old). "
                "Upload it again."
            ),
            "error",
        )
        return redirect(url_for(".index"), 303)
    try:
        plan = import_schedule(
            data,
            actor=current_actor(),
            conference=conference,
            max_bytes=_limit(),
            subforum_capacity=current_app.config["IMPORT_SUBFORUM_CAPACITY"],
            sha256=form.sha256.data,
        )
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".index"), 303)
    uploads.discard(account_id, form.upload.data)
    sessions = plan.counts(Kind.SESSION)
    flash(
        _(
            "Schedule imported: %(created)d sessions created, %(changed)d changed, "
            "%(cancelled)d cancelled, %(unchanged)d unchanged, %(refused)d refused.",
            created=sessions[Action.CREATE],
            changed=sessions[Action.CHANGE],
            cancelled=sessions[Action.CANCEL],
            unchanged=sessions[Action.UNCHANGED],
            refused=sessions[Action.REFUSE],
        ),
        "success",
    )
    return redirect(url_for(".index"), 303)
