"""Security headers on every response, and the Host check before every request."""

from collections.abc import Callable

from flask import Flask, Response, abort, current_app, request

from wuzhen_events.urls import is_trusted_host, request_host


def content_security_policy(script_src: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            f"script-src {script_src}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy("'self'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
)
# The check-in scanning page reads badges with the camera through a QR reader compiled to
# WebAssembly: that page alone may use the camera and compile WebAssembly (still no eval).
CAMERA_PAGES = frozenset({"dashboard.checkin.door"})
CAMERA_HEADERS = (
    ("Content-Security-Policy", content_security_policy("'self' 'wasm-unsafe-eval'")),
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
)
# Load balancers and orchestrators probe by the server's address; the probe makes no link.
# Static files make no link either, and the 400 page itself needs its stylesheet.
HOST_CHECK_EXEMPT = frozenset({"site.healthz", "static"})


def refuse_untrusted_host() -> None:
    """Links in e-mails, feeds and schedule files are made from the request's host, so a Host
    not in TRUSTED_HOST_NAMES is answered 400 before any view, cache or rate limit sees it."""
    if request.endpoint in HOST_CHECK_EXEMPT:
        return
    host = request_host()
    if not is_trusted_host(host):
        current_app.logger.warning("Refused a request for the untrusted host %.100r", host)
        abort(400)


def security_headers(app: Flask) -> tuple[tuple[str, str], ...]:
    """The headers every response carries; Strict-Transport-Security when the site is https."""
    hsts = app.config["STRICT_TRANSPORT_SECURITY"]
    return (*SECURITY_HEADERS, ("Strict-Transport-Security", hsts)) if hsts else SECURITY_HEADERS


def camera_page_headers(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The headers of a camera page: its own policies in place of the site's."""
    replaced = {name for name, _ in CAMERA_HEADERS}
    return (*CAMERA_HEADERS, *((name, value) for name, value in headers if name not in replaced))


def security_headers_adder(app: Flask) -> Callable[[Response], Response]:
    headers = security_headers(app)
    camera_headers = camera_page_headers(headers)

    def add_security_headers(response: Response) -> Response:
        """Each header unless the view set its own (a personal feed sends no referrer at all)."""
        # One pass over the headers: five setdefault calls would scan them five times, a tenth
        # of a warm calendar feed request.
        present = {name.lower() for name, _ in response.headers}
        chosen = camera_headers if request.endpoint in CAMERA_PAGES else headers
        response.headers.extend(
            (name, value) for name, value in chosen if name.lower() not in present
        )
        return response

    return add_security_headers
