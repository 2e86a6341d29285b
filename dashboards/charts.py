"""Horizontal bar charts drawn on the server: this module turns (label, value) pairs into the
geometry the template writes as inline SVG. No JavaScript, nothing fetched from elsewhere.

Each row is a label on its own line with the bar under it and the value after the bar, so a
long sector name never squeezes the bar on a 360 px phone. Sizes are in viewBox units; the SVG
is drawn at 100 % width and the CSS caps it, so one unit is about one CSS pixel on a phone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

WIDTH = 320.0
# The longest bar leaves room after it for the value (e.g. "Rp12.500.000.000").
MAX_BAR = 180.0
LABEL_HEIGHT = 16.0
BAR_HEIGHT = 14.0
ROW_GAP = 8.0
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
# Past this many characters a label is shortened in the chart; the table under it has it whole.
MAX_LABEL = 46


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # as given: an int stays an int for its formatter
    value_text: str
    label_y: float  # baseline of the label
    bar_y: float  # top of the bar
    length: float  # of the bar, from x = 0
    value_x: float  # where the value's text starts
    value_y: float  # its baseline


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: float
    height: float
    bar_height: float

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(
    pairs: Iterable[tuple[str, float]],
    *,
    fmt: Callable[[float], str] = str,
    scale_max: float | None = None,
) -> BarChart:
    """Bars whose lengths are proportional to the values: the largest (or `scale_max`, when
    larger) spans MAX_BAR. Zero, negative or missing values draw no bar; all-zero data draws
    no bars rather than dividing by zero."""
    rows = [(str(label), value or 0) for label, value in pairs]
    top = max([float(value) for _label, value in rows] + [float(scale_max or 0)])
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * ROW_HEIGHT
        length = round(MAX_BAR * max(float(value), 0.0) / top, 2) if top > 0 else 0.0
        bars.append(
            Bar(
                label=_short(label),
                value=value,
                value_text=fmt(value),
                label_y=y + LABEL_HEIGHT - 4,
                bar_y=y + LABEL_HEIGHT,
                length=length,
                value_x=length + 4,
                value_y=y + LABEL_HEIGHT + BAR_HEIGHT - 3,
            )
        )
    height = len(rows) * ROW_HEIGHT - ROW_GAP if rows else 0.0
    return BarChart(bars=bars, width=WIDTH, height=height, bar_height=BAR_HEIGHT)
