"""The demo ledger and the command line (demo, check, wrong arguments)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_PERIOD
from helpers import CHILD_ENCODING, file_digest

from core.cli import main as cli_main
from core.figures import SEED_FIGURES, missing_for
from core.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent


def run_main(*args: str, env: dict[str, str] | None = None,
             encoding: str = CHILD_ENCODING) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, encoding=encoding, errors="replace", env=env, timeout=120)


def test_demo_has_what_the_summary_needs(demo: Ledger) -> None:
    count = lambda table: demo.scalar(f"SELECT count(*) FROM {table}")  # noqa: E731
    assert count("projects") >= 30
    assert count("enterprises") >= 80
    assert count("services") >= 300
    years = {r[0] for r in demo.conn.execute("SELECT DISTINCT year FROM indicator_values")}
    assert years == {2024, 2025, 2026}
    assert demo.latest_period() == DEMO_PERIOD
    assert demo.plans.outline(DEMO_PERIOD.year + 1), "plans for the next year"
    assert all(item["result_status"] for s in demo.plans.outline(DEMO_PERIOD.year)
               for item in s["items"]), "last year's plan is checked off"
    # Every project status occurs.
    statuses = {stage for row in demo.projects.rows(DEMO_PERIOD)
                for stage in row["status"].split("、")}
    assert statuses >= {"谋划", "签约", "新开工", "在建", "竣工投产", "已投产"}
    # Nothing is missing for the latest period, and each of the 39 figures has a value.
    assert missing_for(demo, DEMO_PERIOD) == []
    for seed in SEED_FIGURES:
        figure = demo.metrics.figure(seed.code, DEMO_PERIOD)
        if seed.aspect == "rank":
            assert figure.rank is not None, seed
        elif figure.indicator.kind == "list":
            assert figure.items, seed
        else:
            assert figure.value is not None, seed
    # Some figure goes down, so the summary shows a 下降 too.
    assert any((f.change or 0) < 0 for f in demo.metrics.figures(DEMO_PERIOD))
    # And one derived figure carries the official statistic instead.
    assert any(f.overridden for f in demo.metrics.figures(DEMO_PERIOD))


def test_demo_names_are_fictional(demo: Ledger) -> None:
    """No company of the reference summary appears in the demo (we invent our own)."""
    for name in ("金杯", "恒飞", "赛特", "舜达", "古汉", "华航", "衡变", "特变"):
        for table, column in (("enterprises", "name"), ("projects", "name"),
                              ("honours", "name")):
            assert not demo.scalar(f"SELECT count(*) FROM {table} WHERE {column} LIKE ?",
                                   (f"%{name}%",)), (name, table)


def test_demo_is_reproducible(tmp_path: Path) -> None:
    from core.demo import write_demo

    first = write_demo(tmp_path / "一.db", period=DEMO_PERIOD)
    second = write_demo(tmp_path / "二.db", period=DEMO_PERIOD)
    query = "SELECT name, credit_code, above_scale_since FROM enterprises ORDER BY name"
    assert first.query(query) == second.query(query)
    first.close()
    second.close()


def test_demo_command_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "张三" / "桌面" / "演示.db"
    result = run_main("demo", "--db", str(target), "--year", "2026", "--months", "1-11")
    assert result.returncode == 0, result.stderr
    assert "已生成演示台账" in result.stdout and "2026年1-11月" in result.stdout
    before = file_digest(target)
    again = run_main("demo", "--db", str(target))
    assert again.returncode == 1
    assert "已存在" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert file_digest(target) == before


@pytest.mark.parametrize("code_page,errors", [("gbk", "strict"), ("gbk", "surrogateescape"),
                                              ("cp1252", "strict")])
def test_a_path_outside_the_code_page_never_fails_the_command(tmp_path: Path, code_page: str,
                                                               errors: str) -> None:
    """A Windows program writes pipes in the ANSI code page: GBK lacks 𠮷, cp1252 all Chinese.
    The ledger is written either way; the command must say so and exit 0, not crash after.
    (Under Wine the streams' error handler was surrogateescape, which raises for 𠮷 too.)"""
    target = tmp_path / "张𠮷" / "演示.db"
    env = {**os.environ, "PYTHONIOENCODING": f"{code_page}:{errors}", "PYTHONUTF8": "0"}
    result = run_main("demo", "--db", str(target), "--year", "2026", "--months", "1-11",
                      env=env, encoding=code_page)
    assert result.returncode == 0, result.stderr
    assert target.is_file()
    assert "发生意外错误" not in result.stderr and "Traceback" not in result.stderr
    assert "演示.db" in result.stdout or code_page == "cp1252"
    assert "2026" in result.stdout and "?" in result.stdout  # the missing character, replaced
    check = run_main("check", "--db", str(target), env=env, encoding=code_page)
    assert check.returncode == 0, check.stderr


def test_check_on_the_demo_reports_nothing_missing(demo_path: Path) -> None:
    result = run_main("check", "--db", str(demo_path))
    assert result.returncode == 0, result.stderr
    assert "完整性检查：通过" in result.stdout
    assert "2026年1-11月总结所需数据已齐全" in result.stdout


def test_check_lists_what_is_missing(ledger_path: Path) -> None:
    Ledger.open(ledger_path).close()
    out = io.StringIO()
    assert cli_main(["check", "--db", str(ledger_path), "--year", "2026",
                     "--months", "1-11"], out=out) == 0
    text = out.getvalue()
    assert "2026年1-11月总结尚缺" in text
    for label in ("区名（设置）", "规上工业企业数", "规上工业增加值增速（城区排名）",
                  "高新技术产业增加值占GDP比重（全市排名）", "双创大赛报名企业数（全省排名）",
                  "下年工作打算"):
        assert f"  - {label}\n" in text


@pytest.mark.parametrize(
    "args",
    [[], ["frobnicate"], ["check"], ["check", "--db"], ["demo", "--db", "x.db", "--year", "二〇"],
     ["check", "--db", "x.db", "--months", "1-13"], ["check", "--db", "x.db", "--bogus"]],
)
def test_wrong_arguments_give_usage_and_exit_2(args: list[str]) -> None:
    result = run_main(*args) if args else subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv=['main.py']; "
         "from core.cli import main; sys.exit(main([]))"],
        capture_output=True, text=True, encoding=CHILD_ENCODING, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert "用法" in result.stderr and "错误" in result.stderr
    assert "Traceback" not in result.stderr
