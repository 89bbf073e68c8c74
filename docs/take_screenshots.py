"""Regenerate the README screenshots: the demo conference in Debian's Chromium.

    .venv/bin/python docs/take_screenshots.py
    .venv/bin/python docs/take_screenshots.py --review /tmp/review   # every page, whole length

Serves a fresh demo database on loopback with the clock pinned to the morning of 8 November
2018, so the home page shows what is on, and writes PNGs to docs/screenshots/: desktop views
at 1200 px and phone views at 390 px. A demo delegate registered through the service gives
`/me/` and the badge something to show. `--review` writes a full-length phone shot of every
page to a folder instead, to look over the layout.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.live import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from wuzhen_events import create_app  # noqa: E402
from wuzhen_events.audit.actors import Actor  # noqa: E402
from wuzhen_events.extensions import db  # noqa: E402
from wuzhen_events.program.models import Subforum  # noqa: E402
from wuzhen_events.program.queries import current_conference  # noqa: E402
from wuzhen_events.registration.enums import DelegateCategory  # noqa: E402
from wuzhen_events.registration.services import DelegateDetails, register_delegate  # noqa: E402
from wuzhen_events.seed.loader import load_demo_conference  # noqa: E402

DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}

# (file name, path, language, viewport); "{token}" is the demo delegate's private link.
SCREENSHOTS = [
    ("home", "/", "en", DESKTOP),
    ("program", "/program/?day=2018-11-08", "en", DESKTOP),
    ("subforum", "/subforums/fintech-credit-society/", "en", DESKTOP),
    ("expo", "/expo/?launches=1", "en", DESKTOP),
    ("program-zh", "/program/?day=2018-11-07", "zh", DESKTOP),
    ("phone-program", "/program/?day=2018-11-08", "en", PHONE),
    ("phone-register", "/register/", "en", PHONE),
    ("phone-me", "/me/{token}/#seats", "en", PHONE),  # the fragment survives the redirect
    ("phone-calendar", "/calendar/", "en", PHONE),
    ("phone-program-zh", "/program/?day=2018-11-08", "zh", PHONE),
]

# Every page, for --review: (name, path, language).
REVIEW = [
    ("home", "/", "en"),
    ("program", "/program/?day=2018-11-08", "en"),
    ("program-filter", "/program/?day=2018-11-08&subforum=fintech-credit-society", "en"),
    ("program-search", "/program/?q=closing", "en"),
    ("subforums", "/subforums/", "en"),
    ("subforum", "/subforums/fintech-credit-society/", "en"),
    ("session", "/sessions/1/", "en"),
    ("speakers", "/speakers/", "en"),
    ("speaker", "/speakers/ananya-kulkarni/", "en"),
    ("expo", "/expo/", "en"),
    ("exhibitor", "/expo/alariq-cognitive/", "en"),
    ("launches", "/expo/launches/", "en"),
    ("calendar", "/calendar/", "en"),
    ("register", "/register/", "en"),
    ("register-exhibitor", "/register/exhibitor/", "en"),
    ("privacy", "/privacy/", "en"),
    ("sources", "/sources/", "en"),
    ("me", "/me/{token}/", "en"),
    ("me-cancel", "/me/{token}/cancel", "en"),
    ("badge", "/me/{token}/badge", "en"),
    ("not-found", "/no-such-page/", "en"),
    ("bad-filter", "/program/?day=banana", "en"),
    ("home-zh", "/", "zh"),
    ("program-zh", "/program/?day=2018-11-08", "zh"),
    ("expo-zh", "/expo/", "zh"),
    ("register-zh", "/register/", "zh"),
    ("me-zh", "/me/{token}/", "zh"),
    ("calendar-zh", "/calendar/", "zh"),
]


def demo_delegate() -> str:
    """Register a demo delegate with two seats; their manage token opens /me/."""
    slugs = ["fintech-credit-society", "entrepreneurs-digital-economy"]
    subforums = db.session.scalars(sa.select(Subforum).where(Subforum.slug.in_(slugs))).all()
    registration = register_delegate(
        current_conference(),
        DelegateDetails(
            name="Zhang Min",
            name_zh="张敏",
            email="zhang.min@example.com",
            organisation="Hangzhou Demo Networks",
            job_title="Engineer",
            country="CN",
            category=DelegateCategory.ENTERPRISE,
        ),
        subforums=subforums,
        actor=Actor.cli(),
    )
    return registration.manage_token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", type=Path, help="write every page at 390 px here")
    parser.add_argument("--desktop", action="store_true", help="review at 1200 px instead")
    arguments = parser.parse_args()
    out = arguments.review or ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    if arguments.review:
        viewport = DESKTOP if arguments.desktop else PHONE
        shots = [(name, path, language, viewport) for name, path, language in REVIEW]
    else:
        shots = SCREENSHOTS
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.sqlite3",
                "SECRET_KEY": "screenshots",
                "FROZEN_NOW": datetime(2018, 11, 8, 1, 0, tzinfo=UTC),
            }
        )
        with app.test_request_context():
            db.create_all()
            load_demo_conference()
            token = demo_delegate()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path, language, viewport in shots:
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(f"{base}/language/{language}?next={path.replace('{token}', token)}")
                page.screenshot(path=str(out / f"{name}.png"), full_page=bool(arguments.review))
                context.close()
            browser.close()
        server.shutdown()
    print(f"Wrote {len(shots)} screenshots to {out}")


if __name__ == "__main__":
    main()
