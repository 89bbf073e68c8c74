"""Calendar feeds and the frab schedule over HTTP, beside a minimal Flask "hello" app, and the
whole-program feed's cold build in-process at 1×, 2×, 5× and 10× the demo program.

    .venv/bin/python benchmarks/feeds.py                      # 3 runs, SQLite, wrk
    .venv/bin/python benchmarks/feeds.py --runs 1 --seconds 5 --database postgresql

Every target runs under gunicorn with 2 sync workers (gunicorn's default worker class, as
benchmarks/registrations.py uses) on 127.0.0.1 and a free port; the hello app
(benchmarks/hello_app.py) is started the same way and loaded by the same client in the same run.
The client is wrk (Debian: `apt-get install wrk`), one thread and --connections connections,
with a Lua script (written by this file) that counts statuses and stops at the request budget;
without wrk, a threaded Python client does the same job at a higher CPU cost.

HTTP targets, each for --seconds:
- hello: GET / of the hello app.
- feed warm: GET /calendar/wic2018.ics, the body already built for the current ETag.
- feed 304: the same with If-None-Match: "<its ETag>".
- feed warm, gzip / feed 304, gzip: the same two with Accept-Encoding: gzip, deflate, br (what
  Apple Calendar and Thunderbird send), so the compressed representation and its own ETag.
- personal feed: GET /calendar/me/<token>.ics of a delegate registered through the service
  (one confirmed subforum seat, five starred sessions); private, so never cached as bytes.
- schedule.xml warm, plain and with Accept-Encoding: gzip.
- feed cold, nothing memoized: every request carries its own Host header, so its ETag (which
  holds the base URL) and every event's URL differ: the body cache misses and so does the
  per-event VEVENT memo; each request is a complete build (only the VTIMEZONE and compiled
  SQL are reused, as in any process after its first request).
- feed 304, version query every request (TTL 0): the 304 target on a second server of the
  same site configured with CALENDAR_VERSION_TTL = 0 (an instance config.py), so every
  request runs the feed's version query, as before the TTL existed and as the tests run.
- feed cold after a change (sequential, TTL 0): on that second server, before each request
  the benchmark updates one session's updated_at in the database, so the feed's ETag changes
  and the request builds the feed again, re-serialising that one session and reusing the
  memoized VEVENTs of the others: what the first subscriber after an edit pays. (With the
  default TTL of 1 s the change would only be seen a second later.) One request at a time (a
  change between every two), so at most one worker is busy: its rate is not comparable with
  the rows under load, its latency is.

The first server runs with the default configuration (CALENDAR_VERSION_TTL = 1 s): warm and
304 requests run the version query at most once a second per worker.

In-process (no HTTP, no server running): a separate database, grown from the demo program by
copying its sessions (with speakers and topics) and launches; for each size the median of
--build-repeats builds with the VEVENT memo cleared and the ORM session emptied ("fully cold"),
the median after a one-session change (memo kept), and the first build in a fresh process
(VTIMEZONE computed and statements compiled on the spot; --fresh-repeats processes).

Prints one JSON line per target and per program size, then a summary line naming the median
run (by the gzipped warm feed's share of hello). Only 127.0.0.1 is ever contacted; every load
loop is bounded by --seconds and --max-requests (a safety cap: a target that reaches it says
so with "budget_hit", and its rate is then a lower bound).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(__file__).resolve().parent
POSTGRES_ADMIN_URL = "postgresql://root@127.0.0.1:5432/test"
SECRET_KEY = "benchmark-" + "k" * 40
FEED_PATH = "/calendar/wic2018.ics"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
SCHEDULE_PATH = "/schedule.xml"
WORKER_CLASS = "sync"
BASE_URL = "http://127.0.0.1:8000"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
POSTGRES_DATABASES: list[str] = []

# wrk's script: status counts per thread, a stop at the per-thread budget, one JSON line at the
# end. A `request` function (cold runs only) makes wrk build every request in Lua.
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  budget = tonumber(args[1])
  seen, sent, s200, s304, sother = 0, 0, 0, 0, 0
end

function response(status, headers, body)
  seen = seen + 1
  if status == 200 then s200 = s200 + 1
  elseif status == 304 then s304 = s304 + 1
  else sother = sother + 1 end
  if seen >= budget then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local t200, t304, tother = 0, 0, 0
  for _, thread in ipairs(threads) do
    t200 = t200 + thread:get("s200")
    t304 = t304 + thread:get("s304")
    tother = tother + thread:get("sother")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"s200":%d,"s304":%d,' ..
    '"sother":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    t200, t304, tother, e.connect + e.read + e.write + e.timeout))
end
"""
WRK_COLD_REQUEST = r"""
function request()
  sent = sent + 1
  return wrk.format(nil, nil, {Host = "t" .. tid .. "-" .. sent .. ".cold.invalid"})
end
"""


