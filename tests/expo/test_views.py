"""Expo pages: directory, exhibitor page and launch schedule, with exact content."""

from __future__ import annotations

import html
import re

import pytest

from tests import factories
from tests.worlds import ALL_COMPANIES
from wuzhen_events.extensions import db

LAUNCHING = [
    "100% Digital Media",
    "Alibaba Cloud",
    "Cloud Rise Technologies",
    "Nokia",
    "Under_Score Robotics",
]
PAGE_ERROR = "Page numbers are whole numbers from 1 up."


def page_of(response) -> str:
    return response.get_data(as_text=True)


def company_names(page: str) -> list[str]:
    found = re.findall(r'<h2 id="exhibitor-\d+-title"><a href="[^"]+">([^<]+)</a></h2>', page)
    return [html.unescape(name) for name in found]


def results_count(page: str) -> str:
    return re.search(r'<p class="results-count">([^<]*)</p>', page).group(1)


def field_errors(page: str, field: str) -> list[str]:
    block = re.search(rf'<ul class="field-errors" id="{field}-errors">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def form_problems(page: str) -> list[str]:
    block = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S)
    if block is None:
        return []
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", block.group(1))]


def pagination_links(page: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="pagination"[^>]*>(.*?)</nav>', page, re.S)
    if nav is None:
        return []
    return [
        (html.unescape(href), label)
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))
    ]


def title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


# Directory


def test_directory_lists_every_exhibitor_by_name_with_the_total(client, expo):
    response = client.get("/expo/")

    page = page_of(response)
    assert response.status_code == 200
    assert company_names(page) == ALL_COMPANIES
    assert results_count(page) == "7 exhibitors"
    assert pagination_links(page) == []
    assert "Clear filters" not in page


def test_directory_card_shows_sector_country_stand_launch_and_provenance(client, expo):
    page = page_of(client.get("/expo/?q=Nokia"))

    card = re.search(r'<article class="card exhibitor-card".*?</article>', page, re.S).group(0)
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)).strip() == (
        "Nokia 5G and telecommunications · Finland Hall 10, booth C03 Launching a product inferred"
    )
    assert '<a href="/expo/nokia/">Nokia</a>' in card
    assert '<span class="badge badge-launch">Launching a product</span>' in card


def test_directory_card_without_launch_has_no_marker(client, expo):
    page = page_of(client.get("/expo/?q=Qualcomm"))

    assert company_names(page) == ["Qualcomm"]
    assert "Launching a product</span>" not in page
    assert '<span class="badge badge-demo"' in page


@pytest.mark.parametrize(
    ("query", "expected", "count"),
    [
        ("sector=5g-telecom", ["Nokia"], "1 of 7 exhibitors matches"),
        ("hall=2", ["Cloud Rise Technologies", "Qualcomm"], "2 of 7 exhibitors match"),
        (
            "country=CN",
            ["100% Digital Media", "Alibaba Cloud", "Cloud Rise Technologies"],
            "3 of 7 exhibitors match",
        ),
        ("launches=1", LAUNCHING, "5 of 7 exhibitors match"),
        ("q=CLOUD", ["Alibaba Cloud", "Cloud Rise Technologies"], "2 of 7 exhibitors match"),
        ("q=云启", ["Cloud Rise Technologies"], "1 of 7 exhibitors matches"),
        ("q=阿里", ["Alibaba Cloud"], "1 of 7 exhibitors matches"),
        ("q=base+station", ["Nokia"], "1 of 7 exhibitors matches"),
        ("q=城市大脑", ["Alibaba Cloud"], "1 of 7 exhibitors matches"),
        ("q=%25", ["100% Digital Media"], "1 of 7 exhibitors matches"),
        ("q=_", ["Under_Score Robotics"], "1 of 7 exhibitors matches"),
        ("q=++nokia++", ["Nokia"], "1 of 7 exhibitors matches"),
        ("q=cloud&country=CN&hall=1&launches=1", ["Alibaba Cloud"], "1 of 7 exhibitors matches"),
    ],
    ids=[
        "sector",
        "hall",
        "country",
        "launches",
        "company-any-case",
        "company-zh",
        "company-zh-prefix",
        "product",
        "product-zh",
        "percent-is-literal",
        "underscore-is-literal",
        "blanks-trimmed",
        "combined",
    ],
)
def test_directory_filters(client, expo, query, expected, count):
    response = client.get(f"/expo/?{query}")

    page = page_of(response)
    assert response.status_code == 200
    assert company_names(page) == expected
    assert results_count(page) == count
    assert '<a href="/expo/">Clear filters</a>' in page


