"""Regenerate the README screenshots: the demo conference in Debian's Chromium.

    .venv/bin/python docs/take_screenshots.py

Serves a fresh demo database on loopback with the clock pinned to the morning of 8 November
2018, so the home page shows what is on, and writes PNGs to docs/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from wuzhen_events import create_app  # noqa: E402
from wuzhen_events.extensions import db  # noqa: E402
from wuzhen_events.seed.loader import load_demo_conference  # noqa: E402

PAGES = [
    ("home", "/", "en"),
    ("program", "/program/?day=2018-11-08", "en"),
    ("subforum", "/subforums/fintech-credit-society/", "en"),
    ("expo", "/expo/?launches=1", "en"),
    ("program-zh", "/program/?day=2018-11-07", "zh"),
]


def main() -> None:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.sqlite3",
                "SECRET_KEY": "screenshots",
                "FROZEN_NOW": datetime(2018, 11, 8, 1, 0, tzinfo=UTC),
            }
        )
        with app.app_context():
            db.create_all()
            load_demo_conference()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path, language in PAGES:
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/language/{language}?next={path}")
                page.screenshot(path=str(out / f"{name}.png"), full_page=False)
                context.close()
            browser.close()
        server.shutdown()
    print(f"Wrote {len(PAGES)} screenshots to {out}")


if __name__ == "__main__":
    main()