# --- databases and servers ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(kind: str, folder: Path, name: str) -> str:
    """A fresh database with the schema (by migrations) and the demo conference."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / (name + '.sqlite3')}"
    else:
        engine = sa.create_engine(
            POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        url = f"postgresql://root@127.0.0.1:5432/{name}"
        POSTGRES_DATABASES.append(name)
    flask = [sys.executable, "-m", "flask", "--app", "wuzhen_events"]
    for command in ("init-db", "seed-demo"):
        subprocess.run(
            [*flask, command], env=app_env(url), check=True, capture_output=True, cwd=ROOT
        )
    return url


def drop_postgres_databases() -> None:
    engine = sa.create_engine(
        POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as connection:
        for name in POSTGRES_DATABASES:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    engine.dispose()


def app_env(url: str) -> dict[str, str]:
    """The server's environment: links from the request's host (the cold run relies on it, so
    it trusts every host under .cold.invalid besides the loopback address it is called by)."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}
    env.pop("PUBLIC_BASE_URL", None)
    env["TRUSTED_HOSTS"] = "127.0.0.1,localhost,.cold.invalid"
    return env


def checking_env(url: str, folder: Path) -> dict[str, str]:
    """app_env with an instance folder whose config.py sets CALENDAR_VERSION_TTL = 0."""
    instance = folder / "instance-ttl0"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text("CALENDAR_VERSION_TTL = 0\n")
    return {**app_env(url), "WUZHEN_INSTANCE_PATH": str(instance)}


def make_app(url: str):
    """The site's app in this process, configured exactly as the server is."""
    os.environ.update(DATABASE_URL=url, SECRET_KEY=SECRET_KEY)
    os.environ.pop("PUBLIC_BASE_URL", None)
    from wuzhen_events import create_app

    return create_app()


def start_gunicorn(
    target: str,
    env: dict,
    port: int,
    workers: int,
    probe: str,
    extra: tuple[str, ...] = (),
    nice: int = 0,
) -> subprocess.Popen:
    """gunicorn serving `target`, once `probe` answers; `nice` lowers its CPU priority (nice(1)
    execs gunicorn, so the process is still gunicorn's master)."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [
            *(("nice", "-n", str(nice)) if nice else ()),
            gunicorn,
            "-w",
            str(workers),
            "-k",
            WORKER_CLASS,
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
            *extra,
            target,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(port, probe)[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start {target}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of the gunicorn master and its live workers."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# --- load --------------------------------------------------------------------------------------


def load(
    port: int,
    path: str,
    args,
    folder: Path,
    master: int,
    *,
    headers: dict | None = None,
    cold: bool = False,
) -> dict:
    """One target under load: requests/s, p50/p99, statuses, server and client CPU."""
    cpu_before = server_cpu_seconds(master)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if args.client == "wrk":
        result = wrk_load(port, path, args, folder, headers or {}, cold)
    else:
        result = python_load(port, path, args, headers or {}, cold)
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    served = result["requests"] or 1
    result["server_cpu_ms_per_request"] = round(
        (server_cpu_seconds(master) - cpu_before) * 1000 / served, 2
    )
    if args.client == "wrk":
        client_cpu = (
            client_after.ru_utime
            + client_after.ru_stime
            - client_before.ru_utime
            - client_before.ru_stime
        )
        result["client_cpu_share"] = round(client_cpu / result["seconds"], 2)
    result["loadavg_1m_before"] = round(os.getloadavg()[0], 2)
    return result


def wrk_load(port: int, path: str, args, folder: Path, headers: dict, cold: bool) -> dict:
    script = folder / ("cold.lua" if cold else "load.lua")
    script.write_text(WRK_SCRIPT + (WRK_COLD_REQUEST if cold else ""))
    budget = -(-args.max_requests // args.wrk_threads)
    command = [
        "wrk",
        "-t",
        str(args.wrk_threads),
        "-c",
        str(args.connections),
        "-d",
        f"{args.seconds:g}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += [f"http://127.0.0.1:{port}{path}", "--", str(budget)]
    started = time.monotonic()
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=args.seconds + 60
    ).stdout
    wall = time.monotonic() - started
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": round(min(seconds, wall), 2),
        "per_second": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "statuses": {"200": raw["s200"], "304": raw["s304"], "other": raw["sother"]},
        "socket_errors": raw["socket_errors"],
        "budget_hit": raw["requests"] >= args.max_requests,
    }


def python_load(port: int, path: str, args, headers: dict, cold: bool) -> dict:
    """The fallback client: --connections threads, one request at a time each."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    budget = iter(range(args.max_requests))
    stop_at = time.monotonic() + args.seconds

    def drive(number: int) -> None:
        sequence = 0
        while time.monotonic() < stop_at:
            with lock:
                if next(budget, None) is None:
                    return
            sequence += 1
            sent = dict(headers)
            if cold:
                sent["Host"] = f"t{number}-{sequence}.cold.invalid"
            started = time.perf_counter()
            try:
                status = get(port, path, sent)[0]
            except OSError:
                status = 0
            latency = time.perf_counter() - started
            with lock:
                key = str(status) if status in (200, 304) else "other"
                statuses[key] = statuses.get(key, 0) + 1
                latencies.append(latency)

    started = time.monotonic()
    threads = [threading.Thread(target=drive, args=(n,)) for n in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return summarise(latencies, elapsed, statuses, args.max_requests)


def summarise(latencies: list[float], elapsed: float, statuses: dict, cap: int) -> dict:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "per_second": round(len(latencies) / elapsed, 1) if elapsed else None,
        "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
        "statuses": statuses,
        "budget_hit": len(latencies) >= cap,
    }


