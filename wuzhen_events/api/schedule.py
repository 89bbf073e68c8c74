"""The frab schedule (schedule.xml and schedule.json) that Giggity, ConfClerk and other apps read.

`build_schedule` turns the program's rows into plain `Schedule` data; `schedule_json` and
`schedule_xml` are pure functions over that data, so equal data always gives equal bytes.

Choices, with their reasons:
- Days are the conference days and the Expo days around them (6-10 November), midnight to
  23:59:59 in conference time; an event belongs to the day it starts on, as on the program page.
- Rooms are venues. Expo product launches are events too, in one virtual room per launch stage
  ("Expo: Launch Stage A"), because the Expo days would otherwise be nearly empty and the
  whole-program calendar feed carries them as well.
- Cancelled sessions are left out, as frab and pretalx do: schedule apps show an event that
  disappears from the schedule as cancelled. (The JSON API and the calendar feeds keep them.)
- An event's `guid` is a UUIDv5 of the conference and the session (or launch) id, so it never
  changes; frab's required numeric `id` is the session id, and for a launch
  `LAUNCH_ID_OFFSET` + its id, since both share one id space in the file.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale

from wuzhen_events.db import Provenance
from wuzhen_events.expo.models import ProductLaunch
from wuzhen_events.program.enums import SessionKind
from wuzhen_events.program.models import Conference, ProgramSession, Venue
from wuzhen_events.program.queries import program_days
from wuzhen_events.urls import external_url

GENERATOR_NAME = "Wuzhen Events"
GENERATOR_VERSION = "0.1.0"
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# Fixed for ever: every guid in the schedule derives from it.
GUID_NAMESPACE = uuid.UUID("5d0c3b7e-5a5c-5f0e-9a57-7775a8e02018")
LAUNCH_ID_OFFSET = 1_000_000
TIMESLOT_DURATION = "00:05"
# The language of each entry's text; the conference itself interprets Chinese and English.
LANGUAGE = "en"
LAUNCH_TRACK = "Expo launches"
UNASSIGNED_ROOM = "To be announced"
DAY_END = time(23, 59, 59)
PROVENANCE_NOTES = {
    Provenance.DEMO: "Demo content: invented for this demonstration where the real detail "
    "could not be found.",
    Provenance.INFERRED: "Inferred from public reports, not stated by them.",
}
NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Characters XML 1.0 cannot carry at all; a stray one would make the whole file unreadable.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SLUG_WORDS_LIMIT = 60


@dataclass(frozen=True)
class Person:
    id: int
    guid: str
    name: str
    url: str


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class Room:
    name: str
    guid: str
    slug: str
    type: str  # frab room types: "lecturehall" for venues, "stage" for launch stages
    capacity: int | None
    description: str


@dataclass(frozen=True)
class Event:
    id: int
    guid: str
    slug: str
    room: str
    title: str
    subtitle: str
    track: str
    type: str
    abstract: str
    description: str
    starts_at: datetime  # in conference time
    ends_at: datetime
    persons: tuple[Person, ...]
    links: tuple[Link, ...]
    url: str
    language: str = LANGUAGE


@dataclass(frozen=True)
class Day:
    index: int
    date: date
    start: datetime
    end: datetime
    rooms: tuple[tuple[str, tuple[Event, ...]], ...]  # room name, its events by start


@dataclass(frozen=True)
class Schedule:
    version: str
    url: str  # of schedule.xml
    base_url: str
    conference_url: str
    acronym: str
    title: str
    description: str
    time_zone_name: str
    tracks: tuple[str, ...]
    rooms: tuple[Room, ...]
    days: tuple[Day, ...]
    meta: dict

    @property
    def start(self) -> date:
        return self.days[0].date

    @property
    def end(self) -> date:
        return self.days[-1].date


def guid(kind: str, conference: Conference, key: object) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{conference.slug}/{kind}/{key}"))


def slugify(text: str) -> str:
    """ASCII words of a title joined by hyphens; titles in Chinese only give an empty string."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(words) > SLUG_WORDS_LIMIT:
        words = words[:SLUG_WORDS_LIMIT].rsplit("-", 1)[0]
    return words


