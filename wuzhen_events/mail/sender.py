"""Deliver the outbox over SMTP, a bounded batch per run, retrying failures with backoff.

A message the server cannot take now (out of reach, the connection lost, a 4xx reply) stays
pending, retried after 1, 2, 4 ... minutes (at most MAIL_RETRY_MAX_DELAY_MINUTES) for
MAIL_RETRY_DAYS from its first failure; only a permanent refusal (5xx for its recipient or its
content) fails it at once. A server out of reach ends the run after one try: the rest of the batch
waits with that message instead of each one paying a connection attempt. `mail requeue`
(services.requeue_failed_messages) gives failed messages a new window.

A run claims its due rows in one short write transaction (PostgreSQL: FOR UPDATE SKIP LOCKED;
SQLite: BEGIN IMMEDIATE) by moving their next attempt a lease into the future, so a second sender
running at the same time skips them; no transaction stays open while the mail server talks. A run
that dies leaves its unfinished rows to come due again when the lease ends.

A message queued unrendered (kind, recipient, context) is rendered here, right before its first
attempt, by the renderer its domain registered for its kind (mail.rendering), and kept as
rendered, so a retry sends the same e-mail.
"""

from __future__ import annotations

import base64
import enum
import logging
import math
import smtplib
import ssl
import time
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

import idna
import sqlalchemy as sa
from flask import current_app
from jinja2 import TemplateError

from wuzhen_events.config import DefaultConfig
from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.rendering import (
    MessageSuperseded,
    MessageUnrenderable,
    RenderedMessage,
    render,
)
from wuzhen_events.transactions import write

LOGGER = logging.getLogger("wuzhen_events.mail")

# The settings' own defaults (config.py), for a configuration that leaves one empty.
DEFAULT_TIMEOUT_SECONDS = float(DefaultConfig.MAIL_TIMEOUT)
DEFAULT_RETRY_DAYS = float(DefaultConfig.MAIL_RETRY_DAYS)
DEFAULT_RETRY_MAX_DELAY_MINUTES = float(DefaultConfig.MAIL_RETRY_MAX_DELAY_MINUTES)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(minutes=DEFAULT_RETRY_MAX_DELAY_MINUTES)
# How long claimed rows are hidden from other senders; a run stops starting new messages well
# before its lease ends, so a slow server can never make two senders deliver the same row.
CLAIM_LEASE = timedelta(minutes=15)
LEASE_SAFETY_MARGIN = timedelta(minutes=2)
ERROR_LIMIT = 1000  # OutboxMessage.last_error's length
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


class MailPolicy(EmailPolicy):
    """policy.SMTP, but a long Subject folds between its words. The default moves a value that
    fits on a line of its own to the next line, leaving "Subject:" alone on the first."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() != "subject":
            return super().fold(name, value)
        text = str(value)
        header = Header(
            text,
            charset="us-ascii" if text.isascii() else "utf-8",
            header_name=name,
            maxlinelen=self.max_line_length,
        )
        return f"{name}: {header.encode(linesep=self.linesep)}{self.linesep}"

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() != "subject":
            return super().fold_binary(name, value)
        return self.fold(name, value).encode("ascii")


# 7-bit transfer encodings (quoted-printable or base64), so no server needs 8BITMIME.
MAIL_POLICY = MailPolicy(linesep="\r\n", cte_type="7bit")
MAIL_POLICY_UTF8 = MAIL_POLICY.clone(utf8=True)


class MailConfigurationError(ValueError):
    """MAIL_URL cannot be used; nothing was claimed or sent."""


class TransportUnavailable(Exception):
    """The mail server could not be reached, or the connection failed or was closed (421) while
    a message was on its way: no message can go now, so the run ends."""


class DeliveryFailed(Exception):
    """This one message was not accepted; the connection may serve the next one. A permanent
    failure (nothing left to write about) is given up at once instead of retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Failure(enum.Enum):
    """What a failed SMTP exchange says about the message, and so what happens to it."""

    CONNECTION = "connection"  # the server or the way to it: the batch waits, the run ends
    TEMPORARY = "temporary"  # a 4xx for this message: retried, the run goes on
    PERMANENT = "permanent"  # a 5xx for its recipient or content: failed at once


