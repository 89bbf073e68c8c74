"""Regenerate the README screenshots: the demo conference in Debian's Chromium.

    .venv/bin/python docs/take_screenshots.py
    .venv/bin/python docs/take_screenshots.py --review /tmp/review   # every page, whole length

Serves a fresh demo database on loopback with the clock pinned to the morning of 8 November
2018, so the home page shows what is on, and writes PNGs to docs/screenshots/: desktop views
at 1200 px and phone views at 390 px. A demo delegate registered through the service gives
`/me/`, the badge and the main entrance's scanner something to show (the browser's clock is
pinned too where a scan is made, since the page sends its scan time). `--review` writes a
full-length phone shot of every page to a folder instead, to look over the layout.
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
from wuzhen_events.checkin.enums import DoorKind  # noqa: E402
from wuzhen_events.checkin.models import Door  # noqa: E402
from wuzhen_events.extensions import db  # noqa: E402
from wuzhen_events.program.models import Subforum  # noqa: E402
from wuzhen_events.program.queries import current_conference  # noqa: E402
from wuzhen_events.registration.enums import DelegateCategory  # noqa: E402
from wuzhen_events.registration.rotation import secret_of  # noqa: E402
from wuzhen_events.registration.services import DelegateDetails, register_delegate  # noqa: E402
from wuzhen_events.registration.tokens import Secret  # noqa: E402
from wuzhen_events.seed.loader import load_demo_conference  # noqa: E402

DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}
FROZEN_NOW = datetime(2018, 11, 8, 1, 0, tzinfo=UTC)  # 09:00 in Wuzhen on the second day

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
    # The organizers' dashboard, signed in as the demo administrator.
    ("dashboard-delegates", "/dashboard/delegates/", "en", DESKTOP),
    ("dashboard-statistics", "/dashboard/statistics/", "en", DESKTOP),
    ("dashboard-session", "/dashboard/program/sessions/1/", "en", DESKTOP),
    ("dashboard-delegates-zh", "/dashboard/delegates/?status=pending", "zh", DESKTOP),
    ("phone-dashboard-delegate", "/dashboard/delegates/{delegate}/", "en", PHONE),
    # The main entrance's scanning page after the demo delegate's badge is typed in: admitted,
    # then the same badge again in Chinese: refused, saying when, where and by whom.
    ("phone-checkin", "/dashboard/checkin/doors/{entrance}/", "en", PHONE),
    ("phone-checkin-zh", "/dashboard/checkin/doors/{entrance}/", "zh", PHONE),
    ("dashboard-checkin", "/dashboard/checkin/", "en", DESKTOP),
]
# Screenshots taken after the demo delegate's badge code is typed in and Enter pressed.
SCANNED = {"phone-checkin", "phone-checkin-zh"}
DASHBOARD_ADMIN = ("organizer@wuzhen-events.example", "screenshots only, not a real password")

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
    ("dashboard", "/dashboard/", "en"),
    ("dashboard-program", "/dashboard/program/", "en"),
    ("dashboard-session", "/dashboard/program/sessions/1/", "en"),
    ("dashboard-exhibitors", "/dashboard/expo/", "en"),
    ("dashboard-import", "/dashboard/program/import/", "en"),
    ("dashboard-delegates", "/dashboard/delegates/", "en"),
    ("dashboard-delegate", "/dashboard/delegates/{delegate}/", "en"),
    ("dashboard-invitations", "/dashboard/invitations/", "en"),
    ("dashboard-applications", "/dashboard/applications/", "en"),
    ("dashboard-email", "/dashboard/email/new", "en"),
    ("dashboard-exports", "/dashboard/exports/", "en"),
    ("dashboard-statistics", "/dashboard/statistics/", "en"),
    ("dashboard-accounts", "/dashboard/accounts/", "en"),
    ("dashboard-audit", "/dashboard/audit/", "en"),
    ("dashboard-zh", "/dashboard/", "zh"),
    ("dashboard-delegates-zh", "/dashboard/delegates/", "zh"),
    ("dashboard-statistics-zh", "/dashboard/statistics/", "zh"),
    ("dashboard-email-zh", "/dashboard/email/new", "zh"),
    ("dashboard-checkin", "/dashboard/checkin/", "en"),
    ("dashboard-checkin-door", "/dashboard/checkin/doors/{entrance}/", "en"),
    ("dashboard-checkin-doors", "/dashboard/checkin/manage/doors/", "en"),
    ("dashboard-checkin-devices", "/dashboard/checkin/manage/devices/", "en"),
    ("dashboard-checkin-conflicts", "/dashboard/checkin/manage/conflicts/", "en"),
    ("dashboard-checkin-door-zh", "/dashboard/checkin/doors/{entrance}/", "zh"),
]

# Demo registrations for the dashboard to show: (name, Chinese name, category, country).
DEMO_DELEGATES = [
    ("Amina Diallo", "", DelegateCategory.GOVERNMENT, "SN"),
    ("Ivan Petrov", "", DelegateCategory.INTERNATIONAL_ORGANISATION, "RU"),
    ("Li Wei", "李伟", DelegateCategory.ENTERPRISE, "CN"),
    ("Maria Silva", "", DelegateCategory.EXPERT, "BR"),
    ("Wang Fang", "王芳", DelegateCategory.MEDIA, "CN"),
    ("Kofi Mensah", "", DelegateCategory.GOVERNMENT, "GH"),
    ("Sato Yuki", "", DelegateCategory.ENTERPRISE, "JP"),
    ("Chen Jie", "陈杰", DelegateCategory.GENERAL, "CN"),
]


def demo_delegate() -> tuple[str, str]:
    """Register a demo delegate with two seats; their manage token opens /me/, their check-in
    code is what the door's scanner reads."""
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
    return registration.manage_token, secret_of(registration.delegate, Secret.CHECKIN)


