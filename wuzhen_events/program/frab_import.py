"""Reading a frab schedule.xml or schedule.json and planning what importing it would change.

Pure: `parse_schedule(bytes)` gives a typed `FrabSchedule` or refuses the whole file with a
ProgramError (nothing is half-read); `plan_import(schedule, existing)` compares it with the
program as plain data (`Existing`, loaded by `load_existing`) and gives an `ImportPlan`: per
kind, what will be created, changed, left alone or refused, and why. The write is
`program.imports.import_schedule`, which plans again inside its transaction.

Choices, with their reasons:
- Events are matched by their frab `guid` (stored on program_sessions.guid, unique per
  conference). Persons by their `guid` when the file gives one (frab and our own export do;
  pretalx gives only an instance-local numeric id, so that id is never trusted), else by name.
  Rooms by name: rooms carry no guid in pretalx's schedule.xml and pretalx's schedule.json gives
  every room the same one, so a room guid identifies nothing. Tracks by title, within the
  conference: a track is only a name.
- Only UTF-8 is read (what frab, pretalx and every schedule app write); XML with a DOCTYPE or an
  ENTITY declaration is refused before parsing, so no entity is ever expanded (billion laughs,
  external entities): the stdlib parser is then safe and no dependency is needed.
- An event that disappears from a file it was imported from is cancelled (kept, with
  STATUS:CANCELLED in feeds), as schedule apps read a vanished event; one that comes back is
  scheduled again. Sessions made by hand (no guid) are never touched.
- Our own export (generator "Wuzhen Events") is read back as written: `subtitle` is the Chinese
  title, a track named like the event's kind is no subforum, and Expo launches are left to the
  Expo. Other generators' subtitles are left out; their description joins the abstract.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import selectinload

from wuzhen_events.errors import LazyString, _l
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionKind, SessionStatus, SpeakerRole
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    Speaker,
    Subforum,
    Venue,
)
from wuzhen_events.program.queries import program_days
from wuzhen_events.program.services import TITLE_LIMIT, ProgramError
from wuzhen_events.routing import SLUG_LIMIT
from wuzhen_events.text import is_stray

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_SUBFORUM_CAPACITY = 200
# What wuzhen_events.api.schedule writes (a domain package may not import api; a test keeps
# these equal to its constants).
OWN_GENERATOR = "Wuzhen Events"
OWN_LAUNCH_TRACK = "Expo launches"
NAME_LIMIT = 200  # speakers.name, venues.building
NOT_SLUG = re.compile(r"[^a-z0-9]+")
DURATION = re.compile(r"(-)?(\d{1,3}):([0-5]\d)(?::([0-5]\d))?")
CLOCK = re.compile(r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?")
# Types other tools write, read as our kinds.
KIND_ALIASES = {
    "talk": None,  # None: a subforum session in a track, else a plenary
    "lecture": None,
    "workshop": None,
    "lightning talk": None,
    "podium": SessionKind.PANEL,
    "panel discussion": SessionKind.PANEL,
    "opening": SessionKind.CEREMONY,
    "closing": SessionKind.CEREMONY,
    "party": SessionKind.SOCIAL,
    "meetup": SessionKind.SOCIAL,
    "press": SessionKind.PRESS_CONFERENCE,
}
PREVIEW_LINES = 10


class Kind(enum.StrEnum):
    SUBFORUM = "subforum"
    VENUE = "venue"
    SPEAKER = "speaker"
    SESSION = "session"


class Action(enum.StrEnum):
    CREATE = "create"
    CHANGE = "change"
    UNCHANGED = "unchanged"
    CANCEL = "cancel"
    REFUSE = "refuse"


# --- the file, read ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FrabPerson:
    name: str
    guid: str | None = None
    biography: str = ""


@dataclass(frozen=True)
class FrabRoom:
    name: str
    slug: str = ""
    capacity: int | None = None


@dataclass(frozen=True)
class FrabEvent:
    guid: str
    title: str
    subtitle: str
    abstract: str
    description: str
    type: str
    track: str
    room: str
    starts_at: datetime  # aware
    minutes: int  # may be zero or negative: the plan refuses such an event
    persons: tuple[FrabPerson, ...] = ()

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class FrabSchedule:
    format: str  # "xml" or "json"
    sha256: str
    generator: str
    title: str
    rooms: tuple[FrabRoom, ...]
    events: tuple[FrabEvent, ...]

    @property
    def is_own(self) -> bool:
        return self.generator == OWN_GENERATOR


def _refuse(message: LazyString) -> ProgramError:
    return ProgramError(message, field="file")


def parse_schedule(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> FrabSchedule:
    """The file's schedule, or a ProgramError that says what is wrong with it."""
    if len(data) > max_bytes:
        raise _refuse(
            _l(
                "The file is larger than %(limit)d MB; a schedule file is much smaller.",
                limit=max(1, max_bytes // (1024 * 1024)),
            )
        )
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            _l("The file is not UTF-8 text; export the schedule again as UTF-8.")
        ) from None
    head = text.lstrip()[:1]
    if head == "<":
        return _parse_xml(text, digest)
    if head in ("{", "["):
        return _parse_json(text, digest)
    raise _refuse(_l("The file is neither a frab schedule.xml nor a schedule.json."))


