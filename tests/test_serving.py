"""The one serving path of exports: any exporter gets conditional GET, gzip, a bounded cache
and the CORS it declares, as a dashboard CSV export will."""

from __future__ import annotations

import gzip

import pytest
import sqlalchemy as sa
from flask import Blueprint
from flask import session as flask_session
from flask_wtf.csrf import generate_csrf

from tests import factories
from tests.helpers.apps import make_app
from wuzhen_events.config import DefaultConfig
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services
from wuzhen_events.program.models import ProgramSession, Subforum
from wuzhen_events.serving import (
    EXPORT_CACHE,
    PAGE_CACHE,
    PAGE_ORIGIN_LIMIT,
    Exporter,
    Version,
    exported_by,
    prepared_page,
    serve,
)


class CountingCsv(Exporter):
    """A CSV whose version is a number the test moves, counting its builds."""

    identifier = "test.csv"
    content_type = "text/csv; charset=utf-8"
    filename = "rows.csv"
    cors = True
    state = {"version": 1, "builds": 0}

    def version(self) -> Version:
        number = self.state["version"]
        return Version(key=f"rows-{number}", last_modified=None, etag=f"rows-{number}")

    def build(self, version: Version) -> bytes:
        self.state["builds"] += 1
        return f"id,name\r\n{self.state['version']},Ada\r\n".encode()


class PrivateCsv(CountingCsv):
    identifier = "test.private.csv"
    public = False
    cors = False
    cache_control = "private, max-age=0"


@pytest.fixture
def csv_app(empty_database_url):
    CountingCsv.state = {"version": 1, "builds": 0}
    app = make_app(empty_database_url, EXPORT_CACHE_ENTRIES=3)
    bp = Blueprint("test_exports", __name__)
    bp.add_url_rule("/rows.csv", "rows", exported_by(CountingCsv)(lambda: serve(CountingCsv())))
    bp.add_url_rule("/mine.csv", "mine", exported_by(PrivateCsv)(lambda: serve(PrivateCsv())))
    app.register_blueprint(bp)
    return app


def test_the_export_cache_is_bounded_by_its_setting(csv_app):
    assert csv_app.extensions[EXPORT_CACHE].prepared.max_entries == 3
    assert DefaultConfig.EXPORT_CACHE_ENTRIES == 256


def test_an_exporter_is_built_once_per_version_and_answers_304(csv_app):
    client = csv_app.test_client()

    first = client.get("/rows.csv")
    again = client.get("/rows.csv", headers={"If-None-Match": '"rows-1"'})
    zipped = client.get("/rows.csv", headers={"Accept-Encoding": "gzip"})
    CountingCsv.state["version"] = 2
    changed = client.get("/rows.csv", headers={"If-None-Match": '"rows-1"'})

    assert (first.status_code, first.data, first.headers["ETag"]) == (
        200,
        b"id,name\r\n1,Ada\r\n",
        '"rows-1"',
    )
    assert first.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert first.headers["Content-Disposition"] == 'inline; filename="rows.csv"'
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert (again.status_code, again.headers["Access-Control-Allow-Origin"]) == (304, "*")
    assert (zipped.headers["ETag"], gzip.decompress(zipped.data)) == (
        '"rows-1-gzip"',
        b"id,name\r\n1,Ada\r\n",
    )
    assert zipped.headers["Vary"] == "Accept-Encoding"
    assert (changed.status_code, changed.data) == (200, b"id,name\r\n2,Ada\r\n")
    assert CountingCsv.state["builds"] == 2


def test_a_private_export_is_never_kept_nor_readable_by_other_sites(csv_app):
    client = csv_app.test_client()

    first = client.get("/mine.csv")
    second = client.get("/mine.csv")
    current = client.get("/mine.csv", headers={"If-None-Match": '"rows-1"'})

    assert (first.data, second.data, current.status_code) == (
        b"id,name\r\n1,Ada\r\n",
        b"id,name\r\n1,Ada\r\n",
        304,
    )
    assert first.headers["Cache-Control"] == "private, max-age=0"
    assert "Access-Control-Allow-Origin" not in first.headers
    assert (PrivateCsv.state["builds"], len(csv_app.extensions[EXPORT_CACHE])) == (2, 0)