def percentile(ordered: list[float], rank: float) -> float:
    return ordered[max(0, min(len(ordered) - 1, round(len(ordered) * rank / 100) - 1))]


def cold_after_change(app, port: int, args, master: int) -> dict:
    """A one-session change, then one GET, repeatedly: each GET builds the feed for a new ETag."""
    from wuzhen_events.extensions import db
    from wuzhen_events.program.models import ProgramSession

    with app.app_context():
        ids = db.session.scalars(sa.select(ProgramSession.id).order_by(ProgramSession.id)).all()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    etags: set[str] = set()
    cpu_before = server_cpu_seconds(master)
    stop_at = time.monotonic() + args.seconds
    moment = datetime.now(UTC)
    for number in range(min(args.cold_requests, args.max_requests)):
        if time.monotonic() >= stop_at:
            break
        moment += timedelta(milliseconds=1)
        with app.app_context():
            db.session.execute(
                sa.update(ProgramSession)
                .where(ProgramSession.id == ids[number % len(ids)])
                .values(updated_at=moment)
            )
            db.session.commit()
        started = time.perf_counter()
        status, headers, _ = get(port, FEED_PATH)
        latencies.append(time.perf_counter() - started)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        etags.add(headers.get("ETag", ""))
    elapsed = sum(latencies)
    result = summarise(latencies, elapsed, statuses, args.max_requests)
    result["distinct_etags"] = len(etags)
    result["server_cpu_ms_per_request"] = round(
        (server_cpu_seconds(master) - cpu_before) * 1000 / max(1, len(latencies)), 2
    )
    result["loadavg_1m_before"] = round(os.getloadavg()[0], 2)
    return result


# --- the personal feed's delegate --------------------------------------------------------------


