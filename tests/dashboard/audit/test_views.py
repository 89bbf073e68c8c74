"""The audit log page: the whole trail newest first, filtered by person, object and days,
paged, in a constant number of queries, and never editable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.factories import make_conference
from tests.helpers.accounts import log_in, make_account
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db


@pytest.fixture
def organizer(app):
    return make_account(Role.ORGANIZER, name="Li Wei", email="li.wei@organizers.example")


@pytest.fixture
def client(app, organizer):
    client = app.test_client()
    log_in(client, organizer)
    return client


def entry(at: datetime, actor: Actor, table: str, object_id: int, name: str, **extra) -> None:
    audit.record(actor, f"edit_{table}", table, object_id, {"name": "old"}, {"name": name}, **extra)
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.id == sa.select(sa.func.max(AuditEntry.id)).scalar_subquery())
        .values(at=at)
    )
    db.session.commit()


def shown_names(response) -> list[str]:
    import re

    return re.findall(r"<ins>(name-[^<]*)</ins>", response.get_data(as_text=True))


@pytest.fixture
def trail(app, organizer):
    make_conference()  # the days are counted in Asia/Shanghai
    other = make_account(Role.ADMIN, name="Wang Fang")
    entry(
        datetime(2018, 11, 6, 15, 59, tzinfo=UTC),
        Actor.account(organizer),
        "delegates",
        7,
        "name-1",
    )
    entry(
        datetime(2018, 11, 6, 16, 0, tzinfo=UTC),
        Actor.account(other),
        "program_sessions",
        3,
        "name-2",
    )
    entry(datetime(2018, 11, 7, 2, 0, tzinfo=UTC), Actor.cli("ops"), "delegates", 8, "name-3")
    entry(
        datetime(2018, 11, 8, 2, 0, tzinfo=UTC),
        Actor.delegate(type("D", (), {"id": 7})()),
        "delegates",
        7,
        "name-4",
    )
    return other


def test_the_whole_trail_newest_first_with_names(client, trail):
    response = client.get("/dashboard/audit/")

    assert response.status_code == 200
    assert shown_names(response) == ["name-4", "name-3", "name-2", "name-1"]
    page = response.get_data(as_text=True)
    assert "Li Wei &lt;li.wei@organizers.example&gt;" in page
    assert "cli:ops" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("who=cli", ["name-3"]),
        ("who=delegate", ["name-4"]),
        ("object_type=delegates", ["name-4", "name-3", "name-1"]),
        ("object_type=delegates&object_id=7", ["name-4", "name-1"]),
        ("object_id=7", ["name-4", "name-3", "name-2", "name-1"]),  # an id alone names nothing
        ("since=2018-11-07", ["name-4", "name-3", "name-2"]),  # 16:00 UTC is midnight in Wuzhen
        ("until=2018-11-06", ["name-1"]),
        ("since=2018-11-07&until=2018-11-07", ["name-3", "name-2"]),
        ("until=9999-12-31", ["name-4", "name-3", "name-2", "name-1"]),
    ],
)
def test_filters(client, trail, query, expected):
    assert shown_names(client.get(f"/dashboard/audit/?{query}")) == expected


def test_filter_by_one_organizer_account(client, trail, organizer):
    assert shown_names(client.get(f"/dashboard/audit/?who=organizer:{trail.id}")) == ["name-2"]
    # The organizer's own account row was recorded when it was made (by the tests' operator).
    assert shown_names(client.get(f"/dashboard/audit/?who=organizer:{organizer.id}")) == ["name-1"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("who=root", "Please choose who from the list."),
        ("object_type=<script>", "Please choose an object type from the list."),
        ("since=yesterday", "Please give a date as YYYY-MM-DD."),
        ("until=2018-13-45", "Please give a date as YYYY-MM-DD."),
        ("page=-1", "Page numbers are whole numbers from 1 up."),
    ],
)
def test_bad_filters_are_reported_and_left_out(client, trail, query, message):
    response = client.get(f"/dashboard/audit/?{query}")

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert len(shown_names(response)) == 4
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[-1].replace(
        "&lt;script&gt;", ""
    )


def test_pages_keep_the_filter_and_count_queries_constantly(app, client, organizer, query_counter):
    make_conference()
    for number in range(120):
        audit.record(
            Actor.account(organizer),
            "edit",
            "delegates",
            number,
            {"name": "a"},
            {"name": f"name-{number:03}"},
        )
    db.session.commit()

    first = client.get("/dashboard/audit/?object_type=delegates")
    with query_counter(db.engine) as log:
        third = client.get("/dashboard/audit/?object_type=delegates&page=3")
    past = client.get("/dashboard/audit/?object_type=delegates&page=99")

    assert shown_names(first)[:2] == ["name-119", "name-118"]
    assert len(shown_names(first)) == 50
    assert shown_names(third) == [f"name-{n:03}" for n in range(19, -1, -1)]
    assert "page=2" in third.get_data(as_text=True) and "object_type=delegates" in third.get_data(
        as_text=True
    )
    assert shown_names(past) == shown_names(third)
    # session account, subforums, conference, accounts list, object types, count, rows, names
    assert len(log.statements) <= 9


def test_the_log_has_no_route_that_changes_it(app, client, trail):
    rules = [
        rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("dashboard.audit.")
    ]
    assert rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    response = client.post("/dashboard/audit/", data={"who": "cli"})

    assert response.status_code == 405
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_an_entry_about_a_delegate_links_to_their_page(client, trail):
    page = client.get("/dashboard/audit/").get_data(as_text=True)

    assert page.count('<a href="/dashboard/delegates/7/">The delegate\'s page</a>') == 2
    assert page.count('<a href="/dashboard/delegates/8/">The delegate\'s page</a>') == 1


def test_a_viewer_cannot_read_the_log(app, trail):
    client = app.test_client()
    log_in(client, make_account(Role.VIEWER))

    assert client.get("/dashboard/audit/").status_code == 403
