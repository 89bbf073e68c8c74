"""The read-only JSON API under /api/v1/ and the frab schedule files, with CORS for both
(wuzhen_events.serving adds it)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, request
from werkzeug.datastructures import MultiDict
from werkzeug.utils import get_content_type

from wuzhen_events.api import params
from wuzhen_events.api import queries as api_queries
from wuzhen_events.api.errors import (
    ApiError,
    InvalidParameter,
    NotFound,
    Unauthorized,
    api_error_response,
)
from wuzhen_events.api.openapi import openapi_document
from wuzhen_events.api.resources import ScanReply
from wuzhen_events.api.schedule import Schedule, build_schedule, schedule_json, schedule_xml
from wuzhen_events.api.serializers import (
    conference_to_dict,
    exhibitor_to_dict,
    launch_to_dict,
    session_to_dict,
    speaker_to_dict,
    subforum_detail_to_dict,
    subforum_to_dict,
    venue_to_dict,
)
from wuzhen_events.audit.actors import Actor
from wuzhen_events.checkin import queries as checkin_queries
from wuzhen_events.checkin import services as checkin
from wuzhen_events.checkin.models import ScannerDevice
from wuzhen_events.checkin.payloads import BODY_LIMIT, SCAN_FIELDS, BadScan, scan_fields
from wuzhen_events.expo.forms import DirectoryFilterForm
from wuzhen_events.expo.queries import LaunchFilters, data_version, exhibitor_by_slug, expo_days
from wuzhen_events.extensions import csrf, limit_setting, limiter
from wuzhen_events.pagination import Page
from wuzhen_events.program.queries import (
    conference_or_404,
    program_days,
    session_by_id,
    speaker_by_slug,
    subforum_by_slug,
)
from wuzhen_events.serving import Exporter, Version, exported_by, serve
from wuzhen_events.urls import external_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")
schedule_bp = Blueprint("schedule", __name__)
# Nothing here changes state; a CSRF refusal would only hide the honest 405 for a POST.
csrf.exempt(bp)


@bp.errorhandler(ApiError)
def handle_api_error(error: ApiError):
    return api_error_response(error)


# What the API answers for a conference before one is published, in its own error shape.
NO_CONFERENCE = partial(NotFound, "No conference has been published yet.")


def page_link(number: int, per_page: int) -> str:
    """This address with its filters (in their order) and another page number."""
    args = [
        (key, value)
        for key, value in request.args.items(multi=True)
        if key not in ("page", "per_page")
    ]
    args += [("page", str(number)), ("per_page", str(per_page))]
    return f"{external_url(request.endpoint, **(request.view_args or {}))}?{urlencode(args)}"


def paginated(page: Page, serialize: Callable[[object], dict]) -> Response:
    """The page's rows with totals in the body and RFC 8288 links to its neighbours."""
    response = jsonify(
        {
            "data": [serialize(item) for item in page.items],
            "meta": {
                "total": page.total,
                "page": page.page,
                "per_page": page.per_page,
                "pages": page.pages,
            },
        }
    )
    per_page = page.per_page
    page = replace(page, url_for_page=lambda number: page_link(number, per_page))
    links = [
        ("first", page.url_for_page(1)),
        ("prev", page.previous_url),
        ("next", page.next_url),
        ("last", page.url_for_page(page.pages)),
    ]
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links if url)
    return response


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(query_limit=current_app.config["MAX_QUERY_LENGTH"]))


@bp.get("/conference")
def conference():
    found = conference_or_404(NO_CONFERENCE)
    days = program_days(found)
    return jsonify({"data": conference_to_dict(found, days=days, expo_days=expo_days(found))})


@bp.get("/venues")
def venues():
    paging = params.paging(request.args)
    return paginated(api_queries.venues_page(paging.page, paging.per_page), venue_to_dict)


@bp.get("/subforums")
def subforums():
    paging = params.paging(request.args)
    found = conference_or_404(NO_CONFERENCE)
    page = api_queries.subforums_page(found, paging.page, paging.per_page)
    return paginated(page, lambda subforum: subforum_to_dict(subforum, found.tzinfo))


