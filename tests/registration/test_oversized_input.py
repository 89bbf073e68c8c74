"""Bodies past the request limits (MAX_CONTENT_LENGTH, MAX_FORM_PARTS) are refused with 413
before they are read: a page in the visitor's language, or JSON, and nothing stored."""

from __future__ import annotations

import io
import re

import pytest

from tests.factories import count_rows
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.registration.models import Delegate, SeatBooking

from .test_views import form_data

TOO_LARGE = {
    "en": (
        "413 Request too large",
        "What was sent is larger than this site accepts, so nothing was saved. "
        "Go back, shorten what you entered and send it again.",
    ),
    "zh": (
        "413 请求内容过大",
        "提交的内容超出本网站可接受的大小，因此没有保存任何内容。请返回，删减所填写的内容后重新提交。",
    ),
}
TWO_MIB = 2 * 1024 * 1024


def stored() -> tuple[int, int, int]:
    return count_rows(Delegate), count_rows(SeatBooking), count_rows(OutboxMessage)


def assert_too_large_page(response, locale: str) -> None:
    heading, text = TOO_LARGE[locale]
    html = response.get_data(as_text=True)
    assert (response.status_code, response.mimetype) == (413, "text/html")
    assert re.search(r"<h1>.*?</h1>\s*<p>.*?</p>", html).group(0) == (
        f"<h1>{heading}</h1>\n<p>{text}</p>"
    )


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_a_two_mib_registration_answers_413_and_stores_nothing(client, setting, locale):
    data = form_data(setting, email="big@example.com")
    data["attachment"] = (io.BytesIO(b"x" * TWO_MIB), "attachment.bin")

    response = client.post("/register/", data=data, headers={"Accept-Language": locale})

    assert_too_large_page(response, locale)
    assert stored() == (0, 0, 0)


def test_a_two_mib_body_from_a_json_client_answers_413_in_the_api_error_shape(client, setting):
    data = form_data(setting, email="big@example.com", name="x" * TWO_MIB)

    response = client.post("/register/", data=data, headers={"Accept": "application/json"})

    assert response.status_code == 413
    assert response.get_json() == {
        "error": {
            "status": 413,
            "code": "request_too_large",
            "message": "The request body is larger than this server accepts.",
            "field": None,
        }
    }
    assert stored() == (0, 0, 0)


def test_a_multipart_body_of_more_parts_than_any_form_has_answers_413(client, setting, app):
    data = form_data(setting, email="parts@example.com")
    data.update({f"extra{n}": "x" for n in range(app.config["MAX_FORM_PARTS"])})

    response = client.post("/register/", data=data, content_type="multipart/form-data")

    assert_too_large_page(response, "en")
    assert stored() == (0, 0, 0)
