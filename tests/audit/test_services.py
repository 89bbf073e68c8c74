"""The audit trail: every service that changes data names its actor and leaves an entry with
the values before and after, never a secret; erasure blanks personal values, keeps the facts."""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR, fresh, reload, utc
from tests.helpers import frab
from tests.helpers.accounts import make_account
from tests.helpers.checkin import unknown_badge_let_in_offline
from tests.helpers.registration import details
from wuzhen_events.accounts import services as accounts
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.actors import Actor
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.campaigns import services as campaign_services
from wuzhen_events.checkin import services as checkin_services
from wuzhen_events.checkin.enums import DoorKind
from wuzhen_events.expo import services as expo_services
from wuzhen_events.expo.applications import services as expo_applications
from wuzhen_events.expo.enums import BoothSize, Sector
from wuzhen_events.extensions import db
from wuzhen_events.mail import services as mail_services
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.outbox import queue_message
from wuzhen_events.program import imports as program_imports
from wuzhen_events.program import services as program_services
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Delegate, Invitation

NOW = datetime(2018, 10, 20, 8, 0, tzinfo=UTC)
STAMP = NOW.isoformat()

SERVICE_MODULES = (
    accounts,
    registration,
    program_services,
    program_imports,
    expo_services,
    expo_applications,
    mail_services,
    campaign_services,
    checkin_services,
)

# Public functions of those modules that are not services changing data.
NOT_SERVICES = {
    "normalise_email": "compares addresses; writes nothing",
    "erased_email": "names an erased address; writes nothing",
    "company_key": "hashes a company name; writes nothing",
    "is_web_address": "checks a URL; writes nothing",
    # The outbox row it may add is the trace, and the address asked for may be nobody's.
    "send_manage_link": "queues an e-mail to an address's owner, changes no registration",
    "normalise_code": "cleans a typed or scanned badge code; writes nothing",
    "has_started": "reads whether a subforum's session began; writes nothing",
    "device_by_token": "finds a scanner device by its token; writes nothing",
}


def public_functions() -> dict[str, object]:
    found = {}
    for module in SERVICE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found[name] = function
    return {name: f for name, f in found.items() if name not in NOT_SERVICES}


# --- a world every service can change ------------------------------------------------------------


@dataclass
class World:
    conference: object
    subforum: object
    session: object
    delegate: Delegate
    pending: Delegate
    exhibitor: object
    application: object


@pytest.fixture
def world(app) -> World:
    app.config["FROZEN_NOW"] = NOW
    conference = factories.make_conference()
    subforum = factories.make_subforum(conference, slug="fintech", title="Fintech", capacity=2)
    session = factories.make_session(
        conference, subforum=subforum, starts_at=utc(8, 1), ends_at=utc(8, 3)
    )
    delegate = registration.register_delegate(
        conference,
        details("ada@example.com"),
        subforums=[subforum],
        email_verified=False,
        actor=OPERATOR,
    ).delegate
    pending = registration.register_delegate(
        conference,
        details("envoy@example.org", category=DelegateCategory.GOVERNMENT),
        actor=OPERATOR,
    ).delegate
    exhibitor = factories.make_exhibitor(conference)
    application = expo_applications.apply_for_booth(
        conference, application_details(), actor=OPERATOR
    )
    message = queue_message(
        kind="notice", recipient="x@example.com", subject="s", text_body="t", html_body=""
    )
    message.status, message.failed_at = OutboxStatus.FAILED, NOW
    db.session.commit()
    return World(conference, subforum, session, delegate, pending, exhibitor, application)


def application_details(**overrides) -> expo_applications.ApplicationDetails:
    fields = {
        "company": "Cloud Rise Technologies",
        "sector": Sector.CLOUD_BIG_DATA,
        "country": "CN",
        "contact_name": "Zhang Min",
        "contact_email": "zhang.min@example.com",
        "booth_size": BoothSize.SQM_9,
    }
    fields.update(overrides)
    return expo_applications.ApplicationDetails(**fields)


