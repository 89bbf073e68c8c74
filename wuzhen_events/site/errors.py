"""Error pages: every failure answers a page in the visitor's language, never a bare trace."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from wuzhen_events.extensions import db


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected_error)


def render_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    template = "errors/404.html" if error.code == 404 else "errors/error.html"
    return render_template(template, error=error), error.code


def render_unexpected_error(error: Exception):
    """Roll back so the next request starts clean, then show the generic 500 page."""
    db.session.rollback()
    current_app.logger.exception("Unhandled error: %s", error)
    if isinstance(error, HTTPException):
        return render_http_error(error)
    return render_template("errors/500.html", error=InternalServerError()), 500