@bp.get("/subforums/<slug:slug>")
def subforum_detail(slug: str):
    found = conference_or_404(NO_CONFERENCE)
    subforum = subforum_by_slug(slug)
    if subforum is None or subforum.conference_id != found.id:
        raise NotFound(f"No subforum has the slug {slug}.")
    return jsonify({"data": subforum_detail_to_dict(subforum, found.tzinfo)})


@bp.get("/sessions")
def sessions():
    paging = params.paging(request.args)
    found = conference_or_404(NO_CONFERENCE)
    filters = api_queries.SessionFilters(
        day=params.day(request.args, "day", program_days(found)),
        subforum=params.slug(request.args, "subforum"),
        topic=params.slug(request.args, "topic"),
        updated_since=params.instant(request.args, "updated_since"),
    )
    page = api_queries.sessions_page(found, filters, paging.page, paging.per_page)
    return paginated(page, lambda session: session_to_dict(session, found.tzinfo))


@bp.get("/sessions/<int(min=1, max=2147483647):session_id>")
def session_detail(session_id: int):
    found = conference_or_404(NO_CONFERENCE)
    session = session_by_id(session_id)
    if session is None or session.conference_id != found.id:
        raise NotFound(f"No public session has the id {session_id}.")
    return jsonify({"data": session_to_dict(session, found.tzinfo)})


@bp.get("/speakers")
def speakers():
    paging = params.paging(request.args)
    query = params.text(request.args, "q", limit=current_app.config["MAX_QUERY_LENGTH"])
    found = conference_or_404(NO_CONFERENCE)
    page = api_queries.speakers_page(query, paging.page, paging.per_page)
    return paginated(page, lambda speaker: speaker_to_dict(speaker, found.tzinfo))


@bp.get("/speakers/<slug:slug>")
def speaker_detail(slug: str):
    found = conference_or_404(NO_CONFERENCE)
    speaker = speaker_by_slug(slug)
    if speaker is None:
        raise NotFound(f"No speaker has the slug {slug}.")
    return jsonify({"data": speaker_to_dict(speaker, found.tzinfo)})


@bp.get("/exhibitors")
def exhibitors():
    """The Expo directory's search, sector and launch switch, checked by the directory's own
    form; hall and country are any value (the directory's lists offer only those in use)."""
    paging = params.paging(request.args)
    found = conference_or_404(NO_CONFERENCE)
    form = DirectoryFilterForm(filter_args(("q", "sector", "launches")), halls=[], countries=[])
    refuse_invalid(form)
    filters = replace(
        form.filters(),
        hall=params.label(request.args, "hall", limit=params.HALL_LIMIT),
        country=params.country(request.args, "country"),
    )
    page = api_queries.exhibitors_page(found, filters, paging.page, paging.per_page)
    return paginated(page, lambda exhibitor: exhibitor_to_dict(exhibitor, found.tzinfo))


@bp.get("/exhibitors/<slug:slug>")
def exhibitor_detail(slug: str):
    found = conference_or_404(NO_CONFERENCE)
    exhibitor = exhibitor_by_slug(slug)
    if exhibitor is None or exhibitor.conference_id != found.id:
        raise NotFound(f"No exhibitor has the slug {slug}.")
    return jsonify({"data": exhibitor_to_dict(exhibitor, found.tzinfo)})


@bp.get("/launches")
def launches():
    paging = params.paging(request.args)
    found = conference_or_404(NO_CONFERENCE)
    filters = LaunchFilters(
        day=params.day(request.args, "day", expo_days(found)),
        stage=params.label(request.args, "stage", limit=params.STAGE_LIMIT),
    )
    page = api_queries.launches_page(found, filters, paging.page, paging.per_page)
    return paginated(page, lambda launch: launch_to_dict(launch, found.tzinfo))


def filter_args(names: tuple[str, ...]) -> MultiDict:
    """Just the named filters, each given at most once (the form would take the first silently)."""
    args = MultiDict()
    for name in names:
        value = params.single(request.args, name)
        if value is not None:
            args[name] = value
    return args


def refuse_invalid(form) -> None:
    if not form.validate():
        field = next(field for field in form if field.errors)
        raise InvalidParameter(field.name, str(field.errors[0]))


