"""Time from a camera frame to the answer on the check-in scanning page, in Chromium.

    .venv/bin/python benchmarks/checkin_camera.py                         # SQLite
    .venv/bin/python benchmarks/checkin_camera.py --database postgresql --badges 60

A fresh database (`flask init-db`, `flask seed-demo`: the demo conference and its doors) gets
--bulk delegates by the scale tests' bulk inserts (so the door list the page downloads is as
long as a real one) and --badges confirmed delegates through the registration service, whose
badge codes are known. gunicorn (--workers sync workers) serves it on 127.0.0.1.

Debian's Chromium runs with its fake camera playing a video written here in pure Python
(tests/helpers/video.py): each badge's QR code for --frames-each frames, then one empty frame,
at 5 frames a second, in a loop. An admin signs in, opens the main entrance's scanning page and
presses "Start camera"; static/js/checkin.js decodes a frame every ~150 ms and records, for each
scan, performance.now() when it grabbed the frame from the video (captured), when ZXing-C++
returned the code (decoded) and when the answer was in the page (rendered). The run stops when
--badges scans were answered (or after --seconds).

Prints one JSON line for the setup and one for the figures: p50/p99/max in milliseconds of
captured -> rendered (the whole path: grab, decode, POST scans.json, the server's decision and
commit, rendering), decoded -> rendered (the server round trip and rendering) and captured ->
decoded (the decoder alone). Only 127.0.0.1 is contacted; the loop is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(ROOT))  # tests.helpers: the bulk inserts, the badge video, Chromium's flags

import feeds as common  # noqa: E402  (the database, gunicorn and the HTTP helpers)

ADMIN_EMAIL = "bench-checkin@organizers.example"
ADMIN_PASSWORD = "benchmark password, not a secret"


def prepare(app, badges: int, bulk: int) -> tuple[list[str], int]:
    """The bulk delegates, the badge holders (their codes) and the admin; the entrance's id."""
    from tests.helpers.scale import insert_delegates
    from wuzhen_events.accounts.enums import Role
    from wuzhen_events.accounts.services import AccountDetails, create_account
    from wuzhen_events.audit.actors import Actor
    from wuzhen_events.checkin.enums import DoorKind
    from wuzhen_events.checkin.models import Door
    from wuzhen_events.checkin.services import DoorDetails, create_door
    from wuzhen_events.extensions import db
    from wuzhen_events.program.models import Subforum
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration import rotation
    from wuzhen_events.registration.enums import DelegateCategory
    from wuzhen_events.registration.models import Delegate
    from wuzhen_events.registration.services import DelegateDetails, register_delegate
    from wuzhen_events.registration.tokens import Secret

    actor = Actor.cli("benchmark")
    with app.test_request_context():
        conference = current_conference()
        subforums = db.session.scalars(
            sa.select(Subforum).where(Subforum.conference_id == conference.id)
        ).all()
        if bulk:
            insert_delegates(conference, bulk, subforums=subforums)
        codes = []
        for number in range(badges):
            email = f"camera-{number}@bench.example"
            register_delegate(
                conference,
                DelegateDetails(
                    name=f"Camera Delegate {number}",
                    name_zh=f"扫码代表{number}",
                    email=email,
                    organisation="Benchmark Networks",
                    job_title="Engineer",
                    country="CN",
                    category=DelegateCategory.ENTERPRISE,
                ),
                subforums=[],
                email_verified=True,
                actor=actor,
            )
            delegate = db.session.scalar(sa.select(Delegate).where(Delegate.email == email))
            codes.append(rotation.secret_of(delegate, Secret.CHECKIN))
        create_account(
            AccountDetails(email=ADMIN_EMAIL, name="Benchmark admin", role=Role.ADMIN),
            ADMIN_PASSWORD,
            actor=actor,
        )
        door_id = db.session.scalar(
            sa.select(Door.id).where(Door.kind == DoorKind.MAIN_ENTRANCE).order_by(Door.id)
        )
        if door_id is None:  # a seed without doors: the entrance as an organizer makes it
            door_id = create_door(
                conference, DoorDetails(name="East Gate", name_zh="东门"), actor=actor
            ).id
        db.session.remove()
    return codes, door_id


