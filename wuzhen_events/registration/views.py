"""Registration, "send me my link again", and the delegate's own pages behind a secret link."""

from __future__ import annotations

import json
from contextlib import suppress
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
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from wuzhen_events.audit.actors import Actor
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import limit_setting, limiter
from wuzhen_events.forms import form_problems
from wuzhen_events.i18n import localized
from wuzhen_events.program.queries import conference_or_404, session_by_id, subforum_by_id
from wuzhen_events.registration import form_page, queries, rotation, services, tokens
from wuzhen_events.registration.choices import addable_choices, registration_days
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.forms import (
    AddSubforumForm,
    ConfirmForm,
    DelegateDetailsForm,
    RegistrationForm,
    ResendLinkForm,
)
from wuzhen_events.registration.models import Delegate
from wuzhen_events.registration.services import DelegateDetails
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.text import normalise_email
from wuzhen_events.urls import external_url

bp = Blueprint("registration", __name__)

# The address a registration was just sent to, for the "check your inbox" page.
SENT_TO_SESSION_KEY = "registration_sent_to"

SECRET_PAGE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",  # the secret link must not leak to other sites
    "Cache-Control": "private, no-store",
}


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


def submission_key(submission_id: str | None) -> str | None:
    """The form's random id bound to this browser session, so nobody else can replay it."""
    if not submission_id:
        return None
    return tokens.fingerprint(f"{session.get('csrf_token', '')}:{submission_id}")


@bp.route("/register/", methods=["GET", "POST"])
@limiter.limit(limit_setting("RATELIMIT_REGISTRATION"), methods=["POST"])
def register():
    conference = conference_or_404()
    subforums = queries.subforum_choices(conference.id)
    if request.method != "POST":
        return form_page.blank_form_page(
            subforums, render=lambda: _blank_form_page(conference, subforums)
        ), 200
    # Validating a POST needs the ids only; the labels are made when the form is shown.
    form = RegistrationForm(subforum_choices=[(s.id, "") for s in subforums])
    if form.validate():
        picked = set(form.subforums.data or [])
        try:
            registration = services.register_delegate(
                conference,
                details_from(form, form.email.data),
                subforums=[s for s in subforums if s.id in picked],
                invitation_code=form.invitation_code.data or "",
                submission_key=submission_key(form.submission_id.data),
                actor=Actor.public(),
            )
        except DomainError as refusal:
            field = getattr(form, refusal.field or "", None)
            (field.errors if field is not None else form.form_errors).append(refusal.message)
        else:
            if registration.opens_manage_page:
                flash(
                    _(
                        "Thank you: your registration is saved. Keep this page's address: it "
                        "is your private link. We have also sent it to you by e-mail."
                    ),
                    "success",
                )
                return redirect(url_for(".manage", token=registration.manage_token), code=303)
            # The same answer whether the address is new or registered already.
            session[SENT_TO_SESSION_KEY] = normalise_email(form.email.data)
            return redirect(url_for(".check_inbox"), code=303)
    return _form_page(conference, subforums, form), 400


def _blank_form_page(conference, subforums) -> str:
    """The empty form, with placeholders where the visitor's CSRF token and form id go."""
    form = RegistrationForm(subforum_choices=[(s.id, "") for s in subforums])
    form.locale.data = str(get_locale() or "en")
    form.submission_id.data = form_page.SUBMISSION_ID_PLACEHOLDER
    wanted = request.args.get("subforum", "")
    form.subforums.data = [s.id for s in subforums if s.slug == wanted]
    return _form_page(conference, subforums, form, csrf_token=form_page.CSRF_PLACEHOLDER)


def _form_page(conference, subforums, form: RegistrationForm, *, csrf_token: str = "") -> str:
    resend_form = ResendLinkForm(formdata=None)
    if csrf_token:
        for field in (getattr(form, "csrf_token", None), getattr(resend_form, "csrf_token", None)):
            if field is not None:  # None: CSRF checks are turned off (WTF_CSRF_ENABLED)
                field.current_token = csrf_token
    chosen = set(form.subforums.data or []) if isinstance(form.subforums.data, list) else set()
    return render_template(
        "registration/register.html",
        form=form,
        days=registration_days(subforums, _checkboxes(form, subforums), chosen),
        problems=form_problems(form),
        resend_form=resend_form,
        conference=conference,
    )


