"""Maintainer commands: two at once run one after the other, and every failure is one clear
line with a non-zero exit status, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.helpers.apps import database_url, make_app
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, ProgramSession, Speaker, Subforum

ROOT = Path(__file__).resolve().parent.parent
COMMAND_TIMEOUT = 300  # seconds for both processes of a pair; seeding takes a few
LOADED = (
    "Loaded the WIC 2018 demo: 1 conference, 11 venues, 21 topics, 60 speakers, 19 subforums, "
    "48 sessions, 424 exhibitors, 151 launches, 20 doors (created 755 rows).\n"
)
ALREADY_LOADED = "The WIC 2018 demo is already loaded; nothing changed.\n"
SCHEMA_CURRENT = "Database schema is at the newest migration.\n"


def run_twice_at_once(command: str, url: str, instance: Path) -> list[tuple[int, str, str]]:
    """Start the command in two processes at the same moment; their exit codes and output."""
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "WUZHEN_INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key-not-for-production",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wuzhen_events", command],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for process in processes:
        try:
            stdout, stderr = process.communicate(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            for each in processes:
                each.kill()
            raise
        results.append((process.returncode, stdout, stderr))
    return results


@pytest.mark.fault
def test_init_db_and_seed_demo_run_twice_at_once_load_the_demo_once(tmp_path):
    url = database_url("cli_race", tmp_path)

    migrated = run_twice_at_once("init-db", url, tmp_path)
    seeded = run_twice_at_once("seed-demo", url, tmp_path)

    assert [stderr for _code, _out, stderr in migrated + seeded if "Traceback" in stderr] == []
    assert [(code, out) for code, out, _err in migrated] == [(0, SCHEMA_CURRENT)] * 2
    assert sorted((code, out) for code, out, _err in seeded) == [(0, LOADED), (0, ALREADY_LOADED)]
    app = make_app(url)
    with app.app_context():
        counts = [
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Conference, Subforum, ProgramSession, Speaker, Exhibitor, ProductLaunch)
        ]
        db.engine.dispose()
    assert counts == [1, 19, 48, 60, 424, 151]


@pytest.mark.parametrize("command", ["init-db", "seed-demo", "send-emails", "export-ics -"])
def test_a_command_with_the_database_out_of_reach_says_so_in_one_line(tmp_path, command):
    app = make_app(f"sqlite:///{tmp_path}/missing/wuzhen_events.sqlite3")

    result = app.test_cli_runner().invoke(args=command.split())

    assert (result.exit_code, result.output) == (
        1,
        "Error: The database is out of reach (OperationalError: unable to open database file). "
        "Check DATABASE_URL and that the database server is running, then try again.\n",
    )


def test_seed_demo_before_init_db_says_to_run_init_db(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/empty.sqlite3")

    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert (result.exit_code, result.output) == (
        1,
        "Error: The database refused this command (OperationalError: no such table: "
        "conferences). If the schema is missing or old, run `flask --app wuzhen_events "
        "init-db` first.\n",
    )
