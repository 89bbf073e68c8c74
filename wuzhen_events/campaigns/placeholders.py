"""Placeholders in a campaign's text, `{name}` and `{manage_link}`, read the way str.format
reads them (`{{` and `}}` are braces), and filled in for one delegate as plain text or as HTML
in which everything the organizer wrote is escaped."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from string import Formatter

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

NAME = "name"
MANAGE_LINK = "manage_link"
BODY_PLACEHOLDERS = (NAME, MANAGE_LINK)
SUBJECT_PLACEHOLDERS = (NAME,)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# The four texts of a campaign, by column, with the name a message gives each.
TEXT_LABELS = {
    "subject": _l("English subject"),
    "subject_zh": _l("Chinese subject"),
    "body": _l("English message"),
    "body_zh": _l("Chinese message"),
}


@dataclass(frozen=True)
class PlaceholderProblem(Exception):
    """The text cannot be filled in: `placeholder` is unknown, or (None) a brace is unmatched."""

    placeholder: str | None


def pieces(text: str, allowed: Collection[str]) -> list[tuple[str, str | None]]:
    """(literal text, placeholder or None) in order; a problem for the first thing wrong."""
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as error:  # "Single '}' encountered", "expected '}' before end of string"
        raise PlaceholderProblem(None) from error
    found = []
    for literal, field, spec, conversion in parsed:
        if field is None:
            found.append((literal, None))
            continue
        if field not in allowed or spec or conversion:
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise PlaceholderProblem(shown)
        found.append((literal, field))
    return found


def fill_text(text: str, values: Mapping[str, str], allowed: Collection[str]) -> str:
    return "".join(
        literal + (values[field] if field else "") for literal, field in pieces(text, allowed)
    )


def fill_html_paragraphs(
    text: str, values: Mapping[str, Markup], allowed: Collection[str]
) -> list[Markup]:
    """The body as HTML paragraphs (blank lines) with line breaks: the organizer's text escaped,
    only the values (already Markup) kept as they are."""
    html = Markup("").join(
        escape(literal) + (values[field] if field else Markup(""))
        for literal, field in pieces(text, allowed)
    )
    # Splitting gives plain str back: the pieces are escaped already, so Markup again.
    return [
        Markup("<br>\n").join(Markup(line) for line in paragraph.split("\n"))
        for paragraph in PARAGRAPH_BREAK.split(str(html))
        if paragraph.strip()
    ]
