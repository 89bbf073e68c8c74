"""What a line of text may hold. Forms explain a refusal in the visitor's language, services
refuse whatever reaches them by another road (the CLI, the seed, a test), and e-mails and
listings print stored text so that it can never start a line or a column of its own.

Refused in a one-line field (a name, an organisation, a code):
- every control character (Unicode category Cc: C0, DEL, C1). CR, LF and NEL start new lines
  in e-mails and in listings, NUL is refused by PostgreSQL, the rest are invisible;
- the line and paragraph separators U+2028 and U+2029, line breaks to many renderers;
- the bidirectional embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069: they
  reorder the text after them, so a name could make the organisation or the address beside it
  read differently in a listing or an e-mail (the "Trojan Source" trick).
Kept: every letter, accent, apostrophe and hyphen, Chinese and every other script; ZWNJ and ZWJ
(U+200C, U+200D), which Persian and Indic spelling and emoji need; the marks LRM, RLM and ALM
(U+200E, U+200F, U+061C), which help a mixed-direction name display right and move no other text.
Tidied without asking, as nothing a reader sees changes: blanks around the text; a tab becomes
a space (pasted from a spreadsheet, it meant one); the zero-width space, word joiner and byte
order mark (U+200B, U+2060, U+FEFF), leftovers of copy and paste nobody could find to delete.
Multi-line text (a description) keeps its line breaks, as LF, and its tabs, and refuses the rest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from wuzhen_events.errors import DomainError, _l, field_label

# What str.splitlines() breaks on: CR, LF, VT, FF, the separators FS, GS and RS, NEL, U+2028
# and U+2029. Mail clients, terminals and spreadsheets break lines on some of them each.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
COPY_LEFTOVERS = str.maketrans("", "", "\u200b\u2060\ufeff")
# Multi-line text: every way of ending a line becomes LF, the one the templates expect.
NEWLINES = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
MULTILINE_KEEPS = frozenset("\n\t")


def tidy(text: str | None, *, multiline: bool = False) -> str:
    """`text` without what nobody would miss (see the module's docstring)."""
    text = (text or "").translate(COPY_LEFTOVERS)
    if multiline:
        return text.replace("\r\n", "\n").translate(NEWLINES).strip()
    return text.replace("\t", " ").strip()


def stray_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character that has no place in the text, or None."""
    for character in text:
        if multiline and character in MULTILINE_KEEPS:
            continue
        if is_stray(character):
            return character
    return None


def is_stray(character: str) -> bool:
    return (
        character in LINE_BREAKS
        or character in BIDI_CONTROLS
        or unicodedata.category(character) == "Cc"
    )


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def check_lines(
    row: object,
    fields: Iterable[str],
    *,
    error: type[DomainError],
    multiline: Iterable[str] = (),
) -> None:
    """Refuse a row whose one-line fields (or `multiline` ones) hold a stray character: the
    services' own check, whoever calls them."""
    multiline = frozenset(multiline)
    for field in (*fields, *multiline):
        character = stray_character(getattr(row, field) or "", multiline=field in multiline)
        if character is not None:
            label, point = field_label(field), code_point(character)
            if character in LINE_BREAKS:
                message = _l(
                    "The %(field)s contains a line break (%(code_point)s), which cannot be stored.",
                    field=label,
                    code_point=point,
                )
            else:
                message = _l(
                    "The %(field)s contains a control character (%(code_point)s), which cannot"
                    " be stored.",
                    field=label,
                    code_point=point,
                )
            raise error(message, field=field)


def one_line(text: str) -> str:
    """Text made one line where refusing it helps nobody (a search; an e-mail to a name stored
    before the services refused line breaks): a line break or a tab read as a space, which it
    stood for, any other stray character dropped, as it stood for nothing."""
    kept = []
    for character in text.replace("\r\n", "\n"):
        if character in LINE_BREAKS or character == "\t":
            kept.append(" ")
        elif not is_stray(character):
            kept.append(character)
    return "".join(kept).strip()


def escaped(text: str) -> str:
    """Stored text for a listing where a line is a row and a tab a column: stray characters
    and backslashes written as Python escapes (`\\n`, `\\t`, `\\u202e`), so nothing can forge
    a row or reorder one, and what is printed reads back unambiguously."""
    return "".join(
        character.encode("unicode_escape").decode("ascii")
        if character == "\\" or is_stray(character)
        else character
        for character in text
    )


def normalise_email(email: str) -> str:
    """Addresses compare without case or surrounding blanks: one registration, one application,
    one resend limit per address, however it was typed."""
    return (email or "").strip().lower()