SCENARIOS = {
    "register_delegate": lambda w, a: registration.register_delegate(
        w.conference, details("new@example.com"), actor=a
    ),
    "verify_email": lambda w, a: registration.verify_email(fresh(w.delegate), actor=a),
    "release_expired_holds": lambda w, a: registration.release_expired_holds(
        now=NOW + timedelta(days=30), actor=a
    ),
    "approve_delegate": lambda w, a: registration.approve_delegate(fresh(w.pending), actor=a),
    "reject_delegate": lambda w, a: registration.reject_delegate(fresh(w.pending), actor=a),
    "reset_to_pending": lambda w, a: registration.reset_to_pending(fresh(w.delegate), actor=a),
    "move_seat": lambda w, a: registration.move_seat(
        fresh(w.delegate),
        fresh(w.subforum),
        factories.make_subforum(fresh(w.conference), capacity=5),
        actor=a,
    ),
    "promote_waitlisted": lambda w, a: promote_by_hand(w, a),
    "add_subforum": lambda w, a: registration.add_subforum(
        fresh(w.pending), fresh(w.subforum), actor=a
    ),
    "drop_subforum": lambda w, a: registration.drop_subforum(
        fresh(w.delegate), fresh(w.subforum), actor=a
    ),
    "cancel_registration": lambda w, a: registration.cancel_registration(
        fresh(w.delegate), actor=a
    ),
    "update_details": lambda w, a: registration.update_details(
        fresh(w.delegate), details("ada@example.com", name="Ada King"), actor=a
    ),
    "star_session": lambda w, a: registration.star_session(
        fresh(w.delegate), fresh(w.session), actor=a
    ),
    "unstar_session": lambda w, a: (
        registration.star_session(fresh(w.delegate), fresh(w.session), actor=OPERATOR),
        registration.unstar_session(fresh(w.delegate), fresh(w.session), actor=a),
    ),
    "renew_feed_token": lambda w, a: registration.renew_feed_token(fresh(w.delegate), actor=a),
    "renew_secret_hashes": lambda w, a: renew_after_rotation(w, a),
    "create_invitation": lambda w, a: registration.create_invitation(
        w.conference, email="envoy2@example.org", category=DelegateCategory.GOVERNMENT, actor=a
    ),
    "close_category": lambda w, a: registration.close_category(
        w.conference, DelegateCategory.MEDIA, actor=a
    ),
    "open_category": lambda w, a: (
        registration.close_category(w.conference, DelegateCategory.MEDIA, actor=OPERATOR),
        registration.open_category(w.conference, DelegateCategory.MEDIA, actor=a),
    ),
    "erase_registration": lambda w, a: registration.erase_registration(fresh(w.delegate), actor=a),
    "create_conference": lambda w, a: factories.make_conference(slug="wic2019", actor=a),
    "create_venue": lambda w, a: factories.make_venue(actor=a),
    "create_topic": lambda w, a: factories.make_topic(actor=a),
    "create_subforum": lambda w, a: factories.make_subforum(fresh(w.conference), actor=a),
    "create_speaker": lambda w, a: factories.make_speaker(actor=a),
    "schedule_session": lambda w, a: factories.make_session(fresh(w.conference), actor=a),
    "reschedule_session": lambda w, a: program_services.reschedule_session(
        fresh(w.session), starts_at=utc(8, 2), ends_at=utc(8, 4), actor=a
    ),
    "cancel_session": lambda w, a: program_services.cancel_session(fresh(w.session), actor=a),
    "import_schedule": lambda w, a: program_imports.import_schedule(
        frab.xml(frab.TWO_TALKS), conference=fresh(w.conference), actor=a
    ),
    "add_exhibitor": lambda w, a: factories.make_exhibitor(fresh(w.conference), actor=a),
    "schedule_launch": lambda w, a: factories.make_launch(
        fresh(w.exhibitor), fresh(w.conference), actor=a
    ),
    "apply_for_booth": lambda w, a: expo_applications.apply_for_booth(
        fresh(w.conference), application_details(company="Nokia"), actor=a
    ),
    "approve_application": lambda w, a: expo_applications.approve_application(
        fresh(w.application), actor=a
    ),
    "reject_application": lambda w, a: expo_applications.reject_application(
        fresh(w.application), "No room left.", actor=a
    ),
    "requeue_failed_messages": lambda w, a: mail_services.requeue_failed_messages(actor=a),
    "create_account": lambda w, a: accounts.create_account(
        accounts.AccountDetails("new@organizers.example", "New", Role.VIEWER),
        "a long enough passphrase",
        actor=a,
    ),
    "update_account": lambda w, a: accounts.update_account(
        make_account(Role.VIEWER),
        accounts.AccountDetails("renamed@organizers.example", "Renamed", Role.ORGANIZER),
        actor=a,
    ),
    "disable_account": lambda w, a: accounts.disable_account(make_account(Role.VIEWER), actor=a),
    "enable_account": lambda w, a: accounts.enable_account(
        accounts.disable_account(make_account(Role.VIEWER), actor=OPERATOR), actor=a
    ),
    "change_password": lambda w, a: accounts.change_password(
        make_account(Role.VIEWER, password="the old passphrase"),
        "the old passphrase",
        "the new passphrase",
        actor=a,
    ),
    "reset_password": lambda w, a: accounts.reset_password(
        make_account(Role.VIEWER), "a reset passphrase", actor=a
    ),
    "record_login": lambda w, a: accounts.record_login(make_account(Role.VIEWER), actor=a),
    # the organizers' edits (the dashboard's program and Expo areas)
    "update_venue": lambda w, a: program_services.update_venue(
        factories.make_venue(), hall="Hall Z", actor=a
    ),
    "delete_venue": lambda w, a: program_services.delete_venue(factories.make_venue(), actor=a),
    "update_subforum": lambda w, a: program_services.update_subforum(
        fresh(w.subforum), capacity=3, actor=a
    ),
    "delete_subforum": lambda w, a: program_services.delete_subforum(
        factories.make_subforum(fresh(w.conference)), actor=a
    ),
    "update_speaker": lambda w, a: program_services.update_speaker(
        factories.make_speaker(), name_zh="马化腾", actor=a
    ),
    "delete_speaker": lambda w, a: program_services.delete_speaker(
        factories.make_speaker(), actor=a
    ),
    "update_session": lambda w, a: program_services.update_session(
        fresh(w.session), title_zh="金融科技", actor=a
    ),
    "delete_session": lambda w, a: program_services.delete_session(
        factories.make_session(fresh(w.conference)), actor=a
    ),
    "update_exhibitor": lambda w, a: expo_services.update_exhibitor(
        fresh(w.exhibitor), company_zh="搜狗", actor=a
    ),
    "delete_exhibitor": lambda w, a: expo_services.delete_exhibitor(
        factories.make_exhibitor(fresh(w.conference)), actor=a
    ),
    "update_launch": lambda w, a: expo_services.update_launch(
        factories.make_launch(fresh(w.exhibitor), fresh(w.conference)),
        fresh(w.conference),
        stage="Stage B",
        actor=a,
    ),
    "delete_launch": lambda w, a: expo_services.delete_launch(
        factories.make_launch(fresh(w.exhibitor), fresh(w.conference)), actor=a
    ),
    "serve_waitlist": lambda w, a: serve_after_raising_capacity(w, a),
    "notify_session_change": lambda w, a: registration.notify_session_change(
        fresh(w.session), sequence=0, actor=a
    ),
    "create_campaign": lambda w, a: make_campaign(w, a),
    "queue_campaign": lambda w, a: campaign_services.queue_campaign(
        make_campaign(w, OPERATOR).id, actor=a
    ),
    "retry_failed_campaign_messages": lambda w, a: retry_a_failed_campaign(w, a),
    "seat_walk_in": lambda w, a: walk_in(w, a),
    "record_scan": lambda w, a: checkin_services.record_scan(
        make_door(w), "A" * 43, nonce="audit-scan-nonce", actor=a
    ),
    "create_door": lambda w, a: checkin_services.create_door(
        fresh(w.conference), checkin_services.DoorDetails(name="North Gate"), actor=a
    ),
    "update_door": lambda w, a: checkin_services.update_door(
        make_door(w), checkin_services.DoorDetails(name="West Gate"), actor=a
    ),
    "delete_door": lambda w, a: checkin_services.delete_door(make_door(w), actor=a),
    "assign_door_staff": lambda w, a: checkin_services.assign_door_staff(
        make_door(w), [make_account(Role.CHECKIN_STAFF)], actor=a
    ),
    "create_device": lambda w, a: checkin_services.create_device(
        fresh(w.conference), "Gate phone", [make_door(w)], created_by=None, actor=a
    ),
    "revoke_device": lambda w, a: checkin_services.revoke_device(
        checkin_services.create_device(
            fresh(w.conference), "Gate phone", [make_door(w)], created_by=None, actor=OPERATOR
        )[0],
        actor=a,
    ),
    "review_conflict": lambda w, a: checkin_services.review_conflict(
        unknown_badge_let_in_offline(make_door(w), nonce="audit-conflict-nonce"),
        "Checked with the delegate.",
        actor=a,
    ),
}


