"""Geometry for the dashboards' server-rendered SVG charts.

The Content-Security-Policy refuses inline scripts and styles, so charts are plain SVG drawn by templates
(`templates/dashboard/_bar_chart.html`, `_column_chart.html`): these helpers only work out where each bar goes.
Colors come from classes in `static/css/dashboard.css`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    """One figure of a chart. `group` starts a titled group of bars; `level` 1 marks a sub-item (drawn lighter)."""

    label: str
    value: int
    url: str = ""
    level: int = 0
    group: str = ""
    key: str = ""


@dataclass(frozen=True)
class BarRow:
    bar: Bar | None  # None for a group heading
    heading: str
    y: int
    text_y: int
    label_x: int
    bar_width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    bar_height: int
    rows: list[BarRow]
    bars: list[Bar] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^n at or above `value` (an axis maximum people read easily)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bar_chart(bars: list[Bar], *, width: int = 540, label_width: int = 210, row_height: int = 22) -> BarChart:
    """Horizontal bars, one row each, with a heading row before each new `group`."""
    bar_height = row_height - 8
    plot_x = label_width + 8
    value_space = 44
    plot_width = width - plot_x - value_space
    scale = _nice_ceiling(max((bar.value for bar in bars), default=0))
    rows: list[BarRow] = []
    y = 0
    current_group = None
    for bar in bars:
        if bar.group and bar.group != current_group:
            current_group = bar.group
            top_gap = 8 if rows else 0
            rows.append(BarRow(None, bar.group, y + top_gap, y + top_gap + 14, 0, 0, 0))
            y += row_height + top_gap
        bar_width = round(plot_width * bar.value / scale, 1)
        rows.append(
            BarRow(
                bar=bar,
                heading="",
                y=y + (row_height - bar_height) // 2,
                text_y=y + row_height // 2 + 4,
                label_x=label_width,
                bar_width=max(bar_width, 2.0) if bar.value else 0,
                value_x=plot_x + bar_width + 6,
            )
        )
        y += row_height
    return BarChart(
        width=width,
        height=max(y, row_height),
        plot_x=plot_x,
        plot_width=plot_width,
        bar_height=bar_height,
        rows=rows,
        bars=bars,
    )


@dataclass(frozen=True)
class Column:
    bar: Bar
    x: float
    y: float
    width: float
    height: float
    center: float


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    baseline: int
    columns: list[Column]
    gridlines: list[tuple[float, int]]
    bars: list[Bar]

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def column_chart(bars: list[Bar], *, width: int = 540, height: int = 240) -> ColumnChart:
    """Vertical columns (e.g. one per year) with a value above each and a label below."""
    top, bottom, left, right = 20, 26, 32, 8
    baseline = height - bottom
    plot_height = baseline - top
    scale = _nice_ceiling(max((bar.value for bar in bars), default=0))
    slot = (width - left - right) / max(len(bars), 1)
    column_width = min(slot * 0.7, 48)
    columns = []
    for index, bar in enumerate(bars):
        column_height = round(plot_height * bar.value / scale, 1)
        center = left + slot * index + slot / 2
        columns.append(
            Column(
                bar=bar,
                x=round(center - column_width / 2, 1),
                y=round(baseline - column_height, 1),
                width=round(column_width, 1),
                height=column_height,
                center=round(center, 1),
            )
        )
    ticks = next(count for count in (5, 4, 2, 1) if scale % count == 0)
    gridlines = [
        (round(baseline - plot_height * step / ticks, 1), scale * step // ticks) for step in range(1, ticks + 1)
    ]
    return ColumnChart(width=width, height=height, baseline=baseline, columns=columns, gridlines=gridlines, bars=bars)
