"""The four charts of the summary: their data, their drawing, their PNG, and the chart view."""

from __future__ import annotations

import struct
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.charts import (
    CHARTS,
    FIGSIZE,
    NO_DATA,
    chart_data,
    draw,
    key_for_title,
    render_png,
    save_png,
)
from core.charts.data import MISSING, PIPELINE_STAGES
from core.charts.draw import display_width, wrap
from core.errors import LedgerError, NotFoundError
from core.ledger import Ledger
from core.numbers import format_number
from core.periods import Period
from core.services import KINDS as SERVICE_KINDS
from tests.conftest import DEMO_PERIOD

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def no_warnings() -> Iterator[None]:
    """Any warning while charting fails the test (missing glyphs above all)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _drawn(ledger: Ledger, key: str, period: Period = DEMO_PERIOD):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = draw(chart_data(ledger, period, key))
    FigureCanvasAgg(figure).draw()  # lay out and render: glyph problems surface here
    return figure


def _ticks(axes) -> list[str]:
    return [t.get_text().replace("\n", "") for t in axes.get_xticklabels()]


def _texts(figure) -> list[str]:
    return [t.get_text() for axes in figure.axes for t in axes.texts] + [
        t.get_text() for t in figure.texts]


def _heights(container) -> list[float]:
    return [round(bar.get_height(), 9) for bar in container]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


# -- the API ----------------------------------------------------------------------------------
def test_charts_are_the_four_of_the_summary() -> None:
    assert CHARTS == {"targets": "主要指标完成情况", "trend": "近三年趋势",
                      "pipeline": "亿元项目推进情况", "services": "企业服务按月统计"}
    assert [key_for_title(title) for title in CHARTS.values()] == list(CHARTS)


def test_unknown_chart_is_a_clear_error(demo: Ledger) -> None:
    with pytest.raises(NotFoundError, match="没有“pie”这种图表"):
        chart_data(demo, DEMO_PERIOD, "pie")
    with pytest.raises(NotFoundError, match="没有名为“饼图”的图表"):
        key_for_title("饼图")


def test_import_does_not_load_matplotlib() -> None:
    script = ("import sys, core.charts, core.charts.draw\n"
              "print([m for m in sys.modules if m.split('.')[0] == 'matplotlib'])")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# -- 主要指标完成情况 ----------------------------------------------------------------------------
def test_targets_chart_shows_completion_of_each_indicator_with_a_target(demo: Ledger) -> None:
    # counts and amounts: rates and shares are measured by their gap, not drawn as a % of it
    with_targets = [f for f in demo.metrics.figures(DEMO_PERIOD)
                    if (f.target_committed is not None or f.target_stretch is not None)
                    and f.kind.completion_is_ratio]
    assert len(with_targets) >= 2  # the demo sets targets on several indicators
    figure = _drawn(demo, "targets")
    axes = figure.axes[0]
    assert axes.get_title() == f"主要指标完成情况（{DEMO_PERIOD.label}）"
    assert axes.get_ylabel() == "完成目标（%）"
    assert chart_data(demo, DEMO_PERIOD, "targets").units == ("%",)
    ticks = _ticks(axes)
    for f, tick in zip(with_targets, ticks, strict=True):
        actual = format_number(f.value, f.indicator.decimals, thousands=True)
        assert tick == f"{f.indicator.name}实际 {actual}{f.indicator.unit}"
    committed, stretch = axes.containers
    assert committed.get_label() == "完成确保目标" and stretch.get_label() == "完成奋斗目标"
    assert _heights(committed) == [round(f.completion.amount, 9) for f in with_targets]
    assert _heights(stretch) == [round(f.stretch_completion.amount, 9) for f in with_targets]
    assert with_targets[0].completion.words in _texts(figure)
    target_line = [line for line in axes.get_lines() if line.get_label() == "目标线（100%）"]
    assert len(target_line) == 1 and list(target_line[0].get_ydata()) == [100, 100]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["目标线（100%）", "完成确保目标", "完成奋斗目标"]


def test_targets_chart_marks_a_missing_value_instead_of_a_zero_bar(demo: Ledger) -> None:
    indicator = demo.catalogue.by_code("above_scale_output")
    demo.metrics.set(indicator, DEMO_PERIOD, "value", None)
    data = chart_data(demo, DEMO_PERIOD, "targets")
    position = data.labels.index(indicator.name)
    assert all(s.values[position] is None for s in data.series)
    assert data.sublabels[position] == f"实际 {MISSING}"
    figure = _drawn(demo, "targets")
    assert MISSING in _texts(figure)
    assert len(figure.axes[0].containers[0]) == len(data.labels) - 1


# -- 近三年趋势 ---------------------------------------------------------------------------------
def _trend_years() -> list[Period]:
    return [DEMO_PERIOD.shifted(k) for k in (-2, -1, 0)]


def test_trend_chart_shows_three_years_of_output_with_growth_and_the_value_added_rate(
        demo: Ledger) -> None:
    figure = _drawn(demo, "trend")
    bars_axes, line_axes = figure.axes
    assert bars_axes.get_title() == f"近三年趋势（各年{DEMO_PERIOD.months_label}）"
    assert chart_data(demo, Period(2025, 12), "trend").heading == "近三年趋势（全年）"
    assert _ticks(bars_axes) == [f"{p.year}年" for p in _trend_years()]
    assert bars_axes.get_ylabel() == "规上工业总产值（亿元）"
    assert line_axes.get_ylabel() == "增速（%）"
    output = [demo.metrics.figure("above_scale_output", p) for p in _trend_years()]
    (bars,) = bars_axes.containers
    assert _heights(bars) == [round(f.value, 9) for f in output]
    labels = _texts(figure)
    for f in output:
        growth = demo.metrics.figure("above_scale_output_growth", f.period).value or f.growth
        assert f"{format_number(f.value, 1)}\n同比增长{format_number(growth, 1)}%" in labels
    (line,) = line_axes.get_lines()
    rates = [demo.metrics.figure("above_scale_va_growth", p).value for p in _trend_years()]
    assert list(line.get_ydata()) == rates
    assert [f"{format_number(r, 1)}%" for r in rates] == [
        t.get_text() for t in line_axes.texts]


def test_trend_chart_says_decline_and_uses_the_official_growth(demo: Ledger) -> None:
    last_year = demo.metrics.figure("above_scale_output", DEMO_PERIOD.previous_year()).value
    demo.metrics.set("above_scale_output", DEMO_PERIOD, "value", last_year * 0.9)
    assert chart_data(demo, DEMO_PERIOD, "trend").series[0].labels[-1].endswith("同比下降10.0%")
    demo.metrics.set("above_scale_output_growth", DEMO_PERIOD, "value", "-9.6")
    assert chart_data(demo, DEMO_PERIOD, "trend").series[0].labels[-1].endswith("同比下降9.6%")


def test_trend_chart_leaves_a_missing_year_empty(demo: Ledger) -> None:
    demo.metrics.set("above_scale_output", DEMO_PERIOD.previous_year(), "value", None)
    figure = _drawn(demo, "trend")
    assert len(figure.axes[0].containers[0]) == 2
    assert MISSING in _texts(figure)


# -- 亿元项目推进情况 ---------------------------------------------------------------------------
def test_pipeline_chart_counts_and_invests_per_status(demo: Ledger) -> None:
    figure = _drawn(demo, "pipeline")
    counts_axes, money_axes = figure.axes
    assert counts_axes.get_title() == f"亿元项目推进情况（{DEMO_PERIOD.label}）"
    assert _ticks(counts_axes) == list(PIPELINE_STAGES)
    assert counts_axes.get_ylabel() == "项目数（个）"
    assert money_axes.get_ylabel() == "总投资（亿元）"
    totals = [demo.projects.totals(DEMO_PERIOD, status=s, yi_only=True) for s in PIPELINE_STAGES]
    (counts,) = counts_axes.containers
    (money,) = money_axes.containers
    assert _heights(counts) == [t["count"] for t in totals]
    assert _heights(money) == [round(t["total_investment"], 9) for t in totals]
    # The same counts as the summary's derived figures.
    for stage, code in (("新开工", "yi_new_started"), ("在建", "yi_under_construction"),
                        ("竣工投产", "yi_completed")):
        derived = demo.metrics.figure(code, DEMO_PERIOD).derived_value
        assert _heights(counts)[PIPELINE_STAGES.index(stage)] == derived
    assert format_number(totals[2]["total_investment"], 2) in _texts(figure)
    assert "总投资≥1亿元" in counts_axes.get_xlabel()


# -- 企业服务按月统计 ---------------------------------------------------------------------------
def test_services_chart_stacks_the_records_of_each_month_by_kind(demo: Ledger) -> None:
    figure = _drawn(demo, "services")
    axes = figure.axes[0]
    assert axes.get_title() == f"企业服务按月统计（{DEMO_PERIOD.label}）"
    assert _ticks(axes) == [f"{m}月" for m in range(1, DEMO_PERIOD.months + 1)]
    assert axes.get_ylabel() == "服务记录（条）"
    year = DEMO_PERIOD.year
    kinds = [k for k in SERVICE_KINDS
             if demo.services.count(kind=k, start=DEMO_PERIOD.start, end=DEMO_PERIOD.end)]
    assert [c.get_label() for c in axes.containers] == kinds
    for container in axes.containers:
        for month, bar in enumerate(container, start=1):
            expected = demo.services.count(kind=container.get_label(),
                                           start=f"{year}-{month:02d}-01",
                                           end=f"{year}-{month:02d}-31")
            assert bar.get_height() == expected
    per_month = [demo.services.count(start=f"{year}-{m:02d}-01", end=f"{year}-{m:02d}-31")
                 for m in range(1, DEMO_PERIOD.months + 1)]
    assert [t.get_text() for t in axes.texts] == [str(n) for n in per_month]
    assert len(figure.legends[0].get_texts()) == len(kinds)


# -- empty ledgers, PNG ------------------------------------------------------------------------
@pytest.mark.parametrize("key", list(CHARTS))
def test_empty_ledger_says_no_data(ledger: Ledger, key: str) -> None:
    data = chart_data(ledger, DEMO_PERIOD, key)
    assert data.empty and data.empty_message
    figure = _drawn(ledger, key)
    assert figure.axes[0].get_title() == data.heading
    assert NO_DATA in _texts(figure) and data.empty_message in _texts(figure)
    assert len(figure.axes[0].patches) == 0 and len(figure.axes[0].get_lines()) == 0
    assert _png_size(render_png(ledger, DEMO_PERIOD, key)) == (1228, 700)


def test_pipeline_without_yi_projects_is_no_data_not_zeros(ledger: Ledger) -> None:
    ledger.projects.add(name="小型技改项目", start_date="2026-03-01", total_investment="0.5")
    assert chart_data(ledger, DEMO_PERIOD, "pipeline").empty


@pytest.mark.parametrize("key", list(CHARTS))
def test_png_is_print_quality(demo: Ledger, key: str) -> None:
    data = render_png(demo, DEMO_PERIOD, key)
    assert _png_size(data) == (round(FIGSIZE[0] * 200), round(FIGSIZE[1] * 200)) == (1228, 700)
    assert len(data) > 20_000  # a drawn chart, not a blank page


def test_png_follows_dpi_and_is_reproducible(demo: Ledger) -> None:
    assert _png_size(render_png(demo, DEMO_PERIOD, "pipeline", dpi=300)) == (1842, 1050)
    assert render_png(demo, DEMO_PERIOD, "pipeline") == render_png(demo, DEMO_PERIOD, "pipeline")


def test_save_png_writes_whole_files_only(demo: Ledger, tmp_path: Path) -> None:
    target = tmp_path / "图表" / "亿元项目.png"
    target.parent.mkdir()
    assert save_png(demo, DEMO_PERIOD, "pipeline", target) == target
    assert target.read_bytes()[:8] == PNG_SIGNATURE
    assert sorted(p.name for p in target.parent.iterdir()) == ["亿元项目.png"]
    with pytest.raises(LedgerError, match="图片未能保存.*文件夹不存在"):
        save_png(demo, DEMO_PERIOD, "pipeline", tmp_path / "没有这个文件夹" / "图.png")


def test_wrap_counts_chinese_characters_double() -> None:
    assert display_width("GDP比重") == 7
    assert wrap("技术合同交易额", 20) == "技术合同交易额"
    assert wrap("高新技术产业增加值占GDP比重", 20) == "高新技术产业增\n加值占GDP比重"
    assert all(display_width(line) <= 10
               for line in wrap("规上工业企业复工复产率", 10).split("\n"))


# -- the chart view ----------------------------------------------------------------------------
@pytest.fixture
def view(qtbot, demo: Ledger):
    from ui.chart_view import ChartView

    widget = ChartView()
    qtbot.addWidget(widget)
    widget.set_ledger(demo)
    widget.set_period(DEMO_PERIOD)
    return widget


def test_chart_view_loads_matplotlib_only_when_shown(view) -> None:
    assert view.canvas is None
    view.show()
    assert view.canvas is not None


def test_chart_view_shows_each_chart(qtbot, view, demo: Ledger) -> None:
    view.show()
    assert [view.chooser.itemText(i) for i in range(view.chooser.count())] == list(
        CHARTS.values())
    for key, title in reversed(CHARTS.items()):  # the first one is shown already
        with qtbot.waitSignal(view.chart_changed) as signal:
            view.chooser.setCurrentIndex(view.chooser.findText(title))
        assert signal.args == [key] and view.current_key() == key
        figure = view.canvas.figure
        assert figure.axes[0].get_title() == chart_data(demo, DEMO_PERIOD, key).heading
        assert figure.axes[0].containers  # bars drawn from the demo ledger
    view.set_period(Period(2030, 6))  # a year the ledger knows nothing about
    assert NO_DATA in _texts(view.canvas.figure)


def test_chart_view_saves_a_png_to_a_chinese_path(qtbot, view, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    view.show()
    view.set_chart("pipeline")
    folder = tmp_path / "张三" / "图表"
    folder.mkdir(parents=True)
    asked: list[str] = []

    def choose(_parent, _caption, suggested, _filter):
        asked.append(suggested)
        return str(folder / "亿元项目推进"), "PNG 图片 (*.png)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    with qtbot.waitSignal(view.saved) as signal:
        qtbot.mouseClick(view.save_button, _left())
    saved = folder / "亿元项目推进.png"
    assert signal.args == [str(saved)]
    assert asked == [str(view.ledger.path.parent / f"亿元项目推进情况（{DEMO_PERIOD.label}）.png")]
    assert _png_size(saved.read_bytes()) == (1228, 700)
    assert [p.name for p in folder.iterdir()] == ["亿元项目推进.png"]
    assert str(saved) in view.status.text()


def test_chart_view_reports_a_failed_save(qtbot, view, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    view.show()
    missing = tmp_path / "不存在的文件夹" / "图.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(missing), "")))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _parent, _title, text: shown.append(text)))
    qtbot.mouseClick(view.save_button, _left())
    assert len(shown) == 1 and "文件夹不存在" in shown[0]
    assert not missing.parent.exists()


def test_chart_view_without_a_ledger_asks_for_one(qtbot) -> None:
    from ui.chart_view import ChartView

    widget = ChartView()
    qtbot.addWidget(widget)
    widget.show()
    assert not widget.save_button.isEnabled()
    assert "请先打开台账" in widget.status.text()
    assert widget.canvas is None


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
