"""How subforums are offered to a delegate: by day in time order, with their seats, the
choices that clash with what is already chosen, and those kept for other categories."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import ngettext, to_user_timezone

from wuzhen_events.i18n import clock_time, localized, long_day, short_day
from wuzhen_events.registration.enums import DelegateCategory, category_list


class Offered(Protocol):
    """A bookable subforum as offered and chosen: a `Subforum` or a form's `SubforumChoice`."""

    id: int
    slug: str
    title: str
    title_zh: str
    capacity: int
    seats_taken: int
    restricted_to: Sequence[str]
    starts_at: datetime | None
    ends_at: datetime | None
    seats_left: int
    is_full: bool


@dataclass(frozen=True)
class SubforumOption:
    """One subforum as a form offers it, every label already in the visitor's language."""

    subforum: Offered
    title: str
    when: str
    seats: str
    clashes_with: str = ""
    restriction: str = ""
    field: Any = None  # the form's checkbox for it, when the form has one per subforum

    @property
    def starts(self) -> str:
        return self.subforum.starts_at.isoformat() if self.subforum.starts_at else ""

    @property
    def ends(self) -> str:
        return self.subforum.ends_at.isoformat() if self.subforum.ends_at else ""


@dataclass(frozen=True)
class DayOfChoices:
    label: str
    options: list[SubforumOption]


def time_range(subforum: Offered) -> str:
    if subforum.starts_at is None or subforum.ends_at is None:
        return _("time to be announced")
    return _(
        "%(day)s, %(start)s–%(end)s",
        day=short_day(local_day(subforum.starts_at)),
        start=clock_time(subforum.starts_at),
        end=clock_time(subforum.ends_at),
    )


def seats_label(subforum: Offered) -> str:
    if subforum.is_full:
        return _("full: waitlist")
    return ngettext("%(num)d seat left", "%(num)d seats left", subforum.seats_left)


def option_label(subforum: Offered) -> str:
    """One line for a select: title, day and time range, seats."""
    return f"{localized(subforum, 'title')} — {time_range(subforum)} · {seats_label(subforum)}"


def local_day(moment: datetime) -> date:
    return to_user_timezone(moment).date()


def overlaps(first: Offered, second: Offered) -> bool:
    if None in (first.starts_at, first.ends_at, second.starts_at, second.ends_at):
        return False
    return first.starts_at < second.ends_at and second.starts_at < first.ends_at


def first_clash(subforum: Offered, chosen: Iterable[Offered]) -> Offered | None:
    return next(
        (other for other in chosen if other.id != subforum.id and overlaps(subforum, other)), None
    )


def restriction_note(subforum: Offered) -> str:
    if not subforum.restricted_to:
        return ""
    return _("Open only to: %(categories)s", categories=category_list(subforum.restricted_to))


def may_book(subforum: Offered, category: DelegateCategory) -> bool:
    return not subforum.restricted_to or category.value in subforum.restricted_to


def registration_days(
    subforums: Sequence[Offered], fields: Iterable[Any], chosen_ids: Collection[int]
) -> list[DayOfChoices]:
    """The registration form's checkboxes by day, each marked when it clashes with a choice."""
    field_by_id = {int(field.data): field for field in fields}
    chosen = [subforum for subforum in subforums if subforum.id in chosen_ids]
    options = [
        SubforumOption(
            subforum=subforum,
            title=localized(subforum, "title"),
            when=time_range(subforum),
            seats=seats_label(subforum),
            clashes_with=_clash_text(first_clash(subforum, chosen)),
            restriction=restriction_note(subforum),
            field=field_by_id.get(subforum.id),
        )
        for subforum in subforums
    ]
    return [
        DayOfChoices(label=_day_label(day), options=list(group))
        for day, group in groupby(options, key=lambda option: _day_of(option.subforum))
    ]


def addable_choices(
    subforums: Sequence[Offered], chosen: Sequence[Offered], category: DelegateCategory
) -> dict[str, list[tuple[int, str]]]:
    """What `/me/` offers to add, as select optgroups by day: not what the delegate has, nor
    what clashes with it, nor what is kept for other categories."""
    chosen_ids = {subforum.id for subforum in chosen}
    offered = [
        subforum
        for subforum in subforums
        if subforum.id not in chosen_ids
        and may_book(subforum, category)
        and first_clash(subforum, chosen) is None
    ]
    return {
        _day_label(day): [(subforum.id, option_label(subforum)) for subforum in group]
        for day, group in groupby(offered, key=_day_of)
    }


def _day_of(subforum: Offered) -> date | None:
    return local_day(subforum.starts_at) if subforum.starts_at else None


def _day_label(day: date | None) -> str:
    return long_day(day) if day is not None else _("Date to be announced")


def _clash_text(other: Offered | None) -> str:
    if other is None:
        return ""
    return _("At the same time as “%(title)s”", title=localized(other, "title"))
