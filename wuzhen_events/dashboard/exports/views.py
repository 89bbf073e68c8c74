"""The exports page and its downloads. Each download is one domain generator of rows written
by `spreadsheets` as it is read and streamed to the browser (`stream_with_context` keeps the
request, its database session and its language for the generator), never built in memory.

Not through `serving.serve`: that builds an export's bytes to answer ETags and gzip, which a
private download of 100,000 rows, never kept and never revalidated, does not need.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from wuzhen_events import clock
from wuzhen_events.accounts.enums import Permission
from wuzhen_events.dashboard.access import current_scope, require_whole_conference, requires
from wuzhen_events.dashboard.filters import delegate_filter_from, filter_args
from wuzhen_events.expo import exports as expo_exports
from wuzhen_events.extensions import db
from wuzhen_events.i18n import country_name, localized, page_language
from wuzhen_events.mail import exports as mail_exports
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.program.queries import conference_or_404
from wuzhen_events.registration import exports as registration_exports
from wuzhen_events.registration.directory import DelegateFilter
from wuzhen_events.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    xlsx_chunks,
)

bp = Blueprint("exports", __name__, url_prefix="/exports")

FILE_FORMAT = "<any(csv, xlsx):file_format>"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
COLUMN_WIDTH_LIMITS = (10, 40)
SORT_LABELS = {
    "registered": _l("Registration date"),
    "name": _l("Name"),
    "organisation": _l("Organisation"),
    "country": _l("Country"),
    "category": _l("Category"),
    "status": _l("Status"),
}


@dataclass(frozen=True)
class Export:
    name: str  # the view, and the ASCII part of the file's name
    title: LazyString
    description: LazyString
    columns: tuple[LazyString, ...]
    whole_conference: bool  # not per subforum: a scoped account may not download it

    @property
    def endpoint(self) -> str:
        return f"dashboard.exports.{self.name}"


DELEGATES = Export(
    "delegates",
    _l("Delegates"),
    _l("Every registration the delegates table's filter shows, with their subforum places."),
    registration_exports.DELEGATE_COLUMNS,
    whole_conference=False,
)
SEATS = Export(
    "seats",
    _l("Seats and waitlists"),
    _l("Every place in each subforum: confirmed and held seats, the waitlist in order, requests."),
    registration_exports.SEAT_COLUMNS,
    whole_conference=False,
)
EXHIBITORS = Export(
    "exhibitors",
    _l("Exhibitors"),
    _l("Every exhibitor with hall, booth and number of launches."),
    expo_exports.EXHIBITOR_COLUMNS,
    whole_conference=True,
)
LAUNCHES = Export(
    "launches",
    _l("Product launches"),
    _l("Every product launch with its stage, times and exhibitor."),
    expo_exports.LAUNCH_COLUMNS,
    whole_conference=True,
)
INVITATIONS = Export(
    "invitations",
    _l("Invitations"),
    _l("Every invitation and whether it was used; never the invitation codes."),
    registration_exports.INVITATION_COLUMNS,
    whole_conference=True,
)
EMAILS = Export(
    "emails",
    _l("E-mail log"),
    _l("Every e-mail queued: recipient, subject, state and failure reason; never the messages."),
    mail_exports.MESSAGE_COLUMNS,
    whole_conference=True,
)
EXPORTS = (DELEGATES, SEATS, EXHIBITORS, LAUNCHES, INVITATIONS, EMAILS)


@dataclass(frozen=True)
class ExportLine:
    title: str
    description: str
    csv_url: str
    xlsx_url: str


@bp.get("/")
@requires(Permission.EXPORT)
def index():
    conference = conference_or_404()
    scope = current_scope()
    wanted = delegate_filter_from(request.args)
    kept = filter_args(wanted)
    lines = [
        ExportLine(
            str(export.title),
            str(export.description),
            url_for(export.endpoint, file_format="csv", **(kept if export is DELEGATES else {})),
            url_for(export.endpoint, file_format="xlsx", **(kept if export is DELEGATES else {})),
        )
        for export in EXPORTS
        if scope.is_whole_conference or not export.whole_conference
    ]
    return render_template(
        "dashboard/exports/index.html",
        lines=lines,
        filter_terms=_filter_terms(wanted, kept),
        scoped=not scope.is_whole_conference,
        timezone=conference.timezone,
    )


@bp.get(f"/delegates.{FILE_FORMAT}")
@requires(Permission.EXPORT)
def delegates(file_format: str):
    conference = conference_or_404()
    rows = registration_exports.delegate_rows(
        conference,
        delegate_filter_from(request.args),
        subforum_ids=current_scope().subforum_ids,
        language=page_language(),
    )
    return _download(DELEGATES, file_format, conference, rows)


@bp.get(f"/seats.{FILE_FORMAT}")
@requires(Permission.EXPORT)
def seats(file_format: str):
    conference = conference_or_404()
    rows = registration_exports.seat_rows(conference, subforum_ids=current_scope().subforum_ids)
    return _download(SEATS, file_format, conference, rows)


@bp.get(f"/exhibitors.{FILE_FORMAT}")
@requires(Permission.EXPORT)
def exhibitors(file_format: str):
    require_whole_conference()
    conference = conference_or_404()
    return _download(EXHIBITORS, file_format, conference, expo_exports.exhibitor_rows(conference))


@bp.get(f"/launches.{FILE_FORMAT}")
@requires(Permission.EXPORT)
def launches(file_format: str):
    require_whole_conference()
    conference = conference_or_404()
    return _download(LAUNCHES, file_format, conference, expo_exports.launch_rows(conference))


@bp.get(f"/invitations.{FILE_FORMAT}")
@requires(Permission.EXPORT)
def invitations(file_format: str):
    require_whole_conference()
    conference = conference_or_404()
    rows = registration_exports.invitation_rows(conference, now=clock.now())
    return _download(INVITATIONS, file_format, conference, rows)


@bp.get(f"/emails.{FILE_FORMAT}")
@requires(Permission.EXPORT)
def emails(file_format: str):
    require_whole_conference()
    conference = conference_or_404()
    rows = mail_exports.message_rows(ZoneInfo(conference.timezone))
    return _download(EMAILS, file_format, conference, rows)


def _download(
    export: Export, file_format: str, conference: Conference, rows: Iterator[tuple]
) -> Response:
    """The file as an attachment, streamed: its rows are read while the browser receives it."""
    header = [str(title) for title in export.columns]
    if file_format == "csv":
        chunks = csv_chunks(header, rows)
    else:
        low, high = COLUMN_WIDTH_LIMITS
        widths = [min(max(len(title) + 4, low), high) for title in header]
        chunks = xlsx_chunks(header, rows, title=str(export.title), column_widths=widths)
    response = Response(stream_with_context(chunks), content_type=CONTENT_TYPES[file_format])
    response.headers["Content-Disposition"] = _attachment(export, file_format, conference)
    response.headers["Cache-Control"] = "no-store"
    return response


def _attachment(export: Export, file_format: str, conference: Conference) -> str:
    """An ASCII file name for every browser, and the name in the account's language (RFC 6266)."""
    day = clock.now().astimezone(ZoneInfo(conference.timezone)).date().isoformat()
    slug = "".join(c for c in conference.slug if c.isascii() and (c.isalnum() or c in "-_"))
    ascii_name = f"{slug or 'conference'}-{export.name}-{day}.{file_format}"
    title = "-".join(str(export.title).split())
    local_name = f"{slug or 'conference'}-{title}-{day}.{file_format}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(local_name, safe='')}"


def _filter_terms(wanted: DelegateFilter, kept: dict[str, str]) -> list[tuple[str, str]]:
    """The table's filter as the exports page names it: what the delegates export keeps."""
    terms: list[tuple[str, str]] = []
    if wanted.q:
        terms.append((_("Search"), wanted.q))
    if wanted.category is not None:
        terms.append((_("Category"), str(wanted.category.label)))
    if wanted.status is not None:
        terms.append((_("Status"), str(wanted.status.label)))
    if wanted.country:
        terms.append((_("Country"), country_name(wanted.country)))
    if wanted.subforum_id is not None:
        subforum = db.session.get(Subforum, wanted.subforum_id)
        terms.append(
            (_("Subforum"), localized(subforum, "title") if subforum else str(wanted.subforum_id))
        )
    if wanted.seat is not None:
        terms.append((_("Place"), str(wanted.seat.label)))
    if wanted.checked_in is not None:
        terms.append((_("Checked in"), _("yes") if wanted.checked_in else _("no")))
    if "sort" in kept or "order" in kept:
        order = _("descending") if wanted.descending else _("ascending")
        terms.append((_("Sorted by"), f"{SORT_LABELS.get(wanted.sort, wanted.sort)} ({order})"))
    return terms
