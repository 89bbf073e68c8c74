"""Fixed-window rate limits, in memory and in the Redis on 127.0.0.1:6379."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from wuzhen_events.ratelimit import MemoryCounter, RedisCounter, allow, init_rate_limiter

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not answering on 127.0.0.1:6379")
        pytest.skip("Redis is not answering on 127.0.0.1:6379")


def test_memory_counter_counts_within_a_window_and_starts_again_after_it(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("wuzhen_events.ratelimit.time.monotonic", lambda: now[0])
    counter = MemoryCounter()

    counts = [counter.hit("k", 60) for _ in range(3)]
    now[0] += 61

    assert counts == [1, 2, 3]
    assert counter.hit("k", 60) == 1


def test_redis_counter_is_shared_and_expires():
    redis_or_skip()
    key = f"test:{uuid.uuid4()}"
    first, second = RedisCounter(REDIS_URL), RedisCounter(REDIS_URL)

    counts = [first.hit(key, 60), second.hit(key, 60), first.hit(key, 60)]

    assert counts == [1, 2, 3]
    ttl = redis.Redis.from_url(REDIS_URL).ttl(key)
    assert 0 < ttl <= 60


def test_allow_uses_redis_when_configured(app):
    redis_or_skip()
    app.config["REDIS_URL"] = REDIS_URL
    init_rate_limiter(app)
    scope = f"test-{uuid.uuid4()}"

    results = [allow(scope, "client", limit=2, window_seconds=60) for _ in range(3)]

    assert results == [True, True, False]
    assert isinstance(app.extensions["wuzhen_rate_limiter"], RedisCounter)
