"""Plain descriptions of demo rows, so curated and generated data share one loader."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.program.enums import SessionKind, SpeakerRole

WUZHEN = ZoneInfo("Asia/Shanghai")
DEMO_NOTE = "demo: invented for this demonstration"
DEMO_NOTE_ZH = "演示：为本演示虚构"


def at(day: int, clock: str) -> datetime:
    """A November 2018 wall-clock time in Wuzhen, as the facts file writes them."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(2018, 11, day, hour, minute, tzinfo=WUZHEN)


def slugify(text: str) -> str:
    """ASCII slug for URLs; accents are folded so "Chehadé" becomes "chehade"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


@dataclass(frozen=True)
class VenueSpec:
    slug: str
    building: str
    building_zh: str
    hall: str
    hall_zh: str
    room_number: str
    capacity: int | None
    provenance: Provenance
    source_note: str
    source_note_zh: str


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name: str
    name_zh: str


@dataclass(frozen=True)
class SpeakerSpec:
    slug: str
    name: str
    provenance: Provenance
    source_note: str
    source_note_zh: str
    name_zh: str = ""
    title: str = ""
    title_zh: str = ""
    affiliation: str = ""
    affiliation_zh: str = ""
    country: str = ""
    bio: str = ""
    bio_zh: str = ""


@dataclass(frozen=True)
class PartSpec:
    """One half of a subforum: its title, kind, and any real people known to take part in it."""

    title: str
    title_zh: str
    kind: SessionKind
    speakers: tuple[tuple[str, SpeakerRole], ...] = ()
    note: str = ""
    note_zh: str = ""


@dataclass(frozen=True)
class SubforumSpec:
    slug: str
    title: str
    title_zh: str
    description: str
    description_zh: str
    venue: str
    capacity: int
    topics: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    provenance: Provenance
    source_note: str
    source_note_zh: str
    session_provenance: Provenance
    session_note: str
    session_note_zh: str
    host_organisations: tuple[str, ...] = ()
    # Same order as host_organisations.
    host_organisations_zh: tuple[str, ...] = ()
    # Delegate categories that may take a seat; empty: every category.
    restricted_to: tuple[str, ...] = ()
    parts: tuple[PartSpec, PartSpec] | None = None


@dataclass(frozen=True)
class SessionSpec:
    title: str
    title_zh: str
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    venue: str
    provenance: Provenance
    source_note: str
    source_note_zh: str
    subforum: str = ""
    topics: tuple[str, ...] = ()
    speakers: tuple[tuple[str, SpeakerRole], ...] = ()
    abstract: str = ""
    abstract_zh: str = ""
    is_public: bool = True

    @property
    def key(self) -> tuple[str, str]:
        """Sessions have no slug; a title is unique within its subforum (or among ceremonies)."""
        return (self.subforum, self.title)


@dataclass(frozen=True)
class ExhibitorSpec:
    slug: str
    company: str
    company_zh: str
    sector: Sector
    country: str
    hall: str
    booth: str
    website: str
    description: str
    description_zh: str
    provenance: Provenance
    source_note: str
    source_note_zh: str


@dataclass(frozen=True)
class LaunchSpec:
    exhibitor: str
    product: str
    product_zh: str
    description: str
    description_zh: str
    starts_at: datetime
    ends_at: datetime
    stage: str
    stage_zh: str
    provenance: Provenance
    source_note: str
    source_note_zh: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.exhibitor, self.product)


@dataclass(frozen=True)
class DemoPlan:
    """Every row of the demo conference, decided before the database is touched."""

    conference: dict
    venues: tuple[VenueSpec, ...]
    topics: tuple[TopicSpec, ...]
    speakers: tuple[SpeakerSpec, ...]
    subforums: tuple[SubforumSpec, ...]
    sessions: tuple[SessionSpec, ...]
    exhibitors: tuple[ExhibitorSpec, ...]
    launches: tuple[LaunchSpec, ...] = field(default=())