class ScheduleFile(Exporter):
    """schedule.json or schedule.xml, for conference apps; any web page may read it.

    The ETag is the hash of the bytes themselves, so a change the file does not show (a seat
    booked moves its subforum's updated_at) rebuilds the file but still answers 304.
    """

    cache_control = "public, no-cache"
    cors = True

    def __init__(self, kind: str, render: Callable[[Schedule], bytes], mimetype: str) -> None:
        self.identifier = f"schedule.{kind}"
        self.render = render
        self.content_type = get_content_type(mimetype, "utf-8")

    def version(self) -> Version:
        version = data_version()
        if version is None:
            abort(404)
        key = digest(self.identifier, external_url("site.home"), version.token)
        return Version(key=key, last_modified=version.last_modified)

    def build(self, version: Version) -> bytes:
        return build_schedule_file(self.render)

    def body_etag(self, body: bytes) -> str:
        return digest(body)[:32]

    def content_headers(self) -> tuple[tuple[str, str], ...]:
        return (("Content-Type", self.content_type),)


@schedule_bp.get("/schedule.json", endpoint="schedule_json")
@exported_by(ScheduleFile)
def schedule_json_file():
    return serve(ScheduleFile("json", schedule_json, "application/json"))


@schedule_bp.get("/schedule.xml", endpoint="schedule_xml")
@exported_by(ScheduleFile)
def schedule_xml_file():
    return serve(ScheduleFile("xml", schedule_xml, "application/xml"))


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\x00")
    return hasher.hexdigest()


def build_schedule_file(render: Callable[[Schedule], bytes]) -> bytes:
    conference = conference_or_404()
    schedule = build_schedule(
        conference,
        api_queries.schedule_sessions(conference),
        api_queries.schedule_launches(conference),
    )
    return render(schedule)


# --- check-in for scanner apps ----------------------------------------------------------------

# The API's scan names its door; the device is the token's, so it sends no name of its own.
API_SCAN_FIELDS = tuple(name for name in SCAN_FIELDS if name != "device")
DOOR_ID_MAX = 2147483647


def device_rate_key() -> str:
    """Scans are counted per device token (its fingerprint), not per address: many phones
    share the venue's one address."""
    token = _bearer_token()
    if token:
        return "device:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "address:" + (request.remote_addr or "")


@bp.post("/checkin/scans")
@limiter.limit(limit_setting("RATELIMIT_CHECKIN_DEVICE"), key_func=device_rate_key)
def checkin_scan():
    """A scanner app's scan: answered as the scanning page answers it, recorded once per nonce."""
    device = _scanning_device()
    if (request.content_length or 0) > BODY_LIMIT:
        raise ApiError(400, "bad_request", "The request body is too large for a scan.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "The body must be a JSON object describing the scan.")
    door_id = body.get("door")
    if isinstance(door_id, bool) or not isinstance(door_id, int) or not 1 <= door_id <= DOOR_ID_MAX:
        raise InvalidParameter("door", "Give the door as its id, a positive integer.")
    door = next((allowed for allowed in device.doors if allowed.id == door_id), None)
    if door is None:
        if checkin_queries.door_of_conference(device.conference_id, door_id) is None:
            raise NotFound("No door has this id.")
        raise ApiError(403, "forbidden", "This device may not scan at this door.", field="door")
    try:
        fields = scan_fields(
            {key: value for key, value in body.items() if key != "door"}, allowed=API_SCAN_FIELDS
        )
        result = checkin.record_scan(door, **fields, device=device, actor=Actor.device(device))
    except BadScan as refusal:
        raise InvalidParameter(refusal.field or "body", refusal.message) from None
    except checkin.CheckinError as refusal:
        if isinstance(refusal, checkin.NonceReused):
            raise ApiError(409, "conflict", refusal.message, field="nonce") from None
        raise InvalidParameter(refusal.field or "body", refusal.message) from None
    reply = ScanReply.model_validate(
        checkin_queries.scan_reply(result.scan, duplicate=result.duplicate)
    )
    return jsonify(reply.model_dump(mode="json")), 200 if result.duplicate else 201


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _scanning_device() -> ScannerDevice:
    token = _bearer_token()
    device = checkin.device_by_token(token) if token else None
    if device is None:
        raise Unauthorized("Send a device token made in the dashboard: Authorization: Bearer ...")
    if device.is_revoked:
        raise Unauthorized("This device token was revoked; ask an organizer for a new one.")
    return device
