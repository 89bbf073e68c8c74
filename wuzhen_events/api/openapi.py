"""The OpenAPI 3.1 document of /api/v1/: every path, parameter, response shape and header.

Objects are closed (`additionalProperties: false`) and list every field as required, so the
document says exactly what api/serializers.py writes; tests check real answers against it.
"""

from __future__ import annotations

from wuzhen_events.api.params import (
    CONTROL_CHARACTERS,
    DEFAULT_PER_PAGE,
    HALL_LIMIT,
    MAX_PAGE,
    MAX_PER_PAGE,
    STAGE_LIMIT,
)
from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.program.enums import SessionKind, SessionStatus, SpeakerRole
from wuzhen_events.routing import SLUG_LIMIT, SLUG_PATTERN

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
REF = "#/components/schemas/"


def ref(name: str) -> dict:
    return {"$ref": REF + name}


def closed(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
SLUG = {"type": "string", "pattern": f"^{SLUG_PATTERN}$", "minLength": 1, "maxLength": SLUG_LIMIT}
COUNTRY = {"type": "string", "pattern": "^([A-Z]{2})?$", "description": "ISO 3166 code or empty"}


def enum(members) -> dict:
    return {"type": "string", "enum": [member.value for member in members]}


EMPTY = {"type": "string", "maxLength": 0}


def or_empty(schema: dict) -> dict:
    """A filter: an empty value is the same as none (api/params.py says why)."""
    return {"anyOf": [schema, EMPTY]}


def label_filter(limit: int) -> dict:
    """Exact text with no control characters, empty for none."""
    return {"type": "string", "maxLength": limit, "pattern": f"^[^{CONTROL_CHARACTERS}]*$"}


def instant(name: str, *, optional: bool = False, what: str = "") -> dict:
    """An instant in conference time (with its offset, +08:00 in Wuzhen) and again in UTC."""
    kind = ["string", "null"] if optional else "string"
    local = {
        "type": kind,
        "format": "date-time",
        "description": f"{what} in conference time, ISO 8601 with offset".strip(),
    }
    utc = {"type": kind, "format": "date-time", "description": f"{what} in UTC (Z)".strip()}
    return {name: local, f"{name}_utc": utc}


def labels(name: str) -> dict:
    return {f"{name}_label": STRING, f"{name}_label_zh": STRING}


PROVENANCE = {
    "provenance": {
        **enum(Provenance),
        "description": "sourced: from public reports; inferred: inferred from them; "
        "demo: invented for the demo where the real detail could not be found",
    },
    "source_note": {**STRING, "description": "where the row comes from; S-codes name sources"},
    "source_note_zh": {**STRING, "description": "the source note in Chinese"},
}


def schemas() -> dict:
    venue = closed(
        {
            "id": ID,
            "slug": SLUG,
            "building": STRING,
            "building_zh": STRING,
            "hall": STRING,
            "hall_zh": STRING,
            "room_number": STRING,
            "capacity": {"type": ["integer", "null"], "minimum": 1},
            **PROVENANCE,
        }
    )
    topic = closed({"slug": SLUG, "name": STRING, "name_zh": STRING})
    subforum_ref = closed(
        {
            "id": ID,
            "slug": SLUG,
            "title": STRING,
            "title_zh": STRING,
            "url": URL,
            "api_url": URL,
        }
    )
    speaker_ref = closed(
        {
            "id": ID,
            "slug": SLUG,
            "name": STRING,
            "name_zh": STRING,
            "role": enum(SpeakerRole),
            **labels("role"),
            "url": URL,
            "api_url": URL,
        }
    )
    session = closed(
        {
            "id": ID,
            "title": STRING,
            "title_zh": STRING,
            "kind": enum(SessionKind),
            **labels("kind"),
            "status": enum(SessionStatus),
            "abstract": STRING,
            "abstract_zh": STRING,
            "day": {**DATE, "description": "the conference-time day the session starts on"},
            **instant("starts_at", what="start"),
            **instant("ends_at", what="end"),
            "duration_minutes": COUNT,
            "venue": nullable(ref("Venue")),
            "subforum": nullable(ref("SubforumRef")),
            "topics": {"type": "array", "items": ref("Topic")},
            "speakers": {"type": "array", "items": ref("SpeakerRef")},
            "sequence": {
                **COUNT,
                "description": "goes up with every change of time, place or status",
            },
            **PROVENANCE,
            **instant("updated_at", what="last change"),
            "url": URL,
            "api_url": URL,
        },
        "A public session; cancelled sessions stay listed with status `cancelled`.",
    )
    session_ref = closed(
        {
            "id": ID,
            "title": STRING,
            "title_zh": STRING,
            "kind": enum(SessionKind),
            "status": enum(SessionStatus),
            **instant("starts_at", what="start"),
            **instant("ends_at", what="end"),
            "url": URL,
            "api_url": URL,
        }
    )
    subforum_properties = {
        "id": ID,
        "slug": SLUG,
        "title": STRING,
        "title_zh": STRING,
        "description": STRING,
        "description_zh": STRING,
        "host_organisations": {"type": "array", "items": STRING},
        "host_organisations_zh": {
            "type": "array",
            "items": STRING,
            "description": "the hosts' Chinese names, in the order of host_organisations",
        },
        "venue": nullable(ref("Venue")),
        "topics": {"type": "array", "items": ref("Topic")},
        "capacity": COUNT,
        "seats_taken": COUNT,
        "seats_left": {**COUNT, "description": "capacity - seats_taken"},
        "is_full": {"type": "boolean"},
        **instant("starts_at", optional=True, what="start of its first public session"),
        **instant("ends_at", optional=True, what="end of its last public session"),
        "session_count": COUNT,
        **PROVENANCE,
        **instant("updated_at", what="last change"),
        "url": URL,
        "api_url": URL,
    }
    subforum = closed(subforum_properties)
    subforum_detail = closed(
        {**subforum_properties, "sessions": {"type": "array", "items": ref("Session")}},
        "A subforum with its public sessions in program order.",
    )
    appearance = closed({"role": enum(SpeakerRole), **labels("role"), "session": ref("SessionRef")})
    speaker = closed(
        {
            "id": ID,
            "slug": SLUG,
            "name": STRING,
            "name_zh": STRING,
            "title": STRING,
            "title_zh": STRING,
            "affiliation": STRING,
            "affiliation_zh": STRING,
            "country": COUNTRY,
            "bio": STRING,
            "bio_zh": STRING,
            "appearances": {
                "type": "array",
                "items": ref("Appearance"),
                "description": "public sessions in program order",
            },
            **PROVENANCE,
            **instant("updated_at", what="last change"),
            "url": URL,
            "api_url": URL,
        }
    )
    launch_properties = {
        "id": ID,
        "product": STRING,
        "product_zh": STRING,
        "description": STRING,
        "description_zh": STRING,
        "day": {**DATE, "description": "the conference-time day the launch starts on"},
        **instant("starts_at", what="start"),
        **instant("ends_at", what="end"),
        "stage": STRING,
        "stage_zh": STRING,
        **PROVENANCE,
        **instant("updated_at", what="last change"),
        "url": {**URL, "description": "the launch schedule page for its day"},
    }
    exhibitor_ref = closed(
        {
            "id": ID,
            "slug": SLUG,
            "company": STRING,
            "company_zh": STRING,
            "hall": STRING,
            "booth": STRING,
            "url": URL,
            "api_url": URL,
        }
    )
    launch = closed({**launch_properties, "exhibitor": ref("ExhibitorRef")})
    exhibitor = closed(
        {
            "id": ID,
            "slug": SLUG,
            "company": STRING,
            "company_zh": STRING,
            "sector": enum(Sector),
            **labels("sector"),
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "hall": STRING,
            "booth": STRING,
            "website": {
                "type": ["string", "null"],
                "description": "an http(s) address, or null when none is known",
            },
            "description": STRING,
            "description_zh": STRING,
            "launches": {"type": "array", "items": ref("ExhibitorLaunch")},
            **PROVENANCE,
            **instant("updated_at", what="last change"),
            "url": URL,
            "api_url": URL,
        }
    )
    conference = closed(
        {
            "slug": SLUG,
            "name": STRING,
            "name_zh": STRING,
            "edition": INTEGER,
            "theme": STRING,
            "theme_zh": STRING,
            "city": STRING,
            "city_zh": STRING,
            "venue_name": STRING,
            "venue_name_zh": STRING,
            "timezone": {**STRING, "description": "IANA time zone of conference time"},
            "starts_on": DATE,
            "ends_on": DATE,
            **instant("expo_opens_at", optional=True, what="Expo opening"),
            **instant("expo_closes_at", optional=True, what="Expo closing"),
            "days": {
                "type": "array",
                "items": DATE,
                "description": "conference and Expo days: the `day` filter of /sessions",
            },
            "expo_days": {
                "type": "array",
                "items": DATE,
                "description": "Expo days: the `day` filter of /launches",
            },
            "invited_delegates": COUNT,
            "countries_and_regions": COUNT,
            "enterprises_confirmed": COUNT,
            "organisers": {"type": "array", "items": STRING},
            **instant("updated_at", what="last change"),
            "url": URL,
            "schedule_json_url": URL,
            "schedule_xml_url": URL,
        }
    )
    meta = closed(
        {
            "total": {**COUNT, "description": "rows matching the filters, on every page"},
            "page": {
                "type": "integer",
                "minimum": 1,
                "description": "the page asked for, even past the last one (then `data` is empty)",
            },
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 1},
        }
    )
    error = closed(
        {
            "error": closed(
                {
                    "status": {"type": "integer", "minimum": 400, "maximum": 599},
                    "code": {
                        "type": "string",
                        "pattern": "^[a-z_]+$",
                        "description": "invalid_parameter, not_found, method_not_allowed, "
                        "server_error, bad_request, ...",
                    },
                    "message": STRING,
                    "field": {
                        "type": ["string", "null"],
                        "description": "the query parameter at fault, if one is",
                    },
                }
            )
        }
    )
    return {
        "Conference": conference,
        "Venue": venue,
        "Topic": topic,
        "SubforumRef": subforum_ref,
        "Subforum": subforum,
        "SubforumDetail": subforum_detail,
        "SpeakerRef": speaker_ref,
        "Session": session,
        "SessionRef": session_ref,
        "Appearance": appearance,
        "Speaker": speaker,
        "ExhibitorRef": exhibitor_ref,
        "ExhibitorLaunch": closed(launch_properties),
        "Exhibitor": exhibitor,
        "Launch": launch,
        "Meta": meta,
        "Error": error,
    }


