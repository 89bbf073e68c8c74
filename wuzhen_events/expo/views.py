"""Expo directory, exhibitor pages and the launch schedule."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import ngettext

from wuzhen_events.expo.forms import DirectoryFilterForm, LaunchFilterForm
from wuzhen_events.expo.models import Exhibitor
from wuzhen_events.expo.queries import (
    DirectoryFilters,
    LaunchFilters,
    directory_facets,
    exhibitor_by_slug,
    expo_days,
    launch_schedule,
    launch_stages,
    search_exhibitors,
)
from wuzhen_events.i18n import is_chinese
from wuzhen_events.program.queries import conference_or_404
from wuzhen_events.serving import prepared_page

bp = Blueprint("expo", __name__, url_prefix="/expo")


@bp.get("/")
@prepared_page(query=DirectoryFilterForm.parameter_names())
def directory():
    """Invalid values answer 400 beside their fields, over the whole directory's first page."""
    conference = conference_or_404()
    facets = directory_facets(conference)
    form = DirectoryFilterForm(request.args, halls=facets.halls, countries=facets.countries)
    valid = form.validate()
    filters = form.filters() if valid else DirectoryFilters()
    query_args = form.query_args() if valid else {}
    per_page = current_app.config["EXPO_PAGE_SIZE"]
    found = search_exhibitors(conference, filters, form.page.data if valid else 1, per_page)
    pager = replace(
        found,
        url_for_page=lambda number: url_for(
            ".directory", **query_args, **({"page": number} if number > 1 else {})
        ),
    )
    if filters.is_narrowed:
        summary = ngettext(
            "%(num)d of %(total)d exhibitors matches",
            "%(num)d of %(total)d exhibitors match",
            found.total,
            total=facets.total,
        )
    else:
        summary = ngettext("%(num)d exhibitor", "%(num)d exhibitors", found.total)
    page_notice = None
    if valid and found.total and found.page < form.page.data:
        page_notice = ngettext(
            "There is only %(num)d page of results, shown here.",
            "There are only %(num)d pages of results; this is the last one.",
            pager.pages,
        )
    page = render_template(
        "expo/directory.html",
        form=form,
        problems=form.error_summary(),
        exhibitors=found.items,
        summary=summary,
        pager=pager,
        page_notice=page_notice,
        is_narrowed=filters.is_narrowed,
    )
    return page, 200 if valid else 400


@bp.get("/launches/")
@prepared_page(query=LaunchFilterForm.parameter_names())
def launches():
    """The schedule by day and time; invalid filters answer 400 over the whole schedule."""
    conference = conference_or_404()
    stages = launch_stages(conference)
    form = LaunchFilterForm(request.args, days=expo_days(conference), stages=stages)
    valid = form.validate()
    filters = form.filters() if valid else LaunchFilters()
    days = launch_schedule(conference, filters)
    shown = sum(len(slot.launches) for day in days for slot in day.slots)
    if filters.is_narrowed:
        summary = ngettext(
            "%(num)d of %(total)d launches matches",
            "%(num)d of %(total)d launches match",
            shown,
            total=sum(stage.launches for stage in stages),
        )
    else:
        summary = ngettext("%(num)d launch", "%(num)d launches", shown)
    page = render_template(
        "expo/launches.html",
        form=form,
        problems=form.error_summary(),
        days=days,
        summary=summary,
        is_narrowed=filters.is_narrowed,
    )
    return page, 200 if valid else 400


@bp.get("/<slug:slug>/")
@prepared_page
def exhibitor_detail(slug: str):
    exhibitor = exhibitor_by_slug(slug)
    if exhibitor is None:
        abort(404)
    alternate_name, alternate_lang = alternate_company_name(exhibitor)
    return render_template(
        "expo/exhibitor_detail.html",
        exhibitor=exhibitor,
        alternate_name=alternate_name,
        alternate_lang=alternate_lang,
        website_url=safe_website(exhibitor.website),
    )


def alternate_company_name(exhibitor: Exhibitor) -> tuple[str, str]:
    """The company's name in the other language, with its lang tag; empty if it has none."""
    if is_chinese():
        return (exhibitor.company, "en") if exhibitor.company_zh else ("", "")
    return (exhibitor.company_zh, "zh-Hans") if exhibitor.company_zh else ("", "")


def safe_website(url: str) -> str | None:
    """Only http(s) addresses become links, so a stored javascript: URL is never clickable."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None
