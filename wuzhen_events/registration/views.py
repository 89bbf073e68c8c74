"""Registration, "send me my link again", and the delegate's own pages behind a secret link."""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import limit_setting, limiter
from wuzhen_events.i18n import localized, short_datetime
from wuzhen_events.program.models import Subforum
from wuzhen_events.program.queries import current_conference, session_by_id, subforum_by_id
from wuzhen_events.registration import queries, services, tokens
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.forms import (
    AddSubforumForm,
    ConfirmForm,
    DelegateDetailsForm,
    RegistrationForm,
    ResendLinkForm,
)
from wuzhen_events.registration.models import Delegate
from wuzhen_events.registration.services import DelegateDetails, DuplicateRegistration
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.urls import external_url

bp = Blueprint("registration", __name__)

SECRET_PAGE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",  # the secret link must not leak to other sites
    "Cache-Control": "private, no-store",
}


def subforum_label(subforum: Subforum | queries.SubforumChoice) -> str:
    when = short_datetime(subforum.starts_at) if subforum.starts_at else _("time to be announced")
    seats = (
        ngettext("%(num)d seat left", "%(num)d seats left", subforum.seats_left)
        if not subforum.is_full
        else _("full: waitlist")
    )
    return f"{localized(subforum, 'title')} — {when} · {seats}"


def details_from(form: DelegateDetailsForm, email: str) -> DelegateDetails:
    return DelegateDetails(
        name=form.name.data,
        name_zh=form.name_zh.data or "",
        email=email,
        organisation=form.organisation.data,
        job_title=form.job_title.data or "",
        country=form.country.data,
        category=DelegateCategory(form.category.data),
        locale=form.locale.data,
    )


@bp.route("/register/", methods=["GET", "POST"])
@limiter.limit(limit_setting("RATELIMIT_REGISTRATION"), methods=["POST"])
def register():
    conference = current_conference()
    if conference is None:
        abort(404)
    subforums = queries.subforum_choices(conference.id)
    # Validating a POST needs the ids only; the labels are made when the form is shown.
    form = RegistrationForm(subforum_choices=[(s.id, "") for s in subforums])
    resend_form = ResendLinkForm(formdata=None)
    duplicate = False
    if form.validate_on_submit():
        picked = set(form.subforums.data or [])
        chosen = [s for s in subforums if s.id in picked]
        try:
            registration = services.register_delegate(
                conference,
                details_from(form, form.email.data),
                subforums=chosen,
                invitation_code=form.invitation_code.data or "",
            )
        except DuplicateRegistration as refusal:
            form.email.errors.append(refusal.message)
            resend_form.email.data = form.email.data
            duplicate = True
        except DomainError as refusal:
            field = getattr(form, refusal.field or "", None)
            (field.errors if field is not None else form.form_errors).append(refusal.message)
        else:
            flash(
                _(
                    "Thank you: your registration is saved. Keep this page's address: it is "
                    "your private link. We have also sent it to you by e-mail."
                ),
                "success",
            )
            return redirect(url_for(".manage", token=registration.manage_token), code=303)
    status = 400 if form.is_submitted() else 200
    form.subforums.choices = [(s.id, subforum_label(s)) for s in subforums]
    return render_template(
        "registration/register.html",
        form=form,
        resend_form=resend_form,
        duplicate=duplicate,
        conference=conference,
    ), status


def requested_email() -> str:
    """The per-address limit of "send me my link again" counts the address asked for."""
    return "resend:" + services.normalise_email(request.form.get("email", ""))[:320]


@bp.post("/register/resend-link")
@limiter.limit(limit_setting("RATELIMIT_RESEND_LINK"))
@limiter.limit(limit_setting("RATELIMIT_RESEND_LINK_PER_ADDRESS"), key_func=requested_email)
def resend_link():
    """Answers the same whether or not the address is registered, so it reveals nothing."""
    conference = current_conference()
    if conference is None:
        abort(404)
    form = ResendLinkForm()
    if not form.validate_on_submit():
        return render_template("registration/resend_link.html", form=form), 400
    email = services.normalise_email(form.email.data)
    services.send_manage_link(conference, email)
    flash(
        _(
            "If this address is registered, we have sent its link to it. Please check your "
            "inbox (and spam folder)."
        ),
        "success",
    )
    return render_template("registration/resend_link.html", form=ResendLinkForm(formdata=None))


def with_delegate(view):
    """Resolve /me/<token>/ to its delegate or answer 404; mark the page private."""

    @wraps(view)
    def wrapper(token: str, **kwargs):
        delegate = queries.delegate_by_secret(Secret.MANAGE, token)
        if delegate is None:
            abort(404)
        g.manage_token = token
        response = current_app.make_response(view(delegate, **kwargs))
        response.headers.update(SECRET_PAGE_HEADERS)
        return response

    return wrapper


def back_to_manage(anchor: str = ""):
    return redirect(url_for(".manage", token=g.manage_token) + anchor, code=303)


