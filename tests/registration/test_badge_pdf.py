"""Badge PDFs as drawn: one badge per page or per label, the QR codes a scanner reads back,
Chinese text that extracts, the font embedded as a subset, and text that stays in its badge."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.pdf import (
    character_boxes,
    extracted_text,
    fonts,
    page_count,
    page_lines,
    page_sizes_mm,
    qr_codes,
)
from wuzhen_events.registration.badge_pdf import (
    LAYOUTS,
    Badge,
    dates_in_chinese,
    dates_in_english,
    event_of,
    render_badges,
)

EVENT = event_of(
    "Fifth World Internet Conference", "第五届世界互联网大会", date(2018, 11, 7), date(2018, 11, 9)
)
LONG_NAME = "Maximilian Alexander Friedrich von Hohenzollern-Sigmaringen " * 3
LONG_NAME_ZH = "欧阳" * 30


def badge(number: int, **overrides) -> Badge:
    fields = {
        "name": f"Delegate {number}",
        "name_zh": "",
        "organisation": "Demo Networks",
        "category": "enterprise",
        "category_en": "Enterprise",
        "category_zh": "企业",
        "checkin_code": f"CODE{number:04d}ABCDEFGHJKMNPQRSTVWXYZ23",
    }
    return Badge(**{**fields, **overrides})


SEVEN = [
    badge(1, name="Zhang Wei", name_zh="张伟", organisation="阿里巴巴集团"),
    badge(2, name="<script>alert(1)</script>", organisation="<b>Bold</b> & Co"),
    badge(3, name=LONG_NAME, name_zh=LONG_NAME_ZH, organisation="Academy " * 40),
    badge(4, name="Ana Silva", category="government", category_en="Government delegate"),
    badge(5, name="Ōtani Shōhei", name_zh="大谷翔平"),
    badge(6, name="Олена Коваленко"),
    badge(7, name="Nguyễn Thị Minh Khai", name_zh="阮氏明开"),
]
CODES = [f"WIC2018:{b.checkin_code}" for b in SEVEN]


@pytest.mark.parametrize(
    ("layout", "pages", "size", "per_page"),
    [
        ("a6", 7, (105.0, 148.0), 1),
        ("4x3", 7, (101.6, 76.2), 1),
        ("a4-a6", 2, (210.0, 297.0), 4),
        ("a4-4x3", 2, (210.0, 297.0), 6),
    ],
    ids=["a6", "4x3", "a4-a6", "a4-4x3"],
)
def test_each_layout_has_one_badge_per_page_or_label_and_every_qr_decodes(
    app, layout, pages, size, per_page
):
    data = render_badges(SEVEN, LAYOUTS[layout], EVENT)

    assert page_count(data) == pages
    assert page_sizes_mm(data) == [size] * pages
    read = qr_codes(data)
    assert [len(codes) for codes in read] == [min(per_page, 7 - i * per_page) for i in range(pages)]
    assert [code for codes in read for code in codes] == CODES


def test_a_sheet_reads_row_by_row_left_to_right(app):
    data = render_badges(SEVEN[:4], LAYOUTS["a4-a6"], EVENT)

    assert qr_codes(data) == [CODES[:4]]


@pytest.mark.parametrize("layout", list(LAYOUTS), ids=list(LAYOUTS))
def test_chinese_names_categories_and_the_conference_come_back_as_text(app, layout):
    data = render_badges(SEVEN[:1], LAYOUTS[layout], EVENT)

    [text] = extracted_text(data)
    [lines] = page_lines(data)
    for read in (text, lines):
        assert read[0] == "第五届世界互联网大会"
        assert "张伟" in read
        assert "Zhang Wei" in read
        # on 4 × 3 in the organisation shares its baseline with the code under the QR code
        assert next(line for line in read if "阿里巴巴集团" in line).startswith("阿里巴巴集团")
        assert "企业 · Enterprise" in read


def test_markup_in_a_name_is_printed_as_text(app):
    data = render_badges([SEVEN[1]], LAYOUTS["a6"], EVENT)

    [lines] = page_lines(data)
    assert "<script>alert(1)</script>" in lines
    assert "<b>Bold</b> & Co" in lines


def test_names_in_other_scripts_print_with_the_vendored_font(app):
    data = render_badges(SEVEN[4:7], LAYOUTS["a6"], EVENT)

    assert [lines[3:5] for lines in page_lines(data)] == [
        ["大谷翔平", "Ōtani Shōhei"],
        ["Олена Коваленко", "Demo Networks"],
        ["阮氏明开", "Nguyễn Thị Minh Khai"],
    ]


@pytest.mark.parametrize(("layout", "width", "height"), [("a6", 105, 148), ("4x3", 101.6, 76.2)])
def test_very_long_names_and_organisations_stay_inside_the_badge(app, layout, width, height):
    data = render_badges([SEVEN[2]], LAYOUTS[layout], EVENT)

    boxes = character_boxes(data)
    assert boxes
    for char, (left, bottom, right, top) in boxes:
        assert (char, left >= 1, right <= width - 1, bottom >= 1, top <= height - 1) == (
            char,
            True,
            True,
            True,
            True,
        )
    [lines] = page_lines(data)
    name_lines = [line for line in lines if set(line) <= set("欧阳…")]
    assert len(name_lines) == 2
    assert name_lines[-1].endswith("…")
    assert any(line.startswith("Maximilian") for line in lines)


def test_the_font_is_embedded_as_a_truetype_subset_with_a_unicode_map(app):
    data = render_badges(SEVEN[:1], LAYOUTS["a6"], EVENT)

    [font] = fonts(data)
    assert {k: v for k, v in font.items() if k != "file_bytes"} == {
        "subtype": "/Type0",
        "encoding": "/Identity-H",
        "descendant": "/CIDFontType2",
        "files": ["/FontFile2"],
        "to_unicode": True,
    }
    assert font["file_bytes"] < 100_000  # the glyphs printed, not the 9 MB font


def test_no_badge_is_no_document(app):
    with pytest.raises(ValueError, match="no badge"):
        render_badges([], LAYOUTS["a6"], EVENT)


@pytest.mark.parametrize(
    ("start", "end", "english", "chinese"),
    [
        (date(2018, 11, 7), date(2018, 11, 9), "7–9 November 2018", "2018年11月7日至9日"),
        (date(2018, 11, 7), date(2018, 11, 7), "7 November 2018", "2018年11月7日"),
        (
            date(2018, 10, 30),
            date(2018, 11, 1),
            "30 October – 1 November 2018",
            "2018年10月30日至11月1日",
        ),
        (
            date(2018, 12, 31),
            date(2019, 1, 1),
            "31 December 2018 – 1 January 2019",
            "2018年12月31日至2019年1月1日",
        ),
    ],
    ids=["one-month", "one-day", "two-months", "two-years"],
)
def test_conference_dates_are_written_as_each_language_writes_a_span(start, end, english, chinese):
    assert (dates_in_english(start, end), dates_in_chinese(start, end)) == (english, chinese)
