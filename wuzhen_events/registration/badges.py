"""The badge's QR code and printed badges: they carry only the check-in code, which grants no
edit rights.

Only confirmed delegates have a badge: a pending registration may still be declined and a
cancelled or declined one admits nobody, so a bulk file leaves them out (and says how many)
and a single badge of one is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import segno
import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import Markup

from wuzhen_events.errors import DomainError, _l
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference
from wuzhen_events.registration import tokens
from wuzhen_events.registration.badge_pdf import (
    LAYOUTS,
    QR_PREFIX,
    Badge,
    Event,
    Layout,
    event_of,
    render_badges,
)
from wuzhen_events.registration.directory import DelegateFilter, delegate_conditions, delegate_query
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus
from wuzhen_events.registration.models import Delegate
from wuzhen_events.registration.tokens import Secret

# More badges than a conference of 1,500 needs, with room; a larger file is asked for by parts.
BADGE_LIMIT = 3000
PDF_CONTENT_TYPE = "application/pdf"


def badge_qr_svg(checkin_code: str) -> Markup:
    """Inline SVG (no script, no external file), so the badge prints from the page alone."""
    code = segno.make(f"{QR_PREFIX}{checkin_code}", error="m", micro=False)
    return Markup(code.svg_inline(scale=5, dark="#000000", light="#ffffff", title="Check-in code"))


def layout_named(key: str | None) -> Layout:
    """The layout a request names (A6 when it names none), or a domain error."""
    layout = LAYOUTS.get(key or "a6")
    if layout is None:
        raise DomainError(
            _l(
                "Unknown badge layout “%(layout)s”: choose A6, 4 × 3 in, or an A4 sheet.",
                layout=(key or "")[:40],
            )
        )
    return layout


@dataclass(frozen=True)
class BadgeCount:
    printed: int  # confirmed delegates the filter finds
    left_out: int  # the others it finds: pending, cancelled, not approved


def badge_count(
    conference_id: int, wanted: DelegateFilter, *, subforum_ids: Collection[int] | None = None
) -> BadgeCount:
    """How many badges the filter gives and how many of its delegates get none, in one query."""
    confirmed = Delegate.status == DelegateStatus.CONFIRMED
    query = sa.select(
        sa.func.count(sa.case((confirmed, 1))), sa.func.count(sa.case((~confirmed, 1)))
    ).where(Delegate.conference_id == conference_id)
    for condition in delegate_conditions(wanted, subforum_ids=subforum_ids):
        query = query.where(condition)
    printed, left_out = db.session.execute(query).one()
    return BadgeCount(printed, left_out)


def delegate_badge_pdf(conference: Conference, delegate: Delegate, layout: Layout) -> bytes:
    """One delegate's badge; refused for a registration that is not confirmed."""
    if delegate.status is not DelegateStatus.CONFIRMED:
        raise DomainError(REFUSALS[delegate.status])
    labels = category_labels()
    row = (delegate.name, delegate.name_zh, delegate.organisation, delegate.category)
    badge = badge_of(*row, delegate.checkin_seed, delegate.checkin_code_hash, labels=labels)
    return render_badges([badge], layout, conference_event(conference))


def filtered_badges_pdf(
    conference: Conference,
    wanted: DelegateFilter,
    layout: Layout,
    *,
    subforum_ids: Collection[int] | None = None,
) -> bytes:
    """The badges of the confirmed delegates the table's filter finds, in the table's order:
    one query for the rows, whatever their number."""
    columns = (
        Delegate.name,
        Delegate.name_zh,
        Delegate.organisation,
        Delegate.category,
        Delegate.checkin_seed,
        Delegate.checkin_code_hash,
    )
    query = (
        delegate_query(conference.id, wanted, subforum_ids=subforum_ids)
        .where(Delegate.status == DelegateStatus.CONFIRMED)
        .with_only_columns(*columns)
        .limit(BADGE_LIMIT + 1)
    )
    rows = db.session.execute(query).all()
    if not rows:
        raise DomainError(
            _l("No confirmed delegate matches this filter: there is no badge to print.")
        )
    if len(rows) > BADGE_LIMIT:
        raise DomainError(
            _l(
                "More than %(limit)s badges match this filter: print them in parts, "
                "for example one category or subforum at a time.",
                limit=f"{BADGE_LIMIT:,}",
            )
        )
    labels = category_labels()
    badges = (badge_of(*row, labels=labels) for row in rows)
    return render_badges(badges, layout, conference_event(conference))


REFUSALS = {
    DelegateStatus.PENDING: _l(
        "This registration is waiting for approval: its badge can be printed once it is confirmed."
    ),
    DelegateStatus.CANCELLED: _l("This registration is cancelled: it has no badge."),
    DelegateStatus.REJECTED: _l("This registration was not approved: it has no badge."),
}


def badge_of(
    name: str,
    name_zh: str,
    organisation: str,
    category: DelegateCategory,
    checkin_seed: str,
    checkin_code_hash: str,
    *,
    labels: dict[DelegateCategory, tuple[str, str]],
) -> Badge:
    english, chinese = labels[category]
    code = tokens.current_secret(Secret.CHECKIN, checkin_seed, checkin_code_hash)
    return Badge(name, name_zh, organisation, category.value, english, chinese, code)


def category_labels() -> dict[DelegateCategory, tuple[str, str]]:
    """Each category in English and in Chinese: a badge prints both, whoever prints it."""
    labels: dict[DelegateCategory, tuple[str, str]] = {}
    for category in DelegateCategory:
        with force_locale("en"):
            english = str(category.label)
        with force_locale("zh"):
            chinese = str(category.label)
        labels[category] = (english, chinese)
    return labels


def conference_event(conference: Conference) -> Event:
    return event_of(conference.name, conference.name_zh, conference.starts_on, conference.ends_on)
