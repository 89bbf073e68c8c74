"""Rows as the API shows them: plain dicts, bilingual fields side by side, instants twice.

Every instant appears in conference time (ISO 8601 with its offset, e.g. +08:00) and again in
UTC under the same name with `_utc`. Every row that can be invented for the demo carries its
provenance. Each row is built as its resource (api/resources.py), which declares its fields for
the JSON and for the OpenAPI document alike.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from flask_babel import force_locale

from wuzhen_events.api import resources
from wuzhen_events.db import ProvenanceMixin
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    Topic,
    Venue,
)
from wuzhen_events.urls import external_url

MINUTE = timedelta(minutes=1)
LABELLED = {"kind": SessionKind, "role": SpeakerRole, "sector": Sector}


@functools.cache
def labels(name: str, locale: str) -> dict[str, str]:
    """An enum's labels in one language, whatever language the request asked for."""
    with force_locale(locale):
        return {member.value: member.label for member in LABELLED[name]}


def label_fields(name: str, value: str) -> dict[str, str]:
    return {
        f"{name}_label": labels(name, "en")[value],
        f"{name}_label_zh": labels(name, "zh")[value],
    }


def local_iso(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds")


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant_fields(name: str, moment: datetime | None, tz: tzinfo) -> dict[str, str | None]:
    if moment is None:
        return {name: None, f"{name}_utc": None}
    return {name: local_iso(moment, tz), f"{name}_utc": utc_iso(moment)}


def provenance_fields(row: ProvenanceMixin) -> dict:
    return {
        "provenance": row.provenance,
        "source_note": row.source_note,
        "source_note_zh": row.source_note_zh,
    }


def dump(resource: resources.Resource) -> dict:
    """The resource as JSON values: enums as their values, fields in declared order."""
    return resource.model_dump(mode="json")


def conference_resource(
    conference: Conference, *, days: list[date], expo_days: list[date]
) -> resources.Conference:
    tz = conference.tzinfo
    return resources.Conference(
        slug=conference.slug,
        name=conference.name,
        name_zh=conference.name_zh,
        edition=conference.edition,
        theme=conference.theme,
        theme_zh=conference.theme_zh,
        city=conference.city,
        city_zh=conference.city_zh,
        venue_name=conference.venue_name,
        venue_name_zh=conference.venue_name_zh,
        timezone=conference.timezone,
        starts_on=conference.starts_on.isoformat(),
        ends_on=conference.ends_on.isoformat(),
        **instant_fields("expo_opens_at", conference.expo_opens_at, tz),
        **instant_fields("expo_closes_at", conference.expo_closes_at, tz),
        days=[day.isoformat() for day in days],
        expo_days=[day.isoformat() for day in expo_days],
        invited_delegates=conference.invited_delegates,
        countries_and_regions=conference.countries_and_regions,
        enterprises_confirmed=conference.enterprises_confirmed,
        organisers=list(conference.organisers or []),
        **instant_fields("updated_at", conference.updated_at, tz),
        url=external_url("site.home"),
        schedule_json_url=external_url("schedule.schedule_json"),
        schedule_xml_url=external_url("schedule.schedule_xml"),
    )


def conference_to_dict(conference: Conference, *, days: list[date], expo_days: list[date]) -> dict:
    return dump(conference_resource(conference, days=days, expo_days=expo_days))


def venue_resource(venue: Venue) -> resources.Venue:
    return resources.Venue(
        id=venue.id,
        slug=venue.slug,
        building=venue.building,
        building_zh=venue.building_zh,
        hall=venue.hall,
        hall_zh=venue.hall_zh,
        room_number=venue.room_number,
        capacity=venue.capacity,
        **provenance_fields(venue),
    )


def venue_to_dict(venue: Venue) -> dict:
    return dump(venue_resource(venue))


def topic_resource(topic: Topic) -> resources.Topic:
    return resources.Topic(slug=topic.slug, name=topic.name, name_zh=topic.name_zh)


def public_sessions(subforum: Subforum) -> list[ProgramSession]:
    return [session for session in subforum.sessions if session.is_public]


def subforum_fields(subforum: Subforum, tz: tzinfo) -> dict:
    sessions = public_sessions(subforum)
    starts_at = min((session.starts_at for session in sessions), default=None)
    ends_at = max((session.ends_at for session in sessions), default=None)
    return {
        "id": subforum.id,
        "slug": subforum.slug,
        "title": subforum.title,
        "title_zh": subforum.title_zh,
        "description": subforum.description,
        "description_zh": subforum.description_zh,
        "host_organisations": list(subforum.host_organisations or []),
        "host_organisations_zh": list(subforum.host_organisations_zh or []),
        "venue": venue_resource(subforum.venue) if subforum.venue is not None else None,
        "topics": [topic_resource(topic) for topic in subforum.topics],
        "capacity": subforum.capacity,
        "seats_taken": subforum.seats_taken,
        "seats_left": subforum.seats_left,
        "is_full": subforum.is_full,
        **instant_fields("starts_at", starts_at, tz),
        **instant_fields("ends_at", ends_at, tz),
        "session_count": len(sessions),
        **provenance_fields(subforum),
        **instant_fields("updated_at", subforum.updated_at, tz),
        "url": external_url("program.subforum_detail", slug=subforum.slug),
        "api_url": external_url("api.subforum_detail", slug=subforum.slug),
    }


def subforum_to_dict(subforum: Subforum, tz: tzinfo) -> dict:
    return dump(resources.Subforum(**subforum_fields(subforum, tz)))


def subforum_detail_to_dict(subforum: Subforum, tz: tzinfo) -> dict:
    """The subforum with its public sessions in program order."""
    sessions = sorted(
        public_sessions(subforum), key=lambda session: (session.starts_at, session.id)
    )
    return dump(
        resources.SubforumDetail(
            **subforum_fields(subforum, tz),
            sessions=[session_resource(session, tz) for session in sessions],
        )
    )


def subforum_ref(subforum: Subforum) -> resources.SubforumRef:
    return resources.SubforumRef(
        id=subforum.id,
        slug=subforum.slug,
        title=subforum.title,
        title_zh=subforum.title_zh,
        url=external_url("program.subforum_detail", slug=subforum.slug),
        api_url=external_url("api.subforum_detail", slug=subforum.slug),
    )


def speaker_ref(role: SessionSpeaker) -> resources.SpeakerRef:
    speaker = role.speaker
    return resources.SpeakerRef(
        id=speaker.id,
        slug=speaker.slug,
        name=speaker.name,
        name_zh=speaker.name_zh,
        role=role.role,
        **label_fields("role", role.role.value),
        url=external_url("program.speaker_detail", slug=speaker.slug),
        api_url=external_url("api.speaker_detail", slug=speaker.slug),
    )


def session_resource(session: ProgramSession, tz: tzinfo) -> resources.Session:
    return resources.Session(
        id=session.id,
        title=session.title,
        title_zh=session.title_zh,
        kind=session.kind,
        **label_fields("kind", session.kind.value),
        status=session.status,
        abstract=session.abstract,
        abstract_zh=session.abstract_zh,
        day=session.starts_at.astimezone(tz).date().isoformat(),
        **instant_fields("starts_at", session.starts_at, tz),
        **instant_fields("ends_at", session.ends_at, tz),
        duration_minutes=(session.ends_at - session.starts_at) // MINUTE,
        venue=venue_resource(session.venue) if session.venue is not None else None,
        subforum=subforum_ref(session.subforum) if session.subforum is not None else None,
        topics=[topic_resource(topic) for topic in session.topics],
        speakers=[speaker_ref(role) for role in session.speaker_roles],
        sequence=session.sequence,
        **provenance_fields(session),
        **instant_fields("updated_at", session.updated_at, tz),
        url=external_url("program.session_detail", session_id=session.id),
        api_url=external_url("api.session_detail", session_id=session.id),
    )


def session_to_dict(session: ProgramSession, tz: tzinfo) -> dict:
    return dump(session_resource(session, tz))


def session_ref(session: ProgramSession, tz: tzinfo) -> resources.SessionRef:
    return resources.SessionRef(
        id=session.id,
        title=session.title,
        title_zh=session.title_zh,
        kind=session.kind,
        status=session.status,
        **instant_fields("starts_at", session.starts_at, tz),
        **instant_fields("ends_at", session.ends_at, tz),
        url=external_url("program.session_detail", session_id=session.id),
        api_url=external_url("api.session_detail", session_id=session.id),
    )


def speaker_to_dict(speaker: Speaker, tz: tzinfo) -> dict:
    """The speaker with their public appearances in program order."""
    appearances = sorted(
        (role for role in speaker.appearances if role.session.is_public),
        key=lambda role: (role.session.starts_at, role.session.id, role.position),
    )
    return dump(
        resources.Speaker(
            id=speaker.id,
            slug=speaker.slug,
            name=speaker.name,
            name_zh=speaker.name_zh,
            title=speaker.title,
            title_zh=speaker.title_zh,
            affiliation=speaker.affiliation,
            affiliation_zh=speaker.affiliation_zh,
            country=speaker.country,
            bio=speaker.bio,
            bio_zh=speaker.bio_zh,
            appearances=[
                resources.Appearance(
                    role=role.role,
                    **label_fields("role", role.role.value),
                    session=session_ref(role.session, tz),
                )
                for role in appearances
            ],
            **provenance_fields(speaker),
            **instant_fields("updated_at", speaker.updated_at, tz),
            url=external_url("program.speaker_detail", slug=speaker.slug),
            api_url=external_url("api.speaker_detail", slug=speaker.slug),
        )
    )


def safe_website(url: str) -> str | None:
    """Only http(s) addresses, so a stored javascript: URL never reaches a client as a link."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def exhibitor_ref(exhibitor: Exhibitor) -> resources.ExhibitorRef:
    return resources.ExhibitorRef(
        id=exhibitor.id,
        slug=exhibitor.slug,
        company=exhibitor.company,
        company_zh=exhibitor.company_zh,
        hall=exhibitor.hall,
        booth=exhibitor.booth,
        url=external_url("expo.exhibitor_detail", slug=exhibitor.slug),
        api_url=external_url("api.exhibitor_detail", slug=exhibitor.slug),
    )


def launch_fields(launch: ProductLaunch, tz: tzinfo) -> dict:
    day = launch.starts_at.astimezone(tz).date().isoformat()
    return {
        "id": launch.id,
        "product": launch.product,
        "product_zh": launch.product_zh,
        "description": launch.description,
        "description_zh": launch.description_zh,
        "day": day,
        **instant_fields("starts_at", launch.starts_at, tz),
        **instant_fields("ends_at", launch.ends_at, tz),
        "stage": launch.stage,
        "stage_zh": launch.stage_zh,
        **provenance_fields(launch),
        **instant_fields("updated_at", launch.updated_at, tz),
        "url": external_url("expo.launches", day=day),
    }


def launch_to_dict(launch: ProductLaunch, tz: tzinfo) -> dict:
    return dump(
        resources.Launch(**launch_fields(launch, tz), exhibitor=exhibitor_ref(launch.exhibitor))
    )


def exhibitor_to_dict(exhibitor: Exhibitor, tz: tzinfo) -> dict:
    return dump(
        resources.Exhibitor(
            id=exhibitor.id,
            slug=exhibitor.slug,
            company=exhibitor.company,
            company_zh=exhibitor.company_zh,
            sector=exhibitor.sector,
            **label_fields("sector", exhibitor.sector.value),
            country=exhibitor.country,
            hall=exhibitor.hall,
            booth=exhibitor.booth,
            website=safe_website(exhibitor.website),
            description=exhibitor.description,
            description_zh=exhibitor.description_zh,
            launches=[
                resources.ExhibitorLaunch(**launch_fields(launch, tz))
                for launch in exhibitor.launches
            ],
            **provenance_fields(exhibitor),
            **instant_fields("updated_at", exhibitor.updated_at, tz),
            url=external_url("expo.exhibitor_detail", slug=exhibitor.slug),
            api_url=external_url("api.exhibitor_detail", slug=exhibitor.slug),
        )
    )
