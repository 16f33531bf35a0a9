"""佐证材料: files kept in the ledger — attached, opened, backed up, listed in Excel, refused."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import dump
from openpyxl import load_workbook

from core import backup, evidence
from core.changes import os_user
from core.errors import InputError
from core.exchange.excel_export import export_year
from core.ledger import Ledger

YEAR = 2026
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def item_id(ledger: Ledger) -> str:
    section = ledger.plans.add_section(YEAR, "优化企业服务").inserted_ids("plan_sections")[0]
    return ledger.plans.add_item(section, "建立问题清单", owner="企业服务中心",
                                 deadline=f"{YEAR}-12-31").inserted_ids("plan_items")[0]


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    folder = tmp_path / "张三" / "文档𠮷"
    folder.mkdir(parents=True)
    path = folder / "区政府批复（扫描件）.pdf"
    path.write_bytes(PDF)
    return path


def test_attach_open_undo_and_redo(ledger: Ledger, item_id: str, scan: Path, tmp_path: Path):
    change = ledger.evidence.attach(item_id, scan)
    scan.unlink()  # the ledger keeps its own copy
    (row,) = ledger.plans.item(item_id)["evidence"]
    assert (row["name"], row["size"]) == (scan.name, len(PDF))
    assert row["added_by"] == os_user()
    opened = ledger.evidence.copy_for_viewing(row["id"], folder=tmp_path)
    assert opened.name == scan.name and opened.read_bytes() == PDF
    undone = ledger.revert(change)
    assert ledger.plans.item(item_id)["evidence"] == []
    ledger.revert(undone)  # redo needs nothing from disk
    (again,) = ledger.plans.item(item_id)["evidence"]
    assert ledger.evidence.content(again["id"]) == PDF


def test_evidence_survives_a_backup_and_restore(ledger: Ledger, item_id: str, scan: Path,
                                                tmp_path: Path):
    ledger.evidence.attach(item_id, scan)
    copy = backup.backup_into(ledger.conn, ledger.path, tmp_path / "U盘")
    (row,) = ledger.plans.item(item_id)["evidence"]
    ledger.evidence.remove(row["id"])
    ledger.conn.execute("DELETE FROM evidence_blobs")  # even the kept bytes are gone
    backup.restore(ledger, copy)
    (restored,) = ledger.plans.item(item_id)["evidence"]
    assert ledger.evidence.content(restored["id"]) == PDF
    with Ledger.open(copy, readonly=True) as backed_up:
        assert backed_up.evidence.content(restored["id"]) == PDF


def test_the_excel_export_lists_evidence_by_name_without_embedding_it(
        ledger: Ledger, item_id: str, scan: Path, tmp_path: Path):
    ledger.evidence.attach(item_id, scan)
    out = export_year(ledger, YEAR, tmp_path / "导出.xlsx").path
    sheet = load_workbook(out)["工作计划"]
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    assert row[header.index("佐证材料")] == f"{scan.name}（10KB）"
    assert row[header.index("督办状态")] == "未开始"
    with zipfile.ZipFile(out) as packed:  # listed only: no embedded object or picture
        assert not [n for n in packed.namelist() if "embeddings" in n or "media" in n]


def test_a_file_over_the_limit_is_refused_and_nothing_changes(
        ledger: Ledger, item_id: str, tmp_path: Path, monkeypatch):
    big = tmp_path / "会议照片.jpg"
    big.write_bytes(b"\xff\xd8" + b"0" * 3000)
    monkeypatch.setattr(evidence, "MAX_BYTES", 2048)
    before = dump(ledger.conn)
    with pytest.raises(InputError, match="超过佐证材料2KB的上限，未添加"):
        ledger.evidence.attach(item_id, big)
    assert dump(ledger.conn) == before


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "type", "unreadable"])
def test_a_file_that_cannot_be_read_is_refused_and_nothing_changes(
        ledger: Ledger, item_id: str, tmp_path: Path, case: str, monkeypatch):
    path = tmp_path / "材料.docx"
    if case == "folder":
        path.mkdir()
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "type":
        path = tmp_path / "病毒.exe"
        path.write_bytes(b"MZ")
    elif case == "unreadable":
        if sys.platform == "win32" or os.geteuid() == 0:
            # root reads anything: make the read itself fail as a locked file does on Windows
            path.write_bytes(b"PK")
            real = Path.read_bytes

            def locked(self: Path) -> bytes:
                if self == path:
                    raise PermissionError(13, "Permission denied")
                return real(self)
            monkeypatch.setattr(Path, "read_bytes", locked)
        else:
            path.write_bytes(b"PK")
            path.chmod(0)
    before = dump(ledger.conn)
    expected = {"missing": "文件不存在", "folder": "是文件夹", "empty": "空文件",
                "type": "不是可作佐证材料的文件类型", "unreadable": "没有读取权限"}[case]
    with pytest.raises(InputError, match=expected):
        ledger.evidence.attach(item_id, path)
    assert dump(ledger.conn) == before


def test_a_stored_name_windows_refuses_is_made_safe():
    assert evidence.safe_name('批复:第2版?.pdf') == "批复_第2版_.pdf"
    assert evidence.safe_name(" . ") == "佐证材料"
