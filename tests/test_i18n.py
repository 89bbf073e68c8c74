"""The site in Chinese: UI strings from the catalogue, content from the `*_zh` fields, dates.

Each page test switches to Chinese the way a visitor does (`/language/zh`) and asserts the
exact Chinese text; the unit tests at the end cover the helpers in wuzhen_events/i18n.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from types import SimpleNamespace

import flask_babel
import pytest
import sqlalchemy as sa
from flask import session

from tests import worlds
from tests.factories import OPERATOR, utc
from tests.helpers.html import session_titles
from wuzhen_events.extensions import db
from wuzhen_events.i18n import (
    LOCALE_SESSION_KEY,
    clauses,
    clock_time,
    country_name,
    localized,
    long_day,
    select_locale,
    series,
    short_datetime,
    short_day,
)
from wuzhen_events.program import services as program_services
from wuzhen_events.program.models import ProgramSession

CHINESE_NAVIGATION = ["首页", "议程", "分论坛", "演讲嘉宾", "博览会", "新品发布", "日历", "注册"]
CHINESE_FOOTER = [
    "第五届世界互联网大会，2018年11月7日至9日，浙江乌镇。所有时间均为大会时间（北京时间，UTC+8）。",
    "标有“演示内容”的条目是在未能找到真实议程信息时为本演示虚构的；其余内容均取自公开报道。",
    "议程和博览会数据的来源",
    "隐私声明 · 联系组委会：organizers@wuzhen-events.example",
]


@pytest.fixture
def conference(app):
    """A small bilingual conference: one session with a Chinese title, one without."""
    return worlds.bilingual_site().conference


@pytest.fixture
def chinese_client(client, conference):
    """A visitor who chose 中文 with the language switch."""
    client.get("/language/zh")
    return client


def page(response) -> str:
    return response.get_data(as_text=True)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def heading(html: str) -> str:
    return text_of(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))


def navigation_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def language_switch(html: str) -> str:
    return re.search(r'<nav class="language-switch"[^>]*>(.*?)</nav>', html, re.S).group(1)


def footer_paragraphs(html: str) -> list[str]:
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    return [text_of(paragraph) for paragraph in re.findall(r"<p>(.*?)</p>", footer, re.S)]


def results_count(html: str) -> str:
    return text_of(re.search(r'<p class="results-count"[^>]*>(.*?)</p>', html, re.S).group(1))


def labels_of_form(html: str) -> list[str]:
    return re.findall(r'<label for="[\w-]+">([^<]+)</label>', html)


def legends(html: str) -> list[str]:
    return [text_of(legend) for legend in re.findall(r"<legend>(.*?)</legend>", html, re.S)]


def options_of(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def field_errors(html: str) -> dict[str, list[str]]:
    found = re.findall(r'<ul class="field-errors" id="(\w+)-errors">(.*?)</ul>', html, re.S)
    return {field: re.findall(r"<li>(.*?)</li>", items) for field, items in found}


def error_summary(html: str) -> str:
    return text_of(
        re.search(r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', html, re.S)[1]
    )


def submit_buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit">([^<]+)</button>', html)


def feed_summaries(body: bytes) -> list[str]:
    """The SUMMARY of every event in an iCalendar body, its folded lines joined again."""
    text = body.replace(b"\r\n ", b"").decode("utf-8")
    return re.findall(r"^SUMMARY:(.*)\r$", text, re.M)


# Pages in Chinese


def test_language_switch_shows_english_link_and_chinese_as_current(chinese_client):
    html = page(chinese_client.get("/"))

    switch = language_switch(html)
    assert text_of(switch) == "English | 中文"
    assert '<a href="/language/en?next=/" lang="en" hreflang="en">English</a>' in switch
    assert '<strong lang="zh" aria-current="true">中文</strong>' in switch
    assert '<html lang="zh-Hans">' in html


def test_home_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/"))

    assert title_of(html) == "第五届世界互联网大会 · 2018世界互联网大会"
    assert navigation_labels(html) == CHINESE_NAVIGATION
    assert heading(html) == "第五届世界互联网大会"
    assert '<p class="theme">创造互信共治的数字世界——携手共建网络空间命运共同体</p>' in html
    assert '<p class="venue-line">乌镇互联网国际会展中心</p>' in html
    assert ('<p class="eyebrow">浙江乌镇 · 2018年11月7日星期三 – 2018年11月9日星期五</p>') in html
    figures = re.findall(r"<strong>([\d,+]+)</strong> ([^<]+?)</", html)
    assert figures == [
        ("1", "个分论坛"),
        ("3", "场活动"),
        ("2", "家参展商"),
        ("1", "场新品发布"),
        ("1,500+", "位受邀嘉宾"),
        ("76", "个国家和地区"),
    ]
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", html) == ["大会数据", "当前活动", "每日议程"]
    assert footer_paragraphs(html) == CHINESE_FOOTER


def test_home_page_in_chinese_labels_now_and_next_apart_from_pagination(
    app, chinese_client, conference
):
    app.config["FROZEN_NOW"] = utc(7, 2)  # 10:00 in Wuzhen, during the opening ceremony

    html = page(chinese_client.get("/"))

    assert re.findall(r"<h3>([^<]+)</h3>", html) == ["进行中", "即将开始"]
    assert '<p class="meta">当前大会时间： <time datetime="2018-11-07T10:00:00+08:00">' in html
    assert ">2018年11月7日 周三 10:00</time>" in html


def test_program_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/program/?day=2018-11-07"))

    assert title_of(html) == "议程 · 11月7日 周三 · 2018世界互联网大会"
    assert navigation_labels(html) == CHINESE_NAVIGATION
    assert '<li><a href="/program/" aria-current="page">议程</a></li>' in html
    assert heading(html) == "议程"
    assert '<p class="lead">2018年11月7日星期三</p>' in html
    assert labels_of_form(html) == ["日期", "议题", "会场", "分论坛", "搜索标题、演讲嘉宾和分论坛"]
    assert '<option selected value="">全部</option>' in html
    assert '<button type="submit">显示活动</button>' in html
    assert results_count(html) == "共 2 场活动"
    pointer = re.search(r'<p class="expo-pointer">(.*?)</p>', html, re.S).group(1)
    assert text_of(pointer) == "当天博览会共有 1 场新品发布"
    assert re.findall(r'<span class="kind">([^<]+)</span>', html) == ["仪式", "圆桌对话"]
    assert '<ul class="speaker-list" aria-label="演讲嘉宾">' in html


def test_program_day_tabs_in_chinese_show_month_day_and_weekday(chinese_client):
    html = page(chinese_client.get("/program/?day=2018-11-08"))

    tabs = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+) <span', html)
    assert [(href, bool(current), label) for href, current, label in tabs] == [
        ("/program/?day=2018-11-06", False, "11月6日 周二"),
        ("/program/?day=2018-11-07", False, "11月7日 周三"),
        ("/program/?day=2018-11-08", True, "11月8日 周四"),
        ("/program/?day=2018-11-09", False, "11月9日 周五"),
        ("/program/?day=2018-11-10", False, "11月10日 周六"),
    ]
    assert '<nav class="day-tabs" aria-label="日期">' in html


def test_program_invalid_day_in_chinese_explains_the_problem_in_chinese(chinese_client):
    response = chinese_client.get("/program/?day=banana")

    html = page(response)
    assert response.status_code == 400
    summary = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S)
    assert text_of(summary.group(1)) == (
        "部分筛选条件无法使用，因此显示当天全部活动。请更正： "
        "“banana”不是议程中的日期，因此显示11月7日 周三。请从列表中选择议程日期。"
    )
    message = "“banana”不是议程中的日期，因此显示11月7日 周三。请从列表中选择议程日期。"
    assert f'<li><a href="#day">{message}</a></li>' in html
    errors = re.search(r'<ul class="field-errors" id="day-errors">\s*<li>(.*?)</li>', html)
    assert errors.group(1) == message


def test_program_empty_result_in_chinese_offers_the_whole_day(chinese_client):
    html = page(chinese_client.get("/program/?day=2018-11-07&subforum=fintech"))

    empty = re.search(r'<div class="empty-state">(.*?)</div>', html, re.S).group(1)
    assert text_of(empty) == "当天没有符合筛选条件的活动。 显示当天全部活动"
    assert results_count(html) == "共 0 场活动"
    assert '<a href="/program/?day=2018-11-07">清除筛选条件</a>' in html


def test_program_search_in_chinese_spans_every_day(chinese_client):
    html = page(chinese_client.get("/program/?day=2018-11-06&q=opening"))

    assert '<p class="lead">在全部议程日期中搜索“opening”的结果</p>' in html
    assert title_of(html) == "议程 · 搜索“opening” · 2018世界互联网大会"
    assert results_count(html) == "共 2 场活动"


def test_program_day_without_sessions_in_chinese_says_so(chinese_client):
    html = page(chinese_client.get("/program/?day=2018-11-06"))

    empty = re.search(r'<div class="empty-state">(.*?)</div>', html, re.S).group(1)
    assert text_of(empty) == "当天没有活动。"


def test_program_shows_chinese_title_when_present_and_english_otherwise(chinese_client):
    html = page(chinese_client.get("/program/?day=2018-11-07"))

    assert session_titles(html) == ["开幕式", "Wuzhen Talks"]
    assert '<p class="venue">乌镇互联网国际会展中心 · 乌镇厅</p>' in html
    assert '<li><a href="/speakers/pony-ma/">马化腾</a></li>' in html


def test_subforums_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/subforums/"))

    assert title_of(html) == "分论坛 · 2018世界互联网大会"
    assert heading(html) == "分论坛"
    assert '<li><a href="/subforums/" aria-current="page">分论坛</a></li>' in html
    lead = re.search(r'<p class="lead">(.*?)</p>', html).group(1)
    assert lead == "11月8日至9日，1 个分论坛在乌镇互联网国际会展中心和西栅景区举行。"
    assert '<a href="/subforums/fintech/">金融科技与信用社会建设</a>' in html
    assert (
        '<time datetime="2018-11-08T00:30:00+00:00">11月8日 周四 08:30</time>–'
        '<time datetime="2018-11-08T02:00:00+00:00">10:00</time>'
    ) in html


def test_subforum_detail_in_chinese_shows_chinese_facts(chinese_client):
    html = page(chinese_client.get("/subforums/fintech/"))

    facts = re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", html)
    assert [(term, text_of(value)) for term, value in facts] == [
        ("会场", "乌镇互联网国际会展中心 · 乌镇厅"),
        ("座位", "200 个座位 · 剩余 200 个 · 注册"),
        ("时间", "11月8日 周四 08:30–10:00"),
    ]
    assert '<p class="breadcrumb"><a href="/subforums/">分论坛</a></p>' in html
    assert "<h2>活动</h2>" in html
    assert '<span class="kind">分论坛活动</span>' in html
    assert session_titles(html) == ["Opening and keynote speeches"]


def test_speakers_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/speakers/"))

    assert title_of(html) == "演讲嘉宾 · 2018世界互联网大会"
    assert heading(html) == "演讲嘉宾"
    assert labels_of_form(html) == ["搜索演讲嘉宾"]
    assert '<button type="submit">搜索</button>' in html
    assert results_count(html) == "共 2 位演讲嘉宾"
    names = re.findall(r'<h2><a href="/speakers/[^/]+/">([^<]+)</a></h2>', html)
    assert names == ["马化腾", "Yang Rui"]
    countries = re.findall(r'<p class="meta">(中国|英国|China|United Kingdom) ', html)
    assert countries == ["中国", "英国"]


def test_speaker_search_in_chinese_that_finds_nobody_says_so(chinese_client):
    html = page(chinese_client.get("/speakers/?q=nobody"))

    assert results_count(html) == "共 0 位演讲嘉宾"
    empty = re.search(r'<li class="empty-state">(.*?)</li>', html, re.S).group(1)
    assert text_of(empty) == "没有符合搜索条件的演讲嘉宾。 显示全部演讲嘉宾"


def test_speaker_detail_in_chinese_shows_role_and_dates_in_chinese(chinese_client):
    html = page(chinese_client.get("/speakers/pony-ma/"))

    facts = re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html)
    assert facts == [("职务", "董事会主席兼首席执行官"), ("机构", "腾讯"), ("国家或地区", "中国")]
    assert "<h2>参与的大会活动</h2>" in html
    assert '<time datetime="2018-11-07T01:30:00+00:00">11月7日 周三 09:30</time>' in html
    assert '<span class="role">(演讲嘉宾)</span>' in html


def test_expo_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/expo/"))

    assert title_of(html) == "博览会参展商 · 2018世界互联网大会"
    assert heading(html) == "“互联网之光”博览会参展商"
    assert labels_of_form(html) == [
        "搜索企业和产品",
        "领域",
        "展馆",
        "国家或地区",
        "仅显示有新品发布的参展商",
    ]
    assert '<option selected value="">全部领域</option>' in html
    assert '<option value="cloud-big-data">云计算与大数据</option>' in html
    assert '<option value="3">3号馆</option>' in html
    assert '<option value="FI">芬兰</option>' in html
    assert results_count(html) == "共 2 家参展商"
    assert '<a href="/expo/alibaba-cloud/">阿里云</a>' in html
    assert '<a href="/expo/nokia/">Nokia</a>' in html
    assert '<p class="meta stand">3号馆，A301展位</p>' in html
    assert '<span class="badge badge-launch">有新品发布</span>' in html
    assert (
        '<span class="badge badge-demo" title="为本演示虚构：未能找到真实信息。">演示内容</span>'
    ) in html


def test_expo_filters_in_chinese_count_matches_in_chinese(chinese_client):
    html = page(chinese_client.get("/expo/?country=CN"))

    assert results_count(html) == "2 家参展商中有 1 家符合条件"
    assert '<a href="/expo/">清除筛选条件</a>' in html


def test_expo_invalid_sector_in_chinese_is_explained_in_chinese(chinese_client):
    response = chinese_client.get("/expo/?sector=nope")

    html = page(response)
    assert response.status_code == 400
    summary = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S)
    assert text_of(summary.group(1)) == (
        "以下筛选条件无法使用，因此显示全部参展商。请更正： 请从列表中选择领域。"
    )


def test_exhibitor_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/expo/alibaba-cloud/"))

    facts = re.findall(r"<dt>([^<]+)</dt>\s*<dd>([^<]+)</dd>", html)
    assert facts == [
        ("领域", "云计算与大数据"),
        ("国家或地区", "中国"),
        ("展位", "3号馆，A301展位"),
    ]
    assert '<h2 id="launches-title">博览会新品发布</h2>' in html
    assert "（大会时间，UTC+8） · 发布台A" in html
    back = '<a href="/expo/">返回博览会参展商名录</a> · <a href="/expo/launches/">全部新品发布</a>'
    assert back in html


def test_launches_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/expo/launches/"))

    assert title_of(html) == "新品发布 · 2018世界互联网大会"
    assert heading(html) == "新品发布"
    assert '<li><a href="/expo/launches/" aria-current="page">新品发布</a></li>' in html
    assert labels_of_form(html) == ["日期", "发布台"]
    assert '<option selected value="">全部日期</option>' in html
    assert '<option value="2018-11-06">11月6日 周二</option>' in html
    assert '<option value="Launch Stage A">发布台A</option>' in html
    assert '<button type="submit">显示新品发布</button>' in html
    assert results_count(html) == "共 1 场新品发布"
    assert '<h2 id="day-2018-11-07">2018年11月7日星期三</h2>' in html
    assert "<h4>城市大脑2.0 </h4>" in html
    assert '<a href="/expo/alibaba-cloud/">阿里云</a> · 发布台A' in html


def test_launches_page_in_chinese_with_nothing_found_says_so(chinese_client):
    html = page(chinese_client.get("/expo/launches/?day=2018-11-09"))

    assert results_count(html) == "1 场新品发布中有 0 场符合条件"
    empty = re.search(r'<div class="empty-state">(.*?)</div>', html, re.S).group(1)
    assert text_of(empty) == "没有符合筛选条件的新品发布。 清除全部筛选条件，查看所有新品发布"


def test_not_found_page_in_chinese(chinese_client):
    response = chinese_client.get("/speakers/nobody/")

    html = page(response)
    assert response.status_code == 404
    assert title_of(html) == "找不到页面 · 2018世界互联网大会"
    assert heading(html) == "找不到页面"
    assert (
        "<p>此地址没有对应的页面。可能是地址输入有误，或者该页面展示的内容已不存在。</p>"
    ) in html
    assert '<p><a href="/program/">浏览议程</a> · <a href="/expo/">浏览博览会</a></p>' in html
    assert navigation_labels(html) == CHINESE_NAVIGATION


def test_registration_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/register/"))

    assert title_of(html) == "注册 · 2018世界互联网大会"
    assert navigation_labels(html) == CHINESE_NAVIGATION
    assert '<li><a href="/register/" aria-current="page">注册</a></li>' in html
    assert heading(html) == "注册参加世界互联网大会"
    lead = re.search(r'<p class="lead">(.*?)</p>', html).group(1)
    assert (
        lead == "政府代表和国际组织代表须填写邀请码，或等待组委会审核。其他参会者注册后即时确认。"
    )
    assert (
        '<p>您所代表的企业希望在博览会设立展位？ <a href="/register/exhibitor/">申请参展</a></p>'
    ) in html
    assert legends(html) == ["个人信息", "您希望参加的分论坛", "2018年11月8日星期四"]
    assert labels_of_form(html) == [
        "姓名",
        "中文姓名（选填）",
        "电子邮箱地址",
        "机构",
        "职务",
        "国家或地区",
        "参会类别",
        "邀请码",
        "邮件语言",
        "金融科技与信用社会建设",
        "电子邮箱地址",
    ]
    assert (
        '<p class="hint" id="invitation_code-hint">仅在组委会向您发送过邀请码时填写。</p>' in html
    )
    assert options_of(html, "category") == [
        "请选择…",
        "政府代表",
        "国际组织代表",
        "企业代表",
        "专家学者",
        "媒体",
        "普通参会者",
    ]
    assert '<option value="CN">中国</option>' in html
    assert re.findall(r'<label for="subforums-\d+">([^<]+)</label>', html) == [
        "金融科技与信用社会建设"
    ]
    assert re.findall(
        r'<span class="choice-about" id="subforums-\d+-about">([^<]+)</span>', html
    ) == ["11月8日 周四 08:30–10:00 · 剩余 200 个席位"]
    hint = re.search(
        r'<fieldset class="subforum-choices"[^>]*>.*?<p class="hint">(.*?)</p>', html, re.S
    )
    assert hint.group(1) == (
        "分论坛已满时，您将进入其候补名单；一旦有席位空出，将自动为您递补。时间冲突的分论坛不能同时选择。"
    )
    assert '<h2 id="resend-title">已经注册？</h2>' in html
    assert submit_buttons(html) == ["注册", "重新发送我的链接"]


def test_registration_errors_in_chinese_are_explained_in_chinese(chinese_client):
    response = chinese_client.post(
        "/register/", data={"email": "not-an-address", "subforums": ["999"]}
    )

    html = page(response)
    assert response.status_code == 400
    assert error_summary(html) == (
        "您的注册尚未保存。请更正以下各项： 姓名：请输入您的姓名。 机构：请输入您所在的机构。 "
        "国家或地区：请选择您所在的国家或地区。 参会类别：请选择参会类别。 "
        "电子邮箱地址：请输入有效的电子邮箱地址。 您希望参加的分论坛：请从列表中选择分论坛。 "
        "注册前须同意隐私声明。"
    )
    assert field_errors(html) == {
        "name": ["请输入您的姓名。"],
        "email": ["请输入有效的电子邮箱地址。"],
        "organisation": ["请输入您所在的机构。"],
        "country": ["请选择您所在的国家或地区。"],
        "category": ["请选择参会类别。"],
        "subforums": ["请从列表中选择分论坛。"],
        "consent": ["注册前须同意隐私声明。"],
    }


def test_calendar_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/calendar/"))

    assert title_of(html) == "日历订阅 · 2018世界互联网大会"
    assert navigation_labels(html) == CHINESE_NAVIGATION
    assert '<li><a href="/calendar/" aria-current="page">日历</a></li>' in html
    assert heading(html) == "日历订阅"
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", html) == [
        "完整议程",
        "单日议程",
        "单个分论坛",
        "您的个人日程",
        "如何订阅",
        "单场活动",
    ]
    assert (
        '<a class="button button-small" href="webcal://localhost/calendar/wic2018.ics?lang=zh">'
        '订阅<span class="visually-hidden">: 完整议程</span></a>'
    ) in html
    assert (
        'type="text/calendar">下载 .ics 文件<span class="visually-hidden">: 完整议程</span></a>'
    ) in html
    other = re.search(r'<p class="hint">(同一日历.*?)</p>', html, re.S).group(1)
    assert text_of(other) == "同一日历的其他语言版本： English"
    by_day = re.search(r'<section aria-labelledby="by-day">(.*?)</section>', html, re.S).group(1)
    assert re.findall(r"<li>([^<：]+)： ", by_day) == [
        "2018年11月6日星期二",
        "2018年11月7日星期三",
        "2018年11月8日星期四",
        "2018年11月9日星期五",
        "2018年11月10日星期六",
    ]
    assert "<li>金融科技与信用社会建设： " in html
    assert re.findall(r"<dt>([^<]+)</dt>", html) == [
        "Apple 日历",
        "Outlook",
        "Thunderbird",
        "Google 日历",
    ]
    assert re.findall(r'<h3 id="sessions-[\d-]+">([^<]+)</h3>', html) == [
        "2018年11月7日星期三",
        "2018年11月8日星期四",
    ]
    assert '">添加到 Google 日历<span class="visually-hidden">: 开幕式</span></a>' in html


def test_calendar_not_found_in_chinese_explains_the_problem_in_chinese(chinese_client):
    response = chinese_client.get("/calendar/subforums/nowhere.ics?lang=zh")

    html = page(response)
    assert response.status_code == 404
    assert title_of(html) == "找不到日历 · 2018世界互联网大会"
    assert heading(html) == "找不到日历"
    assert "<p>此地址没有对应的分论坛，因此没有相应的日历。</p>" in html
    assert '<p><a href="/calendar/">查看所有可订阅的日历</a></p>' in html


def test_chinese_feed_names_cancelled_sessions_and_launches_in_chinese(chinese_client):
    opening = db.session.scalar(
        sa.select(ProgramSession).where(ProgramSession.title == "Opening ceremony")
    )
    program_services.cancel_session(opening, actor=OPERATOR)

    body = chinese_client.get("/calendar/days/2018-11-07.ics?lang=zh").data

    assert feed_summaries(body) == [
        "已取消：开幕式",
        "新品发布：城市大脑2.0（阿里云）",
        "Wuzhen Talks",
    ]


def test_exhibitor_application_page_in_chinese_shows_chinese_labels(chinese_client):
    html = page(chinese_client.get("/register/exhibitor/"))

    assert title_of(html) == "申请参展 · 2018世界互联网大会"
    assert navigation_labels(html) == CHINESE_NAVIGATION
    assert heading(html) == "申请在“互联网之光”博览会参展"
    assert legends(html) == ["企业", "联系人", "展位", "新品发布（选填）"]
    assert labels_of_form(html) == [
        "企业名称（英文）",
        "企业中文名称（选填）",
        "领域",
        "国家或地区",
        "网站（选填）",
        "联系人",
        "联系人电子邮箱",
        "联系电话（选填）",
        "意向展馆",
        "展位面积",
        "产品名称",
        "产品介绍",
        "意向发布日期",
    ]
    assert options_of(html, "sector")[:3] == ["请选择…", "人工智能", "5G与通信"]
    assert options_of(html, "requested_hall") == [
        "不限",
        "1号馆",
        "2号馆",
        "3号馆",
        "4号馆",
        "5号馆",
        "6号馆",
    ]
    assert options_of(html, "booth_size") == [
        "请选择…",
        "9平方米",
        "18平方米",
        "36平方米",
        "72平方米",
        "其他面积（组委会将与您联系）",
    ]
    assert options_of(html, "launch_day") == [
        "不发布新品",
        "11月6日 周二",
        "11月7日 周三",
        "11月8日 周四",
        "11月9日 周五",
        "11月10日 周六",
    ]
    assert submit_buttons(html) == ["提交申请"]
    assert '<p><a href="/expo/">查看本届参展商</a></p>' in html


def test_exhibitor_application_errors_in_chinese_are_explained_in_chinese(chinese_client):
    response = chinese_client.post(
        "/register/exhibitor/",
        data={"website": "www.example.com", "launch_product": "City Brain 3.0"},
    )

    html = page(response)
    assert response.status_code == 400
    assert title_of(html) == "错误： 申请参展 · 2018世界互联网大会"
    assert error_summary(html) == "您的申请尚未提交。请更正下方标出的各项。"
    assert field_errors(html) == {
        "company": ["请输入企业的英文名称。"],
        "sector": ["请选择企业所属领域。"],
        "country": ["请选择企业所在的国家或地区。"],
        "website": ["请输入以 http:// 或 https:// 开头的网址。"],
        "contact_name": ["请输入联系人姓名。"],
        "contact_email": ["请输入联系人的电子邮箱地址。"],
        "booth_size": ["请选择展位面积。"],
        "launch_description": ["请填写产品介绍：新品发布须填写全部三项。"],
        "launch_day": ["请选择发布日期：新品发布须填写全部三项。"],
    }


def test_exhibitor_application_thanks_page_in_chinese(chinese_client):
    response = chinese_client.post(
        "/register/exhibitor/",
        data={
            "company": "Hangzhou Demo Robotics Co., Ltd.",
            "company_zh": "杭州演示机器人有限公司",
            "sector": "robotics",
            "country": "CN",
            "contact_name": "Wang Fang",
            "contact_email": "wang.fang@example.com",
            "requested_hall": "any",
            "booth_size": "18",
        },
    )
    assert response.status_code == 303

    html = page(chinese_client.get(response.headers["Location"]))

    assert title_of(html) == "申请已收到 · 2018世界互联网大会"
    assert heading(html) == "感谢您，您的申请已收到"
    lead = re.search(r'<p class="lead">(.*?)</p>', html).group(1)
    assert lead == "组委会将审核您的申请，并发送邮件至 wang.fang@example.com。"
    facts = re.findall(r"<dt>([^<]+)</dt><dd[^>]*>(.*?)</dd>", html)
    assert [(term, text_of(value)) for term, value in facts][1:] == [
        ("状态", "已提交"),
        ("企业", "Hangzhou Demo Robotics Co., Ltd. (杭州演示机器人有限公司)"),
        ("展位面积", "18平方米"),
    ]
    assert facts[0][0] == "申请编号"
    assert (
        '<p>写信给组委会（<a href="mailto:organizers@wuzhen-events.example">'
        "organizers@wuzhen-events.example</a>）时，请注明申请编号。</p>"
    ) in html
    assert '<p><a href="/expo/">返回博览会</a></p>' in html


def test_switching_back_to_english_shows_english_labels(chinese_client):
    chinese_client.get("/language/en")

    html = page(chinese_client.get("/program/?day=2018-11-07"))

    assert navigation_labels(html) == [
        "Home",
        "Program",
        "Subforums",
        "Speakers",
        "Expo",
        "Launches",
        "Calendar",
        "Register",
    ]
    assert session_titles(html) == ["Opening ceremony", "Wuzhen Talks"]
    assert text_of(language_switch(html)) == "English | 中文"
    assert '<strong lang="en" aria-current="true">English</strong>' in html


def test_accept_language_zh_cn_picks_chinese(client, conference):
    response = client.get("/program/?day=2018-11-07", headers={"Accept-Language": "zh-CN"})

    html = page(response)
    assert navigation_labels(html) == CHINESE_NAVIGATION
    assert session_titles(html) == ["开幕式", "Wuzhen Talks"]
    assert '<strong lang="zh" aria-current="true">中文</strong>' in html


def test_chosen_english_wins_over_a_chinese_browser(client, conference):
    client.get("/language/en")

    html = page(client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}))

    assert navigation_labels(html)[0] == "Home"
    assert '<html lang="en">' in html


# Helpers in wuzhen_events/i18n.py


@contextmanager
def request_in(app, *, chosen: str | None = None, accept: str | None = None) -> Iterator[None]:
    """A request with a remembered choice and/or a browser preference, locale chosen afresh."""
    headers = {"Accept-Language": accept} if accept else {}
    with app.test_request_context("/", headers=headers):
        if chosen is not None:
            session[LOCALE_SESSION_KEY] = chosen
        flask_babel.refresh()
        yield
    flask_babel.refresh()


@pytest.mark.parametrize(
    ("chosen", "accept", "expected"),
    [
        (None, None, "en"),
        (None, "zh-CN", "zh"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, "zh-TW", "zh"),
        (None, "en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        (None, "fr-FR,fr;q=0.9", "en"),
        ("zh", "en-US", "zh"),
        ("en", "zh-CN", "en"),
        ("fr", "zh-CN", "zh"),
    ],
    ids=[
        "no-preference",
        "zh-cn",
        "chinese-browser",
        "zh-tw",
        "english-browser-knowing-chinese",
        "unsupported-language",
        "choice-over-browser",
        "english-choice-over-chinese-browser",
        "unsupported-choice-ignored",
    ],
)
def test_select_locale(app, chosen, accept, expected):
    with request_in(app, chosen=chosen, accept=accept):
        assert select_locale() == expected


@pytest.mark.parametrize(
    ("locale", "fields", "expected"),
    [
        ("zh", {"title": "Opening ceremony", "title_zh": "开幕式"}, "开幕式"),
        ("zh", {"title": "Wuzhen Talks", "title_zh": ""}, "Wuzhen Talks"),
        ("zh", {"title": "Wuzhen Talks"}, "Wuzhen Talks"),
        ("en", {"title": "Opening ceremony", "title_zh": "开幕式"}, "Opening ceremony"),
    ],
    ids=["chinese-present", "chinese-empty", "no-chinese-field", "english-page"],
)
def test_localized(app, locale, fields, expected):
    item = SimpleNamespace(**fields)

    with request_in(app, chosen=locale):
        assert localized(item, "title") == expected


@pytest.mark.parametrize(
    ("locale", "chinese", "expected"),
    [
        ("zh", ["最高人民检察院", "武汉大学"], ["最高人民检察院", "武汉大学"]),
        ("zh", ["最高人民检察院", ""], ["最高人民检察院", "Wuhan University"]),
        ("zh", ["最高人民检察院"], ["最高人民检察院", "Wuhan University"]),
        ("zh", [], ["Supreme People's Procuratorate", "Wuhan University"]),
        (
            "en",
            ["最高人民检察院", "武汉大学"],
            ["Supreme People's Procuratorate", "Wuhan University"],
        ),
    ],
    ids=["all-chinese", "one-empty", "one-missing", "no-chinese", "english-page"],
)
def test_localized_list_falls_back_entry_by_entry(app, locale, chinese, expected):
    item = SimpleNamespace(
        host_organisations=["Supreme People's Procuratorate", "Wuhan University"],
        host_organisations_zh=chinese,
    )

    with request_in(app, chosen=locale):
        assert localized(item, "host_organisations") == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh", ("副检察长，最高人民检察院", "人工智能、金融科技", "人工智能、金融科技")),
        ("en", ("Chairman, Tencent", "AI, Fintech", "AI; Fintech")),
    ],
    ids=["chinese", "english"],
)
def test_running_text_uses_the_language_s_commas(app, locale, expected):
    position = ["副检察长", "最高人民检察院"] if locale == "zh" else ["Chairman", "", "Tencent"]
    topics = ["人工智能", "金融科技"] if locale == "zh" else ["AI", "Fintech", ""]

    with request_in(app, chosen=locale):
        assert (clauses(position), series(topics), series(topics, "; ")) == expected


@pytest.mark.parametrize(
    ("locale", "code", "expected"),
    [
        ("zh", "CN", "中国"),
        ("en", "CN", "China"),
        ("zh", "cn", "中国"),
        ("zh", "GB", "英国"),
        ("en", "GB", "United Kingdom"),
        ("zh", "ZZ", "未知地区"),
        ("zh", "QQ", "QQ"),
        ("zh", "", ""),
    ],
    ids=["cn-zh", "cn-en", "lower-case", "gb-zh", "gb-en", "unknown-region", "no-name", "empty"],
)
def test_country_name(app, locale, code, expected):
    with request_in(app, chosen=locale):
        assert country_name(code) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh", ("11月7日 周三", "11月7日 周三 10:30", "2018年11月7日星期三", "10:30")),
        ("en", ("Wed 7 Nov", "Wed 7 Nov, 10:30", "Wednesday, November 7, 2018", "10:30")),
    ],
    ids=["zh", "en"],
)
def test_dates_read_naturally_in_each_language(app, locale, expected):
    moment = utc(7, 2, 30)  # 10:30 in Wuzhen

    with request_in(app, chosen=locale):
        shown = (short_day(date(2018, 11, 7)), short_datetime(moment), long_day(date(2018, 11, 7)))
        assert (*shown, clock_time(moment)) == expected
