"""Language choice and bilingual content: English and Simplified Chinese."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_timezone

LOCALE_SESSION_KEY = "locale"
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def select_locale() -> str:
    """The remembered choice wins; otherwise the browser's preference; English by default."""
    supported = current_app.config["SUPPORTED_LOCALES"]
    if not has_request_context():  # the CLI, the mail sender: English unless forced
        return supported[0]
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in supported:
        return chosen
    # In the browser's order of preference: werkzeug's best_match would let an exact but
    # lower-ranked "zh" beat a preferred "en-US".
    for language, _quality in request.accept_languages:
        primary = language.split("-")[0].lower()
        if primary in supported:
            return primary
    return supported[0]


def page_language() -> str:
    """The language of what is being built ("en" or "zh"): a page, an e-mail, a feed."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def is_chinese() -> bool:
    return page_language() == "zh"


def localized(item: Any, field: str, language: str | None = None) -> Any:
    """The Chinese variant of a content field in Chinese (the page's language unless a feed
    names its own), when one exists.

    A list field (host organisations) pairs with its Chinese list by position, so one missing
    translation falls back to its English entry without losing the others.
    """
    english = getattr(item, field)
    if (language or page_language()) != "zh":
        return english
    chinese = getattr(item, f"{field}_zh", "")
    if isinstance(english, list | tuple):
        chinese = list(chinese or [])
        chinese += [""] * (len(english) - len(chinese))
        return [translated or name for name, translated in zip(english, chinese, strict=False)]
    return chinese or english


def list_separator(english: str = ", ") -> str:
    """Chinese runs list items together with the enumeration comma, not an ASCII comma."""
    return "、" if is_chinese() else english


def series(items: Iterable[str], english_separator: str = ", ") -> str:
    """Items as running text in the page's language, leaving out empty ones."""
    return list_separator(english_separator).join(item for item in items if item)


def clauses(parts: Iterable[str]) -> str:
    """Parts of one phrase (a position, an organisation) joined by the language's comma."""
    return ("，" if is_chinese() else ", ").join(part for part in parts if part)


def country_name(code: str) -> str:
    if not code:
        return ""
    territories = Locale.parse(str(get_locale() or "en")).territories
    return territories.get(code.upper(), code.upper())


def clock_time(moment: datetime) -> str:
    """Conference-time hours and minutes, the way the printed program shows them.

    HH:mm is the same digits in every language: a time zone conversion and strftime give what
    Babel's format_datetime would, at a tenth of its cost (a day page shows hundreds)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # as Babel reads a naive datetime
    return moment.astimezone(get_timezone()).strftime("%H:%M")


def short_datetime(moment: datetime) -> str:
    return format_datetime(moment, "EEE d MMM, HH:mm" if not is_chinese() else "M月d日 EEE HH:mm")


def long_day(day: date) -> str:
    return format_date(day, "full")


def short_day(day: date) -> str:
    return format_date(day, "EEE d MMM" if not is_chinese() else "M月d日 EEE")


def register_template_helpers(app) -> None:
    app.jinja_env.filters.update(
        localized=localized,
        country_name=country_name,
        clock_time=clock_time,
        long_day=long_day,
        short_day=short_day,
        short_datetime=short_datetime,
        number=format_decimal,
        series=series,
        clauses=clauses,
    )
    app.jinja_env.globals.update(list_separator=list_separator)
