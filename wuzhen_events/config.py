"""Configuration: defaults here, then instance/config.py, then the environment."""

from __future__ import annotations

import math
import os
import secrets
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy.engine import make_url

SECRET_KEY_FILE = "secret_key"
ENVIRONMENT_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "MAIL_URL",
    "MAIL_SENDER",
    "REDIS_URL",
    "PUBLIC_BASE_URL",
    "FROZEN_NOW",
    "CONTACT_EMAIL",
)
# Environment values read as numbers (seconds or bytes).
NUMERIC_ENVIRONMENT_KEYS = (
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_RETRY_AFTER",
    "REDIS_TIMEOUT",
    "MAX_CONTENT_LENGTH",
    "IMPORT_MAX_BYTES",
)
# Environment values that switch a setting off.
FALSE_WORDS = ("0", "false", "no", "off")
# Hosts trusted when neither TRUSTED_HOSTS nor PUBLIC_BASE_URL names the site's own (any port):
# the development server, the tests, local benchmarks.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# Strict-Transport-Security when PUBLIC_BASE_URL is https: a year, the usual preload minimum,
# and no includeSubDomains, since the app cannot know what else runs under its domain.
DEFAULT_HSTS = "max-age=31536000"


class DefaultConfig:
    # pool_pre_ping: a checkout first checks its connection, so after a PostgreSQL restart or
    # failover the first request reconnects instead of failing on a connection the restart
    # closed; while the server is down, pages answer 503 with Retry-After (site/errors.py), and
    # service comes back without restarting the app. Measured with benchmarks/registrations.py
    # it changes neither registrations/s nor CPU per registration (one loopback round trip per
    # checkout), so it stays on and pool_recycle (which only guards against idle timeouts) is
    # not needed. configure_database adds the timeouts below to these options.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # SQL parameters carry seeds, token hashes and personal data: SQLAlchemy leaves them out of
    # its errors and its SQL log (hide_parameters) unless this is set, for debugging on one's
    # own machine only.
    DATABASE_SHOW_PARAMETERS = False
    # Seconds to wait for a new PostgreSQL connection (libpq counts whole seconds, at least 2):
    # a database host that accepts connections and never answers costs a request this long,
    # then a 503, instead of hanging the worker until the app server kills it.
    DATABASE_CONNECT_TIMEOUT = 5
    # Seconds a statement may run on PostgreSQL (statement_timeout; 0: no limit) and a write may
    # wait for another writer's lock on SQLite (the busy timeout); past it the request gets a 503.
    DATABASE_STATEMENT_TIMEOUT = 10
    # The Retry-After (seconds) of the 503 answered while the database is out of reach.
    DATABASE_RETRY_AFTER = 5
    # No form here is near these sizes: a bigger body is refused with 413 before it is read or
    # written to disk. MAX_FORM_MEMORY_SIZE bounds the text fields (and a urlencoded body);
    # MAX_FORM_PARTS the fields of a multipart body. Flask's defaults, kept here to be seen.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500_000
    MAX_FORM_PARTS = 1000
    # A frab schedule file (flask import-schedule, the dashboard's program import) may be this
    # big: a 1,900-talk program is some 5 MB. Its upload route alone takes a body this large.
    IMPORT_MAX_BYTES = 20 * 1024 * 1024
    # Seats of a subforum the import makes from a frab track (a track says nothing of seats);
    # an existing subforum keeps its own.
    IMPORT_SUBFORUM_CAPACITY = 200
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    SUPPORTED_LOCALES = ("en", "zh")
    WTF_CSRF_TIME_LIMIT = None
    # Flask-WTF's own default, stated: the registration form's kept page reads it (tests turn
    # CSRF checks off).
    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    EXPO_PAGE_SIZE = 24
    # A program day with more sessions than this is shown in parts by start time (no time slot
    # is cut), so a day of a large program stays a page of tens of kilobytes.
    PROGRAM_PART_SIZE = 60
    MAX_QUERY_LENGTH = 200
    # An aware datetime pins "what is on now" (tests, demos); None means the real clock.
    FROZEN_NOW = None
    # Old keys that still open what they signed: sessions, forms, and the manage links, personal
    # feed addresses and check-in codes made before SECRET_KEY was rotated. Links and e-mails
    # made from now on use SECRET_KEY. From the environment: comma-separated.
    SECRET_KEY_FALLBACKS: list[str] = []
    MAIL_URL = None
    # Without MAIL_URL, e-mails go to the log: whole (with their private links) when this is on,
    # otherwise one line each (recipient, subject, Message-ID). None: on only in debug mode.
    MAIL_LOG_BODIES = None
    MAIL_SENDER = "Wuzhen Events <no-reply@wuzhen-events.example>"
    MAIL_TIMEOUT = 10  # seconds, for every step of an SMTP conversation
    # A message the mail server cannot take now (down, unreachable, a 4xx reply) is retried for
    # this many days from its first failure, then marked failed (`flask mail requeue` sends it
    # again); a 5xx refusal fails it at once. Days, not a number of tries, so an outage of
    # hours loses nothing. It replaces MAIL_MAX_ATTEMPTS, which is no longer read.
    MAIL_RETRY_DAYS = 3
    # Retries wait 1, 2, 4 ... minutes, never longer than this, so the first run after the
    # server is back delivers within this time.
    MAIL_RETRY_MAX_DELAY_MINUTES = 60
    # True when the mail server accepts SMTPUTF8, so addresses with non-ASCII local parts
    # (before the @) can be delivered; most servers cannot, so such addresses are refused.
    MAIL_SMTPUTF8 = False
    # Organizers' e-mails to many delegates (campaigns) reach the mail server at most this many
    # per minute: each is queued due a 60/rate seconds after the one before it, so a mailing to
    # 1,500 delegates does not trip a provider's limits, and the registration e-mails, due at
    # once, pass between them instead of waiting behind the whole mailing (campaign messages are
    # `bulk`: after an outage, the sender takes every other due e-mail before their backlog).
    MAIL_CAMPAIGN_RATE_PER_MINUTE = 60
    REDIS_URL = None
    # Seconds to wait for Redis to connect or answer; past it the rate limits fall back to each
    # process's memory (logged once) until Redis answers again.
    REDIS_TIMEOUT = 1.0
    # Seats of a registration whose e-mail address is not yet confirmed are held this long, then
    # go to the waitlist (`flask registration release-holds`, also run by `send-emails`).
    SEAT_HOLD_HOURS = 24
    # Rate limits on public POSTs, per client address (Flask-Limiter's notation), kept in Redis
    # when REDIS_URL is set. RATELIMIT_ENABLED=0 in the environment turns them off (benchmarks).
    RATELIMIT_ENABLED = True
    RATELIMIT_REGISTRATION = "10 per hour"
    RATELIMIT_EXHIBITOR_APPLICATION = "10 per hour"
    RATELIMIT_RESEND_LINK = "15 per hour"
    # Keyed by the e-mail address asked for. The e-mails it allows are also counted in the
    # outbox (registration.services), so the limit holds across workers without Redis.
    RATELIMIT_RESEND_LINK_PER_ADDRESS = "3 per hour"
    RATELIMIT_STARS = "200 per hour"
    RATELIMIT_DELEGATE_CHANGES = "60 per hour"  # every other POST under /me/<token>/
    # Failed dashboard sign-ins, per client address and per account e-mail address; a
    # successful sign-in is not counted.
    RATELIMIT_LOGIN = "20 per 15 minutes"
    RATELIMIT_LOGIN_PER_ACCOUNT = "5 per 15 minutes"
    # Scans through the check-in API, per device token: a door's rush is a scan every second or
    # two, and a device back online sends its queue at once.
    RATELIMIT_CHECKIN_DEVICE = "600 per minute"
    # Organizer passwords: werkzeug's scrypt (memory-hard); tests choose a cheap method.
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 12
    # Redis keys of the limits start with this, so several sites can share one Redis.
    RATELIMIT_REDIS_PREFIX = "wuzhen-events"
    # The host part of calendar UIDs: fixed, never the request's host, so UIDs never change.
    CALENDAR_UID_HOST = "wuzhen-events.example"
    # Public calendar feeds and the schedule files answer from memory for this many seconds
    # after their last version query (0: every request checks the database).
    CALENDAR_VERSION_TTL = 1.0
    # Exports (calendar feeds, schedule files) kept prepared in each worker's memory, plain and
    # gzipped, and as many addresses' last version checks: least recently used go first. One
    # whole-program feed is about 200 KB plain, so 256 entries stay within some tens of MB.
    EXPORT_CACHE_ENTRIES = 256
    # Public pages (program days and their filters, subforums, sessions, speakers, Expo) kept
    # prepared per data version, language and the query parameters each page reads, least
    # recently used dropped first; a page is at most some 100 KB (a busy day is shown in parts
    # of PROGRAM_PART_SIZE sessions), so 512 entries stay within some 50 MB.
    PAGE_CACHE_ENTRIES = 512
    # Session cards rendered for the program's day pages, kept by everything they show (about
    # 700 bytes each): two languages of a 1,900-talk program fit.
    CARD_CACHE_ENTRIES = 8192
    # The empty registration form's page per address, language and subforum seats (about 40 KB
    # each): a seat change makes a new entry, so old ones age out, least recently used first.
    REGISTRATION_PAGE_CACHE_ENTRIES = 64
    # Where links in e-mails and feeds point; None uses the request's own (trusted) host.
    PUBLIC_BASE_URL = None
    # Host names a request may name (Flask's setting: ".example.org" also takes its subdomains,
    # any port); any other Host is answered 400 before any view or cache runs, since links in
    # e-mails and feeds are made from it. None: PUBLIC_BASE_URL's host and the loopback names;
    # a list: those names and PUBLIC_BASE_URL's host. load_config moves it to
    # TRUSTED_HOST_NAMES (see configure_public_address).
    TRUSTED_HOSTS = None
    # How many reverse proxies in front of the app to believe (werkzeug's ProxyFix): their
    # X-Forwarded-For gives the client address the rate limits count, X-Forwarded-Proto,
    # -Host and -Port the public address. 0 trusts none, as a forged header must not count.
    PROXY_FIX = 0
    # None: on when PUBLIC_BASE_URL is https (the session cookie then travels only over HTTPS).
    SESSION_COOKIE_SECURE = None
    # The Strict-Transport-Security header; None: DEFAULT_HSTS when PUBLIC_BASE_URL is https,
    # else none; "" sends none.
    STRICT_TRANSPORT_SECURITY = None
    # The organizers' address for questions and privacy requests: the footer, error pages and
    # the privacy notice show it.
    CONTACT_EMAIL = "organizers@wuzhen-events.example"
    # The privacy notice promises that registrations are erased this many months after the
    # conference's last day.
    RETENTION_MONTHS = 6