def percentiles(values: list[float]) -> dict:
    """Nearest-rank percentiles: with fewer than 100 scans the p99 is the slowest one."""
    ordered = sorted(values)

    def at(rank: float) -> float:
        return round(ordered[max(0, math.ceil(rank * len(ordered)) - 1)], 1)

    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(ordered[-1], 1),
    }


def measure(port: int, door_id: int, video: Path, badges: int, seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.helpers.live import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        try:
            page = browser.new_page(base_url=f"http://127.0.0.1:{port}")
            page.set_default_timeout(30_000)
            page.goto("/login")
            page.locator("#email").fill(ADMIN_EMAIL)
            page.locator("#password").fill(ADMIN_PASSWORD)
            with page.expect_navigation():
                page.locator("form.entry-form button[type=submit]").click()
            page.goto(f"/dashboard/checkin/doors/{door_id}/")
            page.locator("#checkin-status[data-list='saved']").wait_for()
            list_size = page.evaluate(
                "JSON.parse(localStorage.getItem("
                f"'wic2018-checkin:door:{door_id}:list')).data.entries.length"
            )
            page.locator("[data-camera-start]").click()
            deadline = time.monotonic() + seconds
            timings: list[dict] = []
            while time.monotonic() < deadline:
                timings = page.evaluate("window.wicCheckin.timings.slice()")
                if len(timings) >= badges:
                    break
                time.sleep(0.25)
            page.locator("[data-camera-stop]").click()
        finally:
            browser.close()
    if not timings:
        raise RuntimeError("no badge was read in time")
    return {
        "scans": len(timings),
        "door_list_entries": list_size,
        "captured_to_rendered": percentiles([t["captured_to_answer"] for t in timings]),
        "decoded_to_rendered": percentiles([t["decoded_to_answer"] for t in timings]),
        "captured_to_decoded": percentiles([t["decode"] for t in timings]),
    }


def main() -> None:
    from tests.helpers.video import badge_payload, write_y4m

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--badges", type=int, default=40, help="scans to measure")
    parser.add_argument("--bulk", type=int, default=1500, help="more delegates on the door list")
    parser.add_argument("--frames-each", type=int, default=3, help="video frames per badge")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=120, help="give up after this long")
    args = parser.parse_args()
    print(
        json.dumps(
            {
                "kind": "setup",
                "database": args.database,
                "badges": args.badges,
                "bulk_delegates": args.bulk,
                "workers": args.workers,
                "cpus": os.cpu_count(),
                "loadavg": os.getloadavg(),
            }
        ),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="wuzhen-checkin-camera-") as name:
        folder = Path(name)
        try:
            url = common.prepare_database(args.database, folder, "wuzhen_bench_checkin")
            app = common.make_app(url)
            codes, door_id = prepare(app, args.badges, args.bulk)
            frames: list[str | None] = []
            for code in codes:
                frames.extend([badge_payload(code)] * args.frames_each + [None])
            video = write_y4m(folder / "badges.y4m", frames, frames_each=1)
            env = {**common.app_env(url), "RATELIMIT_ENABLED": "0"}
            port = common.free_port()
            server = common.start_gunicorn(
                "wuzhen_events:create_app()", env, port, args.workers, "/healthz"
            )
            try:
                figures = measure(port, door_id, video, args.badges, args.seconds)
            finally:
                common.stop(server)
            print(json.dumps({"kind": "camera", **figures}), flush=True)
        finally:
            if common.POSTGRES_DATABASES:
                common.drop_postgres_databases()


if __name__ == "__main__":
    main()
