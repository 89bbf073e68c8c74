"""A conference with three bookable subforums: two on 8 November morning that overlap,
one in the afternoon, each with two-hour sessions and small capacities."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests import factories
from tests.factories import OPERATOR, utc
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory


@dataclass
class Setting:
    conference: Conference
    fintech: Subforum  # 8 Nov 08:30-11:30, 2 seats
    culture: Subforum  # 8 Nov 08:30-11:35, overlaps fintech, 2 seats
    economy: Subforum  # 8 Nov 14:30-18:30, 1 seat


@pytest.fixture
def setting(app) -> Setting:
    conference = factories.make_conference()

    def subforum(slug, title, capacity, start, end):
        made = factories.make_subforum(conference, slug=slug, title=title, capacity=capacity)
        factories.make_session(conference, subforum=made, starts_at=start, ends_at=end)
        return made

    return Setting(
        conference=conference,
        fintech=subforum("fintech", "Fintech", 2, utc(8, 0, 30), utc(8, 3, 30)),
        culture=subforum("culture", "Culture", 2, utc(8, 0, 30), utc(8, 3, 35)),
        economy=subforum("economy", "Digital economy", 1, utc(8, 6, 30), utc(8, 10, 30)),
    )


def details(email: str, category=DelegateCategory.ENTERPRISE, **overrides):
    fields = {
        "name": "Li Wei",
        "email": email,
        "organisation": "Demo Networks",
        "country": "CN",
        "category": category,
    }
    fields.update(overrides)
    return services.DelegateDetails(**fields)


def register(setting: Setting, email: str, *subforums, email_verified=True, **overrides):
    """A registration as an organizer would make it (address known) unless told otherwise;
    None when the address was registered already."""
    code = overrides.pop("invitation_code", "")
    key = overrides.pop("submission_key", None)
    return services.register_delegate(
        setting.conference,
        details(email, **overrides),
        subforums=subforums,
        invitation_code=code,
        submission_key=key,
        email_verified=email_verified,
        actor=OPERATOR,
    ).delegate
