"""Absolute links for places a request is not there to tell the host: e-mails, feeds, the CLI."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

REDIRECT_TARGET_LIMIT = 2000
# Unicode categories never allowed in a redirect target: controls (CR, LF, NUL...), invisible
# format characters (bidi overrides), surrogates, unassigned, and line or paragraph separators.
UNSAFE_CATEGORIES = ("C", "Zl", "Zp")


def external_url(endpoint: str, **values) -> str:
    """PUBLIC_BASE_URL when configured (behind a proxy, in the CLI); else the request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        with current_app.test_request_context(base_url=base.rstrip("/")):
            return url_for(endpoint, _external=True, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url="http://localhost:5000"):
        return url_for(endpoint, _external=True, **values)


def is_safe_redirect_target(candidate: str) -> bool:
    """A path on this site only: no other host, scheme or backslash, nothing a header refuses."""
    return (
        0 < len(candidate) <= REDIRECT_TARGET_LIMIT
        and candidate.startswith("/")
        and not candidate.startswith("//")
        and "\\" not in candidate
        and not any(unicodedata.category(char).startswith(UNSAFE_CATEGORIES) for char in candidate)
        and not urlsplit(candidate).scheme
        and not urlsplit(candidate).netloc
    )


def safe_redirect_target(candidate: str | None, fallback: str) -> str:
    """Every redirect to an address a request named goes through here (open redirects, 500s)."""
    return candidate if candidate and is_safe_redirect_target(candidate) else fallback
