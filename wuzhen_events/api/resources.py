"""The API's resources, each field declared once: the JSON answers are these models dumped, and
the OpenAPI document's component schemas are generated from them (api/openapi.py).

Objects are closed (`extra="forbid"`) and every field is required (none has a default), so a
serializer can neither leave a field out nor add one the document does not show.
"""

from __future__ import annotations

import functools
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from wuzhen_events.api.params import MAX_PER_PAGE
from wuzhen_events.checkin.enums import ScanReason
from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.program.enums import SessionKind, SessionStatus, SpeakerRole
from wuzhen_events.routing import SLUG_LIMIT, SLUG_PATTERN

REF = "#/components/schemas/"


def choice(members: type[Enum]) -> object:
    """An enum member, written (and documented) as its value."""
    return Annotated[
        members,
        WithJsonSchema({"type": "string", "enum": [member.value for member in members]}),
    ]


Count = Annotated[int, Field(ge=0)]
Id = Annotated[int, Field(ge=1)]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
Date = Annotated[str, Field(json_schema_extra={"format": "date"})]
Slug = Annotated[str, Field(pattern=f"^{SLUG_PATTERN}$", min_length=1, max_length=SLUG_LIMIT)]
Instant = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


ProvenanceValue = Annotated[
    choice(Provenance),
    Field(
        description="sourced: from public reports; inferred: inferred from them; "
        "demo: invented for the demo where the real detail could not be found"
    ),
]
SourceNote = Annotated[str, Field(description="where the row comes from; S-codes name sources")]
SourceNoteZh = Annotated[str, Field(description="the source note in Chinese")]


def local(what: str) -> object:
    return Field(description=f"{what} in conference time, ISO 8601 with offset".strip())


def utc(what: str) -> object:
    return Field(description=f"{what} in UTC (Z)".strip())


