"""The registration form as a new visitor first sees it: rendered once per subforum data (seats
included), language and address, then served with the visitor's own CSRF token and form id.

On the morning registration opens everyone loads this page, and all of it but two values is the
same for everyone: the subforums with their seats, some 250 countries, the help texts. The
subforum rows are read on every request anyway (the POST needs them), so they are the key: a seat
taken or freed changes the key, and the next GET shows it. A page carrying a flash message is
rendered for its request alone. A form with the visitor's values or errors (a refused POST) is
rendered every time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf

from wuzhen_events.conditional import LRU
from wuzhen_events.registration.choices import Offered
from wuzhen_events.serving import page_origin, page_path, page_query

FORM_PAGES = "wuzhen_events.registration_form_pages"
# Rendered in place of the per-visitor values; letters, digits and hyphens, as the real values,
# so HTML escaping treats both alike and the filled page is the page rendered with the values.
CSRF_PLACEHOLDER = "csrf-placeholder-" + secrets.token_hex(12)
SUBMISSION_ID_PLACEHOLDER = "submission-placeholder-" + secrets.token_hex(12)
ADDRESS_LIMIT = 512  # longer query strings are rendered, never kept
# The one parameter the empty form reads (a subforum preselected); others share its page.
READ_PARAMETERS = ("subforum",)


def register_form_pages(app: Flask) -> None:
    app.extensions[FORM_PAGES] = LRU[tuple, str](app.config["REGISTRATION_PAGE_CACHE_ENTRIES"])


def new_submission_id() -> str:
    return secrets.token_urlsafe(24)


def blank_form_page(subforums: Sequence[Offered], render: Callable[[], str]) -> str:
    """The empty form's page; `render` makes it with the two placeholders in place."""
    # As the form would (Flask-WTF's setting): it also stores the session's raw token.
    token = generate_csrf() if current_app.config["WTF_CSRF_ENABLED"] else ""
    submission_id = new_submission_id()
    kept_query = page_query(READ_PARAMETERS)
    g.page_path = page_path(kept_query)  # the language links lead back to the kept page
    origin = page_origin()
    if session.get("_flashes") or origin is None or len(request.query_string) > ADDRESS_LIMIT:
        return fill(render(), token, submission_id)
    key = (
        origin,
        request.path,
        kept_query,
        str(get_locale()),
        str(get_timezone()),
        data_version(subforums),
    )
    pages = current_app.extensions[FORM_PAGES]
    page = pages.get(key)
    if page is None:
        page = render()
        pages.put(key, page)
    return fill(page, token, submission_id)


def data_version(subforums: Sequence[Offered]) -> tuple:
    """Everything the page shows of the subforums, seats included."""
    return tuple(
        (
            s.id,
            s.slug,
            s.title,
            s.title_zh,
            s.capacity,
            s.seats_taken,
            tuple(s.restricted_to),
            s.starts_at,
            s.ends_at,
        )
        for s in subforums
    )


def fill(page: str, token: str, submission_id: str) -> str:
    return page.replace(CSRF_PLACEHOLDER, token).replace(SUBMISSION_ID_PLACEHOLDER, submission_id)
