"""Every rule under /dashboard/, walked with no sign-in and with each role: the table below is
the access policy, and a rule missing from it fails the walk, so none is added unprotected."""

from __future__ import annotations

from argparse import Namespace
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from flask import Flask
from werkzeug.routing import Rule

from tests.factories import OPERATOR, make_conference, make_subforum
from tests.helpers.accounts import log_in, make_account
from tests.helpers.checkin import unknown_badge_let_in_offline
from tests.helpers.registration import register
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.checkin.enums import DoorKind
from wuzhen_events.dashboard.access import requires  # noqa: F401  (the decorator under test)
from wuzhen_events.expo.applications.services import ApplicationDetails, apply_for_booth
from wuzhen_events.expo.enums import BoothSize, Sector
from wuzhen_events.program import services as program_services

EVERYONE = frozenset(Role)
ORGANIZERS = frozenset({Role.ADMIN, Role.ORGANIZER})
ADMINS = frozenset({Role.ADMIN})
PROGRAM_READERS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.SUBFORUM_HOST, Role.VIEWER})
PROGRAM_EDITORS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.SUBFORUM_HOST})
DELEGATE_READERS = PROGRAM_READERS
SEAT_MANAGERS = PROGRAM_EDITORS
EXPORTERS = PROGRAM_EDITORS
STATISTICS_READERS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.VIEWER})
# Scanning at doors: staff at the doors assigned to them, hosts at their subforums' halls.
CHECKIN = frozenset({Role.ADMIN, Role.ORGANIZER, Role.CHECKIN_STAFF, Role.SUBFORUM_HOST})
# Badges carry check-in codes and are printed at the organizers' desk: not for a subforum host
# (who has no desk of badges to hand out), a viewer or check-in staff.
BADGE_PRINTERS = ORGANIZERS
# Venues and speakers are the whole conference's: not a subforum host's lists.
WHOLE_PROGRAM_READERS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.VIEWER})

