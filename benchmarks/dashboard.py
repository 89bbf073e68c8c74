"""Organizer dashboard pages over HTTP at scale: the demo conference plus 1,900 sessions and
100,000 delegates with their seats, one signed-in admin, one client at a time.

    .venv/bin/python benchmarks/dashboard.py                          # SQLite
    .venv/bin/python benchmarks/dashboard.py --database postgresql --seconds 20

The database is made by `flask init-db` and `flask seed-demo` (the WIC 2018 conference through
the services: 19 subforums, 424 exhibitors), then grown by the bulk inserts of the tests' scale
fixture (tests/helpers/scale.py): the 1,900 talks of benchmarks/data/program_large.json.gz (19
more subforums) and --delegates delegates spread over every subforum, category, country,
status and registration day. An admin account is created through the accounts service and
signs in once by the sign-in form (GET /login for the CSRF token, POST /login); its session
cookie goes with every request.

Targets, each loaded for --seconds by the client of benchmarks/feeds.py (one connection by
default: the target is one organizer's p99), against gunicorn (--workers sync workers) on
127.0.0.1:
- GET /dashboard/ (the home page with its headline figures)
- GET /dashboard/statistics/
- GET /dashboard/delegates/, searched (?q=<a name>, ?q=<two Chinese characters>) and filtered
  (?category=...&status=...)
- a filtered export under /dashboard/exports/ (--export-path): time to first byte and total
A target that answers 404 is not part of this build yet: it is skipped and says so.

Prints one JSON line per target (p50/p99, requests/s, server CPU per request, bytes). Only
127.0.0.1 is contacted; every load loop is bounded by --seconds and --max-requests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(ROOT))  # tests.helpers.scale: the same bulk inserts as the scale tests

import feeds as common  # noqa: E402  (the servers, the load client and the CPU reading)

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ADMIN_EMAIL = "bench-admin@organizers.example"
ADMIN_PASSWORD = "benchmark password, not a secret"


def prepare_database(kind: str, folder: Path) -> str:
    """A fresh database by migrations, with the demo conference through the services."""
    return common.prepare_database(kind, folder, "wuzhen_bench_dashboard")


def grow(app, delegates: int) -> dict:
    """The bench program's talks and `delegates` delegates, by bulk inserts; the admin."""
    from tests.helpers.scale import insert_delegates, insert_program
    from wuzhen_events.accounts.enums import Role
    from wuzhen_events.accounts.services import AccountDetails, create_account
    from wuzhen_events.audit.actors import Actor
    from wuzhen_events.extensions import db
    from wuzhen_events.program.models import ProgramSession, Subforum
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration.models import Delegate, SeatBooking

    with app.app_context():
        conference = current_conference()
        started = time.monotonic()
        insert_program(conference)
        program_seconds = time.monotonic() - started
        subforums = db.session.scalars(
            sa.select(Subforum).where(Subforum.conference_id == conference.id).order_by(Subforum.id)
        ).all()
        started = time.monotonic()
        insert_delegates(conference, delegates, subforums=subforums)
        delegate_seconds = time.monotonic() - started
        create_account(
            AccountDetails(email=ADMIN_EMAIL, name="Benchmark admin", role=Role.ADMIN),
            ADMIN_PASSWORD,
            actor=Actor.cli("benchmark"),
        )
        counts = {
            name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for name, model in (
                ("delegates", Delegate),
                ("seat_bookings", SeatBooking),
                ("sessions", ProgramSession),
                ("subforums", Subforum),
            )
        }
        db.session.remove()
    return {
        **counts,
        "insert_program_seconds": round(program_seconds, 1),
        "insert_delegates_seconds": round(delegate_seconds, 1),
    }