def test_directory_filter_form_is_labelled_and_keeps_the_choices(client, expo):
    page = page_of(client.get("/expo/?sector=5g-telecom&hall=10&country=FI&launches=1&q=5G"))

    for field in ("q", "sector", "hall", "country", "launches"):
        assert f'<label for="{field}">' in page
    assert '<input id="q" maxlength="200" name="q" type="search" value="5G">' in page
    assert '<option selected value="5g-telecom">5G and telecommunications</option>' in page
    assert re.findall(r'<select id="hall" name="hall">(.*?)</select>', page) == [
        '<option value="">All halls</option><option value="1">Hall 1</option>'
        '<option value="2">Hall 2</option><option selected value="10">Hall 10</option>'
        '<option value="A">Hall A</option>'
    ]
    assert re.findall(r'<select id="country" name="country">(.*?)</select>', page) == [
        '<option value="">All countries and regions</option><option value="CN">China</option>'
        '<option selected value="FI">Finland</option><option value="DE">Germany</option>'
        '<option value="JP">Japan</option><option value="US">United States</option>'
    ]
    assert '<input checked id="launches" name="launches" type="checkbox" value="1">' in page
    assert company_names(page) == ["Nokia"]


def test_directory_pages_keep_the_filters_in_their_links(app, client, expo):
    app.config["EXPO_PAGE_SIZE"] = 2

    page = page_of(client.get("/expo/?launches=1&q=&page=2"))

    assert company_names(page) == ["Cloud Rise Technologies", "Nokia"]
    assert results_count(page) == "5 of 7 exhibitors match"
    assert pagination_links(page) == [
        ("/expo/?launches=1", "Previous"),
        ("/expo/?launches=1", "1"),
        ("/expo/?launches=1&page=2", "2"),
        ("/expo/?launches=1&page=3", "3"),
        ("/expo/?launches=1&page=3", "Next"),
    ]
    assert '<a href="/expo/?launches=1&amp;page=2" aria-current="page">2</a>' in page


def test_directory_page_links_carry_every_filter(app, client, expo):
    app.config["EXPO_PAGE_SIZE"] = 1

    page = page_of(client.get("/expo/?country=CN&q=i&sector=&hall="))

    assert company_names(page) == ["100% Digital Media"]
    assert pagination_links(page)[-1] == ("/expo/?q=i&country=CN&page=2", "Next")


@pytest.mark.parametrize(
    "number",
    ["5", "99", "99999999999999999999", "9" * 5000],
    ids=["next", "far", "20-digit", "5000-digit"],
)
def test_directory_page_past_the_end_shows_the_last_page(app, client, expo, number):
    app.config["EXPO_PAGE_SIZE"] = 2

    response = client.get(f"/expo/?page={number}")

    page = page_of(response)
    assert response.status_code == 200
    assert company_names(page) == ["Zeta Security"]
    assert results_count(page) == "7 exhibitors"
    assert '<p class="notice">There are only 4 pages of results; this is the last one.</p>' in page
    assert '<a href="/expo/?page=4" aria-current="page">4</a>' in page


def test_directory_page_past_the_only_page_says_so(client, expo):
    page = page_of(client.get("/expo/?page=2"))

    assert company_names(page) == ALL_COMPANIES
    assert '<p class="notice">There is only 1 page of results, shown here.</p>' in page


def test_directory_without_match_offers_to_clear_the_filters(client, expo):
    response = client.get("/expo/?q=no+such+company&page=3")

    page = page_of(response)
    assert response.status_code == 200
    assert company_names(page) == []
    assert results_count(page) == "0 of 7 exhibitors match"
    empty = re.search(r'<div class="empty-state">(.*?)</div>', page, re.S).group(1)
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", empty)).strip() == (
        "No exhibitors match these filters. Try a shorter search or fewer filters. "
        "Clear all filters and see every exhibitor"
    )
    assert '<a href="/expo/">Clear all filters and see every exhibitor</a>' in empty
    assert 'class="notice"' not in page


def test_directory_in_chinese_shows_chinese_company_names(client, expo):
    client.get("/language/zh")

    page = page_of(client.get("/expo/?country=CN"))

    assert company_names(page) == ["100% Digital Media", "阿里云", "云启科技"]
    assert '<option selected value="CN">中国</option>' in page


