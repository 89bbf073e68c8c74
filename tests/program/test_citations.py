"""Source notes cut into text and source codes: which codes link, and what stays plain text."""

from __future__ import annotations

import pytest

from wuzhen_events.program.citations import NotePart, note_parts
from wuzhen_events.program.sources import REFERENCE_CODES, REFERENCES


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            "S4, S14; capacity is a demo figure",
            [
                NotePart("S4", "S4"),
                NotePart(", "),
                NotePart("S14", "S14"),
                NotePart("; capacity is a demo figure"),
            ],
        ),
        (
            "S16给出标题；B",
            [NotePart("S16", "S16"), NotePart("给出标题；"), NotePart("B", "B")],
        ),
        ("S38 and S4x and BS4 and Boeing", [NotePart("S38 and S4x and BS4 and Boeing")]),
        (
            "demo: invented for this demonstration",
            [NotePart("demo: invented for this demonstration")],
        ),
        ("", []),
    ],
    ids=["english", "chinese-touching-codes", "unknown-or-embedded-codes", "no-code", "empty"],
)
def test_note_parts_link_only_known_standalone_codes(note, expected):
    assert note_parts(note) == expected


def test_every_reference_has_a_unique_code_and_both_languages():
    codes = [reference.code for reference in REFERENCES]

    assert len(codes) == len(REFERENCE_CODES) == 39
    for reference in REFERENCES:
        assert all((reference.title, reference.title_zh, reference.publisher)), reference.code
        assert reference.publisher_zh, reference.code
        assert all(url.startswith(("http://", "https://")) for url in reference.urls)
