"""The program area: lists of sessions, subforums, venues and speakers, and their edit pages.

Subforum hosts see and edit the sessions of their own subforums only (other sessions are not
found for them); venues, speakers and subforums themselves (capacity included: seats are
shared out between subforums and promised to delegates, an organizer's call) are the
organizers'. Telling delegates of a change is e-mail to them: SEND_EMAIL, not a host's.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.audit.queries import object_history
from wuzhen_events.dashboard.access import (
    current_account,
    current_actor,
    current_scope,
    require_subforum,
    require_whole_conference,
    requires,
)
from wuzhen_events.dashboard.editing import (
    ListQuery,
    ListRow,
    PageAction,
    in_zone,
    list_query,
    local,
    render_list,
    show_refusal,
)
from wuzhen_events.dashboard.history import history_lines
from wuzhen_events.dashboard.navigation import MenuItem
from wuzhen_events.dashboard.program.forms import (
    NewSessionForm,
    NewSpeakerForm,
    NewSubforumForm,
    NewVenueForm,
    NotifyForm,
    SessionForm,
    SpeakerForm,
    SubforumForm,
    VenueForm,
    lines,
)
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import db
from wuzhen_events.forms import form_problems
from wuzhen_events.i18n import clock_time, localized, short_datetime
from wuzhen_events.pagination import Page
from wuzhen_events.program import queries
from wuzhen_events.program import services as program
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.models import ProgramSession, Speaker, Subforum, Venue
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.mails import preview_session_change, session_change_waiting
from wuzhen_events.registration.queries import session_change_recipient_count

bp = Blueprint("program", __name__, url_prefix="/program")

# The service's field names that a form calls otherwise.
ALIASES = {"host_organisations": "hosts", "host_organisations_zh": "hosts_zh"}
NO_CHOICE = 0


# --- sessions ------------------------------------------------------------------------------


@bp.get("/")
@requires(Permission.VIEW_PROGRAM)
def sessions():
    editable = current_account().can(Permission.EDIT_PROGRAM)
    wanted = list_query()
    found = queries.dashboard_sessions(
        current_scope().subforum_ids, q=wanted.q, page=wanted.page, per_page=wanted.per_page
    )
    rows = [
        ListRow(
            [
                localized(session, "title"),
                f"{short_datetime(session.starts_at)}–{clock_time(session.ends_at)}",
                localized(session.subforum, "title") if session.subforum else "",
                _place(session.venue),
                ", ".join(localized(role.speaker, "name") for role in session.speaker_roles),
                _("Cancelled") if session.is_cancelled else _("Scheduled"),
            ],
            url_for(".edit_session", session_id=session.id) if editable else "",
            cancelled=session.is_cancelled,
        )
        for session in found.items
    ]
    columns = [_("Session"), _("When"), _("Subforum"), _("Venue"), _("Speakers"), _("Status")]
    return _list(_("Sessions"), columns, rows, found, wanted, "new_session" if editable else "")


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def new_session():
    conference = queries.conference_or_404()
    form = NewSessionForm(data={"is_public": True})
    _session_choices(form)
    if form.validate_on_submit():
        fields = _session_fields(form, conference.timezone)
        speakers = fields.pop("speakers")
        try:
            session = program.schedule_session(
                conference,
                actor=current_actor(),
                check_conflicts=True,
                confirmed=form.confirmed.data,
                speakers=[(speaker, SpeakerRole.SPEAKER) for speaker in speakers],
                **fields,
            )
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The session is scheduled."), "success")
            return redirect(url_for(".edit_session", session_id=session.id), 303)
    return _edit_page(form, _("New session"), url_for(".sessions"))


@bp.route("/sessions/<int:session_id>/", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def edit_session(session_id: int):
    session = _session_or_404(session_id)
    conference = queries.conference_or_404()
    form = SessionForm(obj=session, data=_session_data(session, conference.timezone))
    _session_choices(form)
    if form.validate_on_submit():
        fields = _session_fields(form, conference.timezone)
        sequence = session.sequence
        try:
            program.update_session(
                session, actor=current_actor(), confirmed=form.confirmed.data, **fields
            )
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The session is saved."), "success")
            moved = session.sequence != sequence
            return redirect(
                url_for(".edit_session", session_id=session.id, moved=moved or None), 303
            )
    actions = (
        [PageAction(url_for(".cancel_session", session_id=session.id), _("Cancel this session"))]
        if not session.is_cancelled
        else []
    )
    actions.append(
        PageAction(url_for(".delete_session", session_id=session.id), _("Delete"), danger=True)
    )
    notify_url = ""
    if request.args.get("moved") and current_account().can(Permission.SEND_EMAIL):
        notify_url = url_for(".notify", session_id=session.id)
    return _edit_page(
        form,
        _("Session: %(title)s", title=localized(session, "title")),
        url_for(".sessions"),
        actions=actions,
        history=("program_sessions", session.id),
        notify_url=notify_url,
    )


@bp.post("/sessions/<int:session_id>/cancel")
@requires(Permission.EDIT_PROGRAM)
def cancel_session(session_id: int):
    session = _session_or_404(session_id)
    try:
        program.cancel_session(session, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".edit_session", session_id=session_id), 303)
    flash(_("The session is cancelled: it stays in the feeds as cancelled."), "success")
    return redirect(url_for(".edit_session", session_id=session_id, moved=1), 303)


@bp.post("/sessions/<int:session_id>/delete")
@requires(Permission.EDIT_PROGRAM)
def delete_session(session_id: int):
    session = _session_or_404(session_id)
    try:
        program.delete_session(session, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".edit_session", session_id=session_id), 303)
    flash(_("The session is deleted."), "success")
    return redirect(url_for(".sessions"), 303)


@bp.route("/sessions/<int:session_id>/notify", methods=["GET", "POST"])
@requires(Permission.SEND_EMAIL)
def notify(session_id: int):
    session = _session_or_404(session_id)
    form = NotifyForm()
    if form.validate_on_submit():
        sequence = str(form.sequence.data or "")
        try:
            queued = registration.notify_session_change(
                session,
                actor=current_actor(),
                sequence=int(sequence) if sequence.isdigit() and len(sequence) < 10 else -1,
            )
        except DomainError as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("%(count)d e-mails are queued; nobody is told twice.", count=queued), "success")
        return redirect(url_for(".notify", session_id=session_id), 303)
    form.sequence.data = session.sequence  # the change this preview shows
    recipients = session_change_recipient_count(session)
    return render_template(
        "dashboard/program/notify.html",
        title=localized(session, "title"),
        back_url=url_for(".edit_session", session_id=session_id),
        previews=_previews(session),
        recipients=recipients,
        waiting=session_change_waiting(session),
        form=form,
    )


# --- subforums -----------------------------------------------------------------------------


@bp.get("/subforums/")
@requires(Permission.VIEW_PROGRAM)
def subforums():
    editable = (
        current_account().can(Permission.EDIT_PROGRAM) and current_scope().is_whole_conference
    )
    wanted = list_query()
    found = queries.dashboard_subforums(
        current_scope().subforum_ids, q=wanted.q, page=wanted.page, per_page=wanted.per_page
    )
    rows = [
        ListRow(
            [
                localized(subforum, "title"),
                _place(subforum.venue),
                _(
                    "%(taken)d of %(capacity)d",
                    taken=subforum.seats_taken,
                    capacity=subforum.capacity,
                ),
                ", ".join(localized(subforum, "host_organisations")),
            ],
            url_for(".edit_subforum", subforum_id=subforum.id) if editable else "",
        )
        for subforum in found.items
    ]
    columns = [_("Subforum"), _("Venue"), _("Seats taken"), _("Hosts")]
    return _list(_("Subforums"), columns, rows, found, wanted, "new_subforum" if editable else "")


@bp.route("/subforums/new", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def new_subforum():
    require_whole_conference()
    conference = queries.conference_or_404()
    form = NewSubforumForm()
    form.venue.choices = _venue_choices()
    if form.validate_on_submit():
        try:
            subforum = program.create_subforum(
                conference, actor=current_actor(), slug=form.slug.data, **_subforum_fields(form)
            )
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The subforum is created."), "success")
            return redirect(url_for(".edit_subforum", subforum_id=subforum.id), 303)
    return _edit_page(form, _("New subforum"), url_for(".subforums"))


@bp.route("/subforums/<int:subforum_id>/", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def edit_subforum(subforum_id: int):
    require_whole_conference()
    subforum = _or_404(Subforum, subforum_id)
    form = SubforumForm(
        obj=subforum,
        data={
            "hosts": "\n".join(subforum.host_organisations),
            "hosts_zh": "\n".join(subforum.host_organisations_zh),
            "venue": subforum.venue_id or NO_CHOICE,
        },
    )
    form.venue.choices = _venue_choices()
    if form.validate_on_submit():
        try:
            program.update_subforum(subforum, actor=current_actor(), **_subforum_fields(form))
            seated = registration.serve_waitlist(subforum, actor=current_actor())
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The subforum is saved."), "success")
            if seated:
                flash(
                    ngettext(
                        "%(num)d delegate on the waitlist now has a seat and is told by e-mail.",
                        "%(num)d delegates on the waitlist now have a seat and are told by e-mail.",
                        seated,
                    ),
                    "success",
                )
            return redirect(url_for(".edit_subforum", subforum_id=subforum_id), 303)
    actions = [PageAction(url_for(".delete_subforum", subforum_id=subforum_id), _("Delete"), True)]
    return _edit_page(
        form,
        _("Subforum: %(title)s", title=localized(subforum, "title")),
        url_for(".subforums"),
        actions=actions,
        history=("subforums", subforum_id),
    )


@bp.post("/subforums/<int:subforum_id>/delete")
@requires(Permission.EDIT_PROGRAM)
def delete_subforum(subforum_id: int):
    require_whole_conference()
    subforum = _or_404(Subforum, subforum_id)
    try:
        program.delete_subforum(subforum, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".edit_subforum", subforum_id=subforum_id), 303)
    flash(_("The subforum is deleted."), "success")
    return redirect(url_for(".subforums"), 303)


# --- venues --------------------------------------------------------------------------------


@bp.get("/venues/")
@requires(Permission.VIEW_PROGRAM)
def venues():
    require_whole_conference()
    editable = current_account().can(Permission.EDIT_PROGRAM)
    wanted = list_query()
    found = queries.dashboard_venues(q=wanted.q, page=wanted.page, per_page=wanted.per_page)
    rows = [
        ListRow(
            [
                _place(venue),
                venue.room_number,
                str(venue.capacity) if venue.capacity is not None else "",
            ],
            url_for(".edit_venue", venue_id=venue.id) if editable else "",
        )
        for venue in found.items
    ]
    columns = [_("Venue"), _("Room number"), _("Seats")]
    return _list(_("Venues"), columns, rows, found, wanted, "new_venue" if editable else "")


@bp.route("/venues/new", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def new_venue():
    require_whole_conference()
    form = NewVenueForm()
    if form.validate_on_submit():
        try:
            venue = program.create_venue(
                actor=current_actor(), slug=form.slug.data, **_venue_fields(form)
            )
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The venue is created."), "success")
            return redirect(url_for(".edit_venue", venue_id=venue.id), 303)
    return _edit_page(form, _("New venue"), url_for(".venues"))


@bp.route("/venues/<int:venue_id>/", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def edit_venue(venue_id: int):
    require_whole_conference()
    venue = _or_404(Venue, venue_id)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        try:
            program.update_venue(venue, actor=current_actor(), **_venue_fields(form))
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The venue is saved."), "success")
            return redirect(url_for(".edit_venue", venue_id=venue_id), 303)
    actions = [PageAction(url_for(".delete_venue", venue_id=venue_id), _("Delete"), True)]
    return _edit_page(
        form,
        _("Venue: %(name)s", name=_place(venue)),
        url_for(".venues"),
        actions=actions,
        history=("venues", venue_id),
    )


@bp.post("/venues/<int:venue_id>/delete")
@requires(Permission.EDIT_PROGRAM)
def delete_venue(venue_id: int):
    require_whole_conference()
    venue = _or_404(Venue, venue_id)
    try:
        program.delete_venue(venue, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".edit_venue", venue_id=venue_id), 303)
    flash(_("The venue is deleted."), "success")
    return redirect(url_for(".venues"), 303)


# --- speakers ------------------------------------------------------------------------------


@bp.get("/speakers/")
@requires(Permission.VIEW_PROGRAM)
def speakers():
    require_whole_conference()
    editable = current_account().can(Permission.EDIT_PROGRAM)
    wanted = list_query()
    found = queries.dashboard_speakers(q=wanted.q, page=wanted.page, per_page=wanted.per_page)
    rows = [
        ListRow(
            [localized(speaker, "name"), localized(speaker, "affiliation"), str(count)],
            url_for(".edit_speaker", speaker_id=speaker.id) if editable else "",
        )
        for speaker, count in found.items
    ]
    columns = [_("Speaker"), _("Affiliation"), _("Sessions")]
    return _list(_("Speakers"), columns, rows, found, wanted, "new_speaker" if editable else "")


@bp.route("/speakers/new", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def new_speaker():
    require_whole_conference()
    form = NewSpeakerForm()
    if form.validate_on_submit():
        try:
            speaker = program.create_speaker(
                actor=current_actor(), slug=form.slug.data, **_speaker_fields(form)
            )
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The speaker is added."), "success")
            return redirect(url_for(".edit_speaker", speaker_id=speaker.id), 303)
    return _edit_page(form, _("New speaker"), url_for(".speakers"))


@bp.route("/speakers/<int:speaker_id>/", methods=["GET", "POST"])
@requires(Permission.EDIT_PROGRAM)
def edit_speaker(speaker_id: int):
    require_whole_conference()
    speaker = _or_404(Speaker, speaker_id)
    form = SpeakerForm(obj=speaker)
    if form.validate_on_submit():
        try:
            program.update_speaker(speaker, actor=current_actor(), **_speaker_fields(form))
        except DomainError as refusal:
            show_refusal(form, refusal, ALIASES)
        else:
            flash(_("The speaker is saved."), "success")
            return redirect(url_for(".edit_speaker", speaker_id=speaker_id), 303)
    actions = [PageAction(url_for(".delete_speaker", speaker_id=speaker_id), _("Delete"), True)]
    return _edit_page(
        form,
        _("Speaker: %(name)s", name=localized(speaker, "name")),
        url_for(".speakers"),
        actions=actions,
        history=("speakers", speaker_id),
    )


@bp.post("/speakers/<int:speaker_id>/delete")
@requires(Permission.EDIT_PROGRAM)
def delete_speaker(speaker_id: int):
    require_whole_conference()
    speaker = _or_404(Speaker, speaker_id)
    try:
        program.delete_speaker(speaker, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".edit_speaker", speaker_id=speaker_id), 303)
    flash(_("The speaker is deleted."), "success")
    return redirect(url_for(".speakers"), 303)


# --- helpers -------------------------------------------------------------------------------

TABS = (
    (".sessions", _l("Sessions")),
    (".subforums", _l("Subforums")),
    (".venues", _l("Venues")),
    (".speakers", _l("Speakers")),
)


def _list(
    heading: str,
    columns: list[str],
    rows: list[ListRow],
    found: Page,
    wanted: ListQuery,
    new_endpoint: str,
):
    whole = current_scope().is_whole_conference
    tabs = [
        MenuItem(url_for(endpoint), str(label), request.endpoint == f"dashboard.program{endpoint}")
        for endpoint, label in TABS
        if whole or endpoint in (".sessions", ".subforums")
    ]
    return render_list(
        heading=heading,
        columns=columns,
        rows=rows,
        found=found,
        wanted=wanted,
        tabs=tabs,
        area_label=_("Program"),
        new_url=url_for(f".{new_endpoint}") if new_endpoint else "",
    )


def _edit_page(form, heading: str, back_url: str, *, actions=(), history=None, notify_url=""):
    problems = form_problems(form)
    lines_ = history_lines(object_history(*history)) if history else []
    return render_template(
        "dashboard/program/edit.html",
        heading=heading,
        form=form,
        problems=problems,
        back_url=back_url,
        back_label=_("Back to the list"),
        actions=list(actions),
        notify_url=notify_url,
        history=lines_,
        history_caption=_("History"),
    ), 422 if problems else 200


def _or_404(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    return row


def _session_or_404(session_id: int) -> ProgramSession:
    """A host's sessions are those of their subforums; any other is not found for them."""
    session = _or_404(ProgramSession, session_id)
    require_subforum(session.subforum_id)
    return session


