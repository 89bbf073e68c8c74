"""The gunicorn settings the README's production command uses: a real gunicorn on a loopback
port writes access log lines with the private links' tokens masked."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection

import pytest

from tests.helpers.servers import free_port

TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde"
START_TIMEOUT = 60  # seconds for gunicorn to import the app and listen
# gunicorn's combined format, the date aside: host, request line, status, size, referrer, agent.
ACCESS_LINE = re.compile(r'127\.0\.0\.1 - - \[[^\]]+\] (".*)')


def wait_until_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn did not listen on port {port} within {START_TIMEOUT} s")


def get(port: int, path: str, **headers: str) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"User-Agent": "log-test", **headers})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def gunicorn(app, empty_database_url, tmp_path):
    """gunicorn with the package's settings, on the empty test database, stopped afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "SECRET_KEY": "gunicorn-test-secret-key-0123456789",
        "WUZHEN_INSTANCE_PATH": str(tmp_path),
        "RATELIMIT_ENABLED": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:wuzhen_events.gunicorn_conf",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "wuzhen_events:create_app()",
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_listening(port, process)
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_gunicorns_access_log_masks_the_private_links(gunicorn):
    port, process = gunicorn

    statuses = [
        get(port, f"/me/{TOKEN}/badge"),
        get(port, f"/calendar/me/{TOKEN}.ics"),
        get(port, f"/language/zh?next=/me/{TOKEN}/", Referer=f"http://127.0.0.1/me/{TOKEN}/"),
    ]
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)

    assert statuses == [404, 404, 303]
    lines = [ACCESS_LINE.fullmatch(line)[1] for line in stdout.splitlines()]
    assert [re.sub(r'" (\d+) (\d+|-) "', r'" \1 - "', line) for line in lines] == [
        '"GET /me/***/badge HTTP/1.1" 404 - "-" "log-test"',
        '"GET /calendar/me/***.ics HTTP/1.1" 404 - "-" "log-test"',
        '"GET /language/zh?next=/me/***/ HTTP/1.1" 303 - "http://127.0.0.1/me/***/" "log-test"',
    ]
    assert TOKEN not in stdout + stderr
