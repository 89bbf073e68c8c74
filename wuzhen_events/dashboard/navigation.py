"""The dashboard's menu: one line per area, shown to the accounts whose role may open it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.accounts.models import Account


@dataclass(frozen=True)
class DashboardLink:
    endpoint: str
    label: LazyString
    permission: Permission
    # The endpoints under this prefix mark the link as the current area.
    area: str
    # Pages about the whole conference (an import) are not offered to a scoped account.
    whole_conference: bool = False


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str
    current: bool


# In the order of the menu; each area adds its line in its place.
LINKS: tuple[DashboardLink, ...] = (
    DashboardLink("dashboard.home", _l("Overview"), Permission.OWN_ACCOUNT, "dashboard.home"),
    # program and Expo
    DashboardLink(
        "dashboard.program.sessions", _l("Program"), Permission.VIEW_PROGRAM, "dashboard.program"
    ),
    DashboardLink("dashboard.expo.exhibitors", _l("Expo"), Permission.EDIT_EXPO, "dashboard.expo"),
    # program import
    DashboardLink(
        "dashboard.program_import.index",
        _l("Import a program"),
        Permission.EDIT_PROGRAM,
        "dashboard.program_import",
        whole_conference=True,
    ),
    # delegates
    DashboardLink(
        "dashboard.delegates.index",
        _l("Delegates"),
        Permission.VIEW_DELEGATES,
        "dashboard.delegates",
    ),
    # invitations and exhibitor applications
    DashboardLink(
        "dashboard.invitations.index",
        _l("Invitations"),
        Permission.MANAGE_DELEGATES,
        "dashboard.invitations",
    ),
    DashboardLink(
        "dashboard.applications.index",
        _l("Exhibitor applications"),
        Permission.MANAGE_DELEGATES,
        "dashboard.applications",
    ),
    # e-mail
    DashboardLink("dashboard.email.index", _l("E-mail"), Permission.SEND_EMAIL, "dashboard.email"),
    # exports
    DashboardLink("dashboard.exports.index", _l("Exports"), Permission.EXPORT, "dashboard.exports"),
    # statistics
    DashboardLink(
        "dashboard.statistics.index",
        _l("Statistics"),
        Permission.VIEW_STATISTICS,
        "dashboard.statistics",
    ),
    # check-in at the doors
    DashboardLink(
        "dashboard.checkin.index", _l("Check-in"), Permission.CHECK_IN, "dashboard.checkin"
    ),
    # accounts and audit log
    DashboardLink(
        "dashboard.accounts.index", _l("Accounts"), Permission.MANAGE_ACCOUNTS, "dashboard.accounts"
    ),
    DashboardLink(
        "dashboard.audit.index", _l("Audit log"), Permission.VIEW_AUDIT, "dashboard.audit"
    ),
    DashboardLink(
        "dashboard.account.index", _l("My account"), Permission.OWN_ACCOUNT, "dashboard.account"
    ),
)


def dashboard_menu(account: Account) -> list[MenuItem]:
    endpoint = request.endpoint or ""
    return [
        MenuItem(url_for(link.endpoint), str(link.label), _in_area(endpoint, link.area))
        for link in LINKS
        if account.can(link.permission)
        and (account.scope.is_whole_conference or not link.whole_conference)
    ]


def _in_area(endpoint: str, area: str) -> bool:
    """`dashboard.account` is not the current area on a `dashboard.accounts` page."""
    return endpoint == area or endpoint.startswith(area + ".")
