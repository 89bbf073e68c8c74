"""Program pages: exact content for a small, hand-built program."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests import factories, worlds
from tests.factories import OPERATOR, utc
from tests.helpers.html import session_titles
from wuzhen_events.db import ProvenanceMixin
from wuzhen_events.extensions import db
from wuzhen_events.program import services
from wuzhen_events.program.citations import CODE, note_parts
from wuzhen_events.program.enums import SpeakerRole
from wuzhen_events.program.models import Conference
from wuzhen_events.program.views import LAUNCH_COUNT


@pytest.fixture
def program(app) -> worlds.ProgramPages:
    return worlds.program_pages()


def test_program_shows_the_requested_day_in_time_order(client, program):
    response = client.get("/program/?day=2018-11-07")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert session_titles(html) == ["Opening ceremony", "Wuzhen Talks"]
    assert "2 sessions" in html
    assert '<time datetime="2018-11-07T02:30:00+00:00">10:30</time>' in html


def test_program_defaults_to_the_first_conference_day_after_the_conference(client, program):
    response = client.get("/program/")

    assert session_titles(response.get_data(as_text=True)) == ["Opening ceremony", "Wuzhen Talks"]


def test_program_defaults_to_today_while_the_conference_runs(app, client, program):
    app.config["FROZEN_NOW"] = utc(8, 1)

    response = client.get("/program/")

    assert session_titles(response.get_data(as_text=True)) == ["Opening and keynote speeches"]


def test_the_kept_program_page_turns_to_the_next_day_at_the_conference_s_midnight(
    app, client, program
):
    app.config["FROZEN_NOW"] = utc(8, 1)
    before_midnight = client.get("/program/")
    app.config["FROZEN_NOW"] = utc(8, 15, 59)  # 23:59 in Wuzhen (UTC+8)
    still_the_8th = client.get("/program/")
    app.config["FROZEN_NOW"] = utc(8, 16, 0)  # midnight in Wuzhen: the 9th
    the_9th = client.get("/program/")

    assert [
        session_titles(response.get_data(as_text=True))
        for response in (before_midnight, still_the_8th, the_9th)
    ] == [
        ["Opening and keynote speeches"],
        ["Opening and keynote speeches"],
        session_titles(client.get("/program/?day=2018-11-09").get_data(as_text=True)),
    ]


def test_day_tabs_cover_expo_days_with_session_counts(client, program):
    html = client.get("/program/?day=2018-11-08").get_data(as_text=True)

    tabs = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+) <span', html)
    assert [(href, bool(current), label) for href, current, label in tabs] == [
        ("/program/?day=2018-11-06", False, "Tue 6 Nov"),
        ("/program/?day=2018-11-07", False, "Wed 7 Nov"),
        ("/program/?day=2018-11-08", True, "Thu 8 Nov"),
        ("/program/?day=2018-11-09", False, "Fri 9 Nov"),
        ("/program/?day=2018-11-10", False, "Sat 10 Nov"),
    ]
    counts = re.findall(r'<span class="count">\((\d+)\)</span>', html)
    assert counts == ["0", "2", "1", "0", "0"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("day=2018-11-07&topic=ai", ["Opening ceremony"]),
        ("day=2018-11-08&topic=fintech", ["Opening and keynote speeches"]),
        ("day=2018-11-07&venue=wuzhen-hall", ["Opening ceremony", "Wuzhen Talks"]),
        ("day=2018-11-08&subforum=fintech-credit", ["Opening and keynote speeches"]),
        ("day=2018-11-07&q=talks", ["Wuzhen Talks"]),
        ("day=2018-11-07&q=yang", ["Wuzhen Talks"]),
        ("day=2018-11-07&q=马化腾", ["Opening ceremony", "Wuzhen Talks"]),
        ("day=2018-11-07&q=开幕", ["Opening ceremony", "Opening and keynote speeches"]),
        ("day=2018-11-08&q=credit", ["Opening and keynote speeches"]),
        ("day=2018-11-07&q=%25", []),
        ("day=2018-11-07&q=_", []),
    ],
    ids=[
        "topic-on-session",
        "topic-via-subforum",
        "venue",
        "subforum",
        "title",
        "speaker-name",
        "chinese-speaker-name",
        "chinese-title",
        "subforum-title",
        "percent-is-literal",
        "underscore-is-literal",
    ],
)
def test_program_filters(client, program, query, expected):
    response = client.get(f"/program/?{query}")

    assert response.status_code == 200
    assert session_titles(response.get_data(as_text=True)) == expected


def test_filtered_day_tabs_keep_the_filters(client, program):
    html = client.get("/program/?day=2018-11-07&topic=ai").get_data(as_text=True)

    assert '<a href="/program/?day=2018-11-08&amp;topic=ai">' in html


def test_empty_result_offers_the_whole_day(client, program):
    html = client.get("/program/?day=2018-11-07&topic=fintech").get_data(as_text=True)

    assert empty_state(html) == [
        "No session on this day matches these filters.",
        '<a href="/program/?day=2018-11-07">Show the whole day</a>',
    ]


def test_empty_search_says_no_day_matches(client, program):
    html = client.get("/program/?day=2018-11-07&q=nothing-matches").get_data(as_text=True)

    assert empty_state(html) == [
        "No session on any day of the program matches these filters.",
        '<a href="/program/?day=2018-11-07">Show the whole day</a>',
    ]


def test_day_without_sessions_and_without_filters_says_so(client, program):
    html = client.get("/program/?day=2018-11-06").get_data(as_text=True)

    assert empty_state(html) == ["There are no sessions on this day."]


def empty_state(html: str) -> list[str]:
    state = re.search(r'<div class="empty-state">(.*?)</div>', html, re.S).group(1)
    return re.findall(r"<p>(.*?)</p>", state)


def day_headings(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<h2 id="(day-[0-9-]+)" class="day-heading">([^<]+)</h2>', html)


def day_tab_items(html: str) -> list[str]:
    tabs = re.search(r'<nav class="day-tabs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", tabs, re.S)]


def test_search_finds_sessions_on_every_day_grouped_by_day(client, program):
    response = client.get("/program/?day=2018-11-07&q=opening")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert session_titles(html) == ["Opening ceremony", "Opening and keynote speeches"]
    assert day_headings(html) == [
        ("day-2018-11-07", "Wednesday, November 7, 2018"),
        ("day-2018-11-08", "Thursday, November 8, 2018"),
    ]
    assert '<p class="lead">Every day of the program, searched for “opening”</p>' in html
    assert "<title>Program · search for “opening” · " in html
    assert '<p class="results-count" role="status">2 sessions</p>' in html


def test_search_without_a_day_searches_every_day(client, program):
    html = client.get("/program/?q=keynote").get_data(as_text=True)

    assert session_titles(html) == ["Opening and keynote speeches"]
    assert day_headings(html) == [("day-2018-11-08", "Thursday, November 8, 2018")]


def test_search_day_tabs_count_matches_and_lead_to_each_days_results(client, program):
    html = client.get("/program/?day=2018-11-08&q=opening").get_data(as_text=True)

    assert day_tab_items(html) == [
        '<span>Tue 6 Nov <span class="count">(0)</span></span>',
        '<a href="#day-2018-11-07">Wed 7 Nov <span class="count">(1)</span></a>',
        '<a href="#day-2018-11-08">Thu 8 Nov <span class="count">(1)</span></a>',
        '<span>Fri 9 Nov <span class="count">(0)</span></span>',
        '<span>Sat 10 Nov <span class="count">(0)</span></span>',
    ]


def test_day_tabs_count_matches_of_the_filters(client, program):
    html = client.get("/program/?day=2018-11-07&venue=wuzhen-hall").get_data(as_text=True)

    counts = re.findall(r'<span class="count">\((\d+)\)</span>', html)
    assert counts == ["0", "2", "0", "0", "0"]


def test_search_leaves_out_the_days_launch_pointer(client, program):
    exhibitor = factories.make_exhibitor(program.conference)
    factories.make_launch(exhibitor, program.conference, starts_at=utc(7, 6))

    html = client.get("/program/?day=2018-11-07&q=opening").get_data(as_text=True)

    assert "expo-pointer" not in html


def selected_options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select [^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option selected value=\"[^\"]*\">([^<]*)</option>", select)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("day=banana", "“banana” is not a day of the program, so Wed 7 Nov is shown."),
        ("day=2018-11-11", "“2018-11-11” is not a day of the program, so Wed 7 Nov is shown."),
        (
            "day=" + "9" * 10000,
            "“99999999999999999999999…” is not a day of the program, so Wed 7 Nov is shown.",
        ),
        ("day=%00%01x", "“x” is not a day of the program, so Wed 7 Nov is shown."),
    ],
    ids=["banana", "outside-program", "huge", "control-characters"],
)
def test_invalid_day_names_the_value_and_the_menu_shows_the_day_shown(
    client, program, query, message
):
    response = client.get(f"/program/?{query}&topic=ai")

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = re.search(r'<ul class="field-errors" id="day-errors">\s*<li>(.*?)</li>', html)
    assert errors.group(1) == f"{message} Choose a day of the program from the list."
    assert selected_options(html, "day") == ["Wed 7 Nov"]
    assert selected_options(html, "topic") == ["All"]
    assert '<p class="lead">Wednesday, November 7, 2018</p>' in html


def test_invalid_filter_keeps_the_valid_day_and_the_menus_agree(client, program):
    response = client.get("/program/?day=2018-11-08&topic=ai&venue=nope")

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert selected_options(html, "day") == ["Thu 8 Nov"]
    assert selected_options(html, "topic") == ["All"]
    assert selected_options(html, "venue") == ["All"]
    assert session_titles(html) == ["Opening and keynote speeches"]


def test_empty_day_parameter_means_the_default_day(client, program):
    response = client.get("/program/?day=&topic=ai")

    assert response.status_code == 200
    assert session_titles(response.get_data(as_text=True)) == ["Opening ceremony"]


def test_cancelled_session_stays_listed_and_marked(client, program):
    services.cancel_session(program.dialogue, actor=OPERATOR)

    html = client.get("/program/?day=2018-11-07").get_data(as_text=True)

    assert session_titles(html) == ["Opening ceremony", "Wuzhen Talks"]
    assert html.count('<strong class="badge badge-cancelled">Cancelled</strong>') == 1
    assert 'class="card session-card is-cancelled"' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("topic=nope", "topic", "Choose a topic from the list."),
        ("venue=%3Cscript%3E", "venue", "Choose a venue from the list."),
        ("subforum=x", "subforum", "Choose a subforum from the list."),
        ("q=" + "a" * 201, "q", "Search for at most 200 characters."),
    ],
    ids=["topic", "script-venue", "subforum", "huge-q"],
)
def test_invalid_filters_answer_400_with_the_message_beside_the_field(
    client, program, query, field, message
):
    response = client.get(f"/program/?{query}")

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = re.search(rf'<ul class="field-errors" id="{field}-errors">\s*<li>(.*?)</li>', html)
    assert errors is not None
    assert errors.group(1) == message
    assert f'aria-describedby="{field}-errors"' in html
    assert f'<li><a href="#{field}">{message}</a></li>' in html
    assert session_titles(html) == ["Opening ceremony", "Wuzhen Talks"]


@pytest.mark.parametrize(
    "query",
    [
        "q=%3Cscript%3Ealert(1)%3C/script%3E",
        "q=%00",
        "q=" + "界" * 5000,
        "day=" + "9" * 10000,
        "page=-1",
        "topic=%00&venue=%FF",
    ],
    ids=["script", "nul", "huge-unicode", "huge-day", "unknown-parameter", "bad-bytes"],
)
def test_hostile_query_strings_never_fail(client, program, query):
    response = client.get(f"/program/?{query}")

    assert response.status_code in {200, 400}
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_script_query_is_shown_escaped(client, program):
    html = client.get("/program/?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)

    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_subforum_list_shows_time_venue_and_topics(client, program):
    html = client.get("/subforums/").get_data(as_text=True)

    assert "1 subforum on 8 and 9 November" in html
    assert '<a href="/subforums/fintech-credit/">Fintech and Building a Credit Society</a>' in html
    assert '<time datetime="2018-11-08T00:30:00+00:00">Thu 8 Nov, 08:30</time>' in html
    assert "<li>Fintech</li>" in html


def test_subforum_list_shows_seats_left(client, program):
    html = client.get("/subforums/").get_data(as_text=True)

    assert '<p class="seats">200 seats left</p>' in html


def test_subforum_list_marks_a_full_subforum(client, program):
    subforum = program.subforum
    subforum.seats_taken = subforum.capacity
    db.session.commit()

    html = client.get("/subforums/").get_data(as_text=True)

    assert (
        '<p class="seats"><strong class="badge badge-full">Full</strong> '
        "New registrations join the waitlist.</p>"
    ) in html


def test_subforum_list_in_chinese_shows_seats_in_chinese(client, program):
    client.get("/language/zh")

    html = client.get("/subforums/").get_data(as_text=True)

    assert '<p class="seats">剩余 200 个席位</p>' in html


def test_subforum_list_runs_a_constant_number_of_queries(client, program, query_counter):
    with query_counter(db.engine) as small:
        client.get("/subforums/")
    for _ in range(10):
        factories.make_subforum(program.conference, venue=factories.make_venue())
    db.session.expunge_all()
    with query_counter(db.engine) as large:
        html = client.get("/subforums/").get_data(as_text=True)

    assert html.count('<p class="seats">') == 11
    assert small.count == large.count


def test_subforum_detail_cards_leave_out_the_subforum_they_are_on(client, program):
    html = client.get("/subforums/fintech-credit/").get_data(as_text=True)

    assert session_titles(html) == ["Opening and keynote speeches"]
    assert 'class="subforum-link"' not in html


def test_program_cards_name_their_subforum(client, program):
    html = client.get("/program/?day=2018-11-08").get_data(as_text=True)

    assert re.findall(r'<p class="subforum-link"><a href="([^"]+)">([^<]+)</a></p>', html) == [
        ("/subforums/fintech-credit/", "Fintech and Building a Credit Society")
    ]


def test_subforum_detail_lists_sessions_hosts_and_topic_links(client, program):
    html = client.get("/subforums/fintech-credit/").get_data(as_text=True)

    assert "<h1>Fintech and Building a Credit Society" in html
    assert '<p class="alt-title" lang="zh-Hans">金融科技与信用社会建设</p>' in html
    assert "<dd>Demo Host Association</dd>" in html
    assert '<dd>200 seats · 200 left · <a href="/register/">Register</a></dd>' in html
    assert '<a href="/program/?day=2018-11-08&amp;topic=fintech">Fintech</a>' in html
    assert session_titles(html) == ["Opening and keynote speeches"]


def test_session_detail_shows_time_place_and_speakers(client, program):
    session_id = program.dialogue.id

    html = client.get(f"/sessions/{session_id}/").get_data(as_text=True)

    assert "<h1>Wuzhen Talks" in html
    assert (
        '<time datetime="2018-11-07T06:00:00+00:00">Wed 7 Nov, 14:00</time>–'
        '<time datetime="2018-11-07T08:00:00+00:00">16:00</time>'
    ) in html
    assert "<dd>WIICEC · Wuzhen Hall</dd>" in html
    speakers = re.findall(
        r'<a href="/speakers/([^/]+)/">([^<]+)</a>\s*<span class="role">(\w+)', html
    )
    assert speakers == [("yang-rui", "Yang Rui", "Moderator"), ("pony-ma", "Pony Ma", "Speaker")]


def test_cancelled_session_detail_says_so(client, program):
    services.cancel_session(program.opening, actor=OPERATOR)

    html = client.get(f"/sessions/{program.opening.id}/").get_data(as_text=True)

    assert "This session has been cancelled." in html


def test_private_session_is_not_found(client, program):
    hidden = factories.make_session(program.conference, title="Closed meeting", is_public=False)

    assert client.get(f"/sessions/{hidden.id}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/sessions/999/",
        "/sessions/0/",
        "/sessions/-1/",
        "/sessions/abc/",
        "/sessions/99999999999999999999/",
        "/subforums/nope/",
        "/speakers/nope/",
    ],
)
def test_unknown_items_are_404(client, program, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_speakers_index_is_alphabetical_and_searchable(client, program):
    html = client.get("/speakers/").get_data(as_text=True)
    names = re.findall(r'<h2><a href="/speakers/[^/]+/">([^<]+)</a></h2>', html)
    assert names == ["Pony Ma", "Yang Rui"]

    found = client.get("/speakers/?q=tencent").get_data(as_text=True)
    assert re.findall(r'<h2><a href="/speakers/[^/]+/">([^<]+)</a></h2>', found) == ["Pony Ma"]
    assert "1 speaker" in found


def test_speaker_search_rejects_huge_query(client, program):
    response = client.get("/speakers/?q=" + "x" * 500)

    assert response.status_code == 400
    assert "Search for at most 200 characters." in response.get_data(as_text=True)


def test_speaker_detail_names_the_subforum_of_each_session(client, program):
    chehade = factories.make_speaker(slug="fadi-chehade", name="Fadi Chehadé")
    factories.make_session(
        program.conference,
        title="Panel discussion",
        starts_at=utc(8, 3),
        subforum=program.subforum,
        speakers=[(chehade, SpeakerRole.SPEAKER)],
    )
    factories.make_session(
        program.conference,
        title="Closing ceremony",
        starts_at=utc(9, 8),
        speakers=[(chehade, SpeakerRole.SPEAKER)],
    )

    html = client.get("/speakers/fadi-chehade/").get_data(as_text=True)

    items = re.findall(r'<ul class="appearance-list">(.*?)</ul>', html, re.S)[0]
    lines = [
        " ".join(re.sub(r"<[^>]+>", "", li).split())
        for li in re.findall(r"<li>(.*?)</li>", items, re.S)
    ]
    assert lines == [
        "Thu 8 Nov, 11:00 · Panel discussion (Speaker) · "
        "Subforum: Fintech and Building a Credit Society",
        "Fri 9 Nov, 16:00 · Closing ceremony (Speaker)",
    ]
    assert '<a href="/subforums/fintech-credit/">Fintech and Building a Credit Society</a>' in html


@pytest.mark.parametrize(
    "query",
    ["chehade", "CHEHADE", "Chehadé", "切哈德"],
    ids=["plain", "upper-case", "accented", "chinese"],
)
def test_speaker_search_ignores_accents_and_case(client, program, query):
    factories.make_speaker(slug="fadi-chehade", name="Fadi Chehadé", name_zh="法迪·切哈德")

    html = client.get(f"/speakers/?q={query}").get_data(as_text=True)

    assert re.findall(r'<h2><a href="/speakers/[^/]+/">([^<]+)</a></h2>', html) == ["Fadi Chehadé"]


def test_speaker_detail_lists_public_sessions_in_order(client, program):
    html = client.get("/speakers/pony-ma/").get_data(as_text=True)

    appearances = re.findall(r'<a href="/sessions/\d+/">([^<]+)</a>\s*<span class="role">', html)
    assert appearances == ["Opening ceremony", "Wuzhen Talks"]
    assert "<dd>Tencent</dd>" in html
    assert "<dd>China</dd>" in html


def test_pages_show_chinese_content_in_chinese(client, program):
    client.get("/language/zh")

    html = client.get("/program/?day=2018-11-07").get_data(as_text=True)

    assert session_titles(html) == ["开幕式", "Wuzhen Talks"]
    assert '<html lang="zh-Hans">' in html


def add_full_sessions(conference, count, *, starts_at, title=None) -> None:
    """`count` sessions a minute apart, each with its own topic, venue and speaker: everything
    a page loads per session, so a query count that stays flat shows no N+1."""
    for index in range(count):
        factories.make_session(
            conference,
            **({"title": title(index)} if title else {}),
            starts_at=starts_at(index) + timedelta(minutes=index),
            topics=[factories.make_topic()],
            venue=factories.make_venue(),
            speakers=[(factories.make_speaker(), SpeakerRole.SPEAKER)],
        )
    db.session.expunge_all()


def test_program_day_runs_a_constant_number_of_queries(app, client, program, query_counter):
    conference = program.conference
    with query_counter(db.engine) as small:
        client.get("/program/?day=2018-11-07")
    add_full_sessions(conference, 30, starts_at=lambda index: utc(7, 1))
    with query_counter(db.engine) as large:
        response = client.get("/program/?day=2018-11-07")

    assert len(session_titles(response.get_data(as_text=True))) == 32
    assert small.count == large.count == 9  # the pages' data version, then the day's 8


def test_program_search_runs_a_constant_number_of_queries(app, client, program, query_counter):
    conference = program.conference
    with query_counter(db.engine) as small:
        client.get("/program/?q=opening")
    add_full_sessions(
        conference,
        30,
        starts_at=lambda index: utc(7 + index % 3, 1),
        title=lambda index: f"Opening {index}",
    )
    with query_counter(db.engine) as large:
        response = client.get("/program/?q=opening")

    assert len(session_titles(response.get_data(as_text=True))) == 32
    # the pages' data version, conference, filter choices (3), tab counts, results joined to
    # their venue and subforum, their speaker roles joined to the speakers, and a folded
    # speaker-name scan for each of the counts and the results
    assert small.count == large.count == 10


def test_program_day_points_to_that_days_expo_launches(client, program):
    exhibitor = factories.make_exhibitor(program.conference)
    factories.make_launch(exhibitor, program.conference, starts_at=utc(7, 6))
    factories.make_launch(exhibitor, program.conference, starts_at=utc(8, 6))

    html = client.get("/program/?day=2018-11-07").get_data(as_text=True)

    assert (
        '<a href="/expo/launches/?day=2018-11-07">1 product launch at the Expo on this day</a>'
        in html
    )
    assert "product launch" not in client.get("/program/?day=2018-11-09").get_data(as_text=True)


def test_program_day_without_the_expos_count_points_to_no_launch(app, client, program):
    exhibitor = factories.make_exhibitor(program.conference)
    factories.make_launch(exhibitor, program.conference, starts_at=utc(7, 6))
    del app.extensions[LAUNCH_COUNT]  # an app whose factory hands the program no Expo

    html = client.get("/program/?day=2018-11-07").get_data(as_text=True)

    assert "product launch" not in html


def test_subforum_detail_leaves_out_private_sessions(client, program):
    factories.make_session(
        program.conference,
        title="Closed working dinner",
        subforum=program.subforum,
        is_public=False,
    )

    html = client.get("/subforums/fintech-credit/").get_data(as_text=True)

    assert session_titles(html) == ["Opening and keynote speeches"]


# --- Chinese content, source notes and the sources page ------------------------------------


@pytest.fixture
def bilingual(app) -> worlds.SourcedSubforum:
    return worlds.sourced_subforum()


def source_note(html: str) -> str:
    return re.search(r'<p class="source-note">(.*?)</p>', html, re.S).group(1)


def test_chinese_subforum_page_shows_chinese_hosts_and_source_note(client, bilingual):
    client.get("/language/zh")

    html = client.get("/subforums/personal-information-protection/").get_data(as_text=True)

    assert "<dt>主办单位</dt><dd>最高人民检察院、浙江省人民检察院</dd>" in html
    assert source_note(html) == (
        '来源：<a href="/sources/#S4">S4</a>、<a href="/sources/#S14">S14</a>；英文标题为翻译'
    )


def test_english_subforum_page_keeps_english_hosts_and_note(client, bilingual):
    html = client.get("/subforums/personal-information-protection/").get_data(as_text=True)

    assert "<dd>Supreme People&#39;s Procuratorate; Zhejiang Provincial Procuratorate</dd>" in html
    assert source_note(html) == (
        'Source: <a href="/sources/#S4">S4</a>, <a href="/sources/#S14">S14</a>;'
        " the English title is a translation"
    )


def test_chinese_speaker_pages_show_position_and_organisation_in_chinese(client, bilingual):
    client.get("/language/zh")

    detail = client.get("/speakers/qiu-xueqiang/").get_data(as_text=True)
    listing = client.get("/speakers/").get_data(as_text=True)
    session = client.get(f"/sessions/{bilingual.session.id}/").get_data(as_text=True)

    assert re.findall(r"<dt>(职务|机构)</dt><dd>(.*?)</dd>", detail) == [
        ("职务", "副检察长"),
        ("机构", "最高人民检察院"),
    ]
    assert source_note(detail) == '来源：<a href="/sources/#S14">S14</a>'
    assert '<p class="meta">副检察长，最高人民检察院</p>' in listing
    assert '<span class="affiliation">副检察长，最高人民检察院</span>' in session
    assert source_note(session) == '来源：<a href="/sources/#S14">S14</a>：邱学强主持开幕'


def test_hostile_source_note_is_escaped_around_its_links(client, app):
    factories.make_speaker(
        slug="mallory",
        name="Mallory",
        source_note='<script>alert("S4")</script> S4 & <a href="//evil">B</a>',
    )

    html = client.get("/speakers/mallory/").get_data(as_text=True)

    assert source_note(html) == (
        "Source: &lt;script&gt;alert(&#34;"
        '<a href="/sources/#S4">S4</a>'
        "&#34;)&lt;/script&gt; "
        '<a href="/sources/#S4">S4</a>'
        " &amp; &lt;a href=&#34;//evil&#34;&gt;"
        '<a href="/sources/#B">B</a>'
        "&lt;/a&gt;"
    )


def test_sources_page_lists_every_reference_by_code(client, app):
    html = client.get("/sources/").get_data(as_text=True)

    codes = re.findall(r'<li id="([^"]+)">\s*<strong class="source-code">([^<]+)</strong>', html)
    assert [code for code, shown in codes if code == shown] == [
        *(f"S{number}" for number in range(1, 38)),
        "S39",
        "B",
    ]
    assert (
        "<cite>Plenary Meeting of the 5th WIC Kicks off</cite>\n"
        '    <span class="meta">People&#39;s Government of Zhejiang Province · '
        "<time>2018-11-09</time></span>"
    ) in html
    assert (
        '<a href="http://english.zj.gov.cn/art/2018/11/9/art_5798_2295461.html"'
        ' rel="nofollow noopener noreferrer">'
    ) in html


def test_sources_page_in_chinese_gives_chinese_titles_and_publishers(client, app):
    client.get("/language/zh")

    html = client.get("/sources/").get_data(as_text=True)

    assert "<h1>资料来源</h1>" in html
    assert (
        "<cite>第五届世界互联网大会全体会议开幕</cite>\n"
        '    <span class="meta">浙江省人民政府 · <time>2018-11-09</time></span>'
    ) in html


def test_footer_links_to_the_sources_page(client, app):
    html = client.get("/sources/").get_data(as_text=True)

    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    assert '<p><a href="/sources/">Sources of the program and Expo data</a></p>' in footer


CITED_IN_THE_DEMO = sorted(
    ["B", *(f"S{n}" for n in [*range(1, 20), 21, 22, 23, 24, 25, 27, 35, 39])]
)


def test_every_code_cited_in_the_demo_links_to_an_entry_of_the_sources_page(demo_client):
    page = demo_client.get("/sources/").get_data(as_text=True)
    anchors = set(re.findall(r'<li id="([^"]+)">', page))
    notes = [
        note
        for model in db.Model.__subclasses__()
        if issubclass(model, ProvenanceMixin)
        for row in db.session.scalars(sa.select(model))
        for note in (row.source_note, row.source_note_zh)
    ]

    cited = {part.code for note in notes for part in note_parts(note) if part.code}
    written = {match.group(1) for note in notes for match in CODE.finditer(note)}
    assert written == cited
    assert sorted(cited - anchors) == []
    assert sorted(cited) == CITED_IN_THE_DEMO


# --- a busy day, in parts by start time ---------------------------------------------------------


def local(hour: int, minute: int = 0):
    """A time on 7 November 2018 in Wuzhen (UTC+8)."""
    return utc(7, hour - 8) + timedelta(minutes=minute)


@pytest.fixture
def busy_day(app):
    """Eleven sessions at five start times, shown in parts of at most three."""
    app.config["PROGRAM_PART_SIZE"] = 3
    conference = factories.make_conference()
    for hour, count in ((9, 2), (10, 2), (11, 1), (12, 5), (14, 1)):
        for number in range(1, count + 1):
            factories.make_session(
                conference,
                title=f"{hour}h talk {number}",
                starts_at=local(hour),
                ends_at=local(hour, 45),
            )
    return app


def part_links(html: str) -> list[tuple[str, str, str]]:
    """Each part's address, label and count, as the part tabs show them."""
    nav = html[html.index('<nav class="day-tabs part-tabs"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+) <span class="count">\((\d+)\)', nav)


def test_a_busy_day_is_shown_in_parts_cutting_only_a_slot_too_large(busy_day, client):
    first = client.get("/program/?day=2018-11-07")
    html = first.get_data(as_text=True)

    assert first.status_code == 200
    assert part_links(html) == [
        ("/program/?day=2018-11-07", "09:00", "2"),
        ("/program/?day=2018-11-07&amp;time=10:00", "10:00–11:00", "3"),
        ("/program/?day=2018-11-07&amp;time=12:00", "12:00, part 1 of 2", "2"),
        ("/program/?day=2018-11-07&amp;time=12:00-2", "12:00, part 2 of 2", "3"),
        ("/program/?day=2018-11-07&amp;time=14:00", "14:00", "1"),
    ]
    assert session_titles(html) == ["9h talk 1", "9h talk 2"]
    assert "11 sessions" in html
    assert (
        'href="/program/?day=2018-11-07&amp;time=10:00">Later sessions on this day, from 10:00'
        in html
    )


LATER = re.compile(r'<p class="later-part"><a href="[^"]*time=([^"]+)">')


@pytest.mark.parametrize(
    ("time", "titles", "later"),
    [
        ("10:00", ["10h talk 1", "10h talk 2", "11h talk 1"], ["12:00"]),
        ("12:00", ["12h talk 1", "12h talk 2"], ["12:00-2"]),
        ("12:00-2", ["12h talk 3", "12h talk 4", "12h talk 5"], ["14:00"]),
        ("14:00", ["14h talk 1"], []),
    ],
)
def test_each_part_shows_its_own_sessions(busy_day, client, time, titles, later):
    response = client.get(f"/program/?day=2018-11-07&time={time}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert session_titles(html) == titles
    assert f'time={time}" aria-current="page"' in html
    assert LATER.findall(html) == later


@pytest.mark.parametrize(
    ("time", "location"),
    [
        ("10:30", "/program/?day=2018-11-07&time=10:00"),  # inside a part: to the part
        ("12:00-9", "/program/?day=2018-11-07&time=12:00"),  # no such piece: its slot's first
        ("09:00", "/program/?day=2018-11-07"),  # the first part is the day's own address
        ("08:00", "/program/?day=2018-11-07"),  # before the first session
        ("noon", "/program/?day=2018-11-07"),  # not a time
    ],
)
def test_another_time_is_sent_to_its_parts_one_address(busy_day, client, time, location):
    response = client.get(f"/program/?day=2018-11-07&time={time}")

    assert (response.status_code, response.headers["Location"]) == (302, location)


def test_a_day_shown_whole_or_a_search_drops_a_time(busy_day, client):
    busy_day.config["PROGRAM_PART_SIZE"] = 60
    whole = client.get("/program/?day=2018-11-07")
    timed = client.get("/program/?day=2018-11-07&time=10:00")
    search = client.get("/program/?q=talk&time=10:00")

    assert 'class="day-tabs part-tabs"' not in whole.get_data(as_text=True)
    assert len(session_titles(whole.get_data(as_text=True))) == 11
    assert (timed.status_code, timed.headers["Location"]) == (302, "/program/?day=2018-11-07")
    assert (search.status_code, search.headers["Location"]) == (302, "/program/?q=talk")


def test_filters_apply_before_the_day_is_cut(busy_day, client):
    """Narrowed to a venue, a busy day may fit on one page: no parts then."""
    conference = db.session.scalar(sa.select(Conference))
    venue = factories.make_venue(slug="hall-b")
    factories.make_session(conference, title="In hall B", starts_at=local(12), venue=venue)

    response = client.get("/program/?day=2018-11-07&venue=hall-b")
    html = response.get_data(as_text=True)

    assert session_titles(html) == ["In hall B"]
    assert 'class="day-tabs part-tabs"' not in html


def test_a_day_of_many_sessions_stays_a_light_page(app, client):
    """130 sessions with two speakers each, ten at each start time: parts of at most 60 (the
    default), every session on exactly one of them, and no part page above 60 KB."""
    conference = factories.make_conference()
    venue = factories.make_venue(building="Wuzhen Internet International Convention Center")
    subforum = factories.make_subforum(conference, title="Digital Economy and Trade")
    speakers = [factories.make_speaker(name=f"Speaker Number {n}") for n in range(20)]
    for number in range(130):
        factories.make_session(
            conference,
            title=f"Connecting next-generation research for the digital economy {number:03d}",
            starts_at=local(9, 15 * (number // 10)),
            ends_at=local(9, 15 * (number // 10) + 45),
            venue=venue,
            subforum=subforum,
            speakers=[
                (speakers[number % 20], SpeakerRole.SPEAKER),
                (speakers[(number + 7) % 20], SpeakerRole.MODERATOR),
            ],
        )

    first = client.get("/program/?day=2018-11-07")
    links = part_links(first.get_data(as_text=True))
    pages = [client.get(href.replace("&amp;", "&")) for href, _, _ in links]
    shown = [title for page in pages for title in session_titles(page.get_data(as_text=True))]

    assert [count for _, _, count in links] == ["60", "60", "10"]
    assert sorted(shown) == sorted(
        f"Connecting next-generation research for the digital economy {number:03d}"
        for number in range(130)
    )
    assert max(len(page.data) for page in pages) < 60_000