def _parse_xml(text: str, digest: str) -> FrabSchedule:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise _refuse(_l("The XML file declares a DOCTYPE or entities, which are not accepted."))
    try:
        # The declaration may name an encoding; the text is already decoded as UTF-8.
        root = ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1))
    except ET.ParseError as error:
        line = error.position[0] if error.position else 0
        raise _refuse(_l("The file is not well-formed XML (line %(line)d).", line=line)) from None
    if root.tag != "schedule" or root.find("conference") is None:
        raise _refuse(_l("The XML file is not a frab schedule: it has no schedule conference."))
    conference = root.find("conference")
    generator = root.find("generator")
    events: list[FrabEvent] = []
    rooms: dict[str, FrabRoom] = {}
    timezone = _zone(_child_text(conference, "time_zone_name"))
    for day in root.iter("day"):
        for room_element in day.findall("room"):
            room_name = _one_line(room_element.get("name", ""))
            if not room_name:
                raise _refuse(_l("A room of the schedule has no name."))
            rooms.setdefault(room_name, FrabRoom(room_name))
            for element in room_element.findall("event"):
                events.append(_xml_event(element, room_name, timezone))
    return _schedule(
        "xml",
        digest,
        generator.get("name", "") if generator is not None else "",
        _child_text(conference, "title"),
        tuple(rooms.values()),
        events,
    )


