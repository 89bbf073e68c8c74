"""Creating, changing and disabling organizer accounts; every change audited, no hash recorded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import utcnow
from wuzhen_events.errors import DomainError, _l
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Subforum
from wuzhen_events.transactions import check_text_lengths, write

PASSWORD_MAX_LENGTH = 200  # longer is no safer, and hashing it costs the server


class AccountError(DomainError):
    pass


@dataclass(frozen=True)
class AccountDetails:
    email: str
    name: str
    role: Role
    subforum_ids: frozenset[int] = frozenset()


def create_account(details: AccountDetails, password: str, *, actor: Actor) -> Account:
    _check_password(password)
    with write(error=AccountError, message=_TAKEN, field="email"):
        email = _normal_email(details.email)
        if db.session.scalar(sa.select(Account.id).where(Account.email == email)) is not None:
            raise AccountError(_TAKEN, field="email")
        account = Account(
            email=email,
            name=_required_name(details.name),
            role=details.role,
            password_hash=_hash(password),
            password_changed_at=utcnow(),
            subforums=_subforums(details),
        )
        audit.add_new(account, actor=actor, action="create_account", error=AccountError)
        _record_scope(actor, "create_account", account, [])
    return account


def update_account(account: Account, details: AccountDetails, *, actor: Actor) -> Account:
    """Name, address, role and subforums; a role change ends the account's open sessions."""
    with write(error=AccountError, message=_TAKEN, field="email"):
        _lock(account)
        email = _normal_email(details.email)
        taken = sa.select(Account.id).where(Account.email == email, Account.id != account.id)
        if db.session.scalar(taken) is not None:
            raise AccountError(_TAKEN, field="email")
        before = audit.snapshot(account)
        scope_before = [subforum.id for subforum in account.subforums]
        if details.role is not account.role:
            if actor == Actor.account(account) and account.role is Role.ADMIN:
                # The last administrator could otherwise lock everyone out of the accounts.
                raise AccountError(
                    _l("You cannot take the administrator role from your own account."),
                    field="role",
                )
            account.login_epoch += 1
        account.email = email
        account.name = _required_name(details.name)
        account.role = details.role
        account.subforums = _subforums(details)
        check_text_lengths(account, error=AccountError)
        db.session.flush()
        audit.changed(actor, "update_account", account, before)
        _record_scope(actor, "update_account", account, scope_before)
    return account


def disable_account(account: Account, *, actor: Actor) -> Account:
    """Signs the account out everywhere; the account stays so the audit trail keeps its name."""
    if actor == Actor.account(account):
        raise AccountError(_l("You cannot disable your own account."))
    return _set_active(account, False, actor=actor, action="disable_account")


def enable_account(account: Account, *, actor: Actor) -> Account:
    return _set_active(account, True, actor=actor, action="enable_account")


def change_password(account: Account, current: str, new: str, *, actor: Actor) -> Account:
    """The holder's own change: the current password first, then every other session ends."""
    if not check_password_hash(account.password_hash, current):
        raise AccountError(_l("The current password is not right."), field="current_password")
    return _store_password(account, new, actor=actor, action="change_password")


def reset_password(account: Account, new: str, *, actor: Actor) -> Account:
    """An administrator's reset, for someone who lost theirs."""
    return _store_password(account, new, actor=actor, action="reset_password")


def record_login(account: Account, *, actor: Actor) -> Account:
    with write(error=AccountError):
        before = audit.snapshot(account)
        account.last_login_at = utcnow()
        db.session.flush()
        audit.changed(actor, "record_login", account, before)
    return account


def _set_active(account: Account, active: bool, *, actor: Actor, action: str) -> Account:
    with write(error=AccountError):
        _lock(account)
        if account.active is active:
            return account
        before = audit.snapshot(account)
        account.active = active
        account.login_epoch += 1
        db.session.flush()
        audit.changed(actor, action, account, before)
    return account


def _store_password(account: Account, new: str, *, actor: Actor, action: str) -> Account:
    _check_password(new)
    with write(error=AccountError):
        _lock(account)
        before = audit.snapshot(account)
        account.password_hash = _hash(new)
        account.password_changed_at = utcnow()
        account.login_epoch += 1
        db.session.flush()
        audit.changed(actor, action, account, before)
    return account


_TAKEN = _l("An account with this e-mail address exists already.")


def _lock(account: Account) -> None:
    """Re-read the row under a write lock, so two admins' changes apply one after the other."""
    db.session.execute(sa.select(Account.id).where(Account.id == account.id).with_for_update())
    db.session.refresh(account)


def _normal_email(email: str) -> str:
    email = email.strip().lower()
    if not email or "@" not in email:
        raise AccountError(_l("Please give a valid e-mail address."), field="email")
    return email


def _required_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise AccountError(_l("Please give the account holder's name."), field="name")
    return name


def _check_password(password: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise AccountError(
            _l("A password needs at least %(count)d characters.", count=minimum),
            field="password",
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(
            _l("A password can have at most %(count)d characters.", count=PASSWORD_MAX_LENGTH),
            field="password",
        )


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _subforums(details: AccountDetails) -> list[Subforum]:
    if not details.role.is_scoped:
        return []
    wanted = sorted(details.subforum_ids)
    found = list(db.session.scalars(sa.select(Subforum).where(Subforum.id.in_(wanted))))
    if len(found) != len(wanted):
        raise AccountError(_l("Please choose subforums from the list."), field="subforums")
    return found


def _record_scope(actor: Actor, action: str, account: Account, before: Iterable[int]) -> None:
    before_ids = sorted(before)
    after_ids = sorted(subforum.id for subforum in account.subforums)
    if before_ids != after_ids:
        audit.record(
            actor,
            action,
            "accounts",
            account.id,
            {"subforum_ids": before_ids},
            {"subforum_ids": after_ids},
        )