def register_delegate(app) -> str:
    """A delegate with one confirmed subforum seat and five starred sessions; their feed token."""
    from wuzhen_events.audit.actors import Actor
    from wuzhen_events.extensions import db
    from wuzhen_events.program.models import ProgramSession, Subforum
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration import services, tokens
    from wuzhen_events.registration.enums import DelegateCategory

    with app.test_request_context(base_url="http://127.0.0.1"):
        conference = current_conference()
        subforum = db.session.scalars(
            sa.select(Subforum)
            .where(
                Subforum.conference_id == conference.id, Subforum.seats_taken < Subforum.capacity
            )
            .order_by(Subforum.id)
        ).first()
        details = services.DelegateDetails(
            name="Feed Benchmark",
            email=f"feed-bench-{time.time_ns()}@example.com",
            organisation="Benchmark Networks",
            country="CN",
            category=DelegateCategory.ENTERPRISE,
        )
        registration = services.register_delegate(
            conference, details, subforums=[subforum], email_verified=True, actor=Actor.cli()
        )
        delegate = registration.delegate
        others = db.session.scalars(
            sa.select(ProgramSession)
            .where(
                ProgramSession.is_public,
                sa.or_(
                    ProgramSession.subforum_id != subforum.id, ProgramSession.subforum_id.is_(None)
                ),
            )
            .order_by(ProgramSession.starts_at)
            .limit(5)
        ).all()
        for session in others:
            services.star_session(delegate, session, actor=Actor.cli())
        return tokens.derive(tokens.Secret.FEED, delegate.feed_seed)


# --- one HTTP run ------------------------------------------------------------------------------


def http_run(args, folder: Path, number: int) -> list[dict]:
    """Both servers up at once (the idle one costs nothing); hello measured first and again
    after the loaded feed targets, and their mean is the reference for "% of hello", so a
    change in the machine's other load during the run shows as a gap between the two."""
    url = prepare_database(args.database, folder, f"wuzhen_bench_feeds_{number}")
    app = make_app(url)
    token = register_delegate(app)
    personal_path = f"/calendar/me/{token}.ics"
    rows: list[dict] = []

    def record(target: str, result: dict, **extra) -> None:
        result = {"run": number, "target": target, **result, **extra}
        rows.append(result)
        print(json.dumps(result), flush=True)

    hello_port, port, checking_port = free_port(), free_port(), free_port()
    hello = start_gunicorn(
        "hello_app:app",
        {**os.environ},
        hello_port,
        args.workers,
        "/",
        ("--pythonpath", str(BENCHMARKS)),
    )
    try:
        server = start_gunicorn(
            "wuzhen_events:create_app()", app_env(url), port, args.workers, "/healthz"
        )
        # The same site with CALENDAR_VERSION_TTL = 0 (through an instance config.py): every
        # feed request runs its version query, as the tests configure it.
        checking = start_gunicorn(
            "wuzhen_events:create_app()",
            checking_env(url, folder),
            checking_port,
            args.workers,
            "/healthz",
        )
        try:
            warmed = warm_up(port, personal_path, args.workers)
            for _ in range(2 * args.workers):
                get(hello_port, "/")
            record("hello (before)", load(hello_port, "/", args, folder, hello.pid), path="/")
            record(
                "feed warm",
                load(port, FEED_PATH, args, folder, server.pid),
                path=FEED_PATH,
                events=warmed.events,
                bytes=warmed.size,
            )
            record(
                "feed warm, gzip",
                load(port, FEED_PATH, args, folder, server.pid, headers=GZIP),
                path=FEED_PATH,
                events=warmed.events,
                bytes=warmed.gzip_size,
            )
            record(
                "feed 304",
                load(
                    port,
                    FEED_PATH,
                    args,
                    folder,
                    server.pid,
                    headers={"If-None-Match": warmed.etag},
                ),
                path=FEED_PATH,
            )
            record(
                "feed 304, gzip",
                load(
                    port,
                    FEED_PATH,
                    args,
                    folder,
                    server.pid,
                    headers={**GZIP, "If-None-Match": warmed.gzip_etag},
                ),
                path=FEED_PATH,
            )
            record(
                "personal feed",
                load(port, personal_path, args, folder, server.pid),
                path="/calendar/me/<token>.ics",
                events=warmed.personal_events,
            )
            record(
                "schedule.xml warm",
                load(port, SCHEDULE_PATH, args, folder, server.pid),
                path=SCHEDULE_PATH,
            )
            record(
                "schedule.xml warm, gzip",
                load(port, SCHEDULE_PATH, args, folder, server.pid, headers=GZIP),
                path=SCHEDULE_PATH,
            )
            record(
                "feed cold, nothing memoized",
                load(port, FEED_PATH, args, folder, server.pid, cold=True),
                path=FEED_PATH,
            )
            record("hello (after)", load(hello_port, "/", args, folder, hello.pid), path="/")
            checking_etag = warm_up(checking_port, personal_path, args.workers).etag
            record(
                "feed 304, version query every request (TTL 0)",
                load(
                    checking_port,
                    FEED_PATH,
                    args,
                    folder,
                    checking.pid,
                    headers={"If-None-Match": checking_etag},
                ),
                path=FEED_PATH,
            )
            record(
                "feed cold after a change (sequential, TTL 0)",
                cold_after_change(app, checking_port, args, checking.pid),
                path=FEED_PATH,
            )
        finally:
            stop(server)
            stop(checking)
    finally:
        stop(hello)
    hello_rate = statistics.mean(r["per_second"] for r in rows if r["target"].startswith("hello"))
    for row in rows:
        row["percent_of_hello"] = round(100 * row["per_second"] / hello_rate, 1)
    summary = {r["target"]: r["percent_of_hello"] for r in rows}
    print(
        json.dumps(
            {
                "run": number,
                "kind": "http summary",
                "hello_reference": round(hello_rate, 1),
                **summary,
            }
        ),
        flush=True,
    )
    return rows


