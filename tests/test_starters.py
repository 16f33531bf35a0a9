"""Starter catalogues and templates: each bureau's ledger prints its full summary from demo data;
starters are data; a ledger whose defaults were retired prints with its own template."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from core import starters
from core.cli import main
from core.default_catalogue import DEFAULT_INDICATORS
from core.demo import write_demo
from core.errors import BadFileError, InputError
from core.ledger import Ledger
from core.periods import Period
from core.report.build import build
from core.report.store import DEFAULT_NAME, Templates

PERIOD = Period(2026, 6)


def test_there_are_three_starters_and_they_are_data() -> None:
    assert starters.names()[:3] == ["区科工信局", "区工信局", "区科技局"]
    codes = {d.code for d in DEFAULT_INDICATORS}
    for name in starters.names():
        chosen = starters.starter(name)
        assert chosen.keep is None or set(chosen.keep) <= codes, name
        added = {d["name"] for d in chosen.indicators}
        assert set(chosen.demo) <= added, name  # demo figures only for its own indicators


@pytest.mark.parametrize("name", ["区科工信局", "区工信局", "区科技局"])
@pytest.mark.parametrize("period", [PERIOD, Period(2026, 12)])
def test_each_starter_prints_a_full_summary_from_demo_data(tmp_path: Path, name: str,
                                                           period: Period) -> None:
    path = tmp_path / "演示" / f"{name}.db"
    path.parent.mkdir()
    out = io.StringIO()
    assert main(["demo", "--db", str(path), "--starter", name, "--year", str(period.year),
                 "--months", f"1-{period.months}"], out) == 0
    report = tmp_path / f"{name}.json"
    assert main(["report", "--db", str(path), "--out", str(report)], io.StringIO()) == 0
    figures = json.loads(report.read_text(encoding="utf-8"))["figures"]
    assert figures and not [f for f in figures if f["source"] == "missing" or f["missing"]]
    text_path = tmp_path / f"{name}.txt"
    assert main(["report", "--db", str(path), "--out", str(text_path)], io.StringIO()) == 0
    text = text_path.read_text(encoding="utf-8-sig")
    assert "未填" not in text
    assert text.splitlines()[0] == f"星河区{name.removeprefix('区')}{period.year}年工作总结"
    # the bureau's shape: every indicator the starter adds is printed (or is part of a 占比
    # that is), and no retired default is
    with Ledger.open_for_reading(path) as ledger:
        printed = {f["indicator"] for f in figures}
        chosen = starters.starter(name)
        parts = {part for d in chosen.indicators if d.get("numerator")
                 for part in (d["numerator"], d["denominator"]) if d["name"] in printed}
        assert {d["name"] for d in chosen.indicators} <= printed | parts
        retired = {i.name for i in ledger.catalogue.all(include_retired=True) if i.retired}
        assert not printed & retired
        if chosen.keep is not None:
            assert {i.code for i in ledger.catalogue.all() if i.code} == set(chosen.keep)


def test_a_new_ledger_from_a_starter_prints_with_its_own_default_template(
        tmp_path: Path) -> None:
    path = tmp_path / "张𠮷" / "科技局台账.db"
    path.parent.mkdir()
    out = io.StringIO()
    assert main(["new", "--db", str(path), "--starter", "区科技局"], out) == 0
    assert "起步模板：区科技局" in out.getvalue()
    with Ledger.open(path) as ledger:
        template = Templates(ledger).get(DEFAULT_NAME)
        assert not template.bundled and "R&D经费投入强度" in template.body
        assert ledger.catalogue.find("规上工业增加值增速") is None  # retired
        document = build(ledger, PERIOD, template, render_chart=lambda _key: b"")
        assert "R&D经费投入强度" in document.missing  # no data yet: shown as missing
        assert "规上工业增加值增速" not in " ".join(document.missing)
    # report without --template never fails on the bundled template's retired indicators
    target = tmp_path / "总结.txt"
    assert main(["report", "--db", str(path), "--year", "2026", "--out", str(target)],
                io.StringIO()) == 0
    assert "科技投入" in target.read_text(encoding="utf-8-sig")


def test_starting_is_one_undoable_step(ledger: Ledger) -> None:
    before = [(i.name, i.retired) for i in ledger.catalogue.all(include_retired=True)]
    change = starters.apply_starter(ledger, "区工信局")
    assert ledger.catalogue.find("技改投资占工业投资比重") is not None
    assert ledger.catalogue.find("高新技术企业数") is None
    ledger.revert(change)
    assert [(i.name, i.retired) for i in ledger.catalogue.all(include_retired=True)] == before
    assert Templates(ledger).get(DEFAULT_NAME).bundled


def test_a_starter_is_refused_on_a_ledger_with_figures(ledger: Ledger) -> None:
    ledger.metrics.set("规上工业增加值增速", PERIOD, "value", "6.5")
    count = ledger.scalar("SELECT count(*) FROM indicators WHERE retired = 0")
    with pytest.raises(InputError, match="只用于新台账"):
        starters.apply_starter(ledger, "区科技局")
    assert ledger.scalar("SELECT count(*) FROM indicators WHERE retired = 0") == count


def test_unknown_starter_and_existing_file_are_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "台账.db"
    assert main(["new", "--db", str(path), "--starter", "区教育局"], io.StringIO()) == 2
    assert "没有名为“区教育局”的起步模板" in capsys.readouterr().err
    assert not path.exists()
    with pytest.raises(InputError, match="起步模板"):
        write_demo(path, starter="区教育局")
    assert not path.exists()
    path.write_bytes(b"")
    with pytest.raises(BadFileError, match="已存在"):
        starters.new_ledger(path, "区工信局")


def test_a_starters_groups_keep_its_order_and_plans_come_last(ledger: Ledger) -> None:
    starters.apply_starter(ledger, "区科技局")
    ledger.catalogue.add("在孵企业数", unit="家", section="孵化载体")  # the clerk's, made later
    shown = list(dict.fromkeys(i.section for i in ledger.catalogue.all()))
    assert shown == ["绩效指标", "科技创新", "科技投入", "高新技术产业", "创新平台", "科技人才",
                     "孵化载体", "工作打算"]
    assert ledger.catalogue.sections()[-1] == "工作打算"