CORS_HEADER = {
    "Access-Control-Allow-Origin": {
        "description": "Always `*`: any web page may read the API.",
        "required": True,
        "schema": {"type": "string", "const": "*"},
    }
}
LINK_HEADER = {
    "Link": {
        "description": 'RFC 8288 links: `<...>; rel="first"`, `rel="prev"` (not on page 1), '
        '`rel="next"` (not on the last page) and `rel="last"`, keeping the filters.',
        "required": True,
        "schema": {"type": "string"},
    }
}


def error_response(description: str) -> dict:
    return {
        "description": description,
        "headers": CORS_HEADER,
        "content": {"application/json": {"schema": ref("Error")}},
    }


RESPONSES = {
    "BadRequest": error_response(
        "A query parameter is invalid; `error.field` names it and nothing is listed."
    ),
    "NotFound": error_response("No such row, or no conference published yet."),
    "ServerError": error_response("The server failed; the body still has the error shape."),
}


def one(schema: str, description: str) -> dict:
    return {
        "description": description,
        "headers": CORS_HEADER,
        "content": {
            "application/json": {"schema": closed({"data": ref(schema)})},
        },
    }


def many(schema: str, description: str) -> dict:
    return {
        "description": description,
        "headers": {**CORS_HEADER, **LINK_HEADER},
        "content": {
            "application/json": {
                "schema": closed(
                    {"data": {"type": "array", "items": ref(schema)}, "meta": ref("Meta")}
                )
            }
        },
    }


