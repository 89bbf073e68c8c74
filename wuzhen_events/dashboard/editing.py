"""What the program and Expo pages share: their lists (searched, a page at a time), a service's
refusal shown on the form field it names, and the rows and actions the generic list and edit
templates print."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from wuzhen_events.dashboard.filters import page_number, search_text
from wuzhen_events.dashboard.navigation import MenuItem
from wuzhen_events.errors import DomainError
from wuzhen_events.pagination import Page

LIST_PAGE_SIZE = 100  # rows of a program or Expo list: 1,900 sessions are 19 pages


@dataclass(frozen=True)
class ListRow:
    cells: list[str]
    url: str  # the row's edit page; "" when the account may not edit it
    cancelled: bool = False


@dataclass(frozen=True)
class ListQuery:
    """What a list's address asks for: a search and a page."""

    q: str
    page: int
    per_page: int = LIST_PAGE_SIZE


def list_query() -> ListQuery:
    return ListQuery(q=search_text(request.args), page=page_number(request.args))


def render_list(
    *,
    heading: str,
    columns: list[str],
    rows: list[ListRow],
    found: Page,
    wanted: ListQuery,
    tabs: list[MenuItem],
    area_label: str,
    new_url: str,
) -> str:
    """The one list page of the program and the Expo, its pages linked with the search kept."""
    endpoint = request.endpoint or ""
    searched = {"q": wanted.q} if wanted.q else {}
    pager = replace(
        found,
        url_for_page=lambda number: url_for(
            endpoint, **searched, **({"page": number} if number > 1 else {})
        ),
    )
    return render_template(
        "dashboard/list.html",
        heading=heading,
        columns=columns,
        rows=rows,
        pager=pager,
        q=wanted.q,
        search_url=url_for(endpoint),
        new_url=new_url,
        new_label=_("Add"),
        tabs=tabs,
        area_label=area_label,
    )


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
