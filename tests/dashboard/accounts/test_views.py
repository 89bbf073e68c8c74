"""Administrators' account pages: each change lands in the database and the audit trail with
the administrator as its actor, bad input changes nothing, and sessions end when they must."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from tests.factories import make_conference, make_subforum, reload
from tests.helpers.accounts import PASSWORD, log_in, make_account
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db


@pytest.fixture
def admin(app):
    return make_account(Role.ADMIN, email="admin@organizers.example", name="Wang Fang")


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    log_in(client, admin)
    return client


def entries(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def by_email(email: str) -> Account | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Account).where(Account.email == email))


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_the_list_shows_role_scope_state_and_last_sign_in(admin_client, admin):
    conference = make_conference()
    cloud = make_subforum(conference, title="Cloud Computing", title_zh="云计算")
    make_account(Role.SUBFORUM_HOST, name="Zhou Min", subforums=[cloud])

    page = admin_client.get("/dashboard/accounts/").get_data(as_text=True)

    assert "Zhou Min" in page
    assert "Subforum host" in page
    assert "Cloud Computing" in page
    assert "the whole conference" in page
    assert "never" in page


def test_an_account_is_created_with_a_typed_password(admin_client, admin):
    conference = make_conference()
    cloud = make_subforum(conference, title="Cloud Computing")

    response = admin_client.post(
        "/dashboard/accounts/new",
        data={
            "name": "  李伟 ",
            "email": "Li.Wei@Organizers.example",
            "role": "subforum_host",
            "subforums": [str(cloud.id)],
            "password": "a long enough passphrase",
        },
    )

    assert response.status_code == 303
    account = by_email("li.wei@organizers.example")
    assert (account.name, account.role, account.active) == ("李伟", Role.SUBFORUM_HOST, True)
    assert [subforum.id for subforum in account.subforums] == [cloud.id]
    assert check_password_hash(account.password_hash, "a long enough passphrase")
    created, scope = entries("create_account")[-2:]
    assert (created.actor_kind, created.actor_id) == (ActorKind.ORGANIZER, str(admin.id))
    assert (created.object_type, created.object_id) == ("accounts", str(account.id))
    assert created.before is None
    assert created.after["email"] == "li.wei@organizers.example"
    assert created.after["role"] == "subforum_host"
    assert "password_hash" in created.fields
    assert "password_hash" not in created.after
    assert (scope.actor_id, scope.after) == (str(admin.id), {"subforum_ids": [cloud.id]})


def test_a_generated_password_is_shown_once_and_works(app, admin_client):
    response = admin_client.post(
        "/dashboard/accounts/new",
        data={
            "name": "Zhou Min",
            "email": "zhou@organizers.example",
            "role": "viewer",
            "generate": "y",
        },
    )

    assert response.status_code == 200
    password = re.search(
        r'<code id="generated-password">([^<]+)</code>', response.get_data(as_text=True)
    )[1]
    assert len(password) == 20
    assert check_password_hash(by_email("zhou@organizers.example").password_hash, password)
    # Not in the flash cookie, and gone from the next page.
    assert password not in admin_client.get("/dashboard/accounts/").get_data(as_text=True)
    assert sign_in(app.test_client(), "zhou@organizers.example", password).status_code == 303


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "", "email": "a@organizers.example", "password": PASSWORD},
            "Please give the account holder",
        ),
        ({"name": "A", "email": "", "password": PASSWORD}, "Please give the e-mail address."),
        (
            {"name": "A", "email": "nobody", "password": PASSWORD},
            "Please give a valid e-mail address.",
        ),
        ({"name": "A", "email": "a@organizers.example"}, "Please type a password, or tick the box"),
        (
            {"name": "A", "email": "a@organizers.example", "password": "short"},
            "at least 12 characters",
        ),
        (
            {"name": "A", "email": "a@organizers.example", "password": PASSWORD, "role": "root"},
            "Please choose a role from the list.",
        ),
        (
            {
                "name": "A",
                "email": "a@organizers.example",
                "password": PASSWORD,
                "subforums": ["x"],
            },
            "Please choose subforums from the list.",
        ),
        (
            {
                "name": "A",
                "email": "a@organizers.example",
                "password": PASSWORD,
                "subforums": ["999"],
            },
            "Please choose subforums from the list.",
        ),
        (
            {"name": "x" * 121, "email": "a@organizers.example", "password": PASSWORD},
            "at most 120 characters",
        ),
        ({"name": "A\nB", "email": "a@organizers.example", "password": PASSWORD}, "on one line"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(admin_client, data, message):
    data = {"role": "organizer", **data}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Account))

    response = admin_client.post("/dashboard/accounts/new", data=data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Account)) == before
    assert entries("create_account") == [
        e for e in entries("create_account") if e.actor_kind is not ActorKind.ORGANIZER
    ]


def test_a_taken_address_and_a_double_submit_create_one_account(admin_client):
    data = {
        "name": "Zhou",
        "email": "zhou@organizers.example",
        "role": "viewer",
        "password": PASSWORD,
    }

    first = admin_client.post("/dashboard/accounts/new", data=data)
    second = admin_client.post(
        "/dashboard/accounts/new", data={**data, "email": "ZHOU@organizers.example"}
    )

    assert (first.status_code, second.status_code) == (303, 422)
    assert "An account with this e-mail address exists already." in second.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Account)
            .where(Account.email == "zhou@organizers.example")
        )
        == 1
    )


def test_script_in_a_name_is_stored_as_text_and_escaped(admin_client):
    admin_client.post(
        "/dashboard/accounts/new",
        data={
            "name": "<script>alert(1)</script>",
            "email": "x@organizers.example",
            "role": "viewer",
            "password": PASSWORD,
        },
    )

    page = admin_client.get("/dashboard/accounts/").get_data(as_text=True)

    assert by_email("x@organizers.example").name == "<script>alert(1)</script>"
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_editing_changes_the_fields_and_audits_them(admin_client, admin):
    conference = make_conference()
    cloud = make_subforum(conference, title="Cloud Computing")
    viewer = make_account(Role.VIEWER, email="v@organizers.example", name="Old Name")
    epoch = viewer.login_epoch

    form = admin_client.get(f"/dashboard/accounts/{viewer.id}/edit").get_data(as_text=True)
    response = admin_client.post(
        f"/dashboard/accounts/{viewer.id}/edit",
        data={
            "name": "New Name",
            "email": "new@organizers.example",
            "role": "subforum_host",
            "subforums": [str(cloud.id)],
        },
    )

    assert 'value="Old Name"' in form
    assert response.status_code == 303
    viewer = reload(viewer)
    assert (viewer.name, viewer.email, viewer.role) == (
        "New Name",
        "new@organizers.example",
        Role.SUBFORUM_HOST,
    )
    assert viewer.login_epoch == epoch + 1
    update, scope = entries("update_account")[-2:]
    assert (update.actor_kind, update.actor_id) == (ActorKind.ORGANIZER, str(admin.id))
    assert update.before == {
        "email": "v@organizers.example",
        "name": "Old Name",
        "role": "viewer",
    } | {k: v for k, v in update.before.items() if k not in {"email", "name", "role"}}
    assert set(update.fields) >= {"email", "name", "role", "login_epoch"}
    assert "login_epoch" not in update.after
    assert (scope.before, scope.after) == ({"subforum_ids": []}, {"subforum_ids": [cloud.id]})


def test_an_unknown_account_is_not_found(admin_client):
    assert admin_client.get("/dashboard/accounts/99999/edit").status_code == 404
    assert admin_client.post("/dashboard/accounts/99999/disable").status_code == 404


def test_an_admin_cannot_take_their_own_admin_role(admin_client, admin):
    response = admin_client.post(
        f"/dashboard/accounts/{admin.id}/edit",
        data={"name": admin.name, "email": admin.email, "role": "viewer"},
    )

    assert response.status_code == 422
    assert "You cannot take the administrator role from your own account." in response.get_data(
        as_text=True
    )
    assert reload(admin).role is Role.ADMIN


def test_an_admin_who_renames_themselves_stays_signed_in(admin_client, admin):
    response = admin_client.post(
        f"/dashboard/accounts/{admin.id}/edit",
        data={"name": "Wang Fang 王芳", "email": admin.email, "role": "admin"},
    )

    assert response.status_code == 303
    assert admin_client.get("/dashboard/accounts/").status_code == 200


def test_disable_and_enable_are_audited_and_disabling_oneself_is_refused(admin_client, admin):
    viewer = make_account(Role.VIEWER)

    disabled = admin_client.post(f"/dashboard/accounts/{viewer.id}/disable")
    assert reload(viewer).active is False
    enabled = admin_client.post(f"/dashboard/accounts/{viewer.id}/enable")
    own = admin_client.post(f"/dashboard/accounts/{admin.id}/disable", follow_redirects=True)

    assert (disabled.status_code, enabled.status_code) == (303, 303)
    assert reload(viewer).active is True
    assert [
        (e.before["active"], e.after["active"], e.actor_id) for e in entries("disable_account")
    ] == [(True, False, str(admin.id))]
    assert [
        (e.before["active"], e.after["active"], e.actor_id) for e in entries("enable_account")
    ] == [(False, True, str(admin.id))]
    assert "You cannot disable your own account." in own.get_data(as_text=True)
    assert reload(admin).active is True


def test_disable_needs_a_post(admin_client):
    viewer = make_account(Role.VIEWER)

    assert admin_client.get(f"/dashboard/accounts/{viewer.id}/disable").status_code == 405
    assert reload(viewer).active is True


def test_a_password_reset_stores_a_new_hash_and_audits_no_hash(admin_client, admin):
    viewer = make_account(Role.VIEWER)

    short = admin_client.post(
        f"/dashboard/accounts/{viewer.id}/password", data={"password": "short"}
    )
    response = admin_client.post(
        f"/dashboard/accounts/{viewer.id}/password", data={"password": "another long passphrase"}
    )

    assert short.status_code == 422
    assert response.status_code == 303
    assert check_password_hash(reload(viewer).password_hash, "another long passphrase")
    (entry,) = entries("reset_password")
    assert entry.actor_id == str(admin.id)
    assert "password_hash" in entry.fields
    assert "password_hash" not in entry.before and "password_hash" not in entry.after
    assert reload(viewer).password_hash not in str(entry.before) + str(entry.after)


@pytest.mark.parametrize(
    "act",
    [
        lambda client, account: client.post(f"/dashboard/accounts/{account.id}/disable"),
        lambda client, account: client.post(
            f"/dashboard/accounts/{account.id}/edit",
            data={"name": account.name, "email": account.email, "role": "viewer"},
        ),
        lambda client, account: client.post(
            f"/dashboard/accounts/{account.id}/password",
            data={"password": "another long passphrase"},
        ),
    ],
    ids=["disable", "role-change", "password-reset"],
)
def test_the_holders_signed_in_session_ends(app, admin_client, act):
    organizer = make_account(Role.ORGANIZER, email="holder@organizers.example")
    holder = app.test_client()
    assert sign_in(holder, "holder@organizers.example").status_code == 303
    assert holder.get("/dashboard/").status_code == 200

    assert act(admin_client, reload(organizer)).status_code == 303

    response = holder.get("/dashboard/")
    assert response.status_code == 302
    assert response.location == "/login?next=/dashboard/"


def test_the_menu_marks_accounts_not_my_account_as_current(admin_client):
    page = admin_client.get("/dashboard/accounts/").get_data(as_text=True)

    assert '<a href="/dashboard/accounts/" aria-current="page">Accounts</a>' in page
    assert '<a href="/dashboard/account/">My account</a>' in page
