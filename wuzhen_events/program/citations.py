"""Source notes cut into plain text and source codes, so pages can link each code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wuzhen_events.program.sources import REFERENCE_CODES

# A code stands alone: not inside a word such as "S4x" or "BS4"; Chinese text may touch it
# ("S16给出"), and \b would not see that boundary because Chinese characters are word characters.
CODE = re.compile(r"(?<![A-Za-z0-9])(S\d{1,3}|B)(?![A-Za-z0-9])")


@dataclass(frozen=True)
class NotePart:
    text: str
    code: str = ""  # a known source code: the template links it to the sources page


def note_parts(note: str) -> list[NotePart]:
    """The note in order, known codes apart; unknown codes stay plain text."""
    parts: list[NotePart] = []
    position = 0
    for match in CODE.finditer(note or ""):
        if match.group(1) not in REFERENCE_CODES:
            continue
        if match.start() > position:
            parts.append(NotePart(note[position : match.start()]))
        parts.append(NotePart(match.group(1), code=match.group(1)))
        position = match.end()
    if position < len(note or ""):
        parts.append(NotePart(note[position:]))
    return parts