def _child_text(element: ET.Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


def _xml_event(element: ET.Element, room_name: str, timezone: ZoneInfo | None) -> FrabEvent:
    guid = _guid(element.get("guid"), element.get("id") or "?")
    for required in ("title", "date", "duration", "room"):
        if element.find(required) is None:
            raise _missing(guid, required)
    room = _one_line(_child_text(element, "room"))
    if room != room_name:
        raise _undeclared_room(guid, room)
    persons = tuple(
        FrabPerson(name=_one_line(person.text or ""), guid=_optional_guid(person.get("guid")))
        for person in element.iterfind("persons/person")
        if _one_line(person.text or "")
    )
    return _event(
        guid,
        title=_child_text(element, "title"),
        subtitle=_child_text(element, "subtitle"),
        abstract=_child_text(element, "abstract"),
        description=_child_text(element, "description"),
        type=_child_text(element, "type"),
        track=_child_text(element, "track"),
        room=room,
        date_text=_child_text(element, "date"),
        start_text=_child_text(element, "start"),
        duration_text=_child_text(element, "duration"),
        timezone=timezone,
        persons=persons,
    )


def _parse_json(text: str, digest: str) -> FrabSchedule:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _refuse(
            _l("The file is not valid JSON (line %(line)d).", line=error.lineno)
        ) from None
    except RecursionError:
        raise _refuse(_l("The file is not valid JSON (line %(line)d).", line=1)) from None
    conference = _get(_get(document, "schedule"), "conference")
    days = _get(conference, "days")
    if not isinstance(conference, dict) or not isinstance(days, list):
        raise _refuse(_l("The JSON file is not a frab schedule: it has no schedule conference."))
    timezone = _zone(_text(conference.get("time_zone_name")))
    declared = conference.get("rooms")
    rooms: dict[str, FrabRoom] = {}
    if isinstance(declared, list):
        for room in declared:
            name = _one_line(_text(_get(room, "name")))
            if not name:
                raise _refuse(_l("A room of the schedule has no name."))
            capacity = _get(room, "capacity")
            rooms.setdefault(
                name,
                FrabRoom(
                    name,
                    slug=_text(_get(room, "slug")),
                    capacity=capacity if type(capacity) is int and capacity > 0 else None,
                ),
            )
    events: list[FrabEvent] = []
    for day in days:
        day_rooms = _get(day, "rooms")
        if not isinstance(day_rooms, dict):
            raise _refuse(
                _l("The JSON file is not a frab schedule: it has no schedule conference.")
            )
        for room_name, room_events in day_rooms.items():
            room_name = _one_line(room_name)
            if isinstance(declared, list) and room_name not in rooms:
                raise _refuse(
                    _l("The room '%(room)s' holds events but is not declared.", room=room_name)
                )
            rooms.setdefault(room_name, FrabRoom(room_name))
            for event in room_events if isinstance(room_events, list) else ():
                events.append(_json_event(event, room_name, timezone))
    generator = _get(document, "generator")
    return _schedule(
        "json",
        digest,
        _text(_get(generator, "name")),
        _text(conference.get("title")),
        tuple(rooms.values()),
        events,
    )


def _json_event(event: object, room_name: str, timezone: ZoneInfo | None) -> FrabEvent:
    if not isinstance(event, dict):
        raise _refuse(_l("The JSON file is not a frab schedule: it has no schedule conference."))
    guid = _guid(_text(event.get("guid")) or None, _text(event.get("id")) or "?")
    for required in ("title", "date", "duration", "room"):
        if not _text(event.get(required)):
            raise _missing(guid, required)
    room = _one_line(_text(event.get("room")))
    if room != room_name:
        raise _undeclared_room(guid, room)
    persons = []
    for person in event.get("persons") or ():
        name = _one_line(_text(_get(person, "public_name") or _get(person, "name")))
        if name:
            persons.append(
                FrabPerson(
                    name=name,
                    guid=_optional_guid(_text(_get(person, "guid")) or None),
                    biography=_multiline(_text(_get(person, "biography"))),
                )
            )
    return _event(
        guid,
        title=_text(event.get("title")),
        subtitle=_text(event.get("subtitle")),
        abstract=_text(event.get("abstract")),
        description=_text(event.get("description")),
        type=_text(event.get("type")),
        track=_text(event.get("track")),
        room=room,
        date_text=_text(event.get("date")),
        start_text=_text(event.get("start")),
        duration_text=_text(event.get("duration")),
        timezone=timezone,
        persons=tuple(persons),
    )


def _event(
    guid: str,
    *,
    title: str,
    subtitle: str,
    abstract: str,
    description: str,
    type: str,
    track: str,
    room: str,
    date_text: str,
    start_text: str,
    duration_text: str,
    timezone: ZoneInfo | None,
    persons: tuple[FrabPerson, ...],
) -> FrabEvent:
    title = _one_line(title)
    if not title:
        raise _missing(guid, "title")
    return FrabEvent(
        guid=guid,
        title=title,
        subtitle=_one_line(subtitle),
        abstract=_multiline(abstract),
        description=_multiline(description),
        type=_one_line(type),
        track=_one_line(track),
        room=room,
        starts_at=_start(guid, date_text, start_text, timezone),
        minutes=_minutes(guid, duration_text),
        persons=persons,
    )


def _schedule(
    format: str,
    digest: str,
    generator: str,
    title: str,
    rooms: tuple[FrabRoom, ...],
    events: list[FrabEvent],
) -> FrabSchedule:
    seen: set[str] = set()
    for event in events:
        if event.guid in seen:
            raise _refuse(_l("The guid %(guid)s is used by more than one event.", guid=event.guid))
        seen.add(event.guid)
    return FrabSchedule(
        format=format,
        sha256=digest,
        generator=_one_line(generator),
        title=_one_line(title),
        rooms=rooms,
        events=tuple(events),
    )


def _missing(event: str, element: str) -> ProgramError:
    return _refuse(_l("Event %(event)s has no %(element)s.", event=event, element=element))


def _undeclared_room(event: str, room: str) -> ProgramError:
    return _refuse(
        _l(
            "Event %(event)s names the room '%(room)s', which is not the room it is listed in.",
            event=event,
            room=room,
        )
    )


def _guid(value: str | None, event_id: str) -> str:
    if not value:
        raise _missing(_one_line(event_id)[:40], "guid")
    guid = _optional_guid(value)
    if guid is None:
        raise _refuse(
            _l("Event %(event)s has a guid that is not a UUID.", event=_one_line(event_id)[:40])
        )
    return guid


def _optional_guid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name.strip()) if name.strip() else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _start(guid: str, date_text: str, start_text: str, timezone: ZoneInfo | None) -> datetime:
    """frab's `date` is the start with its UTC offset; a bare date takes `start` in the file's
    time zone."""
    try:
        moment = datetime.fromisoformat(date_text.strip())
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is None and len(date_text.strip()) == 10:
        clock = CLOCK.fullmatch(start_text.strip())
        if clock is not None and timezone is not None:
            moment = datetime.combine(
                moment.date(),
                time(int(clock[1]) % 24, int(clock[2]), int(clock[3] or 0)),
                tzinfo=timezone,
            )
    if moment is None or moment.tzinfo is None:
        raise _refuse(
            _l(
                "Event %(event)s has no start date and time with a UTC offset.",
                event=guid,
            )
        )
    return moment


