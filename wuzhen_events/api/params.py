"""Query parameters of the API: each parsed strictly, or refused with a 400 naming the field.

Two rules hold for every filter, and the OpenAPI document says them too (api/openapi.py):
- An empty value is the same as no value: HTML forms send every field, so `?day=&topic=ai`
  means "any day". Paging numbers are not filters: `?page=` is refused.
- A well-formed value that nothing has (a topic no session has, a day outside the schedule, a
  hall without exhibitors) matches nothing: 200 with an empty list, as "none" is the true answer.
  A 400 instead would need the document to list every value that exists today, which changes
  with the data (and would be baked into clients generated from it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from werkzeug.datastructures import MultiDict

from wuzhen_events.api.errors import InvalidParameter
from wuzhen_events.routing import SLUG_LIMIT, is_valid_slug
from wuzhen_events.text import one_line, tidy

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# A bound for parsing only: a page past the last answers an empty list, whatever its number.
MAX_PAGE = 100_000
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3339 date-time, which always carries an offset; seconds and fractions as RFC 3339 allows.
DATE_TIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
FRACTION_RE = re.compile(r"\.([0-9]+)")
# A "+" typed unencoded into a query string arrives as a space: "...T09:00:00 08:00".
UNENCODED_PLUS_RE = re.compile(r"([0-9T:.]+[0-9]) ([0-9]{2}:[0-9]{2})\Z")
DATE_TIME_LIMIT = 64
# C0 and C1 controls and DEL: no stored name or label holds one (PostgreSQL refuses NUL outright),
# so a filter with one is malformed, not merely unmatched. The document's patterns use this too.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"
CONTROL_RE = re.compile(f"[{CONTROL_CHARACTERS}]")
COUNTRY_RE = re.compile(r"[A-Z]{2}")
# The lengths of Exhibitor.hall and ProductLaunch.stage: a longer name names nothing.
HALL_LIMIT = 20
STAGE_LIMIT = 120


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int


def single(args: MultiDict, name: str) -> str | None:
    """The parameter's value, None when absent; a repeated parameter is ambiguous, so refused."""
    values = args.getlist(name)
    if len(values) > 1:
        raise InvalidParameter(name, f"Give {name} at most once.")
    return values[0] if values else None


def filter_value(args: MultiDict, name: str) -> str | None:
    """A filter's value, None when absent or empty (see the module's docstring)."""
    return single(args, name) or None


def whole_number(args: MultiDict, name: str, *, default: int, maximum: int) -> int:
    raw = single(args, name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)) + 2:
        raise InvalidParameter(name, f"{name} is a whole number from 1 to {maximum}.")
    value = int(raw)
    if not 1 <= value <= maximum:
        raise InvalidParameter(name, f"{name} is a whole number from 1 to {maximum}.")
    return value


def paging(args: MultiDict) -> Paging:
    return Paging(
        page=whole_number(args, "page", default=1, maximum=MAX_PAGE),
        per_page=whole_number(args, "per_page", default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE),
    )


def day(args: MultiDict, name: str, days: list[date]) -> date | None:
    """A date as YYYY-MM-DD. Any real date is a question with an answer (a day off the schedule
    has nothing on it); `days`, the schedule's, only make the refusal's hint."""
    raw = filter_value(args, name)
    if raw is None:
        return None
    try:
        value = date.fromisoformat(raw) if DATE_RE.fullmatch(raw) else None
    except ValueError:
        value = None
    if value is None:
        span = f"{days[0].isoformat()} to {days[-1].isoformat()}" if days else "none"
        raise InvalidParameter(
            name, f"{name} is a date written YYYY-MM-DD (the schedule's days: {span})."
        )
    return value


def slug(args: MultiDict, name: str) -> str | None:
    raw = filter_value(args, name)
    if raw is None:
        return None
    if not is_valid_slug(raw):
        raise InvalidParameter(
            name,
            f"{name} is a slug: 1 to {SLUG_LIMIT} lower-case letters, digits and single hyphens.",
        )
    return raw


def text(args: MultiDict, name: str, *, limit: int) -> str:
    """A search, read as the site's search boxes read it (forms.StrippedSearchField); the limit
    is on the value as sent, as the OpenAPI document's maxLength says, before blanks and
    control characters are dropped."""
    sent = single(args, name)
    if sent is not None and len(sent) > limit:
        raise InvalidParameter(name, f"{name} is at most {limit} characters.")
    return one_line(tidy(sent))


def label(args: MultiDict, name: str, *, limit: int) -> str:
    """A name to match exactly (a hall, a stage): any text of at most `limit` characters but
    control characters; "" when absent or empty."""
    raw = filter_value(args, name) or ""
    if len(raw) > limit or CONTROL_RE.search(raw):
        raise InvalidParameter(
            name, f"{name} is at most {limit} characters, with no control characters."
        )
    return raw


def country(args: MultiDict, name: str) -> str:
    """An ISO 3166 code in capitals, as the API writes them; "" when absent or empty."""
    raw = filter_value(args, name) or ""
    if raw and not COUNTRY_RE.fullmatch(raw):
        raise InvalidParameter(name, f"{name} is a two-letter ISO 3166 code in capitals, e.g. CN.")
    return raw


def instant(args: MultiDict, name: str) -> datetime | None:
    """An RFC 3339 date and time with its UTC offset, as an aware UTC datetime."""
    raw = filter_value(args, name)
    if raw is None:
        return None
    message = f"{name} is a date and time with a UTC offset, e.g. 2018-11-08T09:00:00+08:00."
    if len(raw) > DATE_TIME_LIMIT:
        raise InvalidParameter(name, message)
    raw = UNENCODED_PLUS_RE.sub(r"\1+\2", raw)
    if not DATE_TIME_RE.fullmatch(raw):
        raise InvalidParameter(name, message)
    # Python reads at most microseconds; finer fractions change nothing a database stores.
    normal = FRACTION_RE.sub(lambda match: "." + match.group(1)[:6].ljust(6, "0"), raw.upper())
    try:
        moment = datetime.fromisoformat(normal.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidParameter(name, message) from None
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # Only the first and last hours of the calendar fail here: before or after everything.
        edge = datetime.min if moment.year == 1 else datetime.max
        return edge.replace(tzinfo=UTC)
