"""The domain error every service raises, so views turn failures into messages, not 500s.

One policy for its message: it is a lazy translation, `_l("...")`, translated when it is shown
rather than when it is raised, into the language of whoever reads it: the visitor's in a form
error or a flash, English in the CLI (no request), the client's in an API error body. A service
raising a plain string is refused at once (TypeError), so no untranslated message reaches a page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

__all__ = ["DomainError", "LazyString", "_l", "field_label", "when_shown"]


class DomainError(Exception):
    """A rule of the domain refused a change; the message is safe to show to the user."""

    def __init__(self, message: LazyString, *, field: str | None = None):
        if not isinstance(message, LazyString):
            raise TypeError(
                f"A domain error's message must be translatable (errors._l), not {message!r}."
            )
        super().__init__(message)
        self.lazy_message = message
        self.field = field

    @property
    def message(self) -> str:
        """The message in the language of the request showing it (English outside one)."""
        return str(self.lazy_message)


def when_shown(compute, *args) -> LazyString:
    """A placeholder's value that depends on the language (a label, a list of labels), worked
    out when the message is shown, like the message itself."""
    return LazyString(compute, *args)


# The names the generic checks (lengths, stray characters) give a column in their messages (in
# English its name with spaces); "x_zh" is "<x> (Chinese)". Secret and internal columns, which
# no person types, keep their bare name.
FIELD_LABELS: dict[str, LazyString] = {
    "affiliation": _l("affiliation"),
    "booth": _l("booth"),
    "building": _l("building"),
    "city": _l("city"),
    "company": _l("company"),
    "contact_email": _l("contact email"),
    "contact_name": _l("contact name"),
    "contact_phone": _l("contact phone"),
    "country": _l("country"),
    "decision_note": _l("decision note"),
    "email": _l("email"),
    "hall": _l("hall"),
    "job_title": _l("job title"),
    "launch_description": _l("launch description"),
    "launch_product": _l("launch product"),
    "locale": _l("locale"),
    "name": _l("name"),
    "organisation": _l("organisation"),
    "product": _l("product"),
    "requested_hall": _l("requested hall"),
    "room_number": _l("room number"),
    "slug": _l("slug"),
    "source_note": _l("source note"),
    "stage": _l("stage"),
    "theme": _l("theme"),
    "timezone": _l("timezone"),
    "title": _l("title"),
    "venue_name": _l("venue name"),
    "website": _l("website"),
}


def field_label(column: str) -> LazyString | str:
    """A column's name for a message, in the language the message is shown in."""
    if column.endswith("_zh") and column[:-3] in FIELD_LABELS:
        return _l("%(field)s (Chinese)", field=FIELD_LABELS[column[:-3]])
    return FIELD_LABELS.get(column, column)
