"""The delegate secrets across a change of SECRET_KEY.

A delegate's hash columns hold the hashes of their three secrets as derived with the key they
were made or last renewed with. After the key changes, `renew_hashes` moves the columns to the
current key and keeps the old hashes as fallback hashes: the links sent from then on carry the
new key's secrets, and the links sent before keep working for as long as the old key is one of
SECRET_KEY_FALLBACKS (a lookup checks the seed under every key, so a fallback hash alone opens
nothing).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from wuzhen_events.extensions import db
from wuzhen_events.registration import tokens
from wuzhen_events.registration.models import Delegate, FallbackHash
from wuzhen_events.registration.tokens import Secret

# Each secret's seed and hash column.
SECRET_COLUMNS = {
    Secret.MANAGE: (Delegate.manage_seed, Delegate.manage_token_hash),
    Secret.FEED: (Delegate.feed_seed, Delegate.feed_token_hash),
    Secret.CHECKIN: (Delegate.checkin_seed, Delegate.checkin_code_hash),
}


def secret_of(delegate: Delegate, purpose: Secret) -> str:
    """The secret to put in a link, an e-mail or on a badge (see `tokens.current_secret`)."""
    seed, stored_hash = SECRET_COLUMNS[purpose]
    return tokens.current_secret(
        purpose, getattr(delegate, seed.key), getattr(delegate, stored_hash.key)
    )


def stale_hashes(delegate: Delegate) -> dict[Secret, tuple[str, str]]:
    """The secrets whose stored hash is not of the current key's secret: (stored, current).

    An erased registration has none: its hashes were made to match no secret on purpose.
    """
    if delegate.erased_at is not None:
        return {}
    stale = {}
    for purpose, (seed, stored_hash) in SECRET_COLUMNS.items():
        stored = getattr(delegate, stored_hash.key)
        current = tokens.fingerprint(tokens.derive(purpose, getattr(delegate, seed.key)))
        if stored != current:
            stale[purpose] = (stored, current)
    return stale


def renew_hashes(delegate: Delegate) -> None:
    """Move the delegate's hashes to the current key in the caller's transaction, keeping the
    old ones as fallback hashes; nothing to do (and no statement) when they are current."""
    stale = stale_hashes(delegate)
    if not stale:
        return
    columns = {purpose: SECRET_COLUMNS[purpose][1] for purpose in stale}
    # Conditional: of two transactions renewing the same delegate, the one that finds the old
    # hashes gone (the other committed) keeps no second copy of them.
    moved = db.session.execute(
        sa.update(Delegate)
        .where(
            Delegate.id == delegate.id,
            *(columns[purpose] == stored for purpose, (stored, _current) in stale.items()),
        )
        .values({columns[purpose]: current for purpose, (_stored, current) in stale.items()})
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount == 1:
        # A hash that is in a column again (the key was rotated back) is no fallback any more.
        db.session.execute(
            sa.delete(FallbackHash)
            .where(FallbackHash.token_hash.in_([current for _stored, current in stale.values()]))
            .execution_options(synchronize_session=False)
        )
        db.session.add_all(
            FallbackHash(delegate_id=delegate.id, purpose=purpose, token_hash=stored)
            for purpose, (stored, _current) in stale.items()
        )
    for purpose, (_stored, current) in stale.items():
        set_committed_value(delegate, columns[purpose].key, current)
