"""Absolute links for places a request is not there to tell the host: e-mails, feeds, the CLI."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

REDIRECT_TARGET_LIMIT = 2000
# Unicode categories never allowed in a redirect target: controls (CR, LF, NUL...), invisible
# format characters (bidi overrides), surrogates, unassigned, and line or paragraph separators.
UNSAFE_CATEGORIES = ("C", "Zl", "Zp")
# A Host header as werkzeug accepts it: a name or IPv4 address, or a bracketed IPv6 address,
# then an optional port. Anything else (capitals included: browsers send lower case) is refused.
HOST_HEADER = re.compile(r"([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[1-9][0-9]{0,4})?")


def external_url(endpoint: str, **values) -> str:
    """PUBLIC_BASE_URL when configured (behind a proxy, in the CLI); else the request's host,
    which site.security.refuse_untrusted_host has checked against TRUSTED_HOST_NAMES."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        with current_app.test_request_context(base_url=base.rstrip("/")):
            return url_for(endpoint, _external=True, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url="http://localhost:5000"):
        return url_for(endpoint, _external=True, **values)


def request_host() -> str:
    """The Host the request named (after ProxyFix, when it is on), read raw: cheaper than
    request.host, and the value request_origin() and url_for() go on to use."""
    host = request.environ.get("HTTP_HOST")
    return host if host is not None else request.host


def is_trusted_host(host: str) -> bool:
    return host_matches(host, current_app.config["TRUSTED_HOST_NAMES"])


def is_trusted_base_url(base_url: str) -> bool:
    """Whether an address kept from an earlier request (a queued e-mail's) names a trusted host."""
    try:
        netloc = urlsplit(base_url).netloc
    except ValueError:
        return False
    return is_trusted_host(netloc)


@lru_cache(maxsize=256)
def host_matches(host: str, trusted: tuple[str, ...]) -> bool:
    """Flask's TRUSTED_HOSTS rules (any port; ".example.org" also takes its subdomains), which
    werkzeug 3.1 cannot apply to an IPv6 address such as [::1]. Memoized: a warm feed request
    costs tens of microseconds, and sites see a handful of Host values."""
    match = HOST_HEADER.fullmatch(host)
    if match is None or (match.end(1) < len(host) and int(host[match.end(1) + 1 :]) > 65535):
        return False
    name = match.group(1)
    return any(
        name == ref or (ref.startswith(".") and (name == ref[1:] or name.endswith(ref)))
        for ref in trusted
    )


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