@dataclass(frozen=True)
class RetryPolicy:
    """How long a failing message is retried, and the longest wait between two tries."""

    window: timedelta = timedelta(days=DEFAULT_RETRY_DAYS)
    longest_delay: timedelta = LONGEST_RETRY

    @classmethod
    def from_config(cls, config) -> RetryPolicy:
        days = _number(config, "MAIL_RETRY_DAYS", float, DEFAULT_RETRY_DAYS)
        minutes = _number(
            config, "MAIL_RETRY_MAX_DELAY_MINUTES", float, DEFAULT_RETRY_MAX_DELAY_MINUTES
        )
        return cls(window=timedelta(days=days), longest_delay=timedelta(minutes=minutes))


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    failed_temporarily: int = 0
    failed_permanently: int = 0

    def summary(self) -> str:
        line = (
            f"Sent {self.sent}, will retry {self.failed_temporarily}, "
            f"gave up on {self.failed_permanently}."
        )
        if self.failed_permanently:
            line += (
                "\nThe e-mails given up on will not be sent unless re-queued; "
                "`flask --app wuzhen_events mail failed` lists them with the server's answer, "
                "`mail requeue` sends them again."
            )
        return line


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None = None
    password: str = ""
    use_ssl: bool = False
    starttls: bool = False
    timeout: float = DEFAULT_TIMEOUT_SECONDS

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def deliver_pending(*, now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Send at most `limit` due messages and return; a message that fails stays for a retry
    until its retry window ends, unless the server refused it for good."""
    now = now or utcnow()
    config = current_app.config
    transport = transport_from_config(config)  # a bad MAIL_URL is refused before any claim
    policy = RetryPolicy.from_config(config)
    if config.get("MAIL_MAX_ATTEMPTS") is not None:
        LOGGER.warning(
            "MAIL_MAX_ATTEMPTS is no longer read: a message is retried for MAIL_RETRY_DAYS "
            "(%g) from its first failure. Remove it from the configuration.",
            policy.window / timedelta(days=1),
        )
    claimed = claim_due(now=now, limit=limit)
    tally: Counter[OutboxStatus] = Counter()
    deadline = time.monotonic() + (CLAIM_LEASE - LEASE_SAFETY_MARGIN).total_seconds()
    remaining = list(claimed)
    try:
        with transport:
            while remaining and time.monotonic() < deadline:
                message_id = remaining[0]
                try:
                    transport.send(_compose(message_id, now=now))
                except TransportUnavailable as error:
                    # The server is out of reach: this message had its try, and the rest of
                    # the batch waits as long without costing the server a connection each.
                    tally.update(
                        _record_failures(remaining, str(error), now, policy, tried={message_id})
                    )
                    remaining = []
                    break
                except MessageSuperseded:
                    _mark(message_id, OutboxStatus.SUPERSEDED, now)
                except DeliveryFailed as error:
                    tally.update(
                        _record_failures(
                            [message_id],
                            str(error),
                            now,
                            policy,
                            tried={message_id},
                            permanent=error.permanent,
                        )
                    )
                else:
                    _mark_sent(message_id, now)
                    tally[OutboxStatus.SENT] += 1
                remaining.pop(0)
    finally:
        if remaining:
            _release(remaining, now)
    return DeliveryReport(
        sent=tally[OutboxStatus.SENT],
        failed_temporarily=tally[OutboxStatus.PENDING],
        failed_permanently=tally[OutboxStatus.FAILED],
    )


def retry_delay(failing_for: timedelta, *, longest: timedelta = LONGEST_RETRY) -> timedelta:
    """A minute more than the message has been failing, at most `longest`: tried on time, that
    is 1, 2, 4, 8 ... minutes. Counted in time, not tries, so the messages that waited in a
    batch behind an unreachable server back off as much as the one that was tried."""
    return min(FIRST_RETRY + max(failing_for, timedelta(0)), longest)


def claim_due(*, now: datetime, limit: int) -> list[int]:
    """Ids of up to `limit` due messages, oldest first (bulk ones after the others), hidden from
    other senders for a lease."""
    if limit < 1:
        return []
    with write():
        ids = list(
            db.session.scalars(
                sa.select(OutboxMessage.id)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.next_attempt_at <= now,
                )
                # A person's own e-mails first, then a mailing's (bulk), each oldest first.
                .order_by(OutboxMessage.bulk, OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if ids:
            db.session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(next_attempt_at=now + CLAIM_LEASE)
                .execution_options(synchronize_session=False)
            )
    return ids


def _compose(message_id: int, *, now: datetime) -> EmailMessage:
    try:
        message = db.session.get(OutboxMessage, message_id, populate_existing=True)
        if message is not None and message.rendered_at is None:
            rendered = render(message)
            context = {**(message.context or {}), "shown_seats": rendered.shown_seats}
            db.session.rollback()
            message = _store_rendered(message_id, rendered, now, context=context)
        if message is None:
            # Deleted since it was claimed: its delegate erased their registration.
            raise MessageUnrenderable("The message no longer exists.")
        return compose_email(message, sender=current_app.config["MAIL_SENDER"], now=now)
    except MessageUnrenderable as error:
        raise DeliveryFailed(f"The message cannot be rendered: {error}", permanent=True) from error
    except (LookupError, TypeError, ValueError, TemplateError) as error:
        # A row that cannot become an e-mail must not stay first in the queue and block it.
        raise DeliveryFailed(f"The stored message cannot be composed: {error!r}") from error
    finally:
        db.session.rollback()  # end the read before the network: no transaction waits on SMTP


def _store_rendered(
    message_id: int, rendered: RenderedMessage, now: datetime, *, context: dict
) -> OutboxMessage:
    """Keep the e-mail as rendered before it goes out: a retry sends the same one under the same
    Message-ID, and the row shows what was sent (and which seats it showed)."""
    with write():
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.rendered_at.is_(None))
            .values(
                subject=rendered.subject,
                text_body=rendered.text_body,
                html_body=rendered.html_body,
                attachments=[attachment.to_json() for attachment in rendered.attachments],
                context=context,
                rendered_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def compose_email(message: OutboxMessage, *, sender: str, now: datetime) -> EmailMessage:
    """multipart/alternative text and HTML, inside multipart/mixed when files are attached."""
    recipient = ascii_domain_address(message.recipient)
    # A non-ASCII local part goes out only through SMTPUTF8 (MAIL_SMTPUTF8), in UTF-8 headers.
    email = EmailMessage(policy=MAIL_POLICY if recipient.isascii() else MAIL_POLICY_UTF8)
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = recipient
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    for attachment in message.attachments:
        content_type, *parameters = (part.strip() for part in attachment["content_type"].split(";"))
        maintype, _, subtype = content_type.partition("/")
        email.add_attachment(
            base64.b64decode(attachment["data_base64"]),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
            params=dict(parameter.partition("=")[::2] for parameter in parameters),
        )
    # Last: building the MIME tree moves every Content-* header already set into a subpart.
    email["Content-Language"] = "zh-Hans" if message.locale == "zh" else message.locale
    return email


def ascii_domain_address(address: str) -> str:
    """The domain in IDNA (xn--...), which every mail server reads; the local part as it is."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return address  # the server's refusal will say what is wrong with it


def _mark_sent(message_id: int, now: datetime) -> None:
    _mark(message_id, OutboxStatus.SENT, now)


def _mark(message_id: int, status: OutboxStatus, now: datetime) -> None:
    """Sent, or superseded: either way done, and never picked up again."""
    with write():
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                status=status,
                sent_at=now if status is OutboxStatus.SENT else None,
                attempts=OutboxMessage.attempts + int(status is OutboxStatus.SENT),
            )
            .execution_options(synchronize_session=False)
        )


