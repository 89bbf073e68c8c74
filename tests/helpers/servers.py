"""Servers the fault tests own, so they can stop them: PostgreSQL (initdb and pg_ctl in a
temporary folder), Redis, a socket that accepts and never answers, and the app on loopback.

The machine's shared PostgreSQL and Redis are never touched. A missing tool skips its tests,
and fails them under CI=true, as for ical.js.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from werkzeug.serving import make_server

COMMAND_TIMEOUT = 60  # seconds for initdb, pg_ctl start/stop and redis-server to come up


def require_tool(name: str) -> str:
    # Debian keeps PostgreSQL's server programs out of PATH, in /usr/lib/postgresql/<major>/bin.
    path = shutil.which(name) or next(
        (str(found) for found in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None
    )
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnPostgres:
    """A PostgreSQL cluster of the test's own on a free loopback port; stop() and start() it."""

    def __init__(self) -> None:
        self.initdb = require_tool("initdb")
        self.pg_ctl = require_tool("pg_ctl")
        # initdb refuses to run as root; the Debian package's postgres user owns the cluster then.
        self.user = None
        self.runuser = None
        if os.geteuid() == 0:
            self.runuser = require_tool("runuser")
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("running as root needs a `postgres` user to own the test cluster")
        self.folder = Path(tempfile.mkdtemp(prefix="wuzhen-pg-"))
        if self.user is not None:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        self.port = free_port()
        self.running = False
        try:
            self.run(
                self.initdb,
                *("-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres"),
                *("-E", "UTF8", "--locale=C", "--no-sync"),
            )
        except BaseException:
            self.remove()
            raise

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *command: str) -> None:
        if self.user is not None:
            command = (self.runuser, "-u", self.user.pw_name, "--", *command)
        subprocess.run(command, check=True, capture_output=True, timeout=COMMAND_TIMEOUT)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self.run(
            self.pg_ctl,
            *("-D", str(self.folder / "data"), "-o", options, "-l", str(self.folder / "log")),
            *("-w", "-t", str(COMMAND_TIMEOUT), "start"),
        )
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast` aborts open transactions and closes every connection, as an operator's
        restart does."""
        self.run(
            self.pg_ctl,
            *("-D", str(self.folder / "data"), "-m", mode, "-w", "-t", str(COMMAND_TIMEOUT)),
            "stop",
        )
        self.running = False

    def remove(self) -> None:
        try:
            if self.running:
                self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


class OwnRedis:
    """A redis-server of the test's own, without persistence, on a free loopback port."""

    def __init__(self) -> None:
        self.binary = require_tool("redis-server")
        self.folder = Path(tempfile.mkdtemp(prefix="wuzhen-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=COMMAND_TIMEOUT)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis()
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


@contextmanager
def black_hole() -> Iterator[int]:
    """A loopback port that accepts connections and never answers (a hung database host);
    closing it at the end releases whoever still waits on it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() that close() alone would not
        listener.close()
        for connection in accepted:
            connection.close()
        thread.join(timeout=5)


@contextmanager
def serving(app) -> Iterator[int]:
    """The app behind werkzeug's threaded server on a free loopback port, as a browser meets it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def run_bounded(work: Callable[[], object], *, seconds: float):
    """Run `work` on a thread and give up waiting after `seconds`: a hang fails the test
    instead of stalling the run (the thread is a daemon and ends when its socket closes)."""
    results: list[object] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(work())
        except BaseException as error:  # re-raised below, in the test's thread
            errors.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    if thread.is_alive():
        pytest.fail(f"still waiting after {seconds} seconds")
    if errors:
        raise errors[0]
    return results[0]


def wait_until(condition: Callable[[], bool], *, seconds: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} seconds for {what or 'a condition'}")
        time.sleep(0.02)