def test_directory_escapes_a_script_company_name(client, app):
    conference = factories.make_conference()
    factories.make_exhibitor(conference, slug="evil", company="<script>alert(1)</script>")

    page = page_of(client.get("/expo/"))

    assert "<script>alert(1)</script>" not in page
    assert company_names(page) == ["<script>alert(1)</script>"]
    assert '<a href="/expo/evil/">&lt;script&gt;alert(1)&lt;/script&gt;</a>' in page


def test_directory_without_a_conference_is_not_found(client, app):
    assert client.get("/expo/").status_code == 404


# Hostile and invalid input


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("sector=nope", "sector", "Choose a sector from the list."),
        ("sector=%00", "sector", "Choose a sector from the list."),
        ("hall=<script>", "hall", "Choose a hall from the list."),
        ("hall=%00", "hall", "Choose a hall from the list."),
        ("country=ZZ", "country", "Choose a country or region from the list."),
        ("country=cn", "country", "Choose a country or region from the list."),
        ("launches=maybe", "launches", "This box can only be ticked or left empty."),
        ("q=" + "x" * 10_000, "q", "Search for at most 200 characters."),
        ("q=" + "云" * 201, "q", "Search for at most 200 characters."),
    ],
    ids=[
        "sector-unknown",
        "sector-nul",
        "hall-script",
        "hall-nul",
        "country-unknown",
        "country-lowercase",
        "launches-maybe",
        "q-10000-chars",
        "q-201-chinese-chars",
    ],
)
def test_directory_invalid_filter_answers_400_with_the_message_beside_the_field(
    client, expo, query, field, message
):
    response = client.get(f"/expo/?{query}")

    page = page_of(response)
    assert response.status_code == 400
    assert field_errors(page, field) == [message]
    assert re.search(
        rf'<[a-z]+ aria-describedby="{field}-errors" aria-invalid="true" id="{field}"', page
    )
    assert form_problems(page) == [message]
    assert f'<li><a href="#{field}">{message}</a></li>' in page
    assert title(page).startswith("Error: Expo exhibitors")
    # The whole directory is shown beneath, as on the program page.
    assert company_names(page) == ALL_COMPANIES
    assert results_count(page) == "7 exhibitors"
    assert "<script>" not in page.split("<main", 1)[1]


@pytest.mark.parametrize(
    "number",
    ["-1", "0", "banana", "1.5", "%00", "000"],
    ids=["negative", "zero", "word", "decimal", "nul", "zeros"],
)
def test_directory_malformed_page_number_answers_400(client, expo, number):
    response = client.get(f"/expo/?page={number}&sector=5g-telecom")

    page = page_of(response)
    assert response.status_code == 400
    assert form_problems(page) == [PAGE_ERROR]
    assert f"<li>{PAGE_ERROR}</li>" in page
    assert company_names(page) == ALL_COMPANIES


def test_directory_reports_every_invalid_field_at_once(client, expo):
    response = client.get("/expo/?sector=nope&hall=nope&launches=2&page=x")

    assert response.status_code == 400
    assert form_problems(page_of(response)) == [
        "Choose a sector from the list.",
        "Choose a hall from the list.",
        "This box can only be ticked or left empty.",
        PAGE_ERROR,
    ]


def test_directory_script_search_is_shown_escaped(client, expo):
    response = client.get("/expo/?q=<script>alert(1)</script>")

    page = page_of(response)
    assert response.status_code == 200
    assert company_names(page) == []
    assert results_count(page) == "0 of 7 exhibitors match"
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "<script>" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=%00", ALL_COMPANIES),
        ("q=no%00kia", ["Nokia"]),
        ("q=%", ["100% Digital Media"]),
        ("q=%25", ["100% Digital Media"]),
        ("q=_", ["Under_Score Robotics"]),
        ("q=%25%25", []),
        ("launches=0", ALL_COMPANIES),
        ("launches=", ALL_COMPANIES),
        ("page=", ALL_COMPANIES),
        ("unknown=1", ALL_COMPANIES),
    ],
    ids=[
        "nul-only",
        "nul-inside",
        "raw-percent",
        "percent",
        "underscore",
        "double-percent",
        "launches-off",
        "launches-empty",
        "page-empty",
        "unknown-parameter",
    ],
)
def test_directory_tolerates_odd_but_harmless_input(client, expo, query, expected):
    response = client.get(f"/expo/?{query}")

    assert response.status_code == 200
    assert company_names(page_of(response)) == expected


# Query counts