@dataclass(frozen=True)
class Warmed:
    etag: str
    gzip_etag: str
    events: int
    size: int
    gzip_size: int
    personal_events: int


def warm_up(port: int, personal_path: str, workers: int) -> Warmed:
    """Every path built in every worker, both 304s and the Host-dependent ETag checked."""
    for path in (FEED_PATH, personal_path, SCHEDULE_PATH):
        for headers in ({}, GZIP):
            for _ in range(2 * workers + 2):
                status = get(port, path, headers)[0]
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
    _, headers, body = get(port, FEED_PATH)
    _, gzip_headers, gzip_body = get(port, FEED_PATH, GZIP)
    if gzip_headers.get("Content-Encoding") != "gzip":
        raise RuntimeError("the whole-program feed was not gzipped for a client that asked")
    for etag, sent in ((headers["ETag"], {}), (gzip_headers["ETag"], GZIP)):
        if get(port, FEED_PATH, {**sent, "If-None-Match": etag})[0] != 304:
            raise RuntimeError(f"the whole-program feed did not answer 304 to {etag}")
    personal = get(port, personal_path)[2].count(b"BEGIN:VEVENT")
    _, one, _ = get(port, FEED_PATH, {"Host": "a.cold.invalid"})
    _, two, _ = get(port, FEED_PATH, {"Host": "b.cold.invalid"})
    if one["ETag"] == two["ETag"]:
        raise RuntimeError("the Host header does not change the ETag: PUBLIC_BASE_URL set?")
    return Warmed(
        etag=headers["ETag"],
        gzip_etag=gzip_headers["ETag"],
        events=body.count(b"BEGIN:VEVENT"),
        size=len(body),
        gzip_size=len(gzip_body),
        personal_events=personal,
    )


# --- in-process cold builds --------------------------------------------------------------------


def grow(app, copies: int) -> tuple[int, int]:
    """The demo program's sessions (with speakers and topics) and launches, `copies` times."""
    from wuzhen_events.expo.models import ProductLaunch
    from wuzhen_events.extensions import db
    from wuzhen_events.program.models import ProgramSession, SessionSpeaker

    session_columns = [c.key for c in sa.inspect(ProgramSession).column_attrs if c.key != "id"]
    launch_columns = [c.key for c in sa.inspect(ProductLaunch).column_attrs if c.key != "id"]
    with app.app_context():
        sessions = db.session.scalars(sa.select(ProgramSession)).all()
        launches = db.session.scalars(sa.select(ProductLaunch)).all()
        for _ in range(1, copies):
            for session in sessions:
                clone = ProgramSession(**{key: getattr(session, key) for key in session_columns})
                clone.topics = list(session.topics)
                clone.speaker_roles = [
                    SessionSpeaker(speaker_id=r.speaker_id, role=r.role, position=r.position)
                    for r in session.speaker_roles
                ]
                db.session.add(clone)
            for launch in launches:
                values = {key: getattr(launch, key) for key in launch_columns}
                db.session.add(ProductLaunch(**values))
        db.session.commit()
        return (
            db.session.scalar(sa.select(sa.func.count(ProgramSession.id))),
            db.session.scalar(sa.select(sa.func.count(ProductLaunch.id))),
        )


