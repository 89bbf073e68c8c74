"""URL converters: an address that cannot name a row never reaches the database."""

import re

from werkzeug.routing import BaseConverter, ValidationError

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_LIMIT = 120
SLUG_RE = re.compile(SLUG_PATTERN)


def is_valid_slug(slug: str, limit: int = SLUG_LIMIT) -> bool:
    """Services store only slugs the converter will match, so every row has a working URL."""
    return 0 < len(slug) <= limit and SLUG_RE.fullmatch(slug) is not None


class SlugConverter(BaseConverter):
    """Lower-case words joined by hyphens; anything else (NUL bytes, markup, dots) is a 404."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        if len(value) > SLUG_LIMIT:
            raise ValidationError()
        return value
