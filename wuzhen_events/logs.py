"""Logs without secrets: what would open a delegate's registration is masked in every line.

The private links carry their secret in the path (`/me/<token>/...`, `/calendar/me/<token>.ics`),
so an access log line or an error that names the URL would hand it to whoever reads the logs.
The filter here rewrites such lines before any handler sees them: the path segment, a secret
query parameter, and anything shaped like a token (43 URL-safe characters) or a token hash (64
hexadecimal digits) become `***`. `wuzhen_events.gunicorn_conf` does the same for gunicorn.

A record logged with `extra={"unmasked": True}` is left alone: only the whole e-mails that the
log transport writes when told to (MAIL_LOG_BODIES, on by default in debug mode only).
"""

from __future__ import annotations

import logging
import re

from flask import Flask

MASK = "***"
# /me/<token>/..., /me/<token>/badge, /calendar/me/<token>.ics, and the same inside a query string
# (`?next=/me/<token>/`), percent-encoded or not. Any segment but /me/erased (the page after an
# erasure) is masked, not only well-formed tokens: a mistyped link is one character away from a
# real one.
SECRET_PATH = re.compile(
    r"(?P<prefix>(?:/|%2F)me(?:/|%2F))(?!erased(?:[/?#&%\s\"'<>]|$))"
    r"(?P<secret>[^/?#&%\s\"'<>]+?)(?P<suffix>\.ics)?(?=[/?#&%\s\"'<>]|$)",
    re.IGNORECASE,
)
SECRET_PARAMETER = re.compile(
    r"(?P<prefix>[?&](?:token|code|invitation|invitation_code)=)[^&#\s\"'<>]+", re.IGNORECASE
)
SECRET_SHAPE = re.compile(
    r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"  # a manage, feed or check-in token
    r"|(?<![0-9A-Fa-f])[0-9a-fA-F]{64}(?![0-9A-Fa-f])"  # a SHA-256 token or code hash
)
# The app's module loggers, below Flask's app logger ("wuzhen_events"). Named here because a
# module may make its logger after create_app (the mail sender is imported by its command).
APP_LOGGERS = ("wuzhen_events.mail", "wuzhen_events.campaigns")
# Other loggers that may name a request's URL.
URL_LOGGERS = (
    "werkzeug",  # the development server's access log
    "gunicorn.error",
    "gunicorn.access",
    "flask-limiter",
    "sqlalchemy.engine.Engine",  # with SQLALCHEMY_ECHO, statements and their parameters
)
_EXCEPTION_FORMATTER = logging.Formatter()


def mask_secrets(text: str) -> str:
    text = SECRET_PATH.sub(lambda m: f"{m['prefix']}{MASK}{m['suffix'] or ''}", text)
    text = SECRET_PARAMETER.sub(lambda m: f"{m['prefix']}{MASK}", text)
    return SECRET_SHAPE.sub(MASK, text)


class SecretMaskingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback) with the secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "unmasked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the handler's to report, not ours to raise
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text once it is set, so the traceback is printed masked.
            record.exc_text = mask_secrets(_EXCEPTION_FORMATTER.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


SECRET_MASKING_FILTER = SecretMaskingFilter()


def register_log_masking(app: Flask) -> None:
    """On the loggers, not their handlers: a record is masked before it reaches any handler,
    whichever a deployment (or pytest's caplog) attaches. A logger's filters do not apply to
    its children's records, so each module's logger gets the filter too."""
    for name in (app.logger.name, *APP_LOGGERS, *URL_LOGGERS):
        logger = logging.getLogger(name)
        if SECRET_MASKING_FILTER not in logger.filters:
            logger.addFilter(SECRET_MASKING_FILTER)