def test_a_preflight_for_an_export_that_declares_cors_is_answered(csv_app):
    response = csv_app.test_client().options("/rows.csv")

    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_feed_declares_no_cors(demo_client):
    assert "Access-Control-Allow-Origin" not in demo_client.get("/calendar/wic2018.ics").headers


# --- public pages ---------------------------------------------------------------------------------


@pytest.fixture
def session_url(demo_client) -> str:
    first = db.session.scalar(
        sa.select(ProgramSession.id).where(ProgramSession.is_public).order_by(ProgramSession.id)
    )
    return f"/sessions/{first}/"


def test_a_warm_public_page_runs_only_the_version_query(demo_client, session_url, query_counter):
    cold = demo_client.get(session_url)

    with query_counter(db.engine) as log:
        warm = demo_client.get(session_url)

    assert log.count == 1
    assert (warm.status_code, warm.data) == (200, cold.data)
    assert warm.headers["ETag"] == cold.headers["ETag"]
    assert warm.headers["Vary"] == "Accept-Encoding, Accept-Language, Cookie"


def test_a_public_page_answers_304_and_gzip(demo_client, session_url):
    plain = demo_client.get(session_url)
    current = demo_client.get(session_url, headers={"If-None-Match": plain.headers["ETag"]})
    zipped = demo_client.get(session_url, headers={"Accept-Encoding": "gzip"})

    assert current.status_code == 304
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert gzip.decompress(zipped.data) == plain.data


def test_each_language_and_query_gets_its_own_page(demo_client):
    english = demo_client.get("/program/?day=2018-11-08")
    chinese = demo_client.get("/program/?day=2018-11-08", headers={"Accept-Language": "zh"})
    reordered = demo_client.get("/program/?topic=&day=2018-11-08")
    day = demo_client.get("/program/?day=2018-11-09")

    assert chinese.headers["ETag"] != english.headers["ETag"]
    assert '<html lang="zh-Hans"' in chinese.get_data(as_text=True)
    assert reordered.status_code == day.status_code == 200
    assert day.headers["ETag"] != english.headers["ETag"]


def test_a_waiting_flash_message_is_shown_and_never_kept(demo_client, session_url):
    kept = demo_client.get(session_url)
    with demo_client.session_transaction() as cookie_session:
        cookie_session["_flashes"] = [("success", "Your details are saved.")]

    flashed = demo_client.get(session_url)
    after = demo_client.get(session_url)

    assert "Your details are saved." in flashed.get_data(as_text=True)
    assert "ETag" not in flashed.headers
    assert "Your details are saved." not in after.get_data(as_text=True)
    assert after.headers["ETag"] == kept.headers["ETag"]


@pytest.fixture
def page_app(app):
    """Pages that put something of the visitor's in, on a conference with one session."""
    app.add_url_rule("/token/", "token", prepared_page(lambda: f"<p>{generate_csrf()}</p>"))
    app.add_url_rule("/remember/", "remember", prepared_page(remember_visit))
    app.add_url_rule("/plain/", "plain", prepared_page(lambda: "<p>the same for all</p>"))
    conference = factories.make_conference()
    factories.make_session(conference, title="Opening ceremony")
    return app


def remember_visit() -> str:
    flask_session["visited"] = True
    return "<p>welcome</p>"


@pytest.mark.parametrize("path", ["/token/", "/remember/"], ids=["form token", "session"])
def test_a_page_carrying_something_of_the_visitor_is_never_kept(page_app, path):
    client = page_app.test_client()

    first = client.get(path)

    assert (first.status_code, "ETag" in first.headers) == (200, False)
    assert len(page_app.extensions[PAGE_CACHE]) == 0


def test_a_page_the_same_for_all_is_kept(page_app):
    first = page_app.test_client().get("/plain/")

    assert (first.status_code, first.headers["Cache-Control"]) == (200, "no-cache")
    assert len(page_app.extensions[PAGE_CACHE]) == 1


def test_a_data_change_serves_a_new_page(page_app, client):
    session = db.session.scalar(sa.select(ProgramSession))
    before = client.get(f"/sessions/{session.id}/")

    program_services.cancel_session(session, actor=factories.OPERATOR)
    after = client.get(
        f"/sessions/{session.id}/", headers={"If-None-Match": before.headers["ETag"]}
    )

    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]


# --- what a kept page depends on ------------------------------------------------------------------