# Which roles may open each endpoint; every other role is answered 403, and a visitor who is
# not signed in is sent to the sign-in page. Each area keeps its lines in its own section.
EXPECTED: dict[str, frozenset[Role]] = {
    # overview and own account
    "dashboard.home": EVERYONE,
    "dashboard.account.index": EVERYONE,
    # program and Expo
    "dashboard.program.sessions": PROGRAM_READERS,
    "dashboard.program.new_session": PROGRAM_EDITORS,
    "dashboard.program.edit_session": PROGRAM_EDITORS,
    "dashboard.program.cancel_session": PROGRAM_EDITORS,
    "dashboard.program.delete_session": PROGRAM_EDITORS,
    "dashboard.program.notify": ORGANIZERS,
    "dashboard.program.subforums": PROGRAM_READERS,
    "dashboard.program.new_subforum": ORGANIZERS,
    "dashboard.program.edit_subforum": ORGANIZERS,
    "dashboard.program.delete_subforum": ORGANIZERS,
    "dashboard.program.venues": WHOLE_PROGRAM_READERS,
    "dashboard.program.new_venue": ORGANIZERS,
    "dashboard.program.edit_venue": ORGANIZERS,
    "dashboard.program.delete_venue": ORGANIZERS,
    "dashboard.program.speakers": WHOLE_PROGRAM_READERS,
    "dashboard.program.new_speaker": ORGANIZERS,
    "dashboard.program.edit_speaker": ORGANIZERS,
    "dashboard.program.delete_speaker": ORGANIZERS,
    "dashboard.expo.exhibitors": ORGANIZERS,
    "dashboard.expo.new_exhibitor": ORGANIZERS,
    "dashboard.expo.edit_exhibitor": ORGANIZERS,
    "dashboard.expo.delete_exhibitor": ORGANIZERS,
    "dashboard.expo.launches": ORGANIZERS,
    "dashboard.expo.new_launch": ORGANIZERS,
    "dashboard.expo.edit_launch": ORGANIZERS,
    "dashboard.expo.delete_launch": ORGANIZERS,
    # program import (a whole-conference page: not for subforum hosts)
    "dashboard.program_import.index": ORGANIZERS,
    "dashboard.program_import.confirm": ORGANIZERS,
    # delegates
    "dashboard.delegates.index": DELEGATE_READERS,
    "dashboard.delegates.detail": DELEGATE_READERS,
    "dashboard.delegates.bulk": ORGANIZERS,
    "dashboard.delegates.decide": ORGANIZERS,
    "dashboard.delegates.move_seat": SEAT_MANAGERS,
    "dashboard.delegates.promote": SEAT_MANAGERS,
    "dashboard.delegates.badges": BADGE_PRINTERS,
    "dashboard.delegates.badges_pdf": BADGE_PRINTERS,
    "dashboard.delegates.badge_pdf": BADGE_PRINTERS,
    # invitations and exhibitor applications
    "dashboard.invitations.index": ORGANIZERS,
    "dashboard.invitations.new": ORGANIZERS,
    "dashboard.invitations.upload": ORGANIZERS,
    "dashboard.applications.index": ORGANIZERS,
    "dashboard.applications.detail": ORGANIZERS,
    "dashboard.applications.approve": ORGANIZERS,
    "dashboard.applications.reject": ORGANIZERS,
    # e-mail
    "dashboard.email.index": ORGANIZERS,
    "dashboard.email.compose": ORGANIZERS,
    "dashboard.email.campaign": ORGANIZERS,
    "dashboard.email.send": ORGANIZERS,
    "dashboard.email.retry": ORGANIZERS,
    # exports
    "dashboard.exports.index": EXPORTERS,
    "dashboard.exports.delegates": EXPORTERS,
    "dashboard.exports.seats": EXPORTERS,
    "dashboard.exports.exhibitors": ORGANIZERS,
    "dashboard.exports.launches": ORGANIZERS,
    "dashboard.exports.invitations": ORGANIZERS,
    "dashboard.exports.emails": ORGANIZERS,
    # statistics
    "dashboard.statistics.index": STATISTICS_READERS,
    # check-in
    "dashboard.checkin.index": CHECKIN,
    "dashboard.checkin.door": CHECKIN,
    "dashboard.checkin.admit": CHECKIN,
    "dashboard.checkin.counts": CHECKIN,
    "dashboard.checkin.offline": CHECKIN,
    "dashboard.checkin.scans": CHECKIN,
    "dashboard.checkin.doors": ORGANIZERS,
    "dashboard.checkin.new_door": ORGANIZERS,
    "dashboard.checkin.edit_door": ORGANIZERS,
    "dashboard.checkin.delete_door": ORGANIZERS,
    "dashboard.checkin.door_staff": ORGANIZERS,
    "dashboard.checkin.devices": ORGANIZERS,
    "dashboard.checkin.new_device": ORGANIZERS,
    "dashboard.checkin.revoke_device": ORGANIZERS,
    "dashboard.checkin.conflicts": ORGANIZERS,
    "dashboard.checkin.conflict": ORGANIZERS,
    "dashboard.checkin.review_conflict": ORGANIZERS,
    # accounts and audit log
    "dashboard.accounts.index": ADMINS,
    "dashboard.accounts.new": ADMINS,
    "dashboard.accounts.edit": ADMINS,
    "dashboard.accounts.disable": ADMINS,
    "dashboard.accounts.enable": ADMINS,
    "dashboard.accounts.reset_password": ADMINS,
    "dashboard.audit.index": ORGANIZERS,
}

