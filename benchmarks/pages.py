"""Public HTML pages over HTTP, beside the "hello" app in the same run, on the two synthetic
programs of benchmarks/data/ (190 and 1,900 talks), loaded through the program services.

    .venv/bin/python benchmarks/pages.py                        # both programs, SQLite
    .venv/bin/python benchmarks/pages.py --programs large --seconds 5

Every server runs under gunicorn with 2 sync workers on 127.0.0.1 and a free port, and is loaded
by the client of benchmarks/feeds.py (wrk when installed, else its threaded Python client); the
hello app (benchmarks/hello_app.py) is measured before and after the page targets, and their mean
is the reference for "% of hello". For each program:

- day page warm: GET /program/?day=<the busiest day> (the first part of it when the day is split,
  what a visitor lands on), the page already prepared: answered from memory.
- session page warm: GET /sessions/<id>/ of one session of that day.
- subforum page warm: GET /subforums/<slug>/ (seats taken are part of its key).
- day page cold after a data change: before each request the benchmark reschedules a session
  through the program service (its audit entry renews the page version); then one GET, which
  renders the day page again. Sequential, on a second server of the same site with
  CALENDAR_VERSION_TTL = 0 (an instance config.py) so the change is seen at once; its server CPU
  per request is the build's cost.

Prints one JSON line per target with requests/s, p50/p99, % of hello, server CPU per request
(gunicorn master and workers, from /proc) and the page's bytes (plain and gzipped). Only
127.0.0.1 is contacted; every loop is bounded by --seconds and --max-requests.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

import feeds as common  # noqa: E402  (the servers, the load client and the CPU reading)

DATA = BENCHMARKS / "data"
PROGRAMS = {"small": "program_small.json.gz", "large": "program_large.json.gz"}
GZIP = common.GZIP


# --- the program, through the services ---------------------------------------------------------


def read_program(name: str) -> dict:
    with gzip.open(DATA / PROGRAMS[name], "rt", encoding="utf-8") as file:
        return json.load(file)


def load_program(app, program: dict) -> None:
    """Conference, rooms, tracks (as subforums), speakers and talks, each by its service."""
    from wuzhen_events.audit.actors import Actor
    from wuzhen_events.program import services
    from wuzhen_events.program.enums import SessionKind, SpeakerRole

    actor = Actor.cli("benchmark")
    event = program["event"]
    with app.app_context():
        conference = services.create_conference(
            actor=actor,
            slug=event["slug"],
            name=event["name"],
            edition=5,
            theme="Synthetic program for side-by-side measurements",
            city="Wuzhen",
            venue_name=event["location"],
            starts_on=date.fromisoformat(event["date_from"]),
            ends_on=date.fromisoformat(event["date_to"]),
            timezone=event["timezone"],
        )
        rooms = {
            room["id"]: services.create_venue(
                actor=actor,
                slug=f"room-{room['id']}",
                building=room["name"],
                capacity=room["capacity"],
            )
            for room in program["rooms"]
        }
        tracks = {
            track["id"]: services.create_subforum(
                conference,
                actor=actor,
                slug=f"track-{track['id']}",
                title=track["name"],
                description=track["description"],
                capacity=200,
            )
            for track in program["tracks"]
        }
        speakers = {
            speaker["id"]: services.create_speaker(
                actor=actor,
                slug=speaker["code"].lower(),
                name=speaker["name"],
                affiliation=speaker["organisation"],
                bio=speaker["biography"],
            )
            for speaker in program["speakers"]
        }
        for talk in program["talks"]:
            services.schedule_session(
                conference,
                actor=actor,
                kind=SessionKind.SUBFORUM_SESSION,
                title=talk["title"],
                abstract=talk["abstract"],
                starts_at=datetime.fromisoformat(talk["start"]),
                ends_at=datetime.fromisoformat(talk["end"]),
                venue=rooms[talk["room_id"]],
                subforum=tracks[talk["track_id"]],
                speakers=[
                    (speakers[number], SpeakerRole.SPEAKER) for number in talk["speaker_ids"]
                ],
            )


def prepare_database(kind: str, folder: Path, name: str, program: dict) -> str:
    """A fresh database with the schema (by migrations) and the program, through the services."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / (name + '.sqlite3')}"
    else:
        engine = sa.create_engine(
            common.POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        url = f"postgresql://root@127.0.0.1:5432/{name}"
        common.POSTGRES_DATABASES.append(name)
    flask = [sys.executable, "-m", "flask", "--app", "wuzhen_events", "init-db"]
    subprocess.run(flask, env=common.app_env(url), check=True, capture_output=True, cwd=common.ROOT)
    return url


def busiest_day(program: dict) -> str:
    return Counter(talk["start"][:10] for talk in program["talks"]).most_common(1)[0][0]


# --- targets -----------------------------------------------------------------------------------


def page_sizes(port: int, path: str) -> dict:
    _, _, body = common.get(port, path)
    _, headers, zipped = common.get(port, path, GZIP)
    if headers.get("Content-Encoding") != "gzip":
        raise RuntimeError(f"{path} was not gzipped for a client that asked")
    return {"bytes": len(body), "gzip_bytes": len(zipped)}


def warm_up(port: int, paths: list[str], workers: int) -> None:
    for path in paths:
        for headers in ({}, GZIP):
            for _ in range(2 * workers + 2):
                status = common.get(port, path, headers)[0]
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")


def cold_after_change(app, port: int, path: str, args, master: int) -> dict:
    """Reschedule one session by its service (by a minute, then back), then one GET."""
    from wuzhen_events.audit.actors import Actor
    from wuzhen_events.extensions import db
    from wuzhen_events.program import services
    from wuzhen_events.program.models import ProgramSession

    actor = Actor.cli("benchmark")
    with app.app_context():
        first = db.session.scalar(sa.select(ProgramSession.id).order_by(ProgramSession.id))
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    etags: set[str] = set()
    cpu_before = common.server_cpu_seconds(master)
    stop_at = time.monotonic() + args.seconds
    for number in range(min(args.cold_requests, args.max_requests)):
        if time.monotonic() >= stop_at:
            break
        with app.app_context():
            session = db.session.get(ProgramSession, first)
            shift = timedelta(minutes=1 if number % 2 == 0 else -1)
            services.reschedule_session(session, actor=actor, ends_at=session.ends_at + shift)
        started = time.perf_counter()
        status, headers, _ = common.get(port, path)
        latencies.append(time.perf_counter() - started)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        etags.add(headers.get("ETag", ""))
    result = common.summarise(latencies, sum(latencies), statuses, args.max_requests)
    result["distinct_etags"] = len(etags)
    result["server_cpu_ms_per_request"] = round(
        (common.server_cpu_seconds(master) - cpu_before) * 1000 / max(1, len(latencies)), 2
    )
    result["loadavg_1m_before"] = round(os.getloadavg()[0], 2)
    return result


def http_run(args, folder: Path, name: str) -> list[dict]:
    program = read_program(name)
    started = time.monotonic()
    url = prepare_database(args.database, folder, f"wuzhen_bench_pages_{name}", program)
    app = common.make_app(url)
    load_program(app, program)
    load_seconds = round(time.monotonic() - started, 1)
    day = busiest_day(program)
    with app.app_context():
        from wuzhen_events.extensions import db
        from wuzhen_events.program.models import ProgramSession, Subforum

        session_id = db.session.scalar(sa.select(ProgramSession.id).order_by(ProgramSession.id))
        slug = db.session.scalar(sa.select(Subforum.slug).order_by(Subforum.id))
    day_path = f"/program/?day={day}"
    targets = [
        ("day page warm", day_path),
        ("session page warm", f"/sessions/{session_id}/"),
        ("subforum page warm", f"/subforums/{slug}/"),
    ]
    rows: list[dict] = []

    def record(target: str, measured: dict, **extra) -> None:
        result = {"program": name, "talks": len(program["talks"]), "target": target}
        result.update(measured, **extra)
        rows.append(result)
        print(json.dumps(result), flush=True)

    hello_port, port, checking_port = common.free_port(), common.free_port(), common.free_port()
    hello = common.start_gunicorn(
        "hello_app:app",
        {**os.environ},
        hello_port,
        args.workers,
        "/",
        ("--pythonpath", str(BENCHMARKS)),
    )
    try:
        server = common.start_gunicorn(
            "wuzhen_events:create_app()", common.app_env(url), port, args.workers, "/healthz"
        )
        checking = common.start_gunicorn(
            "wuzhen_events:create_app()",
            common.checking_env(url, folder),
            checking_port,
            args.workers,
            "/healthz",
        )
        try:
            warm_up(port, [path for _, path in targets], args.workers)
            for _ in range(2 * args.workers):
                common.get(hello_port, "/")
            measured = common.load(hello_port, "/", args, folder, hello.pid)
            hello_before = measured["per_second"]
            record("hello (before)", measured, load_seconds=load_seconds)
            page_rows = []
            for target, path in targets:
                # Plain, and gzipped as every browser asks for it.
                for suffix, headers in (("", {}), (", gzip", GZIP)):
                    measured = common.load(port, path, args, folder, server.pid, headers=headers)
                    record(target + suffix, measured, path=path, **page_sizes(port, path))
                    page_rows.append(rows[-1])
            measured = common.load(hello_port, "/", args, folder, hello.pid)
            record("hello (after)", measured)
            hello_rate = (hello_before + measured["per_second"]) / 2
            for row in page_rows:
                row["percent_of_hello"] = round(100 * row["per_second"] / hello_rate, 1)
                print(json.dumps({**row, "final": True}), flush=True)
            for _ in range(2 * args.workers + 2):
                common.get(checking_port, day_path)
            measured = cold_after_change(app, checking_port, day_path, args, checking.pid)
            record(
                "day page cold after a change",
                measured,
                path=day_path,
                **page_sizes(port, day_path),
            )
        finally:
            common.stop(checking)
            common.stop(server)
    finally:
        common.stop(hello)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--programs", nargs="+", choices=sorted(PROGRAMS), default=["small", "large"]
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cold-requests", type=int, default=200)
    common.add_load_arguments(parser)
    args = parser.parse_args()
    print(
        json.dumps({"client": args.client, "database": args.database, "loadavg": os.getloadavg()}),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="wuzhen-pages-") as name:
        try:
            for program in args.programs:
                http_run(args, Path(name), program)
        finally:
            if common.POSTGRES_DATABASES:
                common.drop_postgres_databases()


if __name__ == "__main__":
    main()
