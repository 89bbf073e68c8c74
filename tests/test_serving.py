"""The one serving path of exports: any exporter gets conditional GET, gzip, a bounded cache
and the CORS it declares, as a dashboard CSV export will."""

from __future__ import annotations

import gzip

import pytest
from flask import Blueprint

from tests.conftest import make_app
from wuzhen_events.config import DefaultConfig
from wuzhen_events.serving import EXPORT_CACHE, Exporter, Version, exported_by, serve


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
