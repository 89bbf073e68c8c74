"""`flask import-schedule FILE`: a preview, then the import unless --dry-run; one-line errors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import factories
from tests.factories import count_rows
from tests.helpers import frab
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db
from wuzhen_events.program.models import ProgramSession

NOT_UTF8 = "The file is not UTF-8 text; export the schedule again as UTF-8."
PREVIEW = [
    "Schedule (xml, pretalx):",
    "  Subforums: 2 to create",
    "    to create: Digital Economy",
    "    to create: Smart Cities",
    "  Venues: 2 to create",
    "    to create: Hall A",
    "    to create: Hall B",
    "  Speakers: 2 to create",
    "    to create: Wei Sato",
    "    to create: Lei Kumar",
    "  Sessions: 2 to create",
    "    to create: Securing Digital Economy",
    "    to create: Open Data for Cities",
]


@pytest.fixture
def schedule_file(tmp_path):
    path = tmp_path / "schedule.xml"
    path.write_bytes(frab.xml(frab.TWO_TALKS))
    return path


def test_a_dry_run_previews_and_changes_nothing(app, runner, schedule_file):
    factories.make_conference()

    result = runner.invoke(args=["import-schedule", str(schedule_file), "--dry-run"])

    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [*PREVIEW, "Dry run: nothing changed."],
    )
    assert count_rows(ProgramSession) == 0


def test_the_import_applies_the_preview_and_a_second_run_changes_nothing(
    app, runner, schedule_file
):
    factories.make_conference()

    first = runner.invoke(args=["import-schedule", str(schedule_file)])
    second = runner.invoke(args=["import-schedule", str(schedule_file)])

    assert (first.exit_code, first.output.splitlines()) == (0, [*PREVIEW, "Imported."])
    assert (second.exit_code, second.output.splitlines()) == (
        0,
        [
            "Schedule (xml, pretalx):",
            "  Subforums: 2 unchanged",
            "  Venues: 2 unchanged",
            "  Speakers: 2 unchanged",
            "  Sessions: 2 unchanged",
            "Nothing to change: the program already matches the file.",
        ],
    )
    assert count_rows(ProgramSession) == 2
    assert {entry.actor_kind.value for entry in _entries()} == {"cli"}


def _entries():
    db.session.rollback()
    return list(db.session.scalars(sa.select(AuditEntry)))


def test_a_refused_event_is_named_with_its_reason(app, runner, tmp_path):
    factories.make_conference()
    path = tmp_path / "schedule.json"
    late = frab.Talk(3, "Too late", date="2018-11-12T10:00:00+08:00")
    path.write_bytes(frab.to_json(frab.File((late,), generator="frab")))

    result = runner.invoke(args=["import-schedule", str(path)])

    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [
            "Schedule (json, frab):",
            "  Subforums: none",
            "  Venues: none",
            "  Speakers: none",
            "  Sessions: 1 refused",
            "    refused: Too late: It starts outside the conference days.",
            "Nothing to change: the program already matches the file.",
        ],
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "The file is neither a frab schedule.xml nor a schedule.json."),
        (b"<schedule>", "The file is not well-formed XML (line 1)."),
        ("<x>é</x>".encode("latin-1"), NOT_UTF8),
    ],
    ids=["text", "broken", "latin-1"],
)
def test_a_malformed_file_is_one_line_and_changes_nothing(app, runner, tmp_path, content, message):
    factories.make_conference()
    path = tmp_path / "schedule.xml"
    path.write_bytes(content)

    result = runner.invoke(args=["import-schedule", str(path)])

    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    assert count_rows(ProgramSession) == 0


def test_a_file_over_the_limit_is_refused(app, runner, tmp_path):
    factories.make_conference()
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    path = tmp_path / "schedule.xml"
    path.write_bytes(b" " * (1024 * 1024 + 1))

    result = runner.invoke(args=["import-schedule", str(path)])

    assert (result.exit_code, result.output) == (
        1,
        "Error: The file is larger than 1 MB; a schedule file is much smaller.\n",
    )


def test_without_a_conference_the_command_says_what_to_run(app, runner, schedule_file):
    result = runner.invoke(args=["import-schedule", str(schedule_file)])

    assert (result.exit_code, result.output) == (
        1,
        "Error: No conference is loaded: run init-db and seed-demo first.\n",
    )


def test_with_two_conferences_the_command_asks_which(app, runner, schedule_file):
    factories.make_conference()
    factories.make_conference(slug="wic2019")

    unnamed = runner.invoke(args=["import-schedule", str(schedule_file)])
    named = runner.invoke(
        args=["import-schedule", str(schedule_file), "--conference", "wic2019", "--dry-run"]
    )
    unknown = runner.invoke(args=["import-schedule", str(schedule_file), "--conference", "x"])

    assert (unnamed.exit_code, unnamed.output) == (
        1,
        "Error: Several conferences are loaded: name one with --conference.\n",
    )
    assert named.exit_code == 0
    assert (unknown.exit_code, unknown.output) == (1, "Error: No conference has the slug 'x'.\n")
