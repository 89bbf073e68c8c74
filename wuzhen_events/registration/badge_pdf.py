"""Printed badges as PDF, drawn with fpdf2: plain badge data in, a document's bytes out.

The Chinese font is vendored beside this module (fonts/, see its README) and embedded as a
per-document subset, so a badge prints the same on every machine. The QR code is drawn from
segno's matrix as filled squares (vector, sharp at any printer resolution) and carries the same
payload as the badge page. Names and organisations shrink, then wrap, then are cut with an
ellipsis: text never runs outside its badge. A character the font lacks (outside the blocks
fonts/README.md lists, such as an emoji) prints as the font's empty box, and fpdf2 logs a
warning naming it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from fpdf import FPDF

FONT_PATH = Path(__file__).parent / "fonts" / "NotoSansCJKsc-Badge.ttf"
FONT = "badge"
PT = 25.4 / 72  # millimetres in a point
LINE_SPACING = 1.2  # line height as a multiple of the font size
ASCENT = 0.88  # Noto Sans CJK's ascender as a share of the em: the first baseline's drop
ELLIPSIS = "…"
QR_PREFIX = "WIC2018:"
QR_QUIET_MODULES = 2  # white modules kept clear around the code inside its box

WHITE = (255, 255, 255)
INK = (17, 24, 39)
MUTED = (75, 85, 99)
CUT_LINE = (190, 190, 190)
HEADER = (15, 76, 92)
# A band colour per category, so staff at a door tell them apart from afar; white text on each
# keeps a contrast above 4.5:1.
CATEGORY_COLOURS = {
    "government": (155, 28, 28),
    "international_organisation": (29, 78, 216),
    "enterprise": (15, 118, 110),
    "expert": (109, 40, 217),
    "media": (180, 83, 9),
    "general": (55, 65, 81),
}


@dataclass(frozen=True)
class Badge:
    """What one badge prints; made from a delegate by `registration.badges`."""

    name: str
    name_zh: str
    organisation: str
    category: str  # the category's value, for its colour
    category_en: str
    category_zh: str
    checkin_code: str


@dataclass(frozen=True)
class Event:
    """The conference lines every badge carries."""

    name: str
    name_zh: str
    dates_en: str
    dates_zh: str


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    """A badge size and how many of them a page holds."""

    key: str
    label: LazyString
    page: tuple[float, float]  # width, height in millimetres
    badge: tuple[float, float]
    columns: int = 1
    rows: int = 1

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def landscape(self) -> bool:
        return self.badge[0] > self.badge[1]

    def origins(self) -> list[tuple[float, float]]:
        """Top-left corners of the badges on a page, row by row, the sheet centred."""
        width, height = self.badge
        left = (self.page[0] - width * self.columns) / 2
        top = (self.page[1] - height * self.rows) / 2
        return [
            (left + column * width, top + row * height)
            for row in range(self.rows)
            for column in range(self.columns)
        ]


A6 = (105.0, 148.0)
A4 = (210.0, 297.0)
FOUR_BY_THREE = (101.6, 76.2)  # 4 × 3 in, landscape

LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout("a6", _l("A6, one badge per page"), A6, A6),
        Layout("4x3", _l("4 × 3 in, one badge per page (landscape)"), FOUR_BY_THREE, FOUR_BY_THREE),
        Layout("a4-a6", _l("A4 sheets of 4 A6 badges"), A4, A6, columns=2, rows=2),
        Layout("a4-4x3", _l("A4 sheets of 6 badges of 4 × 3 in"), A4, FOUR_BY_THREE, 2, 3),
    )
}
DEFAULT_LAYOUT = "a6"


def event_of(name: str, name_zh: str, starts_on: date, ends_on: date) -> Event:
    return Event(
        name, name_zh, dates_in_english(starts_on, ends_on), dates_in_chinese(starts_on, ends_on)
    )


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def dates_in_english(start: date, end: date) -> str:
    """7–9 November 2018; 30 October – 1 November 2018; one day as 7 November 2018."""
    last = f"{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{last}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {last}"
    return f"{start.day} {MONTHS[start.month - 1]} {start.year} – {last}"


def dates_in_chinese(start: date, end: date) -> str:
    """2018年11月7日至9日, as Chinese writes a span."""
    first = f"{start.year}年{start.month}月{start.day}日"
    if start == end:
        return first
    if (start.year, start.month) == (end.year, end.month):
        return f"{first}至{end.day}日"
    if start.year == end.year:
        return f"{first}至{end.month}月{end.day}日"
    return f"{first}至{end.year}年{end.month}月{end.day}日"


class BadgeSheet(FPDF):
    """An fpdf2 document that remembers how each text was fitted: the conference band and the
    category bands repeat on every badge, so they are measured once per document."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fitted: dict[tuple, tuple[float, list[tuple[str, float]]]] = {}
        self.advances: dict[str, float] = {}  # each character's width at 1 pt, in mm

    def width_at_one_point(self, text: str) -> float:
        """The text's width at 1 pt: the sum of its characters' advances (fpdf2 draws one
        glyph per character, unkerned), each measured once per document."""
        missing = set(text) - self.advances.keys()
        if missing:
            size = self.font_size_pt
            self.set_font_size(1)
            for char in missing:
                self.advances[char] = self.get_string_width(char)
            self.set_font_size(size)
        return sum(self.advances[char] for char in text)


