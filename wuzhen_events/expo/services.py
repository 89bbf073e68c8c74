"""Every write to the Expo directory, each in its own transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import Provenance
from wuzhen_events.errors import DomainError
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference
from wuzhen_events.routing import is_valid_slug
from wuzhen_events.transactions import check_text_lengths, write

COMPANY_LIMIT = 200
PRODUCT_LIMIT = 200


class ExpoError(DomainError):
    """An Expo change that breaks a rule (taken booth, launch outside the Expo's hours)."""


def add_exhibitor(
    conference: Conference,
    *,
    actor: Actor,
    slug: str,
    company: str,
    sector: Sector,
    country: str,
    hall: str,
    booth: str,
    provenance: Provenance = Provenance.SOURCED,
    **details,
) -> Exhibitor:
    company = (company or "").strip()
    if not company or len(company) > COMPANY_LIMIT:
        raise ExpoError(
            f"A company name of 1 to {COMPANY_LIMIT} characters is required.", field="company"
        )
    # isalpha() alone accepts any script ("中国"); the column holds two ASCII letters.
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise ExpoError("The country must be a two-letter ISO code.", field="country")
    if not is_valid_slug(slug or ""):
        raise ExpoError(
            "A slug is 1 to 120 lower-case letters, digits and single hyphens.", field="slug"
        )
    if _exists(Exhibitor.slug == slug):
        raise ExpoError(f"The slug {slug!r} is already in use.", field="slug")
    if _exists(Exhibitor.hall == hall, Exhibitor.booth == booth):
        raise ExpoError(f"Booth {booth} in hall {hall} is already taken.", field="booth")
    with write(error=ExpoError):
        exhibitor = Exhibitor(
            conference_id=conference.id,
            slug=slug,
            company=company,
            sector=sector,
            country=country.upper(),
            hall=hall,
            booth=booth,
            provenance=provenance,
            **details,
        )
        check_text_lengths(exhibitor, error=ExpoError)
        db.session.add(exhibitor)
        db.session.flush()
        audit.created(actor, "add_exhibitor", exhibitor)
    return exhibitor


def schedule_launch(
    exhibitor: Exhibitor,
    conference: Conference,
    *,
    actor: Actor,
    product: str,
    starts_at: datetime,
    ends_at: datetime,
    stage: str,
    provenance: Provenance = Provenance.SOURCED,
    **details,
) -> ProductLaunch:
    product = (product or "").strip()
    if not product or len(product) > PRODUCT_LIMIT:
        raise ExpoError(
            f"A product name of 1 to {PRODUCT_LIMIT} characters is required.", field="product"
        )
    if starts_at.tzinfo is None or ends_at.tzinfo is None or ends_at <= starts_at:
        raise ExpoError("A launch must have a timezone and end after it starts.", field="ends_at")
    opens, closes = conference.expo_opens_at, conference.expo_closes_at
    if opens is not None and closes is not None and not opens <= starts_at < ends_at <= closes:
        raise ExpoError("A launch must take place while the Expo is open.", field="starts_at")
    with write(error=ExpoError):
        launch = ProductLaunch(
            exhibitor=exhibitor,
            product=product,
            starts_at=starts_at,
            ends_at=ends_at,
            stage=stage,
            provenance=provenance,
            **details,
        )
        check_text_lengths(launch, error=ExpoError)
        db.session.add(launch)
        db.session.flush()
        audit.created(actor, "schedule_launch", launch)
    return launch


def _exists(*conditions) -> bool:
    return db.session.scalar(sa.select(Exhibitor.id).where(*conditions).limit(1)) is not None
