"""Home page, liveness probe and the language switch."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_datetime, get_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from wuzhen_events import clock
from wuzhen_events.extensions import db
from wuzhen_events.i18n import LANGUAGE_NAMES, LOCALE_SESSION_KEY, is_chinese
from wuzhen_events.outages import discard_session
from wuzhen_events.program.queries import current_conference, program_days, whats_on
from wuzhen_events.serving import prepared_page
from wuzhen_events.site.queries import headline_figures
from wuzhen_events.urls import safe_redirect_target

bp = Blueprint("site", __name__)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


NAVIGATION = (
    ("site.home", _l("Home"), ("site.",)),
    ("program.program", _l("Program"), ("program.program", "program.session_detail")),
    ("program.subforums", _l("Subforums"), ("program.subforum",)),
    ("program.speakers", _l("Speakers"), ("program.speaker",)),
    ("expo.directory", _l("Expo"), ("expo.directory", "expo.exhibitor_detail")),
    ("expo.launches", _l("Launches"), ("expo.launches",)),
    ("calendar.index", _l("Calendar"), ("calendar.",)),
    ("registration.register", _l("Register"), ("registration.",)),
)


def inject_layout() -> dict:
    """Navigation and language links are computed here so base.html only loops."""
    endpoint = request.endpoint or ""
    navigation = [
        NavItem(str(label), url_for(target), endpoint.startswith(prefixes))
        for target, label, prefixes in NAVIGATION
    ]
    locale = str(get_locale() or "en")
    # A kept page's own address (serving.page_path): the same bytes for every query it serves.
    here = g.get("page_path") or (
        request.full_path.rstrip("?") if request.endpoint else url_for("site.home")
    )
    languages = [
        LanguageLink(code, name, url_for("site.set_language", code=code, next=here), code == locale)
        for code, name in LANGUAGE_NAMES.items()
    ]
    html_lang = "zh-Hans" if locale == "zh" else "en"
    return {
        "main_navigation": navigation,
        "language_links": languages,
        "html_lang": html_lang,
        "contact_email": current_app.config["CONTACT_EMAIL"],
    }


@bp.get("/")
@prepared_page(clock_step=timedelta(minutes=1))  # now and next
def home():
    conference = current_conference()
    if conference is None:
        return render_template("site/no_conference.html"), 503
    figures = headline_figures(conference)
    moment = clock.now()
    now_local = moment.astimezone(conference.tzinfo)
    return render_template(
        "site/home.html",
        conference=conference,
        figures=figures,
        whats_on=whats_on(conference, moment),
        now_local=now_local,
        now_label=dated_time(now_local),
        program_days=program_days(conference),
    )


def dated_time(moment: datetime) -> str:
    """Day, month and year with the time: "now" may be years after a 2018 conference."""
    return format_datetime(moment, "y年M月d日 EEE HH:mm" if is_chinese() else "EEE d MMM y, HH:mm")


@bp.get("/privacy/")
def privacy():
    return render_template("site/privacy.html", retention=retention_sentence(current_conference()))


def retention_sentence(conference) -> str:
    """The notice names the day registrations are erased, counted from the conference's end."""
    months = int(current_app.config["RETENTION_MONTHS"])
    if conference is None:
        return ngettext(
            "Your registration is kept until %(num)d month after the conference ends, and is "
            "then erased as described below.",
            "Your registration is kept until %(num)d months after the conference ends, and is "
            "then erased as described below.",
            months,
        )
    day = format_date(
        months_after(conference.ends_on, months), "y年M月d日" if is_chinese() else "d MMMM y"
    )
    return ngettext(
        "Your registration is kept until %(num)d month after the conference ends, that is "
        "until %(day)s, and is then erased as described below.",
        "Your registration is kept until %(num)d months after the conference ends, that is "
        "until %(day)s, and is then erased as described below.",
        months,
        day=day,
    )


def months_after(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the choice in the session and go back to the page the visitor was on."""
    if code not in current_app.config["SUPPORTED_LOCALES"]:
        abort(404)
    session[LOCALE_SESSION_KEY] = code
    target = safe_redirect_target(request.args.get("next"), url_for("site.home"))
    return redirect(target, code=303)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        discard_session()  # a rollback on a connection that died would raise again
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
