"""The SVG charts on their own: exact drawing for a known input, accessible names, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wuzhen_events import charts
from wuzhen_events.charts import Bar

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_draws_each_bar_to_scale_under_its_title_and_description():
    svg = charts.bar_chart("c", "Title", "Desc", [Bar("A", 2), Bar("B", 4)])

    assert str(svg) == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-columns" '
        'viewBox="0 0 400 192" role="img" aria-labelledby="c-title c-desc" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="c-title">Title</title><desc id="c-desc">Desc</desc>'
        '<line class="chart-axis" x1="36" y1="168" x2="392" y2="168"></line>'
        '<text class="chart-tick" x="32" y="168" text-anchor="end">0</text>'
        '<text class="chart-tick" x="32" y="18" text-anchor="end">4</text>'
        '<rect class="chart-bar" x="101" y="88" width="48" height="80"><title>A: 2</title></rect>'
        '<text class="chart-label" x="125" y="184" text-anchor="middle">A</text>'
        '<rect class="chart-bar" x="279" y="8" width="48" height="160"><title>B: 4</title></rect>'
        '<text class="chart-label" x="303" y="184" text-anchor="middle">B</text>'
        "</svg>"
    )


def test_horizontal_bars_draw_a_part_over_its_whole():
    svg = charts.horizontal_bar_chart("h", "Fill", "D", [Bar("AI", 50, 100), Bar("IoT", 0, 10)])

    assert str(svg) == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-horizontal" '
        'viewBox="0 0 400 76" role="img" aria-labelledby="h-title h-desc" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="h-title">Fill</title><desc id="h-desc">D</desc>'
        '<text class="chart-label" x="4" y="16">AI</text>'
        '<rect class="chart-track" x="4" y="20" width="332" height="12"></rect>'
        '<rect class="chart-bar" x="4" y="20" width="166" height="12">'
        "<title>AI: 50 / 100</title></rect>"
        '<text class="chart-value" x="340" y="30">50 / 100</text>'
        '<text class="chart-label" x="4" y="50">IoT</text>'
        '<rect class="chart-track" x="4" y="54" width="33.2" height="12"></rect>'
        '<rect class="chart-bar" x="4" y="54" width="0" height="12">'
        "<title>IoT: 0 / 10</title></rect>"
        '<text class="chart-value" x="41.2" y="64">0 / 10</text>'
        "</svg>"
    )


def test_a_time_series_as_a_line_joins_its_points():
    svg = str(charts.time_series("t", "T", "D", [Bar("7 Nov", 1), Bar("8 Nov", 3)], line=True))

    assert re.findall(r'<polyline class="chart-line" points="([^"]+)">', svg) == ["125,114.7 303,8"]
    assert re.findall(r"<circle [^>]*><title>([^<]+)</title>", svg) == ["7 Nov: 1", "8 Nov: 3"]


def test_a_chart_scales_with_its_box_and_has_no_fixed_pixel_size():
    root = ET.fromstring(str(charts.bar_chart("c", "T", "D", [Bar("A", 1)])))

    assert (root.get("viewBox"), root.get("width"), root.get("height")) == (
        "0 0 400 192",
        None,
        None,
    )
    assert (root.get("role"), root.get("aria-labelledby")) == ("img", "c-title c-desc")
    assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]


def test_labels_titles_and_identifiers_are_escaped():
    hostile = '<script>alert("x")</script>'
    svg = str(
        charts.horizontal_bar_chart(hostile, hostile, hostile, [Bar(hostile, 1), Bar("&", 2)])
    )

    assert "<script>" not in svg
    # aria-labelledby twice, the two ids, title, desc, label, tooltip
    assert svg.count("&lt;script&gt;") == 8
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == hostile
    assert [text.text for text in root.iter(f"{SVG}text")][::2] == [hostile, "&"]


def test_chinese_labels_are_written_as_text():
    svg = str(charts.bar_chart("zh", "每日注册", "说明", [Bar("人工智能", 3)]))

    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "每日注册"
    assert [text.text for text in root.iter(f"{SVG}text")][-1] == "人工智能"


def test_long_labels_are_shortened_in_the_chart_only():
    label = "A subforum title far longer than any bar has room for in a phone"
    root = ET.fromstring(str(charts.horizontal_bar_chart("l", "T", "D", [Bar(label, 1)])))

    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts[0] == label[:39] + "…"
    assert root.find(f"{SVG}rect/{SVG}title").text == f"{label}: 1"


def test_crowded_labels_are_thinned_so_they_never_overlap():
    days = [Bar(f"{day} Oct", day) for day in range(1, 31)]
    root = ET.fromstring(str(charts.time_series("d", "T", "D", days)))

    labels = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-label"]
    # 30 slots of 11.9 units; "10 Oct" needs about 42: one label every fourth bar
    assert labels == ["1 Oct", "5 Oct", "9 Oct", "13 Oct", "17 Oct", "21 Oct", "25 Oct", "29 Oct"]
    assert len(root.findall(f"{SVG}rect")) == 30


def test_an_empty_chart_draws_only_its_axis():
    svg = str(charts.bar_chart("e", "Empty", "Nothing yet", []))

    assert svg.endswith(
        '<line class="chart-axis" x1="36" y1="168" x2="392" y2="168"></line>'
        '<text class="chart-tick" x="32" y="168" text-anchor="end">0</text></svg>'
    )


def test_chinese_category_labels_are_cut_to_their_slots_and_all_shown():
    labels = ["政府代表", "国际组织代表", "企业代表", "专家学者", "媒体", "普通参会者"]
    svg = charts.bar_chart("c", "按类别", "", [Bar(label, 1) for label in labels])

    # 356 units for 6 bars: 59 each, room for four Chinese characters and an ellipsis.
    assert re.findall(r'class="chart-label"[^>]*>([^<]*)<', svg) == [
        "政府代表",
        "国际组织…",
        "企业代表",
        "专家学者",
        "媒体",
        "普通参会…",
    ]