def _place(venue: Venue | None) -> str:
    if venue is None:
        return ""
    parts = [localized(venue, "building"), localized(venue, "hall")]
    return ", ".join(part for part in parts if part)


def _venue_choices() -> list[tuple[int, str]]:
    return [(NO_CHOICE, _("No venue"))] + [
        (venue.id, _place(venue)) for venue in queries.venues_to_choose()
    ]


def _session_choices(form: SessionForm) -> None:
    """A host chooses among their own subforums only, and must choose one."""
    scope = current_scope()
    subforums = [
        (s.id, localized(s, "title")) for s in queries.subforums_to_choose(scope.subforum_ids)
    ]
    form.subforum.choices = (
        subforums if not scope.is_whole_conference else [(NO_CHOICE, _("No subforum")), *subforums]
    )
    form.venue.choices = _venue_choices()
    form.speakers.choices = [
        (speaker.id, localized(speaker, "name")) for speaker in queries.speakers_to_choose()
    ]


def _session_data(session: ProgramSession, timezone: str) -> dict:
    return {
        "kind": session.kind.value,
        "starts_at": local(session.starts_at, timezone),
        "ends_at": local(session.ends_at, timezone),
        "subforum": session.subforum_id or NO_CHOICE,
        "venue": session.venue_id or NO_CHOICE,
        "speakers": [role.speaker_id for role in session.speaker_roles],
    }


