"""What the program and Expo edit pages share: a service's refusal shown on the form field it
names, and the rows and actions the generic list and edit templates print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm

from wuzhen_events.errors import DomainError


@dataclass(frozen=True)
class ListRow:
    cells: list[str]
    url: str  # the row's edit page; "" when the account may not edit it
    cancelled: bool = False


@dataclass(frozen=True)
class PageAction:
    """A button under an edit form that posts to its own URL (delete, cancel)."""

    url: str
    label: str
    danger: bool = False


def show_refusal(form: FlaskForm, refusal: DomainError, aliases: dict[str, str]) -> None:
    """Put the refusal under the field it names (by its form name), or above the form."""
    name = aliases.get(refusal.field or "", refusal.field or "")
    if name and name in form and name != "csrf_token":
        form[name].errors = [*form[name].errors, refusal.message]
    else:
        form.form_errors.append(refusal.message)


def in_zone(moment: datetime | None, timezone: str) -> datetime | None:
    """A naive local time from a form, as the conference's wall clock reads it."""
    return None if moment is None else moment.replace(tzinfo=ZoneInfo(timezone))


def local(moment: datetime, timezone: str) -> datetime:
    """An instant as the form shows it: the conference's wall clock, naive."""
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
