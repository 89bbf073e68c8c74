"""Exhibitor applications: the rules, the page at /register/exhibitor/ and the organizer CLI."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.factories import OPERATOR, count_rows, reload
from tests.helpers.apps import database_url, make_app
from wuzhen_events.expo.applications.services import (
    ApplicationDetails,
    ApplicationError,
    DuplicateApplication,
    apply_for_booth,
    approve_application,
    company_key,
    reject_application,
)
from wuzhen_events.expo.enums import ApplicationStatus, BoothSize, Sector
from wuzhen_events.expo.models import ExhibitorApplication
from wuzhen_events.extensions import db
from wuzhen_events.text import BIDI_CONTROLS

DECIDED = datetime(2018, 10, 20, 2, 0, tzinfo=UTC)
LAUNCH_MESSAGE = (
    "A product launch needs a product name, a description and a preferred day: "
    "fill in all three, or leave all three empty."
)
LAUNCH_MISSING = {
    "launch_product": "Please enter the product&#39;s name: a launch needs all three fields.",
    "launch_description": "Please describe the product: a launch needs all three fields.",
    "launch_day": "Please choose a launch day: a launch needs all three fields.",
}
DUPLICATE_MESSAGE = (
    "An application for this company from this e-mail address is already waiting for review."
)


@pytest.fixture
def conference(app):
    return factories.make_conference()


def details(**overrides) -> ApplicationDetails:
    fields = {
        "company": "Cloud Rise Technologies",
        "company_zh": "云起科技",
        "sector": Sector.CLOUD_BIG_DATA,
        "country": "CN",
        "contact_name": "Zhang Min",
        "contact_email": "zhang.min@example.com",
        "contact_phone": "+86 (571) 8888-0000",
        "website": "https://cloudrise.example.com",
        "requested_hall": "3",
        "booth_size": BoothSize.SQM_36,
        "launch_product": "RiseDB 2.0",
        "launch_description": "A distributed database.",
        "launch_day": date(2018, 11, 8),
    }
    fields.update(overrides)
    return ApplicationDetails(**fields)


def stored(application: ExhibitorApplication) -> tuple:
    application = reload(application)
    return (
        application.company,
        application.company_zh,
        application.sector,
        application.country,
        application.contact_name,
        application.contact_email,
        application.contact_phone,
        application.website,
        application.requested_hall,
        application.booth_size,
        application.launch_product,
        application.launch_description,
        application.launch_day,
        application.status,
        application.decided_at,
        application.decision_note,
    )


# --- applying ----------------------------------------------------------------------------------


def test_apply_for_booth_stores_an_applied_application(conference):
    application = apply_for_booth(conference, details(), actor=OPERATOR)

    assert stored(application) == (
        "Cloud Rise Technologies",
        "云起科技",
        Sector.CLOUD_BIG_DATA,
        "CN",
        "Zhang Min",
        "zhang.min@example.com",
        "+86 (571) 8888-0000",
        "https://cloudrise.example.com",
        "3",
        BoothSize.SQM_36,
        "RiseDB 2.0",
        "A distributed database.",
        date(2018, 11, 8),
        ApplicationStatus.APPLIED,
        None,
        "",
    )
    assert application.reference == f"EXH-{application.id:05d}"
    assert application.conference_id == conference.id
    assert count_rows(ExhibitorApplication) == 1


def test_apply_for_booth_tidies_blanks_case_and_optional_fields(conference):
    application = apply_for_booth(
        conference,
        details(
            company="  Cloud Rise  ",
            company_zh="",
            country="cn",
            contact_email="  Zhang.Min@Example.COM ",
            contact_phone="",
            website="",
            requested_hall=None,
            launch_product="",
            launch_description="",
            launch_day=None,
        ),
        actor=OPERATOR,
    )

    application = reload(application)
    assert (
        application.company,
        application.country,
        application.contact_email,
        application.requested_hall,
        application.proposes_launch,
    ) == ("Cloud Rise", "CN", "zhang.min@example.com", None, False)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"company": "  "}, "company", "A company name of 1 to 200 characters is required."),
        ({"company": "c" * 201}, "company", "A company name of 1 to 200 characters is required."),
        (
            {"company_zh": "中" * 201},
            "company_zh",
            "The company (Chinese) is longer than 200 characters.",
        ),
        (
            {"contact_name": ""},
            "contact_name",
            "A contact name of 1 to 120 characters is required.",
        ),
        (
            {"company": "Cloud\x00Rise"},
            "company",
            "The company contains a control character (U+0000), which cannot be stored.",
        ),
        (
            {"launch_description": "bell\x07"},
            "launch_description",
            "The launch description contains a control character (U+0007), which cannot be stored.",
        ),
        ({"sector": "fintech"}, "sector", "Choose a sector from the list."),
        ({"country": "中国"}, "country", "The country must be a two-letter ISO code."),
        ({"country": "CHN"}, "country", "The country must be a two-letter ISO code."),
        (
            {"contact_email": "zhang"},
            "contact_email",
            "A valid contact e-mail address is required.",
        ),
        (
            {"contact_email": "z" * 250 + "@example.com"},
            "contact_email",
            "A valid contact e-mail address is required.",
        ),
        (
            {"contact_phone": "call me"},
            "contact_phone",
            "A phone number may contain only digits, spaces and + - ( ).",
        ),
        (
            {"contact_phone": "+1" + "0" * 39},
            "contact_phone",
            "The contact phone is longer than 40 characters.",
        ),
        (
            {"website": "javascript:alert(1)"},
            "website",
            "The website must be an address starting with http:// or https://.",
        ),
        (
            {"website": "ftp://cloudrise.example.com"},
            "website",
            "The website must be an address starting with http:// or https://.",
        ),
        (
            {"website": "https://example.com/" + "p" * 281},
            "website",
            "The website is longer than 300 characters.",
        ),
        ({"requested_hall": "7"}, "requested_hall", "Choose hall 1 to 6, or no preference."),
        ({"booth_size": "18"}, "booth_size", "Choose a booth size from the list."),
        ({"launch_description": ""}, "launch_description", LAUNCH_MESSAGE),
        ({"launch_product": "", "launch_day": None}, "launch_product", LAUNCH_MESSAGE),
        ({"launch_day": None}, "launch_day", LAUNCH_MESSAGE),
        (
            {"launch_day": date(2018, 11, 11)},
            "launch_day",
            "The preferred launch day must be a day the Expo is open.",
        ),
        (
            {"launch_description": "d" * 2001},
            "launch_description",
            "The launch description is longer than 2000 characters.",
        ),
    ],
    ids=[
        "blank-company",
        "long-company",
        "long-company-zh",
        "no-contact",
        "nul",
        "bell",
        "sector-not-enum",
        "country-script",
        "country-three-letters",
        "bad-email",
        "long-email",
        "phone-letters",
        "long-phone",
        "javascript-website",
        "ftp-website",
        "long-website",
        "hall-7",
        "booth-not-enum",
        "launch-no-description",
        "launch-description-only",
        "launch-no-day",
        "launch-after-expo",
        "long-description",
    ],
)
def test_apply_for_booth_refuses_bad_details_and_writes_nothing(
    conference, overrides, field, message
):
    with pytest.raises(ApplicationError) as refusal:
        apply_for_booth(conference, details(**overrides), actor=OPERATOR)

    assert (refusal.value.field, refusal.value.message) == (field, message)
    assert count_rows(ExhibitorApplication) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"company": "Cloud\nRise"},
            "company",
            "The company contains a line break (U+000A), which cannot be stored.",
        ),
        (
            {"contact_name": "Zhang\r\nMin"},
            "contact_name",
            "The contact name contains a line break (U+000D), which cannot be stored.",
        ),
        (
            {"company_zh": "云起\u2028科技"},
            "company_zh",
            "The company (Chinese) contains a line break (U+2028), which cannot be stored.",
        ),
        (
            {"launch_product": "Rise\tDB"},
            "launch_product",
            "The launch product contains a control character (U+0009), which cannot be stored.",
        ),
        (
            {"launch_description": "A database.\u202e"},
            "launch_description",
            "The launch description contains a control character (U+202E), which cannot be stored.",
        ),
    ],
    ids=["lf", "crlf", "line-separator", "tab", "bidi-override"],
)
def test_apply_for_booth_refuses_a_line_break_in_a_one_line_field_whoever_calls(
    conference, overrides, field, message
):
    with pytest.raises(ApplicationError) as refusal:
        apply_for_booth(conference, details(**overrides), actor=OPERATOR)

    assert (refusal.value.field, refusal.value.message) == (field, message)
    assert count_rows(ExhibitorApplication) == 0


def test_a_launch_description_keeps_its_paragraphs_as_line_feeds(conference):
    application = apply_for_booth(
        conference, details(launch_description="First.\r\n\r\nSecond.\rThird."), actor=OPERATOR
    )

    assert reload(application).launch_description == "First.\n\nSecond.\nThird."


def test_a_second_pending_application_for_the_same_contact_and_company_is_refused(conference):
    apply_for_booth(conference, details(), actor=OPERATOR)

    with pytest.raises(DuplicateApplication) as refusal:
        apply_for_booth(
            conference,
            details(company="CLOUD  rise technologies", contact_email="Zhang.Min@example.com"),
            actor=OPERATOR,
        )

    assert (refusal.value.field, refusal.value.message) == ("company", DUPLICATE_MESSAGE)
    assert count_rows(ExhibitorApplication) == 1


def test_another_company_or_another_contact_may_apply(conference):
    apply_for_booth(conference, details(), actor=OPERATOR)
    apply_for_booth(conference, details(company="Cloud Rise Robotics"), actor=OPERATOR)
    apply_for_booth(conference, details(contact_email="li.na@example.com"), actor=OPERATOR)

    assert count_rows(ExhibitorApplication) == 3


def test_a_decided_application_no_longer_blocks_a_new_one(conference):
    rejected = apply_for_booth(conference, details(), actor=OPERATOR)
    reject_application(rejected, "Please choose a smaller booth.", actor=OPERATOR)

    again = apply_for_booth(conference, details(booth_size=BoothSize.SQM_18), actor=OPERATOR)

    assert reload(again).status is ApplicationStatus.APPLIED
    assert count_rows(ExhibitorApplication) == 2


def test_the_database_itself_refuses_two_pending_applications_with_one_key(conference):
    """The partial unique index decides when two requests pass the check at the same time."""

    def row(status):
        return ExhibitorApplication(
            conference_id=conference.id,
            company="Cloud Rise",
            company_key=company_key("Cloud Rise"),
            sector=Sector.FINTECH,
            country="CN",
            contact_name="Zhang Min",
            contact_email="zhang.min@example.com",
            booth_size=BoothSize.SQM_9,
            status=status,
        )

    db.session.add_all([row(ApplicationStatus.APPLIED), row(ApplicationStatus.REJECTED)])
    db.session.commit()
    db.session.add(row(ApplicationStatus.APPLIED))

    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert count_rows(ExhibitorApplication) == 2


def test_company_key_ignores_case_and_blanks_only():
    assert company_key("  Cloud   RISE ") == company_key("cloud rise")
    assert company_key("Cloud Rise") != company_key("Cloud Rise Ltd")


# --- deciding ----------------------------------------------------------------------------------


def test_approve_application_records_the_decision(app, conference):
    app.config["FROZEN_NOW"] = DECIDED
    application = apply_for_booth(conference, details(), actor=OPERATOR)

    approve_application(application, actor=OPERATOR)

    application = reload(application)
    assert (application.status, application.decided_at, application.decision_note) == (
        ApplicationStatus.APPROVED,
        DECIDED,
        "",
    )


def test_reject_application_keeps_the_reason(app, conference):
    app.config["FROZEN_NOW"] = DECIDED
    application = apply_for_booth(conference, details(), actor=OPERATOR)

    reject_application(application, "  Hall 3 is full.  ", actor=OPERATOR)

    application = reload(application)
    assert (application.status, application.decided_at, application.decision_note) == (
        ApplicationStatus.REJECTED,
        DECIDED,
        "Hall 3 is full.",
    )


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            approve_application,
            approve_application,
            "has already been approved; only an application waiting for review can be approved.",
        ),
        (
            approve_application,
            reject_application,
            "has already been approved; only an application waiting for review can be rejected.",
        ),
        (
            reject_application,
            approve_application,
            "has already been rejected; only an application waiting for review can be approved.",
        ),
        (
            reject_application,
            reject_application,
            "has already been rejected; only an application waiting for review can be rejected.",
        ),
    ],
    ids=["approve-twice", "reject-approved", "approve-rejected", "reject-twice"],
)
def test_only_an_applied_application_can_be_decided(app, conference, first, second, message):
    app.config["FROZEN_NOW"] = DECIDED
    application = apply_for_booth(conference, details(), actor=OPERATOR)
    first(application, actor=OPERATOR)
    before = stored(application)
    app.config["FROZEN_NOW"] = datetime(2018, 10, 21, tzinfo=UTC)

    with pytest.raises(ApplicationError) as refusal:
        second(application, actor=OPERATOR)

    assert refusal.value.message == f"Application {application.id} {message}"
    assert stored(application) == before


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("r" * 501, "The reason is longer than 500 characters."),
        ("bad\x00reason", "The reason contains characters that cannot be stored."),
    ],
    ids=["long", "nul"],
)
def test_a_bad_reason_is_refused_and_the_application_stays_applied(conference, reason, message):
    application = apply_for_booth(conference, details(), actor=OPERATOR)

    with pytest.raises(ApplicationError) as refusal:
        reject_application(application, reason, actor=OPERATOR)

    assert refusal.value.message == message
    assert reload(application).status is ApplicationStatus.APPLIED


# --- the page ----------------------------------------------------------------------------------


def form_data(**overrides) -> dict[str, str]:
    data = {
        "company": "Cloud Rise Technologies",
        "company_zh": "云起科技",
        "sector": "cloud-big-data",
        "country": "CN",
        "contact_name": "Zhang Min",
        "contact_email": "zhang.min@example.com",
        "contact_phone": "+86 571 8888 0000",
        "website": "https://cloudrise.example.com",
        "requested_hall": "3",
        "booth_size": "36",
        "launch_product": "RiseDB 2.0",
        "launch_description": "A distributed database.",
        "launch_day": "2018-11-08",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def errors_of(html: str) -> dict[str, list[str]]:
    found = re.findall(r'<ul class="field-errors" id="([a-z_]+)-errors">(.*?)</ul>', html, re.S)
    return {field: re.findall(r"<li>(.*?)</li>", items) for field, items in found}


def options_of(html: str, field: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]* id="{field}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option[^>]*value="([^"]*)">([^<]*)</option>', select.group(1))


def test_the_form_shows_labelled_fields_and_its_choices(client, conference):
    response = client.get("/register/exhibitor/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.findall(r'<label for="([a-z_]+)">', html) == [
        "company",
        "company_zh",
        "sector",
        "country",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "requested_hall",
        "booth_size",
        "launch_product",
        "launch_description",
        "launch_day",
    ]
    assert options_of(html, "requested_hall") == [
        ("any", "No preference"),
        *((str(hall), f"Hall {hall}") for hall in range(1, 7)),
    ]
    assert options_of(html, "booth_size") == [
        ("", "Choose…"),
        ("9", "9 m²"),
        ("18", "18 m²"),
        ("36", "36 m²"),
        ("72", "72 m²"),
        ("custom", "Custom size (the organizers will contact you)"),
    ]
    assert options_of(html, "launch_day") == [
        ("", "No launch"),
        ("2018-11-06", "Tue 6 Nov"),
        ("2018-11-07", "Wed 7 Nov"),
        ("2018-11-08", "Thu 8 Nov"),
        ("2018-11-09", "Fri 9 Nov"),
        ("2018-11-10", "Sat 10 Nov"),
    ]
    assert options_of(html, "sector")[:2] == [
        ("", "Choose…"),
        ("artificial-intelligence", "Artificial intelligence"),
    ]
    assert ("CN", "China") in options_of(html, "country")


def test_the_expo_and_registration_pages_link_to_the_application(client, conference):
    link = 'href="/register/exhibitor/"'

    assert link in client.get("/expo/").get_data(as_text=True)
    assert link in client.get("/register/").get_data(as_text=True)


def test_without_a_conference_the_form_is_not_found(client):
    assert client.get("/register/exhibitor/").status_code == 404


def test_applying_shows_the_reference_and_status_on_the_thank_you_page(client, conference):
    response = client.post("/register/exhibitor/", data=form_data())

    assert (response.status_code, response.headers["Location"]) == (
        303,
        "/register/exhibitor/thanks/",
    )
    application = db.session.scalar(sa.select(ExhibitorApplication))
    assert stored(application)[:14] == (
        "Cloud Rise Technologies",
        "云起科技",
        Sector.CLOUD_BIG_DATA,
        "CN",
        "Zhang Min",
        "zhang.min@example.com",
        "+86 571 8888 0000",
        "https://cloudrise.example.com",
        "3",
        BoothSize.SQM_36,
        "RiseDB 2.0",
        "A distributed database.",
        date(2018, 11, 8),
        ApplicationStatus.APPLIED,
    )
    page = client.get("/register/exhibitor/thanks/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<strong class="reference">EXH-{application.id:05d}</strong>' in html
    assert '<strong class="status status-applied">Applied</strong>' in html
    assert "The organizers will review it and write to zhang.min@example.com." in html
    assert "RiseDB 2.0 · Thu 8 Nov" in html
    assert (
        "<p>Please quote the reference number when you write to the organizers at "
        '<a href="mailto:organizers@wuzhen-events.example">organizers@wuzhen-events.example</a>.'
        "</p>"
    ) in html


def test_no_preference_and_no_launch_are_stored_as_nothing(client, conference):
    response = client.post(
        "/register/exhibitor/",
        data=form_data(
            requested_hall="any",
            launch_product="",
            launch_description="",
            launch_day="",
            company_zh="",
            contact_phone="",
            website="",
        ),
    )

    assert response.status_code == 303
    application = db.session.scalar(sa.select(ExhibitorApplication))
    assert (
        application.requested_hall,
        application.launch_product,
        application.launch_day,
        application.company_zh,
        application.website,
    ) == (None, "", None, "", "")


def test_the_thank_you_page_shows_a_script_company_as_text(client, conference):
    client.post("/register/exhibitor/", data=form_data(company="<script>alert(1)</script>"))

    html = client.get("/register/exhibitor/thanks/").get_data(as_text=True)

    assert '<dd class="company">&lt;script&gt;alert(1)&lt;/script&gt;' in html
    assert "<script>alert(1)</script>" not in html


def test_the_thank_you_page_without_an_application_sends_back_to_the_form(client, conference):
    response = client.get("/register/exhibitor/thanks/")

    assert (response.status_code, response.headers["Location"]) == (303, "/register/exhibitor/")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"company": ""}, "company", "Please enter the company's name in English."),
        ({"company": "   "}, "company", "Please enter the company's name in English."),
        ({"company": "c" * 201}, "company", "Please use at most 200 characters (this has 201)."),
        (
            {"company": "Cloud\x00Rise"},
            "company",
            "Please remove the invisible control character U+0000.",
        ),
        (
            {"company_zh": "云" * 201},
            "company_zh",
            "Please use at most 200 characters (this has 201).",
        ),
        ({"sector": ""}, "sector", "Please choose your company's sector."),
        ({"sector": "gambling"}, "sector", "Please choose a sector from the list."),
        ({"country": None}, "country", "Please choose your company's country or region."),
        ({"country": "XX"}, "country", "Please choose a country or region from the list."),
        ({"contact_name": ""}, "contact_name", "Please enter the name of a contact person."),
        (
            {"contact_name": "n" * 121},
            "contact_name",
            "Please use at most 120 characters (this has 121).",
        ),
        ({"contact_email": ""}, "contact_email", "Please enter the contact's e-mail address."),
        ({"contact_email": "zhang@"}, "contact_email", "Please enter a valid e-mail address."),
        (
            {"contact_phone": "0571-CALL-NOW"},
            "contact_phone",
            "Please use only digits, spaces and + - ( ) in the phone number.",
        ),
        (
            {"contact_phone": "1" * 41},
            "contact_phone",
            "Please use at most 40 characters (this has 41).",
        ),
        (
            {"website": "javascript:alert(1)"},
            "website",
            "Please enter a web address starting with http:// or https://.",
        ),
        (
            {"website": "www.cloudrise.example.com"},
            "website",
            "Please enter a web address starting with http:// or https://.",
        ),
        (
            {"website": "https://example.com/" + "p" * 281},
            "website",
            "Please use at most 300 characters (this has 301).",
        ),
        (
            {"requested_hall": "7"},
            "requested_hall",
            "Please choose a hall from the list, or no preference.",
        ),
        ({"booth_size": ""}, "booth_size", "Please choose a booth size."),
        ({"booth_size": "1000"}, "booth_size", "Please choose a booth size from the list."),
        (
            {"launch_product": "p" * 201},
            "launch_product",
            "Please use at most 200 characters (this has 201).",
        ),
        (
            {"launch_description": "d" * 2001},
            "launch_description",
            "Please use at most 2000 characters (this has 2001).",
        ),
        ({"launch_day": "2018-11-11"}, "launch_day", "Please choose a launch day from the list."),
    ],
    ids=[
        "no-company",
        "blank-company",
        "long-company",
        "nul-company",
        "long-company-zh",
        "no-sector",
        "unknown-sector",
        "no-country",
        "unknown-country",
        "no-contact",
        "long-contact",
        "no-email",
        "bad-email",
        "phone-letters",
        "long-phone",
        "javascript-website",
        "website-without-scheme",
        "long-website",
        "hall-7",
        "no-booth-size",
        "unknown-booth-size",
        "long-product",
        "long-description",
        "day-after-expo",
    ],
)
def test_bad_input_is_explained_beside_its_field_and_nothing_is_stored(
    client, conference, overrides, field, message
):
    response = client.post("/register/exhibitor/", data=form_data(**overrides))

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert errors_of(html) == {field: [message]}
    assert "Your application could not be sent yet." in html
    assert count_rows(ExhibitorApplication) == 0


def test_a_too_long_address_is_explained_both_ways(client, conference):
    response = client.post(
        "/register/exhibitor/", data=form_data(contact_email="z" * 243 + "@example.com")
    )

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {
        "contact_email": [
            "Please use at most 254 characters (this has 255).",
            "Please enter a valid e-mail address.",
        ]
    }
    assert count_rows(ExhibitorApplication) == 0


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"launch_product": "RiseDB"}, ["launch_description", "launch_day"]),
        ({"launch_description": "A database."}, ["launch_product", "launch_day"]),
        ({"launch_day": "2018-11-09"}, ["launch_product", "launch_description"]),
        ({"launch_product": "RiseDB", "launch_day": "2018-11-09"}, ["launch_description"]),
    ],
    ids=["product-only", "description-only", "day-only", "no-description"],
)
def test_launch_fields_go_together(client, conference, given, missing):
    empty = {"launch_product": "", "launch_description": "", "launch_day": ""}

    response = client.post("/register/exhibitor/", data=form_data(**{**empty, **given}))

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {
        field: [LAUNCH_MISSING[field]] for field in missing
    }
    assert count_rows(ExhibitorApplication) == 0


def test_the_form_keeps_what_was_typed_when_it_shows_an_error(client, conference):
    html = client.post(
        "/register/exhibitor/",
        data=form_data(contact_email="bad", company="<b>Cloud</b> Rise"),
    ).get_data(as_text=True)

    assert 'value="&lt;b&gt;Cloud&lt;/b&gt; Rise"' in html
    assert 'value="Zhang Min"' in html
    assert '<option selected value="36">36 m²</option>' in html
    assert '<option selected value="2018-11-08">Thu 8 Nov</option>' in html
    assert '">\r\nA distributed database.</textarea>' in html
    assert 'aria-invalid="true"' in html


def test_a_duplicate_application_is_refused_beside_the_company(client, conference):
    client.post("/register/exhibitor/", data=form_data())

    response = client.post(
        "/register/exhibitor/",
        data=form_data(company="cloud rise TECHNOLOGIES", contact_email="ZHANG.MIN@example.com"),
    )

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {"company": [DUPLICATE_MESSAGE]}
    assert count_rows(ExhibitorApplication) == 1


def test_a_post_without_csrf_token_is_refused(tmp_path):
    strict = make_app(database_url("exhibitor_csrf", tmp_path), WTF_CSRF_ENABLED=True)
    with strict.app_context():
        db.create_all()
        factories.make_conference()
        response = strict.test_client().post("/register/exhibitor/", data=form_data())
        rows = count_rows(ExhibitorApplication)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()

    assert (response.status_code, rows) == (400, 0)
    assert "The form has expired" in response.get_data(as_text=True)


ONE_LINE = "Please write this on one line, without line breaks."


@pytest.mark.parametrize(
    "field",
    [
        "company",
        "company_zh",
        "contact_name",
        "contact_email",
        "contact_phone",
        "website",
        "launch_product",
    ],
)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Cloud\r\nRise", ONE_LINE),
        ("Cloud\u2029Rise", ONE_LINE),
        ("Cloud\u202eRise", "Please remove the invisible control character U+202E."),
    ],
    ids=["crlf", "paragraph-separator", "bidi-override"],
)
def test_a_one_line_field_refuses_a_line_break_or_control_character(
    client, conference, field, value, message
):
    response = client.post("/register/exhibitor/", data=form_data(**{field: value}))

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {field: [message]}
    assert count_rows(ExhibitorApplication) == 0


def test_the_description_keeps_its_lines_but_refuses_a_bidi_override(client, conference):
    refused = client.post(
        "/register/exhibitor/", data=form_data(launch_description="Fast.\r\n\u202eSafe.")
    )
    saved = client.post(
        "/register/exhibitor/", data=form_data(launch_description="Fast.\r\n\tSafe.\r\n")
    )

    assert refused.status_code == 400
    assert errors_of(refused.get_data(as_text=True)) == {
        "launch_description": ["Please remove the invisible control character U+202E."]
    }
    assert saved.status_code == 303
    assert db.session.scalar(sa.select(ExhibitorApplication.launch_description)) == (
        "Fast.\n\tSafe."
    )


# --- hostile input -----------------------------------------------------------------------------

HOSTILE_SAMPLES = [
    "<script>alert(1)</script>",
    "\x00",
    "Cloud\x00Rise",
    "\x1b[31mred",
    "' OR 1=1 --",
    "\u202eesreveR",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 公司 🚀",
    "javascript:alert(1)",
    "https://example.com/<script>",
    "",
    "   ",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_SAMPLES),
    st.text(max_size=40),
    st.text(max_size=300),
    st.text(min_size=1, max_size=3).map(lambda chunk: chunk * 30_000),
)
CHOICES = {
    "sector": [sector.value for sector in Sector],
    "country": ["CN", "US", "DE", "cn"],
    "requested_hall": ["any", "1", "6", "0", "7"],
    "booth_size": [size.value for size in BoothSize],
    "launch_day": ["", "2018-11-06", "2018-11-10", "2018-11-05"],
}
TEXT_FIELDS = [
    "company",
    "company_zh",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "launch_product",
    "launch_description",
]


@st.composite
def hostile_forms(draw) -> tuple[dict[str, str], frozenset[str]]:
    """A good application with some fields replaced by hostile values or left out."""
    data = form_data()
    spoiled = draw(st.sets(st.sampled_from([*TEXT_FIELDS, *CHOICES]), max_size=3))
    for name in spoiled:
        choices = [st.sampled_from(CHOICES[name])] if name in CHOICES else []
        data[name] = draw(st.one_of(st.none(), *choices, hostile_text))
    return {name: value for name, value in data.items() if value is not None}, spoiled


# Text a person types: no control character, line or paragraph separator, bidi override or
# zero-width leftover (wuzhen_events/text.py refuses or removes those).
plain_text = st.text(
    alphabet=st.characters(
        exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        exclude_characters="".join(BIDI_CONTROLS) + "\u200b\u2060\ufeff",
    ),
    min_size=1,
    max_size=60,
).filter(lambda text: text.strip())


@st.composite
def valid_forms(draw):
    launching = draw(st.booleans())
    return {
        "company": draw(plain_text | st.sampled_from(["<script>alert(1)</script>", "中" * 200])),
        "company_zh": draw(st.one_of(st.just(""), plain_text)),
        "sector": draw(st.sampled_from(CHOICES["sector"])),
        "country": draw(st.sampled_from(["CN", "US", "DE", "JP"])),
        "contact_name": draw(plain_text),
        "contact_email": draw(
            st.from_regex(r"[a-z][a-z0-9]{0,9}(\.[a-z0-9]{1,9}){0,2}@example\.com", fullmatch=True)
        ),
        "contact_phone": draw(st.from_regex(r"\+?[0-9][0-9 ()\-]{0,30}", fullmatch=True)),
        "website": draw(st.sampled_from(["", "https://example.com", "http://例子.example/路径"])),
        "requested_hall": draw(st.sampled_from(["any", "1", "6"])),
        "booth_size": draw(st.sampled_from(CHOICES["booth_size"])),
        "launch_product": draw(plain_text) if launching else "",
        "launch_description": draw(plain_text) if launching else "",
        "launch_day": draw(st.sampled_from(["2018-11-06", "2018-11-10"])) if launching else "",
    }


def forget_applications() -> None:
    db.session.rollback()
    db.session.execute(sa.delete(ExhibitorApplication))
    db.session.commit()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=hostile_forms())
def test_hostile_posts_get_an_answer_and_write_all_or_nothing(client, conference, form):
    forget_applications()
    sent, spoiled = form

    response = client.post("/register/exhibitor/", data=sent)

    event(f"answered {response.status_code}")
    # A huge hostile value (up to 3 characters x 30,000, percent-encoded) may pass the body
    # limits (MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE): 413, and nothing is written either.
    assert response.status_code in ((303,) if not spoiled else (303, 400, 413))
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert count_rows(ExhibitorApplication) == (1 if response.status_code == 303 else 0)
    if response.status_code == 303:
        thanks = client.get("/register/exhibitor/thanks/")
        assert thanks.status_code == 200
        assert "<script>alert(1)</script>" not in thanks.get_data(as_text=True)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=valid_forms())
def test_any_valid_application_is_stored_exactly_once_as_typed(client, conference, data):
    forget_applications()

    response = client.post("/register/exhibitor/", data=data)

    assert response.status_code == 303, response.get_data(as_text=True)
    application = db.session.scalar(sa.select(ExhibitorApplication))
    assert count_rows(ExhibitorApplication) == 1
    assert (application.company, application.company_zh, application.contact_name) == (
        data["company"].strip(),
        data["company_zh"].strip(),
        data["contact_name"].strip(),
    )
    assert (application.launch_product, application.launch_description) == (
        data["launch_product"].strip(),
        data["launch_description"].strip(),
    )
    assert application.status is ApplicationStatus.APPLIED


# --- organizer CLI -----------------------------------------------------------------------------


def test_applications_lists_id_status_company_and_email(runner, conference):
    first = apply_for_booth(conference, details(), actor=OPERATOR)
    second = apply_for_booth(
        conference, details(company="Nokia", contact_email="expo@nokia.example"), actor=OPERATOR
    )
    reject_application(second, "Late.", actor=OPERATOR)

    result = runner.invoke(args=["expo", "applications"])

    assert result.exit_code == 0
    assert result.stdout == (
        f"{first.id}\tapplied\tCloud Rise Technologies\tzhang.min@example.com\n"
        f"{second.id}\trejected\tNokia\texpo@nokia.example\n"
    )


def test_applications_can_be_filtered_by_status(runner, conference):
    first = apply_for_booth(conference, details(), actor=OPERATOR)
    reject_application(
        apply_for_booth(conference, details(company="Nokia"), actor=OPERATOR), actor=OPERATOR
    )

    applied = runner.invoke(args=["expo", "applications", "--status", "applied"])
    approved = runner.invoke(args=["expo", "applications", "--status", "approved"])

    assert (
        applied.stdout == f"{first.id}\tapplied\tCloud Rise Technologies\tzhang.min@example.com\n"
    )
    assert approved.stdout == "No approved application.\n"


def test_applications_says_when_there_are_none(runner, conference):
    result = runner.invoke(args=["expo", "applications"])

    assert (result.exit_code, result.stdout) == (0, "No exhibitor application yet.\n")


def test_applications_cannot_be_forged_by_a_line_break_stored_earlier(runner, conference):
    """A row written before the services refused line breaks prints on one line."""
    application = apply_for_booth(conference, details(), actor=OPERATOR)
    db.session.execute(
        sa.update(ExhibitorApplication).values(
            company="Cloud Rise\n999\tapproved\tFake Co\tfake@example.com",
        )
    )
    db.session.commit()

    result = runner.invoke(args=["expo", "applications"])

    assert result.stdout == (
        f"{application.id}\tapplied\t"
        "Cloud Rise\\n999\\tapproved\\tFake Co\\tfake@example.com\tzhang.min@example.com\n"
    )


def test_approve_command_approves_and_says_so(runner, conference):
    application = apply_for_booth(conference, details(), actor=OPERATOR)

    result = runner.invoke(args=["expo", "approve", str(application.id)])

    assert (result.exit_code, result.stdout) == (
        0,
        f"Approved application {application.id} (Cloud Rise Technologies).\n",
    )
    assert reload(application).status is ApplicationStatus.APPROVED


def test_reject_command_keeps_the_reason(runner, conference):
    application = apply_for_booth(conference, details(), actor=OPERATOR)

    result = runner.invoke(
        args=["expo", "reject", str(application.id), "--reason", "Hall 3 is full."]
    )

    assert (result.exit_code, result.stdout) == (
        0,
        f"Rejected application {application.id} (Cloud Rise Technologies).\n",
    )
    application = reload(application)
    assert (application.status, application.decision_note) == (
        ApplicationStatus.REJECTED,
        "Hall 3 is full.",
    )


def test_deciding_twice_is_refused_with_the_reason(runner, conference):
    application = apply_for_booth(conference, details(), actor=OPERATOR)
    runner.invoke(args=["expo", "approve", str(application.id)])

    result = runner.invoke(args=["expo", "reject", str(application.id)])

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Application {application.id} has already been approved; "
        "only an application waiting for review can be rejected.\n"
    )
    assert reload(application).status is ApplicationStatus.APPROVED


@pytest.mark.parametrize("command", ["approve", "reject"])
def test_an_unknown_id_is_refused(runner, conference, command):
    result = runner.invoke(args=["expo", command, "4242"])

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: No exhibitor application has the ID 4242.\n",
    )


@pytest.mark.parametrize("application_id", ["0", "-1", "99999999999", "abc"])
def test_an_impossible_id_is_refused_before_any_query(runner, conference, application_id):
    result = runner.invoke(args=["expo", "approve", "--", application_id])

    assert result.exit_code == 2
    assert "Invalid value for 'ID'" in result.stderr


def test_an_application_past_the_rate_limit_answers_429_and_stores_nothing(
    empty_database_url, conference
):
    limited = make_app(
        empty_database_url, RATELIMIT_ENABLED=True, RATELIMIT_EXHIBITOR_APPLICATION="1 per hour"
    ).test_client()
    limited.post("/register/exhibitor/", data=form_data())

    refused = limited.post("/register/exhibitor/", data=form_data(company="Other Company"))

    assert refused.status_code == 429
    assert "<h1>429 Too many requests</h1>" in refused.get_data(as_text=True)
    assert count_rows(ExhibitorApplication) == 1


def test_a_contact_address_the_mail_server_cannot_deliver_to_is_refused(client, conference):
    response = client.post("/register/exhibitor/", data=form_data(contact_email="张敏@example.com"))

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True))["contact_email"] == [
        "Our mail server cannot deliver to addresses with letters other than a–z before the @. "
        "Please enter another address."
    ]
    assert count_rows(ExhibitorApplication) == 0