def main_entrance() -> int:
    return db.session.scalar(sa.select(Door.id).where(Door.kind == DoorKind.MAIN_ENTRANCE))


def demo_organizer_data() -> int:
    """An administrator to sign in as, and registrations (some waiting for approval) for the
    dashboard to list; answers the id of the first delegate."""
    from wuzhen_events.accounts.enums import Role
    from wuzhen_events.accounts.services import AccountDetails, create_account

    email, password = DASHBOARD_ADMIN
    create_account(AccountDetails(email, "Demo Organizer", Role.ADMIN), password, actor=Actor.cli())
    subforums = db.session.scalars(sa.select(Subforum).order_by(Subforum.id).limit(4)).all()
    first = None
    for number, (name, name_zh, category, country) in enumerate(DEMO_DELEGATES):
        registration = register_delegate(
            current_conference(),
            DelegateDetails(
                name=name,
                name_zh=name_zh,
                email=f"{name.lower().replace(' ', '.')}@example.org",
                organisation="Demo Organisation",
                job_title="",
                country=country,
                category=category,
            ),
            subforums=[subforums[number % len(subforums)]],
            email_verified=True,
            actor=Actor.cli(),
        )
        first = first or registration.delegate.id
    return first


def sign_in(page, base: str) -> None:
    email, password = DASHBOARD_ADMIN
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("form.entry-form button[type=submit]").click()


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
                "FROZEN_NOW": FROZEN_NOW,
            }
        )
        with app.test_request_context():
            db.create_all()
            load_demo_conference()
            token, checkin_code = demo_delegate()
            delegate = demo_organizer_data()
            entrance = main_entrance()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path, language, viewport in shots:
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                if path.startswith("/dashboard/"):
                    sign_in(page, base)
                path = path.replace("{token}", token).replace("{delegate}", str(delegate))
                path = path.replace("{entrance}", str(entrance))
                page.goto(f"{base}/language/{language}?next={path}")
                if name in SCANNED:
                    page.clock.set_fixed_time(FROZEN_NOW)  # the scan's time, as the server's
                    page.locator("#checkin-code").fill(checkin_code)
                    page.locator("#checkin-code").press("Enter")
                    page.locator(".checkin-answer:not(.is-waiting)").wait_for()
                page.screenshot(path=str(out / f"{name}.png"), full_page=bool(arguments.review))
                context.close()
            browser.close()
        server.shutdown()
    print(f"Wrote {len(shots)} screenshots to {out}")


if __name__ == "__main__":
    main()
