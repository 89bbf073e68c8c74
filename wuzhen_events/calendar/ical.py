"""The one iCalendar builder: pure functions from plain event data to RFC 5545 bytes.

Nothing here reads the database, the clock or the request, so the same rows always give the
same bytes: DTSTAMP and LAST-MODIFIED come from the rows themselves, and events and
properties are written in a fixed order.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration

PRODUCT_ID = "-//Wuzhen Events//World Internet Conference 2018//EN"
STATUSES = frozenset({"CONFIRMED", "CANCELLED"})
CALENDAR_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT's worth of plain data; times are aware datetimes."""

    uid: str
    summary: str
    description: str
    location: str
    url: str
    categories: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    status: str
    sequence: int
    last_modified: datetime

    def __post_init__(self) -> None:
        for moment in (self.starts_at, self.ends_at, self.last_modified):
            if moment.tzinfo is None:
                raise ValueError("calendar events need aware datetimes")
        if self.status not in STATUSES:
            raise ValueError(f"unknown event status {self.status!r}")


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    timezone: str = "Asia/Shanghai",
    refresh: timedelta = timedelta(hours=1),
    description: str = "",
) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH, no ORGANIZER or ATTENDEE, so no client offers to RSVP)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", timezone)
    # Apple and Outlook read REFRESH-INTERVAL (RFC 7986), older clients X-PUBLISHED-TTL.
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    # Every time is written in this one zone, so its VTIMEZONE is the only one needed; it comes
    # first (definitions before use, which some older clients require), and even an empty
    # feed has it, as X-WR-TIMEZONE names it.
    calendar.add_component(zone_definition(timezone))
    head = calendar.to_ical()
    ordered = sorted(events, key=lambda item: (item.starts_at, item.ends_at, item.uid))
    body = b"".join(vevent_ical(event, timezone) for event in ordered)
    # Exactly what Calendar.to_ical() writes with the events added: its lines, then theirs.
    return head[: -len(CALENDAR_END)] + body + CALENDAR_END


@functools.lru_cache(maxsize=8192)
def vevent_ical(event: CalendarEvent, timezone: str) -> bytes:
    """One event's VEVENT lines; memoized on the whole event, so every feed holding an
    unchanged session reuses them and only changed sessions are serialized again."""
    return _vevent(event, ZoneInfo(timezone)).to_ical()


@functools.cache
def zone_definition(timezone: str) -> Timezone:
    """The VTIMEZONE that add_missing_timezones() would add, computed once per zone.

    Working out a zone's transitions takes icalendar about 30 ms ("please cache the results",
    its documentation says); the component is only ever read afterwards.
    """
    calendar = Calendar()
    probe = Event()
    probe.add("dtstart", datetime(2018, 1, 1, tzinfo=ZoneInfo(timezone)))
    calendar.add_component(probe)
    calendar.add_missing_timezones()
    [definition] = calendar.timezones
    return definition


def _vevent(event: CalendarEvent, zone: ZoneInfo) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    # DTSTAMP is the row's own change time, never "now": an unchanged program, identical bytes.
    vevent.add("dtstamp", event.last_modified)
    vevent.add("last-modified", event.last_modified)
    vevent.add("sequence", event.sequence)
    vevent.add("status", event.status)
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.categories:
        vevent.add("categories", list(event.categories))
    vevent.add("transp", "TRANSPARENT" if event.status == "CANCELLED" else "OPAQUE")
    return vevent
