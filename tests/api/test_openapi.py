"""The OpenAPI document says exactly what the API answers: checked path by path against the
routes, answer by answer against the schemas, and by a schemathesis run over every operation."""

from __future__ import annotations

import re

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from wuzhen_events.api.openapi import openapi_document
from wuzhen_events.expo.enums import Sector

OPERATIONS = {
    "/openapi.json": [],
    "/conference": [],
    "/venues": ["page", "per_page"],
    "/subforums": ["page", "per_page"],
    "/subforums/{slug}": ["slug"],
    "/sessions": ["page", "per_page", "day", "subforum", "topic", "updated_since"],
    "/sessions/{id}": ["id"],
    "/speakers": ["page", "per_page", "q"],
    "/speakers/{slug}": ["slug"],
    "/exhibitors": ["page", "per_page", "q", "sector", "hall", "country", "launches"],
    "/exhibitors/{slug}": ["slug"],
    "/launches": ["page", "per_page", "day", "stage"],
}
# Every check schemathesis has for one request and its answer (the others follow resources
# across requests, which a read-only API has none of): a deviation of any kind fails, not only
# a 500. The data checks are the strict ones: a request the document allows must not answer
# 400, and one it forbids must not answer 200.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    positive_data_acceptance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
]
# The one operation that writes (scanner apps at the doors); tests/api/test_checkin.py.
CHECKIN_PATH = "/checkin/scans"
CONVERTER = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


@pytest.fixture(scope="module")
def document() -> dict:
    return openapi_document(query_limit=200)


def resolved_parameters(document: dict, path: str) -> list[dict]:
    prefix = "#/components/parameters/"
    return [
        document["components"]["parameters"][ref["$ref"].removeprefix(prefix)]
        for ref in document["paths"][path]["get"].get("parameters", [])
    ]


def validate(document: dict, schema: dict, instance) -> None:
    """Validate against a schema of the document, its $refs resolved inside the document."""
    jsonschema.Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=jsonschema.FormatChecker(),
    ).validate(instance)


def answer_schema(document: dict, path: str, status: str) -> dict:
    answer = document["paths"][path]["get"]["responses"][status]
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return answer["content"]["application/json"]["schema"]


# --- the document itself ---


def test_the_api_serves_its_document(client, document):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json == document
    assert (document["openapi"], document["servers"]) == ("3.1.0", [{"url": "/api/v1"}])


def test_every_route_is_documented_and_nothing_else(app, document):
    routes = {
        CONVERTER.sub(
            lambda m: "{id}" if m.group(1) == "session_id" else f"{{{m.group(1)}}}", rule.rule
        ).removeprefix("/api/v1")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }

    assert routes == set(document["paths"]) == {*OPERATIONS, CHECKIN_PATH}


@pytest.mark.parametrize(("path", "names"), OPERATIONS.items(), ids=list(OPERATIONS))
def test_every_operation_is_a_get_with_its_parameters(document, path, names):
    assert list(document["paths"][path]) == ["get"]
    assert [parameter["name"] for parameter in resolved_parameters(document, path)] == names


EMPTY = {"type": "string", "maxLength": 0}
SLUG = {
    "type": "string",
    "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "minLength": 1,
    "maxLength": 120,
}
NO_CONTROLS = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"