def fill_expo(exhibitors: int) -> None:
    conference = factories.make_conference()
    for number in range(exhibitors):
        exhibitor = factories.make_exhibitor(conference, hall=str(number % 4 + 1))
        factories.make_launch(exhibitor, conference)
    db.session.remove()


@pytest.mark.parametrize("exhibitors", [5, 60])
@pytest.mark.parametrize(
    ("query", "queries"),
    [("", 6), ("?launches=1&hall=2&page=2", 6), ("?q=exhibitor&launches=1&hall=2&page=2", 7)],
    ids=["all", "filtered", "searched"],
)
def test_directory_runs_a_fixed_number_of_queries_whatever_the_size(
    client, app, query_counter, exhibitors, query, queries
):
    fill_expo(exhibitors)

    with query_counter(db.engine) as log:
        response = client.get(f"/expo/{query}")

    assert response.status_code == 200
    # the pages' data version, conference, hall/country facets with the grand total, match
    # count, page, launches;
    # a text search adds one scan of the names it folds
    assert log.count == queries


def test_exhibitor_page_runs_two_queries(client, expo, query_counter):
    db.session.remove()

    with query_counter(db.engine) as log:
        response = client.get("/expo/alibaba-cloud/")

    assert response.status_code == 200
    assert log.count == 3  # the pages' data version, exhibitor, launches


@pytest.mark.parametrize("exhibitors", [5, 60])
def test_launch_schedule_runs_three_queries_whatever_the_size(
    client, app, query_counter, exhibitors
):
    fill_expo(exhibitors)

    with query_counter(db.engine) as log:
        response = client.get("/expo/launches/")

    assert response.status_code == 200
    assert results_count(page_of(response)) == f"{exhibitors} launches"
    # the pages' data version, conference, stages with counts, launches with exhibitors
    assert log.count == 4


# Exhibitor page


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_exhibitor_page_shows_names_stand_website_description_and_launch(client, expo):
    response = client.get("/expo/alibaba-cloud/")

    page = page_of(response)
    assert response.status_code == 200
    assert title(page).startswith("Alibaba Cloud ·")
    assert "<h1>Alibaba Cloud </h1>" in page
    assert '<p class="alt-title" lang="zh-Hans">阿里云</p>' in page
    facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    assert text_of(facts) == (
        "Sector Cloud and big data Country or region China Stand Hall 1, booth A01 "
        "Website https://www.alibabacloud.com/"
    )
    assert (
        '<a href="https://www.alibabacloud.com/" rel="noopener nofollow">'
        "https://www.alibabacloud.com/</a>"
    ) in facts
    assert '<div class="prose"><p>Cloud computing and city-scale data platforms.</p></div>' in page
    launches = re.search(r'<ul class="launch-list">(.*?)</ul>', page, re.S).group(1)
    assert text_of(launches) == (
        "ET City Brain 2.0 Wednesday, November 7, 2018, 14:00 – 14:30 "
        "(conference time, UTC+8) · Launch Stage A A traffic platform for whole cities."
    )
    assert '<time datetime="2018-11-07T06:00:00+00:00">' in launches
    assert '<a href="/expo/">Back to the Expo directory</a>' in page


def test_exhibitor_page_in_chinese_shows_chinese_content(client, expo):
    client.get("/language/zh")

    page = page_of(client.get("/expo/alibaba-cloud/"))

    assert "<h1>阿里云 </h1>" in page
    assert '<p class="alt-title" lang="en">Alibaba Cloud</p>' in page
    assert '<div class="prose"><p>云计算与城市数据平台。</p></div>' in page
    launch = text_of(re.search(r'<ul class="launch-list">(.*?)</ul>', page, re.S).group(1))
    assert launch.startswith("城市大脑2.0 2018年11月7日星期三，14:00 – 14:30")
    assert launch.endswith("· 发布台A 面向整座城市的交通平台。")


def test_exhibitor_source_note_is_chinese_on_chinese_pages_with_codes_linked(client, expo):
    factories.make_exhibitor(
        expo.conference,
        slug="baidu",
        company="Baidu",
        source_note="S15; hall and booth are demo placements",
        source_note_zh="S15；展馆和展位为演示安排",
    )
    english = page_of(client.get("/expo/baidu/"))
    client.get("/language/zh")

    chinese = page_of(client.get("/expo/baidu/"))

    notes = [
        re.search(r'<p class="source-note">(.*?)</p>', page).group(1) for page in (english, chinese)
    ]
    assert notes == [
        'Source: <a href="/sources/#S15">S15</a>; hall and booth are demo placements',
        '来源：<a href="/sources/#S15">S15</a>；展馆和展位为演示安排',
    ]


