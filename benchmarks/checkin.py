"""Badge scans per second through the check-in API (POST /api/v1/checkin/scans), eight scanner
devices at once, alone and while the opening registration load runs against the same server.

    .venv/bin/python benchmarks/checkin.py --database postgresql --seconds 20
    .venv/bin/python benchmarks/checkin.py --database sqlite --seconds 20
    .venv/bin/python benchmarks/checkin.py --database postgresql --worker-class gthread --threads 4
    .venv/bin/python benchmarks/checkin.py --scan-workers 2 --registration-nice 10

The database is made by `flask init-db` and `flask seed-demo` (the WIC 2018 conference with its
doors: the main entrance and one per subforum), then grown by the tests' bulk inserts
(tests/helpers/scale.py) with --delegates delegates (4,000: 3,391 confirmed, so eight devices
scanning as fast as they are answered do not run out of first entries) over every subforum,
category and status.
The bulk inserts store placeholder code hashes, so each new delegate's check-in code is derived
here (`tokens.derive(Secret.CHECKIN, seed)`, with the SECRET_KEY the server uses) and its hash
written back; the confirmed ones are the badges scanned.

--devices scanner devices are created through `checkin.services.create_device`: the first half
scoped to the main entrance, the others each to a share of the hall doors. Each device is a
client thread posting scans with its bearer token, one at a time; its delegates are its own, so
two devices never race for one badge's first entry (the row lock is tested elsewhere). The mix,
drawn per scan from a seeded generator:
- 80 % a first entry: the next delegate of the device's share at its door (a hall door only
  for a delegate with a confirmed seat in that subforum); when a device's share runs out, a
  second scan instead (counted as such);
- 8 % the previous scan sent again with its nonce (a retry after a lost answer: 200, nothing
  recorded);
- 8 % a second scan of a badge the device admitted before (a new nonce: admitted with the
  "already checked in" warning);
- 4 % an unknown code (token-shaped, nobody's: refused).

Each run loads for --seconds (bounded by --max-requests): "alone" has only the devices; the
"combined" run has --registration-clients clients of benchmarks/registrations.py posting
registrations at the same time, as fast as they are answered. A pair of runs for each of
--intervals: 0, every device posts its next scan as soon as the last is answered (the server's
ceiling); 0.5, every device scans once every half second, 16 scans/s in all (a queue walking through
eight gates; 3,000 delegates in about three minutes), where the latency is the one a person at the
gate sees. --scan-workers N puts the scans on a second gunicorn of N workers (the same app and
database), as a proxy routing /api/v1/checkin/ to its own pool would, so no registration stands in
front of a scan in a worker's queue; --registration-nice N then runs the other server under
nice(1), as README.md's "Doors first" deployment does, so the doors' pool comes first for the CPU.
--registration-interval paces each registration client (one post every so many seconds) instead
of posting as fast as answered. gunicorn runs on 127.0.0.1 with --workers workers (sync by
default) and RATELIMIT_ENABLED=0: all clients share 127.0.0.1, and the registration form's
per-address limit would refuse all but ten registrations an hour (the scans' own limit,
RATELIMIT_CHECKIN_DEVICE, counts per device token, and eight devices scanning as fast as the server
answers are well above a real scanner's pace).

Prints JSON lines: the database, then per run scans/s, p50/p99 (every answered scan), statuses,
the mix sent, the answers' reasons, server CPU (gunicorn, PostgreSQL backends) per request and,
in the combined run, registrations/s with their p50/p99; then the database read back: one Scan
per nonce, one check-in per admitted delegate (and the check-in scan flagged once), no seat
above capacity. Only 127.0.0.1 is contacted; every load loop is bounded by --seconds and
--max-requests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(ROOT))  # tests.helpers.scale: the same bulk inserts as the scale tests

import feeds as common  # noqa: E402  (databases, gunicorn, CPU reading)
import registrations  # noqa: E402  (the opening registration load's client)

SCAN_PATH = "/api/v1/checkin/scans"
MIX = (("first", 0.80), ("retry", 0.08), ("second", 0.08), ("unknown", 0.04))


@dataclass
class Device:
    """One scanner: its token, its doors, and the (door, code) first entries it will make."""

    name: str
    token: str
    first_entries: list[tuple[int, str]]
    door: int  # its first door: where an unknown code is scanned
    admitted: list[tuple[int, str]] = field(default_factory=list)
    last_body: dict | None = None


def grow(app, count: int) -> dict:
    """`count` delegates by bulk insert, their real check-in codes stored as hashes."""
    from tests.helpers.scale import insert_delegates
    from wuzhen_events.extensions import db
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration import tokens
    from wuzhen_events.registration.models import Delegate
    from wuzhen_events.registration.tokens import Secret

    with app.app_context():
        conference = current_conference()
        before = db.session.scalar(sa.select(sa.func.max(Delegate.id))) or 0
        insert_delegates(conference, count)
        rows = db.session.execute(
            sa.select(Delegate.id, Delegate.checkin_seed).where(Delegate.id > before)
        ).all()
        db.session.execute(
            sa.text("UPDATE delegates SET checkin_code_hash = :code_hash WHERE id = :ident"),
            [
                {"ident": ident, "code_hash": tokens.fingerprint(tokens.derive(Secret.CHECKIN, s))}
                for ident, s in rows
            ],
        )
        db.session.commit()
        db.session.remove()
    return {"inserted": len(rows), "first_new_id": before + 1}


def make_devices(app, count: int, first_new_id: int) -> tuple[list[Device], dict]:
    """Half the devices at the main entrance, half over the hall doors; each its own badges."""
    from wuzhen_events.checkin import services
    from wuzhen_events.checkin.enums import DoorKind
    from wuzhen_events.checkin.models import Door
    from wuzhen_events.extensions import db
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration import tokens
    from wuzhen_events.registration.enums import DelegateStatus, SeatStatus
    from wuzhen_events.registration.models import Delegate, SeatBooking
    from wuzhen_events.registration.tokens import Secret

    with app.app_context():
        conference = current_conference()
        doors = db.session.scalars(
            sa.select(Door).where(Door.conference_id == conference.id).order_by(Door.id)
        ).all()
        entrance = next(door for door in doors if door.kind is DoorKind.MAIN_ENTRANCE)
        halls = [door for door in doors if door.kind is DoorKind.SUBFORUM]
        confirmed = db.session.execute(
            sa.select(Delegate.id, Delegate.checkin_seed)
            .where(Delegate.id >= first_new_id, Delegate.status == DelegateStatus.CONFIRMED)
            .order_by(Delegate.id)
        ).all()
        code = {ident: tokens.derive(Secret.CHECKIN, seed) for ident, seed in confirmed}
        seats = db.session.execute(
            sa.select(SeatBooking.delegate_id, SeatBooking.subforum_id)
            .where(
                SeatBooking.delegate_id >= first_new_id,
                SeatBooking.status == SeatStatus.CONFIRMED,
            )
            .order_by(SeatBooking.id)
        ).all()
        at_entrance = max(1, count // 2)
        at_halls = count - at_entrance
        devices: list[Device] = []
        for number in range(at_entrance):
            share = [
                (entrance.id, code[ident])
                for index, (ident, _) in enumerate(confirmed)
                if index % at_entrance == number
            ]
            devices.append(_device(services, conference, f"Entrance {number}", [entrance], share))
        hall_of = {door.subforum_id: door for door in halls}
        for number in range(at_halls):
            mine = [door for index, door in enumerate(halls) if index % at_halls == number]
            subforums = {door.subforum_id for door in mine}
            share = [
                (hall_of[subforum].id, code[ident])
                for ident, subforum in seats
                if subforum in subforums and ident in code
            ]
            random.Random(number).shuffle(share)  # the halls' queues interleave
            devices.append(_device(services, conference, f"Halls {number}", mine, share))
        shape = {
            "doors": len(doors),
            "confirmed_delegates": len(confirmed),
            "first_entries_available": {d.name: len(d.first_entries) for d in devices},
        }
        db.session.remove()
    return devices, shape


def _device(services, conference, name: str, doors: list, share: list) -> Device:
    from wuzhen_events.audit.actors import Actor

    _device_row, token = services.create_device(
        conference, f"Bench {name}", doors, created_by=None, actor=Actor.cli("benchmark")
    )
    return Device(name=name, token=token, first_entries=share, door=doors[0].id)


def next_scan(device: Device, rng: random.Random, kind: str) -> tuple[str, dict]:
    """The kind actually sent (a first entry falls back to a second scan when none are left)
    and its body."""
    if kind == "retry" and device.last_body is not None:
        return "retry", device.last_body
    if kind == "first" and device.first_entries:
        door, code = device.first_entries.pop()
        device.admitted.append((door, code))
    elif kind in ("first", "second", "retry") and device.admitted:
        kind = "second"
        door, code = device.admitted[rng.randrange(len(device.admitted))]
    else:
        kind = "unknown"
        door = device.door
        code = secrets.token_urlsafe(32)  # 43 characters: shaped like a code, nobody's
    body = {
        "door": door,
        "code": f"WIC2018:{code}",
        "nonce": secrets.token_urlsafe(18),
        "direction": "entry",
        "scanned_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "offline": False,
        "offline_answer": None,
    }
    return kind, body


def scan_load(
    port: int, devices: list[Device], seconds: float, max_requests: int, interval: float
) -> dict:
    """Every device posting scans one at a time until --seconds or the request budget: as fast
    as the answers come (interval 0), or one scan every `interval` seconds (a queue at a gate)."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    kinds: Counter = Counter()
    reasons: Counter = Counter()
    created: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = iter(range(max_requests))
    weights = [weight for _, weight in MIX]
    names = [name for name, _ in MIX]

    def drive(number: int, device: Device) -> None:
        rng = random.Random(1000 + number)
        headers = {"Authorization": f"Bearer {device.token}", "Content-Type": "application/json"}
        pace = registrations.Pace(interval, stop_at, rng)  # the gates are not in step
        while pace.wait():
            with lock:
                if next(budget, None) is None:
                    return
            kind, body = next_scan(device, rng, rng.choices(names, weights)[0])
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("POST", SCAN_PATH, body=json.dumps(body), headers=headers)
                response = connection.getresponse()
                payload = response.read()
                connection.close()
                status = response.status
            except OSError:
                status, payload = 0, b""
            latency = time.perf_counter() - started
            device.last_body = body
            answer = json.loads(payload) if status in (200, 201) else {}
            reason = (answer.get("answer") or {}).get("reason") if answer else None
            with lock:
                statuses[status] += 1
                kinds[kind] += 1
                if status:
                    latencies.append(latency)
                if status == 201:
                    created.append(body["nonce"])
                    reasons[reason or "admitted"] += 1
                elif status == 200:
                    reasons["duplicate"] += 1

    elapsed = registrations.run_threads(drive, list(enumerate(devices)))
    latencies.sort()
    return {
        "scans": len(latencies),
        "seconds": round(elapsed, 2),
        "scans_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(common.percentile(latencies, 99) * 1000, 1) if latencies else None,
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "statuses": {str(key): value for key, value in sorted(statuses.items())},
        "sent": dict(kinds),
        "answers": dict(reasons),
        "recorded": len(created),
        "budget_hit": sum(statuses.values()) >= max_requests,
    }


