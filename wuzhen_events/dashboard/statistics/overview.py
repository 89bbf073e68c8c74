"""The statistics page and the home page's headline figures, shaped from the domains' GROUP BY
queries: each chart with the table of its numbers, every label in the page's language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from wuzhen_events import charts
from wuzhen_events.expo import queries as expo_queries
from wuzhen_events.i18n import country_name, is_chinese, localized
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.queries import messages_by_status
from wuzhen_events.program.models import Conference
from wuzhen_events.registration import statistics
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus

# Countries drawn in a chart; the table beside it lists every one.
CHART_COUNTRIES = 15
# A gap of days is filled with zeros in the time series up to this span, not beyond.
LONGEST_SERIES = 400

OUTBOX_LABELS = {
    OutboxStatus.PENDING: _l("Waiting to be sent"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.SUPERSEDED: _l("Not sent (superseded)"),
}


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]  # the first names the rows' header column
    rows: list[list[str]]  # each row's first cell is its header
    totals: list[str] | None = None  # a last row, "Total" first


@dataclass(frozen=True)
class Figure:
    identifier: str
    chart: Markup
    table: Table


@dataclass(frozen=True)
class Section:
    identifier: str
    heading: str
    figures: list[Figure]
    note: str = ""


@dataclass(frozen=True)
class StatusFigure:
    label: str
    count: str


@dataclass(frozen=True)
class Headline:
    """What the dashboard's home shows to an account that may read statistics."""

    registrations: str
    by_status: list[StatusFigure]
    seats_taken: str
    capacity: str
    percent_filled: int
    emails_waiting: str
    emails_failed: str


@dataclass(frozen=True)
class _Counts:
    """The answers of the queries the home page and the statistics page share."""

    category_status: list[statistics.CategoryStatusCount]
    fill: list[statistics.SubforumFill]
    outbox: dict[OutboxStatus, int]


def headline(conference: Conference, *, subforum_ids: Collection[int] | None = None) -> Headline:
    """Three GROUP BY queries: registrations by status, seats, and the outbox."""
    return _headline(_counts(conference, subforum_ids))


def overview(
    conference: Conference, *, subforum_ids: Collection[int] | None = None
) -> tuple[Headline, list[Section]]:
    """Every section of the statistics page: a fixed number of queries, one per GROUP BY."""
    counts = _counts(conference, subforum_ids)
    by_day = statistics.registrations_by_day(conference, subforum_ids=subforum_ids)
    by_country = statistics.registrations_by_country(conference, subforum_ids=subforum_ids)
    sections = [
        Section(
            "registrations",
            _("Registrations"),
            [
                _per_day_figure(by_day),
                _category_status_figure(counts.category_status),
                _country_figure(
                    "registrations-by-country",
                    _("Delegates by country or region"),
                    _("Delegates not cancelled, by country or region, most first."),
                    by_country,
                ),
            ],
        ),
        Section("subforums", _("Subforums"), [_fill_figure(counts.fill)]),
        Section(
            "expo",
            _("Expo"),
            [
                _sector_figure(expo_queries.exhibitors_by_sector(conference)),
                _hall_figure(expo_queries.exhibitors_by_hall(conference)),
                _country_figure(
                    "exhibitors-by-country",
                    _("Exhibitors by country or region"),
                    _("Exhibitors by country or region, most first."),
                    expo_queries.exhibitors_by_country(conference),
                ),
            ],
        ),
        Section("email", _("E-mail"), [_outbox_figure(counts.outbox)]),
    ]
    return _headline(counts), sections


def _counts(conference: Conference, subforum_ids: Collection[int] | None) -> _Counts:
    return _Counts(
        statistics.registrations_by_category_and_status(conference, subforum_ids=subforum_ids),
        statistics.subforum_fill(conference, subforum_ids=subforum_ids),
        messages_by_status(),
    )


