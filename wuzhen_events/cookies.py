"""Flask's signed-cookie session (the visitor's cookie; not a program session, not db.session),
without its cost for the clients that never carry one."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    """Builds the cookie signer only for a request that brings cookies.

    Calendar apps, schedule apps and API clients send no cookie, and Flask's interface would
    build a new signing serializer for each of their requests before finding none: a fifth
    of a warm feed request's own work. An empty session is saved exactly as before.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.environ.get("HTTP_COOKIE"):
            return self.session_class()  # not even parsing an absent Cookie header
        return super().open_session(app, request)