def _record_failures(
    message_ids: Sequence[int],
    error: str,
    now: datetime,
    policy: RetryPolicy,
    *,
    tried: Collection[int],
    permanent: bool = False,
) -> list[OutboxStatus]:
    """Set the next try by backoff, or give up: at once on a permanent refusal, otherwise when
    the retry window since the first failure is over. Only the `tried` count an attempt."""
    with write():
        outcomes = []
        waiting = 0
        for message in db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids))
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        ):
            message.attempts += int(message.id in tried)
            message.last_error = error[:ERROR_LIMIT]
            message.first_failed_at = message.first_failed_at or now
            give_up_at = message.first_failed_at + policy.window
            if permanent or now >= give_up_at:
                message.status = OutboxStatus.FAILED
                message.failed_at = now
                LOGGER.error(
                    "Gave up on e-mail %s to %s after %s attempts, failing since %s: %s",
                    message.id,
                    message.recipient,
                    message.attempts,
                    message.first_failed_at.isoformat(timespec="seconds"),
                    error,
                )
            else:
                # The last try falls on the window's end rather than up to a delay before it.
                message.next_attempt_at = min(
                    now + retry_delay(now - message.first_failed_at, longest=policy.longest_delay),
                    give_up_at,
                )
                if message.id in tried:
                    LOGGER.warning(
                        "E-mail %s to %s not sent (attempt %s), next try at %s: %s",
                        message.id,
                        message.recipient,
                        message.attempts,
                        message.next_attempt_at.isoformat(timespec="seconds"),
                        error,
                    )
                else:
                    waiting += 1
            outcomes.append(message.status)
    if waiting:
        LOGGER.warning("%s more e-mails wait for the mail server: %s", waiting, error)
    return outcomes


