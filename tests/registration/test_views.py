"""Registration pages as a delegate uses them: exact messages, statuses and what changed."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR, count_rows, reload
from tests.helpers.apps import make_app
from tests.helpers.registration import details as details_of
from tests.helpers.registration import register
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.registration import services, tokens
from wuzhen_events.registration.enums import DelegateStatus, SeatStatus
from wuzhen_events.registration.mails import render_delegate_message
from wuzhen_events.registration.models import Bookmark, Delegate, SeatBooking
from wuzhen_events.registration.tokens import Secret


def form_data(setting, **overrides):
    data = {
        "name": "Li Wei",
        "name_zh": "李伟",
        "email": "li.wei@example.com",
        "organisation": "Demo Networks",
        "job_title": "CTO",
        "country": "CN",
        "category": "enterprise",
        "locale": "en",
        "subforums": [str(setting.fintech.id), str(setting.economy.id)],
        "consent": "y",
    }
    data.update(overrides)
    return data


def manage_token_of(response) -> str:
    match = re.search(r"/me/([A-Za-z0-9_-]{43})/", response.headers["Location"])
    assert match is not None
    return match.group(1)


def emailed_token(email: str) -> str:
    """The private link as the e-mail carries it (derived as the sender derives it)."""
    delegate = db.session.scalar(sa.select(Delegate).where(Delegate.email == email))
    return tokens.derive(Secret.MANAGE, delegate.manage_seed)


def register_and_open_link(client, setting, **overrides) -> str:
    """Register through the form, then open the link from the e-mail, as a delegate does."""
    data = form_data(setting, **overrides)
    response = client.post("/register/", data=data)
    assert (response.status_code, response.headers["Location"]) == (303, "/register/check-inbox")
    token = emailed_token(data["email"])
    assert client.get(f"/me/{token}/").status_code == 200
    return token


def errors_of(html: str) -> dict[str, list[str]]:
    found = re.findall(r'<ul class="field-errors" id="([a-z_-]+)-errors">(.*?)</ul>', html, re.S)
    return {field: re.findall(r"<li>(.*?)</li>", items) for field, items in found}


def test_register_page_lists_subforums_by_day_in_time_order_with_times_and_seats(client, setting):
    html = client.get("/register/").get_data(as_text=True)

    days = re.findall(r'<fieldset class="choice-day">\s*<legend>([^<]+)</legend>', html)
    labels = re.findall(r'<label for="subforums-\d">([^<]+)</label>', html)
    about = re.findall(r'<span class="choice-about" id="subforums-\d-about">([^<]+)</span>', html)
    assert days == ["Thursday, November 8, 2018"]
    assert labels == ["Culture", "Fintech", "Digital economy"]
    assert about == [
        "Thu 8 Nov, 08:30–11:35 · 2 seats left",
        "Thu 8 Nov, 08:30–11:30 · 2 seats left",
        "Thu 8 Nov, 14:30–18:30 · 1 seat left",
    ]


def test_registering_asks_to_confirm_the_address_and_the_link_confirms_the_held_seats(
    client, setting
):
    response = client.post("/register/", data=form_data(setting))
    inbox = client.get(response.headers["Location"]).get_data(as_text=True)
    held = [b.status for b in reload(db.session.scalar(sa.select(Delegate))).seats]

    token = emailed_token("li.wei@example.com")
    page = client.get(f"/me/{token}/")

    html = page.get_data(as_text=True)
    assert response.status_code == 303
    assert "We have sent an e-mail to li.wei@example.com." in inbox
    assert "Seats you chose are held for you for 24 hours." in inbox
    assert held == [SeatStatus.HELD, SeatStatus.HELD]
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Thank you: your e-mail address is confirmed." in html
    assert '<strong class="status status-confirmed">Confirmed</strong>' in html
    assert re.findall(r'<strong class="seat-status seat-(\w+)">', html) == [
        "confirmed",
        "confirmed",
    ]
    assert count_rows(OutboxMessage) == 1


def test_an_invited_delegate_goes_straight_to_their_page(client, setting):
    _invitation, code = services.create_invitation(
        setting.conference,
        email="envoy@example.org",
        category=services.DelegateCategory.GOVERNMENT,
        actor=OPERATOR,
    )

    response = client.post(
        "/register/",
        data=form_data(
            setting, email="envoy@example.org", category="government", invitation_code=code
        ),
    )

    token = manage_token_of(response)
    html = client.get(f"/me/{token}/").get_data(as_text=True)
    assert "Thank you: your registration is saved." in html
    assert re.findall(r'<strong class="seat-status seat-(\w+)">', html) == [
        "confirmed",
        "confirmed",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Please enter your name."),
        ({"name": "   "}, "name", "Please enter your name."),
        ({"name": "x" * 121}, "name", "Please use at most 120 characters (this has 121)."),
        ({"name": "Li\x00Wei"}, "name", "Please remove the invisible control character U+0000."),
        ({"email": "not-an-address"}, "email", "Please enter a valid e-mail address."),
        ({"email": ""}, "email", "Please enter your e-mail address."),
        ({"country": "XX"}, "country", "Please choose a country or region from the list."),
        ({"category": "king"}, "category", "Please choose a category from the list."),
        ({"consent": ""}, "consent", "Registration needs your consent to the privacy notice."),
        ({"subforums": ["999999"]}, "subforums", "Please choose subforums from the list."),
        (
            {"invitation_code": "c" * 41},
            "invitation_code",
            "Please use at most 40 characters (this has 41).",
        ),
    ],
    ids=[
        "empty-name",
        "blank-name",
        "long-name",
        "nul",
        "bad-email",
        "no-email",
        "country",
        "category",
        "no-consent",
        "unknown-subforum",
        "long-code",
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_stored(
    client, setting, overrides, field, message
):
    response = client.post("/register/", data=form_data(setting, **overrides))

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert errors_of(html)[field] == [message]
    assert count_rows(Delegate) == 0
    assert "Your registration could not be saved yet." in html


def test_the_form_keeps_what_was_typed_when_it_shows_an_error(client, setting):
    html = client.post(
        "/register/", data=form_data(setting, email="bad", name="<script>alert(1)</script>")
    ).get_data(as_text=True)

    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>alert(1)</script>" not in html
    assert 'value="Demo Networks"' in html
    checked = re.findall(r'<input ([^>]*)checked[^>]* value="(\d+)">', html)
    assert [int(value) for _before, value in checked] == [setting.fintech.id, setting.economy.id]


def test_a_known_address_gets_the_same_answer_and_its_owner_an_e_mail(client, setting):
    first = client.post("/register/", data=form_data(setting))
    other_browser = client.application.test_client()

    again = other_browser.post("/register/", data=form_data(setting, email="LI.WEI@example.com"))

    assert (again.status_code, again.headers["Location"]) == (
        first.status_code,
        first.headers["Location"],
    )
    assert count_rows(Delegate) == 1
    kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["confirmation", "registration_attempt"]


def test_the_same_form_sent_twice_leads_to_the_registration_it_made(client, setting):
    page = client.get("/register/").get_data(as_text=True)
    submission_id = re.search(r'name="submission_id" type="hidden" value="([^"]+)"', page)[1]
    data = form_data(setting, submission_id=submission_id)

    first = client.post("/register/", data=data)
    second = client.post("/register/", data=data)

    assert (second.status_code, second.headers["Location"]) == (303, "/register/check-inbox")
    assert first.headers["Location"] == second.headers["Location"]
    assert count_rows(Delegate) == 1
    kinds = db.session.scalars(sa.select(OutboxMessage.kind)).all()
    assert kinds == ["confirmation"]  # no "someone tried to register" to the person themself


def test_clashing_subforums_are_named(client, setting):
    response = client.post(
        "/register/",
        data=form_data(setting, subforums=[str(setting.fintech.id), str(setting.culture.id)]),
    )

    assert errors_of(response.get_data(as_text=True))["subforums"] == [
        "“Fintech” and “Culture” take place at the same time; please choose one of them."
    ]


def statement_shapes(statements: list[str]) -> list[str]:
    """The verb and the first table named: "SELECT conferences", "INSERT delegates" ..."""
    shapes = []
    for statement in statements:
        words = statement.replace("(", " ").split()
        verb = words[0].upper()
        if verb == "SELECT" and words[1].upper() == "EXISTS":
            shapes.append("SELECT EXISTS")
            continue
        keyword = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE"}[verb]
        table = words[[word.upper() for word in words].index(keyword) + 1]
        shapes.append(f"{verb} {table}")
    return sorted(shapes)


@pytest.mark.parametrize(
    ("chosen", "shapes"),
    [
        (
            [],
            [
                "INSERT audit_entries",  # one statement for every entry of the registration
                "INSERT delegates",
                "INSERT outbox_messages",
                "SELECT EXISTS",  # duplicate address and closed category together
                "SELECT conferences",
                "SELECT subforums",  # the choices with seats and times, sessions not loaded
            ],
        ),
        (
            ["economy"],
            [
                "INSERT audit_entries",
                "INSERT delegates",
                "INSERT outbox_messages",
                "INSERT seat_bookings",
                "SELECT EXISTS",
                "SELECT conferences",
                "SELECT subforums",
                "UPDATE subforums",  # the conditional UPDATE that takes the seat
            ],
        ),
    ],
    ids=["no-subforum", "one-subforum"],
)
def test_a_registration_post_runs_a_fixed_set_of_queries(
    client, setting, query_counter, chosen, shapes
):
    data = form_data(setting, subforums=[str(getattr(setting, name).id) for name in chosen])

    with query_counter(db.engine) as log:
        response = client.post("/register/", data=data)

    assert response.status_code == 303
    assert (log.count, statement_shapes(log.statements)) == (len(shapes), shapes)


def test_each_more_subforum_adds_its_conditional_update(client, setting, query_counter):
    data = form_data(setting)  # fintech and economy
    # PostgreSQL inserts both bookings in one statement; SQLite, one statement each.
    bookings = 1 if db.engine.dialect.name == "postgresql" else 2

    with query_counter(db.engine) as log:
        response = client.post("/register/", data=data)

    assert response.status_code == 303
    # 7 before the audit trail; its entries (the delegate's and both bookings') are one INSERT.
    assert (log.count, statement_shapes(log.statements).count("UPDATE subforums")) == (
        8 + bookings,
        2,
    )


def test_resend_link_answers_the_same_for_known_and_unknown_addresses(client, setting):
    register(setting, "li@example.com")

    known = client.post("/register/resend-link", data={"resend-email": "li@example.com"})
    unknown = client.post("/register/resend-link", data={"resend-email": "nobody@example.com"})

    message = "If this address is registered, we have sent its link to it."
    assert (known.status_code, unknown.status_code) == (200, 200)
    assert message in known.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["confirmation", "manage_link"]


def emailed_manage_links() -> list[str]:
    """The private links of the queued "your link again" e-mails, rendered as the sender would."""
    rows = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind == "manage_link")
        .order_by(OutboxMessage.id)
    )
    return [
        re.search(r"\S+/me/[A-Za-z0-9_-]{43}/", render_delegate_message(row).text_body).group(0)
        for row in rows
    ]


def test_resend_link_for_a_forged_host_is_refused_and_queues_nothing(client, setting):
    register(setting, "li@example.com")
    before = count_rows(OutboxMessage)

    response = client.post(
        "/register/resend-link",
        data={"resend-email": "li@example.com"},
        headers={"Host": "evil.example"},
    )

    assert response.status_code == 400
    assert count_rows(OutboxMessage) == before


@pytest.mark.parametrize(
    ("settings", "base_url", "link_base"),
    [
        ({}, "http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ({"TRUSTED_HOSTS": ["wic.example"]}, "https://wic.example", "https://wic.example"),
        ({"PUBLIC_BASE_URL": "https://wic.example"}, "http://localhost", "https://wic.example"),
    ],
    ids=["loopback", "trusted-host", "public-address-over-the-request"],
)
def test_resend_link_emails_a_link_to_the_trusted_or_public_address(
    empty_database_url, setting, settings, base_url, link_base
):
    app = make_app(empty_database_url, **settings)
    register(setting, "li@example.com")

    response = app.test_client().post(
        f"{base_url}/register/resend-link", data={"resend-email": "li@example.com"}
    )

    assert response.status_code == 200
    with app.app_context():
        links = emailed_manage_links()
    assert links == [f"{link_base}/me/{emailed_token('li@example.com')}/"]


@pytest.mark.parametrize(
    "token",
    ["nope", "A" * 43, "A" * 44, "%00" * 10, "<script>"],
    ids=["short", "unknown", "long", "nul", "markup"],
)
def test_unknown_or_malformed_tokens_are_404(client, setting, token):
    assert client.get(f"/me/{token}/").status_code == 404
    assert client.get(f"/me/{token}/badge").status_code == 404


def test_the_badge_shows_a_qr_code_of_the_checkin_code_not_the_manage_link(client, setting):
    registration = services.register_delegate(
        setting.conference,
        services.DelegateDetails(
            name="<b>Li</b>",
            email="li@example.com",
            organisation="Org",
            country="CN",
            category=services.DelegateCategory.MEDIA,
        ),
        actor=OPERATOR,
    )
    token = registration.manage_token

    html = client.get(f"/me/{token}/badge").get_data(as_text=True)

    assert '<h1 class="badge-name">&lt;b&gt;Li&lt;/b&gt;</h1>' in html
    assert '<p class="badge-category">Media</p>' in html
    assert "<svg" in html and "<title>Check-in code</title>" in html
    assert token not in html.split('<article class="badge-card"')[1]


def test_drop_and_add_seats_from_the_private_page(client, setting):
    token = register_and_open_link(client, setting)

    dropped = client.post(f"/me/{token}/seats/{setting.fintech.id}/drop")
    added = client.post(f"/me/{token}/seats", data={"subforum": str(setting.culture.id)})

    assert (dropped.status_code, added.status_code) == (303, 303)
    delegate = db.session.scalar(sa.select(Delegate))
    assert [(b.subforum.slug, b.status) for b in reload(delegate).seats] == [
        ("economy", SeatStatus.CONFIRMED),
        ("culture", SeatStatus.CONFIRMED),
    ]
    html = client.get(f"/me/{token}/").get_data(as_text=True)
    assert "“Culture”: Seat confirmed." in html


def test_cancel_asks_first_then_cancels(client, setting):
    token = register_and_open_link(client, setting)

    confirm_page = client.get(f"/me/{token}/cancel")
    done = client.post(f"/me/{token}/cancel")

    assert "Yes, cancel my registration" in confirm_page.get_data(as_text=True)
    assert done.status_code == 303
    assert db.session.scalar(sa.select(Delegate.status)) is DelegateStatus.CANCELLED
    html = client.get(f"/me/{token}/").get_data(as_text=True)
    assert '<strong class="status status-cancelled">Cancelled</strong>' in html


def test_edit_details_rejects_bad_values_and_saves_good_ones(client, setting):
    token = register_and_open_link(client, setting)
    details = {
        "name": "李伟",
        "organisation": "新网络",
        "country": "CN",
        "category": "expert",
        "locale": "zh",
    }

    refused = client.post(f"/me/{token}/details", data={**details, "name": ""})
    saved = client.post(f"/me/{token}/details", data=details)

    assert refused.status_code == 400
    assert errors_of(refused.get_data(as_text=True))["name"] == ["Please enter your name."]
    assert saved.status_code == 303
    delegate = reload(db.session.scalar(sa.select(Delegate)))
    assert (delegate.name, delegate.category.value, delegate.locale) == ("李伟", "expert", "zh")


def test_a_post_without_csrf_token_is_refused(tmp_path):
    from tests.helpers.apps import database_url

    strict = make_app(database_url("csrf", tmp_path), WTF_CSRF_ENABLED=True)
    with strict.app_context():
        db.create_all()
        response = strict.test_client().post("/register/", data={"name": "x"})
        db.session.remove()
        db.drop_all()
        db.engine.dispose()

    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_sessions_can_be_starred_and_unstarred_from_the_private_page(client, setting):
    token = register_and_open_link(client, setting)
    html = client.get(f"/me/{token}/").get_data(as_text=True)
    star_buttons = re.findall(r'action="/me/[^/]+/stars/(\d+)"', html)
    assert len(star_buttons) == 3  # the three public sessions of the setting

    starred = client.post(f"/me/{token}/stars/{star_buttons[0]}")
    html = client.get(f"/me/{token}/").get_data(as_text=True)
    assert starred.status_code == 303
    assert html.count('aria-pressed="true"') == 1
    assert len(re.findall(r'<a href="/sessions/\d+/">', html.split('id="agenda"')[1])) == 1

    client.post(f"/me/{token}/stars/{star_buttons[0]}", data={"action": "unstar"})
    html = client.get(f"/me/{token}/").get_data(as_text=True)
    assert html.count('aria-pressed="true"') == 0
    assert "No starred session yet." in html


def test_starring_or_leaving_something_that_does_not_exist_is_404(client, setting):
    token = register_and_open_link(client, setting)
    hidden = factories.make_session(setting.conference, title="Closed", is_public=False)

    answers = [
        client.post(f"/me/{token}/stars/{hidden.id}").status_code,
        client.post(f"/me/{token}/stars/999999").status_code,
        client.post(f"/me/{token}/seats/999999/drop").status_code,
    ]

    assert answers == [404, 404, 404]
    assert count_rows(Bookmark) == 0


# --- the form as a person meets it ---------------------------------------------------------------


def test_a_subforum_page_link_preselects_that_subforum(client, setting):
    html = client.get("/register/?subforum=economy").get_data(as_text=True)

    checked = re.findall(r'<input ([^>]*)checked[^>]* value="(\d+)">', html)
    assert [int(value) for _before, value in checked] == [setting.economy.id]


def test_language_for_e_mails_defaults_to_the_language_of_the_page(client, setting):
    client.get("/language/zh?next=/register/")

    html = client.get("/register/").get_data(as_text=True)

    assert '<option selected value="zh">中文</option>' in html


def test_the_register_page_has_unique_ids_and_labels_that_focus_their_fields(client, setting):
    html = client.get("/register/").get_data(as_text=True)

    ids = re.findall(r'\sid="([^"]+)"', html)
    label_targets = set(re.findall(r'<label for="([^"]+)"', html))
    assert sorted(ids) == sorted(set(ids))
    assert label_targets <= set(ids)
    assert '<label for="resend-email">E-mail address</label>' in html


def test_a_failed_submit_leads_with_a_summary_that_names_and_links_each_field(client, setting):
    html = client.post("/register/", data=form_data(setting, name="", email="bad")).get_data(
        as_text=True
    )

    summary = re.search(r'<div class="form-errors"[^>]*data-error-summary>(.*?)</div>', html, re.S)
    links = re.findall(r'<li><a href="(#\w+)">([^<]+)</a></li>', summary[1])
    assert 'tabindex="-1" autofocus' in html
    assert links == [
        ("#name", "Full name: Please enter your name."),
        ("#email", "E-mail address: Please enter a valid e-mail address."),
    ]


def test_clashing_choices_are_marked_when_the_form_comes_back(client, setting):
    html = client.post(
        "/register/", data=form_data(setting, name="", subforums=[str(setting.fintech.id)])
    ).get_data(as_text=True)

    notes = re.findall(
        r'<span class="clash-note" id="subforums-\d-clash"( hidden)?>([^<]*)</span>', html
    )
    # Culture and Fintech share 8 November morning; Culture comes first by title.
    assert notes == [("", "At the same time as “Fintech”"), (" hidden", ""), (" hidden", "")]
    assert "data-submit-once" in html


def test_check_inbox_without_a_registration_goes_back_to_the_form(client, setting):
    response = client.get("/register/check-inbox")

    assert (response.status_code, response.headers["Location"]) == (302, "/register/")


def test_the_private_page_offers_only_subforums_that_fit_by_day(client, setting):
    setting.economy.restricted_to = ["government"]
    db.session.commit()
    token = register_and_open_link(client, setting, subforums=[str(setting.fintech.id)])

    html = client.get(f"/me/{token}/").get_data(as_text=True)

    # Culture clashes with Fintech and Digital economy is kept for government delegates.
    assert 'id="subforum"' not in html


def test_the_add_menu_groups_what_fits_by_day(client, setting):
    token = register_and_open_link(client, setting, subforums=[str(setting.culture.id)])

    html = client.get(f"/me/{token}/").get_data(as_text=True)

    select = re.search(r'<select [^>]*id="subforum"[^>]*>(.*?)</select>', html, re.S)[1]
    assert re.findall(r'<optgroup label="([^"]+)">', select) == ["Thursday, November 8, 2018"]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [
        "Digital economy — Thu 8 Nov, 14:30–18:30 · 1 seat left"
    ]


def test_starring_confirms_and_every_star_button_names_the_subforum(client, setting):
    token = register_and_open_link(client, setting)
    session_id = setting.fintech.sessions[0].id

    client.post(f"/me/{token}/stars/{session_id}")
    html = client.get(f"/me/{token}/").get_data(as_text=True)

    title = setting.fintech.sessions[0].title
    assert f"Starred: {title} (Fintech). It is in your agenda now." in html
    assert f'<span class="visually-hidden"> {title} (Fintech)</span>' in html


def test_the_badge_prints_the_check_in_code_in_groups_under_the_qr_code(client, setting):
    token = register_and_open_link(client, setting)
    delegate = db.session.scalar(sa.select(Delegate))
    code = tokens.derive(Secret.CHECKIN, delegate.checkin_seed)

    html = client.get(f"/me/{token}/badge").get_data(as_text=True)

    groups = re.findall(r"<span>([A-Za-z0-9_-]{1,4})</span>", html)
    assert "".join(groups) == code
    assert len(groups) == 11


def test_a_cancelled_registration_says_so_on_its_page_and_badge(client, setting):
    token = register_and_open_link(client, setting)
    client.post(f"/me/{token}/cancel")

    page = client.get(f"/me/{token}/").get_data(as_text=True)
    badge = client.get(f"/me/{token}/badge").get_data(as_text=True)

    assert "Your registration is cancelled: it holds no seats and no waitlist places." in page
    assert "You have not chosen any subforum yet." not in page
    assert "This registration is cancelled: it has no badge." in badge


# --- privacy: the notice, the data download and erasure --------------------------------------


def test_the_consent_label_links_the_privacy_notice(client, setting):
    html = client.get("/register/").get_data(as_text=True)

    assert re.findall(r'<label for="consent">(.*?)</label>', html) == [
        "I agree that my details are used to run my registration, as the "
        '<a href="/privacy/">privacy notice</a> says.'
    ]


def test_the_private_page_offers_to_download_and_erase_the_data(client, setting):
    token = register_and_open_link(client, setting)

    html = client.get(f"/me/{token}/").get_data(as_text=True)

    section = html.split('<section id="your-data"')[1].split("</section>")[0]
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', section) == [
        ("/privacy/", "privacy notice"),
        (f"/me/{token}/data.json", "Download my data (JSON)"),
        (f"/me/{token}/erase", "Erase my registration…"),
    ]


def test_the_data_download_is_a_private_json_attachment(client, setting):
    token = register_and_open_link(client, setting)

    response = client.get(f"/me/{token}/data.json")

    assert response.status_code == 200
    assert {
        name: response.headers[name]
        for name in (
            "Content-Type",
            "Content-Disposition",
            "Cache-Control",
            "X-Robots-Tag",
            "Referrer-Policy",
        )
    } == {
        "Content-Type": "application/json",
        "Content-Disposition": 'attachment; filename="wic2018-my-registration.json"',
        "Cache-Control": "private, no-store",
        "X-Robots-Tag": "noindex, nofollow",
        "Referrer-Policy": "no-referrer",
    }
    data = json.loads(response.get_data(as_text=True))
    assert list(data) == [
        "conference",
        "registration",
        "invitation",
        "subforums",
        "starred_sessions",
        "emails",
    ]
    assert (data["registration"]["name_zh"], data["registration"]["email"]) == (
        "李伟",
        "li.wei@example.com",
    )
    assert [place["subforum"] for place in data["subforums"]] == ["Fintech", "Digital economy"]
    assert token not in response.get_data(as_text=True)


def test_the_erase_page_asks_first_and_changes_nothing(client, setting):
    token = register_and_open_link(client, setting)
    before = db.session.execute(sa.select(Delegate.__table__)).one()

    response = client.get(f"/me/{token}/erase")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert '<button type="submit" class="button-danger">Yes, erase my registration</button>' in html
    db.session.expire_all()
    assert db.session.execute(sa.select(Delegate.__table__)).one() == before
    assert (count_rows(SeatBooking), count_rows(OutboxMessage)) == (2, 1)


def test_erasing_lands_on_a_plain_page_and_every_old_link_answers_404(client, setting):
    token = register_and_open_link(client, setting)
    feed_token = tokens.derive(Secret.FEED, db.session.scalar(sa.select(Delegate.feed_seed)))

    response = client.post(f"/me/{token}/erase")

    assert (response.status_code, response.headers["Location"]) == (303, "/me/erased")
    done = client.get("/me/erased")
    assert done.status_code == 200
    assert "<h1>Your registration is erased</h1>" in done.get_data(as_text=True)
    assert {
        url: client.get(url).status_code
        for url in (
            f"/me/{token}/",
            f"/me/{token}/data.json",
            f"/me/{token}/erase",
            f"/me/{token}/badge",
            f"/calendar/me/{feed_token}.ics",
        )
    } == {
        f"/me/{token}/": 404,
        f"/me/{token}/data.json": 404,
        f"/me/{token}/erase": 404,
        f"/me/{token}/badge": 404,
        f"/calendar/me/{feed_token}.ics": 404,
    }
    delegate = reload(db.session.scalar(sa.select(Delegate)))
    assert (delegate.name, delegate.status) == ("", DelegateStatus.CANCELLED)
    assert (count_rows(SeatBooking), count_rows(OutboxMessage)) == (0, 0)


def test_a_second_erase_submit_lands_on_the_same_page(client, setting):
    token = register_and_open_link(client, setting)

    first = client.post(f"/me/{token}/erase")
    second = client.post(f"/me/{token}/erase")

    assert [(r.status_code, r.headers["Location"]) for r in (first, second)] == [
        (303, "/me/erased"),
        (303, "/me/erased"),
    ]
    assert count_rows(Delegate) == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_erasing_with_an_unknown_link_is_404(client, setting, method):
    client.post("/register/", data=form_data(setting))

    response = getattr(client, method)(f"/me/{'A' * 43}/erase")

    assert response.status_code == 404
    assert db.session.scalar(sa.select(Delegate.erased_at)) is None


NOT_DELIVERABLE = (
    "Our mail server cannot deliver to addresses with letters other than a–z before the @. "
    "Please enter another address."
)


def test_an_address_the_mail_server_cannot_deliver_to_is_refused(client, setting):
    response = client.post("/register/", data=form_data(setting, email="李伟@example.com"))

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True))["email"] == [NOT_DELIVERABLE]
    assert count_rows(Delegate) == 0


def test_an_address_with_a_non_ascii_local_part_is_taken_with_smtputf8(app, client, setting):
    app.config["MAIL_SMTPUTF8"] = True

    response = client.post("/register/", data=form_data(setting, email="李伟@example.com"))

    assert response.status_code == 303
    assert db.session.scalar(sa.select(Delegate.email)) == "李伟@example.com"


def test_resend_link_refuses_an_address_the_mail_server_cannot_deliver_to(client, setting):
    response = client.post("/register/resend-link", data={"resend-email": "李伟@example.com"})

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True))["resend-email"] == [NOT_DELIVERABLE]
    assert count_rows(OutboxMessage) == 0


def test_a_hand_edited_registration_is_answered_in_our_words_in_chinese(client, setting):
    data = form_data(
        setting,
        name="x" * 121,
        country="XX",
        category="king",
        locale="fr",
        subforums=["abc"],
    )

    response = client.post("/register/", data=data, headers={"Accept-Language": "zh"})

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {
        "name": ["最多可填写 120 个字符（当前为 121 个）。"],
        "country": ["请从列表中选择国家或地区。"],
        "category": ["请从列表中选择参会类别。"],
        "locale": ["请选择 English 或中文作为邮件语言。"],
        "subforums": ["请从列表中选择分论坛。"],
    }
    assert count_rows(Delegate) == 0


def test_a_hand_edited_details_form_is_answered_in_our_words(client, setting):
    token = services.register_delegate(
        setting.conference, details_of("li@example.com"), subforums=[], actor=OPERATOR
    ).manage_token
    edited = {"name": "Li", "organisation": "Org", "country": "CN", "category": "x", "locale": "1"}

    response = client.post(f"/me/{token}/details", data=edited)

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {
        "category": ["Please choose a category from the list."],
        "locale": ["Please choose English or 中文 as the language for e-mails."],
    }


# --- one-line fields: no line break or control character reaches a listing or an e-mail ---

ONE_LINE = "Please write this on one line, without line breaks."
CONTROL = "Please remove the invisible control character {}."
LABELS = {
    "name": "Full name",
    "name_zh": "Chinese name (optional)",
    "organisation": "Organisation",
    "job_title": "Job title",
    "invitation_code": "Invitation code",
}
STRAY = [
    ("Li\r\nWei", ONE_LINE),
    ("Li\nBcc: eve@example.com", ONE_LINE),
    ("Li\rWei", ONE_LINE),
    ("Li\u2028Wei", ONE_LINE),
    ("Li\x85Wei", ONE_LINE),
    ("Li\x1bWei", CONTROL.format("U+001B")),
    ("Li\u202eieW", CONTROL.format("U+202E")),
    ("Li\u2066Wei", CONTROL.format("U+2066")),
]


def summary_of(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="form-errors"[^>]*data-error-summary>(.*?)</div>', html, re.S)
    return re.findall(r'<li><a href="(#\w+)">([^<]+)</a></li>', summary[1])


@pytest.mark.parametrize("field", list(LABELS))
@pytest.mark.parametrize(("value", "message"), STRAY, ids=[repr(s[0]) for s in STRAY])
def test_a_line_break_or_control_character_is_refused_by_name_and_nothing_is_stored(
    client, setting, field, value, message
):
    response = client.post("/register/", data=form_data(setting, **{field: value}))

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert errors_of(html)[field] == [message]
    assert summary_of(html) == [(f"#{field}", f"{LABELS[field]}: {message}")]
    assert (count_rows(Delegate), count_rows(OutboxMessage)) == (0, 0)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Zoë O'Brien-Smith", "Zoë O'Brien-Smith"),
        ("Nguyễn Thị Minh Khai", "Nguyễn Thị Minh Khai"),
        ("محمد\u200cرضا", "محمد\u200cرضا"),
        ("  Li Wei\r\n", "Li Wei"),
        ("Li\tWei", "Li Wei"),
        ("\ufeffLi\u200bWei", "LiWei"),
    ],
    ids=repr,
)
def test_names_in_every_script_pass_and_harmless_blanks_are_tidied(client, setting, typed, stored):
    response = client.post("/register/", data=form_data(setting, name=typed))

    assert response.status_code == 303
    assert db.session.scalars(sa.select(Delegate.name)).all() == [stored]


def test_editing_details_refuses_a_line_break_and_keeps_the_name(client, setting):
    token = register_and_open_link(client, setting)
    edited = {
        "name": "Li Wei\nApproved: yes",
        "organisation": "Demo Networks",
        "country": "CN",
        "category": "enterprise",
        "locale": "en",
    }

    response = client.post(f"/me/{token}/details", data=edited)

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {"name": [ONE_LINE]}
    assert reload(db.session.scalar(sa.select(Delegate))).name == "Li Wei"


def test_resend_link_refuses_an_address_with_a_line_break_and_sends_nothing(client, setting):
    register(setting, "li@example.com")
    db.session.execute(sa.delete(OutboxMessage))
    db.session.commit()

    response = client.post(
        "/register/resend-link", data={"resend-email": "li@example.com\r\nBcc: eve@example.com"}
    )

    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True))["resend-email"] == [
        "Please enter a valid e-mail address."
    ]
    assert count_rows(OutboxMessage) == 0


def test_a_submission_id_with_a_trailing_newline_is_refused(client, setting):
    response = client.post("/register/", data=form_data(setting, submission_id="A" * 32 + "\n"))

    assert response.status_code == 400
    assert count_rows(Delegate) == 0