def promote_by_hand(world: World, actor: Actor) -> None:
    """An organizer seats the waiting delegate in the seat added after the subforum filled."""
    waiting = fill_and_add_a_seat(world)
    registration.promote_waitlisted(fresh(waiting), fresh(world.subforum), actor=actor)


def serve_after_raising_capacity(world: World, actor: Actor) -> None:
    fill_and_add_a_seat(world)
    registration.serve_waitlist(fresh(world.subforum), actor=actor)


def fill_and_add_a_seat(world: World) -> Delegate:
    """Two more fill the two seats' subforum, the third waits, then a third seat is added."""
    for email in ("b@example.com", "c@example.com"):
        registration.register_delegate(
            fresh(world.conference),
            details(email),
            subforums=[fresh(world.subforum)],
            email_verified=True,
            actor=OPERATOR,
        )
    waiting = db.session.scalar(sa.select(Delegate).where(Delegate.email == "c@example.com"))
    db.session.execute(
        sa.update(type(world.subforum))
        .where(type(world.subforum).id == world.subforum.id)
        .values(capacity=3)
    )
    db.session.commit()
    return waiting


def make_door(world: World):
    return fresh(
        checkin_services.create_door(
            fresh(world.conference),
            checkin_services.DoorDetails(
                name="Fintech hall", kind=DoorKind.SUBFORUM, subforum_id=world.subforum.id
            ),
            actor=OPERATOR,
        )
    )


