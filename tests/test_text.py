"""What one line of text may hold: names from every script pass, anything that starts a line or
reorders one does not, and stored text is printed so that it cannot."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wuzhen_events.errors import DomainError
from wuzhen_events.registration.models import Delegate
from wuzhen_events.text import (
    LINE_BREAKS,
    check_lines,
    escaped,
    is_stray,
    normalise_email,
    one_line,
    stray_character,
    tidy,
)

NAMES = [
    "Zoë O'Brien-Smith",
    "李伟",
    "马化腾 (Pony Ma)",
    "Nguyễn Thị Minh Khai",
    "Jean-Luc d’Aubigné",
    "محمد\u200cرضا",  # ZWNJ: Persian spelling needs it
    "Ørsted A/S",
    "Anna\u200e (אנה)",  # LRM: a mixed-direction name displays right with it
    "👩\u200d💻 Team",  # ZWJ: one emoji
    "Li  Wei",  # two spaces: kept as typed
]


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_names_from_every_script_have_no_stray_character(name):
    assert (tidy(name), stray_character(name)) == (name, None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Li\nWei", "\n"),
        ("Li\rWei", "\r"),
        ("Li\x0bWei", "\x0b"),
        ("Li\x0cWei", "\x0c"),
        ("Li\x1eWei", "\x1e"),
        ("Li\x85Wei", "\x85"),
        ("Li\u2028Wei", "\u2028"),
        ("Li\u2029Wei", "\u2029"),
        ("Li\x00Wei", "\x00"),
        ("Li\x1bWei", "\x1b"),
        ("Li\x7fWei", "\x7f"),
        ("Li\x9bWei", "\x9b"),
        ("Li\tWei", "\t"),
        ("Li\u202eieW", "\u202e"),
        ("Li\u202aWei", "\u202a"),
        ("Li\u2066Wei\u2069", "\u2066"),
    ],
    ids=repr,
)
def test_line_breaks_controls_and_bidi_overrides_are_stray(text, found):
    assert stray_character(text) == found


@pytest.mark.parametrize(
    ("text", "tidied"),
    [
        ("  Li Wei \n", "Li Wei"),
        ("Li\tWei", "Li Wei"),
        ("\ufeffLi\u200bWei\u2060", "LiWei"),
        ("\u3000李伟\u3000", "李伟"),
    ],
    ids=repr,
)
def test_tidy_changes_nothing_a_reader_sees(text, tidied):
    assert tidy(text) == tidied


def test_multiline_text_keeps_paragraphs_and_tabs_as_lf_and_refuses_the_rest():
    text = tidy("First.\r\nSecond.\rThird.\u2028\tFourth.\n", multiline=True)

    assert text == "First.\nSecond.\nThird.\n\tFourth."
    assert stray_character(text, multiline=True) is None
    assert stray_character("Launch\u202e", multiline=True) == "\u202e"
    assert stray_character("Bell\x07", multiline=True) == "\x07"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Li\r\nWei", "Li Wei"),
        ("Li\nBcc: eve@example.com", "Li Bcc: eve@example.com"),
        ("Li\tWei", "Li Wei"),
        ("no\x00kia", "nokia"),
        ("Li\u202eieW", "LiieW"),
        ("李伟", "李伟"),
    ],
    ids=repr,
)
def test_one_line_reads_breaks_as_spaces_and_drops_other_controls(text, line):
    assert one_line(text) == line


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("Li\nWei", "Li\\nWei"),
        ("Li\tWei", "Li\\tWei"),
        ("C:\\new", "C:\\\\new"),
        ("Li\u202eieW", "Li\\u202eieW"),
        ("Li\x00", "Li\\x00"),
        ("Zoë 李伟", "Zoë 李伟"),
    ],
    ids=repr,
)
def test_escaped_keeps_every_value_on_its_line_and_column(text, printed):
    assert escaped(text) == printed


@given(st.text())
def test_one_line_and_escaped_never_leave_a_stray_character(text):
    for printed in (one_line(text), escaped(text)):
        assert [character for character in printed if is_stray(character)] == []
        assert len(printed.splitlines()) <= 1


@given(st.text())
def test_tidied_text_without_a_stray_character_is_one_line(text):
    tidied = tidy(text)

    if stray_character(tidied) is None:
        assert tidied.splitlines() in ([], [tidied])
        assert not set(tidied) & LINE_BREAKS


def test_check_lines_names_the_field_and_the_character():
    delegate = Delegate(name="Li Wei", organisation="Demo\u202e Networks")

    with pytest.raises(DomainError) as refused:
        check_lines(delegate, ("name", "organisation"), error=DomainError)

    assert (refused.value.message, refused.value.field) == (
        "The organisation contains a control character (U+202E), which cannot be stored.",
        "organisation",
    )


@pytest.mark.parametrize(
    ("typed", "kept"),
    [(" Li.Wei@Example.COM\t", "li.wei@example.com"), ("", ""), (None, "")],
)
def test_normalise_email_is_the_one_spelling_of_an_address(typed, kept):
    assert normalise_email(typed) == kept
