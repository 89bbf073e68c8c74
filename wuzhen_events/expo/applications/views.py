"""The exhibitor application at /register/exhibitor/, beside delegate registration."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for

from wuzhen_events.audit.actors import Actor
from wuzhen_events.errors import DomainError
from wuzhen_events.expo.applications.forms import ExhibitorApplicationForm
from wuzhen_events.expo.applications.services import apply_for_booth
from wuzhen_events.expo.models import ExhibitorApplication
from wuzhen_events.expo.queries import expo_days
from wuzhen_events.extensions import db, limit_setting, limiter
from wuzhen_events.program.queries import conference_or_404

bp = Blueprint("exhibitor_application", __name__)

# The thank-you page finds the application through the applicant's own signed session, so
# application numbers in an address never reveal who else applied.
SESSION_KEY = "exhibitor_application_id"


@bp.route("/register/exhibitor/", methods=["GET", "POST"])
@limiter.limit(limit_setting("RATELIMIT_EXHIBITOR_APPLICATION"), methods=["POST"])
def apply():
    conference = conference_or_404()
    form = ExhibitorApplicationForm(expo_days=expo_days(conference))
    if form.validate_on_submit():
        try:
            application = apply_for_booth(conference, form.details(), actor=Actor.public())
        except DomainError as refusal:
            field = getattr(form, refusal.field or "", None)
            (field.errors if field is not None else form.form_errors).append(refusal.message)
        else:
            session[SESSION_KEY] = application.id
            return redirect(url_for(".thanks"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("expo_applications/apply.html", form=form, conference=conference), status


@bp.get("/register/exhibitor/thanks/")
def thanks():
    application_id = session.get(SESSION_KEY)
    application = (
        db.session.get(ExhibitorApplication, application_id)
        if isinstance(application_id, int)
        else None
    )
    if application is None:
        return redirect(url_for(".apply"), code=303)
    return render_template("expo_applications/thanks.html", application=application)