class BuildProbe:
    """Timed builds of one database's whole-program feed, inside a request context."""

    def __init__(self, app) -> None:
        from wuzhen_events.calendar import feeds
        from wuzhen_events.extensions import db
        from wuzhen_events.program.models import ProgramSession

        self.app = app
        with app.test_request_context(base_url=BASE_URL):
            self.feed = feeds.program_feed()
            self.timezone = feeds.feed_version(self.feed).timezone
            body = feeds.build_feed(self.feed, locale="en", timezone=self.timezone)
            self.ids = db.session.scalars(sa.select(ProgramSession.id)).all()
            db.session.remove()
        self.events, self.bytes = body.count(b"BEGIN:VEVENT"), len(body)
        self.samples: dict[str, list[tuple[float, float]]] = {}
        self.changes = 0

    def measure(self, kind: str) -> None:
        """One sample of `kind`: "version", "cold" (nothing memoized) or "changed"."""
        from wuzhen_events import ical
        from wuzhen_events.calendar import feeds
        from wuzhen_events.extensions import db
        from wuzhen_events.program.models import ProgramSession

        with self.app.test_request_context(base_url=BASE_URL):
            if kind == "cold":
                ical.vevent_ical.cache_clear()
            elif kind == "changed":
                # The memo holds this feed's events (the previous sample built them); one
                # session changes, as an organiser's edit would.
                feeds.build_feed(self.feed, locale="en", timezone=self.timezone)
                self.changes += 1
                db.session.execute(
                    sa.update(ProgramSession)
                    .where(ProgramSession.id == self.ids[self.changes * 7 % len(self.ids)])
                    .values(updated_at=datetime.now(UTC) + timedelta(microseconds=self.changes))
                )
                db.session.commit()
                db.session.remove()
            wall, cpu = time.perf_counter(), time.process_time()
            if kind == "version":
                feeds.feed_version(self.feed)
            else:
                feeds.build_feed(self.feed, locale="en", timezone=self.timezone)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            db.session.remove()
        self.samples.setdefault(kind, []).append((wall * 1000, cpu * 1000))

    def median(self, kind: str, which: int = 0) -> float:
        return round(statistics.median(sample[which] for sample in self.samples[kind]), 1)


def fresh_process_build_ms(url: str) -> float:
    """The first build in a new process, after its first (version) query, as a worker's first
    feed request pays it: VTIMEZONE, statement compilation, no memo."""
    output = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--probe-first-build"],
        env=app_env(url),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return json.loads(output.splitlines()[-1])["first_build_ms"]


def probe_first_build() -> None:
    from wuzhen_events import create_app
    from wuzhen_events.calendar import feeds

    app = create_app()
    with app.test_request_context(base_url=BASE_URL):
        feed = feeds.program_feed()
        version = feeds.feed_version(feed)
        started = time.perf_counter()
        feeds.build_feed(feed, locale="en", timezone=version.timezone)
        elapsed = (time.perf_counter() - started) * 1000
    print(json.dumps({"first_build_ms": round(elapsed, 1)}))


def in_process_run(args, folder: Path, number: int) -> list[dict]:
    """One database per program size; the sizes are measured in turn, round after round, so
    a change in the machine's other load touches every size alike."""
    sizes = {}
    for scale in args.scales:
        url = prepare_database(args.database, folder, f"wuzhen_bench_feeds_{number}_x{scale}")
        app = make_app(url)
        sessions, launches = grow(app, scale)
        sizes[scale] = (url, sessions, launches, BuildProbe(app))
    for kind in ("version", "cold", "changed"):
        for _ in range(args.build_repeats):
            for _, _, _, probe in sizes.values():
                probe.measure(kind)
    fresh: dict[int, list[float]] = {scale: [] for scale in sizes}
    for _ in range(args.fresh_repeats):
        for scale, (url, *_) in sizes.items():
            fresh[scale].append(fresh_process_build_ms(url))
    rows = []
    base_cold = None
    for scale, (_, sessions, launches, probe) in sizes.items():
        row = {
            "run": number,
            "kind": "in-process build",
            "scale": scale,
            "sessions": sessions,
            "launches": launches,
            "events": probe.events,
            "bytes": probe.bytes,
            "version_query_ms": probe.median("version"),
            "fully_cold_ms": probe.median("cold"),
            "fully_cold_cpu_ms": probe.median("cold", 1),
            "fully_cold_min_ms": round(min(s[0] for s in probe.samples["cold"]), 1),
            "after_one_change_ms": probe.median("changed"),
            "after_one_change_cpu_ms": probe.median("changed", 1),
            "fresh_process_first_build_ms": round(statistics.median(fresh[scale]), 1),
            "repeats": args.build_repeats,
            "loadavg_1m": round(os.getloadavg()[0], 2),
        }
        row["fully_cold_us_per_event"] = round(1000 * row["fully_cold_ms"] / probe.events, 1)
        base_cold = base_cold or row["fully_cold_ms"] / scale
        row["fully_cold_vs_linear"] = round(row["fully_cold_ms"] / (base_cold * scale), 2)
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


