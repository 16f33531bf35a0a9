"""上报 locks a period: every path that writes its figures is refused; 解锁 and 与上报版比较."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from core import editions, packets
from core.cli import main
from core.errors import InputError, PeriodLockedError
from core.exchange.excel_import import apply_import, preview_file
from core.filing_units import FilingUnits
from core.ledger import Ledger
from core.periods import Period
from tests.excel_files import write_xlsx
from tests.helpers import dump

PERIOD = Period(2026, 6)
LOCKED = "2026年1-6月（第1版）的数据已上报并锁定"


def test_submit_makes_an_edition_and_locks(demo: Ledger) -> None:
    assert editions.edition_label(demo, PERIOD) == "草稿"
    edition, _change = editions.submit(demo, PERIOD, note="首次上报")
    assert (edition.number, edition.note, edition.made_by) == (1, "首次上报",
                                                               edition.made_by or "?")
    assert edition.made_by and edition.made_at.startswith("20")
    value = next(r for r in edition.snapshot if r["name"] == "规上工业增加值增速")
    assert value["value"] == demo.metrics.figure("规上工业增加值增速", PERIOD).value
    assert editions.edition_label(demo, PERIOD) == "第1版"
    assert editions.edition_label(demo, Period(2026, 7)) == "草稿"
    with pytest.raises(Exception, match="已上报（第1版）并锁定"):
        editions.submit(demo, PERIOD)


def test_a_locked_period_refuses_every_path(demo: Ledger, tmp_path: Path) -> None:
    # a packet returned before the lock, merged after it
    units = FilingUnits(demo)
    units.add("科技科")
    units.assign("科技科", PERIOD, indicators=["技术合同交易额"], tables=["services"])
    packet = packets.issue(demo, "科技科", PERIOD, tmp_path / "科技科.wlp").path
    with Ledger.open(packet) as unit:
        unit.metrics.set("技术合同交易额", PERIOD, "value", "9.5")
    back = packets.make_return(packet, tmp_path / "回.wlp").path
    edit = demo.metrics.set("规上工业增加值增速", PERIOD, "note", "上报前")
    editions.submit(demo, PERIOD)
    state = dump(demo.conn, skip=("audit", "settings"))

    with pytest.raises(PeriodLockedError, match=LOCKED):  # the 指标 tab's cell edit
        demo.metrics.set("规上工业增加值增速", PERIOD, "value", "6.6")
    with pytest.raises(PeriodLockedError, match=LOCKED):  # a figure of the period not yet typed
        demo.metrics.set("技术合同交易额", PERIOD, "note", "新")
    with pytest.raises(PeriodLockedError):  # 企业服务 tab: a record dated in the period
        demo.services.add(date="2026-03-02", kind="走访", person_times=1)
    with pytest.raises(PeriodLockedError):  # undo of an edit made before 上报
        demo.revert(edit)
    xlsx = write_xlsx(tmp_path / "指标.xlsx", {"指标": [
        ["指标名称", "年份", "期间", "本期数值"], ["规上工业增加值增速", 2026, "1-6月", 6.9]]})
    with pytest.raises(PeriodLockedError):  # Excel import
        apply_import(demo, preview_file(demo, xlsx))
    plan = packets.preview(demo, back)
    assert any("锁定" in note for note in plan.notes)
    with pytest.raises(PeriodLockedError):  # packet merge: all or nothing
        packets.apply_merge(demo, plan)
    assert dump(demo.conn, skip=("audit", "settings")) == state
    code = main(["import", "--db", str(demo.path), str(xlsx), "--apply"], out=io.StringIO())
    assert code == 1
    # other periods go on
    demo.metrics.set("规上工业增加值增速", Period(2026, 7), "value", "6.6")
    demo.services.add(date="2026-08-02", kind="走访", person_times=1)


def test_unlock_needs_a_reason_and_is_audited(demo: Ledger) -> None:
    editions.submit(demo, PERIOD)
    with pytest.raises(InputError, match="须注明原因"):
        editions.unlock(demo, PERIOD, "  ")
    editions.unlock(demo, PERIOD, "统计局反馈调整")
    assert "统计局反馈调整" in demo.scalar("SELECT label FROM audit ORDER BY id DESC LIMIT 1")
    demo.metrics.set("规上工业增加值增速", PERIOD, "value", "6.6")
    second, _ = editions.submit(demo, PERIOD, note="调整后")
    assert second.number == 2


def test_compare_lists_exactly_the_changed_figures(demo: Ledger, tmp_path: Path) -> None:
    before = demo.metrics.figure("规上工业增加值增速", PERIOD).value
    editions.submit(demo, PERIOD)
    assert editions.compare(demo, PERIOD) == []
    editions.unlock(demo, PERIOD, "统计局正式数据")
    demo.metrics.set("规上工业增加值增速", PERIOD, "value", "6.6")
    demo.metrics.set("技术合同交易额", PERIOD, "target_committed", "5")
    demo.metrics.set("规上工业增加值增速", Period(2026, 7), "value", "1")  # another period
    found = editions.compare(demo, PERIOD)
    assert sorted((d.indicator, d.field) for d in found) == [
        ("技术合同交易额", "确保目标"), ("规上工业增加值增速", "数值")]
    rate = next(d for d in found if d.field == "数值")
    assert (rate.old, rate.new) == (before, 6.6) and rate.who and rate.when
    assert rate.why == "修改“规上工业增加值增速”的本期数值（解锁原因：统计局正式数据）"
    out = tmp_path / "李四" / "比较𠮷.txt"
    out.parent.mkdir()
    text = io.StringIO()
    assert main(["period", "compare", "--db", str(demo.path), "--year", "2026", "--months",
                 "1-6", "--out", str(out)], out=text) == 0
    printed = out.read_text(encoding="utf-8-sig")
    assert "与上报第1版比较" in printed and "改动 2 项" in printed and "→ 6.6" in printed
    assert "解锁原因：统计局正式数据" in printed


def test_printouts_name_their_edition(demo: Ledger, tmp_path: Path) -> None:
    from core.report.build import build
    from core.report.store import DEFAULT_NAME, Templates
    from core.report.writers import figures_json, html, text

    def document() -> object:
        return build(demo, PERIOD, Templates(demo).get(DEFAULT_NAME), render_chart=lambda _k: b"")

    draft = document()
    assert text.render(draft).rstrip().endswith("（版本：草稿）")  # type: ignore[arg-type]
    editions.submit(demo, PERIOD)
    sent = document()
    assert "版本：第1版（上报版）" in text.render(sent)  # type: ignore[arg-type]
    assert "版本：第1版（上报版）" in html.render(sent)  # type: ignore[arg-type]
    assert figures_json.model(sent)["edition"] == "第1版"  # type: ignore[arg-type]
    out = tmp_path / "李四" / "总结.docx"
    out.parent.mkdir()
    assert main(["report", "--db", str(demo.path), "--year", "2026", "--months", "1-6",
                 "--out", str(out)], out=io.StringIO()) == 0
    from docx import Document

    assert Document(str(out)).sections[0].header.paragraphs[0].text == "版本：第1版（上报版）"


def test_the_pdf_names_its_edition_on_its_first_page(qapp: object, demo: Ledger,
                                                     tmp_path: Path) -> None:
    from pypdf import PdfReader

    import main as entry

    editions.submit(demo, PERIOD)
    out = tmp_path / "李四" / "总结𠮷.pdf"
    out.parent.mkdir()
    assert entry.main(["report", "--db", str(demo.path), "--year", "2026", "--months", "1-6",
                       "--out", str(out)]) == 0
    first = PdfReader(str(out)).pages[0].extract_text()
    assert "第1版" in first.replace(" ", "")