@pytest.fixture
def program_app(app):
    """A conference with one subforum and one session in it, on an empty schema."""
    conference = factories.make_conference()
    subforum = factories.make_subforum(conference, slug="ai", title="AI", capacity=10)
    factories.make_session(conference, title="Opening ceremony", subforum=subforum)
    return app


def take_a_seat(slug: str) -> None:
    """What a registration does to its subforum: the seat count and updated_at move."""
    db.session.execute(
        sa.update(Subforum)
        .where(Subforum.slug == slug)
        .values(seats_taken=Subforum.seats_taken + 1)
    )
    db.session.commit()


def test_a_seat_taken_renews_the_subforum_pages_and_keeps_the_program(program_app, client):
    program = client.get("/program/?day=2018-11-07")
    subforum = client.get("/subforums/ai/")
    listing = client.get("/subforums/")
    kept = len(program_app.extensions[PAGE_CACHE])

    take_a_seat("ai")
    program_again = client.get(
        "/program/?day=2018-11-07", headers={"If-None-Match": program.headers["ETag"]}
    )
    subforum_again = client.get("/subforums/ai/")
    listing_again = client.get("/subforums/")

    assert program_again.status_code == 304
    assert len(program_app.extensions[PAGE_CACHE]) == kept + 2
    assert "10 left" in subforum.get_data(as_text=True)
    assert "9 left" in subforum_again.get_data(as_text=True)
    assert "10 seats left" in listing.get_data(as_text=True)
    assert "9 seats left" in listing_again.get_data(as_text=True)


def test_a_change_committed_with_an_older_time_still_renews_the_page(program_app, client):
    """As a PostgreSQL transaction that began before the newest change and commits after it: its
    updated_at is older than the newest one, and no row was added or removed."""
    session = db.session.scalar(sa.select(ProgramSession))
    url = f"/sessions/{session.id}/"
    before = client.get(url)
    older = session.updated_at

    program_services.cancel_session(session, actor=factories.OPERATOR)
    db.session.execute(
        sa.update(ProgramSession).where(ProgramSession.id == session.id).values(updated_at=older)
    )
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})

    assert after.status_code == 200
    assert "Cancelled" in after.get_data(as_text=True)
    assert "Cancelled" not in before.get_data(as_text=True)


def test_parameters_a_page_does_not_read_share_its_kept_page(program_app, client):
    first = client.get("/program/?day=2018-11-07&utm_source=mail")
    kept = len(program_app.extensions[PAGE_CACHE])

    others = [client.get(f"/program/?x={number}&day=2018-11-07") for number in range(20)]

    assert len(program_app.extensions[PAGE_CACHE]) == kept
    assert {response.headers["ETag"] for response in others} == {first.headers["ETag"]}
    assert "utm_source" not in first.get_data(as_text=True)
    assert "next=/program/?day%3D2018-11-07" in first.get_data(as_text=True)


def test_a_page_read_parameter_keeps_its_values_in_order(program_app, client):
    """A form takes the first of repeated values: another order is another page."""
    first = client.get("/program/?day=2018-11-07&day=2018-11-08")
    second = client.get("/program/?day=2018-11-08&day=2018-11-07")

    assert first.headers["ETag"] != second.headers["ETag"]


def test_host_ports_beyond_the_limit_are_served_but_not_kept(program_app, client):
    responses = [
        client.get("/subforums/", headers={"Host": f"localhost:{port}"})
        for port in range(8000, 8000 + PAGE_ORIGIN_LIMIT + 6)
    ]

    assert {response.status_code for response in responses} == {200}
    assert len(program_app.extensions[PAGE_CACHE]) == PAGE_ORIGIN_LIMIT
    assert "ETag" in responses[PAGE_ORIGIN_LIMIT - 1].headers
    assert "ETag" not in responses[PAGE_ORIGIN_LIMIT].headers


def test_with_a_public_base_url_every_host_shares_one_page(empty_database_url):
    app = make_app(empty_database_url, PUBLIC_BASE_URL="https://events.example.org")
    with app.app_context():
        conference = factories.make_conference()
        factories.make_subforum(conference, slug="ai", title="AI", capacity=10)
        client = app.test_client()
        for port in range(8000, 8010):
            client.get("/subforums/", headers={"Host": f"events.example.org:{port}"})
        kept = len(app.extensions[PAGE_CACHE])
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())

    assert kept == 1
