"""Rotating SECRET_KEY: the manage links, personal feeds and check-in codes made under the old key
keep finding their delegate while it is one of SECRET_KEY_FALLBACKS, and every link made after
the rotation uses the new key."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, reload
from tests.helpers.registration import details, register
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.sender import deliver_pending
from wuzhen_events.registration import queries, rotation, services, tokens
from wuzhen_events.registration.models import Delegate, FallbackHash
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.transactions import write

NEW_KEY = "the-new-secret-key-after-the-rotation"


@pytest.fixture
def old_key(app) -> str:
    return app.config["SECRET_KEY"]


def rotate(app, *, fallbacks: list[str]) -> None:
    app.config.update(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=fallbacks)


def secrets_under(key: str, delegate: Delegate) -> dict[Secret, str]:
    return {
        purpose: tokens.derive(purpose, getattr(delegate, f"{purpose.value}_seed"), key.encode())
        for purpose in Secret
    }


def found(secrets: dict[Secret, str]) -> dict[Secret, int | None]:
    found = {
        purpose: queries.delegate_by_secret(purpose, secret) for purpose, secret in secrets.items()
    }
    return {purpose: delegate.id if delegate else None for purpose, delegate in found.items()}


def everyone(delegate: Delegate) -> dict[Secret, int]:
    return dict.fromkeys(Secret, delegate.id)


def stored_hashes(delegate: Delegate) -> tuple[dict[Secret, str], set[tuple[Secret, str]]]:
    """The hash columns, and the fallback hashes."""
    row = reload(delegate)
    columns = {
        Secret.MANAGE: row.manage_token_hash,
        Secret.FEED: row.feed_token_hash,
        Secret.CHECKIN: row.checkin_code_hash,
    }
    fallbacks = db.session.execute(
        sa.select(FallbackHash.purpose, FallbackHash.token_hash).where(
            FallbackHash.delegate_id == delegate.id
        )
    )
    return columns, {tuple(fallback) for fallback in fallbacks}


def hashes_of(secrets: dict[Secret, str]) -> dict[Secret, str]:
    return {purpose: tokens.fingerprint(secret) for purpose, secret in secrets.items()}


@pytest.mark.parametrize(
    ("fallback", "expected"),
    [(True, "the delegate"), (False, "nobody")],
    ids=["old key a fallback", "old key dropped"],
)
def test_secrets_made_under_the_old_key_find_their_delegate_while_it_is_a_fallback(
    app, setting, old_key, fallback, expected
):
    delegate = register(setting, "li@example.com")
    old = secrets_under(old_key, delegate)

    rotate(app, fallbacks=[old_key] if fallback else [])

    assert found(old) == (everyone(delegate) if fallback else dict.fromkeys(Secret))


def test_the_old_manage_link_and_personal_feed_open_after_the_rotation(
    app, client, setting, old_key
):
    old = secrets_under(old_key, register(setting, "li@example.com", setting.economy))

    rotate(app, fallbacks=[old_key])

    assert [
        client.get(f"/me/{old[Secret.MANAGE]}/").status_code,
        client.get(f"/me/{old[Secret.MANAGE]}/badge").status_code,
        client.get(f"/calendar/me/{old[Secret.FEED]}.ics").status_code,
    ] == [200, 200, 200]


def test_after_the_rotation_the_pages_show_new_key_secrets_and_the_old_ones_still_work(
    app, client, setting, old_key
):
    delegate = register(setting, "li@example.com")
    old = secrets_under(old_key, delegate)
    rotate(app, fallbacks=[old_key])

    page = client.get(f"/me/{old[Secret.MANAGE]}/").get_data(as_text=True)
    badge = client.get(f"/me/{old[Secret.MANAGE]}/badge").get_data(as_text=True)

    new = secrets_under(NEW_KEY, delegate)
    assert re.findall(r"/calendar/me/([A-Za-z0-9_-]+)\.ics", page)[0] == new[Secret.FEED]
    assert "".join(re.findall(r"<span>([A-Za-z0-9_-]{1,4})</span>", badge)) == new[Secret.CHECKIN]
    assert stored_hashes(delegate) == (
        hashes_of(new),
        set(hashes_of(old).items()),
    )
    assert (found(new), found(old)) == (everyone(delegate), everyone(delegate))


def test_a_link_sent_after_the_rotation_is_made_with_the_new_key(app, client, setting, old_key):
    delegate = register(setting, "li@example.com")
    old = secrets_under(old_key, delegate)
    deliver_pending()  # the confirmation, with the old key's link
    rotate(app, fallbacks=[old_key])

    services.send_manage_link(setting.conference, "li@example.com")
    deliver_pending()

    new = secrets_under(NEW_KEY, reload(delegate))
    first, resent = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
    assert re.findall(r"/me/([A-Za-z0-9_-]+)/", first.text_body) == [old[Secret.MANAGE]]
    assert re.findall(r"/me/([A-Za-z0-9_-]+)/", resent.text_body) == [new[Secret.MANAGE]]
    assert [
        client.get(f"/me/{new[Secret.MANAGE]}/").status_code,
        client.get(f"/me/{old[Secret.MANAGE]}/").status_code,
    ] == [200, 200]


def test_a_registration_made_after_the_rotation_has_new_key_secrets_only(app, setting, old_key):
    rotate(app, fallbacks=[old_key])

    registration = services.register_delegate(
        setting.conference, details("li@example.com"), email_verified=True, actor=OPERATOR
    )

    new = secrets_under(NEW_KEY, registration.delegate)
    assert registration.manage_token == new[Secret.MANAGE]
    assert stored_hashes(registration.delegate) == (hashes_of(new), set())


def test_erasing_through_an_old_link_ends_every_secret_and_a_repeat_lands_on_the_erased_page(
    app, client, setting, old_key
):
    delegate = register(setting, "li@example.com")
    old = secrets_under(old_key, delegate)
    new = secrets_under(NEW_KEY, delegate)
    rotate(app, fallbacks=[old_key])

    first = client.post(f"/me/{old[Secret.MANAGE]}/erase")
    second = client.post(f"/me/{old[Secret.MANAGE]}/erase")

    assert [(r.status_code, r.headers["Location"]) for r in (first, second)] == [
        (303, "/me/erased"),
        (303, "/me/erased"),
    ]
    assert (found(old), found(new)) == (dict.fromkeys(Secret), dict.fromkeys(Secret))
    assert client.get(f"/me/{new[Secret.MANAGE]}/").status_code == 404


def test_a_renewed_feed_address_ends_the_old_keys_address_too(app, client, setting, old_key):
    delegate = register(setting, "li@example.com")
    old = secrets_under(old_key, delegate)
    rotate(app, fallbacks=[old_key])

    client.post(f"/me/{old[Secret.MANAGE]}/feed")

    renewed = secrets_under(NEW_KEY, reload(delegate))[Secret.FEED]
    assert [
        client.get(f"/calendar/me/{old[Secret.FEED]}.ics").status_code,
        client.get(f"/calendar/me/{renewed}.ics").status_code,
    ] == [404, 200]
    assert {purpose for purpose, _hash in stored_hashes(delegate)[1]} == {
        Secret.MANAGE,
        Secret.CHECKIN,
    }


def test_an_old_secret_is_found_in_two_statements_however_many_delegates(
    app, setting, old_key, query_counter
):
    delegates = [register(setting, f"delegate{n}@example.com") for n in range(5)]
    old = secrets_under(old_key, delegates[2])
    rotate(app, fallbacks=[old_key])
    services.renew_secret_hashes(reload(delegates[2]), actor=OPERATOR)  # moves the old hashes aside
    new = secrets_under(NEW_KEY, delegates[2])
    db.session.commit()

    with query_counter(db.engine) as current:
        by_new = queries.delegate_by_secret(Secret.FEED, new[Secret.FEED])
    with query_counter(db.engine) as earlier:
        by_old = queries.delegate_by_secret(Secret.FEED, old[Secret.FEED])

    assert (by_new.id, by_old.id) == (delegates[2].id, delegates[2].id)
    assert (current.count, earlier.count) == (1, 2)


def test_rotating_back_to_the_old_key_keeps_every_link_working(app, client, setting, old_key):
    delegate = register(setting, "li@example.com")
    old = secrets_under(old_key, delegate)
    new = secrets_under(NEW_KEY, delegate)
    rotate(app, fallbacks=[old_key])
    client.get(f"/me/{old[Secret.MANAGE]}/")

    app.config.update(SECRET_KEY=old_key, SECRET_KEY_FALLBACKS=[NEW_KEY])
    client.get(f"/me/{new[Secret.MANAGE]}/")

    assert stored_hashes(delegate) == (
        hashes_of(old),
        set(hashes_of(new).items()),
    )
    assert (found(new), found(old)) == (everyone(delegate), everyone(delegate))


def test_two_renewals_of_the_same_delegate_keep_one_copy_of_the_old_hashes(app, setting, old_key):
    delegate = register(setting, "li@example.com")
    old = hashes_of(secrets_under(old_key, delegate))
    rotate(app, fallbacks=[old_key])
    new = hashes_of(secrets_under(NEW_KEY, delegate))
    stale = reload(delegate)
    db.session.expunge(stale)  # still holds the old hashes, as a concurrent request's copy would
    db.session.commit()
    with db.engine.begin() as other:  # that other request renewed them a moment ago
        other.execute(
            sa.update(Delegate)
            .where(Delegate.id == delegate.id)
            .values(
                manage_token_hash=new[Secret.MANAGE],
                feed_token_hash=new[Secret.FEED],
                checkin_code_hash=new[Secret.CHECKIN],
            )
        )
        other.execute(
            sa.insert(FallbackHash),
            [
                {"delegate_id": delegate.id, "purpose": purpose, "token_hash": token_hash}
                for purpose, token_hash in old.items()
            ],
        )

    with write():
        rotation.renew_hashes(stale)

    assert stored_hashes(delegate) == (new, set(old.items()))


def test_a_waitlist_promotion_leaves_the_hashes_to_the_e_mail_it_queues(
    app, setting, old_key, query_counter
):
    # economy has one seat: the first holds it, the second waits.
    seated = register(setting, "seated@example.com", setting.economy)
    waiting = register(setting, "waiting@example.com", setting.economy)
    old = secrets_under(old_key, waiting)
    deliver_pending()
    rotate(app, fallbacks=[old_key])

    with query_counter(db.engine) as promotion:
        services.drop_subforum(reload(seated), setting.economy, actor=OPERATOR)
    hashes_after_promotion = stored_hashes(waiting)
    deliver_pending()

    new = secrets_under(NEW_KEY, reload(waiting))
    mail = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "waitlist_promotion")
    ).one()
    renewals = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "renew_secret_hashes")
    ).all()
    # Under the subforum's lock no other delegate's row is written: only the leaving one's.
    assert sum(s.lstrip().startswith("UPDATE delegates") for s in promotion.statements) == 1
    assert hashes_after_promotion == (hashes_of(old), set())
    assert re.findall(r"/me/([A-Za-z0-9_-]+)/", mail.text_body) == [new[Secret.MANAGE]]
    assert stored_hashes(waiting) == (hashes_of(new), set(hashes_of(old).items()))
    assert [(r.actor_kind.value, r.actor_id, r.delegate_id) for r in renewals] == [
        ("system", "mail-sender", waiting.id)
    ]
