"""The resources declare each field once: the JSON answers and the document's schemas both
come from them, and the answers keep their exact bytes."""

from __future__ import annotations

import string

import pytest
from pydantic import ValidationError

from wuzhen_events.api import resources
from wuzhen_events.api.openapi import openapi_document


@pytest.fixture(scope="module")
def schemas() -> dict:
    return openapi_document(query_limit=200)["components"]["schemas"]


def test_the_document_schemas_are_the_resources(schemas):
    assert list(schemas) == [model.__name__ for model in resources.RESOURCES]
    for model in resources.RESOURCES:
        assert schemas[model.__name__]["required"] == list(model.model_fields)


def test_a_schema_is_closed_with_constraints_and_descriptions(schemas):
    assert schemas["Topic"] == {
        "type": "object",
        "additionalProperties": False,
        "required": ["slug", "name", "name_zh"],
        "properties": {
            "slug": {
                "type": "string",
                "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                "minLength": 1,
                "maxLength": 120,
            },
            "name": {"type": "string"},
            "name_zh": {"type": "string"},
        },
    }
    assert schemas["Session"]["description"] == (
        "A public session; cancelled sessions stay listed with status `cancelled`."
    )


def test_nullable_fields_are_written_as_openapi_31_reads_them(schemas):
    subforum = schemas["Subforum"]["properties"]

    assert schemas["Venue"]["properties"]["capacity"] == {
        "type": ["integer", "null"],
        "minimum": 1,
    }
    assert subforum["starts_at"] == {
        "type": ["string", "null"],
        "format": "date-time",
        "description": "start of its first public session in conference time, ISO 8601 with offset",
    }
    assert subforum["venue"] == {
        "anyOf": [{"$ref": "#/components/schemas/Venue"}, {"type": "null"}]
    }


def test_enums_are_written_as_their_values(schemas):
    assert schemas["Exhibitor"]["properties"]["sector"]["type"] == "string"
    assert schemas["Appearance"]["properties"]["role"] == {
        "type": "string",
        "enum": ["speaker", "moderator", "host"],
    }


def test_a_resource_refuses_a_field_it_does_not_declare():
    with pytest.raises(ValidationError, match="extra_forbidden"):
        resources.Topic(slug="ai", name="AI", name_zh="人工智能", colour="red")


def test_a_resource_refuses_to_leave_a_field_out():
    with pytest.raises(ValidationError, match="name_zh"):
        resources.Topic(slug="ai", name="AI")


def test_a_resource_refuses_a_value_its_schema_forbids():
    with pytest.raises(ValidationError, match="slug"):
        resources.Topic(slug="Not A Slug", name="AI", name_zh="")


