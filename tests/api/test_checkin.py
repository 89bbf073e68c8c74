"""POST /api/v1/checkin/scans for scanner apps: a device token scoped to its doors, revocable,
nonce-idempotent, answering as the scanning page does, and as the OpenAPI document says."""

from __future__ import annotations

import jsonschema
import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import OPERATOR, count_rows, fresh, reload
from tests.helpers.apps import make_app
from tests.helpers.checkin import (
    code_of,
    nonce,
    person,
)
from wuzhen_events.api.openapi import openapi_document
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.checkin import services
from wuzhen_events.checkin.models import Scan
from wuzhen_events.extensions import db

URL = "/api/v1/checkin/scans"


@pytest.fixture
def device(app, world):
    """A phone at the East Gate, and its token."""
    return services.create_device(
        fresh(world.conference),
        "East Gate phone",
        [fresh(world.entrance)],
        created_by=None,
        actor=OPERATOR,
    )


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def reply_schema(status: str) -> dict:
    document = openapi_document(query_limit=200)
    answer = document["paths"]["/checkin/scans"]["post"]["responses"][status]
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return {**answer["content"]["application/json"]["schema"], "components": document["components"]}


def test_a_scan_is_recorded_once_and_answered_as_the_document_says(client, world, device):
    _device, token = device
    delegate = person(world, "a@example.com", name="Ada Lovelace", name_zh="艾达")
    body = {"door": world.entrance.id, "code": f"WIC2018:{code_of(delegate)}", "nonce": nonce()}

    answers = [client.post(URL, json=body, headers=bearer(token)) for _ in range(5)]

    assert [a.status_code for a in answers] == [201, 200, 200, 200, 200]
    assert answers[0].json["answer"] == {
        "admitted": True,
        "reason": None,
        "message": "Admitted.",
        "delegate": {
            "name": "Ada Lovelace",
            "name_zh": "艾达",
            "organisation": "Demo Networks",
            "category": "Enterprise",
        },
        "seats": [],
    }
    assert [a.json["duplicate"] for a in answers] == [False, True, True, True, True]
    for answer in answers:
        jsonschema.Draft202012Validator(
            reply_schema(str(answer.status_code)), format_checker=jsonschema.FormatChecker()
        ).validate(answer.json)
    assert count_rows(Scan) == 1
    scan = db.session.scalar(sa.select(Scan))
    assert (scan.device_id, scan.device_label, scan.account_id) == (
        _device.id,
        "East Gate phone",
        None,
    )
    actors = db.session.scalars(
        sa.select(AuditEntry.actor_id).where(AuditEntry.action == "record_scan")
    ).all()
    assert {str(actor) for actor in actors} == {str(_device.id)}
    kinds = db.session.scalars(
        sa.select(AuditEntry.actor_kind).where(AuditEntry.action == "record_scan")
    ).all()
    assert {kind.value for kind in kinds} == {"device"}


def test_reasons_are_the_pages_reasons(client, world, device):
    _device, token = device
    cancelled = person(world, "c@example.com")
    from wuzhen_events.registration import services as registration

    registration.cancel_registration(fresh(cancelled), actor=OPERATOR)

    answer = client.post(
        URL,
        json={"door": world.entrance.id, "code": code_of(cancelled), "nonce": nonce()},
        headers=bearer(token),
    )

    assert answer.status_code == 201
    assert (answer.json["answer"]["admitted"], answer.json["answer"]["reason"]) == (
        False,
        "cancelled",
    )


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}, bearer("x" * 43)],
    ids=["none", "short", "basic", "unknown"],
)
def test_no_or_an_unknown_token_is_401(client, world, device, headers):
    delegate = person(world, "a@example.com")

    answer = client.post(
        URL,
        json={"door": world.entrance.id, "code": code_of(delegate), "nonce": nonce()},
        headers=headers,
    )

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json["error"]["code"] == "unauthorized"
    assert count_rows(Scan) == 0


def test_a_revoked_token_is_401(client, world, device):
    scanner, token = device
    services.revoke_device(fresh(scanner), actor=OPERATOR)
    delegate = person(world, "a@example.com")

    answer = client.post(
        URL,
        json={"door": world.entrance.id, "code": code_of(delegate), "nonce": nonce()},
        headers=bearer(token),
    )

    assert answer.status_code == 401
    assert answer.json["error"]["message"] == (
        "This device token was revoked; ask an organizer for a new one."
    )
    assert count_rows(Scan) == 0


