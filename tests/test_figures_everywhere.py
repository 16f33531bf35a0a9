"""Every figure reads the same everywhere: the 指标 tab, the summary (PDF, Word, JSON), the
charts and the Excel export, on random ledgers and on the demo.

The JSON document model (`report --out F.json`) lists every printed figure with its source; the
demo's JSON figures are found in the PDF's text and agree with the chart series.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_report_writers import docx_text, pdf_text

from core import cli
from core.charts.data import chart_data
from core.kinds import versus_last_year_words
from core.ledger import Ledger
from core.periods import Period
from core.report import writers
from core.report.build import build
from core.report.document import Paragraph
from core.report.writers.figures_json import model
from tests.conftest import DEMO_PERIOD
from ui.report_pdf import register_pdf_writer
from ui.tabs.indicator_model import IndicatorsModel

P = Period(2026, 11)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- the demo: JSON ↔ PDF ↔ charts --------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_json(qapp, demo_template: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[dict, str, str]:
    register_pdf_writer()
    folder = tmp_path_factory.mktemp("核对 总结")
    out = {suffix: folder / f"总结{suffix}" for suffix in (".json", ".pdf", ".docx")}
    for path in out.values():
        assert cli.main(["report", "--db", str(demo_template), "--year", str(DEMO_PERIOD.year),
                         "--months", f"1-{DEMO_PERIOD.months}", "--out", str(path)]) == 0
    data = json.loads(out[".json"].read_text(encoding="utf-8"))
    return data, pdf_text(out[".pdf"]), docx_text(out[".docx"])


def test_every_json_figure_is_printed_in_the_pdf_and_the_word_file(demo_json) -> None:
    data, pdf, word = demo_json
    figures = [f for f in data["figures"] if not f["missing"]]
    assert len(figures) >= 39  # the demo summary prints every seed figure and more
    pdf_text_, word_text = _squash(pdf), _squash(word)
    for figure in figures:
        assert _squash(figure["text"]) in pdf_text_, figure
        assert _squash(figure["text"]) in word_text, figure
    sources = {f["source"] for f in figures}
    assert {"entered", "derived"} <= sources


def test_every_json_figure_says_where_it_comes_from(demo_json) -> None:
    data, _pdf, _word = demo_json
    for figure in data["figures"]:
        assert figure["indicator"] and figure["period"] == DEMO_PERIOD.label
        assert figure["source"] in ("entered", "derived", "overridden", "missing")
        if figure["value"] is not None and figure["unit"] in ("家", "个", "亿元", "万元", "%"):
            assert re.search(r"\d", figure["text"]), figure


def test_the_charts_show_the_figures_the_text_prints(demo_json) -> None:
    data, _pdf, _word = demo_json
    printed = {(f["indicator"], f["form"]): f["value"] for f in data["figures"]}
    [pipeline] = [c for c in data["charts"] if c["key"] == "pipeline"]
    counts = dict(zip(pipeline["labels"], pipeline["series"][0]["values"], strict=True))
    for stage, name in (("新开工", "新开工亿元项目数"), ("在建", "在建亿元项目数"),
                        ("竣工投产", "竣工投产亿元项目数")):
        if (name, "") in printed:
            assert counts[stage] == printed[(name, "")], stage
    [targets] = [c for c in data["charts"] if c["key"] == "targets"]
    for label, value in zip(targets["labels"], targets["series"][0]["values"], strict=True):
        if (label, "完成率") in printed and value is not None:
            assert printed[(label, "完成率")] == value


# -- random ledgers: tab, summary, chart, Excel, Word ----------------------------------------
# Indicators of every numeric kind in the default catalogue, entered ones and one derived.
_CODES = ("above_scale_output", "above_scale_va_growth", "hitech_va_share", "contest_entries",
          "tech_contract_turnover", "resumption_rate", "above_scale_count")
_numbers = st.one_of(
    st.none(), st.just(0), st.integers(-50, 5000),
    st.decimals(min_value=-100, max_value=10_000, places=2, allow_nan=False,
                allow_infinity=False).map(str))


@st.composite
def _entries(draw: st.DrawFn) -> dict[str, dict[str, object]]:
    chosen = draw(st.lists(st.sampled_from(_CODES), min_size=1, max_size=4, unique=True))
    return {code: {"value": draw(_numbers), "last_year_value": draw(_numbers),
                   "target_committed": draw(_numbers)} for code in chosen}


def _store(ledger: Ledger, entries: dict[str, dict[str, object]]) -> None:
    for code, fields in entries.items():
        for field, raw in fields.items():
            if raw is None:
                continue
            try:
                ledger.metrics.set(code, P, field, str(raw), reason="测试")
            except Exception:  # refused by the kind (a negative count …): not stored
                continue


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entries=_entries(), firms=st.integers(0, 3))
def test_every_figure_reads_the_same_in_every_writer(qapp, tmp_path_factory, entries, firms
                                                     ) -> None:
    from openpyxl import load_workbook

    from core.exchange.excel_export import export_year

    folder = tmp_path_factory.mktemp("随机 台账")
    with Ledger.open(folder / "台账.db") as ledger:
        for n in range(firms):  # a thin register: its zeros must not print
            ledger.enterprises.add(name=f"{n}号有限公司", above_scale="2020" if n else "")
        _store(ledger, entries)
        catalogue = ledger.catalogue
        indicators = [catalogue.by_code(code) for code in (*entries, "above_scale_count")]
        # the 指标 tab
        tab = IndicatorsModel()
        tab.set_ledger(ledger, None)
        tab.period = P
        tab.reload()
        columns = {c.key: c for c in tab.columns}
        rows = {tab.figure_of(tab.record(n)).indicator.code: tab.record(n)
                for n in range(tab.rowCount()) if tab.figure_of(tab.record(n)) is not None}
        # the summary: one paragraph per indicator, its forms separated by |
        forms = ("", "上年", "确保目标", "完成率", "同比")
        body = "\n".join("|".join(f"【{i.name}{'.' + f if f else ''}】" for f in forms)
                         for i in indicators)
        document = build(ledger, P, "标题\n" + body, render_chart=lambda _key: b"")
        paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
        word = folder / "总结.docx"
        writers.save(document, word)
        word_text = docx_text(word)
        targets = chart_data(ledger, P, "targets")
        export = export_year(ledger, 2026, folder / "导出.xlsx", all_periods=True).path
        sheet = load_workbook(export, read_only=True)["指标"]
        sheet_rows = list(sheet.iter_rows(values_only=True))
        header = list(sheet_rows[0])
        excel = {row[0]: dict(zip(header, row, strict=False)) for row in sheet_rows[1:]
                 if row[header.index("期间")] == P.months_label}
        for indicator, printed in zip(indicators, paragraphs, strict=True):
            assert printed in word_text
            value, last, target, completion, versus = printed.split("|")
            row = rows[indicator.code]
            figure = tab.figure_of(row)
            unit = indicator.unit

            def shown(key: str, text: str, row=row, unit=unit) -> None:
                cell = tab.text(row, columns[key])
                if cell:
                    assert text == cell + unit, (key, text, cell)
                else:
                    assert text.startswith("【未填："), (key, text)
            shown("value", value)
            shown("last_year", last)
            shown("target_committed", target)
            cell = tab.text(row, columns["completion"])
            assert completion == cell if cell else completion.startswith("【未填："), completion
            cell = tab.text(row, columns["change"])
            assert versus == versus_last_year_words(cell) if cell else versus.startswith("【未填")
            # Excel: the stored value, the same words
            line = excel.get(indicator.name)
            if line is None:  # the ledger holds nothing for this period: nothing exported
                assert figure.value is None
            else:
                assert line.get("本期数值") == figure.value
                assert (line.get("同比") or "") == cell
                assert (line.get("完成确保目标") or "") == tab.text(row, columns["completion"])
            # the chart: the same completion, the same actual value
            if indicator.name in targets.labels:
                at = targets.labels.index(indicator.name)
                label = targets.series[0].labels[at] if targets.series else ""
                assert label == (figure.completion.words if figure.completion else "")
                actual = targets.sublabels[at].removeprefix("实际 ").replace(",", "")
                assert actual == ("未填" if figure.value is None else value)
        # no zero nobody typed: a thin register's count is missing unless it found firms
        count = ledger.metrics.figure("above_scale_count", P)
        typed = entries.get("above_scale_count", {}).get("value")
        if count.value == 0:
            assert typed is not None and float(str(typed)) == 0


def test_the_json_model_lists_every_field_of_a_paragraph(demo: Ledger) -> None:
    document = build(demo, DEMO_PERIOD, "标题\n【规上工业企业数】家，【规上工业增加值增速.同比】。",
                     render_chart=lambda _key: b"")
    data = model(document)
    assert [(f["indicator"], f["form"]) for f in data["figures"]] == [
        ("规上工业企业数", ""), ("规上工业增加值增速", "同比")]
    assert data["blocks"][1]["text"].startswith(data["figures"][0]["text"])