def _checkboxes(form: RegistrationForm, subforums) -> list:
    """The form's checkbox per subforum, labelled now that the page is shown."""
    form.subforums.choices = [(s.id, localized(s, "title")) for s in subforums]
    return list(form.subforums)


@bp.get("/register/check-inbox")
def check_inbox():
    """Where every unproven registration lands, new address or known: it reveals nothing."""
    email = session.get(SENT_TO_SESSION_KEY)
    if not email:
        return redirect(url_for(".register"))
    hold_hours = current_app.config["SEAT_HOLD_HOURS"]
    return render_template(
        "registration/check_inbox.html",
        email=email,
        hold_hours=hold_hours,
        resend_form=ResendLinkForm(formdata=None, data={"email": email}),
    )


def requested_email() -> str:
    """The per-address limit of "send me my link again" counts the address asked for."""
    return "resend:" + normalise_email(request.form.get("resend-email", ""))[:320]


@bp.post("/register/resend-link")
@limiter.limit(limit_setting("RATELIMIT_RESEND_LINK"))
@limiter.limit(limit_setting("RATELIMIT_RESEND_LINK_PER_ADDRESS"), key_func=requested_email)
def resend_link():
    """Answers the same whether or not the address is registered, so it reveals nothing."""
    conference = conference_or_404()
    form = ResendLinkForm()
    if not form.validate_on_submit():
        return render_template(
            "registration/resend_link.html", form=form, problems=form_problems(form)
        ), 400
    email = normalise_email(form.email.data)
    services.send_manage_link(conference, email)
    flash(
        _(
            "If this address is registered, we have sent its link to it. Please check your "
            "inbox (and spam folder)."
        ),
        "success",
    )
    return render_template(
        "registration/resend_link.html", form=ResendLinkForm(formdata=None), problems=[]
    )


def with_delegate(view):
    """Resolve /me/<token>/ to its delegate or answer 404; mark the page private."""

    @wraps(view)
    def wrapper(token: str, **kwargs):
        delegate = queries.delegate_by_secret(Secret.MANAGE, token)
        if delegate is None:
            abort(404)
        services.renew_secret_hashes(delegate, actor=Actor.delegate(delegate))
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
    # The link only ever reaches the person through the address: opening it proves the address.
    if services.verify_email(delegate, actor=Actor.delegate(delegate)):
        flash(_("Thank you: your e-mail address is confirmed."), "success")
    return render_manage(delegate)


def render_manage(delegate: Delegate, *, details_form=None, status: int = 200):
    lines = queries.seat_lines(delegate)
    if details_form is None:
        details_form = DelegateDetailsForm(formdata=None, obj=delegate)
        details_form.category.data = delegate.category.value
    add_form = AddSubforumForm(
        formdata=None,
        subforum_choices=addable_choices(
            queries.bookable_subforums(delegate.conference_id),
            [line.booking.subforum for line in lines],
            delegate.category,
        ),
    )
    feed_token = rotation.secret_of(delegate, Secret.FEED)
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
            services.update_details(
                delegate, details_from(form, delegate.email), actor=Actor.delegate(delegate)
            )
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
    form = AddSubforumForm(subforum_choices=[(i, "") for i in subforums])
    if not form.validate_on_submit():
        flash(_("Please choose a subforum from the list."), "error")
        return back_to_manage("#seats")
    subforum = subforums[form.subforum.data]
    try:
        booking = services.add_subforum(delegate, subforum, actor=Actor.delegate(delegate))
    except DomainError as refusal:
        flash(refusal.message, "error")
    else:
        title = localized(subforum, "title")
        if booking is None:  # the same form sent twice: the first one added it
            flash(_("“%(title)s” is among your subforums already.", title=title), "success")
        else:
            flash(_("“%(title)s”: %(state)s.", title=title, state=booking.status.label), "success")
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
        services.drop_subforum(delegate, subforum, actor=Actor.delegate(delegate))
    except DomainError as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("You have left “%(title)s”.", title=localized(subforum, "title")), "success")
    return back_to_manage("#seats")


