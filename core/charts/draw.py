"""Drawing a `ChartData` as a matplotlib Figure: Chinese, labelled, fit for A4 and black and white.

Figures are built directly (never pyplot, which keeps global state and picks a GUI backend) and
matplotlib is imported inside the functions, so `import core.charts` costs the window nothing.
Series are told apart by hatching and lightness as well as by colour, so a chart printed on the
office's black-and-white printer still reads.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.charts.data import MISSING, NO_DATA, ChartData, Series
from core.fonts import BUNDLED, ROLES, bundled_files
from core.paths import mpl_config_dir

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# 156 × 89 mm: the text width of an A4 page with the GB/T 9704 margins (210 − 28 − 26 mm), so
# the chart prints at its own size and its 8–11 pt text stays 8–11 pt on paper. 1228 × 700 px
# at 200 dpi.
FIGSIZE = (6.14, 3.5)  # inches

TITLE_PT, LABEL_PT, TICK_PT, DATA_PT, NOTE_PT = 11.0, 9.0, 8.5, 8.0, 7.5
INK, GRID, FAINT = "#262626", "#d9d9d9", "#7f7f7f"


@dataclass(frozen=True)
class BarStyle:
    face: str
    hatch: str
    edge: str  # also the colour of the hatching: light on dark faces, dark on light ones


# Alternating dark and light faces with distinct hatches: each pair of neighbours differs in
# grey level and in pattern, which is what survives a black-and-white printer.
BAR_STYLES = (
    BarStyle("#1f4e79", "", "#1f4e79"),
    BarStyle("#bdd7ee", "////", "#404040"),
    BarStyle("#7f7f7f", "", "#7f7f7f"),
    BarStyle("#f8cbad", "....", "#404040"),
    BarStyle("#385723", "\\\\\\\\", "#ffffff"),
    BarStyle("#e2efda", "xxx", "#404040"),
    BarStyle("#c55a11", "|||", "#ffffff"),
    BarStyle("#fff2cc", "----", "#404040"),
    BarStyle("#404040", "++", "#ffffff"),
)
# Data labels keep a white ground, so a gridline or the target line never runs through them.
_LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
# A line on the right axis over bars lives in this band of the plot height, above the bars.
RIGHT_BAND = (0.70, 0.90)
LINE_STYLES = (("#c00000", "o", "-"), ("#262626", "s", "--"), ("#7030a0", "^", ":"))

_prepared = False


def prepare() -> None:
    """Register the CJK fonts with matplotlib and set its few global options (once).

    The system's UI face (微软雅黑 on Windows) when installed, else the bundled WenQuanYi Micro
    Hei; DejaVu Sans (shipped with matplotlib) closes the list for any symbol the others lack.
    Only font options are set: nothing that would change or pick a backend.
    """
    global _prepared
    if _prepared:
        return
    if getattr(sys, "frozen", False) and "matplotlib" not in sys.modules:
        # PyInstaller points matplotlib at a throw-away folder, which makes every start rebuild
        # the font list (seconds with many system fonts); keep it in our data folder instead.
        os.environ["MPLCONFIGDIR"] = str(mpl_config_dir())
    import matplotlib
    from matplotlib import font_manager

    for path in bundled_files():
        font_manager.fontManager.addfont(str(path))
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    system = [family for family in ROLES["ui"] if family in installed][:1]
    families = list(dict.fromkeys([*system, BUNDLED["sans"][1], "DejaVu Sans"]))
    matplotlib.rcParams["font.sans-serif"] = families
    # A list of families (not just "sans-serif") lets matplotlib fall back glyph by glyph.
    matplotlib.rcParams["font.family"] = families
    matplotlib.rcParams["axes.unicode_minus"] = False  # ASCII minus: every face has it
    _prepared = True


def draw(data: ChartData, figure: Figure | None = None) -> Figure:
    """`data` drawn into `figure` (cleared first; a canvas's figure keeps its size) or a new one."""
    prepare()
    if figure is None:
        from matplotlib.figure import Figure

        figure = Figure(figsize=FIGSIZE, layout="constrained")
    else:
        figure.clear()
        figure.set_layout_engine("constrained")
    figure.set_facecolor("white")
    axes = figure.add_subplot()
    axes.set_title(data.heading, fontsize=TITLE_PT, color=INK, pad=8)
    if data.empty:
        _draw_empty(axes, data)
    else:
        _Plot(figure, axes, data).draw()
    return figure


def _draw_empty(axes: Axes, data: ChartData) -> None:
    """A chart with nothing to show says so, instead of showing zeros."""
    axes.set_axis_off()
    axes.text(0.5, 0.56, NO_DATA, transform=axes.transAxes, ha="center", va="center",
              fontsize=16, color=FAINT)
    if data.empty_message:
        axes.text(0.5, 0.38, data.empty_message, transform=axes.transAxes, ha="center",
                  va="center", fontsize=LABEL_PT, color=FAINT)


def display_width(text: str) -> int:
    """Width in half-width cells: a Chinese character counts 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> str:
    """Break `text` into balanced lines of at most `width` cells (Chinese has no spaces)."""
    total = display_width(text)
    if total <= width:
        return text
    lines_needed = -(-total // width)
    # Lines of equal length read better than a long one and a stub; one cell of slack so that
    # an odd share does not split the last Chinese character off.
    target = min(width, -(-total // lines_needed) + 1)
    lines, line = [], ""
    for ch in text:
        if line and display_width(line + ch) > target:
            lines.append(line)
            line = ""
        line += ch
    return "\n".join([*lines, line])


class _Plot:
    """Bars (grouped or stacked) on the left axis, optional series on a right axis, lines."""

    GROUP_WIDTH = 0.72  # of the space between two categories

    def __init__(self, figure: Figure, axes: Axes, data: ChartData) -> None:
        self.figure, self.axes, self.data = figure, axes, data
        self.right: Axes | None = None
        self.x = list(range(len(data.labels)))
        self.bars = [s for s in data.series if s.kind == "bar" and s.has_data]
        self.lines = [s for s in data.series if s.kind == "line" and s.has_data]

    def axis(self, series: Series) -> Axes:
        if series.axis != "right":
            return self.axes
        if self.right is None:
            self.right = self.axes.twinx()
            self.right.set_ylabel(self.data.y2_label, fontsize=LABEL_PT, color=INK)
            self._style(self.right)
        return self.right

    def draw(self) -> None:
        self._style(self.axes)
        self.axes.set_ylabel(self.data.y_label, fontsize=LABEL_PT, color=INK)
        # Gridlines of one axis would cut the bars of the other at meaningless heights.
        if not any(s.axis == "right" for s in self.bars):
            self.axes.yaxis.grid(True, color=GRID, linewidth=0.6)
            self.axes.set_axisbelow(True)
        if self.data.stacked:
            self._stacked_bars()
        else:
            self._grouped_bars()
        if self.data.reference is not None:
            self.axes.axhline(self.data.reference, color=INK, linestyle="--", linewidth=0.9,
                              label=self.data.reference_label, zorder=1)
        for index, series in enumerate(self.lines):
            self._line(series, LINE_STYLES[index % len(LINE_STYLES)])
        self._limits()
        self._categories()
        self._legend()
        if self.data.note:  # under the category names, above the legend
            self.axes.set_xlabel(self.data.note, fontsize=NOTE_PT, color=FAINT, labelpad=6)

    # -- pieces ---------------------------------------------------------------------------------
    def _style(self, axes: Axes) -> None:
        from matplotlib.ticker import MaxNLocator

        axes.tick_params(labelsize=TICK_PT, colors=INK, length=3)
        for side in ("top", "right") if axes is self.axes else ("top", "left"):
            axes.spines[side].set_visible(False)
        integers = all(s.unit in ("个", "条", "家") for s in self.data.series
                       if (s.axis == "right") == (axes is not self.axes))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=integers))

    def _grouped_bars(self) -> None:
        count = len(self.bars)
        width = min(self.GROUP_WIDTH / max(count, 1), 0.5)
        for index, series in enumerate(self.bars):
            offset = (index - (count - 1) / 2) * width
            present = [i for i, v in enumerate(series.values) if v is not None]
            style = BAR_STYLES[index % len(BAR_STYLES)]
            container = self.axis(series).bar(
                [self.x[i] + offset for i in present], [series.values[i] or 0 for i in present],
                width * 0.92, label=series.name, color=style.face, hatch=style.hatch,
                edgecolor=style.edge, linewidth=0.6, zorder=2)
            if series.labels:
                self.axis(series).bar_label(
                    container, labels=[series.labels[i] for i in present], padding=2,
                    fontsize=DATA_PT, color=INK, linespacing=1.1, bbox=_LABEL_BOX)
        # A category without any bar was not entered: say so where the bar would stand.
        for i in self.x:
            if self.bars and all(s.values[i] is None for s in self.bars):
                self.axes.annotate(MISSING, (i, 0), xytext=(0, 3), textcoords="offset points",
                                   ha="center", va="bottom", fontsize=DATA_PT, color=FAINT)

    def _stacked_bars(self) -> None:
        bottoms = [0.0] * len(self.x)
        for index, series in enumerate(self.bars):
            style = BAR_STYLES[index % len(BAR_STYLES)]
            heights = [v or 0.0 for v in series.values]
            self.axes.bar(self.x, heights, 0.62, bottom=bottoms, label=series.name,
                          color=style.face, hatch=style.hatch, edgecolor=style.edge,
                          linewidth=0.6, zorder=2)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for i, label in enumerate(self.data.totals):
            self.axes.annotate(label, (i, bottoms[i]), xytext=(0, 2), textcoords="offset points",
                               ha="center", va="bottom", fontsize=DATA_PT, color=INK)

    def _line(self, series: Series, style: tuple[str, str, str]) -> None:
        color, marker, linestyle = style
        axes = self.axis(series)
        values = [float("nan") if v is None else v for v in series.values]
        axes.plot(self.x, values, color=color, marker=marker, linestyle=linestyle,
                  linewidth=1.6, markersize=5, markerfacecolor="white", label=series.name,
                  zorder=3)
        for i, value in enumerate(series.values):
            if value is not None and series.labels and series.labels[i]:
                axes.annotate(series.labels[i], (i, value), xytext=(0, 6),
                              textcoords="offset points", ha="center", va="bottom",
                              fontsize=DATA_PT, color=color, bbox=_LABEL_BOX)

    def _limits(self) -> None:
        """Room beyond the bars for their labels; a right-axis line kept in a band above them."""
        line_on_right = any(s.axis == "right" for s in self.lines)
        label_lines = max((label.count("\n") + 1 for s in self.bars for label in s.labels),
                          default=1)
        room = 0.03 + 0.06 * label_lines  # of the plot height, for the labels of the bars
        fill = (RIGHT_BAND[0] - 0.04 if line_on_right else 1.0) - room
        for axes, side in ((self.axes, "left"), (self.right, "right")):
            if axes is None:
                continue
            bars = [s for s in self.bars if s.axis == side]
            lines = [s for s in self.lines if s.axis == side]
            if bars:
                values = self._stack_tops() if self.data.stacked else [
                    v for s in bars for v in s.values if v is not None]
                if axes is self.axes and self.data.reference is not None:
                    values.append(self.data.reference)
                _fit(axes, values, fill)
            elif lines:
                values = [v for s in lines for v in s.values if v is not None]
                _fit_band(axes, values, *(RIGHT_BAND if side == "right" else (0.15, 0.8)))
                if side == "right":
                    _band_ticks(axes, values)

    def _stack_tops(self) -> list[float]:
        return [sum(s.values[i] or 0 for s in self.bars) for i in self.x]

    def _categories(self) -> None:
        # About 80 cells of tick text fit across the plot; share them between the categories.
        width = max(6, min(20, 80 // max(len(self.x), 1)))
        labels = [wrap(label, width) for label in self.data.labels]
        if self.data.sublabels:
            labels = [f"{label}\n{sub}" for label, sub in
                      zip(labels, self.data.sublabels, strict=True)]
        self.axes.set_xticks(self.x, labels)
        spare = max(0.0, (3 - len(self.x)) / 2)  # one or two categories: no giant bars
        self.axes.set_xlim(-0.6 - spare, len(self.x) - 0.4 + spare)
        self.axes.tick_params(axis="x", length=0)

    def _legend(self) -> None:
        handles, names = self.axes.get_legend_handles_labels()
        if self.right is not None:
            more, more_names = self.right.get_legend_handles_labels()
            handles, names = [*handles, *more], [*names, *more_names]
        if len(handles) > 1 or self.data.reference is not None:
            columns = min(len(handles), 5)
            # matplotlib fills a legend column by column; reorder so it reads row by row in
            # the order of the series (the order of the stack, bottom up).
            order = [k for column in range(columns) for k in range(column, len(handles), columns)]
            self.figure.legend([handles[k] for k in order], [names[k] for k in order],
                               loc="outside lower center", frameon=False, ncols=columns,
                               fontsize=TICK_PT, handlelength=1.6, columnspacing=1.2)


def _fit(axes: Axes, values: list[float], fill: float) -> None:
    """Y limits from 0 so that the bars take `fill` of the height and their labels the rest."""
    top, bottom = max([0.0, *values]), min([0.0, *values])
    if top == bottom:
        top = 1.0
    margin = (top - bottom) * (1 - fill) / fill
    axes.set_ylim(bottom - margin if bottom < 0 else 0.0, top + margin if top > 0 else 0.0)


def _fit_band(axes: Axes, values: list[float], low: float, high: float) -> None:
    """Y limits that put `values` between the fractions `low` and `high` of the plot height."""
    smallest, largest = min(values), max(values)
    # Never stretch tiny differences across the band: it would exaggerate them.
    span = max(largest - smallest, abs(largest) * 0.25, 0.5) / (high - low)
    middle = (smallest + largest) / 2
    bottom = middle - span * (low + high) / 2
    axes.set_ylim(bottom, bottom + span)


def _band_ticks(axes: Axes, values: list[float]) -> None:
    """A few ticks around the values of a line squeezed into a band (not its empty range)."""
    from matplotlib.ticker import MaxNLocator

    bottom, top = axes.get_ylim()
    low, high = min(values), max(values)
    if high - low < max(abs(high), 1.0) * 1e-6:  # one value (one year of data): ticks around it
        low, high = low - max(abs(low) * 0.1, 0.5), high + max(abs(high) * 0.1, 0.5)
    ticks = MaxNLocator(nbins=2, steps=[1, 2, 5, 10]).tick_values(low, high)
    axes.set_yticks([t for t in ticks if bottom <= t <= top])
