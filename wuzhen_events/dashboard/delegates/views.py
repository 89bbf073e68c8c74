"""The delegates table (search, filters, sorting, pages, bulk decisions), a delegate's page with
its history, and the decisions and seat changes made from it. A subforum host sees and changes
only the delegates holding a place in their subforums: every query here passes their scope."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.audit.queries import delegate_history
from wuzhen_events.dashboard.access import (
    current_account,
    current_actor,
    current_scope,
    require_subforum,
    requires,
)
from wuzhen_events.dashboard.delegates.forms import (
    BadgeLayoutForm,
    BulkForm,
    DecisionForm,
    DelegateFilterForm,
    MoveSeatForm,
    PromoteForm,
)
from wuzhen_events.dashboard.filters import delegate_filter_from, filter_args, page_number
from wuzhen_events.dashboard.history import history_lines
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import db
from wuzhen_events.i18n import localized
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.program.models import Subforum
from wuzhen_events.program.queries import conference_or_404
from wuzhen_events.registration import badges as badge_files
from wuzhen_events.registration import directory, services
from wuzhen_events.registration.bulk import BulkAction, BulkResult, apply_to_delegates, shown_name
from wuzhen_events.registration.directory import DEFAULT_SORT, DelegateFilter
from wuzhen_events.registration.enums import DelegateStatus, SeatStatus
from wuzhen_events.registration.queries import starred_sessions

bp = Blueprint("delegates", __name__, url_prefix="/delegates")

PER_PAGE = 50
PAGE_SIZES = (25, 50, 100, 200)

# The table's sortable columns, in their order, with their headings.
COLUMNS = (
    ("name", _l("Name")),
    ("organisation", _l("Organisation")),
    ("country", _l("Country")),
    ("category", _l("Category")),
    ("status", _l("Status")),
    ("registered", _l("Registered")),
)

OUTBOX_STATES = {
    OutboxStatus.PENDING: _l("Waiting to be sent"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.SUPERSEDED: _l("Not sent: a later e-mail said it all"),
}

# What a bulk result says, per action: how many changed, were so already, were refused.
RESULT_WORDS = {
    BulkAction.APPROVE: (
        _l("Approved %(count)s."),
        _l("Already approved %(count)s:"),
        _l("Not approved %(count)s:"),
    ),
    BulkAction.REJECT: (
        _l("Rejected %(count)s."),
        _l("Already rejected %(count)s:"),
        _l("Not rejected %(count)s:"),
    ),
    BulkAction.RESET: (
        _l("Reset to pending %(count)s."),
        _l("Already pending %(count)s:"),
        _l("Not reset to pending %(count)s:"),
    ),
    BulkAction.CANCEL: (
        _l("Cancelled %(count)s."),
        _l("Already cancelled %(count)s:"),
        _l("Not cancelled %(count)s:"),
    ),
}


@dataclass(frozen=True)
class SortLink:
    label: str
    url: str
    current: bool
    descending: bool  # the order shown, when current


@dataclass(frozen=True)
class EmailLine:
    subject: str
    state: str
    queued_at: datetime
    sent_at: datetime | None
    failure: str


@dataclass(frozen=True)
class ResultPart:
    heading: str
    lines: list[str]


@bp.get("/")
@requires(Permission.VIEW_DELEGATES)
def index():
    conference = conference_or_404()
    scope = current_scope().subforum_ids
    wanted = delegate_filter_from(request.args)
    per_page = _per_page()
    found = directory.delegate_page(
        conference.id, wanted, page_number(request.args), per_page, subforum_ids=scope
    )
    kept = filter_args(wanted)
    if per_page != PER_PAGE:
        kept["per_page"] = str(per_page)
    pager = replace(
        found,
        url_for_page=lambda number: url_for(
            ".index", **kept, **({"page": number} if number > 1 else {})
        ),
    )
    form = DelegateFilterForm(
        request.args,
        subforums=directory.subforums_in_scope(conference.id, subforum_ids=scope),
        countries=directory.delegate_countries(conference.id, subforum_ids=scope),
    )
    may_decide = current_account().can(Permission.MANAGE_DELEGATES)
    return render_template(
        "dashboard/delegates/index.html",
        form=form,
        rows=found.items,
        pager=pager,
        totals=_totals(found.first_item, found.last_item, found.total),
        total=found.total,
        matching_label=_("All %(count)s matching", count=format_number(found.total)),
        sort_links=_sort_links(wanted, kept),
        bulk_form=BulkForm() if may_decide else None,
        bulk_url=url_for(".bulk", **filter_args(wanted)),
        badges_url=(
            url_for(".badges", **filter_args(wanted))
            if current_account().can(Permission.PRINT_BADGES)
            else None
        ),
        is_filtered=bool(filter_args(replace(wanted, sort=DEFAULT_SORT, descending=False))),
    )


@bp.post("/bulk")
@requires(Permission.MANAGE_DELEGATES)
def bulk():
    """The ticked rows, or every row the filter in the address finds; a result page names
    every delegate not changed and why."""
    conference = conference_or_404()
    scope = current_scope().subforum_ids
    wanted = delegate_filter_from(request.args)
    back = url_for(".index", **filter_args(wanted))
    form = BulkForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(back, 303)
    if form.apply_to.data == "matching":
        ids = directory.matching_ids(conference.id, wanted, subforum_ids=scope)
    else:
        ids = directory.ids_in_scope(conference.id, form.delegate.data, subforum_ids=scope)
    action = BulkAction(form.action.data)
    result = apply_to_delegates(action, ids, actor=current_actor())
    return render_template(
        "dashboard/delegates/bulk_result.html",
        parts=_result_parts(result),
        back_url=back,
    )


@bp.get("/badges")
@requires(Permission.PRINT_BADGES)
def badges():
    """What a print of the filtered table's badges holds, and the layout to print it in."""
    conference = conference_or_404()
    wanted = delegate_filter_from(request.args)
    count = badge_files.badge_count(
        conference.id, wanted, subforum_ids=current_scope().subforum_ids
    )
    return render_template(
        "dashboard/delegates/badges.html",
        form=BadgeLayoutForm(),
        kept=filter_args(wanted),
        count=count,
        printed=ngettext(
            "%(num)s badge will be printed.", "%(num)s badges will be printed.", count.printed
        ),
        left_out=ngettext(
            "%(num)s delegate the filter finds is not confirmed and gets no badge.",
            "%(num)s delegates the filter finds are not confirmed and get no badge.",
            count.left_out,
        ),
        back_url=url_for(".index", **filter_args(wanted)),
    )