def _headline(counts: _Counts) -> Headline:
    by_status = dict.fromkeys(DelegateStatus, 0)
    for row in counts.category_status:
        by_status[row.status] += row.count
    seats = sum(fill.seats_taken for fill in counts.fill)
    capacity = sum(fill.capacity for fill in counts.fill)
    return Headline(
        registrations=_n(sum(by_status.values())),
        by_status=[StatusFigure(status.label, _n(count)) for status, count in by_status.items()],
        seats_taken=_n(seats),
        capacity=_n(capacity),
        percent_filled=round(100 * seats / capacity) if capacity else 0,
        emails_waiting=_n(counts.outbox[OutboxStatus.PENDING]),
        emails_failed=_n(counts.outbox[OutboxStatus.FAILED]),
    )


# --- figures ------------------------------------------------------------------------------------


def _per_day_figure(by_day: Sequence[statistics.DayCount]) -> Figure:
    per_day: dict[date, dict[DelegateCategory, int]] = defaultdict(dict)
    for row in by_day:
        per_day[row.day][row.category] = row.count
    days = _days(sorted(per_day))
    categories = [
        category
        for category in DelegateCategory
        if any(category in counts for counts in per_day.values())
    ]
    totals = {day: sum(per_day.get(day, {}).values()) for day in days}
    title = _("Registrations per day")
    chart = charts.time_series(
        "registrations-per-day",
        title,
        _(
            "Registrations made each day (conference time), every category together: %(count)s "
            "over %(days)s days.",
            count=_n(sum(totals.values())),
            days=_n(len(days)),
        ),
        [charts.Bar(_short_day(day), totals[day]) for day in days],
    )
    table = Table(
        caption=_("Registrations per day and category"),
        headers=[_("Day"), *(category.label for category in categories), _("Total")],
        rows=[
            [
                day.isoformat(),
                *(_n(per_day.get(day, {}).get(category, 0)) for category in categories),
                _n(totals[day]),
            ]
            for day in days
        ],
        totals=[
            _("Total"),
            *(
                _n(sum(counts.get(category, 0) for counts in per_day.values()))
                for category in categories
            ),
            _n(sum(totals.values())),
        ],
    )
    return Figure("registrations-per-day", chart, table)


def _category_status_figure(rows: Sequence[statistics.CategoryStatusCount]) -> Figure:
    counts = {(row.category, row.status): row.count for row in rows}
    categories = [
        category
        for category in DelegateCategory
        if any((category, status) in counts for status in DelegateStatus)
    ]
    totals = {
        category: sum(counts.get((category, status), 0) for status in DelegateStatus)
        for category in categories
    }
    title = _("Registrations by category")
    chart = charts.bar_chart(
        "registrations-by-category",
        title,
        _("Registrations in each delegate category, every status together."),
        [charts.Bar(category.label, totals[category]) for category in categories],
    )
    table = Table(
        caption=_("Registrations by category and status"),
        headers=[_("Category"), *(status.label for status in DelegateStatus), _("Total")],
        rows=[
            [
                category.label,
                *(_n(counts.get((category, status), 0)) for status in DelegateStatus),
                _n(totals[category]),
            ]
            for category in categories
        ],
        totals=[
            _("Total"),
            *(
                _n(sum(counts.get((category, status), 0) for category in categories))
                for status in DelegateStatus
            ),
            _n(sum(totals.values())),
        ],
    )
    return Figure("registrations-by-category", chart, table)


def _country_figure(
    identifier: str, title: str, description: str, rows: Sequence[tuple[str, int]]
) -> Figure:
    named = [(_country(code), count) for code, count in rows]
    shown = [charts.Bar(name, count) for name, count in named[:CHART_COUNTRIES]]
    rest = sum(count for _name, count in named[CHART_COUNTRIES:])
    if rest:
        shown.append(charts.Bar(_("Others"), rest))
    chart = charts.horizontal_bar_chart(identifier, title, description, shown)
    table = Table(
        caption=title,
        headers=[_("Country or region"), _("Count")],
        rows=[[name, _n(count)] for name, count in named],
        totals=[_("Total"), _n(sum(count for _name, count in named))],
    )
    return Figure(identifier, chart, table)


