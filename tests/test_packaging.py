"""A wheel (`pip install .`) carries everything the app reads at run time."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_templates_migrations_static_files_and_translations(tmp_path):
    [wheel_path] = list(
        WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    )

    names = set(zipfile.ZipFile(wheel_path).namelist())

    expected = {
        "wuzhen_events/templates/base.html",
        "wuzhen_events/templates/program/program.html",
        "wuzhen_events/templates/expo/directory.html",
        "wuzhen_events/templates/errors/404.html",
        "wuzhen_events/migrations/env.py",
        "wuzhen_events/migrations/alembic.ini",
        "wuzhen_events/migrations/script.py.mako",
        "wuzhen_events/migrations/versions/0001_program_expo.py",
        "wuzhen_events/migrations/versions/0002_registration.py",
        "wuzhen_events/migrations/versions/0003_outbox_applications.py",
        "wuzhen_events/migrations/versions/0004_outbox_render_at_send.py",
        "wuzhen_events/migrations/versions/0005_verify_erase_restrict.py",
        "wuzhen_events/migrations/versions/0006_outbox_retry_window.py",
        "wuzhen_events/migrations/versions/0007_fallback_hashes.py",
        "wuzhen_events/migrations/versions/0008_audit_trail.py",
        "wuzhen_events/migrations/versions/0009_one_slug_length.py",
        "wuzhen_events/gunicorn_conf.py",
        "wuzhen_events/static/css/site.css",
        "wuzhen_events/static/js/checkin.js",
        "wuzhen_events/static/vendor/zxing-wasm/zxing-reader.iife.js",
        "wuzhen_events/static/vendor/zxing-wasm/zxing_reader.wasm",
        "wuzhen_events/static/vendor/zxing-wasm/LICENSE",
        "wuzhen_events/static/vendor/zxing-wasm/LICENSE-zxing-cpp-Apache-2.0.txt",
        "wuzhen_events/templates/dashboard/checkin/_scanner.html",
        "wuzhen_events/translations/zh/LC_MESSAGES/messages.mo",
        # the badges' Chinese font and its licence
        "wuzhen_events/registration/fonts/NotoSansCJKsc-Badge.ttf",
        "wuzhen_events/registration/fonts/OFL.txt",
    }
    assert expected - names == set()
    assert not any(name.startswith(("tests/", "instance/")) for name in names)
