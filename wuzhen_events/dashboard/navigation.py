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


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str
    current: bool


# In the order of the menu; each area adds its line in its place.
LINKS: tuple[DashboardLink, ...] = (
    DashboardLink("dashboard.home", _l("Overview"), Permission.OWN_ACCOUNT, "dashboard.home"),
    # program and Expo
    # program import
    # delegates
    # invitations and exhibitor applications
    # e-mail
    # exports
    # statistics
    DashboardLink(
        "dashboard.statistics.index",
        _l("Statistics"),
        Permission.VIEW_STATISTICS,
        "dashboard.statistics",
    ),
    # accounts and audit log
    DashboardLink(
        "dashboard.account.index", _l("My account"), Permission.OWN_ACCOUNT, "dashboard.account"
    ),
)


def dashboard_menu(account: Account) -> list[MenuItem]:
    endpoint = request.endpoint or ""
    return [
        MenuItem(url_for(link.endpoint), str(link.label), endpoint.startswith(link.area))
        for link in LINKS
        if account.can(link.permission)
    ]