def test_parameter_constraints(document):
    parameters = document["components"]["parameters"]

    assert parameters["page"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100000,
        "default": 1,
    }
    assert parameters["per_page"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert parameters["slug"]["schema"] == SLUG
    assert parameters["sessionId"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2147483647,
    }
    assert parameters["exhibitorQuery"]["schema"] == {"type": "string", "maxLength": 200}


FILTERS = {
    "sessionDay": {"anyOf": [{"type": "string", "format": "date"}, EMPTY]},
    "launchDay": {"anyOf": [{"type": "string", "format": "date"}, EMPTY]},
    "subforum": {"anyOf": [SLUG, EMPTY]},
    "topic": {"anyOf": [SLUG, EMPTY]},
    "updatedSince": {"anyOf": [{"type": "string", "format": "date-time"}, EMPTY]},
    "country": {"anyOf": [{"type": "string", "pattern": "^[A-Z]{2}$"}, EMPTY]},
    "hall": {"type": "string", "maxLength": 20, "pattern": NO_CONTROLS},
    "stage": {"type": "string", "maxLength": 120, "pattern": NO_CONTROLS},
    "launching": {"type": "string", "enum": ["", "0", "1"]},
}


@pytest.mark.parametrize(("name", "schema"), FILTERS.items(), ids=list(FILTERS))
def test_every_filter_takes_an_empty_value_for_none(document, name, schema):
    assert document["components"]["parameters"][name]["schema"] == schema


def test_the_sector_filter_takes_every_sector_or_none(document):
    assert document["components"]["parameters"]["sector"]["schema"] == {
        "type": "string",
        "enum": ["", *(sector.value for sector in Sector)],
    }


@pytest.mark.parametrize("path", list(OPERATIONS), ids=list(OPERATIONS))
def test_every_operation_documents_its_error_answers(document, path):
    responses = document["paths"][path]["get"]["responses"]
    has_query = any(p["in"] == "query" for p in resolved_parameters(document, path))
    expected = {"200", "500"} | ({"400"} if has_query else set())
    if path not in ("/openapi.json", "/venues"):
        expected.add("404")

    assert set(responses) == expected


def test_lists_document_their_link_header(document):
    lists = [path for path, names in OPERATIONS.items() if "page" in names]

    for path in lists:
        headers = document["paths"][path]["get"]["responses"]["200"]["headers"]
        assert headers["Link"]["required"] is True
        assert headers["Access-Control-Allow-Origin"]["schema"] == {"type": "string", "const": "*"}


def test_every_object_is_closed_and_lists_every_field_as_required(document):
    def objects(schema):
        if isinstance(schema, dict):
            if schema.get("type") == "object" and "properties" in schema:
                yield schema
            for value in schema.values():
                yield from objects(value)
        elif isinstance(schema, list):
            for value in schema:
                yield from objects(value)

    # A request body lists its optional fields as optional: only answers are all required.
    answers = {
        path: {method: {k: v for k, v in spec.items() if k != "requestBody"}}
        for path, operations in document["paths"].items()
        for method, spec in operations.items()
    }
    found = list(objects(document["components"])) + list(objects(answers))

    assert len(found) > 20
    for schema in found:
        assert schema["additionalProperties"] is False
        assert schema["required"] == list(schema["properties"])


def test_the_schemas_are_valid_json_schema(document):
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


# --- real answers against the document ---


def demo_answers(client) -> list[tuple[str, str]]:
    """Every list page and every detail the demo conference has, as (document path, URL)."""
    answers = [("/conference", "/api/v1/conference")]
    for path in ("/venues", "/subforums", "/sessions", "/speakers", "/exhibitors", "/launches"):
        pages = client.get(f"/api/v1{path}?per_page=100").json["meta"]["pages"]
        answers += [(path, f"/api/v1{path}?per_page=100&page={n}") for n in range(1, pages + 1)]
    for path, key, collection in (
        ("/subforums/{slug}", "slug", "subforums"),
        ("/sessions/{id}", "id", "sessions"),
        ("/speakers/{slug}", "slug", "speakers"),
    ):
        rows = client.get(f"/api/v1/{collection}?per_page=100").json["data"]
        answers += [(path, f"/api/v1/{collection}/{row[key]}") for row in rows]
    exhibitors = client.get("/api/v1/exhibitors?per_page=100&launches=1").json["data"]
    answers += [("/exhibitors/{slug}", f"/api/v1/exhibitors/{row['slug']}") for row in exhibitors]
    return answers


def test_every_demo_answer_matches_the_document(demo_client, document):
    answers = demo_answers(demo_client)

    assert len(answers) > 48 + 19 + 60
    for path, url in answers:
        response = demo_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        validate(document, answer_schema(document, path, "200"), response.json)


@pytest.mark.parametrize(
    ("path", "status", "url"),
    [
        ("/sessions", "400", "/api/v1/sessions?day=tomorrow"),
        ("/sessions/{id}", "404", "/api/v1/sessions/2147483647"),
        ("/speakers/{slug}", "404", "/api/v1/speakers/nobody-at-all"),
        ("/exhibitors", "400", "/api/v1/exhibitors?country=zz"),
        ("/launches", "400", "/api/v1/launches?stage=%00"),
        ("/launches", "400", "/api/v1/launches?day=tomorrow"),
    ],
    ids=str,
)
def test_error_answers_match_the_document(demo_client, document, path, status, url):
    response = demo_client.get(url)

    assert str(response.status_code) == status
    validate(document, answer_schema(document, path, status), response.json)


def test_the_small_programs_answers_match_the_document(client, program, document):
    for path, url in [
        ("/sessions", "/api/v1/sessions"),
        ("/subforums", "/api/v1/subforums"),
        ("/exhibitors", "/api/v1/exhibitors"),
        ("/launches", "/api/v1/launches"),
        ("/venues", "/api/v1/venues"),
        ("/speakers", "/api/v1/speakers"),
        ("/conference", "/api/v1/conference"),
    ]:
        validate(document, answer_schema(document, path, "200"), client.get(url).json)


LISTS = ["/venues", "/subforums", "/sessions", "/speakers", "/exhibitors", "/launches"]


@pytest.mark.parametrize("path", LISTS, ids=LISTS)
def test_a_page_past_the_last_answers_what_the_document_says(client, program, document, path):
    response = client.get(f"/api/v1{path}?page=50")

    assert response.status_code == 200
    validate(document, answer_schema(document, path, "200"), response.json)
    assert response.json["data"] == []
    assert response.json["meta"]["page"] == 50
    assert document["components"]["parameters"]["page"]["description"] == (
        "Page number; a page past the last answers 200 with an empty `data` list and the "
        "usual meta (`meta.pages` is the last page), so paging until empty stops."
    )


# --- schemathesis ---


@pytest.fixture(scope="module")
def api_schema(demo_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)


@pytest.mark.parametrize("path", list(OPERATIONS), ids=list(OPERATIONS))
def test_schemathesis_finds_nothing_the_document_does_not_say(api_schema, path):
    """Valid and invalid requests to each operation (30 each, reproducible), under every check."""
    operation = api_schema[path]["GET"]
    strategy = operation.as_strategy(GenerationMode.POSITIVE)
    if OPERATIONS[path]:
        strategy = strategy | operation.as_strategy(GenerationMode.NEGATIVE)

    @given(case=strategy)
    @settings(
        max_examples=30 * (2 if OPERATIONS[path] else 1),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


@pytest.mark.parametrize("path", list(OPERATIONS), ids=list(OPERATIONS))
def test_schemathesis_edge_cases_find_nothing_the_document_does_not_say(api_schema, path):
    """schemathesis's coverage phase, as its command line runs it: each parameter at its edges
    (empty, shortest, longest, just outside), missing, or of the wrong type, and every other
    HTTP method; a fixed list, so every run sends the same requests. Every deviation is listed.

    (`schema.parametrize()`, which would run the phase for us, does not work under pytest 9.)
    """
    operation = api_schema[path]["GET"]
    cases = api_schema.iter_coverage_cases(
        operation,
        generation_modes=list(GenerationMode),
        generation_config=api_schema.config.generation_for(operation=operation, phase="coverage"),
    )
    deviations, sent = [], 0
    for case in cases:
        sent += 1
        try:
            case.call_and_validate(checks=CHECKS)
        except FailureGroup as found:
            titles = sorted({failure.title for failure in found.exceptions})
            deviations.append(f"{case.method} {path} {case.query}: {', '.join(titles)}")

    assert sent >= 9  # GET and the eight other methods, at least
    assert deviations == [], "\n".join(deviations)
