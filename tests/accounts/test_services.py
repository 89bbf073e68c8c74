"""Account services: exactly what each changes, its audit entry with actor and fields, no hash
ever recorded, and the login epoch raised whenever open sessions must end."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from tests.factories import OPERATOR, make_conference, make_subforum, reload
from tests.helpers.accounts import PASSWORD, make_account
from wuzhen_events.accounts import services
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.accounts.services import AccountDetails, AccountError
from wuzhen_events.audit.actors import Actor, ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db

NEW = "a brand new passphrase"


@pytest.fixture
def admin(app):
    return make_account(Role.ADMIN)


def trail(account: Account) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "accounts", AuditEntry.object_id == str(account.id))
            .order_by(AuditEntry.id)
        )
    )


def no_hash_in(entries: list[AuditEntry], account: Account) -> None:
    for entry in entries:
        for side in (entry.before or {}, entry.after or {}):
            assert "password_hash" not in side
            assert "login_epoch" not in side
            assert account.password_hash not in str(side)


def test_create_account_stores_the_row_and_records_it(admin):
    conference = make_conference()
    cloud = make_subforum(conference)

    account = services.create_account(
        AccountDetails(
            " Host@Organizers.Example ", " 周敏 ", Role.SUBFORUM_HOST, frozenset({cloud.id})
        ),
        PASSWORD,
        actor=Actor.account(admin),
    )

    account = reload(account)
    assert (account.email, account.name, account.role, account.active, account.login_epoch) == (
        "host@organizers.example",
        "周敏",
        Role.SUBFORUM_HOST,
        True,
        0,
    )
    assert check_password_hash(account.password_hash, PASSWORD)
    assert account.password_changed_at is not None
    made, scope = trail(account)
    assert (made.action, made.actor_kind, made.actor_id, made.before) == (
        "create_account",
        ActorKind.ORGANIZER,
        str(admin.id),
        None,
    )
    assert made.after["email"] == "host@organizers.example"
    assert made.after["role"] == "subforum_host"
    assert "password_hash" in made.fields
    assert (scope.before, scope.after) == ({"subforum_ids": []}, {"subforum_ids": [cloud.id]})
    no_hash_in([made, scope], account)


def test_an_unscoped_role_keeps_no_subforums(admin):
    cloud = make_subforum(make_conference())

    account = services.create_account(
        AccountDetails("o@organizers.example", "O", Role.ORGANIZER, frozenset({cloud.id})),
        PASSWORD,
        actor=OPERATOR,
    )

    assert reload(account).subforums == []
    assert [entry.action for entry in trail(account)] == ["create_account"]


def test_update_account_records_the_fields_and_a_role_change_raises_the_epoch(admin):
    viewer = make_account(Role.VIEWER, email="v@organizers.example", name="Old")

    services.update_account(
        viewer,
        AccountDetails("new@organizers.example", "New", Role.ORGANIZER),
        actor=Actor.account(admin),
    )

    viewer = reload(viewer)
    assert (viewer.email, viewer.name, viewer.role, viewer.login_epoch) == (
        "new@organizers.example",
        "New",
        Role.ORGANIZER,
        1,
    )
    entry = trail(viewer)[-1]
    assert (entry.action, entry.actor_id) == ("update_account", str(admin.id))
    assert sorted(entry.fields) == ["email", "login_epoch", "name", "role"]
    assert (entry.before["role"], entry.after["role"]) == ("viewer", "organizer")
    no_hash_in([entry], viewer)


def test_update_account_without_a_role_change_keeps_sessions(admin):
    viewer = make_account(Role.VIEWER)

    services.update_account(
        viewer, AccountDetails(viewer.email, "Renamed", Role.VIEWER), actor=OPERATOR
    )

    assert reload(viewer).login_epoch == 0
    assert trail(viewer)[-1].fields == ["name"]


def test_update_account_refuses_a_taken_address_and_changes_nothing(admin):
    viewer = make_account(Role.VIEWER, name="Kept")

    with pytest.raises(AccountError) as refusal:
        services.update_account(
            viewer, AccountDetails(admin.email, "Changed", Role.VIEWER), actor=OPERATOR
        )

    assert refusal.value.field == "email"
    assert reload(viewer).name == "Kept"
    assert [entry.action for entry in trail(viewer)] == ["create_account"]


def test_an_admin_cannot_demote_themselves_but_another_admin_can(admin):
    other = make_account(Role.ADMIN)

    with pytest.raises(AccountError) as refusal:
        services.update_account(
            admin, AccountDetails(admin.email, admin.name, Role.VIEWER), actor=Actor.account(admin)
        )
    services.update_account(
        admin, AccountDetails(admin.email, admin.name, Role.VIEWER), actor=Actor.account(other)
    )

    assert refusal.value.field == "role"
    assert reload(admin).role is Role.VIEWER


def test_disable_and_enable_flip_active_raise_the_epoch_and_are_recorded(admin):
    viewer = make_account(Role.VIEWER)

    services.disable_account(viewer, actor=Actor.account(admin))
    services.disable_account(viewer, actor=Actor.account(admin))  # already: nothing recorded
    assert (reload(viewer).active, reload(viewer).login_epoch) == (False, 1)
    services.enable_account(viewer, actor=Actor.account(admin))

    viewer = reload(viewer)
    assert (viewer.active, viewer.login_epoch) == (True, 2)
    disabled, enabled = trail(viewer)[1:]
    assert (disabled.action, disabled.before["active"], disabled.after["active"]) == (
        "disable_account",
        True,
        False,
    )
    assert (enabled.action, enabled.before["active"], enabled.after["active"]) == (
        "enable_account",
        False,
        True,
    )
    assert {disabled.actor_id, enabled.actor_id} == {str(admin.id)}
    assert sorted(disabled.fields) == ["active", "login_epoch"]


def test_nobody_disables_their_own_account(admin):
    with pytest.raises(AccountError):
        services.disable_account(admin, actor=Actor.account(admin))

    assert reload(admin).active is True


@pytest.mark.parametrize("service", ["reset", "change"])
def test_a_new_password_is_hashed_raises_the_epoch_and_is_never_recorded(admin, service):
    viewer = make_account(Role.VIEWER)
    changed_before = reload(viewer).password_changed_at

    if service == "reset":
        services.reset_password(viewer, NEW, actor=Actor.account(admin))
    else:
        services.change_password(viewer, PASSWORD, NEW, actor=Actor.account(viewer))

    viewer = reload(viewer)
    assert check_password_hash(viewer.password_hash, NEW)
    assert viewer.login_epoch == 1
    assert viewer.password_changed_at >= changed_before
    entry = trail(viewer)[-1]
    assert entry.action == {"reset": "reset_password", "change": "change_password"}[service]
    assert "password_hash" in entry.fields and "login_epoch" in entry.fields
    no_hash_in(trail(viewer), viewer)


@pytest.mark.parametrize("password", ["short", "x" * 201])
def test_a_bad_new_password_changes_nothing(admin, password):
    viewer = make_account(Role.VIEWER)
    old_hash = viewer.password_hash

    with pytest.raises(AccountError):
        services.reset_password(viewer, password, actor=OPERATOR)

    assert (reload(viewer).password_hash, reload(viewer).login_epoch) == (old_hash, 0)
    assert len(trail(viewer)) == 1


def test_record_login_stamps_the_time(admin):
    services.record_login(admin, actor=Actor.account(admin))

    assert reload(admin).last_login_at is not None
    entry = trail(admin)[-1]
    assert (entry.action, entry.fields, entry.actor_id) == (
        "record_login",
        ["last_login_at"],
        str(admin.id),
    )