@bp.get("/me/<token>/")
@with_delegate
def manage(delegate: Delegate):
    return render_manage(delegate)


def render_manage(delegate: Delegate, *, details_form=None, add_form=None, status: int = 200):
    lines = queries.seat_lines(delegate)
    chosen = {line.booking.subforum_id for line in lines}
    addable = [s for s in queries.bookable_subforums(delegate.conference_id) if s.id not in chosen]
    if details_form is None:
        details_form = DelegateDetailsForm(formdata=None, obj=delegate)
        details_form.category.data = delegate.category.value
    add_form = add_form or AddSubforumForm(
        formdata=None, subforum_choices=[(s.id, subforum_label(s)) for s in addable]
    )
    feed_token = tokens.derive(Secret.FEED, delegate.feed_seed)
    feed_url = external_url("calendar.personal_feed", token=feed_token)
    page = render_template(
        "registration/manage.html",
        delegate=delegate,
        token=g.manage_token,
        seat_lines=lines,
        starred=queries.starred_sessions(delegate),
        star_choices=queries.star_choices(delegate) if delegate.is_active else [],
        details_form=details_form,
        add_form=add_form,
        button_form=ConfirmForm(formdata=None),
        feed_url=feed_url,
        webcal_url=feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
    )
    return page, status


@bp.post("/me/<token>/details")
@limiter.shared_limit(limit_setting("RATELIMIT_DELEGATE_CHANGES"), scope="delegate-changes")
@with_delegate
def update_details(delegate: Delegate):
    form = DelegateDetailsForm()
    if form.validate_on_submit():
        try:
            services.update_details(delegate, details_from(form, delegate.email))
        except DomainError as refusal:
            (getattr(form, refusal.field or "", None) or form.name).errors.append(refusal.message)
        else:
            flash(_("Your details are saved."), "success")
            return back_to_manage("#details")
    return render_manage(delegate, details_form=form, status=400)


@bp.post("/me/<token>/seats")
@limiter.shared_limit(limit_setting("RATELIMIT_DELEGATE_CHANGES"), scope="delegate-changes")
@with_delegate
def add_seat(delegate: Delegate):
    subforums = {s.id: s for s in queries.bookable_subforums(delegate.conference_id)}
    form = AddSubforumForm(subforum_choices=[(i, s.title) for i, s in subforums.items()])
    if not form.validate_on_submit():
        flash(_("Please choose a subforum from the list."), "error")
        return back_to_manage("#seats")
    try:
        services.add_subforum(delegate, subforums[form.subforum.data])
    except DomainError as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("Your choice is saved."), "success")
    return back_to_manage("#seats")


@bp.post("/me/<token>/seats/<int(max=2147483647):subforum_id>/drop")
@limiter.shared_limit(limit_setting("RATELIMIT_DELEGATE_CHANGES"), scope="delegate-changes")
@with_delegate
def drop_seat(delegate: Delegate, subforum_id: int):
    subforum = subforum_by_id(subforum_id)
    if subforum is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.drop_subforum(delegate, subforum)
    except DomainError as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("You have left “%(title)s”.", title=localized(subforum, "title")), "success")
    return back_to_manage("#seats")


@bp.post("/me/<token>/stars/<int(max=2147483647):session_id>")
@limiter.limit(limit_setting("RATELIMIT_STARS"))
@with_delegate
def toggle_star(delegate: Delegate, session_id: int):
    session = session_by_id(session_id)  # public sessions only
    if session is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if request.form.get("action") == "unstar":
            services.unstar_session(delegate, session)
        else:
            services.star_session(delegate, session)
    except DomainError as refusal:
        flash(refusal.message, "error")
    return back_to_manage("#agenda")


@bp.route("/me/<token>/cancel", methods=["GET", "POST"])
@limiter.shared_limit(
    limit_setting("RATELIMIT_DELEGATE_CHANGES"), scope="delegate-changes", methods=["POST"]
)
@with_delegate
def cancel(delegate: Delegate):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.cancel_registration(delegate)
        except DomainError as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("Your registration is cancelled and your seats are released."), "success")
        return back_to_manage()
    return render_template("registration/cancel.html", delegate=delegate, form=form)


@bp.post("/me/<token>/feed")
@limiter.shared_limit(limit_setting("RATELIMIT_DELEGATE_CHANGES"), scope="delegate-changes")
@with_delegate
def renew_feed(delegate: Delegate):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.renew_feed_token(delegate)
    flash(_("Your personal calendar has a new address; the old one no longer works."), "success")
    return back_to_manage("#calendar")


@bp.get("/me/<token>/badge")
@with_delegate
def badge(delegate: Delegate):
    from wuzhen_events.registration.badges import badge_qr_svg

    checkin_code = tokens.derive(Secret.CHECKIN, delegate.checkin_seed)
    return render_template(
        "registration/badge.html", delegate=delegate, qr_svg=badge_qr_svg(checkin_code)
    )
