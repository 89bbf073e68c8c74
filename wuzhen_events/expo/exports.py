"""The Expo as spreadsheet rows: exhibitors, and the product launches on its stages, in both
languages. Each export is its column titles and a generator of plain tuples, one query each."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference
from wuzhen_events.spreadsheets import local_time

BATCH_SIZE = 1000

EXHIBITOR_COLUMNS = (
    _l("ID"),
    _l("Company"),
    _l("Company (Chinese)"),
    _l("Sector"),
    _l("Country"),
    _l("Hall"),
    _l("Booth"),
    _l("Website"),
    _l("Launches"),
    _l("Description"),
    _l("Description (Chinese)"),
)

LAUNCH_COLUMNS = (
    _l("ID"),
    _l("Exhibitor ID"),
    _l("Company"),
    _l("Company (Chinese)"),
    _l("Hall"),
    _l("Booth"),
    _l("Product"),
    _l("Product (Chinese)"),
    _l("Stage"),
    _l("Stage (Chinese)"),
    _l("Starts at"),
    _l("Ends at"),
    _l("Description"),
    _l("Description (Chinese)"),
)


def exhibitor_rows(conference: Conference) -> Iterator[tuple]:
    """Exhibitors by hall and booth, with how many launches each holds."""
    launches = (
        sa.select(sa.func.count(ProductLaunch.id))
        .where(ProductLaunch.exhibitor_id == Exhibitor.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            Exhibitor.id,
            Exhibitor.company,
            Exhibitor.company_zh,
            Exhibitor.sector,
            Exhibitor.country,
            Exhibitor.hall,
            Exhibitor.booth,
            Exhibitor.website,
            launches,
            Exhibitor.description,
            Exhibitor.description_zh,
        )
        .where(Exhibitor.conference_id == conference.id)
        .order_by(Exhibitor.hall, Exhibitor.booth, Exhibitor.id)
    )
    result = db.session.execute(query.execution_options(yield_per=BATCH_SIZE))
    for row in result.tuples():
        yield (*row[:3], row[3].value, *row[4:])


def launch_rows(conference: Conference) -> Iterator[tuple]:
    """Launches in the order they happen, each with its exhibitor's names and booth."""
    zone = ZoneInfo(conference.timezone)
    query = (
        sa.select(
            ProductLaunch.id,
            Exhibitor.id,
            Exhibitor.company,
            Exhibitor.company_zh,
            Exhibitor.hall,
            Exhibitor.booth,
            ProductLaunch.product,
            ProductLaunch.product_zh,
            ProductLaunch.stage,
            ProductLaunch.stage_zh,
            ProductLaunch.starts_at,
            ProductLaunch.ends_at,
            ProductLaunch.description,
            ProductLaunch.description_zh,
        )
        .select_from(ProductLaunch)
        .join(Exhibitor, ProductLaunch.exhibitor_id == Exhibitor.id)
        .where(Exhibitor.conference_id == conference.id)
        .order_by(ProductLaunch.starts_at, ProductLaunch.id)
    )
    result = db.session.execute(query.execution_options(yield_per=BATCH_SIZE))
    for row in result.tuples():
        yield (*row[:10], local_time(row[10], zone), local_time(row[11], zone), *row[12:])
