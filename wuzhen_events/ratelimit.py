"""Fixed-window rate limits: in Redis when REDIS_URL is set (shared by every app server),
in process memory otherwise (one development server)."""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app

EXTENSION_KEY = "wuzhen_rate_limiter"


class MemoryCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._windows.get(key, (0, now + window_seconds))
            if now >= expires:
                count, expires = 0, now + window_seconds
            self._windows[key] = (count + 1, expires)
            return count + 1


class RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def hit(self, key: str, window_seconds: int) -> int:
        pipeline = self._redis.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, window_seconds, nx=True)
        count, _ = pipeline.execute()
        return int(count)


def init_rate_limiter(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions[EXTENSION_KEY] = RedisCounter(url) if url else MemoryCounter()


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """True while `key` has made at most `limit` attempts at `scope` in the current window."""
    counter = current_app.extensions[EXTENSION_KEY]
    return counter.hit(f"wuzhen:rate:{scope}:{key}", window_seconds) <= limit
