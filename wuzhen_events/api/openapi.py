"""The OpenAPI 3.1 document of /api/v1/: every path, parameter, response shape and header.

Paths, parameters and responses are written here; the component schemas are generated from the
resources the API answers with (api/resources.py), so the document says exactly what it writes.
Objects are closed (`additionalProperties: false`) and list every field as required; tests check
real answers against them.
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
from wuzhen_events.api.resources import REF, component_schemas
from wuzhen_events.expo.enums import Sector
from wuzhen_events.routing import SLUG_LIMIT, SLUG_PATTERN

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"


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


DATE = {"type": "string", "format": "date"}
SLUG = {"type": "string", "pattern": f"^{SLUG_PATTERN}$", "minLength": 1, "maxLength": SLUG_LIMIT}
EMPTY = {"type": "string", "maxLength": 0}


def or_empty(schema: dict) -> dict:
    """A filter: an empty value is the same as none (api/params.py says why)."""
    return {"anyOf": [schema, EMPTY]}


def label_filter(limit: int) -> dict:
    """Exact text with no control characters, empty for none."""
    return {"type": "string", "maxLength": limit, "pattern": f"^[^{CONTROL_CHARACTERS}]*$"}


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

# --- check-in: the one operation that writes, for scanner apps with a device token ----------

CHECKIN_PATH = "/checkin/scans"
SCAN_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "required": ["door", "code", "nonce"],
    "properties": {
        "door": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647,
            "description": "Id of a door the device may scan at.",
        },
        "code": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "The badge QR's text (`WIC2018:<code>`) or the code typed in; "
            "spaces, and dashes between groups of four, are ignored.",
        },
        "nonce": {
            "type": "string",
            "pattern": "^[A-Za-z0-9_.:-]{8,64}$",
            "description": "Made by the device for this scan (a UUID): sending the same scan "
            "again records nothing new and answers the first answer.",
        },
        "direction": {"enum": ["entry", "exit"], "default": "entry"},
        "scanned_at": {
            "type": "string",
            "format": "date-time",
            "description": "When the device read the badge (with its offset); now if left out.",
        },
        "offline": {"type": "boolean", "default": False},
        "offline_answer": {
            "enum": ["admitted", "refused", None],
            "description": "What the device answered offline, before it could send the scan.",
        },
    },
}


def checkin_error(description: str) -> dict:
    return error_response(description)


def checkin_operation() -> dict:
    reply = {
        "headers": CORS_HEADER,
        "content": {"application/json": {"schema": ref("ScanReply")}},
    }
    return {
        "post": {
            "operationId": "recordScan",
            "summary": "Record a badge scan at a door and answer it (scanner apps)",
            "security": [{"deviceToken": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": SCAN_REQUEST}},
            },
            "responses": {
                "200": {"description": "A nonce sent before: the first answer.", **reply},
                "201": {"description": "The scan is recorded; the door's answer.", **reply},
                "400": checkin_error("The body is not a scan; `error.field` names the field."),
                "401": checkin_error("No device token, an unknown one, or a revoked one."),
                "403": checkin_error("The device may not scan at this door."),
                "404": checkin_error("No door has this id."),
                "409": checkin_error("The nonce belongs to a scan at another door."),
                "429": checkin_error("Too many scans from this device; retry after a while."),
                "500": response("ServerError"),
            },
        }
    }


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
        CHECKIN_PATH: checkin_operation(),
    }


DESCRIPTION = """\
JSON API of the Fifth World Internet Conference (Wuzhen, 7-9 November 2018) and its
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
- One operation writes: `POST /checkin/scans`, for scanner apps at the doors, with a device
  token made in the dashboard (`Authorization: Bearer <token>`), scoped to its doors and
  revocable. It is nonce-idempotent and answers as the scanning page does.
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
            "schemas": component_schemas(),
            "parameters": parameters(query_limit),
            "responses": RESPONSES,
            "securitySchemes": {
                "deviceToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A scanner device's token, shown once when an organizer "
                    "makes it under Check-in > Scanner devices.",
                }
            },
        },
    }