def load_config(app: Flask, test_config: dict | None) -> None:
    """Layer the configuration so deployments never edit code to change a setting."""
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for key in ENVIRONMENT_KEYS:
            if os.environ.get(key):
                app.config[key] = os.environ[key]
        if os.environ.get("RATELIMIT_ENABLED"):
            enabled = os.environ["RATELIMIT_ENABLED"].strip().lower() not in FALSE_WORDS
            app.config["RATELIMIT_ENABLED"] = enabled
        load_proxy_settings(app)
        if os.environ.get("SECRET_KEY_FALLBACKS"):
            app.config["SECRET_KEY_FALLBACKS"] = os.environ["SECRET_KEY_FALLBACKS"]
        if os.environ.get("MAIL_LOG_BODIES"):
            logged = os.environ["MAIL_LOG_BODIES"].strip().lower() not in FALSE_WORDS
            app.config["MAIL_LOG_BODIES"] = logged
        for key in NUMERIC_ENVIRONMENT_KEYS:
            if os.environ.get(key):
                app.config[key] = parse_number(key, os.environ[key])
    else:
        app.config.update(test_config)

    database_url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not database_url:
        database_url = f"sqlite:///{Path(app.instance_path) / 'wuzhen_events.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(database_url)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    configure_key_fallbacks(app)
    if isinstance(app.config.get("FROZEN_NOW"), str):
        app.config["FROZEN_NOW"] = parse_frozen_now(app.config["FROZEN_NOW"])
    configure_public_address(app)
    configure_database(app)
    configure_rate_limit_storage(app)