class Meter:
    """registrations.CpuMeter over one or two servers (the scans' own, with --scan-workers)."""

    def __init__(self, servers: list[int], url: str):
        self.meters = [registrations.CpuMeter(pid, url) for pid in servers]

    def snapshot(self) -> dict[str, dict[int, float]]:
        first, *others = [meter.snapshot() for meter in self.meters]
        for other in others:
            first["gunicorn"].update(other["gunicorn"])
        return first


def run(
    ports: tuple[int, int], devices, args, meter, interval: float, *, with_registrations: bool
) -> dict:
    """One load of the devices, with or without the registration clients beside them; `ports`
    are the scans' server and the registrations' (the same one unless --scan-workers)."""
    port, registration_port = ports
    before = meter.snapshot()
    load_before = round(os.getloadavg()[0], 2)
    outcome: dict = {}
    companion = None
    if with_registrations:

        def register() -> None:
            outcome["registrations"] = registrations.run_load(
                registration_port,
                args.registration_clients,
                args.seconds,
                args.max_requests,
                interval=args.registration_interval,
            )

        companion = threading.Thread(target=register)
        companion.start()
        time.sleep(0.5)  # the clients fetch their forms first: scans start with the posts
    result = scan_load(port, devices, args.seconds, args.max_requests, interval)
    if companion is not None:
        companion.join()
    spent = registrations.CpuMeter.spent(before, meter.snapshot())
    served = result["scans"]
    if "registrations" in outcome:
        posted = outcome["registrations"]
        served += sum(count for status, count in posted["statuses"].items() if status)
        result["registrations"] = {
            key: posted[key] for key in ("registrations", "per_second", "p50_ms", "p99_ms")
        }
        result["registrations"]["statuses"] = {
            str(key): value for key, value in posted["statuses"].items()
        }
    result["cpu_ms_per_request"] = {
        part: round(seconds * 1000 / max(1, served), 2) for part, seconds in spent.items()
    }
    result["loadavg_1m_before"] = load_before
    return result


