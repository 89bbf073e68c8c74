"""`flask create-admin EMAIL`: the password from the environment or typed twice, never an
argument; every refusal one line and exit status 1."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from tests.helpers.accounts import make_account
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db

GOOD = "a long enough passphrase"


def admins() -> list[Account]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Account).where(Account.role == Role.ADMIN)))


def test_the_password_is_read_from_the_environment(runner, monkeypatch):
    monkeypatch.setenv("WUZHEN_ADMIN_PASSWORD", GOOD)

    result = runner.invoke(args=["create-admin", "Ops@Organizers.example", "--name", "运维"])

    assert result.exit_code == 0, result.output
    (admin,) = admins()
    assert (
        result.output == f"Administrator account ops@organizers.example created (id {admin.id}).\n"
    )
    assert (admin.email, admin.name, admin.active) == ("ops@organizers.example", "运维", True)
    assert check_password_hash(admin.password_hash, GOOD)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "create_account"))
    assert entry.actor_kind is ActorKind.CLI
    assert "password_hash" not in entry.after


def test_the_password_is_prompted_twice(runner, monkeypatch):
    monkeypatch.delenv("WUZHEN_ADMIN_PASSWORD", raising=False)

    result = runner.invoke(
        args=["create-admin", "ops@organizers.example"], input=f"{GOOD}\n{GOOD}\n"
    )

    assert result.exit_code == 0, result.output
    assert GOOD not in result.output
    (admin,) = admins()
    assert admin.name == "ops"
    assert check_password_hash(admin.password_hash, GOOD)


def test_two_different_passwords_are_asked_again(runner, monkeypatch):
    monkeypatch.delenv("WUZHEN_ADMIN_PASSWORD", raising=False)

    result = runner.invoke(
        args=["create-admin", "ops@organizers.example"],
        input=f"{GOOD}\nsomething else entirely\n{GOOD}\n{GOOD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "Error: The two entered values do not match." in result.output
    assert result.output.count("Password again") == 2
    assert check_password_hash(admins()[0].password_hash, GOOD)


def test_a_short_password_is_refused_in_one_line(runner, monkeypatch):
    monkeypatch.delenv("WUZHEN_ADMIN_PASSWORD", raising=False)

    result = runner.invoke(args=["create-admin", "ops@organizers.example"], input="pw\npw\n")

    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: A password needs at least 12 characters."
    assert "Traceback" not in result.output
    assert admins() == []


def test_an_existing_address_is_refused(runner, monkeypatch):
    make_account(Role.VIEWER, email="ops@organizers.example")
    monkeypatch.setenv("WUZHEN_ADMIN_PASSWORD", GOOD)

    result = runner.invoke(args=["create-admin", "OPS@organizers.example"])

    assert result.exit_code == 1
    assert result.output == "Error: An account with this e-mail address exists already.\n"
    assert admins() == []


def test_the_password_is_no_command_line_argument(runner, monkeypatch):
    monkeypatch.setenv("WUZHEN_ADMIN_PASSWORD", GOOD)

    result = runner.invoke(args=["create-admin", "ops@organizers.example", "--password", GOOD])

    assert result.exit_code == 2
    assert admins() == []