def _session_fields(form: SessionForm, timezone: str) -> dict:
    speakers = {
        s.id: s
        for s in db.session.scalars(
            db.select(Speaker).where(Speaker.id.in_(form.speakers.data or []))
        )
    }
    return {
        "kind": SessionKind(form.kind.data),
        "title": form.title.data,
        "title_zh": form.title_zh.data,
        "abstract": form.abstract.data,
        "abstract_zh": form.abstract_zh.data,
        "starts_at": in_zone(form.starts_at.data, timezone),
        "ends_at": in_zone(form.ends_at.data, timezone),
        "subforum": db.session.get(Subforum, form.subforum.data) if form.subforum.data else None,
        "venue": db.session.get(Venue, form.venue.data) if form.venue.data else None,
        "is_public": form.is_public.data,
        "speakers": [speakers[i] for i in form.speakers.data or [] if i in speakers],
    }


def _subforum_fields(form: SubforumForm) -> dict:
    return {
        "title": form.title.data,
        "title_zh": form.title_zh.data,
        "description": form.description.data,
        "description_zh": form.description_zh.data,
        "host_organisations": lines(form.hosts.data),
        "host_organisations_zh": lines(form.hosts_zh.data),
        "capacity": form.capacity.data,
        "venue": db.session.get(Venue, form.venue.data) if form.venue.data else None,
    }


def _venue_fields(form: VenueForm) -> dict:
    return {
        name: form[name].data
        for name in ("building", "building_zh", "hall", "hall_zh", "room_number", "capacity")
    }


def _speaker_fields(form: SpeakerForm) -> dict:
    return {name: form[name].data for name in program.SPEAKER_FIELDS}


def _previews(session: ProgramSession) -> list[dict]:
    """The notice in English and in Chinese: each delegate gets the one in their language."""
    previews = []
    for locale, lang, heading in (
        ("en", "en", _("In English")),
        ("zh", "zh-Hans", _("In Chinese")),
    ):
        message = preview_session_change(session, locale=locale)
        previews.append(
            {
                "lang": lang,
                "heading": heading,
                "subject": message.subject,
                "text": message.text_body,
            }
        )
    return previews