def test_exhibitor_page_without_chinese_name_or_launch(client, expo):
    page = page_of(client.get("/expo/qualcomm/"))

    assert 'class="alt-title"' not in page
    assert "Website" not in page
    assert "<p>This exhibitor has no product launch on the Expo schedule.</p>" in page
    assert '<span class="badge badge-demo"' in page


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "ftp://files.example.com/",
        "www.example.com",
        "http://",
        "http://[::1",
    ],
    ids=["javascript", "ftp", "no-scheme", "no-host", "malformed"],
)
def test_exhibitor_page_links_only_http_websites(client, app, website):
    conference = factories.make_conference()
    factories.make_exhibitor(conference, slug="odd-site", company="Odd Site", website=website)

    response = client.get("/expo/odd-site/")

    page = page_of(response)
    assert response.status_code == 200
    assert "Website" not in page
    assert 'rel="noopener nofollow"' not in page


@pytest.mark.parametrize(
    "path",
    ["/expo/no-such-exhibitor/", "/expo/%00/", "/expo/" + "a" * 500 + "/", "/expo/<script>/"],
    ids=["unknown", "nul", "long", "script"],
)
def test_unknown_exhibitor_is_404(client, expo, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page_of(response)


# Launch schedule


def launch_outline(page: str) -> list[str]:
    """Day headings, slot times and products, in page order."""
    pattern = (
        r'<h2 id="day-[^"]+">([^<]+)</h2>'
        r'|<h3 id="day-[^"]+" class="slot-time"><time datetime="[^"]+">([^<]+)</time></h3>'
        r"|<h4>([^<]+?)\s*<"
    )
    return ["".join(groups) for groups in re.findall(pattern, page)]


def test_launch_schedule_groups_by_day_then_time(client, expo):
    response = client.get("/expo/launches/")

    page = page_of(response)
    assert response.status_code == 200
    assert results_count(page) == "5 launches"
    assert launch_outline(page) == [
        "Tuesday, November 6, 2018",
        "10:00",
        "Wuzhen VR Tour",
        "Wednesday, November 7, 2018",
        "07:30",
        "Helper Robot",
        "14:00",
        "ET City Brain 2.0",
        "Rise Edge AI Box",
        "Thursday, November 8, 2018",
        "10:00",
        "5G Base Station",
    ]


def test_launch_schedule_entry_links_its_exhibitor_and_names_the_stage(client, expo):
    page = page_of(client.get("/expo/launches/?day=2018-11-08"))

    entry = re.search(r'<li class="launch">(.*?)</li>', page, re.S).group(1)
    assert '<a href="/expo/nokia/">Nokia</a> · Launch Stage A' in entry
    assert 'class="badge' not in entry


def test_launch_schedule_marks_demo_launches(client, expo):
    page = page_of(client.get("/expo/launches/?stage=Launch+Stage+B"))

    entries = re.findall(r'<li class="launch">(.*?)</li>', page, re.S)
    assert ['<span class="badge badge-demo"' in entry for entry in entries] == [False, True]


@pytest.mark.parametrize(
    ("query", "expected", "count"),
    [
        (
            "day=2018-11-07",
            [
                "Wednesday, November 7, 2018",
                "07:30",
                "Helper Robot",
                "14:00",
                "ET City Brain 2.0",
                "Rise Edge AI Box",
            ],
            "3 of 5 launches match",
        ),
        (
            "stage=Launch+Stage+A",
            [
                "Wednesday, November 7, 2018",
                "14:00",
                "ET City Brain 2.0",
                "Thursday, November 8, 2018",
                "10:00",
                "5G Base Station",
            ],
            "2 of 5 launches match",
        ),
        (
            "day=2018-11-07&stage=Launch+Stage+B",
            ["Wednesday, November 7, 2018", "07:30", "Helper Robot", "14:00", "Rise Edge AI Box"],
            "2 of 5 launches match",
        ),
    ],
    ids=["day", "stage", "day-and-stage"],
)
def test_launch_schedule_filters(client, expo, query, expected, count):
    response = client.get(f"/expo/launches/?{query}")

    page = page_of(response)
    assert response.status_code == 200
    assert launch_outline(page) == expected
    assert results_count(page) == count


def test_launch_schedule_filter_form_offers_expo_days_and_stages(client, expo):
    page = page_of(client.get("/expo/launches/?day=2018-11-10"))

    assert re.findall(r'<select id="day" name="day">(.*?)</select>', page) == [
        '<option value="">All days</option><option value="2018-11-06">Tue 6 Nov</option>'
        '<option value="2018-11-07">Wed 7 Nov</option><option value="2018-11-08">Thu 8 Nov</option>'
        '<option value="2018-11-09">Fri 9 Nov</option>'
        '<option selected value="2018-11-10">Sat 10 Nov</option>'
    ]
    assert re.findall(r'<select id="stage" name="stage">(.*?)</select>', page) == [
        '<option selected value="">All stages</option>'
        '<option value="Internet Theatre">Internet Theatre</option>'
        '<option value="Launch Stage A">Launch Stage A</option>'
        '<option value="Launch Stage B">Launch Stage B</option>'
    ]


def test_launch_schedule_day_without_launches_has_an_empty_state(client, expo):
    response = client.get("/expo/launches/?day=2018-11-10")

    page = page_of(response)
    assert response.status_code == 200
    assert results_count(page) == "0 of 5 launches match"
    assert launch_outline(page) == []
    empty = re.search(r'<div class="empty-state">(.*?)</div>', page, re.S).group(1)
    assert (
        text_of(empty) == "No launches match these filters. Clear all filters and see every launch"
    )
    assert '<a href="/expo/launches/">Clear all filters and see every launch</a>' in empty


def test_launch_schedule_in_chinese_shows_chinese_stage_names(client, expo):
    client.get("/language/zh")

    page = page_of(client.get("/expo/launches/?day=2018-11-06"))

    assert '<a href="/expo/digital-media-100/">100% Digital Media</a> · 网剧场' in page
    assert '<option value="Internet Theatre">网剧场</option>' in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("day=banana", "day", "Choose a day of the Expo from the list."),
        ("day=2018-11-11", "day", "Choose a day of the Expo from the list."),
        ("day=%00", "day", "Choose a day of the Expo from the list."),
        ("stage=nope", "stage", "Choose a stage from the list."),
        ("stage=<script>", "stage", "Choose a stage from the list."),
        ("stage=%00", "stage", "Choose a stage from the list."),
    ],
    ids=["day-word", "day-after-expo", "day-nul", "stage-unknown", "stage-script", "stage-nul"],
)
def test_launch_schedule_invalid_filter_answers_400_with_the_message_beside_the_field(
    client, expo, query, field, message
):
    response = client.get(f"/expo/launches/?{query}")

    page = page_of(response)
    assert response.status_code == 400
    assert field_errors(page, field) == [message]
    assert f'aria-describedby="{field}-errors" aria-invalid="true" id="{field}"' in page
    assert form_problems(page) == [message]
    assert title(page).startswith("Error: Product launches")
    assert results_count(page) == "5 launches"
    assert "<script>" not in page


