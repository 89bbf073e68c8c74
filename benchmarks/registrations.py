"""Registrations per second through HTTP: gunicorn (2 workers) on loopback, the demo conference,
concurrent clients that each fetch the form once (session cookie + CSRF token) and then post
registrations with fresh addresses and one or two subforum choices.

    .venv/bin/python benchmarks/registrations.py --database sqlite --clients 8 --seconds 20
    .venv/bin/python benchmarks/registrations.py --database postgresql --clients 8 32 --repeat 3

Before the registrations, each run has new visitors (no cookie) load the empty form for
--form-seconds, and reports the server's CPU per GET; the registrations report it per POST
(every POST answered, refused or not): user plus system time of the gunicorn master and workers
from /proc, as benchmarks/feeds.py measures it. --source runs another checkout's code (say, a
worktree of an older commit) with this script, so before and after are measured alike.

Prints one JSON line per run: registrations/s, p50/p99 latency, errors, and the oversell count
read back from the database afterwards (seats above capacity, and any subforum whose seats_taken
differs from its seats; a seat is confirmed, or held while the new registration's address is
unproven, and both count); with --repeat, a summary line per client count
with the best and the median run (by registrations/s). Only 127.0.0.1 is ever contacted; every
loop is bounded by --seconds and --max-requests.

gunicorn runs sync workers by default: a registration is CPU-bound Python plus a few loopback
round trips, so threads in a worker would only take turns on its GIL; --worker-class gthread
--threads N compares.

The server runs with RATELIMIT_ENABLED=0: every client is 127.0.0.1, and the per-address rate
limits (10 registrations an hour by default) would refuse all but the first few.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT  # the checkout whose app is served (--source)
POSTGRES_ADMIN_URL = "postgresql://root@127.0.0.1:5432/test"
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CHOICE_PATTERN = re.compile(r'name="subforums" type="checkbox" value="(\d+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(kind: str, folder: Path) -> str:
    """A fresh database with the schema (by migrations) and the demo conference."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        engine = sa.create_engine(
            POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP DATABASE IF EXISTS wuzhen_bench WITH (FORCE)")
            connection.exec_driver_sql("CREATE DATABASE wuzhen_bench")
        engine.dispose()
        url = "postgresql://root@127.0.0.1:5432/wuzhen_bench"
    env = {**source_env(), "DATABASE_URL": url, "SECRET_KEY": "benchmark-" + "k" * 40}
    flask = [sys.executable, "-m", "flask", "--app", "wuzhen_events"]
    subprocess.run([*flask, "init-db"], env=env, check=True, capture_output=True, cwd=SOURCE)
    subprocess.run([*flask, "seed-demo"], env=env, check=True, capture_output=True, cwd=SOURCE)
    return url


def source_env() -> dict[str, str]:
    """The environment that makes `wuzhen_events` import from --source."""
    return {**os.environ, "PYTHONPATH": str(SOURCE)}