def load_proxy_settings(app: Flask) -> None:
    """The public address and proxy settings a deployment sets in its environment."""
    if os.environ.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = os.environ["TRUSTED_HOSTS"].split(",")
    if os.environ.get("PROXY_FIX"):
        app.config["PROXY_FIX"] = os.environ["PROXY_FIX"].strip()
    if os.environ.get("SESSION_COOKIE_SECURE"):
        secure = os.environ["SESSION_COOKIE_SECURE"].strip().lower() not in FALSE_WORDS
        app.config["SESSION_COOKIE_SECURE"] = secure
    if "STRICT_TRANSPORT_SECURITY" in os.environ:
        value = os.environ["STRICT_TRANSPORT_SECURITY"].strip()
        app.config["STRICT_TRANSPORT_SECURITY"] = "" if value.lower() in FALSE_WORDS else value


def configure_public_address(app: Flask) -> None:
    """Work out which Host values to accept, how many proxies to believe, and whether the site
    is served over HTTPS (Secure cookie, HSTS), all from PUBLIC_BASE_URL unless set outright.

    The trusted names go to TRUSTED_HOST_NAMES, checked by site.security.refuse_untrusted_host,
    and Flask's own TRUSTED_HOSTS is left None: werkzeug 3.1 cannot match an IPv6 literal
    such as [::1], and Flask refuses a host while making the URL adapter, which leaves the
    400 page unable to build its links (a 500).
    """
    public_base_url = app.config.get("PUBLIC_BASE_URL") or None
    public_host = parse_public_base_url(public_base_url) if public_base_url else None
    listed = app.config.get("TRUSTED_HOSTS")
    if listed is None:
        names = list(LOOPBACK_HOSTS)
    else:
        if isinstance(listed, str):
            listed = listed.split(",")
        names = [trusted_host_name(name) for name in listed if name.strip()]
    if public_host is not None and public_host not in names:
        names.append(public_host)
    if not names:
        raise RuntimeError("TRUSTED_HOSTS is empty: list the site's host names, comma-separated.")
    app.config["TRUSTED_HOST_NAMES"] = tuple(names)
    app.config["TRUSTED_HOSTS"] = None
    app.config["PROXY_FIX"] = parse_proxy_count(app.config.get("PROXY_FIX"))
    https = public_base_url is not None and public_base_url.lower().startswith("https://")
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        app.config["SESSION_COOKIE_SECURE"] = https
    if app.config.get("STRICT_TRANSPORT_SECURITY") is None:
        app.config["STRICT_TRANSPORT_SECURITY"] = DEFAULT_HSTS if https else ""