def acronym_of(conference: Conference) -> str:
    """frab acronyms are at least four characters without hyphens (they separate slug parts)."""
    return conference.slug.replace("-", "_").ljust(4, "_")


def clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def duration(starts_at: datetime, ends_at: datetime) -> str:
    minutes = (ends_at - starts_at) // timedelta(minutes=1)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def date_span(first: date, last: date) -> str:
    """7–9 November 2018, or 31 October – 2 November 2018 across months."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"


def paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def kind_labels() -> dict[str, str]:
    """English labels whatever the request's language, so every client gets the same bytes."""
    with force_locale("en"):
        return {kind.value: kind.label for kind in SessionKind}


def venue_rooms(conference: Conference, venues: Iterable[Venue]) -> dict[int, Room]:
    """Short room names ("Tong'an Hall 217"), with the building added where two would clash."""
    ordered = sorted(set(venues), key=lambda v: (v.building, v.hall, v.room_number, v.id))
    short = {v.id: " ".join(filter(None, (v.hall, v.room_number))) or v.building for v in ordered}
    taken = list(short.values())
    rooms = {}
    for venue in ordered:
        name = short[venue.id]
        if taken.count(name) > 1 and name != venue.building:
            name = f"{name}, {venue.building}"
        rooms[venue.id] = Room(
            name=name,
            guid=guid("venue", conference, venue.id),
            slug=venue.slug,
            type="lecturehall",
            capacity=venue.capacity,
            description=", ".join(filter(None, (venue.hall, venue.building))),
        )
    return rooms


def stage_room(conference: Conference, stage: str) -> Room:
    return Room(
        name=f"Expo: {stage}",
        guid=guid("stage", conference, stage),
        slug="expo-" + (slugify(stage) or "stage"),
        type="stage",
        capacity=None,
        description=f"Light of Internet Expo, {stage}",
    )


def session_event(
    conference: Conference, session: ProgramSession, room: str, labels: dict[str, str]
) -> Event:
    tz = conference.tzinfo
    url = external_url("program.session_detail", session_id=session.id)
    links = [Link(url, "Session page")]
    if session.subforum is not None:
        links.append(
            Link(
                external_url("program.subforum_detail", slug=session.subforum.slug),
                f"Subforum: {session.subforum.title}",
            )
        )
    return Event(
        id=session.id,
        guid=guid("session", conference, session.id),
        slug=f"{acronym_of(conference)}-{session.id}-{slugify(session.title) or 'session'}",
        room=room,
        title=session.title,
        subtitle=session.title_zh,
        track=session.subforum.title if session.subforum is not None else labels[session.kind],
        type=session.kind.value,
        abstract=session.abstract,
        description=paragraphs(
            session.abstract, session.abstract_zh, PROVENANCE_NOTES.get(session.provenance, "")
        ),
        starts_at=session.starts_at.astimezone(tz),
        ends_at=session.ends_at.astimezone(tz),
        persons=tuple(
            Person(
                id=role.speaker.id,
                guid=guid("speaker", conference, role.speaker.id),
                name=role.speaker.name,
                url=external_url("program.speaker_detail", slug=role.speaker.slug),
            )
            for role in session.speaker_roles
        ),
        links=tuple(links),
        url=url,
    )


def launch_event(conference: Conference, launch: ProductLaunch, room: str) -> Event:
    tz = conference.tzinfo
    exhibitor = launch.exhibitor
    exhibitor_url = external_url("expo.exhibitor_detail", slug=exhibitor.slug)
    company = exhibitor.company + (f" ({exhibitor.company_zh})" if exhibitor.company_zh else "")
    return Event(
        id=LAUNCH_ID_OFFSET + launch.id,
        guid=guid("launch", conference, launch.id),
        slug=(
            f"{acronym_of(conference)}-launch-{launch.id}-{slugify(launch.product) or 'product'}"
        ),
        room=room,
        title=launch.product,
        subtitle=launch.product_zh,
        track=LAUNCH_TRACK,
        type="launch",
        abstract=launch.description,
        description=paragraphs(
            f"{company}, hall {exhibitor.hall}, booth {exhibitor.booth}.",
            launch.description,
            launch.description_zh,
            PROVENANCE_NOTES.get(launch.provenance, ""),
        ),
        starts_at=launch.starts_at.astimezone(tz),
        ends_at=launch.ends_at.astimezone(tz),
        persons=(),
        links=(Link(exhibitor_url, f"Exhibitor: {exhibitor.company}"),),
        url=exhibitor_url,
    )