def start_gunicorn(
    url: str, port: int, workers: int, worker_class: str = "sync", threads: int = 1
) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    # Every client posts from 127.0.0.1: with the per-address limits on, the 11th registration
    # of the hour would answer 429. The benchmark measures registrations, not the limiter.
    env = {
        **source_env(),
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark-" + "k" * 40,
        "RATELIMIT_ENABLED": "0",
    }
    process = subprocess.Popen(
        [
            gunicorn,
            "-w",
            str(workers),
            "-k",
            worker_class,
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
            "wuzhen_events:create_app()",
        ],
        env=env,
        cwd=SOURCE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


class Client:
    """One browser-like client: a session cookie, its CSRF token, then a loop of registrations."""

    def __init__(self, port: int, number: int, run_id: str):
        self.port, self.number, self.run_id = port, number, run_id
        self.rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/register/")
        response = connection.getresponse()
        page = response.read().decode()
        self.cookie = response.getheader("Set-Cookie").split(";")[0]
        self.csrf = CSRF_PATTERN.search(page).group(1)
        self.subforums = CHOICE_PATTERN.findall(page)

    def register_once(self, sequence: int) -> tuple[int, float]:
        body = urlencode(
            {
                "csrf_token": self.csrf,
                "name": f"Bench Delegate {self.number}-{sequence}",
                "email": f"bench-{self.run_id}-{self.number}-{sequence}@example.com",
                "organisation": "Benchmark Networks",
                "country": "CN",
                "category": "enterprise",
                "locale": "en",
                "consent": "y",
                "subforums": self.rng.choice(self.subforums),
            }
        )
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(
            "POST",
            "/register/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie},
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process, from /proc (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def database_backends(url: str) -> list[int]:
    """The PostgreSQL backends serving the benchmark database (none for SQLite)."""
    if not url.startswith("postgresql"):
        return []
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        pids = (
            connection.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return list(pids)


class CpuMeter:
    """CPU spent by the gunicorn workers, their PostgreSQL backends and this client, so a run
    on a machine other jobs share still says what one registration costs."""

    def __init__(self, server_pid: int, url: str):
        self.server_pid, self.url = server_pid, url

    def snapshot(self) -> dict[str, dict[int, float]]:
        workers = [self.server_pid, *children(self.server_pid)]
        return {
            "gunicorn": {pid: cpu_seconds(pid) for pid in workers},
            "postgres": {pid: cpu_seconds(pid) for pid in database_backends(self.url)},
            "client": {0: time.process_time()},
        }

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        return {
            part: sum(seconds - before[part].get(pid, 0.0) for pid, seconds in after[part].items())
            for part in after
        }


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of the gunicorn master and its live workers."""
    return sum(cpu_seconds(pid) for pid in [master, *children(master)])


def form_load(port: int, clients: int, seconds: float, max_requests: int, master: int) -> dict:
    """New visitors (no cookie) loading the empty form: GETs/s, p50/p99, server CPU per GET."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = iter(range(max_requests))

    def drive() -> None:
        while time.monotonic() < stop_at:
            with lock:
                if next(budget, None) is None:
                    return
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", "/register/")
                response = connection.getresponse()
                response.read()
                connection.close()
                status = response.status
            except OSError:
                status = 0
            latency = time.perf_counter() - started
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(latency)

    cpu_before = server_cpu_seconds(master)
    started = time.monotonic()
    threads = [threading.Thread(target=drive) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cpu = server_cpu_seconds(master) - cpu_before
    answered = sum(statuses.values())
    latencies.sort()
    return {
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2) if latencies else None,
        "statuses": statuses,
        "server_cpu_ms_per_get": round(cpu * 1000 / answered, 2) if answered else None,
    }


def run_threads(target, arguments: list[tuple]) -> float:
    """One thread per argument tuple, all started together; seconds until the last finished."""
    threads = [threading.Thread(target=target, args=args) for args in arguments]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


class Pace:
    """One client's turns until `stop_at`: every `interval` seconds from a random offset, so
    that clients are out of step; with interval 0, as fast as it is answered."""

    def __init__(self, interval: float, stop_at: float, rng: random.Random):
        self.interval, self.stop_at = interval, stop_at
        self.next_at = time.monotonic() + rng.random() * interval

    def wait(self) -> bool:
        """Sleep until the next turn; False once the run is over."""
        if self.interval:
            time.sleep(max(0.0, min(self.next_at, self.stop_at) - time.monotonic()))
            self.next_at += self.interval
        return time.monotonic() < self.stop_at


def run_load(
    port: int,
    clients: int,
    seconds: float,
    max_requests: int,
    meter: CpuMeter | None = None,
    interval: float = 0.0,
) -> dict:
    """`clients` posting registrations for `seconds`: as fast as answered (interval 0), or each
    once every `interval` seconds, the clients out of step."""
    run_id = f"{int(time.time())}-{clients}"
    workers = [Client(port, number, run_id) for number in range(clients)]
    cpu_before = meter.snapshot() if meter else None
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = iter(range(max_requests))

    def drive(client: Client) -> None:
        sequence = 0
        pace = Pace(interval, stop_at, random.Random(client.number))
        while pace.wait():
            with lock:
                if next(budget, None) is None:
                    return
            try:
                status, latency = client.register_once(sequence)
            except OSError:
                status, latency = 0, 0.0
            sequence += 1
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 303:
                    latencies.append(latency)

    elapsed = run_threads(drive, [(client,) for client in workers])
    latencies.sort()
    result = {
        "registrations": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
        "statuses": statuses,
    }
    if meter and latencies:
        spent = CpuMeter.spent(cpu_before, meter.snapshot())
        result["cpu_ms_per_registration"] = {
            part: round(seconds * 1000 / len(latencies), 2) for part, seconds in spent.items()
        }
        # Every POST the server answered costs CPU, the refused ones too (a restricted subforum).
        answered = sum(count for status, count in statuses.items() if status)
        result["server_cpu_ms_per_post"] = round(spent["gunicorn"] * 1000 / answered, 2)
    return result


def oversell(url: str) -> dict:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT s.capacity, s.seats_taken, "
                "(SELECT count(*) FROM seat_bookings b WHERE b.subforum_id = s.id "
                " AND b.status IN ('confirmed', 'held')) FROM subforums s"
            )
        ).all()
        waitlisted = connection.execute(
            sa.text("SELECT count(*) FROM seat_bookings WHERE status = 'waitlisted'")
        ).scalar_one()
    engine.dispose()
    return {
        "oversold_seats": sum(max(0, confirmed - capacity) for capacity, _, confirmed in rows),
        "counter_mismatches": sum(1 for _, taken, confirmed in rows if taken != confirmed),
        "full_subforums": sum(1 for capacity, taken, _ in rows if taken >= capacity),
        "waitlisted": waitlisted,
    }


def summary(runs: list[dict]) -> dict:
    """The best run and the median run by registrations/s; other jobs share this machine."""
    ranked = sorted(runs, key=lambda run: run["per_second"])
    keep = (
        "per_second",
        "p50_ms",
        "p99_ms",
        "oversold_seats",
        "counter_mismatches",
        "waitlisted_in_run",
        "cpu_ms_per_registration",
        "server_cpu_ms_per_post",
        "form",
    )
    return {
        "summary": True,
        "database": runs[0]["database"],
        "clients": runs[0]["clients"],
        "runs": len(runs),
        "best": {key: ranked[-1][key] for key in keep},
        "median": {key: ranked[len(ranked) // 2][key] for key in keep},
        "oversold_seats_max": max(run["oversold_seats"] for run in runs),
        "counter_mismatches_max": max(run["counter_mismatches"] for run in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per client count")
    parser.add_argument(
        "--form-seconds", type=float, default=5, help="new visitors loading the form, per run"
    )
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="the checkout whose app is measured"
    )
    args = parser.parse_args()
    global SOURCE
    SOURCE = args.source.resolve()
    with tempfile.TemporaryDirectory() as folder:
        url = prepare_database(args.database, Path(folder))
        port = free_port()
        server = start_gunicorn(url, port, args.workers, args.worker_class, args.threads)
        meter = CpuMeter(server.pid, url)
        try:
            for clients in args.clients:
                runs = []
                for _ in range(args.repeat):
                    waitlisted_before = oversell(url)["waitlisted"]
                    load_before = round(os.getloadavg()[0], 2)  # other jobs share the machine
                    form = form_load(
                        port, clients, args.form_seconds, args.max_requests, server.pid
                    )
                    result = run_load(port, clients, args.seconds, args.max_requests, meter)
                    result["form"] = form
                    result.update(
                        database=args.database,
                        clients=clients,
                        workers=args.workers,
                        worker_class=args.worker_class,
                        threads=args.threads,
                    )
                    result.update(oversell(url))
                    # The database is kept between runs: seats fill up and queues grow.
                    result["waitlisted_in_run"] = result["waitlisted"] - waitlisted_before
                    result["loadavg_1m_before"] = load_before
                    print(json.dumps(result), flush=True)
                    runs.append(result)
                if args.repeat > 1:
                    print(json.dumps(summary(runs)), flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
