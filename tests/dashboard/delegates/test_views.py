"""The delegates area: the table (search, filters, sorting, pages, totals), a delegate's page,
decisions one by one and in bulk, seats moved and promoted; scoped hosts see only theirs."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tests import worlds
from tests.factories import OPERATOR, fresh, reload
from tests.helpers.accounts import log_in, make_account
from tests.helpers.queries import count_queries
from tests.helpers.registration import register, seats_taken
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.dashboard.delegates.views import _totals
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import ProgramSession, Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Delegate

GOVERNMENT = DelegateCategory.GOVERNMENT
INDEX = "/dashboard/delegates/"


@dataclass
class DelegatesWorld:
    setting: worlds.OverlappingSubforums
    organizer: Account
    host: Account  # of "Digital economy" only
    viewer: Account
    zhang: Delegate  # confirmed, fintech seat, Chinese name
    envoy: Delegate  # pending government delegate asking for fintech
    script: Delegate  # a name with markup, economy seat
    waiting: Delegate  # on the economy waitlist


@pytest.fixture
def world(app) -> DelegatesWorld:
    setting = worlds.overlapping_subforums()
    zhang = register(
        setting,
        "zhang.min@example.com",
        setting.fintech,
        name="Zhang Min",
        name_zh="张敏",
        organisation="清华大学",
    )
    envoy = register(
        setting,
        "envoy@example.org",
        setting.fintech,
        name="Ana Silva",
        country="BR",
        category=GOVERNMENT,
    )
    script = register(
        setting,
        "script@example.com",
        setting.economy,
        name="<script>alert(1)</script>",
        country="US",
    )
    waiting = register(setting, "wait@example.com", setting.economy, name="Wait Long")
    return DelegatesWorld(
        setting,
        make_account(Role.ORGANIZER, name="Olga Organizer"),
        make_account(Role.SUBFORUM_HOST, subforums=[setting.economy]),
        make_account(Role.VIEWER),
        zhang,
        envoy,
        script,
        waiting,
    )


def signed_in(app, account: Account):
    client = app.test_client()
    log_in(client, account)
    return client


def listed(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a href="/dashboard/delegates/(\d+)/">', page)]


def flashes(page: str) -> list[str]:
    return [
        html.unescape(text) for text in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)
    ]


def text_of(page: str, css_class: str) -> str:
    block = re.search(rf'<div class="{css_class}"[^>]*>(.*?)</div>', page, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())


def totals(page: str) -> str:
    return html.unescape(re.search(r'id="delegates-totals">([^<]*)<', page).group(1))


def ids(*delegates: Delegate) -> list[int]:
    return [d.id for d in delegates]


def audit_actions(delegate: Delegate) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [
        (e.actor_label, e.action)
        for e in db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.delegate_id == delegate.id, AuditEntry.object_type == "delegates")
            .order_by(AuditEntry.id)
        )
    ]


# --- the table ------------------------------------------------------------------------------


def test_the_table_lists_every_delegate_in_registration_order_with_totals(app, world):
    page = signed_in(app, world.organizer).get(INDEX)

    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert listed(body) == ids(world.zhang, world.envoy, world.script, world.waiting)
    assert totals(body) == "1–4 of 4"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张敏", ["zhang"]),
        ("zhang min", ["zhang"]),
        ("ENVOY@example", ["envoy"]),
        ("清华", ["zhang"]),
        ("<script>", ["script"]),
        ("%", []),
        ("x" * 5000, []),
    ],
    ids=["chinese", "english", "email", "organisation", "markup", "wildcard", "huge"],
)
def test_search_finds_names_in_both_languages_addresses_and_organisations(
    app, world, query, expected
):
    page = signed_in(app, world.organizer).get(INDEX, query_string={"q": query})

    assert page.status_code == 200
    assert listed(page.get_data(as_text=True)) == [getattr(world, name).id for name in expected]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"status": "pending"}, ["envoy"]),
        ({"category": "government"}, ["envoy"]),
        ({"country": "br"}, ["envoy"]),
        ({"subforum": "economy"}, ["script", "waiting"]),
        ({"subforum": "economy", "seat": "waitlisted"}, ["waiting"]),
        ({"seat": "wanted"}, ["envoy"]),
        ({"checked_in": "yes"}, []),
        ({"checked_in": "no", "country": "US"}, ["script"]),
        ({"status": "bogus", "subforum": "x1", "country": "<b>", "seat": "9"}, None),
    ],
    ids=[
        "status",
        "category",
        "country",
        "subforum",
        "waitlisted",
        "requested",
        "checked-in",
        "two-filters",
        "bad-values-dropped",
    ],
)
def test_filters_narrow_the_table_and_stay_in_the_page_links(app, world, args, expected):
    if args.get("subforum") == "economy":
        args = {**args, "subforum": str(world.setting.economy.id)}

    page = signed_in(app, world.organizer).get(INDEX, query_string=args)

    body = page.get_data(as_text=True)
    everyone = ["zhang", "envoy", "script", "waiting"]
    names = everyone if expected is None else expected
    assert page.status_code == 200
    assert listed(body) == [getattr(world, name).id for name in names]


def test_headers_sort_and_a_second_click_reverses(app, world):
    client = signed_in(app, world.organizer)

    by_name = client.get(INDEX, query_string={"sort": "name", "status": "confirmed"})
    reversed_ = client.get(
        INDEX, query_string={"sort": "name", "order": "desc", "status": "confirmed"}
    )

    body = by_name.get_data(as_text=True)
    assert listed(body) == ids(world.script, world.waiting, world.zhang)
    assert listed(reversed_.get_data(as_text=True)) == ids(world.zhang, world.waiting, world.script)
    # The current column's link reverses it and keeps the filter.
    assert 'href="/dashboard/delegates/?status=confirmed&amp;sort=name&amp;order=desc"' in body


def test_pages_show_their_range_of_the_total_and_keep_the_filter(app, world):
    for n in range(27):
        register(world.setting, f"bulk{n}@example.com", name=f"Bulk {n:02d}")
    client = signed_in(app, world.organizer)

    first = client.get(INDEX, query_string={"per_page": "25", "q": "bulk"})
    second = client.get(INDEX, query_string={"per_page": "25", "q": "bulk", "page": "2"})
    past = client.get(INDEX, query_string={"per_page": "25", "q": "bulk", "page": "99999999999"})

    assert totals(first.get_data(as_text=True)) == "1–25 of 27"
    assert totals(second.get_data(as_text=True)) == "26–27 of 27"
    assert len(listed(second.get_data(as_text=True))) == 2
    assert totals(past.get_data(as_text=True)) == "1–25 of 27"
    assert 'href="/dashboard/delegates/?q=bulk&amp;per_page=25&amp;page=2"' in first.get_data(
        as_text=True
    )


def test_totals_read_with_the_numbers_grouped(app):
    with app.test_request_context():
        assert (_totals(1, 50, 1532), _totals(0, 0, 0)) == ("1–50 of 1,532", "No delegate matches.")


def test_the_table_runs_the_same_few_queries_whatever_the_page_size(app, world):
    for n in range(30):
        register(world.setting, f"many{n}@example.com", world.setting.fintech)
    client = signed_in(app, world.organizer)
    client.get(INDEX)  # the signed-in account, loaded once for the test's app context

    counts = []
    for size in ("25", "200"):
        db.session.remove()  # each request starts from an empty session, as in production
        with count_queries(db.engine) as log:
            assert client.get(INDEX, query_string={"per_page": size}).status_code == 200
        counts.append(log.count)

    # The conference, the count, the page, its places, their subforums, the subforums and
    # countries of the filter: whatever the page size.
    assert counts == [8, 8]  # the signed-in account is one of them


# --- what a host sees ------------------------------------------------------------------------


def test_a_host_sees_only_the_delegates_of_their_subforums(app, world):
    client = signed_in(app, world.host)

    everything = client.get(INDEX).get_data(as_text=True)
    searched = client.get(INDEX, query_string={"q": "zhang"}).get_data(as_text=True)
    other = client.get(INDEX, query_string={"subforum": str(world.setting.fintech.id)})
    page = client.get(f"{INDEX}{world.zhang.id}/")

    assert listed(everything) == ids(world.script, world.waiting)
    assert totals(everything) == "1–2 of 2"
    assert (listed(searched), totals(searched)) == ([], "No delegate matches.")
    assert listed(other.get_data(as_text=True)) == []
    assert page.status_code == 404
    options = re.findall(r'<option value="(\d+)"', everything)
    assert options == [str(world.setting.economy.id)]
    assert "Fintech" not in everything
    assert 'name="delegate"' not in everything  # no decisions for a host


def test_a_host_cannot_decide_or_move_a_seat_outside_their_subforums(app, world):
    client = signed_in(app, world.host)

    decided = client.post(f"{INDEX}{world.script.id}/decide", data={"action": "cancel"})
    moved = client.post(
        f"{INDEX}{world.zhang.id}/seats/move",
        data={"source": world.setting.fintech.id, "target": world.setting.economy.id},
    )
    out_of_scope_target = client.post(
        f"{INDEX}{world.script.id}/seats/move",
        data={"source": world.setting.economy.id, "target": world.setting.fintech.id},
    )

    assert (decided.status_code, moved.status_code, out_of_scope_target.status_code) == (
        403,
        404,
        404,
    )
    assert reload(world.script).status is DelegateStatus.CONFIRMED
    assert seats_taken(world.setting.fintech) == 1


# --- a delegate's page ------------------------------------------------------------------------


def test_a_delegates_page_shows_places_stars_emails_and_history(app, world):
    message = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.delegate_id == world.waiting.id)
    ).one()
    message.subject, message.status, message.last_error = (
        "Your registration is confirmed",
        OutboxStatus.FAILED,
        "550 mailbox unavailable",
    )
    db.session.commit()
    services.reset_to_pending(fresh(world.zhang), actor=OPERATOR)
    client = signed_in(app, world.organizer)

    waiting = client.get(f"{INDEX}{world.waiting.id}/").get_data(as_text=True)
    zhang = client.get(f"{INDEX}{world.zhang.id}/").get_data(as_text=True)

    places = re.search(r'<table class="delegate-places">(.*?)</table>', waiting, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", places, re.S)]
    assert cells[:3] == ["Digital economy", "waitlisted", "1"]
    assert "Give a seat now" in waiting
    emails = re.search(r'<table class="delegate-emails">(.*?)</table>', waiting, re.S).group(1)
    assert "Your registration is confirmed" in emails
    assert "Failed" in emails and "550 mailbox unavailable" in emails
    assert "register_delegate" in waiting
    assert "reset_to_pending" in zhang
    assert "Zhang Min (张敏)" in zhang
    buttons = re.findall(r'name="action" value="(\w+)"', zhang)
    assert buttons == ["approve", "reject", "cancel"]


def test_a_viewer_reads_a_delegates_page_without_any_button(app, world):
    page = signed_in(app, world.viewer).get(f"{INDEX}{world.waiting.id}/")

    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="action"' not in body and "Give a seat now" not in body
    assert "Move the seat" not in body


def test_an_unknown_delegate_is_not_found(app, world):
    assert signed_in(app, world.organizer).get(f"{INDEX}999999/").status_code == 404


# --- decisions one by one --------------------------------------------------------------------


def test_approving_from_the_page_changes_the_status_and_records_the_organizer(app, world):
    client = signed_in(app, world.organizer)

    answer = client.post(f"{INDEX}{world.envoy.id}/decide", data={"action": "approve"})
    page = client.get(answer.location).get_data(as_text=True)

    assert (answer.status_code, answer.location) == (303, f"{INDEX}{world.envoy.id}/")
    assert flashes(page) == ["Ana Silva is approved."]
    assert reload(world.envoy).status is DelegateStatus.CONFIRMED
    assert audit_actions(world.envoy)[-1] == (f"organizer:{world.organizer.id}", "approve_delegate")


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("reject", DelegateStatus.REJECTED, "Ana Silva is rejected."),
        ("cancel", DelegateStatus.CANCELLED, "Ana Silva's registration is cancelled."),
    ],
)
def test_rejecting_or_cancelling_from_the_page(app, world, action, status, message):
    client = signed_in(app, world.organizer)

    answer = client.post(f"{INDEX}{world.envoy.id}/decide", data={"action": action})

    assert flashes(client.get(answer.location).get_data(as_text=True)) == [message]
    assert reload(world.envoy).status is status


def test_a_refused_or_unknown_decision_is_said_and_changes_nothing(app, world):
    client = signed_in(app, world.organizer)

    refused = client.post(f"{INDEX}{world.zhang.id}/decide", data={"action": "approve"})
    refused_page = client.get(refused.location).get_data(as_text=True)
    unknown = client.post(f"{INDEX}{world.zhang.id}/decide", data={"action": "<script>"})
    unknown_page = client.get(unknown.location).get_data(as_text=True)

    assert flashes(refused_page) == ["Only a registration waiting for approval can be approved."]
    assert flashes(unknown_page) == ["Choose an action from the list."]
    assert reload(world.zhang).status is DelegateStatus.CONFIRMED


# --- in bulk ---------------------------------------------------------------------------------


def test_a_bulk_approval_over_a_mix_tells_exactly_what_happened(app, world):
    second = register(world.setting, "second@example.org", category=GOVERNMENT, name="Li Na")
    services.cancel_registration(fresh(world.waiting), actor=OPERATOR)
    client = signed_in(app, world.organizer)

    answer = client.post(
        "/dashboard/delegates/bulk",
        data={
            "action": "approve",
            "apply_to": "selected",
            "delegate": [world.envoy.id, second.id, world.zhang.id, world.waiting.id, "x", 999999],
        },
    )

    assert answer.status_code == 200
    assert text_of(answer.get_data(as_text=True), "bulk-result") == (
        "Approved 2. Already approved 1: Zhang Min (张敏) Not approved 1: "
        "Wait Long — Only a registration waiting for approval can be approved."
    )
    assert [reload(d).status for d in (world.envoy, second)] == [DelegateStatus.CONFIRMED] * 2
    assert audit_actions(second)[-1] == (f"organizer:{world.organizer.id}", "approve_delegate")


def test_a_bulk_action_over_every_matching_delegate_and_again(app, world):
    register(world.setting, "second@example.org", category=GOVERNMENT, name="Li Na")
    client = signed_in(app, world.organizer)
    url = "/dashboard/delegates/bulk?status=pending"

    first = client.post(url, data={"action": "reject", "apply_to": "matching"})
    again = client.post(
        url.replace("pending", "rejected"), data={"action": "reject", "apply_to": "matching"}
    )

    assert text_of(first.get_data(as_text=True), "bulk-result") == "Rejected 2."
    assert text_of(again.get_data(as_text=True), "bulk-result") == (
        "Rejected 0. Already rejected 2: Ana Silva Li Na"
    )
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(Delegate.status).order_by(Delegate.id)).all()
    assert statuses == [
        DelegateStatus.CONFIRMED,
        DelegateStatus.REJECTED,
        DelegateStatus.CONFIRMED,
        DelegateStatus.CONFIRMED,
        DelegateStatus.REJECTED,
    ]


def test_a_bulk_cancel_frees_seats_for_the_waitlist(app, world):
    client = signed_in(app, world.organizer)

    answer = client.post(
        "/dashboard/delegates/bulk",
        data={"action": "cancel", "apply_to": "selected", "delegate": [world.script.id]},
    )

    assert text_of(answer.get_data(as_text=True), "bulk-result") == "Cancelled 1."
    assert reload(world.waiting).seats[0].status is SeatStatus.CONFIRMED
    assert seats_taken(world.setting.economy) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "approve", "apply_to": "selected"}, "Tick at least one delegate."),
        (
            {"action": "erase", "apply_to": "selected", "delegate": "1"},
            "Choose an action from the list.",
        ),
        (
            {"action": "approve", "apply_to": "everyone", "delegate": "1"},
            "Choose the ticked delegates or every matching one.",
        ),
    ],
    ids=["nothing-ticked", "unknown-action", "unknown-target"],
)
def test_a_bulk_form_with_nothing_to_do_says_why_and_changes_nothing(app, world, data, message):
    client = signed_in(app, world.organizer)

    answer = client.post("/dashboard/delegates/bulk?status=pending", data=data)

    assert (answer.status_code, answer.location) == (303, "/dashboard/delegates/?status=pending")
    assert flashes(client.get(answer.location).get_data(as_text=True)) == [message]
    assert reload(world.envoy).status is DelegateStatus.PENDING


# --- seats -----------------------------------------------------------------------------------


def test_moving_a_seat_from_the_page(app, world):
    client = signed_in(app, world.organizer)
    set_capacity(world.setting.economy, 3)

    answer = client.post(
        f"{INDEX}{world.zhang.id}/seats/move",
        data={"source": world.setting.fintech.id, "target": world.setting.economy.id},
    )

    assert flashes(client.get(answer.location).get_data(as_text=True)) == [
        "Zhang Min (张敏)'s seat moved from “Fintech” to “Digital economy”."
    ]
    assert [(b.subforum_id, b.status) for b in reload(world.zhang).seats] == [
        (world.setting.economy.id, SeatStatus.CONFIRMED)
    ]
    # Ahead of the waitlist: an organizer's move is a decision (the waiting delegate stays).
    assert (seats_taken(world.setting.fintech), seats_taken(world.setting.economy)) == (0, 2)


def test_a_move_into_a_full_subforum_is_refused_naming_it(app, world):
    client = signed_in(app, world.organizer)

    answer = client.post(
        f"{INDEX}{world.zhang.id}/seats/move",
        data={"source": world.setting.fintech.id, "target": world.setting.economy.id},
    )

    assert flashes(client.get(answer.location).get_data(as_text=True)) == [
        "“Digital economy” is full: no seat is free there."
    ]
    assert (seats_taken(world.setting.fintech), seats_taken(world.setting.economy)) == (1, 1)


def test_a_host_promotes_a_waiting_delegate_of_their_subforum(app, world):
    set_capacity(world.setting.economy, 2)
    client = signed_in(app, world.host)

    url = f"{INDEX}{world.waiting.id}/seats/promote"

    answer = client.post(url, data={"subforum": world.setting.economy.id})
    first = flashes(client.get(answer.location).get_data(as_text=True))
    again = client.post(url, data={"subforum": world.setting.economy.id})

    assert first == ["Wait Long now has a seat in “Digital economy”."]
    assert flashes(client.get(again.location).get_data(as_text=True)) == [
        "This delegate is not on the waitlist of “Digital economy”."
    ]
    assert reload(world.waiting).seats[0].status is SeatStatus.CONFIRMED
    assert seats_taken(world.setting.economy) == 2
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "promote_waitlisted")
    ).one()
    assert entry.actor_label == f"organizer:{world.host.id}"


def test_a_seat_form_with_nonsense_changes_nothing(app, world):
    client = signed_in(app, world.organizer)

    answer = client.post(
        f"{INDEX}{world.zhang.id}/seats/move", data={"source": "<script>", "target": ""}
    )
    shown = flashes(client.get(answer.location).get_data(as_text=True))
    missing = client.post(f"{INDEX}{world.waiting.id}/seats/promote", data={"subforum": "999999"})

    assert shown == ["Choose a subforum from the list.", "Choose a subforum from the list."]
    assert missing.status_code == 404
    assert seats_taken(world.setting.fintech) == 1


def set_capacity(subforum, capacity: int) -> None:
    db.session.execute(
        sa.update(Subforum).where(Subforum.id == subforum.id).values(capacity=capacity)
    )
    db.session.commit()


def test_a_delegates_page_runs_as_many_queries_however_much_they_hold(app, world):
    sessions = db.session.scalars(sa.select(ProgramSession).order_by(ProgramSession.id)).all()
    light = register(world.setting, "light@example.com", world.setting.economy)
    services.star_session(fresh(light), sessions[0], actor=OPERATOR)
    busy = register(world.setting, "busy@example.com", world.setting.fintech, world.setting.economy)
    for session in sessions:
        services.star_session(fresh(busy), session, actor=OPERATOR)
    services.reset_to_pending(fresh(busy), actor=OPERATOR)
    services.approve_delegate(fresh(busy), actor=OPERATOR)
    client = signed_in(app, world.organizer)
    client.get(f"{INDEX}{light.id}/")  # the signed-in account, loaded once for the test

    counts = []
    for delegate_id in (light.id, busy.id):
        db.session.remove()  # each request starts from an empty session, as in production
        with count_queries(db.engine) as log:
            assert client.get(f"{INDEX}{delegate_id}/").status_code == 200
        counts.append(log.count)

    # The conference, the delegate, places, waitlist ranks, subforums, stars (with their
    # subforum, topics and speakers), e-mails and history: never per row.
    assert counts == [12, 12]  # the signed-in account is one of them