def test_launch_schedule_without_a_conference_is_not_found(client, app):
    assert client.get("/expo/launches/").status_code == 404


# The WIC 2018 demo conference (runs once the seed loader exists)


@pytest.fixture
def demo(request):
    pytest.importorskip("wuzhen_events.seed.loader")
    return request.getfixturevalue("demo_client")


def test_demo_directory_counts_424_exhibitors_on_18_pages(demo):
    page = page_of(demo.get("/expo/"))

    assert results_count(page) == "424 exhibitors"
    assert len(company_names(page)) == 24
    assert pagination_links(page)[-2:] == [("/expo/?page=18", "18"), ("/expo/?page=2", "Next")]


def test_demo_directory_last_page_holds_the_remaining_16(demo):
    page = page_of(demo.get("/expo/?page=18"))

    assert len(company_names(page)) == 16


def test_demo_directory_filters_the_151_exhibitors_launching(demo):
    page = page_of(demo.get("/expo/?launches=1"))

    assert results_count(page) == "151 of 424 exhibitors match"


def test_demo_launch_schedule_lists_151_launches(demo):
    page = page_of(demo.get("/expo/launches/"))

    assert results_count(page) == "151 launches"
    assert len(re.findall(r'<li class="launch">', page)) == 151


def test_demo_directory_runs_five_queries(demo, query_counter):
    db.session.remove()

    with query_counter(db.engine) as log:
        response = demo.get("/expo/?page=3")

    assert response.status_code == 200
    assert log.count == 6  # the pages' data version, then the directory's five