# --- profiles ----------------------------------------------------------------------------------


def write_profiles(args, folder: Path, target: Path) -> None:
    """cProfile of 300 conditional (304) requests and of 10 fully cold builds, in-process, on
    the demo program: where a missed target's time goes."""
    import cProfile
    import io
    import pstats

    from wuzhen_events import ical
    from wuzhen_events.calendar import feeds
    from wuzhen_events.extensions import db

    app = make_app(prepare_database(args.database, folder, "wuzhen_bench_feeds_profile"))
    client = app.test_client()
    etag = client.get(FEED_PATH).headers["ETag"]
    for _ in range(20):
        client.get(FEED_PATH, headers={"If-None-Match": etag})
    profiles = {}
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(300):
        client.get(FEED_PATH, headers={"If-None-Match": etag})
    profile.disable()
    profiles["304 request (300 requests)"] = profile
    profile = cProfile.Profile()
    with app.test_request_context(base_url=BASE_URL):
        feed = feeds.program_feed()
        timezone = feeds.feed_version(feed).timezone
        feeds.build_feed(feed, locale="en", timezone=timezone)
        for _ in range(10):
            db.session.remove()
            ical.vevent_ical.cache_clear()
            profile.enable()
            feeds.build_feed(feed, locale="en", timezone=timezone)
            profile.disable()
    profiles["fully cold build of the whole feed (10 builds)"] = profile
    with target.open("w") as output:
        for title, profile in profiles.items():
            text = io.StringIO()
            stats = pstats.Stats(profile, stream=text)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(15)
            output.write(f"==== {title}\n{text.getvalue()}\n")
    print(json.dumps({"kind": "profiles", "written_to": str(target)}), flush=True)


# --- main --------------------------------------------------------------------------------------


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The load options every HTTP benchmark of this folder shares (feeds.py, pages.py)."""
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python"
    )


def main() -> None:
    if "--probe-first-build" in sys.argv:
        probe_first_build()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    add_load_arguments(parser)
    parser.add_argument(
        "--cold-requests", type=int, default=300, help="at most this many change-then-GET rounds"
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 5, 10])
    parser.add_argument("--build-repeats", type=int, default=15)
    parser.add_argument("--fresh-repeats", type=int, default=5)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-in-process", action="store_true")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="also write cProfile reports of the 304 path and a cold build",
    )
    args = parser.parse_args()
    print(
        json.dumps(
            {
                "kind": "setup",
                "client": args.client,
                "connections": args.connections,
                "wrk_threads": args.wrk_threads,
                "workers": args.workers,
                "worker_class": WORKER_CLASS,
                "database": args.database,
                "cpus": os.cpu_count(),
                "seconds": args.seconds,
            }
        ),
        flush=True,
    )
    runs = []
    for number in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            http_rows = [] if args.skip_http else http_run(args, Path(folder), number)
            build_rows = [] if args.skip_in_process else in_process_run(args, Path(folder), number)
        runs.append((number, http_rows, build_rows))
    if args.profile:
        with tempfile.TemporaryDirectory() as folder:
            write_profiles(args, Path(folder), args.profile)
    if POSTGRES_DATABASES:
        drop_postgres_databases()
    if not args.skip_http:

        def share(run, target: str = "feed warm, gzip") -> float:
            return next(r["percent_of_hello"] for r in run[1] if r["target"] == target)

        ordered = sorted(runs, key=share)
        median = ordered[(len(ordered) - 1) // 2]
        summary = {
            "kind": "summary",
            "median_run": median[0],
        }
        for target in (
            "feed warm, gzip",
            "feed warm",
            "feed 304, gzip",
            "feed 304",
            "personal feed",
            "schedule.xml warm",
            "schedule.xml warm, gzip",
        ):
            summary[f"{target} percent_of_hello_by_run"] = [share(run, target) for run in runs]
        print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
