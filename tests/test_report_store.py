"""Templates kept in the ledger by name, bundled defaults, undo, and template files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core import schema
from core.errors import ConflictError, InputError, NotFoundError
from core.ledger import Ledger
from core.report.build import build
from core.report.document import Chart
from core.report.store import BUNDLED_DIR, DEFAULT_NAME, Templates, bundled_names
from tests.conftest import DEMO_PERIOD
from tests.report_support import tiny_png


def test_a_new_ledger_offers_the_bundled_templates(ledger: Ledger) -> None:
    templates = Templates(ledger)
    assert templates.names()[:2] == ["年度总结", "半年总结"]
    template = templates.get(DEFAULT_NAME)
    assert template.bundled
    assert template.body == (BUNDLED_DIR / "年度总结.txt").read_text(encoding="utf-8")
    with pytest.raises(NotFoundError):
        templates.get("没有这个模板")


def test_saving_is_audited_and_undoable(ledger: Ledger) -> None:
    templates = Templates(ledger)
    change = templates.save(DEFAULT_NAME, "新标题\n新正文", ("trend",))
    assert change.tables == {"templates"}
    saved = templates.get(DEFAULT_NAME)
    assert (saved.body, saved.charts, saved.bundled) == ("新标题\n新正文", ("trend",), False)
    assert ledger.scalar("SELECT count(*) FROM audit WHERE tbl = 'templates'") == 1
    second = templates.save(DEFAULT_NAME, "再改")
    assert templates.get(DEFAULT_NAME).charts == ("trend",)  # charts kept when not given
    ledger.revert(second)
    assert templates.get(DEFAULT_NAME).body == "新标题\n新正文"
    ledger.revert(change)
    assert templates.get(DEFAULT_NAME).bundled


def test_create_rename_delete(ledger: Ledger) -> None:
    templates = Templates(ledger)
    templates.create("季度汇报", "标题")
    with pytest.raises(ConflictError):
        templates.create("季度汇报", "标题")
    with pytest.raises(InputError):
        templates.create("  ", "标题")
    templates.rename("季度汇报", "一季度汇报")
    assert templates.names()[-1] == "一季度汇报"
    with pytest.raises(ConflictError):
        templates.rename("一季度汇报", "年度总结")
    with pytest.raises(InputError, match="内置模板"):
        templates.rename("年度总结", "别的名字")
    with pytest.raises(InputError, match="内置模板"):
        templates.delete("年度总结")
    templates.delete("一季度汇报")
    assert "一季度汇报" not in templates.names()
    templates.save("半年总结", "改过的")
    templates.delete("半年总结")  # the clerk's version goes, the bundled one is back
    assert templates.get("半年总结").bundled


def test_export_and_import_round_trip(ledger: Ledger, tmp_path: Path) -> None:
    templates = Templates(ledger)
    templates.save(DEFAULT_NAME, "标题\n正文【年份】", ("pipeline",))
    target = tmp_path / "我的模板.txt"
    templates.export_file(DEFAULT_NAME, target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert "【图表：亿元项目推进情况】" in data.decode("utf-8-sig")
    templates.import_file(target)
    imported = templates.get("我的模板")
    assert imported.body == "标题\n正文【年份】\n【图表：亿元项目推进情况】\n"

    def charts(name: str) -> list[str]:
        document = build(ledger, DEMO_PERIOD, templates.get(name), render_chart=tiny_png)
        return [block.caption for block in document.blocks if isinstance(block, Chart)]

    assert charts("我的模板") == charts(DEFAULT_NAME) == ["图1 亿元项目推进情况"]
    with pytest.raises(ConflictError):
        templates.import_file(target)
    templates.import_file(target, replace=True)


@pytest.mark.parametrize(("data", "body"), [
    ("标题\r\n正文".encode("utf-8-sig"), "标题\n正文"),
    ("标题\n正文".encode("utf-16"), "标题\n正文"),
    ("标题\n正文【年份】".encode("gbk"), "标题\n正文【年份】"),  # Notepad's ANSI on Chinese Windows
])
def test_template_files_in_the_encodings_windows_saves(ledger: Ledger, tmp_path: Path,
                                                       data: bytes, body: str) -> None:
    path = tmp_path / "模板.txt"
    path.write_bytes(data)
    Templates(ledger).import_file(path, "导入的")
    assert Templates(ledger).get("导入的").body == body


@pytest.mark.parametrize(("data", "words"), [
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "不是文本文件"),  # a .docx renamed to .txt
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是文本文件"),
    (b"caf\xe9 \xff\xfe\xfd", "不是 UTF-8 编码"),
    (b"title\x07bell", "控制字符"),
])
def test_files_that_are_not_templates_are_refused(ledger: Ledger, tmp_path: Path, data: bytes,
                                                  words: str) -> None:
    path = tmp_path / "坏文件.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=words):
        Templates(ledger).import_file(path)
    assert Templates(ledger).names() == bundled_names()


def test_a_huge_file_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "大文件.txt"
    path.write_bytes(b"a" * (600 * 1024))
    with pytest.raises(InputError, match="太大"):
        Templates(ledger).import_file(path)


def test_a_version_1_ledger_gains_the_templates_table(tmp_path: Path) -> None:
    path = tmp_path / "旧台账.db"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.run_migration(conn, schema.MIGRATIONS[0])
    conn.close()
    with Ledger.open(path) as opened:
        assert opened.scalar("PRAGMA user_version") == schema.LATEST_VERSION
        Templates(opened).save(DEFAULT_NAME, "标题")
        assert Templates(opened).get(DEFAULT_NAME).body == "标题"
