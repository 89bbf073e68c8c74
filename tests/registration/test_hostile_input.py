"""Property-based: random and malicious values posted to every registration form never cause a
500 or a partial write."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import OPERATOR
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import Subforum
from wuzhen_events.registration.models import Bookmark, Delegate, SeatBooking
from wuzhen_events.text import BIDI_CONTROLS, LINE_BREAKS

NASTY = st.sampled_from(
    [
        "",
        " ",
        "<script>alert(1)</script>",
        "'; DROP TABLE delegates; --",
        "\x00",
        "a\x00b",
        "李" * 500,
        "x" * 5000,
        "%s%n{0}",
        "../../etc/passwd",
        "\u202e\u200b",
        "😀",
        "CN",
        "enterprise",
        "government",
        "zh",
        "y",
        "a@b.co",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=300))
HOSTILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def state() -> tuple:
    db.session.rollback()
    counts = tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Delegate, SeatBooking, OutboxMessage, Bookmark)
    )
    seats = tuple(db.session.scalars(sa.select(Subforum.seats_taken).order_by(Subforum.id)))
    return counts, seats


def clean() -> None:
    db.session.rollback()
    for model in (OutboxMessage, Bookmark, SeatBooking, Delegate):
        db.session.execute(sa.delete(model))
    db.session.execute(sa.update(Subforum).values(seats_taken=0))
    db.session.commit()


@HOSTILE
@given(
    fields=st.fixed_dictionaries(
        {
            "name": TEXT,
            "name_zh": TEXT,
            "email": st.one_of(TEXT, st.emails()),
            "organisation": TEXT,
            "job_title": TEXT,
            "country": TEXT,
            "category": TEXT,
            "locale": TEXT,
            "invitation_code": TEXT,
            "consent": TEXT,
            "subforums": st.lists(st.one_of(TEXT, st.integers().map(str)), max_size=4),
        }
    )
)
def test_registration_form_never_fails_or_half_writes(client, setting, fields):
    clean()
    before = state()

    response = client.post("/register/", data=fields)

    assert response.status_code in {303, 400}, response.status_code
    after = state()
    if response.status_code == 400:
        assert after == before
    else:
        assert after[0][0] == 1  # one delegate, with its seats and one e-mail
        assert after[0][2] == 1
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@HOSTILE
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "organisation",
                "country",
                "category",
                "locale",
                "name_zh",
                "job_title",
                "subforum",
                "action",
                "email",
            ]
        ),
        TEXT,
        max_size=8,
    )
)
def test_private_page_forms_never_fail(client, setting, fields):
    clean()
    registration_token = _token(setting)
    before = state()

    responses = [
        client.post(f"/me/{registration_token}/details", data=fields),
        client.post(f"/me/{registration_token}/seats", data=fields),
        client.post("/register/resend-link", data=fields),
    ]

    assert all(r.status_code in {200, 303, 400, 429} for r in responses), [
        r.status_code for r in responses
    ]
    if responses[0].status_code == 400 and responses[1].status_code == 303:
        assert state()[0][0] == before[0][0]


def _token(setting) -> str:
    from wuzhen_events.registration import services

    return services.register_delegate(
        setting.conference,
        services.DelegateDetails(
            name="Li",
            email="li@example.com",
            organisation="Org",
            country="CN",
            category=services.DelegateCategory.ENTERPRISE,
        ),
        actor=OPERATOR,
    ).manage_token


ONE_LINE_FIELDS = ["name", "name_zh", "organisation", "job_title", "invitation_code"]
# A non-blank piece that stays inside the field after its blanks are tidied away.
WORD = st.text(min_size=1, max_size=20).filter(lambda text: text.strip())
TYPED = st.text(
    alphabet=st.characters(
        exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        exclude_characters="".join(BIDI_CONTROLS) + "\u200b\u2060\ufeff",
    ),
    min_size=1,
    max_size=60,
).filter(lambda text: text.strip())


def registration(**overrides) -> dict:
    return {
        "name": "Li Wei",
        "email": "li.wei@example.com",
        "organisation": "Demo Networks",
        "country": "CN",
        "category": "enterprise",
        "locale": "en",
        "consent": "y",
        **overrides,
    }


@HOSTILE
@given(
    field=st.sampled_from(ONE_LINE_FIELDS),
    before=WORD,
    line_break=st.sampled_from(sorted(LINE_BREAKS)),
    after=WORD,
)
def test_a_line_break_inside_any_one_line_field_is_refused(
    client, setting, field, before, line_break, after
):
    clean()
    before_state = state()

    response = client.post("/register/", data=registration(**{field: before + line_break + after}))

    assert response.status_code == 400
    assert state() == before_state


@HOSTILE
@given(name=TYPED, organisation=TYPED)
def test_any_typed_name_in_any_script_is_stored_as_typed(client, setting, name, organisation):
    clean()

    response = client.post("/register/", data=registration(name=name, organisation=organisation))

    assert response.status_code == 303
    stored = db.session.execute(sa.select(Delegate.name, Delegate.organisation)).one()
    assert tuple(stored) == (name.strip(), organisation.strip())
