"""The base of every stored state or kind that pages show by its label."""

from __future__ import annotations

import enum

from flask_babel.speaklater import LazyString


class LabelledEnum(enum.StrEnum):
    """A state or kind stored as its value and shown by its label, declared together:
    `CEREMONY = "ceremony", _l("Ceremony")`. The label is translated when it is read, in the
    language of the page, e-mail or feed being built."""

    _label: LazyString

    def __new__(cls, value: str, label: LazyString) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label)
