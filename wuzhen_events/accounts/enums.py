"""Roles of organizer accounts and the permissions each grants: least privilege, one table."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from wuzhen_events.enums import LabelledEnum


class Role(LabelledEnum):
    ADMIN = "admin", _l("Administrator")
    ORGANIZER = "organizer", _l("Organizer")
    SUBFORUM_HOST = "subforum_host", _l("Subforum host")
    CHECKIN_STAFF = "checkin_staff", _l("Check-in staff")
    VIEWER = "viewer", _l("Viewer")

    @property
    def is_scoped(self) -> bool:
        """A subforum host sees only the subforums an administrator assigned."""
        return self is Role.SUBFORUM_HOST


class Permission(enum.StrEnum):
    """What a dashboard page or action needs; a view declares one with `@requires(...)`."""

    OWN_ACCOUNT = "own_account"  # one's own account page and password
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    VIEW_PROGRAM = "view_program"
    EDIT_PROGRAM = "edit_program"  # a host: their subforums' sessions only
    EDIT_EXPO = "edit_expo"
    VIEW_DELEGATES = "view_delegates"  # a host: their subforums' delegates only
    MANAGE_DELEGATES = "manage_delegates"  # approvals, cancellations, invitations, applications
    MANAGE_SEATS = "manage_seats"  # seat moves and waitlist promotions; a host: theirs only
    SEND_EMAIL = "send_email"
    EXPORT = "export"  # a host: their subforums' rows only
    VIEW_STATISTICS = "view_statistics"
    CHECK_IN = "check_in"  # scanning badges at doors; staff: their doors; a host: their halls
    MANAGE_CHECKIN = "manage_checkin"  # doors, who scans where, device tokens, conflicts


_EVERY_PERMISSION = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _EVERY_PERMISSION,
    Role.ORGANIZER: _EVERY_PERMISSION - {Permission.MANAGE_ACCOUNTS},
    Role.SUBFORUM_HOST: frozenset(
        {
            Permission.OWN_ACCOUNT,
            Permission.VIEW_PROGRAM,
            Permission.EDIT_PROGRAM,
            Permission.VIEW_DELEGATES,
            Permission.MANAGE_SEATS,
            Permission.EXPORT,
            Permission.CHECK_IN,
        }
    ),
    Role.CHECKIN_STAFF: frozenset({Permission.OWN_ACCOUNT, Permission.CHECK_IN}),
    Role.VIEWER: frozenset(
        {
            Permission.OWN_ACCOUNT,
            Permission.VIEW_PROGRAM,
            Permission.VIEW_DELEGATES,
            Permission.VIEW_STATISTICS,
        }
    ),
}