def render_badges(badges: Iterable[Badge], layout: Layout, event: Event) -> bytes:
    """One PDF: each badge on its own page, or sheets of `layout.per_page` with cut lines."""
    pdf = BadgeSheet(unit="mm", format=layout.page)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("Wuzhen Events")
    pdf.set_title(f"{event.name} — badges")
    pdf.set_lang("zh-Hans")
    pdf.add_font(FONT, fname=str(FONT_PATH))
    origins = layout.origins()
    slot = len(origins)
    for badge in badges:
        if slot == len(origins):
            pdf.add_page()
            slot = 0
        x, y = origins[slot]
        if layout.per_page > 1:
            draw_cut_lines(pdf, Box(x, y, *layout.badge))
        if layout.landscape:
            draw_landscape(pdf, Box(x, y, *layout.badge), badge, event)
        else:
            draw_portrait(pdf, Box(x, y, *layout.badge), badge, event)
        slot += 1
    if pdf.page == 0:
        raise ValueError("no badge to render")
    return bytes(pdf.output())


# --- the two badge designs --------------------------------------------------------------------


def draw_portrait(pdf: FPDF, box: Box, badge: Badge, event: Event) -> None:
    """A6: conference band, names, organisation, category band, QR code and its number."""
    margin = 6.0
    inner = box.w - 2 * margin
    header = Box(box.x, box.y, box.w, 22)
    draw_header(pdf, header, event, margin)
    names = Box(box.x + margin, box.y + 27, inner, 38)
    draw_names(pdf, names, badge, big_pt=34, small_pt=16)
    draw_text(pdf, Box(box.x + margin, box.y + 66, inner, 11), badge.organisation, 12, 6, 2, MUTED)
    band = Box(box.x, box.y + 79, box.w, 10)
    draw_category(pdf, band, badge, 11)
    qr_side = 42.0
    qr_box = Box(box.x + (box.w - qr_side) / 2, box.y + 92, qr_side, qr_side)
    draw_qr(pdf, qr_box, badge.checkin_code)
    code = Box(box.x + margin, box.y + 136, inner, 6)
    draw_text(pdf, code, grouped(badge.checkin_code), 7, 5, 1, MUTED)


def draw_landscape(pdf: FPDF, box: Box, badge: Badge, event: Event) -> None:
    """4 × 3 in: conference band, names and organisation beside the QR code, category band."""
    margin = 4.5
    header = Box(box.x, box.y, box.w, 14)
    draw_header(pdf, header, event, margin, compact=True)
    qr_side = 34.0
    qr_box = Box(box.x + box.w - margin - qr_side + 2, box.y + 16, qr_side, qr_side)
    draw_qr(pdf, qr_box, badge.checkin_code)
    text_width = qr_box.x - box.x - margin - 1
    names = Box(box.x + margin, box.y + 17, text_width, 26)
    draw_names(pdf, names, badge, big_pt=24, small_pt=12)
    organisation = Box(box.x + margin, box.y + 44, text_width, 9)
    draw_text(pdf, organisation, badge.organisation, 10, 5.5, 2, MUTED)
    code = Box(qr_box.x, qr_box.y + qr_side - 0.5, qr_side, 4)
    draw_text(pdf, code, grouped(badge.checkin_code), 5.5, 4, 1, MUTED)
    band = Box(box.x, box.y + box.h - 9, box.w, 9)
    draw_category(pdf, band, badge, 10)