# Recorded from the serializers as they were before the resources: the same bytes, Chinese
# escaped, keys sorted, nulls and dates written as then.
LAUNCH_PAGE = string.Template(
    '{"data":[{"day":"2018-11-08","description":"","description_zh":"","ends_at":"2018-11-08T'
    '11:30:00+08:00","ends_at_utc":"2018-11-08T03:30:00Z","exhibitor":{"api_url":"http://loca'
    'lhost/api/v1/exhibitors/nokia","booth":"B01","company":"Nokia","company_zh":"","hall":"2'
    '","id":$nokia,"slug":"nokia","url":"http://localhost/expo/nokia/"},"id":$launch,"product'
    '":"5G base station","product_zh":"","provenance":"sourced","source_note":"","source_note'
    '_zh":"","stage":"Launch Stage A","stage_zh":"","starts_at":"2018-11-08T11:00:00+08:00","'
    'starts_at_utc":"2018-11-08T03:00:00Z","updated_at":"2018-11-01T12:00:00+08:00","updated_'
    'at_utc":"2018-11-01T04:00:00Z","url":"http://localhost/expo/launches/?day=2018-11-08"}],'
    '"meta":{"page":2,"pages":2,"per_page":1,"total":2}}'
    "\n"
)
LAUNCH_PAGE_LINK = (
    '<http://localhost/api/v1/launches?page=1&per_page=1>; rel="first", <http://localhost/api'
    '/v1/launches?page=1&per_page=1>; rel="prev", <http://localhost/api/v1/launches?page=2&pe'
    'r_page=1>; rel="last"'
)
SESSION = string.Template(
    '{"data":{"abstract":"","abstract_zh":"","api_url":"http://localhost/api/v1/sessions/$ses'
    'sion","day":"2018-11-08","duration_minutes":95,"ends_at":"2018-11-08T10:05:00+08:00","en'
    'ds_at_utc":"2018-11-08T02:05:00Z","id":$session,"kind":"subforum_session","kind_label":"'
    'Subforum session","kind_label_zh":"\\u5206\\u8bba\\u575b\\u6d3b\\u52a8","provenance":"demo","'
    'sequence":0,"source_note":"Invented for the demo.","source_note_zh":"\\u4e3a\\u672c\\u6f14\\'
    'u793a\\u865a\\u6784\\u3002","speakers":[{"api_url":"http://localhost/api/v1/speakers/ada-li'
    '","id":$ada,"name":"Ada Li","name_zh":"","role":"speaker","role_label":"Speaker","role_l'
    'abel_zh":"\\u6f14\\u8bb2\\u5609\\u5bbe","slug":"ada-li","url":"http://localhost/speakers/ada'
    '-li/"},{"api_url":"http://localhost/api/v1/speakers/yang-rui","id":$yang,"name":"Yang Ru'
    'i","name_zh":"","role":"moderator","role_label":"Moderator","role_label_zh":"\\u5bf9\\u8bd'
    'd\\u4e3b\\u6301\\u4eba","slug":"yang-rui","url":"http://localhost/speakers/yang-rui/"}],"st'
    'arts_at":"2018-11-08T08:30:00+08:00","starts_at_utc":"2018-11-08T00:30:00Z","status":"sc'
    'heduled","subforum":{"api_url":"http://localhost/api/v1/subforums/ai-forum","id":$ai,"sl'
    'ug":"ai-forum","title":"AI Forum","title_zh":"\\u4eba\\u5de5\\u667a\\u80fd\\u8bba\\u575b","url'
    '":"http://localhost/subforums/ai-forum/"},"title":"AI keynotes","title_zh":"\\u4eba\\u5de5'
    '\\u667a\\u80fd\\u4e3b\\u65e8\\u6f14\\u8bb2","topics":[],"updated_at":"2018-11-01T12:00:00+08:0'
    '0","updated_at_utc":"2018-11-01T04:00:00Z","url":"http://localhost/sessions/$session/","'
    'venue":{"building":"WIICEC","building_zh":"","capacity":400,"hall":"Tong\'an Hall","hall_'
    'zh":"","id":$tongan,"provenance":"inferred","room_number":"217","slug":"wiicec-tongan-21'
    '7","source_note":"","source_note_zh":""}}}'
    "\n"
)


def test_a_list_page_keeps_its_exact_bytes_and_links(client, program):
    response = client.get("/api/v1/launches?per_page=1&page=2")

    assert response.get_data(as_text=True) == LAUNCH_PAGE.substitute(
        launch=program.launches["base-station"].id, nokia=program.exhibitors["nokia"].id
    )
    assert response.headers["Link"] == LAUNCH_PAGE_LINK


def test_a_session_keeps_its_exact_bytes(client, program):
    session = program.sessions["keynotes"]

    response = client.get(f"/api/v1/sessions/{session.id}")

    assert response.get_data(as_text=True) == SESSION.substitute(
        session=session.id,
        ada=program.speakers["ada"].id,
        yang=program.speakers["yang"].id,
        ai=program.subforums["ai"].id,
        tongan=program.venues["tongan"].id,
    )
