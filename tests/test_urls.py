"""Absolute links outside and inside a request."""

from wuzhen_events.urls import external_url


def test_configured_public_base_url_wins(app):
    app.config["PUBLIC_BASE_URL"] = "https://wic.example.org/"

    assert external_url("program.program", day="2018-11-08") == (
        "https://wic.example.org/program/?day=2018-11-08"
    )


def test_inside_a_request_the_request_host_is_used(app):
    with app.test_request_context(base_url="http://127.0.0.1:8000"):
        assert external_url("site.home") == "http://127.0.0.1:8000/"


def test_outside_a_request_localhost_is_the_fallback(app):
    assert external_url("site.healthz") == "http://localhost:5000/healthz"