def _minutes(guid: str, text: str) -> int:
    match = DURATION.fullmatch(text.strip())
    if match is None:
        raise _refuse(_l("Event %(event)s has a duration that is not HH:MM.", event=guid))
    minutes = int(match[2]) * 60 + int(match[3])
    return -minutes if match[1] else minutes


def _get(value: object, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _text(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)


def _one_line(text: str) -> str:
    """Whitespace runs become one space; invisible and control characters go."""
    cleaned = "".join(
        " " if ch.isspace() else ch for ch in text if ch.isspace() or not is_stray(ch)
    )
    return " ".join(cleaned.replace("\u200b", "").replace("\ufeff", "").split())


def _multiline(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(ch for ch in text if ch in "\n\t" or not is_stray(ch))
    return kept.strip()


# --- the program as it is ---------------------------------------------------------------------


@dataclass(frozen=True)
class ExistingSession:
    id: int
    guid: str
    title: str
    title_zh: str
    abstract: str
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    subforum_id: int | None
    status: SessionStatus
    speaker_ids: tuple[int, ...]


@dataclass(frozen=True)
class ExistingRow:
    id: int
    name: str  # subforum title, venue room name, speaker name
    slug: str
    guid: str | None = None
    building: str = ""  # a venue's


@dataclass(frozen=True)
class Existing:
    """What the planner compares the file with, as plain values."""

    conference_id: int
    timezone: ZoneInfo
    days: tuple[date, ...]
    subforums: tuple[ExistingRow, ...] = ()
    venues: tuple[ExistingRow, ...] = ()
    speakers: tuple[ExistingRow, ...] = ()
    sessions: tuple[ExistingSession, ...] = ()
    # Slugs in use, per kind (slugs are unique over every conference).
    slugs: Mapping[Kind, frozenset[str]] = field(default_factory=dict)
    subforum_capacity: int = DEFAULT_SUBFORUM_CAPACITY


def room_name(venue: Venue) -> str:
    """The name a schedule gives a venue: as our export writes it, hall and room, or building."""
    return " ".join(filter(None, (venue.hall, venue.room_number))) or venue.building


def load_existing(
    conference: Conference, *, subforum_capacity: int = DEFAULT_SUBFORUM_CAPACITY
) -> tuple[Existing, dict[str, Any]]:
    """The program as plain values, and the loaded rows by kind for the write (six queries)."""
    sessions = list(
        db.session.scalars(
            sa.select(ProgramSession)
            .where(
                ProgramSession.conference_id == conference.id,
                ProgramSession.guid.is_not(None),
            )
            .options(selectinload(ProgramSession.speaker_roles))
            .order_by(ProgramSession.id)
        )
    )
    subforums = list(db.session.scalars(sa.select(Subforum).order_by(Subforum.id)))
    venues = list(db.session.scalars(sa.select(Venue).order_by(Venue.id)))
    speakers = list(db.session.scalars(sa.select(Speaker).order_by(Speaker.id)))
    existing = Existing(
        conference_id=conference.id,
        timezone=conference.tzinfo,
        days=tuple(program_days(conference)),
        subforums=tuple(
            ExistingRow(s.id, s.title, s.slug)
            for s in subforums
            if s.conference_id == conference.id
        ),
        venues=tuple(ExistingRow(v.id, room_name(v), v.slug, building=v.building) for v in venues),
        speakers=tuple(ExistingRow(s.id, s.name, s.slug, s.guid) for s in speakers),
        sessions=tuple(
            ExistingSession(
                id=s.id,
                guid=s.guid or "",
                title=s.title,
                title_zh=s.title_zh,
                abstract=s.abstract,
                kind=s.kind,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                venue_id=s.venue_id,
                subforum_id=s.subforum_id,
                status=s.status,
                speaker_ids=tuple(
                    r.speaker_id for r in s.speaker_roles if r.role is SpeakerRole.SPEAKER
                ),
            )
            for s in sessions
        ),
        slugs={
            Kind.SUBFORUM: frozenset(s.slug for s in subforums),
            Kind.VENUE: frozenset(v.slug for v in venues),
            Kind.SPEAKER: frozenset(s.slug for s in speakers),
        },
        subforum_capacity=subforum_capacity,
    )
    rows = {
        "sessions": {s.id: s for s in sessions},
        "venues": {v.id: v for v in venues},
        "speakers": {s.id: s for s in speakers},
        "subforums": {s.id: s for s in subforums},
    }
    return existing, rows


# --- the plan ---------------------------------------------------------------------------------

# A row the plan refers to: an existing row's id, or the key of a row the import creates.
Ref = int | str


@dataclass(frozen=True)
class PlannedRow:
    kind: Kind
    action: Action
    key: str  # the guid, or the name a row is matched by
    name: str
    id: int | None = None  # the existing row's
    values: Mapping[str, Any] = field(default_factory=dict)  # to create, or changed to
    changes: tuple[str, ...] = ()  # the fields that change
    reason: LazyString | None = None  # why a row is refused


@dataclass(frozen=True)
class ImportPlan:
    sha256: str
    format: str
    generator: str
    subforums: tuple[PlannedRow, ...]
    venues: tuple[PlannedRow, ...]
    speakers: tuple[PlannedRow, ...]
    sessions: tuple[PlannedRow, ...]
    skipped: int = 0  # events the import leaves to others (Expo launches of our own export)

    def rows(self, kind: Kind) -> tuple[PlannedRow, ...]:
        return {
            Kind.SUBFORUM: self.subforums,
            Kind.VENUE: self.venues,
            Kind.SPEAKER: self.speakers,
            Kind.SESSION: self.sessions,
        }[kind]

    def counts(self, kind: Kind) -> dict[Action, int]:
        counts = dict.fromkeys(Action, 0)
        for row in self.rows(kind):
            counts[row.action] += 1
        return counts

    def of(self, kind: Kind, action: Action) -> list[PlannedRow]:
        return [row for row in self.rows(kind) if row.action is action]

    @property
    def changes_anything(self) -> bool:
        return any(
            row.action in (Action.CREATE, Action.CHANGE, Action.CANCEL)
            for kind in Kind
            for row in self.rows(kind)
        )

    def summary(self) -> list[str]:
        """One line per kind, in English (the CLI's language)."""
        lines = []
        for kind in Kind:
            counts = self.counts(kind)
            parts = [f"{counts[action]} {WORDS[action]}" for action in Action if counts[action]]
            lines.append(f"{PLURALS[kind]}: {', '.join(parts) or 'none'}")
        return lines


WORDS = {
    Action.CREATE: "to create",
    Action.CHANGE: "to change",
    Action.UNCHANGED: "unchanged",
    Action.CANCEL: "to cancel",
    Action.REFUSE: "refused",
}
PLURALS = {
    Kind.SUBFORUM: "Subforums",
    Kind.VENUE: "Venues",
    Kind.SPEAKER: "Speakers",
    Kind.SESSION: "Sessions",
}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


class _Slugs:
    """Free slugs for new rows: the name's words, then -2, -3 ... when taken."""

    def __init__(self, taken: Iterable[str]):
        self.taken = set(taken)

    def free(self, name: str, fallback: str) -> str:
        stem = slugify(name)[: SLUG_LIMIT - 8].strip("-") or fallback
        slug, number = stem, 1
        while slug in self.taken:
            number += 1
            slug = f"{stem}-{number}"
        self.taken.add(slug)
        return slug


def _kind(event: FrabEvent) -> SessionKind:
    word = event.type.strip().lower()
    try:
        return SessionKind(word.replace(" ", "_"))
    except ValueError:
        pass
    kind = KIND_ALIASES.get(word)
    if kind is not None:
        return kind
    return SessionKind.SUBFORUM_SESSION if event.track else SessionKind.PLENARY


def _kind_label(kind: SessionKind) -> str:
    """The English label, as our export names the track of a session in no subforum."""
    return str(kind._label._args[0])


def _track_is_subforum(event: FrabEvent, kind: SessionKind) -> bool:
    return bool(event.track) and event.track.casefold() != _kind_label(kind).casefold()


def _too_long(value: str, limit: int) -> bool:
    return len(value) > limit


def plan_import(schedule: FrabSchedule, existing: Existing) -> ImportPlan:
    """What importing `schedule` would do to the program `existing` describes."""
    own = schedule.is_own
    tz = existing.timezone
    days = set(existing.days)
    sessions_by_guid = {s.guid: s for s in existing.sessions}
    subforums_by_title = {}
    for row in existing.subforums:
        subforums_by_title.setdefault(row.name, row)
    venues_by_name: dict[str, ExistingRow] = {}
    venues_by_slug = {}
    short_names = Counter(row.name for row in existing.venues)
    for row in existing.venues:
        # Our export names a room "hall room", or "hall room, building" where two share it.
        if short_names[row.name] == 1:
            venues_by_name.setdefault(row.name, row)
        if row.building and row.building != row.name:
            venues_by_name.setdefault(f"{row.name}, {row.building}", row)
        venues_by_slug[row.slug] = row
    speakers_by_guid = {row.guid: row for row in existing.speakers if row.guid}
    speakers_by_name: dict[str, ExistingRow] = {}
    for row in existing.speakers:
        speakers_by_name.setdefault(row.name, row)
    slugs = {kind: _Slugs(existing.slugs.get(kind, ())) for kind in Kind}
    rooms = {room.name: room for room in schedule.rooms}

    subforums: dict[str, PlannedRow] = {}
    venues: dict[str, PlannedRow] = {}
    speakers: dict[str, PlannedRow] = {}
    sessions: list[PlannedRow] = []
    skipped = 0

    def subforum_ref(title: str) -> Ref:
        if title not in subforums:
            row = subforums_by_title.get(title)
            if row is not None:
                subforums[title] = PlannedRow(Kind.SUBFORUM, Action.UNCHANGED, title, title, row.id)
            else:
                subforums[title] = PlannedRow(
                    Kind.SUBFORUM,
                    Action.CREATE,
                    title,
                    title,
                    values={
                        "slug": slugs[Kind.SUBFORUM].free(title, "track"),
                        "title": title,
                        "capacity": existing.subforum_capacity,
                    },
                )
        planned = subforums[title]
        return planned.id if planned.id is not None else planned.key

    def venue_ref(name: str) -> Ref:
        if name not in venues:
            room = rooms.get(name, FrabRoom(name))
            row = venues_by_slug.get(room.slug) if room.slug else None
            row = row or venues_by_name.get(name)
            if row:
                venues[name] = PlannedRow(Kind.VENUE, Action.UNCHANGED, name, name, row.id)
            else:
                venues[name] = PlannedRow(
                    Kind.VENUE,
                    Action.CREATE,
                    name,
                    name,
                    values={
                        "slug": slugs[Kind.VENUE].free(name, "room"),
                        "building": name,
                        "capacity": room.capacity,
                    },
                )
        planned = venues[name]
        return planned.id if planned.id is not None else planned.key

    def speaker_ref(person: FrabPerson) -> Ref:
        key = person.guid or f"name:{person.name}"
        if key not in speakers:
            row = speakers_by_guid.get(person.guid) if person.guid else None
            row = row or speakers_by_name.get(person.name)
            if row is None:
                speakers[key] = PlannedRow(
                    Kind.SPEAKER,
                    Action.CREATE,
                    key,
                    person.name,
                    values={
                        "slug": slugs[Kind.SPEAKER].free(person.name, "speaker"),
                        "name": person.name,
                        "guid": person.guid,
                        "bio": person.biography,
                    },
                )
            else:
                values = {"name": person.name, "guid": person.guid or row.guid}
                before = {"name": row.name, "guid": row.guid}
                # A guid another speaker holds already is not taken twice.
                if person.guid and person.guid != row.guid and person.guid in speakers_by_guid:
                    values["guid"] = row.guid
                changes = tuple(k for k in values if values[k] != before[k])
                speakers[key] = PlannedRow(
                    Kind.SPEAKER,
                    Action.CHANGE if changes else Action.UNCHANGED,
                    key,
                    person.name,
                    row.id,
                    values=values if changes else {},
                    changes=changes,
                )
        planned = speakers[key]
        return planned.id if planned.id is not None else planned.key

    seen: set[str] = set()
    for event in schedule.events:
        if own and event.track == OWN_LAUNCH_TRACK:
            skipped += 1  # the Expo's own launches; the Expo owns them
            continue
        seen.add(event.guid)
        reason = _refusal(event, days, tz)
        if reason is not None:
            sessions.append(
                PlannedRow(Kind.SESSION, Action.REFUSE, event.guid, event.title, reason=reason)
            )
            continue
        kind = _kind(event)
        values: dict[str, Any] = {
            "guid": event.guid,
            "title": event.title,
            "abstract": event.abstract if own else _paragraphs(event.abstract, event.description),
            "kind": kind,
            "starts_at": event.starts_at.astimezone(UTC),
            "ends_at": event.ends_at.astimezone(UTC),
            "venue": venue_ref(event.room),
            "subforum": subforum_ref(event.track) if _track_is_subforum(event, kind) else None,
            "speakers": tuple(dict.fromkeys(speaker_ref(p) for p in event.persons)),
            "status": SessionStatus.SCHEDULED,
        }
        if own:
            values["title_zh"] = event.subtitle
        stored = sessions_by_guid.get(event.guid)
        if stored is None:
            sessions.append(
                PlannedRow(Kind.SESSION, Action.CREATE, event.guid, event.title, values=values)
            )
            continue
        before = {
            "title": stored.title,
            "title_zh": stored.title_zh,
            "abstract": stored.abstract,
            "kind": stored.kind,
            "starts_at": stored.starts_at,
            "ends_at": stored.ends_at,
            "venue": stored.venue_id,
            "subforum": stored.subforum_id,
            "speakers": stored.speaker_ids,
            "status": stored.status,
        }
        changes = tuple(k for k in before if k in values and values[k] != before[k])
        sessions.append(
            PlannedRow(
                Kind.SESSION,
                Action.CHANGE if changes else Action.UNCHANGED,
                event.guid,
                event.title,
                stored.id,
                values={k: values[k] for k in changes},
                changes=changes,
            )
        )
    for stored in existing.sessions:
        if stored.guid not in seen and stored.status is not SessionStatus.CANCELLED:
            sessions.append(
                PlannedRow(
                    Kind.SESSION,
                    Action.CANCEL,
                    stored.guid,
                    stored.title,
                    stored.id,
                    values={"status": SessionStatus.CANCELLED},
                    changes=("status",),
                )
            )
    # Rows only refused events would have used are not made.
    return ImportPlan(
        sha256=schedule.sha256,
        format=schedule.format,
        generator=schedule.generator,
        subforums=tuple(subforums.values()),
        venues=tuple(venues.values()),
        speakers=tuple(speakers.values()),
        sessions=tuple(sessions),
        skipped=skipped,
    )


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _refusal(event: FrabEvent, days: set[date], tz: ZoneInfo) -> LazyString | None:
    """Why an event cannot become a session, or None. The plan shows it; nothing is raised, so
    these are written with lazy_gettext rather than the refusals' _l (tests/test_errors.py reads
    every _l message of this module as a refusal that some input raises)."""
    if event.minutes <= 0:
        return lazy_gettext("Its duration is not positive.")
    try:
        day = event.starts_at.astimezone(tz).date()
    except OverflowError:  # the year 9999 at the edge of what datetime holds
        day = None
    if day not in days:
        return lazy_gettext("It starts outside the conference days.")
    if _too_long(event.title, TITLE_LIMIT):
        return lazy_gettext("Its title is longer than %(limit)d characters.", limit=TITLE_LIMIT)
    if _too_long(event.subtitle, TITLE_LIMIT):
        return lazy_gettext("Its subtitle is longer than %(limit)d characters.", limit=TITLE_LIMIT)
    if _too_long(event.track, TITLE_LIMIT):
        return lazy_gettext("Its track is longer than %(limit)d characters.", limit=TITLE_LIMIT)
    if _too_long(event.room, NAME_LIMIT):
        return lazy_gettext("Its room name is longer than %(limit)d characters.", limit=NAME_LIMIT)
    if any(_too_long(person.name, NAME_LIMIT) for person in event.persons):
        return lazy_gettext(
            "A speaker's name is longer than %(limit)d characters.", limit=NAME_LIMIT
        )
    return None


def preview(data: bytes, conference: Conference, *, max_bytes: int, capacity: int) -> ImportPlan:
    """What importing `data` would do now; reads only."""
    schedule = parse_schedule(data, max_bytes=max_bytes)
    existing, _rows = load_existing(conference, subforum_capacity=capacity)
    return plan_import(schedule, existing)


def preview_lines(plan: ImportPlan, *, limit: int = PREVIEW_LINES) -> list[str]:
    """The CLI's preview: counts, then the first rows of each kind that change or are refused."""
    lines = [f"Schedule ({plan.format}, {plan.generator or 'unknown generator'}):"]
    for kind, summary in zip(Kind, plan.summary(), strict=True):
        lines.append(f"  {summary}")
        shown = [row for row in plan.rows(kind) if row.action is not Action.UNCHANGED][:limit]
        for row in shown:
            detail = f" ({', '.join(row.changes)})" if row.changes else ""
            if row.reason is not None:
                detail = f": {row.reason}"
            lines.append(f"    {WORDS[row.action]}: {row.name}{detail}")
    if plan.skipped:
        lines.append(f"  Left to the Expo: {plan.skipped} product launches")
    return lines
