"""Every rule under /dashboard/, walked with no sign-in and with each role: the table below is
the access policy, and a rule missing from it fails the walk, so none is added unprotected."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.routing import Rule

from tests.factories import make_conference, make_subforum
from tests.helpers.accounts import log_in, make_account
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.dashboard.access import requires  # noqa: F401  (the decorator under test)

EVERYONE = frozenset(Role)
ORGANIZERS = frozenset({Role.ADMIN, Role.ORGANIZER})
ADMINS = frozenset({Role.ADMIN})
PROGRAM_READERS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.SUBFORUM_HOST, Role.VIEWER})
PROGRAM_EDITORS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.SUBFORUM_HOST})
DELEGATE_READERS = PROGRAM_READERS
SEAT_MANAGERS = PROGRAM_EDITORS
EXPORTERS = PROGRAM_EDITORS
STATISTICS_READERS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.VIEWER})
CHECKIN = frozenset({Role.ADMIN, Role.ORGANIZER, Role.CHECKIN_STAFF})

# Which roles may open each endpoint; every other role is answered 403, and a visitor who is
# not signed in is sent to the sign-in page. Each area keeps its lines in its own section.
EXPECTED: dict[str, frozenset[Role]] = {
    # overview and own account
    "dashboard.home": EVERYONE,
    "dashboard.account.index": EVERYONE,
    # program and Expo
    # program import
    # delegates
    # invitations and exhibitor applications
    # e-mail
    # exports
    # statistics
    "dashboard.statistics.index": STATISTICS_READERS,
    # accounts and audit log
}

# A POST a role may make is answered with the page again (200 or 422 with its errors) or a
# redirect after the change (303); a GET with the page (200). Rules that answer otherwise
# (a download, a redirect) say so here.
ANSWERS: dict[tuple[str, str], frozenset[int]] = {}
DEFAULT_ANSWERS = {"GET": frozenset({200}), "POST": frozenset({200, 303, 422})}


@dataclass
class AccessWorld:
    accounts: dict[Role, Account]
    url_values: dict[str, object]


@pytest.fixture
def world(app) -> AccessWorld:
    conference = make_conference()
    subforum = make_subforum(conference)
    accounts = {
        role: make_account(role, subforums=[subforum] if role.is_scoped else []) for role in Role
    }
    # The value of each URL parameter a dashboard rule takes, by its name; each area adds its
    # own in its section.
    url_values: dict[str, object] = {
        # program and Expo
        # program import
        # delegates
        # invitations and exhibitor applications
        # e-mail
        # exports
        # statistics
        # accounts and audit log
    }
    return AccessWorld(accounts, url_values)


def dashboard_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/dashboard")),
        key=lambda rule: rule.rule,
    )


def requests_of(app: Flask, world: AccessWorld) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every dashboard rule."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in dashboard_rules(app):
        values = {name: world.url_values[name] for name in rule.arguments}
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            found.append((rule.endpoint, method, url))
    return found


def test_every_dashboard_rule_has_a_line_in_the_table(app):
    assert sorted({rule.endpoint for rule in dashboard_rules(app)}) == sorted(EXPECTED)


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page(app, world):
    client = app.test_client()
    for endpoint, method, url in requests_of(app, world):
        response = client.open(url, method=method)
        assert (endpoint, method, response.status_code) == (endpoint, method, 302)
        assert response.location.startswith("/login?next=/dashboard")


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_gets_what_the_table_says(app, world, role):
    client = app.test_client()
    log_in(client, world.accounts[role])
    for endpoint, method, url in requests_of(app, world):
        response = client.open(url, method=method)
        if role in EXPECTED[endpoint]:
            allowed = ANSWERS.get((endpoint, method), DEFAULT_ANSWERS[method])
            assert (endpoint, method, response.status_code in allowed) == (endpoint, method, True)
        else:
            assert (endpoint, method, response.status_code) == (endpoint, method, 403)


def test_a_view_that_declares_no_permission_is_refused_to_everyone(app, world):
    app.add_url_rule("/dashboard/undeclared", "dashboard.undeclared", lambda: "secret")
    client = app.test_client()
    log_in(client, world.accounts[Role.ADMIN])

    response = client.get("/dashboard/undeclared")

    assert response.status_code == 403
    assert b"secret" not in response.data


def test_a_disabled_or_unknown_session_counts_as_signed_out(app, world):
    from wuzhen_events.accounts.services import disable_account
    from wuzhen_events.audit.actors import Actor

    organizer = world.accounts[Role.ORGANIZER]
    client = app.test_client()
    log_in(client, organizer)
    disable_account(organizer, actor=Actor.account(world.accounts[Role.ADMIN]))

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response.location == "/login?next=/dashboard/"


def test_dashboard_pages_are_never_cached_or_indexed(app, world):
    client = app.test_client()
    log_in(client, world.accounts[Role.VIEWER])

    response = client.get("/dashboard/")

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
