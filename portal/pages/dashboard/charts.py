"""Geometry for the dashboards' server-rendered SVG charts.

The Content-Security-Policy refuses inline scripts and styles, so charts are plain SVG drawn by templates
(`templates/dashboard/_bar_chart.html`, `_column_chart.html`): these helpers only work out where each bar goes.
Colors come from classes in `static/css/dashboard.css`.

In a right-to-left language (`rtl=True`) the drawing is mirrored: bars grow from the right, labels and the value
axis stand on the right, and the first column is the rightmost, as an Arabic reader reads. Only the coordinates
are mirrored, never the text: the SVG inherits the page's direction, so each text anchor ("end" for a label,
"start" for a value) means the same logical side in both directions and the words keep their own order.
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
    label_x: float
    bar_width: float
    value_x: float
    bar_x: float = 0


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_x: float
    plot_width: int
    bar_height: int
    rows: list[BarRow]
    bars: list[Bar] = field(default_factory=list)
    heading_x: float = 0

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


def bar_chart(
    bars: list[Bar], *, width: int = 540, label_width: int = 210, row_height: int = 22, rtl: bool = False
) -> BarChart:
    """Horizontal bars, one row each, with a heading row before each new `group`; mirrored when `rtl`."""

    def placed(x: float, span: float = 0) -> float:
        # x of the left edge of something drawn from x over span, in the page's direction
        return round(width - x - span, 1) if rtl else x

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
        drawn_width = max(bar_width, 2.0) if bar.value else 0
        rows.append(
            BarRow(
                bar=bar,
                heading="",
                y=y + (row_height - bar_height) // 2,
                text_y=y + row_height // 2 + 4,
                label_x=placed(label_width),
                bar_width=drawn_width,
                value_x=placed(plot_x + bar_width + 6),
                bar_x=placed(plot_x, drawn_width),
            )
        )
        y += row_height
    return BarChart(
        width=width,
        height=max(y, row_height),
        plot_x=placed(plot_x, plot_width),
        plot_width=plot_width,
        bar_height=bar_height,
        rows=rows,
        bars=bars,
        heading_x=placed(0),
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
    axis_x: float = 26
    grid_x1: float = 32
    grid_x2: float = 540

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def column_chart(bars: list[Bar], *, width: int = 540, height: int = 240, rtl: bool = False) -> ColumnChart:
    """Vertical columns (e.g. one per year) with a value above each and a label below; the value axis on the
    reading side (left, or right when `rtl`) and the first column next to it."""
    top, bottom, axis_space, far_space = 20, 26, 32, 8
    baseline = height - bottom
    plot_height = baseline - top
    scale = _nice_ceiling(max((bar.value for bar in bars), default=0))
    slot = (width - axis_space - far_space) / max(len(bars), 1)
    column_width = min(slot * 0.7, 48)
    columns = []
    for index, bar in enumerate(bars):
        column_height = round(plot_height * bar.value / scale, 1)
        center = axis_space + slot * index + slot / 2
        if rtl:
            center = width - center
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
    return ColumnChart(
        width=width,
        height=height,
        baseline=baseline,
        columns=columns,
        gridlines=gridlines,
        bars=bars,
        axis_x=width - 26 if rtl else 26,
        grid_x1=0 if rtl else axis_space,
        grid_x2=width - axis_space if rtl else width,
    )