def _fill_figure(fills: Sequence[statistics.SubforumFill]) -> Figure:
    title = _("Confirmed seats against capacity")
    chart = charts.horizontal_bar_chart(
        "subforum-fill",
        title,
        _("Each subforum's confirmed seats, drawn over its capacity."),
        [charts.Bar(localized(fill, "title"), fill.confirmed, fill.capacity) for fill in fills],
    )
    table = Table(
        caption=_("Seats and waitlists per subforum"),
        headers=[
            _("Subforum"),
            _("Capacity"),
            _("Confirmed"),
            _("Held"),
            _("Filled"),
            _("Waitlist"),
            _("Requested"),
        ],
        rows=[
            [
                localized(fill, "title"),
                _n(fill.capacity),
                _n(fill.confirmed),
                _n(fill.held),
                f"{fill.percent_confirmed}%",
                _n(fill.waitlisted),
                _n(fill.wanted),
            ]
            for fill in fills
        ],
        totals=[
            _("Total"),
            _n(sum(fill.capacity for fill in fills)),
            _n(sum(fill.confirmed for fill in fills)),
            _n(sum(fill.held for fill in fills)),
            "",
            _n(sum(fill.waitlisted for fill in fills)),
            _n(sum(fill.wanted for fill in fills)),
        ],
    )
    return Figure("subforum-fill", chart, table)


def _sector_figure(rows) -> Figure:
    title = _("Exhibitors by sector")
    chart = charts.horizontal_bar_chart(
        "exhibitors-by-sector",
        title,
        _("Exhibitors in each sector, most first."),
        [charts.Bar(sector.label, count) for sector, count in rows],
    )
    table = Table(
        caption=title,
        headers=[_("Sector"), _("Exhibitors")],
        rows=[[sector.label, _n(count)] for sector, count in rows],
        totals=[_("Total"), _n(sum(count for _sector, count in rows))],
    )
    return Figure("exhibitors-by-sector", chart, table)


def _hall_figure(rows: Sequence[tuple[str, int]]) -> Figure:
    title = _("Exhibitors by hall")
    chart = charts.bar_chart(
        "exhibitors-by-hall",
        title,
        _("Exhibitors in each hall, in hall order."),
        [charts.Bar(_hall(hall), count) for hall, count in rows],
    )
    table = Table(
        caption=title,
        headers=[_("Hall"), _("Exhibitors")],
        rows=[[_hall(hall), _n(count)] for hall, count in rows],
        totals=[_("Total"), _n(sum(count for _hall_name, count in rows))],
    )
    return Figure("exhibitors-by-hall", chart, table)


def _outbox_figure(counts: dict[OutboxStatus, int]) -> Figure:
    title = _("E-mails by state")
    chart = charts.bar_chart(
        "emails-by-state",
        title,
        _("Messages in the outbox in each state."),
        [charts.Bar(str(OUTBOX_LABELS[status]), count) for status, count in counts.items()],
    )
    table = Table(
        caption=title,
        headers=[_("State"), _("Messages")],
        rows=[[str(OUTBOX_LABELS[status]), _n(count)] for status, count in counts.items()],
        totals=[_("Total"), _n(sum(counts.values()))],
    )
    return Figure("emails-by-state", chart, table)


# --- labels -------------------------------------------------------------------------------------


def _days(present: list[date]) -> list[date]:
    """Every day from the first to the last, so a quiet day shows as zero, unless the span is
    so long that the gaps would be most of it."""
    if not present or (present[-1] - present[0]).days > LONGEST_SERIES:
        return present
    return [
        present[0] + timedelta(days=number) for number in range((present[-1] - present[0]).days + 1)
    ]


def _short_day(day: date) -> str:
    return format_date(day, "M月d日" if is_chinese() else "d MMM")


def _country(code: str) -> str:
    return country_name(code) if code else _("Unknown (erased)")


def _hall(hall: str) -> str:
    return _("Hall %(hall)s", hall=hall)


def _n(number: int) -> str:
    """Digits grouped by thousands with a comma, as both English and Chinese write them (and
    Babel's format_decimal would, at many times the cost over a page of tables)."""
    return f"{number:,}"
