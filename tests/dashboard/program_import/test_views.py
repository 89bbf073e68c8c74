"""The program import pages: upload, preview (nothing saved), confirm (exactly that file)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g

from tests import factories
from tests.factories import count_rows
from tests.helpers import frab
from tests.helpers.accounts import log_in, make_account
from tests.helpers.frab import TWO_TALKS, File, Talk
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, ProgramSession

URL = "/dashboard/program/import/"
CONFIRM = "/dashboard/program/import/confirm"
NOT_UTF8 = "The file is not UTF-8 text; export the schedule again as UTF-8."


@pytest.fixture
def organizer(app, tmp_path):
    app.instance_path = str(tmp_path)
    factories.make_conference()
    return make_account(Role.ORGANIZER)


@pytest.fixture
def signed_in(client, organizer):
    log_in(client, organizer)
    return client


def upload(client, data: bytes, name: str = "schedule.xml"):
    return client.post(
        URL,
        data={"schedule": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(upload|sha256)" type="hidden" value="([^"]*)"', page))


def kept_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "schedule-imports").glob("*.upload"))


def test_the_page_offers_the_upload(signed_in):
    response = signed_in.get(URL)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Import a program</h1>" in page
    assert 'enctype="multipart/form-data"' in page


def test_an_upload_shows_the_preview_and_saves_nothing(app, signed_in):
    response = upload(signed_in, frab.xml(TWO_TALKS))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "File: schedule.xml (xml, written by pretalx)." in page
    assert "<li>Securing Digital Economy</li>" in page
    assert "<li>Hall B</li>" in page
    assert "Sessions (from events)</th><td>To create: 2</td>" in page
    assert set(confirm_fields(page)) == {"upload", "sha256"}
    assert count_rows(ProgramSession) == 0
    assert len(kept_files(app)) == 1


def test_confirming_imports_the_previewed_file_once(app, signed_in, organizer):
    fields = confirm_fields(upload(signed_in, frab.xml(TWO_TALKS)).get_data(as_text=True))

    response = signed_in.post(CONFIRM, data=fields)
    again = signed_in.post(CONFIRM, data=fields, follow_redirects=True)

    assert (response.status_code, response.location) == (303, URL)
    assert count_rows(ProgramSession) == 2
    sessions = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "program_sessions")
    ).all()
    assert [(e.action, e.actor_label) for e in sessions] == [
        ("import_schedule", f"organizer:{organizer.id}")
    ] * 2
    assert kept_files(app) == []
    assert (
        "The previewed file is no longer kept (already imported, or too old). Upload it again."
    ) in again.get_data(as_text=True)
    assert count_rows(ProgramSession) == 2


def test_the_success_message_counts_the_sessions(signed_in):
    fields = confirm_fields(upload(signed_in, frab.xml(TWO_TALKS)).get_data(as_text=True))

    page = signed_in.post(CONFIRM, data=fields, follow_redirects=True).get_data(as_text=True)

    assert (
        "Schedule imported: 2 sessions created, 0 changed, 0 cancelled, 0 unchanged, 0 refused."
    ) in page


def test_a_changed_file_is_not_applied_silently(app, signed_in):
    fields = confirm_fields(upload(signed_in, frab.xml(TWO_TALKS)).get_data(as_text=True))
    (kept,) = kept_files(app)
    kept.write_bytes(frab.xml(File(TWO_TALKS.talks[:1])))

    page = signed_in.post(CONFIRM, data=fields, follow_redirects=True).get_data(as_text=True)

    assert "The file is not the one previewed; preview it again before importing." in page
    assert count_rows(ProgramSession) == 0


def test_another_organizer_cannot_confirm_someone_elses_upload(app, client, signed_in):
    fields = confirm_fields(upload(signed_in, frab.xml(TWO_TALKS)).get_data(as_text=True))
    other = app.test_client()
    log_in(other, make_account(Role.ADMIN))
    # The tests keep one app context open, where Flask-Login remembers the first user.
    g.pop("_login_user", None)

    page = other.post(CONFIRM, data=fields, follow_redirects=True).get_data(as_text=True)

    assert "The previewed file is no longer kept" in page
    assert count_rows(ProgramSession) == 0


@pytest.mark.parametrize(
    "fields",
    [{}, {"upload": "../../etc/passwd", "sha256": "0" * 64}, {"upload": "x" * 22, "sha256": "z"}],
    ids=["empty", "path", "bad checksum"],
)
def test_a_forged_confirmation_changes_nothing(signed_in, fields):
    response = signed_in.post(CONFIRM, data=fields)

    assert (response.status_code, response.location) == (303, URL)
    assert count_rows(ProgramSession) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is neither a frab schedule.xml nor a schedule.json."),
        (b"hello", "The file is neither a frab schedule.xml nor a schedule.json."),
        ("<x>é</x>".encode("latin-1"), NOT_UTF8),
        (b"<schedule>", "The file is not well-formed XML (line 1)."),
    ],
    ids=["empty", "text", "latin-1", "broken"],
)
def test_a_malformed_upload_is_shown_its_problem(app, signed_in, data, message):
    response = upload(signed_in, data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert (count_rows(ProgramSession), kept_files(app)) == (0, [])


def test_no_file_at_all_is_asked_for(signed_in):
    response = signed_in.post(URL, data={})

    assert response.status_code == 422
    assert "Choose a schedule file to upload." in response.get_data(as_text=True)


def test_names_are_shown_as_text_in_both_scripts(signed_in):
    talk = Talk(1, "<script>alert(1)</script>", persons=(("王小明", None),))

    page = upload(signed_in, frab.xml(File((talk,)))).get_data(as_text=True)

    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in page
    assert "<li>王小明</li>" in page
    assert "<script>alert(1)" not in page


def test_a_file_above_the_sites_usual_limit_is_taken(app, signed_in):
    padding = b"<!-- " + b"x" * (3 * 1024 * 1024) + b" -->"
    data = frab.xml(TWO_TALKS).replace(b"<schedule>", b"<schedule>" + padding, 1)

    response = upload(signed_in, data)

    assert response.status_code == 200
    assert "<li>Securing Digital Economy</li>" in response.get_data(as_text=True)


def test_a_file_above_the_import_limit_is_refused_with_a_message(app, signed_in):
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024

    response = upload(signed_in, b" " * (2 * 1024 * 1024))

    assert response.status_code == 413
    assert "The file is larger than 1 MB; a schedule file is much smaller." in (
        response.get_data(as_text=True)
    )
    assert kept_files(app) == []


def test_an_upload_without_its_form_token_is_refused(app, signed_in):
    app.config["WTF_CSRF_ENABLED"] = True

    response = upload(signed_in, frab.xml(TWO_TALKS))

    assert response.status_code == 422
    assert "This form had expired" in response.get_data(as_text=True)
    assert kept_files(app) == []


def test_a_subforum_host_is_refused_and_not_offered_the_page(app, client, organizer):
    conference = db.session.scalars(sa.select(Conference)).one()
    subforum = factories.make_subforum(conference)
    host = make_account(Role.SUBFORUM_HOST, subforums=[subforum])
    log_in(client, host)

    assert client.get(URL).status_code == 403
    assert upload(client, frab.xml(TWO_TALKS)).status_code == 403
    assert "Import a program" not in client.get("/dashboard/").get_data(as_text=True)


def test_the_page_reads_in_chinese(signed_in):
    response = signed_in.get(URL, headers={"Accept-Language": "zh"})

    assert response.status_code == 200
