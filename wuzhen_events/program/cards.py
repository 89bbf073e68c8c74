"""Session cards rendered once per what they show: a busy day page is mostly cards, and after a
change to one session the others are the same HTML as before."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from wuzhen_events.program.models import ProgramSession

CARD_TEMPLATE = "program/_session_card.html"
CARD_CACHE = "wuzhen_events.session_cards"  # an LRU made by create_app, CARD_CACHE_ENTRIES long


def card_key(session: ProgramSession) -> tuple:
    """Every value the card shows, and what its words and links depend on (language, the
    site's path prefix): equal keys are equal HTML."""
    subforum, venue = session.subforum, session.venue
    return (
        str(get_locale()),
        str(get_timezone()),
        request.script_root,
        session.id,
        session.title,
        session.title_zh,
        session.starts_at,
        session.ends_at,
        session.kind,
        session.status,
        session.provenance,
        subforum and (subforum.slug, subforum.title, subforum.title_zh),
        venue and (venue.building, venue.building_zh, venue.hall, venue.hall_zh),
        tuple(
            (part.speaker.slug, part.speaker.name, part.speaker.name_zh, part.role)
            for part in session.speaker_roles
        ),
    )


def session_card(session: ProgramSession) -> Markup:
    """The card of _session_card.html, from memory when nothing it shows has changed."""
    rendered = current_app.extensions[CARD_CACHE]
    key = card_key(session)
    card = rendered.get(key)
    if card is None:
        template = current_app.jinja_env.get_template(CARD_TEMPLATE)
        card = Markup(template.render(session=session, omit_subforum_link=False))
        rendered.put(key, card)
    return card
