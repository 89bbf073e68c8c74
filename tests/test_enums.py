"""Labelled enums: stored as their value, shown by a label translated when it is read."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from wuzhen_events.accounts.enums import Role
from wuzhen_events.checkin.enums import Direction, DoorKind, OfflineAnswer, ScanReason
from wuzhen_events.enums import LabelledEnum
from wuzhen_events.expo.enums import ApplicationStatus, BoothSize, Sector
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.registration.bulk import BulkAction
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus

LABELLED = [
    Role,
    SessionKind,
    SpeakerRole,
    DelegateCategory,
    DelegateStatus,
    SeatStatus,
    Sector,
    ApplicationStatus,
    BoothSize,
    BulkAction,
    DoorKind,
    Direction,
    OfflineAnswer,
    ScanReason,
]


def test_every_labelled_enum_of_the_package_uses_the_base():
    assert sorted(cls.__name__ for cls in LabelledEnum.__subclasses__()) == sorted(
        cls.__name__ for cls in LABELLED
    )


def test_a_member_is_its_value():
    assert SessionKind("ceremony") is SessionKind.CEREMONY
    assert SessionKind.CEREMONY == "ceremony"
    assert str(BoothSize.SQM_9) == "9"
    assert [kind.value for kind in SpeakerRole] == ["speaker", "moderator", "host"]


@pytest.mark.parametrize(
    ("member", "english", "chinese"),
    [
        (SessionKind.CEREMONY, "Ceremony", "仪式"),
        (DelegateCategory.GOVERNMENT, "Government delegate", "政府代表"),
        (BoothSize.SQM_9, "9 m²", "9平方米"),
    ],
)
def test_a_label_is_translated_when_read(app, member, english, chinese):
    with force_locale("en"):
        assert member.label == english
    with force_locale("zh"):
        assert member.label == chinese