@bp.get("/badges.pdf")
@requires(Permission.PRINT_BADGES)
def badges_pdf():
    """The badges of the confirmed delegates the table's filter finds, as one PDF."""
    conference = conference_or_404()
    try:
        layout = badge_files.layout_named(request.args.get("layout"))
    except DomainError as refusal:
        return _badge_refused(refusal, 400)
    try:
        data = badge_files.filtered_badges_pdf(
            conference,
            delegate_filter_from(request.args),
            layout,
            subforum_ids=current_scope().subforum_ids,
        )
    except DomainError as refusal:
        return _badge_refused(refusal, 422)
    day = conference.starts_on.isoformat()
    return _pdf(data, f"{_slug(conference.slug)}-badges-{layout.key}-{day}.pdf", inline=False)


@bp.get("/<int:delegate_id>/badge.pdf")
@requires(Permission.PRINT_BADGES)
def badge_pdf(delegate_id: int):
    """One delegate's badge, to print at the desk (a lost badge, a late registration)."""
    conference = conference_or_404()
    delegate = _delegate_or_404(conference.id, delegate_id)
    try:
        layout = badge_files.layout_named(request.args.get("layout"))
    except DomainError as refusal:
        return _badge_refused(refusal, 400)
    try:
        data = badge_files.delegate_badge_pdf(conference, delegate, layout)
    except DomainError as refusal:
        return _badge_refused(refusal, 409)
    return _pdf(data, f"{_slug(conference.slug)}-badge-{delegate.id}-{layout.key}.pdf", inline=True)