class Resource(BaseModel):
    """Closed and immutable: what a serializer builds is exactly what the document shows."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Venue(Resource):
    id: Id
    slug: Slug
    building: str
    building_zh: str
    hall: str
    hall_zh: str
    room_number: str
    capacity: Annotated[int, Field(ge=1)] | None
    provenance: ProvenanceValue
    source_note: SourceNote
    source_note_zh: SourceNoteZh


class Topic(Resource):
    slug: Slug
    name: str
    name_zh: str


class SubforumRef(Resource):
    id: Id
    slug: Slug
    title: str
    title_zh: str
    url: Url
    api_url: Url


class SpeakerRef(Resource):
    id: Id
    slug: Slug
    name: str
    name_zh: str
    role: choice(SpeakerRole)
    role_label: str
    role_label_zh: str
    url: Url
    api_url: Url


class Session(Resource):
    """A public session; cancelled sessions stay listed with status `cancelled`."""

    id: Id
    title: str
    title_zh: str
    kind: choice(SessionKind)
    kind_label: str
    kind_label_zh: str
    status: choice(SessionStatus)
    abstract: str
    abstract_zh: str
    day: Date = Field(description="the conference-time day the session starts on")
    starts_at: Instant = local("start")
    starts_at_utc: Instant = utc("start")
    ends_at: Instant = local("end")
    ends_at_utc: Instant = utc("end")
    duration_minutes: Count
    venue: Venue | None
    subforum: SubforumRef | None
    topics: list[Topic]
    speakers: list[SpeakerRef]
    sequence: Count = Field(description="goes up with every change of time, place or status")
    provenance: ProvenanceValue
    source_note: SourceNote
    source_note_zh: SourceNoteZh
    updated_at: Instant = local("last change")
    updated_at_utc: Instant = utc("last change")
    url: Url
    api_url: Url


class SessionRef(Resource):
    id: Id
    title: str
    title_zh: str
    kind: choice(SessionKind)
    status: choice(SessionStatus)
    starts_at: Instant = local("start")
    starts_at_utc: Instant = utc("start")
    ends_at: Instant = local("end")
    ends_at_utc: Instant = utc("end")
    url: Url
    api_url: Url


class Subforum(Resource):
    id: Id
    slug: Slug
    title: str
    title_zh: str
    description: str
    description_zh: str
    host_organisations: list[str]
    host_organisations_zh: list[str] = Field(
        description="the hosts' Chinese names, in the order of host_organisations"
    )
    venue: Venue | None
    topics: list[Topic]
    capacity: Count
    seats_taken: Count
    seats_left: Count = Field(description="capacity - seats_taken")
    is_full: bool
    starts_at: Instant | None = local("start of its first public session")
    starts_at_utc: Instant | None = utc("start of its first public session")
    ends_at: Instant | None = local("end of its last public session")
    ends_at_utc: Instant | None = utc("end of its last public session")
    session_count: Count
    provenance: ProvenanceValue
    source_note: SourceNote
    source_note_zh: SourceNoteZh
    updated_at: Instant = local("last change")
    updated_at_utc: Instant = utc("last change")
    url: Url
    api_url: Url


class SubforumDetail(Subforum):
    """A subforum with its public sessions in program order."""

    sessions: list[Session]


class Appearance(Resource):
    role: choice(SpeakerRole)
    role_label: str
    role_label_zh: str
    session: SessionRef


class Speaker(Resource):
    id: Id
    slug: Slug
    name: str
    name_zh: str
    title: str
    title_zh: str
    affiliation: str
    affiliation_zh: str
    country: str = Field(pattern="^([A-Z]{2})?$", description="ISO 3166 code or empty")
    bio: str
    bio_zh: str
    appearances: list[Appearance] = Field(description="public sessions in program order")
    provenance: ProvenanceValue
    source_note: SourceNote
    source_note_zh: SourceNoteZh
    updated_at: Instant = local("last change")
    updated_at_utc: Instant = utc("last change")
    url: Url
    api_url: Url


class ExhibitorRef(Resource):
    id: Id
    slug: Slug
    company: str
    company_zh: str
    hall: str
    booth: str
    url: Url
    api_url: Url


class ExhibitorLaunch(Resource):
    id: Id
    product: str
    product_zh: str
    description: str
    description_zh: str
    day: Date = Field(description="the conference-time day the launch starts on")
    starts_at: Instant = local("start")
    starts_at_utc: Instant = utc("start")
    ends_at: Instant = local("end")
    ends_at_utc: Instant = utc("end")
    stage: str
    stage_zh: str
    provenance: ProvenanceValue
    source_note: SourceNote
    source_note_zh: SourceNoteZh
    updated_at: Instant = local("last change")
    updated_at_utc: Instant = utc("last change")
    url: Url = Field(description="the launch schedule page for its day")


class Launch(ExhibitorLaunch):
    exhibitor: ExhibitorRef


class Exhibitor(Resource):
    id: Id
    slug: Slug
    company: str
    company_zh: str
    sector: choice(Sector)
    sector_label: str
    sector_label_zh: str
    country: str = Field(pattern="^[A-Z]{2}$")
    hall: str
    booth: str
    website: str | None = Field(description="an http(s) address, or null when none is known")
    description: str
    description_zh: str
    launches: list[ExhibitorLaunch]
    provenance: ProvenanceValue
    source_note: SourceNote
    source_note_zh: SourceNoteZh
    updated_at: Instant = local("last change")
    updated_at_utc: Instant = utc("last change")
    url: Url
    api_url: Url


class Conference(Resource):
    slug: Slug
    name: str
    name_zh: str
    edition: int
    theme: str
    theme_zh: str
    city: str
    city_zh: str
    venue_name: str
    venue_name_zh: str
    timezone: str = Field(description="IANA time zone of conference time")
    starts_on: Date
    ends_on: Date
    expo_opens_at: Instant | None = local("Expo opening")
    expo_opens_at_utc: Instant | None = utc("Expo opening")
    expo_closes_at: Instant | None = local("Expo closing")
    expo_closes_at_utc: Instant | None = utc("Expo closing")
    days: list[Date] = Field(description="conference and Expo days: the `day` filter of /sessions")
    expo_days: list[Date] = Field(description="Expo days: the `day` filter of /launches")
    invited_delegates: Count
    countries_and_regions: Count
    enterprises_confirmed: Count
    organisers: list[str]
    updated_at: Instant = local("last change")
    updated_at_utc: Instant = utc("last change")
    url: Url
    schedule_json_url: Url
    schedule_xml_url: Url


class Meta(Resource):
    total: Count = Field(description="rows matching the filters, on every page")
    page: int = Field(
        ge=1, description="the page asked for, even past the last one (then `data` is empty)"
    )
    per_page: int = Field(ge=1, le=MAX_PER_PAGE)
    pages: int = Field(ge=1)


class ErrorDetail(Resource):
    status: int = Field(ge=400, le=599)
    code: str = Field(
        pattern="^[a-z_]+$",
        description="invalid_parameter, not_found, method_not_allowed, server_error, "
        "bad_request, ...",
    )
    message: str
    field: str | None = Field(description="the query parameter at fault, if one is")


class Error(Resource):
    error: ErrorDetail


# --- check-in: the answer to a scanner app's scan ----------------------------------------------


class ScanDelegate(Resource):
    name: str
    name_zh: str
    organisation: str
    category: str = Field(description="the delegate category's label")


class ScanSeat(Resource):
    title: str
    hall: str
    starts_at: Instant = local("the subforum's first session today")
    ends_at: Instant = local("the subforum's last session's end today")


class ScanAnswer(Resource):
    admitted: bool
    reason: choice(ScanReason) | None = Field(
        description="why the badge was refused (`already_checked_in`: it came in at this door "
        "today, with no exit since); with `admitted` true, an offline admission the server "
        "would have refused, kept and flagged as a conflict"
    )
    message: str = Field(description="the answer as one sentence, as the scanning page shows it")
    delegate: ScanDelegate | None
    seats: list[ScanSeat] = Field(description="the delegate's seats in subforums meeting today")


class DoorCounts(Resource):
    admitted: Count = Field(description="delegates admitted at the door today")
    expected: Count = Field(description="confirmed delegates (a hall: seats taken)")
    seats_left: Count | None = Field(description="free seats in the hall; null at an entrance")


class ScanReply(Resource):
    duplicate: bool = Field(
        description="the nonce was sent before: the first scan's answer; nothing new recorded"
    )
    conflict: bool = Field(description="an offline admission that clashed, kept and flagged")
    answer: ScanAnswer
    counts: DoorCounts


# In the document's order; the classes' names are the schemas' names.
RESOURCES: tuple[type[Resource], ...] = (
    Conference,
    Venue,
    Topic,
    SubforumRef,
    Subforum,
    SubforumDetail,
    SpeakerRef,
    Session,
    SessionRef,
    Appearance,
    Speaker,
    ExhibitorRef,
    ExhibitorLaunch,
    Exhibitor,
    Launch,
    Meta,
    ErrorDetail,
    Error,
    ScanDelegate,
    ScanSeat,
    ScanAnswer,
    DoorCounts,
    ScanReply,
)


class DocumentSchema(GenerateJsonSchema):
    """JSON Schema 2020-12 as OpenAPI 3.1 takes it: no generated titles, nullable scalars
    written as a type list (`["string", "null"]`)."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def nullable_schema(self, schema):
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str):
            nullable = {**inner, "type": [inner["type"], "null"]}
            if "enum" in inner:  # an enum lists null among its values too, or null fails it
                nullable["enum"] = [*inner["enum"], None]
            return nullable
        return super().nullable_schema(schema)


@functools.cache
def component_schemas() -> dict[str, dict]:
    """Every resource's schema, its references pointing into the document's components;
    built once (the declarations do not change while the app runs)."""
    _, generated = models_json_schema(
        [(model, "serialization") for model in RESOURCES],
        ref_template=REF + "{model}",
        schema_generator=DocumentSchema,
    )
    definitions = generated["$defs"]
    schemas = {}
    for model in RESOURCES:
        schema = dict(definitions[model.__name__])
        schema.pop("title", None)
        schemas[model.__name__] = schema
    return schemas
