"""Every write to the Expo directory, each in its own transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import Provenance
from wuzhen_events.errors import DomainError, _l
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference
from wuzhen_events.routing import SLUG_MESSAGE, is_valid_slug

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
            _l("A company name of 1 to %(limit)d characters is required.", limit=COMPANY_LIMIT),
            field="company",
        )
    # isalpha() alone accepts any script ("中国"); the column holds two ASCII letters.
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise ExpoError(_l("The country must be a two-letter ISO code."), field="country")
    if not is_valid_slug(slug or ""):
        raise ExpoError(SLUG_MESSAGE, field="slug")
    if _exists(Exhibitor.slug == slug):
        raise ExpoError(_l("The slug '%(slug)s' is already in use.", slug=slug), field="slug")
    if _exists(Exhibitor.hall == hall, Exhibitor.booth == booth):
        raise ExpoError(
            _l("Booth %(booth)s in hall %(hall)s is already taken.", booth=booth, hall=hall),
            field="booth",
        )
    return audit.create(
        Exhibitor,
        actor=actor,
        action="add_exhibitor",
        error=ExpoError,
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
            _l("A product name of 1 to %(limit)d characters is required.", limit=PRODUCT_LIMIT),
            field="product",
        )
    if starts_at.tzinfo is None or ends_at.tzinfo is None or ends_at <= starts_at:
        raise ExpoError(
            _l("A launch must have a timezone and end after it starts."), field="ends_at"
        )
    opens, closes = conference.expo_opens_at, conference.expo_closes_at
    if opens is not None and closes is not None and not opens <= starts_at < ends_at <= closes:
        raise ExpoError(_l("A launch must take place while the Expo is open."), field="starts_at")
    return audit.create(
        ProductLaunch,
        actor=actor,
        action="schedule_launch",
        error=ExpoError,
        exhibitor=exhibitor,
        product=product,
        starts_at=starts_at,
        ends_at=ends_at,
        stage=stage,
        provenance=provenance,
        **details,
    )


def _exists(*conditions) -> bool:
    return db.session.scalar(sa.select(Exhibitor.id).where(*conditions).limit(1)) is not None