def query(name: str, schema: dict, description: str, example: str | None = None) -> dict:
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }
    if example is not None:
        parameter["example"] = example
    return parameter


def parameters(query_limit: int) -> dict:
    return {
        "page": query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            "Page number; a page past the last answers 200 with an empty `data` list and the "
            "usual meta (`meta.pages` is the last page), so paging until empty stops.",
        ),
        "per_page": query(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
            "Rows per page.",
        ),
        "sessionDay": query(
            "day",
            or_empty(DATE),
            "Sessions starting on this day (YYYY-MM-DD, conference time); Conference.days are "
            "the days of the schedule, and any other date lists nothing.",
            "2018-11-08",
        ),
        "subforum": query(
            "subforum",
            or_empty(SLUG),
            "Slug of a subforum; a slug no subforum has lists nothing.",
            "5g-era",
        ),
        "topic": query(
            "topic",
            or_empty(SLUG),
            "Slug of a topic, matched on the session or its subforum; a slug no topic has "
            "lists nothing.",
            "blockchain",
        ),
        "updatedSince": query(
            "updated_since",
            or_empty({"type": "string", "format": "date-time"}),
            "Only sessions changed at or after this instant (RFC 3339, with its offset; "
            "a + left unencoded arrives as a space and is read as +).",
            "2018-11-01T00:00:00+08:00",
        ),
        "speakerQuery": query(
            "q",
            {"type": "string", "maxLength": query_limit},
            "Search in names and organisations, English or Chinese.",
        ),
        "exhibitorQuery": query(
            "q",
            {"type": "string", "maxLength": query_limit},
            "Search in company and product names, as the Expo directory does.",
            "cloud",
        ),
        "sector": query(
            "sector",
            {"type": "string", "enum": ["", *(sector.value for sector in Sector)]},
            "Only exhibitors of this sector.",
        ),
        "hall": query(
            "hall",
            label_filter(HALL_LIMIT),
            "Only exhibitors in this hall (exactly as Exhibitor.hall); a hall with no "
            "exhibitors lists nothing.",
            "1",
        ),
        "country": query(
            "country",
            or_empty({"type": "string", "pattern": "^[A-Z]{2}$"}),
            "ISO 3166 code of a country or region, in capitals; one with no exhibitors lists "
            "nothing.",
            "CN",
        ),
        "launching": query(
            "launches",
            {"type": "string", "enum": ["", "0", "1"]},
            "`1`: only exhibitors launching a product.",
            "1",
        ),
        "launchDay": query(
            "day",
            or_empty(DATE),
            "Launches starting on this day (YYYY-MM-DD, conference time); Conference.expo_days "
            "are the days of the Expo, and any other date lists nothing.",
            "2018-11-07",
        ),
        "stage": query(
            "stage",
            label_filter(STAGE_LIMIT),
            "Only launches on this stage (exactly as Launch.stage); a stage with no launches "
            "lists nothing.",
            "Launch Stage A",
        ),
        "slug": {
            "name": "slug",
            "in": "path",
            "required": True,
            "schema": SLUG,
        },
        "sessionId": {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
        },
    }


