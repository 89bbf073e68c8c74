"""The shared form pieces: which e-mail addresses the mail server can deliver to."""

from __future__ import annotations

import pytest

from wuzhen_events.forms import email_problem

INVALID = "Please enter a valid e-mail address."
NOT_DELIVERABLE = (
    "Our mail server cannot deliver to addresses with letters other than a–z before the @. "
    "Please enter another address."
)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("li.wei+wic@example.com", None),
        ("li@bücher.example", None),
        ("li@例子.中国", None),
        ("李伟@example.com", NOT_DELIVERABLE),
        ("jörg@example.com", NOT_DELIVERABLE),
        ("li@", INVALID),
        ("li wei@example.com", INVALID),
        ("", INVALID),
    ],
    ids=[
        "ascii",
        "idna-domain",
        "chinese-domain",
        "chinese-local",
        "umlaut-local",
        "no-domain",
        "space",
        "empty",
    ],
)
def test_email_problem_refuses_what_the_mail_server_cannot_deliver(app, address, problem):
    assert email_problem(address) == problem


def test_non_ascii_local_parts_are_accepted_when_the_server_speaks_smtputf8(app):
    app.config["MAIL_SMTPUTF8"] = True

    assert email_problem("李伟@example.com") is None
