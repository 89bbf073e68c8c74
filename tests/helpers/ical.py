"""The two parsers real calendar clients use: `icalendar` and Mozilla's ical.js (run with node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
PARSE_SCRIPT = ROOT / "tests" / "calendar" / "js" / "parse.mjs"
ICAL_JS = ROOT / "node_modules" / "ical.js" / "package.json"


def parse_with_icalendar(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def parse_with_ical_js(body: bytes) -> dict:
    """What Thunderbird's parser reads from the feed; skips locally, fails under CI=true."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not ICAL_JS.exists():
        missing = "ical.js is not installed (run `npm ci` at the top of the repository)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; .ci/run must install it")
        pytest.skip(missing)
    result = subprocess.run(
        [node, str(PARSE_SCRIPT)],
        input=body,
        capture_output=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)
