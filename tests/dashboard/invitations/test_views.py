"""Invitations from the dashboard: one by one with its code shown once, or a CSV file checked
row by row, with a report that tells what was created and what was refused and why."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, make_conference
from tests.helpers.accounts import log_in, make_account
from tests.helpers.registration import details
from wuzhen_events import clock
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db
from wuzhen_events.registration import services, tokens
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Invitation

HEADER = "name,email,category\n"


@pytest.fixture
def conference(app):
    return make_conference()


@pytest.fixture
def organizer(app):
    return make_account(Role.ORGANIZER, name="Li Wei")


@pytest.fixture
def client(app, conference, organizer):
    client = app.test_client()
    log_in(client, organizer)
    return client


def invitations() -> list[Invitation]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Invitation).order_by(Invitation.id)))


def invitation_entries() -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.action == "create_invitation")
            .order_by(AuditEntry.id)
        )
    )


def upload(client, content: bytes | str, **data):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        "/dashboard/invitations/upload",
        data={"file": (io.BytesIO(content), "invitees.csv"), **data},
        content_type="multipart/form-data",
    )


def report_rows(response) -> list[list[str]]:
    url = re.search(
        r'href="data:text/csv;charset=utf-8,([^"]*)" download', response.get_data(as_text=True)
    )[1]
    text = unquote(url.replace("&amp;", "&"))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- one by one ---------------------------------------------------------------------------------


def test_one_invitation_is_created_and_its_code_shown_once(client, conference, organizer):
    response = client.post(
        "/dashboard/invitations/new",
        data={"email": "Envoy@Example.org", "category": "government", "expires_on": "2099-11-06"},
    )

    assert response.status_code == 200
    code = re.search(r'<code id="invitation-code">([^<]+)</code>', response.get_data(as_text=True))[
        1
    ]
    (invitation,) = invitations()
    assert (invitation.email, invitation.category, invitation.used_at) == (
        "envoy@example.org",
        DelegateCategory.GOVERNMENT,
        None,
    )
    # The end of 6 November 2099 in Wuzhen.
    assert invitation.expires_at == datetime(2099, 11, 6, 16, 0, tzinfo=UTC)
    assert invitation.code_hash == tokens.fingerprint(tokens.normalise_invitation_code(code))
    (entry,) = invitation_entries()
    assert (entry.actor_kind, entry.actor_id) == (ActorKind.ORGANIZER, str(organizer.id))
    assert code not in str(entry.after) and invitation.code_hash not in str(entry.after)
    listing = client.get("/dashboard/invitations/").get_data(as_text=True)
    assert "envoy@example.org" in listing and code not in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "category": "government"}, "Please give the e-mail address."),
        (
            {"email": "not-an-address", "category": "government"},
            "Please enter a valid e-mail address.",
        ),
        (
            {"email": "a@example.org", "category": "royalty"},
            "Please choose a category from the list.",
        ),
        (
            {"email": "a@example.org", "category": "government", "expires_on": "soon"},
            "Please give a date as YYYY-MM-DD.",
        ),
        (
            {"email": "a@example.org", "category": "government", "expires_on": "2001-01-01"},
            "An invitation must expire in the future.",
        ),
        (
            {"email": "<script>@example.org", "category": "government"},
            "Please enter a valid e-mail address.",
        ),
        ({"email": "x" * 300 + "@example.org", "category": "government"}, "at most 254 characters"),
    ],
)
def test_bad_input_creates_nothing(client, data, message):
    response = client.post("/dashboard/invitations/new", data=data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert invitations() == []
    assert invitation_entries() == []


def test_an_address_invited_or_registered_already_is_refused(client, conference):
    services.register_delegate(conference, details("ada@example.com"), subforums=[], actor=OPERATOR)
    first = client.post(
        "/dashboard/invitations/new", data={"email": "envoy@example.org", "category": "government"}
    )
    again = client.post(
        "/dashboard/invitations/new", data={"email": "envoy@example.org", "category": "government"}
    )
    registered = client.post(
        "/dashboard/invitations/new", data={"email": "ADA@example.com", "category": "media"}
    )

    assert (first.status_code, again.status_code, registered.status_code) == (200, 422, 422)
    assert "This e-mail address has an unused invitation already." in again.get_data(as_text=True)
    assert "A delegate has already registered with this e-mail address." in registered.get_data(
        as_text=True
    )
    assert [i.email for i in invitations()] == ["envoy@example.org"]


def test_an_expired_invitation_does_not_stop_a_new_one(client, conference):
    services.create_invitation(
        conference,
        email="envoy@example.org",
        category=DelegateCategory.GOVERNMENT,
        expires_at=clock.now() + timedelta(seconds=1),
        actor=OPERATOR,
    )
    db.session.execute(sa.update(Invitation).values(expires_at=clock.now() - timedelta(days=1)))
    db.session.commit()

    response = client.post(
        "/dashboard/invitations/new", data={"email": "envoy@example.org", "category": "government"}
    )

    assert response.status_code == 200
    assert len(invitations()) == 2


# --- a file -------------------------------------------------------------------------------------


def test_a_file_of_mixed_rows_creates_the_valid_ones_and_reports_every_row(
    client, conference, organizer
):
    services.register_delegate(conference, details("ada@example.com"), subforums=[], actor=OPERATOR)
    services.create_invitation(
        conference, email="old@example.org", category=DelegateCategory.MEDIA, actor=OPERATOR
    )
    content = (
        HEADER
        + "李明,li.ming@example.cn,government\n"
        + "Amina Diallo,amina@example.org,International organisation\n"
        + ",,\n"
        + "Bad Address,not-an-address,government\n"
        + "Unknown,unknown@example.org,royalty\n"
        + "Li Again,LI.MING@example.cn,media\n"
        + "\"=cmd|' /C calc'!A0\",formula@example.org,media\n"
        + "Registered,ada@example.com,media\n"
        + "Invited,old@example.org,media\n"
        + "王芳,wang.fang@example.cn,政府代表\n"
    )

    response = upload(client, content)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3 created, 6 refused, 1 empty rows skipped." in page
    assert [i.email for i in invitations()] == [
        "old@example.org",
        "li.ming@example.cn",
        "amina@example.org",
        "wang.fang@example.cn",
    ]
    assert [i.category for i in invitations()[1:]] == [
        DelegateCategory.GOVERNMENT,
        DelegateCategory.INTERNATIONAL_ORGANISATION,
        DelegateCategory.GOVERNMENT,
    ]
    assert [e.actor_id for e in invitation_entries()[1:]] == [str(organizer.id)] * 3
    rows = report_rows(response)
    assert rows[0] == [
        "Line",
        "Name",
        "E-mail address",
        "Category",
        "Result",
        "Invitation code",
        "Reason",
    ]
    results = [(row[0], row[4], row[6]) for row in rows[1:]]
    assert results == [
        ("2", "created", ""),
        ("3", "created", ""),
        ("5", "refused", "Please enter a valid e-mail address."),
        ("6", "refused", "Unknown category “royalty”."),
        ("7", "refused", "This address is on line 2 of the file already."),
        (
            "8",
            "refused",
            "The name begins with =, +, -, @ or a tab, as a spreadsheet formula does.",
        ),
        ("9", "refused", "A delegate has already registered with this e-mail address."),
        ("10", "refused", "This e-mail address has an unused invitation already."),
        ("11", "created", ""),
    ]
    # Each code in the report opens its own invitation; the formula comes back neutralised.
    created = [row for row in rows[1:] if row[4] == "created"]
    hashes = {i.email: i.code_hash for i in invitations()}
    for row in created:
        assert hashes[row[2]] == tokens.fingerprint(tokens.normalise_invitation_code(row[5]))
    assert rows[6][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][1] == "李明"


def test_chinese_headers_and_a_byte_order_mark_are_read(client):
    response = upload(client, "\ufeff姓名,电子邮件,类别\n周敏,zhou@example.cn,media\n")

    assert "1 created, 0 refused" in response.get_data(as_text=True)
    assert [i.email for i in invitations()] == ["zhou@example.cn"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "名字,邮箱\n".encode("gb18030") + "李明,li@example.cn\n".encode("gb18030"),
            "The file is not UTF-8 text.",
        ),
        ("李明,li@example.cn,media\n".encode("gb18030"), "The file is not UTF-8 text."),
        (b"", "The file is empty."),
        (
            b"name,email\nA,a@example.org\n",
            "The first line must name the columns: name, email, category.",
        ),
        (b"\x00\x01\x02PK", "The file is not a CSV text file."),
        (
            (HEADER + "A,a@example.org,media\n" * 5001).encode(),
            "The file has more than 5000 rows; please split it.",
        ),
    ],
    ids=["gb18030", "gb18030-no-header", "empty", "no-category-column", "binary", "too-many-rows"],
)
def test_a_file_that_cannot_be_read_creates_nothing(client, content, message):
    response = upload(client, content)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert invitations() == []


def test_a_file_too_big_is_refused_before_it_is_read(client):
    response = upload(client, HEADER + "A,a@example.org,media\n" * 60_000)

    assert response.status_code == 413
    assert invitations() == []


def test_no_file_is_a_clear_message(client):
    response = client.post(
        "/dashboard/invitations/upload", data={}, content_type="multipart/form-data"
    )

    assert response.status_code == 422
    assert "Please choose a CSV file." in response.get_data(as_text=True)


def test_a_past_expiry_refuses_the_file_before_any_row(client):
    response = upload(client, HEADER + "A,a@example.org,media\n", expires_on="2001-01-01")

    assert response.status_code == 422
    assert "An invitation must expire in the future." in response.get_data(as_text=True)
    assert invitations() == []


def test_uploading_the_same_file_twice_invites_each_address_once(client):
    content = HEADER + "A,a@example.org,media\nB,b@example.org,expert\n"

    first = upload(client, content)
    second = upload(client, content)

    assert "2 created, 0 refused" in first.get_data(as_text=True)
    assert "0 created, 2 refused" in second.get_data(as_text=True)
    assert len(invitations()) == 2


def test_the_list_pages_and_shows_who_used_each(client, conference, query_counter):
    for number in range(55):
        services.create_invitation(
            conference,
            email=f"p{number}@example.org",
            category=DelegateCategory.MEDIA,
            actor=OPERATOR,
        )
    _invitation, code = services.create_invitation(
        conference, email="envoy@example.org", category=DelegateCategory.GOVERNMENT, actor=OPERATOR
    )
    services.register_delegate(
        conference,
        details("envoy@example.org", category=DelegateCategory.GOVERNMENT, name="Envoy Person"),
        subforums=[],
        invitation_code=code,
        actor=OPERATOR,
    )

    with query_counter(db.engine) as log:
        first = client.get("/dashboard/invitations/")
    second = client.get("/dashboard/invitations/?page=2")
    bad = client.get("/dashboard/invitations/?page=x")

    assert "Envoy Person" in first.get_data(as_text=True)
    assert "1–50 of 56 invitations" in first.get_data(as_text=True)
    assert "51–56 of 56 invitations" in second.get_data(as_text=True)
    assert bad.status_code == 200
    assert len(log.statements) <= 6


def test_two_organizers_inviting_one_address_at_once_make_one_invitation(app, conference):
    from tests.helpers.threads import run_together
    from wuzhen_events.program.models import Conference

    conference_id = conference.id
    db.session.commit()

    def invite():
        services.create_invitation(
            db.session.get(Conference, conference_id),
            email="envoy@example.org",
            category=DelegateCategory.GOVERNMENT,
            actor=OPERATOR,
        )

    errors = run_together(app, [invite, invite, invite])

    assert [error.message for error in errors] == [
        "This e-mail address has an unused invitation already."
    ] * 2
    assert [i.email for i in invitations()] == ["envoy@example.org"]
