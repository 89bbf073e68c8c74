"""The program area of the dashboard: lists, edit pages, conflicts as the organizer reads them,
a host's limits, and telling delegates of a moved or cancelled session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.factories import (
    OPENING,
    OPERATOR,
    count_rows,
    make_conference,
    make_session,
    make_speaker,
    make_subforum,
    make_venue,
    reload,
)
from tests.helpers.accounts import log_in, make_account
from tests.helpers.queries import count_queries
from tests.helpers.registration import register
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program import services as program
from wuzhen_events.program.enums import SessionStatus, SpeakerRole
from wuzhen_events.program.models import ProgramSession, Subforum, Venue
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.models import SeatBooking


@dataclass
class Desk:
    conference: object
    fintech: Subforum
    economy: Subforum
    hall: Venue
    session: ProgramSession  # Fintech's, in the hall, 7 Nov 10:30-11:30 Wuzhen time
    other: ProgramSession  # Economy's, at 14:30
    organizer: object
    host: object  # Fintech's host


@pytest.fixture
def desk(app) -> Desk:
    conference = make_conference()
    hall = make_venue(building="WIICEC", hall="Hall 1", hall_zh="1号厅")
    fintech = make_subforum(conference, title="Fintech", title_zh="金融科技", venue=hall)
    economy = make_subforum(conference, title="Digital Economy")
    session = make_session(
        conference, subforum=fintech, venue=hall, title="Fintech opening", title_zh="金融科技开幕"
    )
    other = make_session(
        conference, subforum=economy, title="Economy panel", starts_at=OPENING + timedelta(hours=4)
    )
    organizer = make_account(Role.ORGANIZER, name="Li Wei")
    host = make_account(Role.SUBFORUM_HOST, subforums=[fintech])
    return Desk(conference, fintech, economy, hall, session, other, organizer, host)


def signed_in(app, account):
    client = app.test_client()
    log_in(client, account)
    return client


def session_form(session: ProgramSession, **overrides) -> dict:
    """What the edit form posts back unchanged, Wuzhen time."""
    data = {
        "title": session.title,
        "title_zh": session.title_zh,
        "kind": session.kind.value,
        "starts_at": (session.starts_at + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (session.ends_at + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "subforum": str(session.subforum_id or 0),
        "venue": str(session.venue_id or 0),
        "speakers": [str(role.speaker_id) for role in session.speaker_roles],
        "abstract": session.abstract,
        "abstract_zh": session.abstract_zh,
        "is_public": "y" if session.is_public else "",
    }
    data.update(overrides)
    return data


def page_text(response) -> str:
    return response.get_data(as_text=True)


# --- lists ---------------------------------------------------------------------------------


def test_the_session_list_shows_every_session_with_links_to_edit(app, desk):
    response = signed_in(app, desk.organizer).get("/dashboard/program/")

    html = page_text(response)
    assert response.status_code == 200
    assert (html.count("Fintech opening"), html.count("Economy panel")) == (1, 1)
    assert f'href="/dashboard/program/sessions/{desk.session.id}/"' in html


def test_a_viewer_reads_the_lists_without_edit_links(app, desk):
    viewer = make_account(Role.VIEWER)

    response = signed_in(app, viewer).get("/dashboard/program/")

    assert response.status_code == 200
    assert "/dashboard/program/sessions/" not in page_text(response)


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/program/",
        "/dashboard/program/subforums/",
        "/dashboard/program/venues/",
        "/dashboard/program/speakers/",
    ],
    ids=["sessions", "subforums", "venues", "speakers"],
)
def test_list_pages_run_the_same_queries_for_2_rows_or_20(app, desk, path):
    client = signed_in(app, desk.organizer)

    def measured():
        client.get(path)  # what a first request loads once (the account, the catalogue)
        db.session.expire_all()
        with count_queries(db.engine) as log:
            response = client.get(path)
        assert response.status_code == 200
        return log.count

    def add_rows(count: int, day: int):
        for number in range(count):
            speaker = make_speaker()
            venue = make_venue()
            subforum = make_subforum(desk.conference, venue=venue)
            make_session(
                desk.conference,
                subforum=subforum,
                venue=venue,
                speakers=[(speaker, SpeakerRole.SPEAKER)],
                starts_at=OPENING + timedelta(days=day, minutes=number),
            )

    add_rows(1, 1)
    few = measured()
    add_rows(18, 2)
    many = measured()

    assert many == few


def test_a_long_list_comes_a_page_at_a_time_and_its_search_is_kept_across_pages(app, desk):
    for number in range(1, 206):
        make_session(
            desk.conference,
            title=f"Talk {number:03d}",
            title_zh=f"报告{number:03d}",
            starts_at=OPENING + timedelta(days=1, minutes=number),
        )
    client = signed_in(app, desk.organizer)

    first = page_text(client.get("/dashboard/program/"))
    third = page_text(client.get("/dashboard/program/?page=3"))
    searched = page_text(client.get("/dashboard/program/?q=%E6%8A%A5%E5%91%8A&page=2"))
    nothing = page_text(client.get("/dashboard/program/?q=%3Cscript%3E"))

    assert "Entries 1–100 of 207" in first
    assert (first.count("Talk "), "Talk 098" in first, "Talk 099" in first) == (98, True, False)
    assert "Entries 201–207 of 207" in third
    assert third.count("Talk ") == 7
    assert "Entries 101–200 of 205" in searched
    assert 'href="/dashboard/program/?q=%E6%8A%A5%E5%91%8A&amp;page=3"' in searched
    assert "Fintech opening" not in searched
    assert "Nothing matches “&lt;script&gt;”." in nothing


# --- a subforum host ---------------------------------------------------------------------


def test_a_host_lists_and_edits_only_their_subforums_sessions(app, desk):
    client = signed_in(app, desk.host)

    listing = page_text(client.get("/dashboard/program/"))
    other = client.get(f"/dashboard/program/sessions/{desk.other.id}/")
    moved = client.post(
        f"/dashboard/program/sessions/{desk.session.id}/",
        data=session_form(desk.session, title="Fintech opening (moved)"),
    )

    assert ("Fintech opening" in listing, "Economy panel" in listing) == (True, False)
    assert other.status_code == 404
    assert moved.status_code == 303
    assert reload(desk.session).title == "Fintech opening (moved)"


def test_a_host_cannot_move_a_session_into_another_subforum(app, desk):
    response = signed_in(app, desk.host).post(
        f"/dashboard/program/sessions/{desk.session.id}/",
        data=session_form(desk.session, subforum=str(desk.economy.id)),
    )

    assert response.status_code == 422
    assert "Choose a subforum from the list." in page_text(response)
    assert reload(desk.session).subforum_id == desk.fintech.id


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/dashboard/program/venues/"),
        ("get", "/dashboard/program/speakers/"),
        ("get", "/dashboard/program/subforums/{fintech}/"),
        ("post", "/dashboard/program/subforums/{fintech}/delete"),
        ("get", "/dashboard/program/sessions/{session}/notify"),
    ],
    ids=["venues", "speakers", "own-subforum", "delete-subforum", "notify"],
)
def test_a_host_is_refused_what_belongs_to_the_whole_conference(app, desk, method, path):
    url = path.format(fintech=desk.fintech.id, session=desk.session.id)

    response = getattr(signed_in(app, desk.host), method)(url)

    assert response.status_code == 403


# --- editing -----------------------------------------------------------------------------


def test_an_organizer_adds_a_venue_recorded_as_theirs(app, desk):
    response = signed_in(app, desk.organizer).post(
        "/dashboard/program/venues/new",
        data={
            "slug": "hall-9",
            "building": "WIICEC",
            "hall": "Hall 9",
            "hall_zh": "9号厅",
            "capacity": "120",
        },
    )

    venue = db.session.scalar(sa.select(Venue).where(Venue.slug == "hall-9"))
    assert response.status_code == 303
    assert (venue.hall, venue.hall_zh, venue.capacity) == ("Hall 9", "9号厅", 120)
    entry = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.object_type == "venues", AuditEntry.object_id == str(venue.id)
        )
    )
    assert (entry.action, entry.actor_kind.value, entry.actor_id) == (
        "create_venue",
        "organizer",
        str(desk.organizer.id),
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Title: This field is required."),
        ({"title": "x" * 301}, "Title: Please use at most 300 characters (this has 301)."),
        ({"title": "line\nbreak"}, "Title: Please write this on one line, without line breaks."),
        ({"starts_at": "tomorrow"}, "Starts (conference time): Not a valid datetime value."),
        ({"kind": "party"}, "Kind: Choose a kind of session from the list."),
        ({"venue": "999999"}, "Venue: Choose a venue from the list."),
    ],
    ids=["empty", "huge", "line-break", "bad-time", "bad-kind", "unknown-venue"],
)
def test_bad_session_input_is_answered_with_a_message_and_changes_nothing(
    app, desk, overrides, message
):
    response = signed_in(app, desk.organizer).post(
        f"/dashboard/program/sessions/{desk.session.id}/",
        data=session_form(desk.session, **overrides),
    )

    assert response.status_code == 422
    assert message in page_text(response)
    assert (reload(desk.session).title, reload(desk.session).sequence) == ("Fintech opening", 0)


def test_chinese_and_markup_in_a_title_are_stored_as_typed_and_shown_escaped(app, desk):
    client = signed_in(app, desk.organizer)
    title = "<script>alert(1)</script> 开幕"

    client.post(
        f"/dashboard/program/sessions/{desk.session.id}/",
        data=session_form(desk.session, title=title),
    )
    html = page_text(client.get("/dashboard/program/"))

    assert reload(desk.session).title == title
    assert ("<script>alert(1)" in html, "&lt;script&gt;alert(1)&lt;/script&gt; 开幕" in html) == (
        False,
        True,
    )


def test_two_sessions_in_one_hall_are_refused_on_the_form_naming_the_other(app, desk):
    response = signed_in(app, desk.organizer).post(
        f"/dashboard/program/sessions/{desk.other.id}/",
        data=session_form(
            desk.other,
            venue=str(desk.hall.id),
            starts_at="2018-11-07T10:45",
            ends_at="2018-11-07T11:15",
            confirmed="y",
        ),
    )

    assert response.status_code == 422
    assert "Venue: Hall 1 is taken at that time by “Fintech opening”." in page_text(response)
    assert reload(desk.other).venue_id is None


def test_a_double_booked_speaker_is_kept_once_the_organizer_confirms(app, desk):
    pony = make_speaker(name="Pony Ma")
    program.update_session(reload(desk.session), actor=OPERATOR, speakers=[pony])
    client = signed_in(app, desk.organizer)
    clash = session_form(
        desk.other,
        starts_at="2018-11-07T10:30",
        ends_at="2018-11-07T11:00",
        speakers=[str(pony.id)],
    )

    warned = client.post(f"/dashboard/program/sessions/{desk.other.id}/", data=clash)
    kept = client.post(
        f"/dashboard/program/sessions/{desk.other.id}/", data={**clash, "confirmed": "y"}
    )

    assert warned.status_code == 422
    assert (
        "Speakers: Pony Ma is also in “Fintech opening” at that time. Confirm to keep both."
        in page_text(warned)
    )
    assert kept.status_code == 303
    assert [role.speaker_id for role in reload(desk.other).speaker_roles] == [pony.id]


def test_a_capacity_below_the_seats_taken_is_refused_on_the_subforum_form(app, desk):
    for email in ("a@example.com", "b@example.com"):
        register(SimpleNamespace(conference=desk.conference), email, desk.fintech)

    response = signed_in(app, desk.organizer).post(
        f"/dashboard/program/subforums/{desk.fintech.id}/",
        data={"title": "Fintech", "capacity": "1", "venue": str(desk.hall.id)},
    )

    assert response.status_code == 422
    assert "Seats: Seats already taken: 2; the capacity cannot be lower." in page_text(response)
    assert reload(desk.fintech).capacity == 100


def test_raising_a_capacity_seats_the_first_waiting_in_order_and_tells_them(app, desk):
    program.update_subforum(desk.fintech, capacity=1, actor=OPERATOR)
    world = SimpleNamespace(conference=desk.conference)
    seated, first, second = (
        register(world, email, desk.fintech)
        for email in ("a@example.com", "b@example.com", "c@example.com")
    )
    client = signed_in(app, desk.organizer)

    response = client.post(
        f"/dashboard/program/subforums/{desk.fintech.id}/",
        data={"title": "Fintech", "capacity": "2", "venue": str(desk.hall.id)},
    )

    assert response.status_code == 303
    assert "1 delegate on the waitlist now has a seat and is told by e-mail." in page_text(
        client.get(response.location)
    )
    assert [
        (booking.delegate_id, booking.status.value)
        for booking in db.session.scalars(
            sa.select(SeatBooking)
            .where(SeatBooking.subforum_id == desk.fintech.id)
            .order_by(SeatBooking.delegate_id)
        )
    ] == [(seated.id, "confirmed"), (first.id, "confirmed"), (second.id, "waitlisted")]
    assert reload(desk.fintech).seats_taken == 2
    assert (
        db.session.scalars(
            sa.select(OutboxMessage.kind).where(OutboxMessage.delegate_id == first.id)
        ).all()[-1]
        == "waitlist_promotion"
    )
    promotion = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.delegate_id == first.id).order_by(AuditEntry.id)
    ).all()[-1]
    assert (promotion.actor_label, promotion.action) == (
        f"organizer:{desk.organizer.id}",
        "serve_waitlist",
    )


def test_subforum_hosts_are_edited_one_per_line_in_both_languages(app, desk):
    response = signed_in(app, desk.organizer).post(
        f"/dashboard/program/subforums/{desk.fintech.id}/",
        data={
            "title": "Fintech",
            "capacity": "100",
            "venue": str(desk.hall.id),
            "hosts": "CAC\n\nZhejiang Province\n",
            "hosts_zh": "网信办\n浙江省",
        },
    )

    fintech = reload(desk.fintech)
    assert response.status_code == 303
    assert (fintech.host_organisations, fintech.host_organisations_zh) == (
        ["CAC", "Zhejiang Province"],
        ["网信办", "浙江省"],
    )


def test_deleting_a_venue_in_use_is_refused_with_the_reason_and_keeps_it(app, desk):
    client = signed_in(app, desk.organizer)

    response = client.post(f"/dashboard/program/venues/{desk.hall.id}/delete")
    page = page_text(client.get(response.location))

    assert response.status_code == 303
    assert "Hall 1 is still used by sessions or subforums (2): move them elsewhere first." in page
    assert count_rows(Venue) == 1


def test_a_new_session_is_scheduled_in_conference_time(app, desk):
    response = signed_in(app, desk.organizer).post(
        "/dashboard/program/sessions/new",
        data={
            "title": "Night owls",
            "kind": "social",
            "starts_at": "2018-11-08T20:00",
            "ends_at": "2018-11-08T22:00",
            "subforum": "0",
            "venue": "0",
            "is_public": "y",
        },
    )

    session = db.session.scalar(
        sa.select(ProgramSession).where(ProgramSession.title == "Night owls")
    )
    assert response.status_code == 303
    assert (session.starts_at, session.ends_at) == (
        datetime(2018, 11, 8, 12, 0, tzinfo=UTC),
        datetime(2018, 11, 8, 14, 0, tzinfo=UTC),
    )


# --- moving and cancelling, the feeds, and telling the delegates ---------------------------


def feed_event(client, session_id: int):
    (event,) = Calendar.from_ical(client.get(f"/calendar/sessions/{session_id}.ics").data).walk(
        "VEVENT"
    )
    return event


def test_moving_a_session_raises_its_sequence_and_offers_to_tell_the_delegates(app, desk):
    client = signed_in(app, desk.organizer)
    before = feed_event(client, desk.session.id)

    response = client.post(
        f"/dashboard/program/sessions/{desk.session.id}/",
        data=session_form(desk.session, starts_at="2018-11-07T15:00", ends_at="2018-11-07T16:00"),
    )
    page = page_text(client.get(response.location))
    after = feed_event(client, desk.session.id)

    assert response.location == f"/dashboard/program/sessions/{desk.session.id}/?moved=True"
    assert f'href="/dashboard/program/sessions/{desk.session.id}/notify"' in page
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after.decoded("DTSTART") == datetime(2018, 11, 7, 7, 0, tzinfo=UTC)


def test_cancelling_keeps_the_session_in_its_feed_and_the_whole_program_as_cancelled(app, desk):
    client = signed_in(app, desk.organizer)

    response = client.post(f"/dashboard/program/sessions/{desk.session.id}/cancel")
    event = feed_event(client, desk.session.id)
    program_feed = Calendar.from_ical(client.get("/calendar/wic2018.ics").data)
    statuses = {
        int(str(item["UID"]).split("-")[2].split("@")[0]): (
            str(item["SUMMARY"]),
            str(item["STATUS"]),
            int(item["SEQUENCE"]),
        )
        for item in program_feed.walk("VEVENT")
    }

    assert response.status_code == 303
    assert reload(desk.session).status is SessionStatus.CANCELLED
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)
    assert statuses == {
        desk.session.id: ("Cancelled: Fintech opening", "CANCELLED", 1),
        desk.other.id: ("Economy panel · Digital Economy", "CONFIRMED", 0),
    }


def test_deleting_a_session_delegates_hold_is_refused_offering_to_cancel(app, desk):
    register(SimpleNamespace(conference=desk.conference), "seat@example.com", desk.fintech)
    client = signed_in(app, desk.organizer)

    response = client.post(f"/dashboard/program/sessions/{desk.session.id}/delete")
    page = page_text(client.get(response.location))

    assert (
        "Delegates hold places in its subforum (1) or starred it (0): cancel the session "
        "instead, so their calendars show the cancellation." in page
    )
    assert count_rows(ProgramSession) == 2


@pytest.fixture
def audience(desk):
    """Two delegates with a seat in Fintech (one reads Chinese), one who starred the session,
    one seated elsewhere: three to tell."""
    world = SimpleNamespace(conference=desk.conference)
    seated = register(world, "ada@example.com", desk.fintech)
    chinese = register(world, "wang@example.com", desk.fintech, locale="zh")
    starred = register(world, "star@example.com")
    registration.star_session(starred, reload(desk.session), actor=OPERATOR)
    register(world, "elsewhere@example.com", desk.economy)
    return [seated, chinese, starred]


def notices() -> list[tuple[str, str, dict]]:
    db.session.expire_all()
    return [
        (message.recipient, message.locale, message.context)
        for message in db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == "session_changed")
            .order_by(OutboxMessage.recipient)
        )
    ]


def test_the_notice_page_previews_both_languages_and_counts_the_recipients(app, desk, audience):
    program.cancel_session(reload(desk.session), actor=OPERATOR)

    response = signed_in(app, desk.organizer).get(
        f"/dashboard/program/sessions/{desk.session.id}/notify"
    )

    html = page_text(response)
    assert response.status_code == 200
    assert (
        "Delegates who hold a seat in its subforum or starred it and have not been told of "
        "this change yet: 3." in html
    )
    assert "A session of yours is cancelled: Fintech opening" in html
    english, chinese = html.split('lang="zh-Hans"')
    assert "Fintech opening" in english.split('class="message-preview"')[1]
    assert ("金融科技开幕" in chinese, "Fintech opening" in chinese) == (True, False)
    assert html.count('class="message-preview"') == 2
    assert "Send to the delegates (3)" in html


def test_sending_the_notice_twice_queues_one_message_per_delegate_in_their_language(
    app, desk, audience
):
    program.cancel_session(reload(desk.session), actor=OPERATOR)
    client = signed_in(app, desk.organizer)
    url = f"/dashboard/program/sessions/{desk.session.id}/notify"

    first = client.post(url, data={"sequence": "1"})
    second = client.post(url, data={"sequence": "1"})  # a double submit, or a second tab

    context = {"session_id": desk.session.id, "sequence": 1, "base_url": "http://localhost/"}
    assert (first.status_code, second.status_code) == (303, 303)
    assert notices() == [
        ("ada@example.com", "en", context),
        ("star@example.com", "en", context),
        ("wang@example.com", "zh", context),
    ]
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "notify_session_change")
    )
    assert (entry.actor_id, entry.after) == (str(desk.organizer.id), {"notified": 3, "sequence": 1})
    assert "Send to" not in page_text(client.get(url))


def test_a_notice_previewed_before_a_later_change_is_not_sent(app, desk, audience):
    program.cancel_session(reload(desk.session), actor=OPERATOR)
    client = signed_in(app, desk.organizer)

    response = client.post(
        f"/dashboard/program/sessions/{desk.session.id}/notify", data={"sequence": "0"}
    )

    assert (
        "The session has changed again since this preview: look at the message again before "
        "sending it." in page_text(client.get(response.location))
    )
    assert notices() == []


def test_a_later_move_is_a_new_notice(app, desk, audience):
    client = signed_in(app, desk.organizer)
    url = f"/dashboard/program/sessions/{desk.session.id}/notify"
    program.reschedule_session(
        reload(desk.session),
        actor=OPERATOR,
        starts_at=OPENING + timedelta(hours=1),
        ends_at=OPENING + timedelta(hours=2),
    )
    client.post(url, data={"sequence": "1"})
    program.cancel_session(reload(desk.session), actor=OPERATOR)

    client.post(url, data={"sequence": "2"})

    assert [(recipient, context["sequence"]) for recipient, _locale, context in notices()] == [
        ("ada@example.com", 1),
        ("ada@example.com", 2),
        ("star@example.com", 1),
        ("star@example.com", 2),
        ("wang@example.com", 1),
        ("wang@example.com", 2),
    ]