def read_back(url: str, recorded: int) -> dict:
    """The database after the runs: scans per nonce, check-ins per delegate, seats."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        scans, nonces = connection.execute(
            sa.text("SELECT count(*), count(DISTINCT nonce) FROM scans WHERE device_id IS NOT NULL")
        ).one()
        admitted_delegates, checked_in, wrong_flags = connection.execute(
            sa.text(
                "SELECT count(*), "
                "sum(CASE WHEN d.checked_in_at IS NOT NULL THEN 1 ELSE 0 END), "
                "sum(CASE WHEN a.checkins <> 1 THEN 1 ELSE 0 END) "
                "FROM (SELECT delegate_id, "
                "      sum(CASE WHEN is_checkin THEN 1 ELSE 0 END) AS checkins "
                "      FROM scans WHERE admitted AND direction = 'entry' "
                "      AND delegate_id IS NOT NULL GROUP BY delegate_id) a "
                "JOIN delegates d ON d.id = a.delegate_id"
            )
        ).one()
        stray = connection.execute(
            sa.text(
                "SELECT count(*) FROM delegates d WHERE d.checked_in_at IS NOT NULL AND NOT "
                "EXISTS (SELECT 1 FROM scans s WHERE s.delegate_id = d.id AND s.is_checkin)"
            )
        ).scalar_one()
        seats = connection.execute(
            sa.text(
                "SELECT s.capacity, s.seats_taken, "
                "(SELECT count(*) FROM seat_bookings b WHERE b.subforum_id = s.id "
                " AND b.status IN ('confirmed', 'held')) FROM subforums s"
            )
        ).all()
    engine.dispose()
    checks = {
        "scans_recorded": scans,
        "scans_answered_201": recorded,
        "one_scan_per_nonce": scans == nonces == recorded,
        "admitted_delegates": admitted_delegates,
        "checked_in": checked_in or 0,
        "delegates_without_exactly_one_checkin_scan": wrong_flags or 0,
        "checked_in_without_checkin_scan": stray,
        "seats_above_capacity": sum(max(0, seated - capacity) for capacity, _, seated in seats),
        "seat_counter_mismatches": sum(1 for _, taken, seated in seats if taken != seated),
    }
    checks["one_checkin_per_admitted_delegate"] = (
        checks["checked_in"] == admitted_delegates
        and not checks["delegates_without_exactly_one_checkin_scan"]
        and not stray
    )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--delegates", type=int, default=4_000, help="inserted; ~85 %% confirmed")
    parser.add_argument(
        "--intervals",
        type=float,
        nargs="+",
        default=[0, 0.5],
        help="seconds between one device's scans (0: as fast as answered); a run pair for each",
    )
    parser.add_argument("--devices", type=int, default=8)
    parser.add_argument("--registration-clients", type=int, default=8)
    parser.add_argument(
        "--registration-interval",
        type=float,
        default=0,
        help="seconds between one registration client's posts (0: as fast as answered)",
    )
    parser.add_argument(
        "--registration-nice",
        type=int,
        default=0,
        help="with --scan-workers: the niceness of the server the registrations go to, so the "
        "doors' pool comes first for the CPU",
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="per worker, gthread only")
    parser.add_argument(
        "--scan-workers",
        type=int,
        default=0,
        help="scans on a second gunicorn of this many workers (0: one server for everything)",
    )
    args = parser.parse_args()
    print(
        json.dumps(
            {
                "kind": "setup",
                "database": args.database,
                "devices": args.devices,
                "workers": args.workers,
                "worker_class": args.worker_class,
                "threads": args.threads if args.worker_class == "gthread" else 1,
                "scan_workers": args.scan_workers,
                "registration_interval_s": args.registration_interval,
                "registration_nice": args.registration_nice if args.scan_workers else 0,
                "cpus": os.cpu_count(),
                "loadavg": os.getloadavg(),
                "mix": dict(MIX),
            }
        ),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="wuzhen-checkin-") as name:
        try:
            url = common.prepare_database(args.database, Path(name), "wuzhen_bench_checkin")
            app = common.make_app(url)
            grown = grow(app, args.delegates)
            devices, shape = make_devices(app, args.devices, grown["first_new_id"])
            print(json.dumps({"kind": "database", **grown, **shape}), flush=True)
            env = {**common.app_env(url), "RATELIMIT_ENABLED": "0"}
            port = common.free_port()
            extra: tuple[str, ...] = ()
            if args.worker_class == "gthread":
                common.WORKER_CLASS = "gthread"
                extra = ("--threads", str(args.threads))
            server = common.start_gunicorn(
                "wuzhen_events:create_app()",
                env,
                port,
                args.workers,
                "/healthz",
                extra,
                nice=args.registration_nice if args.scan_workers else 0,
            )
            servers = [server]
            ports = (port, port)
            if args.scan_workers:
                ports = (common.free_port(), port)
                servers.append(
                    common.start_gunicorn(
                        "wuzhen_events:create_app()",
                        env,
                        ports[0],
                        args.scan_workers,
                        "/healthz",
                        extra,
                    )
                )
            meter = Meter([process.pid for process in servers], url)
            recorded = 0
            try:
                for interval in args.intervals:
                    for phase in ("alone", "combined"):
                        result = run(
                            ports,
                            devices,
                            args,
                            meter,
                            interval,
                            with_registrations=phase == "combined",
                        )
                        recorded += result["recorded"]
                        line = {"run": phase, "interval_s": interval, **result}
                        print(json.dumps(line), flush=True)
            finally:
                for process in servers:
                    common.stop(process)
            print(json.dumps({"kind": "read_back", **read_back(url, recorded)}), flush=True)
        finally:
            if common.POSTGRES_DATABASES:
                common.drop_postgres_databases()


if __name__ == "__main__":
    main()