def walk_in(world: World, actor: Actor):
    """A waiting delegate at the hall door takes the seat added after the subforum filled."""
    waiting = fill_and_add_a_seat(world)
    return registration.seat_walk_in(fresh(waiting), fresh(world.subforum), actor=actor)


def make_campaign(world: World, actor: Actor):
    from wuzhen_events.registration.directory import DelegateFilter

    return campaign_services.create_campaign(
        fresh(world.conference),
        campaign_services.CampaignDraft("News", "新闻", "Dear {name}", "{name}，您好"),
        recipients=DelegateFilter(),
        subforum_ids=None,
        idempotency_key=f"audit-{actor.ident}",
        created_by=None,
        actor=actor,
    )


def retry_a_failed_campaign(world: World, actor: Actor) -> None:
    campaign = make_campaign(world, OPERATOR)
    campaign_services.queue_campaign(campaign.id, actor=OPERATOR)
    db.session.execute(
        sa.update(mail_services.OutboxMessage)
        .where(mail_services.OutboxMessage.kind == "campaign")
        .values(status=OutboxStatus.FAILED)
    )
    db.session.commit()
    campaign_services.retry_failed_campaign_messages(fresh(campaign), actor=actor)


def renew_after_rotation(world: World, actor: Actor) -> None:
    world.delegate = fresh(world.delegate)
    world.delegate.feed_token_hash = "0" * 64  # as if made under an earlier key
    db.session.commit()
    registration.renew_secret_hashes(fresh(world.delegate), actor=actor)


