"""Error pages: every failure answers a page in the visitor's language, never a bare trace.

API addresses and clients that ask for JSON get the API's one JSON error shape instead.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from wuzhen_events.api.errors import (
    ERROR_CODES,
    ERROR_MESSAGES,
    error_response,
    http_error_response,
    server_error_response,
    wants_json_errors,
)
from wuzhen_events.extensions import limiter
from wuzhen_events.outages import (
    OUTAGE_ERRORS,
    describe,
    discard_session,
    is_database_outage,
    is_write_conflict,
)

# Werkzeug's names and descriptions are English only; these are the ones visitors can meet.
ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check the address.")),
    403: (_l("Forbidden"), _l("You do not have access to this page.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (
        _l("Request too large"),
        _l(
            "What was sent is larger than this site accepts, so nothing was saved. "
            "Go back, shorten what you entered and send it again."
        ),
    ),
    409: (
        _l("Not saved"),
        _l(
            "Another change was being saved at the same moment as yours, so yours was not "
            "saved. Nothing was changed: please go back and send it again."
        ),
    ),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    503: (
        _l("Service unavailable"),
        _l("The site is busy or being maintained. Please try again soon."),
    ),
}
CSRF_ERROR = (
    _l("The form has expired"),
    _l(
        "The form has expired or was sent from another site. "
        "Go back, reload the page and try again."
    ),
)
GENERIC_ERROR = (_l("Request not completed"), _l("The server could not complete this request."))
# Files that calendar and schedule clients read: their errors are plain text, not a page.
PLAIN_ERROR_SUFFIXES = (".ics", ".xml")


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    for error_class in OUTAGE_ERRORS:
        app.register_error_handler(error_class, render_database_unavailable)
    app.register_error_handler(Exception, render_unexpected_error)


def render_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if isinstance(error, RateLimitExceeded):
        return render_rate_limited()
    if wants_json_errors():
        return http_error_response(error)
    if error.code == 404:
        return render_template("errors/404.html"), 404
    if isinstance(error, CSRFError):
        title, description = CSRF_ERROR
    else:
        title, description = ERROR_TEXTS.get(error.code, GENERIC_ERROR)
    page = render_template(
        "errors/error.html", code=error.code, title=title, description=description
    )
    return page, error.code


def render_rate_limited():
    """A limit was reached: say how long to wait, in minutes here and in Retry-After seconds."""
    # The longest wait among the limits this request broke, or a minute if none is known.
    reset_at = max(
        (limit.reset_at for limit in limiter.current_limits if limit.breached),
        default=time.time() + 60,
    )
    seconds = max(1, math.ceil(reset_at - time.time()))
    if wants_json_errors():
        response, status = error_response(429, ERROR_CODES[429], ERROR_MESSAGES[429])
    else:
        description = rate_limit_description(seconds)
        page = render_template(
            "errors/error.html", code=429, title=ERROR_TEXTS[429][0], description=description
        )
        response, status = current_app.make_response(page), 429
    response.headers["Retry-After"] = str(seconds)
    return response, status


def rate_limit_description(seconds: int) -> str:
    """The wait in minutes up to two hours, in whole hours beyond (a daily limit: 24 hours)."""
    minutes = max(1, round(seconds / 60))
    if minutes <= 120:
        return ngettext(
            "Too many requests came from your connection, so this one was not carried out and "
            "nothing was saved. Please try again in %(num)d minute.",
            "Too many requests came from your connection, so this one was not carried out and "
            "nothing was saved. Please try again in %(num)d minutes.",
            minutes,
        )
    return ngettext(
        "Too many requests came from your connection, so this one was not carried out and "
        "nothing was saved. Please try again in %(num)d hour.",
        "Too many requests came from your connection, so this one was not carried out and "
        "nothing was saved. Please try again in %(num)d hours.",
        math.ceil(minutes / 60),
    )


def render_database_unavailable(error: Exception):
    """The database is out of reach or full: 503 with Retry-After and one line in the log."""
    if is_write_conflict(error):
        return render_write_conflict(error)
    if not is_database_outage(error):
        return render_unexpected_error(error)
    discard_session()
    current_app.logger.warning("Database unavailable, answered 503: %s", describe(error))
    if wants_json_errors() or request.path.endswith(".json"):
        response, status = error_response(503, ERROR_CODES[503], ERROR_MESSAGES[503])
    elif request.path.endswith(PLAIN_ERROR_SUFFIXES):
        title, description = ERROR_TEXTS[503]
        response = Response(f"503 {title}\n{description}\n", mimetype="text/plain")
        status = 503
    else:
        response, status = current_app.make_response(render_template("errors/503.html")), 503
    response.headers["Retry-After"] = str(current_app.config["DATABASE_RETRY_AFTER"])
    return response, status


def render_write_conflict(error: Exception):
    """PostgreSQL rolled this request's transaction back for a concurrent one's sake (a deadlock,
    a serialization failure): nothing was saved, and sending it again works now, so 409 with a
    message that says so; one warning line, since the services lock in one order to avoid it."""
    discard_session()
    current_app.logger.warning("Write conflict, nothing saved, answered 409: %s", describe(error))
    if wants_json_errors():
        return error_response(409, ERROR_CODES[409], ERROR_MESSAGES[409])
    title, description = ERROR_TEXTS[409]
    if request.path.endswith(PLAIN_ERROR_SUFFIXES):
        return Response(f"409 {title}\n{description}\n", mimetype="text/plain"), 409
    page = render_template("errors/error.html", code=409, title=title, description=description)
    return page, 409


def render_unexpected_error(error: Exception):
    """Start the next request clean, then show the generic 500 page."""
    discard_session()
    current_app.logger.exception("Unhandled error: %s", error)
    if isinstance(error, HTTPException):
        return render_http_error(error)
    if wants_json_errors():
        return server_error_response()
    return render_template("errors/500.html"), 500