def parse_public_base_url(value: str) -> str:
    """The host name of PUBLIC_BASE_URL, which must be an http(s) address of a host."""
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
        valid = parts.scheme in ("http", "https") and bool(hostname) and parts.port != 0
        valid = valid and not (parts.query or parts.fragment)
    except ValueError:  # a port that is no number, or unbalanced brackets
        valid = False
    if not valid:
        raise RuntimeError(
            f"PUBLIC_BASE_URL={value!r} is not the site's address, e.g. https://events.example.org."
        )
    return trusted_host_name(f"[{hostname}]" if ":" in hostname else hostname)


def trusted_host_name(name: str) -> str:
    """A TRUSTED_HOSTS entry as a Host header spells it: lower case, IDNA, no port."""
    name = name.strip().lower()
    if name.startswith("["):
        return name.partition("]")[0] + "]"
    dot, name = ("." if name.startswith(".") else ""), name.removeprefix(".").partition(":")[0]
    try:
        return dot + (name if name.isascii() else name.encode("idna").decode("ascii"))
    except UnicodeError as error:
        raise RuntimeError(f"TRUSTED_HOSTS names {name!r}, which is not a host name.") from error


def parse_proxy_count(value) -> int:
    """PROXY_FIX is a count of proxies: 0 (none) or more."""
    try:
        count = int(value or 0)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise RuntimeError(f"PROXY_FIX={value!r} is not a number of proxies (0, 1, 2 ...).")
    return count


