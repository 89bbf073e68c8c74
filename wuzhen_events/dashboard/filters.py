"""The delegates filter read from a page's query string and written back into links, so a
filtered list can be bookmarked and shared; a value that makes no sense is dropped, not a 500."""

from __future__ import annotations

from collections.abc import Mapping

from wuzhen_events.registration.directory import DEFAULT_SORT, SORT_COLUMNS, DelegateFilter
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.text import one_line, tidy

QUERY_LIMIT = 200
YES_NO = {"1": True, "yes": True, "0": False, "no": False}


def page_number(args: Mapping[str, str]) -> int:
    """The page a list's link asks for; anything but a small positive number is the first."""
    raw = (args.get("page") or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 9 and int(raw) else 1


def search_text(args: Mapping[str, str]) -> str:
    """A list's `q`, on one line and within the limit every search box has."""
    return one_line(tidy(args.get("q") or ""))[:QUERY_LIMIT]


def delegate_filter_from(args: Mapping[str, str]) -> DelegateFilter:
    country = (args.get("country") or "").strip().upper()
    subforum = (args.get("subforum") or "").strip()
    sort = (args.get("sort") or "").strip()
    return DelegateFilter(
        q=search_text(args),
        category=_member(DelegateCategory, args.get("category")),
        status=_member(DelegateStatus, args.get("status")),
        country=country if len(country) == 2 and country.isascii() and country.isalpha() else "",
        subforum_id=int(subforum) if subforum.isdigit() and len(subforum) <= 9 else None,
        seat=_member(SeatStatus, args.get("seat")),
        checked_in=YES_NO.get((args.get("checked_in") or "").strip().lower()),
        sort=sort if sort in SORT_COLUMNS else DEFAULT_SORT,
        descending=(args.get("order") or "") == "desc",
    )


def filter_args(wanted: DelegateFilter) -> dict[str, str]:
    """The query-string arguments that rebuild `wanted` (defaults left out)."""
    args = {
        "q": wanted.q,
        "category": wanted.category.value if wanted.category else "",
        "status": wanted.status.value if wanted.status else "",
        "country": wanted.country,
        "subforum": str(wanted.subforum_id) if wanted.subforum_id is not None else "",
        "seat": wanted.seat.value if wanted.seat else "",
        "checked_in": {True: "yes", False: "no", None: ""}[wanted.checked_in],
        "sort": wanted.sort if wanted.sort != DEFAULT_SORT else "",
        "order": "desc" if wanted.descending else "",
    }
    return {key: value for key, value in args.items() if value}


def _member(enum_class, value: str | None):
    try:
        return enum_class((value or "").strip())
    except ValueError:
        return None