def test_another_doors_scan_is_403_and_an_unknown_door_404(client, world, device):
    _device, token = device
    delegate = person(world, "a@example.com", world.subforum)
    body = {"code": code_of(delegate), "nonce": nonce()}

    other = client.post(URL, json={**body, "door": world.hall.id}, headers=bearer(token))
    unknown = client.post(URL, json={**body, "door": 999999}, headers=bearer(token))

    assert (other.status_code, unknown.status_code) == (403, 404)
    assert count_rows(Scan) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "A" * 43, "nonce": "n" * 20}, "door"),
        ({"door": "1", "code": "A" * 43, "nonce": "n" * 20}, "door"),
        ({"door": True, "code": "A" * 43, "nonce": "n" * 20}, "door"),
        ({"door": "DOOR", "nonce": "n" * 20}, "code"),
        ({"door": "DOOR", "code": "", "nonce": "n" * 20}, "code"),
        ({"door": "DOOR", "code": "x" * 10000, "nonce": "n" * 20}, None),  # the body's size
        ({"door": "DOOR", "code": "<script>alert(1)</script>", "nonce": "n" * 20}, "code"),
        ({"door": "DOOR", "code": "A" * 43, "nonce": "short"}, "nonce"),
        ({"door": "DOOR", "code": "A" * 43, "nonce": "n" * 20, "device": "mine"}, "device"),
        (
            {
                "door": "DOOR",
                "code": "A" * 43,
                "nonce": "n" * 20,
                "scanned_at": "2999-01-01T00:00Z",
            },
            "scanned_at",
        ),
    ],
    ids=[
        "no-door",
        "text-door",
        "bool-door",
        "no-code",
        "empty",
        "huge",
        "script",
        "nonce",
        "device",
        "future",
    ],
)
def test_bad_bodies_are_400_naming_the_field_and_record_nothing(client, world, device, body, field):
    _device, token = device
    body = {**body, "door": world.entrance.id} if body.get("door") == "DOOR" else body

    answer = client.post(URL, json=body, headers=bearer(token))

    assert answer.status_code == 400
    assert answer.json["error"]["field"] == field
    assert count_rows(Scan) == 0


def test_a_body_that_is_no_json_is_400(client, world, device):
    _device, token = device

    answer = client.post(
        URL, data="{not json", content_type="application/json", headers=bearer(token)
    )

    assert answer.status_code == 400
    assert answer.json["error"]["message"] == "The body must be a JSON object describing the scan."


def test_a_device_past_its_limit_gets_429_and_nothing_is_recorded(
    empty_database_url, world, device
):
    _device, token = device
    limited = make_app(
        empty_database_url, RATELIMIT_ENABLED=True, RATELIMIT_CHECKIN_DEVICE="2 per minute"
    ).test_client()
    delegate = person(world, "a@example.com")
    body = {"door": world.entrance.id, "code": code_of(delegate)}

    answers = [
        limited.post(URL, json={**body, "nonce": nonce()}, headers=bearer(token)) for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert count_rows(Scan) == 2


def test_schemathesis_finds_nothing_the_document_does_not_say(app, world, device):
    """Generated scans, valid and not, sent with a real token: never a 500, and every answer's
    status, type and body as documented. (Whether a valid-looking body is accepted depends on
    the data, a door id and a badge code, so the acceptance checks are not run here.)"""
    _device, token = device
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema["/checkin/scans"]["POST"]
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]

    @given(case=strategy)
    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.headers = {**(case.headers or {}), **bearer(token)}
        case.call_and_validate(checks=checks)

    check()
    assert reload(_device).revoked_at is None


def test_a_get_is_405_saying_post(client):
    answer = client.get(URL)

    assert answer.status_code == 405
    assert sorted(answer.headers["Allow"].split(", ")) == ["OPTIONS", "POST"]
    assert answer.json["error"]["message"] == "This address only answers POST requests."


def test_a_scan_runs_a_fixed_number_of_statements(client, world, device, query_counter):
    """The door's answer is built from the rows the scan loaded: nothing read twice, so a
    scan costs the same round trips at the first badge and at the thousandth."""
    _device, token = device
    first, second = person(world, "a@example.com"), person(world, "b@example.com")
    entry = {"door": world.entrance.id, "code": code_of(first), "nonce": nonce()}
    client.post(
        URL, json={**entry, "code": code_of(second), "nonce": nonce()}, headers=bearer(token)
    )
    db.session.remove()

    counts = {}
    for kind, body in [
        ("first entry", entry),
        ("retry", entry),
        ("second scan", {**entry, "nonce": nonce()}),
        ("unknown code", {**entry, "code": "U" * 43, "nonce": nonce()}),
    ]:
        with query_counter(db.engine) as log:
            answer = client.post(URL, json=body, headers=bearer(token))
        assert answer.status_code in (200, 201)
        counts[kind] = log.count

    # First entry: the device with its doors, the nonce, the door with its conference, the
    # delegate under its lock, "inside already", the check-in UPDATE, the scan, two audit
    # entries; the reply: seats today, the door's counts. A second scan has no UPDATE and one
    # audit entry but looks up the first entry; a retry answers from the first scan's rows.
    assert counts == {"first entry": 11, "retry": 8, "second scan": 10, "unknown code": 8}