def build_schedule(
    conference: Conference,
    sessions: list[ProgramSession],
    launches: list[ProductLaunch],
) -> Schedule:
    """Sessions and launches laid out by day and room; every list in a fixed order.

    Its `version` is a fingerprint of everything else it holds, so it names the content: the
    same for both files, and unchanged by edits the schedule does not show.
    """
    tz = conference.tzinfo
    labels = kind_labels()
    rooms_by_venue = venue_rooms(conference, (s.venue for s in sessions if s.venue is not None))
    unassigned = Room(UNASSIGNED_ROOM, guid("room", conference, "tba"), "tba", "other", None, "")
    stages = {
        stage: stage_room(conference, stage)
        for stage in sorted({launch.stage for launch in launches})
    }

    events: list[Event] = []
    used_rooms: dict[str, Room] = {}
    for session in sessions:
        room = rooms_by_venue[session.venue.id] if session.venue is not None else unassigned
        used_rooms[room.name] = room
        events.append(session_event(conference, session, room.name, labels))
    for launch in launches:
        room = stages[launch.stage]
        used_rooms[room.name] = room
        events.append(launch_event(conference, launch, room.name))
    room_order = [*rooms_by_venue.values(), unassigned, *stages.values()]
    rooms = tuple(room for room in room_order if room.name in used_rooms)

    event_days = {event.starts_at.date() for event in events}
    all_days = sorted(set(program_days(conference)) | event_days)
    days = []
    for index, day in enumerate(all_days, start=1):
        todays = sorted(
            (event for event in events if event.starts_at.date() == day),
            key=lambda event: (event.starts_at, event.id),
        )
        day_rooms = tuple(
            (room.name, tuple(event for event in todays if event.room == room.name))
            for room in rooms
            if any(event.room == room.name for event in todays)
        )
        days.append(
            Day(
                index=index,
                date=day,
                start=datetime.combine(day, time.min, tzinfo=tz),
                end=datetime.combine(day, DAY_END, tzinfo=tz),
                rooms=day_rooms,
            )
        )

    subforum_tracks = [s.subforum.title for s in sessions if s.subforum is not None]
    kind_tracks = [labels[s.kind] for s in sessions if s.subforum is None]
    launch_tracks = [LAUNCH_TRACK] if launches else []
    tracks = tuple(dict.fromkeys([*subforum_tracks, *kind_tracks, *launch_tracks]))
    dates = date_span(conference.starts_on, conference.ends_on)
    unversioned = Schedule(
        version="",
        url=external_url("schedule.schedule_xml"),
        base_url=external_url("site.home"),
        conference_url=external_url("site.home"),
        acronym=acronym_of(conference),
        title=conference.name,
        description=paragraphs(f"{conference.theme}. {conference.city}, {dates}."),
        time_zone_name=conference.timezone,
        tracks=tracks,
        rooms=rooms,
        days=tuple(days),
        meta={
            "title_zh": conference.name_zh,
            "theme": conference.theme,
            "theme_zh": conference.theme_zh,
            "conference_starts_on": conference.starts_on.isoformat(),
            "conference_ends_on": conference.ends_on.isoformat(),
        },
    )
    fingerprint = hashlib.sha256(schedule_json(unversioned)).hexdigest()
    return replace(unversioned, version=fingerprint[:12])


def event_to_json(event: Event) -> dict:
    return {
        "id": event.id,
        "guid": event.guid,
        "date": event.starts_at.isoformat(),
        "start": clock(event.starts_at),
        "end": event.ends_at.isoformat(),
        "duration": duration(event.starts_at, event.ends_at),
        "room": event.room,
        "slug": event.slug,
        "url": event.url,
        "title": event.title,
        "subtitle": event.subtitle,
        "track": event.track,
        "type": event.type,
        "language": event.language,
        "abstract": event.abstract,
        "description": event.description,
        "persons": [
            {"id": person.id, "guid": person.guid, "public_name": person.name, "url": person.url}
            for person in event.persons
        ],
        "links": [{"url": link.url, "title": link.title} for link in event.links],
    }