@bp.get("/<int:delegate_id>/")
@requires(Permission.VIEW_DELEGATES)
def detail(delegate_id: int):
    conference = conference_or_404()
    scope = current_scope().subforum_ids
    delegate = _delegate_or_404(conference.id, delegate_id)
    places = directory.delegate_places(delegate, subforum_ids=scope)
    account = current_account()
    seats = [p for p in places if p.status in (SeatStatus.CONFIRMED, SeatStatus.HELD)]
    targets = directory.subforums_in_scope(conference.id, subforum_ids=scope)
    move_form = None
    if account.can(Permission.MANAGE_SEATS) and seats and delegate.is_active:
        move_form = MoveSeatForm()
        move_form.source.choices = [(p.subforum.id, _title(p.subforum)) for p in seats]
        held = {p.subforum.id for p in places}
        move_form.target.choices = [(s.id, _title(s)) for s in targets if s.id not in held]
        if not move_form.target.choices:
            move_form = None
    return render_template(
        "dashboard/delegates/detail.html",
        delegate=delegate,
        shown_name=shown_name(delegate),
        places=places,
        stars=starred_sessions(delegate),
        emails=[
            EmailLine(
                m.subject or m.kind,
                str(OUTBOX_STATES.get(m.status, m.status.value)),
                m.created_at,
                m.sent_at,
                m.last_error,
            )
            for m in directory.sent_emails(delegate)
        ],
        history=history_lines(delegate_history(delegate.id)),
        history_caption=_("History of %(name)s", name=shown_name(delegate)),
        decisions=_decisions(delegate) if account.can(Permission.MANAGE_DELEGATES) else [],
        decision_form=DecisionForm(),
        move_form=move_form,
        may_promote=account.can(Permission.MANAGE_SEATS) and delegate.is_active,
        promote_form=PromoteForm(),
        badge_form=(
            BadgeLayoutForm()
            if account.can(Permission.PRINT_BADGES) and delegate.status is DelegateStatus.CONFIRMED
            else None
        ),
        may_print_badges=account.can(Permission.PRINT_BADGES),
    )


@bp.post("/<int:delegate_id>/decide")
@requires(Permission.MANAGE_DELEGATES)
def decide(delegate_id: int):
    conference = conference_or_404()
    delegate = _delegate_or_404(conference.id, delegate_id)
    form = DecisionForm()
    if form.validate_on_submit():
        action = BulkAction(form.action.data)
        try:
            action.service(delegate, actor=current_actor())
        except DomainError as refusal:
            flash(refusal.message, "error")
        else:
            flash(_decided(action, shown_name(delegate)), "success")
    else:
        _flash_errors(form)
    return redirect(url_for(".detail", delegate_id=delegate_id), 303)


@bp.post("/<int:delegate_id>/seats/move")
@requires(Permission.MANAGE_SEATS)
def move_seat(delegate_id: int):
    conference = conference_or_404()
    delegate = _delegate_or_404(conference.id, delegate_id)
    form = MoveSeatForm()
    if form.validate_on_submit():
        source = _subforum_or_404(conference.id, form.source.data)
        target = _subforum_or_404(conference.id, form.target.data)
        try:
            services.move_seat(delegate, source, target, actor=current_actor())
        except DomainError as refusal:
            flash(refusal.message, "error")
        else:
            flash(
                _(
                    "%(name)s's seat moved from “%(source)s” to “%(target)s”.",
                    name=shown_name(delegate),
                    source=_title(source),
                    target=_title(target),
                ),
                "success",
            )
    else:
        _flash_errors(form)
    return redirect(url_for(".detail", delegate_id=delegate_id), 303)