def entries(**where) -> list[AuditEntry]:
    db.session.rollback()
    query = sa.select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def trail(table: str, object_id) -> list[tuple]:
    return [
        (e.actor_label, e.action, e.fields, e.before, e.after)
        for e in entries(object_type=table, object_id=str(object_id))
    ]


# --- every service ---------------------------------------------------------------------------


def test_every_service_that_changes_data_is_covered_here():
    assert sorted(public_functions()) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", sorted(public_functions()))
def test_every_service_takes_a_keyword_only_actor(name):
    parameter = inspect.signature(public_functions()[name]).parameters.get("actor")

    assert (parameter is not None and parameter.kind) == inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is inspect.Parameter.empty


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_service_that_changes_data_writes_an_entry_by_its_actor(world, name):
    actor = Actor.cli("auditor")

    SCENARIOS[name](world, actor)

    assert [e.action for e in entries(actor_id="auditor")][:1] == [name]


# --- exact entries ---------------------------------------------------------------------------


def test_a_public_registration_records_the_delegate_and_seat_without_secrets(world):
    registration.register_delegate(
        world.conference,
        details("li@example.com", name="Li Wei"),
        subforums=[world.subforum],
        email_verified=True,
        actor=Actor.public(),
    )
    delegate = db.session.scalar(sa.select(Delegate).filter_by(email="li@example.com"))

    made = entries(action="register_delegate", actor_kind="public")

    assert [(e.object_type, e.object_id, e.before) for e in made] == [
        ("delegates", str(delegate.id), None),
        ("seat_bookings", str(delegate.seats[0].id), None),
    ]
    assert made[0].after == {
        "approved_at": STAMP,
        "cancelled_at": None,
        "category": "enterprise",
        "checked_in_at": None,
        "conference_id": world.conference.id,
        "country": "CN",
        "email": "li@example.com",
        "email_verified_at": STAMP,
        "erased_at": None,
        "job_title": "",
        "locale": "en",
        "name": "Li Wei",
        "name_zh": "",
        "organisation": "Demo Networks",
        "status": "confirmed",
    }
    assert "manage_seed" in made[0].fields and "manage_seed" not in made[0].after
    assert made[1].after == {
        "confirmed_at": STAMP,
        "delegate_id": delegate.id,
        "held_until": None,
        "status": "confirmed",
        "subforum_id": world.subforum.id,
    }


def test_verifying_the_address_confirms_held_seats_by_the_delegate(world):
    booking = reload(world.delegate).seats[0]
    held_until = reload(booking).held_until.isoformat()
    actor = Actor.delegate(world.delegate)

    registration.verify_email(fresh(world.delegate), actor=actor)

    assert trail("delegates", world.delegate.id)[-1] == (
        f"delegate:{world.delegate.id}",
        "verify_email",
        ["email_verified_at"],
        {"email_verified_at": None},
        {"email_verified_at": STAMP},
    )
    assert trail("seat_bookings", booking.id)[-1] == (
        f"delegate:{world.delegate.id}",
        "verify_email",
        ["confirmed_at", "held_until", "status"],
        {"confirmed_at": None, "held_until": held_until, "status": "held"},
        {"confirmed_at": STAMP, "held_until": None, "status": "confirmed"},
    )


