"""`flask export-ics PATH`: the whole-program feed written to a file."""

from __future__ import annotations

from tests.helpers.ical import parse_with_ical_js


def test_export_ics_writes_the_whole_program_feed(app, runner, client, program, tmp_path):
    app.config["PUBLIC_BASE_URL"] = "https://wic.example"
    target = tmp_path / "wic2018.ics"

    result = runner.invoke(args=["export-ics", str(target)])

    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 5 events to {target}.\n"
    assert target.read_bytes() == client.get("/calendar/wic2018.ics").data
    assert [event["summary"] for event in parse_with_ical_js(target.read_bytes())["events"]] == [
        "Opening ceremony",
        "Launch: AI news anchor (Sogou)",
        "Opening and keynote speeches · Fintech and Building a Credit Society",
        "Panel discussion · Fintech and Building a Credit Society",
        "Civilizations online · Online Culture",
    ]


def test_export_ics_in_chinese_to_standard_output(app, runner, client, program):
    app.config["PUBLIC_BASE_URL"] = "https://wic.example"

    result = runner.invoke(args=["export-ics", "--lang", "zh", "-"])

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == client.get("/calendar/wic2018.ics?lang=zh").data


def test_export_ics_without_a_conference_says_what_to_do(runner, tmp_path):
    target = tmp_path / "wic2018.ics"

    result = runner.invoke(args=["export-ics", str(target)])

    assert result.exit_code == 1
    assert result.output == "Error: No conference is loaded: run init-db and seed-demo first.\n"
    assert not target.exists()


def test_export_ics_refuses_an_unknown_language(runner, program, tmp_path):
    result = runner.invoke(args=["export-ics", "--lang", "fr", str(tmp_path / "x.ics")])

    assert result.exit_code == 2
    assert "'fr' is not one of 'en', 'zh'" in result.output