def room_to_json(room: Room) -> dict:
    return {
        "name": room.name,
        "slug": room.slug,
        "guid": room.guid,
        "type": room.type,
        "capacity": room.capacity,
        "description": room.description,
    }


def schedule_json(schedule: Schedule) -> bytes:
    document = {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": GENERATOR_NAME, "version": GENERATOR_VERSION},
        "schedule": {
            "version": schedule.version,
            "base_url": schedule.base_url,
            "url": schedule.url.removesuffix(".xml") + ".json",
            "conference": {
                "acronym": schedule.acronym,
                "title": schedule.title,
                "description": schedule.description,
                "start": schedule.start.isoformat(),
                "end": schedule.end.isoformat(),
                "daysCount": len(schedule.days),
                "timeslot_duration": TIMESLOT_DURATION,
                "time_zone_name": schedule.time_zone_name,
                "url": schedule.conference_url,
                "tracks": [{"name": track} for track in schedule.tracks],
                "rooms": [room_to_json(room) for room in schedule.rooms],
                "meta": schedule.meta,
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": day.start.isoformat(),
                        "day_end": day.end.isoformat(),
                        "rooms": {
                            name: [event_to_json(event) for event in events]
                            for name, events in day.rooms
                        },
                    }
                    for day in schedule.days
                ],
            },
        },
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def xml_text(value: object) -> str:
    return NOT_XML.sub("", str(value))


def sub(parent: ET.Element, tag: str, text: object = None, **attributes: object) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {name: xml_text(value) for name, value in attributes.items()}
    )
    if text is not None:
        element.text = xml_text(text)
    return element


def event_to_xml(parent: ET.Element, event: Event) -> None:
    element = sub(parent, "event", guid=event.guid, id=event.id)
    sub(element, "date", event.starts_at.isoformat())
    sub(element, "start", clock(event.starts_at))
    sub(element, "duration", duration(event.starts_at, event.ends_at))
    sub(element, "room", event.room)
    sub(element, "slug", event.slug)
    sub(element, "url", event.url)
    sub(element, "title", event.title)
    sub(element, "subtitle", event.subtitle)
    sub(element, "track", event.track)
    sub(element, "type", event.type)
    sub(element, "language", event.language)
    sub(element, "abstract", event.abstract)
    sub(element, "description", event.description)
    persons = sub(element, "persons")
    for person in event.persons:
        sub(persons, "person", person.name, id=person.id, guid=person.guid)
    links = sub(element, "links")
    for link in event.links:
        sub(links, "link", link.title, href=link.url)


def schedule_xml(schedule: Schedule) -> bytes:
    root = ET.Element("schedule")
    sub(root, "generator", name=GENERATOR_NAME, version=GENERATOR_VERSION)
    sub(root, "url", schedule.url)
    sub(root, "version", schedule.version)
    conference = sub(root, "conference")
    sub(conference, "acronym", schedule.acronym)
    sub(conference, "title", schedule.title)
    sub(conference, "start", schedule.start.isoformat())
    sub(conference, "end", schedule.end.isoformat())
    sub(conference, "days", len(schedule.days))
    sub(conference, "timeslot_duration", TIMESLOT_DURATION)
    sub(conference, "base_url", schedule.base_url)
    sub(conference, "url", schedule.conference_url)
    sub(conference, "time_zone_name", schedule.time_zone_name)
    for track in schedule.tracks:
        sub(conference, "track", name=track)
    guids = {room.name: room.guid for room in schedule.rooms}
    for day in schedule.days:
        day_element = sub(
            root,
            "day",
            index=day.index,
            date=day.date.isoformat(),
            start=day.start.isoformat(),
            end=day.end.isoformat(),
        )
        for name, events in day.rooms:
            room_element = sub(day_element, "room", name=name, guid=guids[name])
            for event in events:
                event_to_xml(room_element, event)
    ET.indent(root)
    # The declaration as frab and pretalx write it (ElementTree's own uses single quotes).
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()