def param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def response(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


def operation(
    operation_id: str,
    summary: str,
    ok: dict,
    *,
    parameters: tuple[str, ...] = (),
    bad_request: bool = False,
    not_found: bool = True,
) -> dict:
    responses = {"200": ok}
    if bad_request:
        responses["400"] = response("BadRequest")
    if not_found:
        responses["404"] = response("NotFound")
    responses["500"] = response("ServerError")
    spec = {"operationId": operation_id, "summary": summary, "responses": responses}
    if parameters:
        spec["parameters"] = [param(name) for name in parameters]
    return {"get": spec}


PAGING = ("page", "per_page")


def paths() -> dict:
    return {
        "/openapi.json": operation(
            "getOpenApi",
            "This document",
            {
                "description": "The OpenAPI 3.1 document.",
                "headers": CORS_HEADER,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            not_found=False,
        ),
        "/conference": operation(
            "getConference", "The conference", one("Conference", "The conference.")
        ),
        "/venues": operation(
            "listVenues",
            "Venues by building and hall",
            many("Venue", "One page of venues."),
            parameters=PAGING,
            bad_request=True,
            not_found=False,
        ),
        "/subforums": operation(
            "listSubforums",
            "Subforums in program order, with seats left",
            many("Subforum", "One page of subforums."),
            parameters=PAGING,
            bad_request=True,
        ),
        "/subforums/{slug}": operation(
            "getSubforum",
            "One subforum with its sessions",
            one("SubforumDetail", "The subforum."),
            parameters=("slug",),
        ),
        "/sessions": operation(
            "listSessions",
            "Public sessions in program order",
            many("Session", "One page of sessions."),
            parameters=(*PAGING, "sessionDay", "subforum", "topic", "updatedSince"),
            bad_request=True,
        ),
        "/sessions/{id}": operation(
            "getSession",
            "One public session",
            one("Session", "The session."),
            parameters=("sessionId",),
        ),
        "/speakers": operation(
            "listSpeakers",
            "Speakers by name",
            many("Speaker", "One page of speakers."),
            parameters=(*PAGING, "speakerQuery"),
            bad_request=True,
        ),
        "/speakers/{slug}": operation(
            "getSpeaker", "One speaker", one("Speaker", "The speaker."), parameters=("slug",)
        ),
        "/exhibitors": operation(
            "listExhibitors",
            "The Expo directory: search and filters as on /expo/",
            many("Exhibitor", "One page of exhibitors, by company name."),
            parameters=(*PAGING, "exhibitorQuery", "sector", "hall", "country", "launching"),
            bad_request=True,
        ),
        "/exhibitors/{slug}": operation(
            "getExhibitor",
            "One exhibitor with its launches",
            one("Exhibitor", "The exhibitor."),
            parameters=("slug",),
        ),
        "/launches": operation(
            "listLaunches",
            "Product launches by start time",
            many("Launch", "One page of launches."),
            parameters=(*PAGING, "launchDay", "stage"),
            bad_request=True,
        ),
    }


DESCRIPTION = """\
Read-only JSON API of the Fifth World Internet Conference (Wuzhen, 7-9 November 2018) and its
Light of Internet Expo.

- Lists answer `{"data": [...], "meta": {"total", "page", "per_page", "pages"}}` and an
  RFC 8288 `Link` header (first, prev, next, last); one row answers `{"data": {...}}`. A page
  past the last answers 200 with an empty `data` list (never 404, never the last page again).
- Instants appear twice: in conference time with its offset (`starts_at`,
  e.g. `2018-11-08T09:00:00+08:00`) and in UTC (`starts_at_utc`). Bilingual text comes as
  `title` and `title_zh`. Rows carry their provenance (`sourced`, `inferred` or `demo`).
- Filters: an empty value (`?day=`, as HTML forms send every field) is the same as leaving
  the filter out. A well-formed value that nothing has (a topic no session has, a day off the
  schedule, a hall with no exhibitors) lists nothing: 200 with an empty `data`. A malformed
  value (`?day=tomorrow`, `?country=cn`) answers 400. Paging numbers are not filters.
- Every error, here and for unknown addresses or methods under /api/, has one shape:
  `{"error": {"status", "code", "message", "field"}}`; an invalid parameter answers 400 with
  `code` `invalid_parameter` and `field` naming it.
- Every path also answers HEAD, and OPTIONS as a CORS preflight for GET
  (`Access-Control-Allow-Methods: GET, HEAD, OPTIONS`); every answer carries
  `Access-Control-Allow-Origin: *`.
- The frab schedule for schedule apps is at /schedule.json and /schedule.xml (not part of
  this API: they follow the frab formats and answer conditional GETs).
"""


def openapi_document(*, query_limit: int) -> dict:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Wuzhen Events API",
            "version": API_VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths(),
        "components": {
            "schemas": schemas(),
            "parameters": parameters(query_limit),
            "responses": RESPONSES,
        },
    }
