"""Organizer accounts and the subforums a scoped account is limited to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuzhen_events.accounts.enums import ROLE_PERMISSIONS, Permission, Role
from wuzhen_events.accounts.scopes import WHOLE_CONFERENCE, Scope
from wuzhen_events.db import TimestampMixin, UTCDateTime, enum_column
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Subforum

account_subforums = sa.Table(
    "account_subforums",
    db.metadata,
    sa.Column("account_id", sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("subforum_id", sa.ForeignKey("subforums.id", ondelete="CASCADE"), primary_key=True),
)


class Account(TimestampMixin, db.Model):
    """An organizer's sign-in; never deleted, only disabled, so the audit trail keeps its name."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie's id: raised on a password change or disabling, so every
    # session signed in before it ends at its next request.
    login_epoch: Mapped[int] = mapped_column(default=0)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    subforums: Mapped[list[Subforum]] = relationship(
        secondary=account_subforums, order_by=Subforum.id
    )

    # Flask-Login's user protocol, spelled out rather than inherited from UserMixin.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}.{self.login_epoch}"

    def can(self, permission: Permission) -> bool:
        return self.active and permission in ROLE_PERMISSIONS[self.role]

    @property
    def scope(self) -> Scope:
        if not self.role.is_scoped:
            return WHOLE_CONFERENCE
        return Scope(frozenset(subforum.id for subforum in self.subforums))
