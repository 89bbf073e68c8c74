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


# --- the organizers' changes (the dashboard's Expo area) -------------------------------------

# Slugs stay: public exhibitor pages are linked by them.
EXHIBITOR_FIELDS = frozenset(
    {
        "company",
        "company_zh",
        "sector",
        "country",
        "hall",
        "booth",
        "website",
        "description",
        "description_zh",
    }
)
LAUNCH_FIELDS = frozenset(
    {
        "product",
        "product_zh",
        "description",
        "description_zh",
        "starts_at",
        "ends_at",
        "stage",
        "stage_zh",
    }
)


def update_exhibitor(exhibitor: Exhibitor, *, actor: Actor, **fields) -> Exhibitor:
    _only(fields, EXHIBITOR_FIELDS)
    if "company" in fields:
        fields["company"] = _company(fields["company"])
    if "country" in fields:
        fields["country"] = _country(fields["country"])
    hall, booth = fields.get("hall", exhibitor.hall), fields.get("booth", exhibitor.booth)
    if _exists(Exhibitor.hall == hall, Exhibitor.booth == booth, Exhibitor.id != exhibitor.id):
        raise ExpoError(
            _l("Booth %(booth)s in hall %(hall)s is already taken.", booth=booth, hall=hall),
            field="booth",
        )
    return _update(exhibitor, fields, actor=actor, action="update_exhibitor")


def delete_exhibitor(exhibitor: Exhibitor, *, actor: Actor) -> None:
    """An exhibitor with launches on the program keeps them: delete those first."""
    with write(error=ExpoError):
        launches = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ProductLaunch)
            .where(ProductLaunch.exhibitor_id == exhibitor.id)
        )
        if launches:
            raise ExpoError(
                _l(
                    "This exhibitor still has product launches (%(count)d): delete them first.",
                    count=launches,
                )
            )
        _delete(exhibitor, actor=actor, action="delete_exhibitor")


def update_launch(launch: ProductLaunch, conference: Conference, *, actor: Actor, **fields):
    _only(fields, LAUNCH_FIELDS)
    if "product" in fields:
        fields["product"] = _product(fields["product"])
    _check_launch_times(
        fields.get("starts_at", launch.starts_at), fields.get("ends_at", launch.ends_at), conference
    )
    return _update(launch, fields, actor=actor, action="update_launch")


def delete_launch(launch: ProductLaunch, *, actor: Actor) -> None:
    with write(error=ExpoError):
        _delete(launch, actor=actor, action="delete_launch")


def _company(company: str) -> str:
    company = (company or "").strip()
    if not company or len(company) > COMPANY_LIMIT:
        raise ExpoError(
            _l("A company name of 1 to %(limit)d characters is required.", limit=COMPANY_LIMIT),
            field="company",
        )
    return company


def _country(country: str) -> str:
    # isalpha() alone accepts any script ("中国"); the column holds two ASCII letters.
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise ExpoError(_l("The country must be a two-letter ISO code."), field="country")
    return country.upper()


def _product(product: str) -> str:
    product = (product or "").strip()
    if not product or len(product) > PRODUCT_LIMIT:
        raise ExpoError(
            _l("A product name of 1 to %(limit)d characters is required.", limit=PRODUCT_LIMIT),
            field="product",
        )
    return product


def _check_launch_times(starts_at: datetime, ends_at: datetime, conference: Conference) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None or ends_at <= starts_at:
        raise ExpoError(
            _l("A launch must have a timezone and end after it starts."), field="ends_at"
        )
    opens, closes = conference.expo_opens_at, conference.expo_closes_at
    if opens is not None and closes is not None and not opens <= starts_at < ends_at <= closes:
        raise ExpoError(_l("A launch must take place while the Expo is open."), field="starts_at")


def _update(row, fields: dict, *, actor: Actor, action: str):
    with write(error=ExpoError):
        before = audit.snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        check_text_lengths(row, error=ExpoError)
        db.session.flush()
        audit.changed(actor, action, row, before)
    return row


def _delete(row, *, actor: Actor, action: str) -> None:
    before = audit.snapshot(row)
    table, row_id = type(row).__tablename__, row.id
    db.session.delete(row)
    db.session.flush()
    audit.removed(actor, action, table, row_id, before)


def _only(fields: dict, allowed: frozenset[str]) -> None:
    unknown = fields.keys() - allowed
    if unknown:
        raise TypeError(f"Not changeable here: {sorted(unknown)}")