# A POST a role may make is answered with the page again (200 or 422 with its errors) or a
# redirect after the change (303); a GET with the page (200). Rules that answer otherwise
# (a download, a redirect) say so here.
ANSWERS: dict[tuple[str, str], frozenset[int]] = {
    # An empty POST is no JSON scan: a 400 that says so.
    ("dashboard.checkin.scans", "POST"): frozenset({400}),
}
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
    application = apply_for_booth(
        conference,
        ApplicationDetails(
            company="Demo Networks",
            sector=Sector.ARTIFICIAL_INTELLIGENCE,
            country="CN",
            contact_name="Li Wei",
            contact_email="li.wei@example.com",
            booth_size=BoothSize.SQM_9,
        ),
        actor=OPERATOR,
    )
    # The value of each URL parameter a dashboard rule takes, by its name; each area adds its
    # own in its section.
    url_values: dict[str, object] = {
        # program and Expo: rows in use, so the walk's deletes are refused and later rules
        # still find them (a session with a seat booked in its subforum, a venue it uses, its
        # speaker, an exhibitor with a launch)
        **program_world(conference, subforum),
        # program import
        # delegates: one in the host's subforum, so the host may open their page
        "delegate_id": register(
            Namespace(conference=conference), "in-scope@example.com", subforum
        ).id,
        # invitations and exhibitor applications
        "application_id": application.id,
        # e-mail
        "campaign_id": draft_campaign(conference).id,
        # exports
        "file_format": "csv",
        # statistics
        # check-in: the host's hall door, assigned to the check-in staff too, with a scan (so
        # the walk's delete is refused), a conflict to review, and a device
        **checkin_world(conference, subforum, accounts),
        # accounts and audit log
        "account_id": accounts[Role.VIEWER].id,
    }
    return AccessWorld(accounts, url_values)


def program_world(conference, subforum) -> dict[str, int]:
    from tests.factories import make_exhibitor, make_launch, make_session, make_speaker, make_venue
    from tests.helpers.registration import register

    venue = make_venue()
    speaker = make_speaker()
    session = make_session(conference, subforum=subforum, venue=venue)
    fields = {"speakers": [speaker], "actor": OPERATOR}
    program_services.update_session(session, **fields)
    register(SimpleNamespace(conference=conference), "seated@example.com", subforum)
    exhibitor = make_exhibitor(conference)
    launch = make_launch(exhibitor, conference)
    return {
        "session_id": session.id,
        "subforum_id": subforum.id,
        "venue_id": venue.id,
        "speaker_id": speaker.id,
        "exhibitor_id": exhibitor.id,
        "launch_id": launch.id,
    }


def checkin_world(conference, subforum, accounts) -> dict[str, int]:
    from wuzhen_events.checkin import services as checkin

    door = checkin.create_door(
        conference,
        checkin.DoorDetails(name="Hall door", kind=DoorKind.SUBFORUM, subforum_id=subforum.id),
        actor=OPERATOR,
    )
    checkin.assign_door_staff(door, [accounts[Role.CHECKIN_STAFF]], actor=OPERATOR)
    checkin.record_scan(door, "A" * 43, nonce="access-walk-scan", actor=OPERATOR)
    conflict = unknown_badge_let_in_offline(door, nonce="access-walk-offline")
    device, _token = checkin.create_device(
        conference, "Gate phone", [door], created_by=None, actor=OPERATOR
    )
    return {"door_id": door.id, "device_id": device.id, "scan_id": conflict.id}


def draft_campaign(conference):
    """A campaign to open, send and retry; nobody matches its filter, so sending queues none."""
    from tests.factories import OPERATOR
    from wuzhen_events.campaigns.services import CampaignDraft, create_campaign
    from wuzhen_events.registration.directory import DelegateFilter

    return create_campaign(
        conference,
        CampaignDraft("Hello {name}", "你好 {name}", "Welcome.", "欢迎。"),
        recipients=DelegateFilter(),
        subforum_ids=None,
        idempotency_key="access-walk",
        created_by=None,
        actor=OPERATOR,
    )


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
        response = client.open(url, method=method, buffered=True)  # a download is read whole
        assert (endpoint, method, response.status_code) == (endpoint, method, 302)
        assert response.location.startswith("/login?next=/dashboard")


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_gets_what_the_table_says(app, world, role):
    client = app.test_client()
    log_in(client, world.accounts[role])
    for endpoint, method, url in requests_of(app, world):
        response = client.open(url, method=method, buffered=True)  # a download is read whole
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