def sign_in(port: int) -> str:
    """The session cookie of the admin, through the sign-in form as a browser gets it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/login")
        response = connection.getresponse()
        page = response.read().decode()
        cookie = SimpleCookie(response.getheader("Set-Cookie") or "")
        token = CSRF_PATTERN.search(page).group(1)
        body = urlencode({"csrf_token": token, "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{key}={morsel.value}" for key, morsel in cookie.items()),
        }
        connection.request("POST", "/login", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 303:
            raise RuntimeError(f"sign-in answered {response.status}")
        cookie = SimpleCookie(response.getheader("Set-Cookie") or "")
        return "; ".join(f"{key}={morsel.value}" for key, morsel in cookie.items())
    finally:
        connection.close()


def first_byte_and_total(port: int, path: str, headers: dict, repeats: int) -> dict:
    """A streamed download: time to the first byte of the body and to its end, sequentially."""
    first: list[float] = []
    total: list[float] = []
    size = 0
    for _ in range(repeats):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read(1)
        first.append(time.perf_counter() - started)
        size = 1 + len(response.read())
        total.append(time.perf_counter() - started)
        connection.close()
    first.sort()
    total.sort()
    return {
        "requests": repeats,
        "first_byte_p50_ms": round(statistics.median(first) * 1000, 1),
        "first_byte_max_ms": round(first[-1] * 1000, 1),
        "total_p50_ms": round(statistics.median(total) * 1000, 1),
        "total_max_ms": round(total[-1] * 1000, 1),
        "bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--delegates", type=int, default=100_000)
    parser.add_argument("--query", default="Delegate 4242", help="the searched list's ?q=")
    parser.add_argument("--chinese-query", default="代表4242", help="a search in Chinese names")
    parser.add_argument(
        "--filters",
        default="category=government&status=pending",
        help="the filtered list's query string",
    )
    parser.add_argument(
        "--export-path",
        default="/dashboard/exports/delegates.csv?status=confirmed&country=CN",
        help="a filtered export, measured for its first byte and total time",
    )
    parser.add_argument("--export-repeats", type=int, default=5)
    common.add_load_arguments(parser)
    parser.set_defaults(connections=1, seconds=10)
    args = parser.parse_args()
    print(
        json.dumps(
            {
                "kind": "setup",
                "database": args.database,
                "client": args.client,
                "connections": args.connections,
                "workers": args.workers,
                "cpus": os.cpu_count(),
                "loadavg": os.getloadavg(),
            }
        ),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="wuzhen-dashboard-") as name:
        folder = Path(name)
        try:
            started = time.monotonic()
            url = prepare_database(args.database, folder)
            seeded = round(time.monotonic() - started, 1)
            app = common.make_app(url)
            sizes = grow(app, args.delegates)
            print(
                json.dumps({"kind": "database", "seed_demo_seconds": seeded, **sizes}), flush=True
            )
            env = {**common.app_env(url), "RATELIMIT_ENABLED": "0"}
            port = common.free_port()
            server = common.start_gunicorn(
                "wuzhen_events:create_app()", env, port, args.workers, "/healthz"
            )
            try:
                cookie = {"Cookie": sign_in(port)}
                targets = [
                    ("home", "/dashboard/"),
                    ("statistics", "/dashboard/statistics/"),
                    ("delegates", "/dashboard/delegates/"),
                    ("delegates searched", f"/dashboard/delegates/?{urlencode({'q': args.query})}"),
                    (
                        "delegates searched in Chinese",
                        f"/dashboard/delegates/?{urlencode({'q': args.chinese_query})}",
                    ),
                    ("delegates filtered", f"/dashboard/delegates/?{args.filters}"),
                ]
                for target, path in targets:
                    status, _headers, body = common.get(port, path, cookie)
                    if status == 404:
                        print(json.dumps({"target": target, "path": path, "skipped": "404"}))
                        continue
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")
                    for _ in range(2 * args.workers):
                        common.get(port, path, cookie)  # each worker's first request
                    measured = common.load(port, path, args, folder, server.pid, headers=cookie)
                    print(
                        json.dumps(
                            {"target": target, "path": path, "bytes": len(body), **measured}
                        ),
                        flush=True,
                    )
                status = common.get(port, args.export_path, cookie)[0]
                if status == 404:
                    print(
                        json.dumps({"target": "export", "path": args.export_path, "skipped": "404"})
                    )
                elif status != 200:
                    raise RuntimeError(f"{args.export_path} answered {status}")
                else:
                    measured = first_byte_and_total(
                        port, args.export_path, cookie, args.export_repeats
                    )
                    print(json.dumps({"target": "export", "path": args.export_path, **measured}))
            finally:
                common.stop(server)
        finally:
            if common.POSTGRES_DATABASES:
                common.drop_postgres_databases()


if __name__ == "__main__":
    main()