def draw_header(pdf: FPDF, box: Box, event: Event, margin: float, compact: bool = False) -> None:
    pdf.set_fill_color(*HEADER)
    pdf.rect(box.x, box.y, box.w, box.h, style="F")
    inner = box.w - 2 * margin
    if compact:
        lines = [(event.name_zh or event.name, 9.0), (f"{event.name} · {event.dates_en}", 6.5)]
    else:
        lines = [
            (event.name_zh or event.name, 11.0),
            (event.name, 8.0),
            (f"{event.dates_en} · {event.dates_zh}", 7.0),
        ]
    heights = [size * PT * LINE_SPACING for _text, size in lines]
    y = box.y + (box.h - sum(heights)) / 2
    for (text, size), height in zip(lines, heights, strict=True):
        draw_text(pdf, Box(box.x + margin, y, inner, height), text, size, 4, 1, WHITE)
        y += height


def draw_names(pdf: FPDF, box: Box, badge: Badge, *, big_pt: float, small_pt: float) -> None:
    """The Chinese name large when there is one, the name in Latin letters under it."""
    if badge.name_zh and badge.name:
        first = Box(box.x, box.y, box.w, box.h * 0.6)
        second = Box(box.x, box.y + box.h * 0.6, box.w, box.h * 0.4)
        draw_text(pdf, first, badge.name_zh, big_pt, big_pt / 3, 2, INK)
        draw_text(pdf, second, badge.name, small_pt, small_pt / 3, 2, INK)
    else:
        draw_text(pdf, box, badge.name_zh or badge.name, big_pt * 0.8, big_pt / 4, 3, INK)


def draw_category(pdf: FPDF, box: Box, badge: Badge, size: float) -> None:
    pdf.set_fill_color(*CATEGORY_COLOURS.get(badge.category, INK))
    pdf.rect(box.x, box.y, box.w, box.h, style="F")
    text = f"{badge.category_zh} · {badge.category_en}" if badge.category_zh else badge.category_en
    draw_text(pdf, Box(box.x + 3, box.y, box.w - 6, box.h), text, size, 5, 1, WHITE)


def draw_cut_lines(pdf: FPDF, box: Box) -> None:
    pdf.set_draw_color(*CUT_LINE)
    pdf.set_line_width(0.1)
    pdf.rect(box.x, box.y, box.w, box.h, style="D")