def _release(message_ids: Sequence[int], now: datetime) -> None:
    """Hand back claimed messages this run did not try, due at once for the next run."""
    with write():
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.PENDING)
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )


# --- transports --------------------------------------------------------------------------------


def transport_from_config(config) -> LogTransport | SmtpTransport:
    """SMTP when MAIL_URL is set; otherwise the log, so development needs no mail server."""
    url = config.get("MAIL_URL")
    if not url:
        return LogTransport()
    timeout = _number(config, "MAIL_TIMEOUT", float, DEFAULT_TIMEOUT_SECONDS)
    return SmtpTransport(parse_mail_url(url, timeout=timeout))


def _number(config, key: str, kind: type[int] | type[float], default: int | float) -> int | float:
    """A positive number from the config, which the environment may hand over as text."""
    value = config.get(key)
    if value in (None, ""):
        return default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = 0
    if not (number > 0 and math.isfinite(number)):  # NaN and infinity make no timedelta
        raise MailConfigurationError(f"{key} must be a positive number, not {value!r}.")
    return number


def parse_mail_url(url: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> SmtpSettings:
    """smtp://host:port, smtp://user:pass@host:port, smtp://host:port?starttls=1, smtps://host:465"""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigurationError(
            "MAIL_URL must start with smtp:// or smtps://, e.g. smtp://127.0.0.1:8025."
        )
    try:
        port = parts.port
    except ValueError as error:
        raise MailConfigurationError("MAIL_URL has a port that is not a number.") from error
    if not parts.hostname:
        raise MailConfigurationError("MAIL_URL names no host, e.g. smtp://127.0.0.1:8025.")
    use_ssl = parts.scheme == "smtps"
    starttls = parse_qs(parts.query).get("starttls", ["0"])[-1].lower() in TRUE_WORDS
    if use_ssl and starttls:
        raise MailConfigurationError("MAIL_URL uses smtps:// (TLS already) and ?starttls=1.")
    return SmtpSettings(
        host=parts.hostname,
        port=port or (465 if use_ssl else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password or ""),
        use_ssl=use_ssl,
        starttls=starttls,
        timeout=timeout,
    )


class LogTransport:
    """Development without a mail server: the message goes to the app log and counts as sent.

    The whole e-mail, private link included, only when MAIL_LOG_BODIES is on (by default in
    debug mode); otherwise one line that names it, so a production log holds no link.
    """

    def __init__(self) -> None:
        current_app.logger  # noqa: B018 - attaches Flask's handler to the app's logger tree
        if LOGGER.level == logging.NOTSET:
            LOGGER.setLevel(logging.INFO)
        setting = current_app.config.get("MAIL_LOG_BODIES")
        self.log_bodies = current_app.debug if setting is None else bool(setting)

    def __enter__(self) -> LogTransport:
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def send(self, email: EmailMessage) -> None:
        if not self.log_bodies:
            LOGGER.info(
                'E-mail not sent (no MAIL_URL is set): %s to %s, subject "%s" '
                "(MAIL_LOG_BODIES=1 logs whole e-mails)",
                email["Message-ID"],
                email["To"],
                email["Subject"],
            )
            return
        part = email.get_body(preferencelist=("plain",))
        # MIME text travels with CRLF line ends; the log reads better with the stored ones.
        text = part.get_content().replace("\r\n", "\n").rstrip("\n") if part is not None else ""
        LOGGER.info(
            "E-mail not sent (no MAIL_URL is set)\nTo: %s\nSubject: %s\n\n%s",
            email["To"],
            email["Subject"],
            text,
            extra={"unmasked": True},  # its link is what the developer needs (wuzhen_events.logs)
        )


class SmtpTransport:
    """One SMTP connection per run, opened on the first message and reopened after a drop."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def send(self, email: EmailMessage) -> None:
        smtp = self._smtp or self._connect()
        try:
            smtp.send_message(email)
        except smtplib.SMTPNotSupportedError as error:
            # Checked before MAIL FROM: the connection stays usable, and no retry can help.
            raise DeliveryFailed(
                "The mail server does not support SMTPUTF8, which this address needs "
                "(non-ASCII characters before the @).",
                permanent=True,
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            failure = classify_failure(error)
            if failure is Failure.CONNECTION:
                # Dropped, timed out or closed (421) mid-message: the next message would meet
                # the same server, perhaps after a whole timeout, so the run ends here.
                self._smtp = None
                smtp.close()
                raise TransportUnavailable(
                    f"Lost the connection to {self.settings.address}: "
                    f"{describe_error(error, self.settings)}"
                ) from error
            # The server answered (4xx or 5xx) for this message and smtplib reset the
            # transaction: the connection serves the next one.
            raise DeliveryFailed(
                describe_error(error, self.settings), permanent=failure is Failure.PERMANENT
            ) from error

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        try:
            if settings.use_ssl:
                smtp = smtplib.SMTP_SSL(
                    settings.host,
                    settings.port,
                    timeout=settings.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            try:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.username:
                    smtp.login(settings.username, settings.password)
            except BaseException:
                smtp.close()
                raise
        except (smtplib.SMTPException, OSError) as error:
            raise TransportUnavailable(
                f"Could not connect to {settings.address}: {describe_error(error, settings)}"
            ) from error
        self._smtp = smtp
        return smtp


def classify_failure(error: BaseException) -> Failure:
    """What an error while sending a message says: a reply for this message (4xx or 5xx), or a
    server that went away, never answered, or closes the session (421 "service not available")."""
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return Failure.PERMANENT  # SMTPUTF8, which this address needs: a retry meets the same
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
    elif isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        codes = [error.smtp_code]
    else:
        # Disconnected, timed out, TLS, or a refused greeting: not about this message.
        return Failure.CONNECTION
    if 421 in codes:
        return Failure.CONNECTION
    return Failure.PERMANENT if refused_for_good(error) else Failure.TEMPORARY


def refused_for_good(error: smtplib.SMTPException) -> bool:
    """A 5xx for the recipient or the message: retrying would get the same answer. A refused
    sender is the site's own configuration, so those messages wait for it to be fixed."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def describe_error(error: BaseException, settings: SmtpSettings) -> str:
    """One line for last_error: the server's code and words, or what the network said."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return f"SMTP {code} {_text(reply)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"SMTP {error.smtp_code} {_text(error.smtp_error)}"
    if _timed_out(error):
        return f"no answer within {settings.timeout:g} s"
    return str(error) or type(error).__name__


def _timed_out(error: BaseException | None) -> bool:
    """smtplib reports a reply that never came as a disconnection; the timeout is its context."""
    while error is not None:
        if isinstance(error, TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
