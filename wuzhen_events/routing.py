"""URL converters: an address that cannot name a row never reaches the database."""

import re

from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, ValidationError

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# The one length of a slug: every slug column, the services and this converter; changing it
# needs a migration of the columns (0009_one_slug_length widened them all to it).
SLUG_LIMIT = 120
SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_MESSAGE = _l(
    "A slug is 1 to %(limit)d lower-case letters, digits and single hyphens.", limit=SLUG_LIMIT
)


def is_valid_slug(slug: str) -> bool:
    """Services store only slugs the converter will match, so every row has a working URL."""
    return 0 < len(slug) <= SLUG_LIMIT and SLUG_RE.fullmatch(slug) is not None


class SlugConverter(BaseConverter):
    """Lower-case words joined by hyphens; anything else (NUL bytes, markup, dots) is a 404."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        if len(value) > SLUG_LIMIT:
            raise ValidationError()
        return value
