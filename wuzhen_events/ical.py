"""The one iCalendar builder: pure functions from plain event data to RFC 5545 bytes.

Nothing here reads the database, the clock or the request, so the same rows always give the
same bytes: DTSTAMP and LAST-MODIFIED come from the rows themselves, and events and
properties are written in a fixed order.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration
from icalendar.parser import Parameters
from icalendar.timezone.tzid import tzid_from_tzinfo

PRODUCT_ID = "-//Wuzhen Events//World Internet Conference 2018//EN"
STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})
CALENDAR_END = b"END:VCALENDAR\r\n"
FOLD = b"\r\n "  # RFC 5545 folding: CRLF and one space
FOLD_OCTETS = 74  # content octets a line: 75 with a continuation's leading space


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
    head = calendar_head(name, timezone, refresh, description)
    ordered = sorted(events, key=lambda item: (item.starts_at, item.ends_at, item.uid))
    body = b"".join([vevent_ical(event, timezone) for event in ordered])
    # Exactly what Calendar.to_ical() writes with the events added: its lines, then theirs.
    return head[: -len(CALENDAR_END)] + body + CALENDAR_END


@functools.lru_cache(maxsize=256)
def calendar_head(name: str, timezone: str, refresh: timedelta, description: str) -> bytes:
    """The VCALENDAR's own lines and its VTIMEZONE, written by icalendar once per feed name."""
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
    return calendar.to_ical()


@functools.lru_cache(maxsize=8192)
def vevent_ical(event: CalendarEvent, timezone: str) -> bytes:
    """One event's VEVENT lines; memoized on the whole event, so every feed holding an
    unchanged session reuses them and only changed sessions are serialized again.

    Written directly rather than through icalendar's Event: the bytes are exactly those of
    `Event.to_ical()` for the properties `reference_vevent` adds (tests compare the two on
    tricky text, long and Chinese lines and other zones), at about a twentieth of the cost.
    Property order is icalendar's: its canonical VEVENT order, then the rest alphabetically.
    """
    zone = _zone(timezone)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _text(event.summary),
        "DTSTART" + _local_time(event.starts_at.astimezone(zone)),
        "DTEND" + _local_time(event.ends_at.astimezone(zone)),
        # DTSTAMP is the row's own change time, never "now": an unchanged program, same bytes.
        "DTSTAMP:" + _utc_time(event.last_modified),
        "UID:" + _text(event.uid),
        f"SEQUENCE:{int(event.sequence)}",
    ]
    if event.categories:
        lines.append("CATEGORIES:" + ",".join([_text(item) for item in event.categories]))
    if event.description:
        lines.append("DESCRIPTION:" + _text(event.description))
    lines.append("LAST-MODIFIED:" + _utc_time(event.last_modified))
    if event.location:
        lines.append("LOCATION:" + _text(event.location))
    lines.append("STATUS:" + _text(event.status))
    lines.append("TRANSP:" + ("TRANSPARENT" if event.status == "CANCELLED" else "OPAQUE"))
    if event.url:
        lines.append("URL:" + event.url)  # a URI: icalendar writes it unescaped
    lines.append("END:VEVENT")
    return b"\r\n".join([_fold(line) for line in lines]) + b"\r\n"


def _text(value: str) -> str:
    """icalendar's escape_char (RFC 5545 TEXT escaping), step for step and in its order."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> bytes:
    """icalendar's foldline: each line at most 74 octets of content (75 with the space that
    starts a continuation), cut greedily and never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= FOLD_OCTETS:
        return data
    parts = []
    start = 0
    while len(data) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return FOLD.join(parts)


def _utc_time(moment: datetime) -> str:
    """DTSTAMP and LAST-MODIFIED: icalendar converts them to UTC and writes the Z form."""
    moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    )


def _local_time(moment: datetime) -> str:
    """ ";TZID=<zone>:<local time>", or ":<time>Z" in UTC, as icalendar's vDDDTypes writes it."""
    tzid = _tzid(moment.tzinfo)
    if tzid is None:
        tzid = moment.tzname()
    text = (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )
    if tzid == "UTC":
        return f":{text}Z"
    if tzid:
        return f";{_tzid_parameter(tzid)}:{text}"
    return f":{text}"


@functools.lru_cache(maxsize=64)
def _tzid(tzinfo: tzinfo | None) -> str | None:
    return tzid_from_tzinfo(tzinfo)


@functools.lru_cache(maxsize=64)
def _tzid_parameter(tzid: str) -> str:
    return Parameters({"TZID": tzid}).to_ical().decode()


@functools.lru_cache(maxsize=16)
def _zone(timezone: str) -> ZoneInfo:
    return ZoneInfo(timezone)


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


def reference_vevent(event: CalendarEvent, timezone: str) -> Event:
    """The same VEVENT built with icalendar's component model: the definition `vevent_ical`
    must match byte for byte (the tests hold it to that), and a readable one."""
    zone = ZoneInfo(timezone)
    vevent = Event()
    vevent.add("uid", event.uid)
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