def draw_qr(pdf: FPDF, box: Box, checkin_code: str) -> None:
    """The QR code as filled rectangles: runs of dark modules in a row, each joined with the
    same run in the rows under it."""
    matrix = qr_matrix(checkin_code)
    count = len(matrix)
    module = min(box.w, box.h) / (count + 2 * QR_QUIET_MODULES)
    left = box.x + (box.w - module * count) / 2
    top = box.y + (box.h - module * count) / 2
    pdf.set_fill_color(*WHITE)
    pdf.rect(box.x, box.y, box.w, box.h, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row, start, length, height in dark_blocks(matrix):
        pdf.rect(left + start * module, top + row * module, length * module, height * module, "F")


def qr_matrix(checkin_code: str) -> tuple[bytearray, ...]:
    """The same code the badge page shows: `WIC2018:<check-in code>`, error level M."""
    return segno.make(f"{QR_PREFIX}{checkin_code}", error="m", micro=False).matrix


def dark_blocks(matrix: Sequence[Sequence[int]]) -> list[tuple[int, int, int, int]]:
    """(row, start, length, height): each row's dark runs, a run that repeats in the next rows
    drawn once as a taller block."""
    blocks: list[tuple[int, int, int, int]] = []
    open_blocks: dict[tuple[int, int], int] = {}  # (start, length) -> first row
    for row, cells in enumerate(matrix):
        runs = set(dark_runs(cells))
        for run in [run for run in open_blocks if run not in runs]:
            first = open_blocks.pop(run)
            blocks.append((first, run[0], run[1], row - first))
        for run in runs:
            open_blocks.setdefault(run, row)
    blocks.extend(
        (first, run[0], run[1], len(matrix) - first) for run, first in open_blocks.items()
    )
    return sorted(blocks)


def dark_runs(cells: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for index, cell in enumerate(cells):
        if cell and start is None:
            start = index
        elif not cell and start is not None:
            runs.append((start, index - start))
            start = None
    if start is not None:
        runs.append((start, len(cells) - start))
    return runs


def grouped(code: str, size: int = 4) -> str:
    """The check-in code in short groups, as the badge page prints it, for staff to type."""
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


# --- text that fits ------------------------------------------------------------------------


def draw_text(
    pdf: BadgeSheet,
    box: Box,
    text: str,
    max_pt: float,
    min_pt: float,
    max_lines: int,
    colour: tuple[int, int, int],
) -> None:
    """`text` centred in `box` at the largest size (down to `min_pt`) whose lines fit it."""
    key = (text, box.w, box.h, max_pt, min_pt, max_lines)
    if key not in pdf.fitted:
        pdf.set_font(FONT)
        cleaned = printable(text)
        size, lines = fit(pdf, cleaned, box, max_pt, min_pt, max_lines) if cleaned else (min_pt, [])
        pdf.fitted[key] = (size, [(line, pdf.width_at_one_point(line) * size) for line in lines])
    size, lines = pdf.fitted[key]
    if not lines:
        return
    pdf.set_font(FONT, size=size)
    line_height = size * PT * LINE_SPACING
    top = box.y + (box.h - line_height * len(lines)) / 2
    drop = (LINE_SPACING - 1) / 2 * size * PT + ASCENT * size * PT
    pdf.set_text_color(*colour)
    for index, (line, width) in enumerate(lines):
        pdf.text(box.x + (box.w - width) / 2, top + index * line_height + drop, line)


Measure = Callable[[str], float]  # a text's width in mm at the size being tried


def fit(
    pdf: BadgeSheet, text: str, box: Box, max_pt: float, min_pt: float, max_lines: int
) -> tuple[float, list[str]]:
    """The largest size, in half points, at which the text's lines fit the box; at the smallest
    size the last line that fits ends with an ellipsis."""
    size = max_pt
    while True:

        def measure(part: str, size: float = size) -> float:
            return pdf.width_at_one_point(part) * size

        fitting = max(1, min(max_lines, int(box.h / (size * PT * LINE_SPACING) + 1e-9)))
        lines, split_word = wrap(measure, text, box.w)
        if (len(lines) <= fitting and not split_word) or size - 0.5 < min_pt:
            break
        size -= 0.5
    if len(lines) > fitting:
        lines = [*lines[: fitting - 1], cut(measure, " ".join(lines[fitting - 1 :]), box.w)]
    return size, lines


def wrap(measure: Measure, text: str, width: float) -> tuple[list[str], bool]:
    """Lines no wider than `width`: broken at spaces, between CJK characters, and inside a
    word only when the word alone is wider than the line (then the flag is true)."""
    lines: list[str] = []
    split_word = False
    line = ""
    for unit in units(text):
        candidate = unit if not line else line + unit
        if measure(candidate.rstrip()) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = unit.lstrip()
        while measure(line) > width and len(line) > 1:
            head = longest_prefix(measure, line, width)
            lines.append(head)
            split_word = True
            line = line[len(head) :]
    if line.strip():
        lines.append(line.rstrip())
    return lines, split_word


def units(text: str) -> list[str]:
    """Words with their leading space, and each CJK character on its own."""
    found: list[str] = []
    current = ""
    for char in text:
        if char == " ":
            if current.strip():
                found.append(current)
                current = ""
            current += char
        elif is_wide(char):
            if current.strip():
                found.append(current)
                current = ""
            found.append(current + char)  # with the spaces before it, if any
            current = ""
        else:
            current += char
    if current.strip():
        found.append(current)
    return found


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def longest_prefix(measure: Measure, text: str, width: float) -> str:
    end = len(text)
    while end > 1 and measure(text[:end]) > width:
        end -= 1
    return text[:end]


def cut(measure: Measure, text: str, width: float) -> str:
    """The start of `text` that fits `width` with an ellipsis after it."""
    if measure(text) <= width:
        return text
    head = longest_prefix(measure, text, width - measure(ELLIPSIS))
    return head.rstrip() + ELLIPSIS


def printable(text: str) -> str:
    """One line of visible characters: controls and line breaks become spaces."""
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(cleaned.split())
