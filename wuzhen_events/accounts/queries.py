"""Reading accounts: for the login form, the session loader and the accounts list."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from wuzhen_events.accounts.models import Account
from wuzhen_events.extensions import db


def account_by_email(email: str) -> Account | None:
    return db.session.scalar(sa.select(Account).where(Account.email == email.strip().lower()))


def account_for_session(session_id: str) -> Account | None:
    """The account a login cookie names, if its epoch is still the account's (see Account)."""
    account_id, _, epoch = session_id.partition(".")
    if not (account_id.isdigit() and epoch.isdigit()) or len(account_id) > 10:
        return None
    # One query with the subforums joined: this runs on every dashboard request.
    account = (
        db.session.execute(
            sa.select(Account)
            .where(Account.id == int(account_id))
            .options(joinedload(Account.subforums))
        )
        .unique()
        .scalar_one_or_none()
    )
    if account is None or not account.active or account.login_epoch != int(epoch):
        return None
    return account


def all_accounts() -> list[Account]:
    return list(
        db.session.scalars(
            sa.select(Account)
            .options(selectinload(Account.subforums))
            .order_by(Account.active.desc(), Account.name, Account.id)
        )
    )
