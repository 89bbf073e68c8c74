"""The API's one error shape, also answered by the site's error handlers to JSON clients."""

from __future__ import annotations

import re

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/"

# Codes for the statuses the API answers; any other status gets werkzeug's name in snake case.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
    429: "too_many_requests",
    500: "server_error",
    503: "service_unavailable",
}
ERROR_MESSAGES = {
    400: "The request could not be understood.",
    404: "Nothing is found at this address.",
    405: "This address only answers GET, HEAD and OPTIONS requests.",
    409: "A concurrent change was saved first and this one was not; send it again.",
    413: "The request body is larger than this server accepts.",
    429: "Too many requests from this client; try again after the Retry-After delay.",
    500: "The server could not complete this request.",
    503: "The service is briefly unavailable; try again after the Retry-After delay.",
}
NOT_WORD = re.compile(r"[^a-z0-9]+")


class ApiError(Exception):
    """A request the API refuses; the view's blueprint turns it into the JSON error shape."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


class InvalidParameter(ApiError):
    def __init__(self, field: str, message: str):
        super().__init__(400, "invalid_parameter", message, field=field)


class NotFound(ApiError):
    def __init__(self, message: str):
        super().__init__(404, "not_found", message)


class Unauthorized(ApiError):
    """No device token, an unknown one, or a revoked one: the scanner app must sign in anew."""

    def __init__(self, message: str):
        super().__init__(401, "unauthorized", message)


def error_response(
    status: int, code: str, message: str, *, field: str | None = None
) -> tuple[Response, int]:
    body = {"error": {"status": status, "code": code, "message": message, "field": field}}
    return jsonify(body), status


def api_error_response(error: ApiError) -> tuple[Response, int]:
    response, status = error_response(error.status, error.code, error.message, field=error.field)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="wuzhen-events checkin"'
    return response, status


def http_error_response(error: HTTPException) -> tuple[Response, int]:
    """Werkzeug's errors (unknown address, wrong method, CSRF) in the API's shape."""
    status = error.code or 500
    code = ERROR_CODES.get(status) or NOT_WORD.sub("_", (error.name or "error").lower()).strip("_")
    message = ERROR_MESSAGES.get(status) or error.description or error.name
    allow = next((value for name, value in error.get_headers() if name.lower() == "allow"), None)
    if status == 405 and allow is not None and "POST" in allow:
        message = "This address only answers POST requests."  # the check-in scans
    response, status = error_response(status, code, str(message))
    # A 405 must still say which methods the address answers.
    if allow is not None:
        response.headers["Allow"] = allow
    return response, status


def server_error_response() -> tuple[Response, int]:
    return error_response(500, ERROR_CODES[500], ERROR_MESSAGES[500])


def wants_json_errors() -> bool:
    """API addresses always; elsewhere clients that prefer JSON to HTML (ties go to HTML)."""
    if request.path.startswith(API_PREFIX):
        return True
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json"
