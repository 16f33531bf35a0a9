"""`python main.py report …`: the file is written, gaps listed on stderr, bad arguments exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

import main as entry
from core.ledger import Ledger
from core.report.store import Templates
from tests.conftest import DEMO_PERIOD
from tests.report_support import expected_figures, missing_figures


def _report(db: Path, out: Path, *extra: str) -> int:
    return entry.main(["report", "--db", str(db), "--year", str(DEMO_PERIOD.year),
                       "--months", f"1-{DEMO_PERIOD.months}", "--out", str(out), *extra])


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".txt"])
def test_the_report_is_written(qapp, demo_path: Path, tmp_path: Path, suffix: str,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "导出" / f"2026年总结{suffix}"
    out.parent.mkdir()
    assert _report(demo_path, out) == 0
    assert out.stat().st_size > 1000
    captured = capsys.readouterr()
    assert captured.out.strip() == f"已生成{DEMO_PERIOD.label}工作总结：{out}"
    assert captured.err == ""  # the demo year lacks nothing
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_missing_figures_are_listed_on_stderr_one_per_line(demo_path: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    with Ledger.open(demo_path) as ledger:
        expected = expected_figures(ledger, DEMO_PERIOD)
        ledger.metrics.set("resumption_rate", DEMO_PERIOD, "value", None)
        ledger.set_setting("bureau", "")
    out = tmp_path / "总结.txt"
    assert _report(demo_path, out) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "【未填：规上工业企业复工复产率】" in text and "【未填：单位名称（设置）】" in text
    assert set(missing_figures(text, expected)) == {18}  # only the figure that was cleared
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("总结尚缺 2 项数据")
    assert sorted(lines[1:]) == sorted(["单位名称（设置）", "规上工业企业复工复产率"])


@pytest.mark.parametrize("arguments", [
    ["--out", "总结.xls"],
    ["--out", "总结.txt", "--template", "没有这个模板"],
    ["--out", "总结.txt", "--months", "1-13"],
    ["--year", "二〇二六", "--out", "总结.txt"],
    [],
])
def test_bad_arguments_exit_2_and_write_nothing(demo_path: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str],
                                                arguments: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert entry.main(["report", "--db", str(demo_path), *arguments]) == 2
    assert "错误" in capsys.readouterr().err
    assert not list(tmp_path.glob("总结*"))


def test_a_broken_template_exits_1_naming_the_line(demo_path: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with Ledger.open(demo_path) as ledger:
        Templates(ledger).save("年度总结", "标题\n正文\n共有【没有这个指标】家")
    assert _report(demo_path, tmp_path / "总结.txt") == 1
    assert capsys.readouterr().err.startswith("模板第3行第3列：")
    assert not (tmp_path / "总结.txt").exists()


def test_a_report_while_the_window_has_the_ledger_open(demo_path: Path, tmp_path: Path) -> None:
    with Ledger.open(demo_path) as window:  # holds the writer lock
        Templates(window).create("简报", "【区名】简报\n共有规上工业企业【规上工业企业数】。")
        assert _report(demo_path, tmp_path / "简报.txt", "--template", "简报") == 0
    assert "共有规上工业企业" in (tmp_path / "简报.txt").read_text(encoding="utf-8-sig")