def configure_key_fallbacks(app: Flask) -> None:
    """SECRET_KEY_FALLBACKS as the list Flask expects, and for Flask-WTF's form tokens too."""
    fallbacks = app.config.get("SECRET_KEY_FALLBACKS") or []
    if isinstance(fallbacks, str | bytes):
        # One key, or the environment's comma-separated list; never one key per character.
        separator = "," if isinstance(fallbacks, str) else b","
        fallbacks = fallbacks.split(separator)
    fallbacks = [key.strip() for key in fallbacks if key.strip()]
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    if fallbacks and not app.config.get("WTF_CSRF_SECRET_KEY"):
        # Flask-WTF reads no fallbacks; itsdangerous signs with the last key of a list and
        # accepts every one, so a form shown before the rotation can still be sent.
        app.config["WTF_CSRF_SECRET_KEY"] = [*fallbacks, app.config["SECRET_KEY"]]


def parse_number(key: str, value: str) -> int | float:
    """Seconds or bytes from the environment: a clear message instead of a traceback."""
    try:
        number = float(value)
    except ValueError as error:
        raise RuntimeError(f"{key}={value!r} is not a number.") from error
    if number < 0:
        raise RuntimeError(f"{key}={value!r} must not be negative.")
    return int(number) if number.is_integer() else number


def configure_database(app: Flask) -> None:
    """Add the connect and statement timeouts to the engine options, as each driver takes them,
    and keep SQL parameters out of errors and logs."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["hide_parameters"] = not app.config["DATABASE_SHOW_PARAMETERS"]
    connect_args = dict(options.get("connect_args") or {})
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    statement_timeout = float(app.config["DATABASE_STATEMENT_TIMEOUT"])
    if url.get_backend_name() == "postgresql":
        connect_timeout = math.ceil(app.config["DATABASE_CONNECT_TIMEOUT"])
        connect_args.setdefault("connect_timeout", connect_timeout)
        # connect_args replace the URL's own `options` (the tests' search_path), so keep them.
        given = url.query.get("options", "")
        given = " ".join(given) if isinstance(given, tuple) else given
        timeout = f"-c statement_timeout={round(statement_timeout * 1000)}"
        connect_args["options"] = f"{given} {timeout}".strip()
    elif url.get_backend_name() == "sqlite":
        connect_args.setdefault("timeout", statement_timeout)  # pysqlite's busy timeout
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def configure_rate_limit_storage(app: Flask) -> None:
    """Flask-Limiter's own keys, always set: its one limiter keeps what the last app said."""
    app.config["RATELIMIT_ENABLED"] = bool(app.config["RATELIMIT_ENABLED"])
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    options = {"key_prefix": app.config["RATELIMIT_REDIS_PREFIX"]}
    if app.config.get("REDIS_URL"):
        # Without them a Redis that accepts and never answers hangs every limited request.
        options["socket_timeout"] = app.config["REDIS_TIMEOUT"]
        options["socket_connect_timeout"] = app.config["REDIS_TIMEOUT"]
    app.config["RATELIMIT_STORAGE_OPTIONS"] = options
    # Flask-Limiter's headers would put Retry-After on every answer; the 429 handler sets it.
    app.config["RATELIMIT_HEADERS_ENABLED"] = False
    # Redis out of reach must not cost a registration a 500: the limits count in this process's
    # memory (one warning in the log), and Redis is tried again after 1, 2, 4 ... 32 seconds.
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True


def parse_frozen_now(value: str) -> datetime:
    """A demo can pin the clock inside the conference, e.g. FROZEN_NOW=2018-11-08T10:00+08:00."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise RuntimeError(f"FROZEN_NOW={value!r} is not an ISO 8601 date and time.") from error
    if moment.tzinfo is None:
        raise RuntimeError(f"FROZEN_NOW={value!r} needs a UTC offset, e.g. +08:00.")
    return moment


def normalise_database_url(url: str) -> str:
    """Accept PostgreSQL URLs written the usual way and route them to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path: Path) -> str:
    """Generate the key once per instance: sessions survive restarts, no secret is committed."""
    key_file = instance_path / SECRET_KEY_FILE
    if key_file.exists():
        key = key_file.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
    try:
        instance_path.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        key_file.write_text(key + "\n", encoding="ascii")
        key_file.chmod(0o600)
    except OSError as error:
        raise RuntimeError(
            f"SECRET_KEY is not set and {key_file} cannot be written ({error.strerror}). "
            "Set the SECRET_KEY environment variable or make the instance folder writable."
        ) from error
    return key