@bp.post("/<int:delegate_id>/seats/promote")
@requires(Permission.MANAGE_SEATS)
def promote(delegate_id: int):
    conference = conference_or_404()
    delegate = _delegate_or_404(conference.id, delegate_id)
    form = PromoteForm()
    if form.validate_on_submit():
        subforum = _subforum_or_404(conference.id, form.subforum.data)
        try:
            services.promote_waitlisted(delegate, subforum, actor=current_actor())
        except DomainError as refusal:
            flash(refusal.message, "error")
        else:
            flash(
                _(
                    "%(name)s now has a seat in “%(title)s”.",
                    name=shown_name(delegate),
                    title=_title(subforum),
                ),
                "success",
            )
    else:
        _flash_errors(form)
    return redirect(url_for(".detail", delegate_id=delegate_id), 303)


# --- helpers ------------------------------------------------------------------------------------


def _badge_refused(refusal: DomainError, status: int):
    """A badge that cannot be printed: the reason, in the error page's words and status."""
    title = _("Badge not printed")
    page = render_template(
        "errors/error.html", code=status, title=title, description=refusal.message
    )
    return page, status


def _pdf(data: bytes, filename: str, *, inline: bool) -> Response:
    response = Response(data, content_type=badge_files.PDF_CONTENT_TYPE)
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _slug(slug: str) -> str:
    return "".join(c for c in slug if c.isascii() and (c.isalnum() or c in "-_")) or "conference"


def _delegate_or_404(conference_id: int, delegate_id: int):
    delegate = directory.delegate_in_scope(
        conference_id, delegate_id, subforum_ids=current_scope().subforum_ids
    )
    if delegate is None:
        abort(404)
    return delegate


def _subforum_or_404(conference_id: int, subforum_id: int) -> Subforum:
    require_subforum(subforum_id)
    subforum = db.session.get(Subforum, subforum_id)
    if subforum is None or subforum.conference_id != conference_id:
        abort(404)
    return subforum


def _title(subforum: Subforum) -> str:
    return localized(subforum, "title")


def _per_page() -> int:
    raw = (request.args.get("per_page") or "").strip()
    return int(raw) if raw.isdigit() and int(raw) in PAGE_SIZES else PER_PAGE


def _totals(first: int, last: int, total: int) -> str:
    if total == 0:
        return _("No delegate matches.")
    return _(
        "%(first)s–%(last)s of %(total)s",
        first=format_number(first),
        last=format_number(last),
        total=format_number(total),
    )


def _sort_links(wanted: DelegateFilter, kept: dict[str, str]) -> list[SortLink]:
    """Each heading sorts by its column; the current one again reverses the order."""
    links = []
    base = {k: v for k, v in kept.items() if k not in ("sort", "order")}
    for column, label in COLUMNS:
        current = wanted.sort == column
        descending = not wanted.descending if current else False
        args = dict(base)
        if column != DEFAULT_SORT:
            args["sort"] = column
        if descending:
            args["order"] = "desc"
        links.append(SortLink(str(label), url_for(".index", **args), current, wanted.descending))
    return links


def _decisions(delegate) -> list[tuple[str, str]]:
    """The decisions that would change this delegate's status, as (value, label)."""
    return [
        (action.value, action.label)
        for action in BulkAction
        if action.outcome is not delegate.status
    ]


def _decided(action: BulkAction, name: str) -> str:
    words = {
        BulkAction.APPROVE: _("%(name)s is approved.", name=name),
        BulkAction.REJECT: _("%(name)s is rejected.", name=name),
        BulkAction.RESET: _("%(name)s is waiting for approval again.", name=name),
        BulkAction.CANCEL: _("%(name)s's registration is cancelled.", name=name),
    }
    return words[action]


def _result_parts(result: BulkResult) -> list[ResultPart]:
    changed, already, refused = RESULT_WORDS[result.action]
    parts = [ResultPart(str(changed) % {"count": format_number(len(result.changed))}, [])]
    if result.already:
        parts.append(
            ResultPart(str(already) % {"count": format_number(len(result.already))}, result.already)
        )
    if result.refused:
        parts.append(
            ResultPart(
                str(refused) % {"count": format_number(len(result.refused))},
                [_("%(name)s — %(reason)s", name=r.name, reason=r.reason) for r in result.refused],
            )
        )
    return parts


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "error")