def test_dropping_a_seat_records_it_and_the_waitlist_promotion_as_the_system(world):
    seated = registration.register_delegate(
        world.conference,
        details("bo@example.com"),
        subforums=[world.subforum],
        email_verified=True,
        actor=OPERATOR,
    ).delegate
    waiting = registration.register_delegate(
        world.conference,
        details("cy@example.com"),
        subforums=[world.subforum],
        email_verified=True,
        actor=OPERATOR,
    ).delegate
    seat, place = reload(seated).seats[0].id, reload(waiting).seats[0].id

    registration.drop_subforum(fresh(seated), fresh(world.subforum), actor=Actor.delegate(seated))

    assert trail("seat_bookings", seat)[-1] == (
        f"delegate:{seated.id}",
        "drop_subforum",
        ["confirmed_at", "delegate_id", "held_until", "status", "subforum_id"],
        {
            "confirmed_at": STAMP,
            "delegate_id": seated.id,
            "held_until": None,
            "status": "confirmed",
            "subforum_id": world.subforum.id,
        },
        None,
    )
    assert trail("seat_bookings", place)[-1] == (
        "system:waitlist",
        "promote_from_waitlist",
        ["confirmed_at", "status"],
        {"confirmed_at": None, "status": "waitlisted"},
        {"confirmed_at": STAMP, "status": "confirmed"},
    )


def test_cancelling_records_the_status_by_the_delegate(world):
    actor = Actor.delegate(world.delegate)

    registration.cancel_registration(fresh(world.delegate), actor=actor)

    assert trail("delegates", world.delegate.id)[-1] == (
        f"delegate:{world.delegate.id}",
        "cancel_registration",
        ["cancelled_at", "status"],
        {"cancelled_at": None, "status": "confirmed"},
        {"cancelled_at": STAMP, "status": "cancelled"},
    )


def test_approving_records_the_operator_and_the_status(world):
    registration.approve_delegate(fresh(world.pending), actor=Actor.cli("ops"))

    assert trail("delegates", world.pending.id)[-1] == (
        "cli:ops",
        "approve_delegate",
        ["approved_at", "status"],
        {"approved_at": None, "status": "pending"},
        {"approved_at": STAMP, "status": "confirmed"},
    )


def test_an_invitation_is_recorded_without_its_code_or_hash(world):
    invitation, _code = registration.create_invitation(
        world.conference,
        email="minister@example.org",
        category=DelegateCategory.GOVERNMENT,
        actor=Actor.cli("ops"),
    )

    [entry] = trail("invitations", invitation.id)
    assert entry == (
        "cli:ops",
        "create_invitation",
        [
            "category",
            "code_hash",
            "conference_id",
            "delegate_id",
            "email",
            "expires_at",
            "used_at",
        ],
        None,
        {
            "category": "government",
            "conference_id": world.conference.id,
            "delegate_id": None,
            "email": "minister@example.org",
            "expires_at": None,
            "used_at": None,
        },
    )


def test_an_application_review_records_the_decision(world):
    expo_applications.reject_application(
        fresh(world.application), "No room left.", actor=Actor.cli("ops")
    )

    assert trail("exhibitor_applications", world.application.id)[-1] == (
        "cli:ops",
        "reject_application",
        ["decided_at", "decision_note", "status"],
        {"decided_at": None, "decision_note": "", "status": "applied"},
        {"decided_at": STAMP, "decision_note": "No room left.", "status": "rejected"},
    )


# --- secrets and erasure ---------------------------------------------------------------------


