"""Delegates registered through the registration services, as the form or an organizer would."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import OPERATOR
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration import services, tokens
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Delegate

# The delegate of the calendar and e-mail tests; `details` alone gives Li Wei.
ADA_LOVELACE = {"name": "Ada Lovelace", "organisation": "Analytical Engines Ltd", "country": "GB"}


def details(email: str, category=DelegateCategory.ENTERPRISE, **overrides):
    fields = {
        "name": "Li Wei",
        "email": email,
        "organisation": "Demo Networks",
        "country": "CN",
        "category": category,
    }
    fields.update(overrides)
    return services.DelegateDetails(**fields)


def register(world, email: str, *subforums, email_verified=True, **overrides) -> Delegate | None:
    """A registration in `world.conference` as an organizer would make it (address known)
    unless told otherwise; None when the address was registered already."""
    code = overrides.pop("invitation_code", "")
    key = overrides.pop("submission_key", None)
    return services.register_delegate(
        world.conference,
        details(email, **overrides),
        subforums=subforums,
        invitation_code=code,
        submission_key=key,
        email_verified=email_verified,
        actor=OPERATOR,
    ).delegate


def register_ada(world, email: str, *subforums, email_verified=True, **overrides):
    """Ada Lovelace registered through the service, as the registration form does it (with the
    address confirmed unless told otherwise); answers the whole registration, links and all."""
    code = overrides.pop("invitation_code", "")
    return services.register_delegate(
        world.conference,
        details(email, **{**ADA_LOVELACE, **overrides}),
        subforums=subforums,
        invitation_code=code,
        email_verified=email_verified,
        actor=OPERATOR,
    )


def register_delegate(
    conference: Conference, email: str, *subforums: Subforum
) -> tuple[Delegate, str]:
    """A confirmed expert through the registration service, and their personal-feed token."""
    delegate = services.register_delegate(
        conference,
        details(email, DelegateCategory.EXPERT, **ADA_LOVELACE),
        subforums=subforums,
        email_verified=True,
        actor=OPERATOR,
    ).delegate
    return delegate, tokens.derive(tokens.Secret.FEED, delegate.feed_seed)


def seats_taken(subforum: Subforum) -> int:
    """The seats taken as the database counts them, not as this session remembers."""
    db.session.expire_all()
    return db.session.scalar(sa.select(Subforum.seats_taken).where(Subforum.id == subforum.id))
