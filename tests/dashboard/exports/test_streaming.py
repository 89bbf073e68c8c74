"""Exports are streamed: rows are read in batches while the file is sent, so 100,000 delegates
are written without being held in memory (the first chunk leaves after one batch; the peak of
Python's allocations over a whole 100,000-row export stays a fraction of the file)."""

from __future__ import annotations

import tracemalloc

from tests.factories import make_conference, make_subforum
from tests.helpers.accounts import log_in, make_account
from tests.helpers.scale import insert_plain_delegates
from wuzhen_events import spreadsheets
from wuzhen_events.accounts.enums import Role
from wuzhen_events.extensions import db
from wuzhen_events.registration import exports as registration_exports

from .test_views import add_places

SCALE = 100_000
# The peak of what Python allocates while the whole export is streamed (3.3 MB measured, much
# of it the app's own first-request imports and caches), for a 15 MB file whose rows would take
# several times that as Python objects. The XLSX writer's bound is tested on its own in
# tests/test_spreadsheets.py, without the database: the rows reach it the same way.
PEAK_LIMIT = 6 * 1024 * 1024


def places_queries(log) -> int:
    return sum("FROM seat_bookings" in statement for statement in log.statements)


def test_the_first_chunk_leaves_after_reading_one_batch(app, query_counter, monkeypatch):
    monkeypatch.setattr(registration_exports, "BATCH_SIZE", 10)
    monkeypatch.setattr(spreadsheets, "ROWS_PER_CHUNK", 10)
    conference = make_conference()
    subforum = make_subforum(conference, capacity=500)
    insert_plain_delegates(conference, 100)
    add_places(conference, subforum)
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER))

    with query_counter(db.engine) as log:
        response = client.get("/dashboard/exports/delegates.csv", buffered=False)
        chunks = iter(response.response)
        header = next(chunks)
        first = next(chunks)
        read_at_first_chunk = places_queries(log)
        rest = list(chunks)
        response.close()

    assert header.startswith(b"\xef\xbb\xbfID,Name,")
    assert first.count(b"\r\n") == 10
    assert first.split(b",")[1] == b"Delegate 000000"
    assert (read_at_first_chunk, places_queries(log)) == (1, 10)
    assert [chunk.count(b"\r\n") for chunk in rest] == [10] * 9


def test_100000_delegates_are_exported_without_being_held_in_memory(app):
    conference = make_conference()
    insert_plain_delegates(conference, SCALE)
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER))
    db.session.remove()

    tracemalloc.start()
    try:
        response = client.get("/dashboard/exports/delegates.csv", buffered=False)
        size, lines, last = 0, 0, b""
        for chunk in response.response:
            size, lines, last = size + len(chunk), lines + chunk.count(b"\r\n"), chunk
        response.close()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert lines == SCALE + 1
    assert b",Delegate 099999,\xe4\xbb\xa3\xe8\xa1\xa8099999,delegate-099999@" in last
    assert size > 14_000_000
    assert peak < PEAK_LIMIT
