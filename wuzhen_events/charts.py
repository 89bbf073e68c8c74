"""Charts as inline SVG, drawn on the server: no JavaScript library, no CDN, readable offline.

Pure functions of plain numbers and labels. Each chart is an `<svg role="img">` named by its
`<title>` and `<desc>`, sized by its viewBox only (no pixel width), so CSS makes it as wide as
its column, down to a 390 px phone; its text takes the page's fonts from CSS, so Chinese labels
render as the page's text does. Pages show the same numbers in a table beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from unicodedata import east_asian_width

from markupsafe import Markup, escape

WIDTH = 400  # viewBox units: about one unit per CSS pixel on a phone
BAR_AREA_HEIGHT = 160
LABEL_LIMIT = 40  # characters of a label drawn in the chart; the table holds the whole text
ROW_HEIGHT = 34  # a horizontal bar: its label above, the bar below
FONT_SIZE = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    # The whole a part is measured against (a subforum's capacity), drawn behind the bar.
    total: int | None = None


def bar_chart(identifier: str, title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """Vertical bars, for a few categories or days; labels under the bars, thinned if crowded."""
    return _columns(identifier, title, description, bars, line=False)


def time_series(
    identifier: str, title: str, description: str, points: Sequence[Bar], *, line: bool = False
) -> Markup:
    """Values in time order, as bars or as a line through the points."""
    return _columns(identifier, title, description, points, line=line)


def horizontal_bar_chart(
    identifier: str, title: str, description: str, bars: Sequence[Bar]
) -> Markup:
    """One row per item, its label on a line of its own above the bar, so long titles fit."""
    label_x, bar_x, value_room = 4, 4, 64
    bar_width = WIDTH - bar_x - value_room
    scale = _scale(bars)
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    parts = []
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT + 4
        parts.append(
            f'<text class="chart-label" x="{label_x}" y="{top + 12}">{_short(bar.label)}</text>'
        )
        if bar.total is not None:
            parts.append(
                f'<rect class="chart-track" x="{bar_x}" y="{top + 16}" '
                f'width="{_length(bar.total, scale, bar_width)}" height="12"></rect>'
            )
        parts.append(
            f'<rect class="chart-bar" x="{bar_x}" y="{top + 16}" '
            f'width="{_length(bar.value, scale, bar_width)}" height="12">'
            f"<title>{_tooltip(bar)}</title></rect>"
        )
        end = bar_x + _length(max(bar.value, bar.total or 0), scale, bar_width)
        parts.append(
            f'<text class="chart-value" x="{_number(end + 4)}" y="{top + 26}">'
            f"{_value_text(bar)}</text>"
        )
    return _svg(identifier, "chart-horizontal", title, description, height, parts)


def _columns(
    identifier: str, title: str, description: str, bars: Sequence[Bar], *, line: bool
) -> Markup:
    left, right, top = 36, 8, 8
    bottom = top + BAR_AREA_HEIGHT
    height = bottom + 24
    plot_width = WIDTH - left - right
    scale = _scale(bars)
    slot = plot_width / max(len(bars), 1)
    # Every label, each cut to its slot, when that leaves each readable (a Chinese character
    # is about twice as wide as a Latin one); otherwise whole labels, one every `step` bars.
    labels = [_fitted(bar.label, slot) for bar in bars]
    if max((_text_width(label) for label in labels), default=0) > slot:
        labels = [_fitted(bar.label, float("inf")) for bar in bars]
    widest = max((_text_width(label) for label in labels), default=1)
    step = max(1, -(-int(widest) // max(int(slot), 1)))
    top_value = max((bar.value for bar in bars), default=0)
    parts = [
        f'<line class="chart-axis" x1="{left}" y1="{bottom}" x2="{WIDTH - right}" y2="{bottom}">'
        "</line>",
        f'<text class="chart-tick" x="{left - 4}" y="{bottom}" text-anchor="end">0</text>',
    ]
    if top_value:
        parts.append(
            f'<text class="chart-tick" x="{left - 4}" y="{top + FONT_SIZE - 2}" '
            f'text-anchor="end">{top_value}</text>'
        )
    points = []
    for index, bar in enumerate(bars):
        centre = left + slot * index + slot / 2
        bar_height = _length(bar.value, scale, BAR_AREA_HEIGHT)
        if line:
            points.append(f"{_number(centre)},{_number(bottom - bar_height)}")
            parts.append(
                f'<circle class="chart-point" cx="{_number(centre)}" '
                f'cy="{_number(bottom - bar_height)}" r="3"><title>{_tooltip(bar)}</title></circle>'
            )
        else:
            width = min(max(slot * 0.7, 1), 48)
            parts.append(
                f'<rect class="chart-bar" x="{_number(centre - width / 2)}" '
                f'y="{_number(bottom - bar_height)}" width="{_number(width)}" '
                f'height="{bar_height}"><title>{_tooltip(bar)}</title></rect>'
            )
        if index % step == 0:
            parts.append(
                f'<text class="chart-label" x="{_number(centre)}" y="{bottom + 16}" '
                f'text-anchor="middle">{escape(labels[index])}</text>'
            )
    if line and points:
        parts.insert(2, f'<polyline class="chart-line" points="{" ".join(points)}"></polyline>')
    kind = "chart-line-series" if line else "chart-columns"
    return _svg(identifier, kind, title, description, height, parts)


def _svg(
    identifier: str, kind: str, title: str, description: str, height: int, parts: list[str]
) -> Markup:
    name = escape(identifier)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{name}-title {name}-desc" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{name}-title">{escape(title)}</title>'
        f'<desc id="{name}-desc">{escape(description)}</desc>'
        f"{''.join(parts)}</svg>"
    )


def _scale(bars: Sequence[Bar]) -> int:
    return max((max(bar.value, bar.total or 0) for bar in bars), default=0)


def _length(value: int, scale: int, room: float) -> float:
    """A value's length in viewBox units, out of `room` for the largest; a nonzero value shows."""
    if scale <= 0 or value <= 0:
        return 0
    return max(_number(value * room / scale), 1)


def _number(value: float) -> float | int:
    """Coordinates to a tenth of a unit, written without a trailing `.0`."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _text_width(text: str) -> float:
    """Its width in chart units at FONT_SIZE: wide (CJK) characters a full em, others ~0.6."""
    return sum(FONT_SIZE if east_asian_width(character) in "WF" else 7 for character in text)


def _fitted(label: str, room: float, *, limit: int = 12, shortest: int = 3) -> str:
    """`label` cut (with an ellipsis) to at most `limit` characters and, where it can keep
    `shortest` of them, to the width of `room`."""
    text = label if len(label) <= limit else label[: limit - 1] + "…"
    while _text_width(text) > room * 0.95 and len(text.rstrip("…")) > shortest:
        text = text.rstrip("…")[:-1] + "…"
    return text


def _short(label: str, limit: int = LABEL_LIMIT) -> Markup:
    text = label if len(label) <= limit else label[: limit - 1] + "…"
    return escape(text)


def _value_text(bar: Bar) -> str:
    return f"{bar.value} / {bar.total}" if bar.total is not None else str(bar.value)


def _tooltip(bar: Bar) -> Markup:
    return escape(f"{bar.label}: {_value_text(bar)}")