@bp.post("/me/<token>/stars/<int(max=2147483647):session_id>")
@limiter.limit(limit_setting("RATELIMIT_STARS"))
@with_delegate
def toggle_star(delegate: Delegate, session_id: int):
    program_session = session_by_id(session_id)  # public sessions only
    if program_session is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    title = session_title(program_session)
    try:
        if request.form.get("action") == "unstar":
            services.unstar_session(delegate, program_session, actor=Actor.delegate(delegate))
            flash(_("Star removed: %(title)s.", title=title), "success")
        else:
            services.star_session(delegate, program_session, actor=Actor.delegate(delegate))
            flash(_("Starred: %(title)s. It is in your agenda now.", title=title), "success")
    except DomainError as refusal:
        flash(refusal.message, "error")
    return back_to_manage("#agenda")


def session_title(program_session) -> str:
    """A session named with its subforum: many subforums open with the same generic title."""
    title = localized(program_session, "title")
    if program_session.subforum is None:
        return title
    return _(
        "%(title)s (%(subforum)s)",
        title=title,
        subforum=localized(program_session.subforum, "title"),
    )


@bp.route("/me/<token>/cancel", methods=["GET", "POST"])
@limiter.shared_limit(
    limit_setting("RATELIMIT_DELEGATE_CHANGES"), scope="delegate-changes", methods=["POST"]
)
@with_delegate
def cancel(delegate: Delegate):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.cancel_registration(delegate, actor=Actor.delegate(delegate))
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
    services.renew_feed_token(delegate, actor=Actor.delegate(delegate))
    flash(_("Your personal calendar has a new address; the old one no longer works."), "success")
    return back_to_manage("#calendar")


@bp.get("/me/<token>/badge")
@with_delegate
def badge(delegate: Delegate):
    from wuzhen_events.registration.badges import badge_qr_svg

    checkin_code = rotation.secret_of(delegate, Secret.CHECKIN)
    return render_template(
        "registration/badge.html",
        delegate=delegate,
        qr_svg=badge_qr_svg(checkin_code),
        code_groups=readable_groups(checkin_code),
    )


@bp.get("/me/<token>/badge.pdf")
@with_delegate
def badge_pdf(delegate: Delegate):
    """The delegate's own badge to print at home; a registration not confirmed has none."""
    from wuzhen_events.registration import badges

    conference = conference_or_404()
    status = 400
    try:
        layout = badges.layout_named(request.args.get("layout"))
        status = 409
        data = badges.delegate_badge_pdf(conference, delegate, layout)
    except DomainError as refusal:
        title = _("Bad request") if status == 400 else _("No badge")
        page = render_template(
            "errors/error.html", code=status, title=title, description=refusal.message
        )
        return page, status
    response = current_app.response_class(data, mimetype=badges.PDF_CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'inline; filename="wic2018-badge-{layout.key}.pdf"'
    return response


def readable_groups(code: str, size: int = 4) -> list[str]:
    """The check-in code in short groups, for staff to type when a camera fails."""
    return [code[i : i + size] for i in range(0, len(code), size)]


DATA_FILENAME = "wic2018-my-registration.json"


@bp.get("/me/<token>/data.json")
@with_delegate
def download_data(delegate: Delegate):
    body = json.dumps(queries.delegate_data(delegate), ensure_ascii=False, indent=2)
    return current_app.response_class(
        body + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{DATA_FILENAME}"'},
    )


@bp.route("/me/<token>/erase", methods=["GET", "POST"])
@limiter.shared_limit(
    limit_setting("RATELIMIT_DELEGATE_CHANGES"), scope="delegate-changes", methods=["POST"]
)
def erase(token: str):
    if request.method == "POST" and queries.is_erased_manage_token(token):
        # A repeated submit (a double click) lands where the first one did.
        return redirect(url_for(".erased"), code=303)
    return confirm_erasure(token)


@with_delegate
def confirm_erasure(delegate: Delegate):
    form = ConfirmForm()
    if form.validate_on_submit():
        # A simultaneous submit may have erased it a moment earlier: the outcome is the same.
        with suppress(DomainError):
            services.erase_registration(delegate, actor=Actor.delegate(delegate))
        return redirect(url_for(".erased"), code=303)
    return render_template("registration/erase.html", delegate=delegate, form=form)


@bp.get("/me/erased")
def erased():
    response = current_app.make_response(render_template("registration/erased.html"))
    response.headers.update(SECRET_PAGE_HEADERS)
    return response