def test_no_entry_holds_a_secret_seed_or_hash(world):
    registration.renew_feed_token(fresh(world.delegate), actor=OPERATOR)
    _invitation, code = registration.create_invitation(
        world.conference,
        email="minister@example.gov",
        category=DelegateCategory.GOVERNMENT,
        actor=OPERATOR,
    )
    invited = registration.register_delegate(
        world.conference,
        details("minister@example.gov", category=DelegateCategory.GOVERNMENT),
        invitation_code=code,
        actor=Actor.public(),
    )
    registration.erase_registration(fresh(world.pending), actor=OPERATOR)
    db.session.rollback()
    secrets = [invited.manage_token, code]
    for delegate in db.session.scalars(sa.select(Delegate)):
        secrets += [
            delegate.manage_seed,
            delegate.feed_seed,
            delegate.checkin_seed,
            delegate.manage_token_hash,
            delegate.feed_token_hash,
            delegate.checkin_code_hash,
        ]
    secrets += db.session.scalars(sa.select(Invitation.code_hash)).all()

    stored = json.dumps([(e.before, e.after, e.note) for e in entries()])
    assert [secret for secret in secrets if secret in stored] == []
    assert len(secrets) == 2 + 6 * 3 + 1


def test_erasure_blanks_personal_values_and_keeps_every_entry(world):
    registration.update_details(
        fresh(world.delegate), details("ada@example.com", name="Ada King"), actor=OPERATOR
    )
    before = [(e.id, e.action, e.fields) for e in entries(delegate_id=world.delegate.id)]

    registration.erase_registration(fresh(world.delegate), actor=Actor.delegate(world.delegate))

    after = entries(delegate_id=world.delegate.id)
    assert [(e.id, e.action, e.fields) for e in after][: len(before)] == before
    assert [(e.object_type, e.action) for e in after][len(before) :] == [
        ("seat_bookings", "erase_registration"),
        ("delegates", "erase_registration"),
    ]
    update = next(e for e in after if e.action == "update_details")
    assert (update.before, update.after) == ({"name": ""}, {"name": ""})
    made = after[0]
    assert (made.action, made.after["email"], made.after["country"]) == (
        "register_delegate",
        "",
        "CN",
    )
    stored = json.dumps([(e.before, e.after) for e in entries()])
    assert ("ada@example.com" in stored, "Ada King" in stored, "Li Wei" in stored) == (
        False,
        False,
        True,  # another delegate's name (the pending envoy's) is theirs to keep
    )


def test_erasure_blanks_the_address_an_invitation_was_sent_to_before_they_registered(world):
    invitation, code = registration.create_invitation(
        world.conference,
        email="minister@example.gov",
        category=DelegateCategory.GOVERNMENT,
        actor=OPERATOR,
    )
    invited = registration.register_delegate(
        world.conference,
        details("minister@example.gov", category=DelegateCategory.GOVERNMENT),
        invitation_code=code,
        actor=Actor.public(),
    ).delegate

    registration.erase_registration(fresh(invited), actor=Actor.delegate(invited))

    made = entries(object_type="invitations", object_id=str(invitation.id))[0]
    assert (made.action, made.after["email"]) == ("create_invitation", "")
    assert "minister@example.gov" not in json.dumps([(e.before, e.after) for e in entries()])


def test_account_entries_name_the_password_change_and_never_hold_a_hash(world):
    holder = make_account(Role.SUBFORUM_HOST, subforums=[world.subforum], password="old phrase!!")

    accounts.reset_password(fresh(holder), "new passphrase!", actor=Actor.cli("admin"))

    made, scope, reset = trail("accounts", holder.id)
    assert made[1:3] == (
        "create_account",
        [
            "active",
            "email",
            "last_login_at",
            "login_epoch",
            "name",
            "password_changed_at",
            "password_hash",
            "role",
        ],
    )
    assert sorted(made[4]) == [
        "active",
        "email",
        "last_login_at",
        "name",
        "password_changed_at",
        "role",
    ]
    assert scope == (
        "cli:tests",
        "create_account",
        ["subforum_ids"],
        {"subforum_ids": []},
        {"subforum_ids": [world.subforum.id]},
    )
    assert reset[:3] == (
        "cli:admin",
        "reset_password",
        ["login_epoch", "password_changed_at", "password_hash"],
    )
    assert (list(reset[3]), list(reset[4])) == (["password_changed_at"], ["password_changed_at"])
