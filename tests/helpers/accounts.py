"""Organizer accounts for tests, and signing a test client in as one of them."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from tests.factories import OPERATOR
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.accounts.services import AccountDetails, create_account
from wuzhen_events.program.models import Subforum

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_account(
    role: Role,
    *,
    email: str | None = None,
    name: str | None = None,
    subforums: Iterable[Subforum] = (),
    password: str = PASSWORD,
) -> Account:
    number = next(_numbers)
    details = AccountDetails(
        email=email or f"{role.value}-{number}@organizers.example",
        name=name or f"{role.label} {number}",
        role=role,
        subforum_ids=frozenset(subforum.id for subforum in subforums),
    )
    return create_account(details, password, actor=OPERATOR)


def log_in(client, account: Account) -> None:
    """What Flask-Login keeps in the session after a sign-in, written directly (the sign-in
    form itself is tested in tests/accounts/test_views.py)."""
    with client.session_transaction() as session:
        session["_user_id"] = account.get_id()
        session["_fresh"] = True
