"""佐证材料: evidence files of a plan item, kept inside the ledger.

The bytes live in the ledger's SQLite file (table `evidence_blobs`, keyed by their SHA-256), so
they travel with every backup, restore and copy of the file, and no folder beside the ledger
can go missing or be renamed on a USB stick. `evidence` rows (name, size, hash, who) are written
through the ledger's Writer: attaching and removing are audited and undoable; the bytes of a
removed file stay in `evidence_blobs` so that undo never needs the original file again.

A file is read whole before anything is written: too large, not of an accepted type, or not
readable, it is refused with a Chinese sentence and the ledger is unchanged. Opening a file for
the clerk writes a temporary copy (`copy_for_viewing`); showing it is the window's business.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.changes import Change, os_user
from core.errors import BadFileError, InputError, NotFoundError
from core.files import reason, write_atomically

if TYPE_CHECKING:
    from core.ledger import Ledger

MAX_BYTES = 20 * 1024 * 1024  # a scanned 批复 of some pages; a ledger on a USB stick stays small
ACCEPTED = {
    ".pdf": "PDF", ".ofd": "OFD",
    ".jpg": "图片", ".jpeg": "图片", ".png": "图片", ".gif": "图片", ".bmp": "图片",
    ".tif": "图片", ".tiff": "图片", ".webp": "图片",
    ".doc": "Word", ".docx": "Word", ".wps": "WPS文字", ".rtf": "Word",
    ".xls": "Excel", ".xlsx": "Excel", ".et": "WPS表格",
    ".ppt": "PowerPoint", ".pptx": "PowerPoint", ".dps": "WPS演示",
    ".txt": "文本",
}


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))}KB"
    return f"{size / 1024 / 1024:.1f}MB"


def read_evidence(path: Path) -> bytes:
    """The file's bytes, or InputError saying why it cannot be attached."""
    name = path.name
    if path.suffix.lower() not in ACCEPTED:
        kinds = "、".join(dict.fromkeys(ACCEPTED.values()))
        raise InputError(f"“{name}”不是可作佐证材料的文件类型（可用：{kinds}）")
    try:
        if path.is_dir():  # Windows reads a folder as PermissionError, not IsADirectoryError
            raise IsADirectoryError(path)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"“{name}”有{size_text(size)}，超过佐证材料{size_text(MAX_BYTES)}"
                             "的上限，未添加；请压缩或拆分后再添加")
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"“{name}”是文件夹，不是文件") from exc
    except OSError as exc:
        raise InputError(f"无法读取“{name}”（{reason_read(exc)}），未添加") from exc
    if len(data) > MAX_BYTES:  # grew while we looked
        raise InputError(f"“{name}”超过佐证材料{size_text(MAX_BYTES)}的上限，未添加")
    if not data:
        raise InputError(f"“{name}”是空文件，未添加")
    return data


def reason_read(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在或已被移走"
    if isinstance(exc, PermissionError):
        return "没有读取权限，或文件正被其他程序独占打开"
    return exc.strerror or str(exc)


class Evidence:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def rows(self, item_id: str) -> list[dict[str, Any]]:
        return self.ledger.query(
            "SELECT * FROM evidence WHERE item_id = ? ORDER BY created_at, name", (item_id,))

    def attach(self, item_id: str, path: str | Path) -> Change:
        """Store a copy of the file with the item (one Change; undo removes it again)."""
        item = self.ledger.plans.items.get(item_id)
        self.ledger.require_writable()
        source = Path(path)
        data = read_evidence(source)
        digest = hashlib.sha256(data).hexdigest()
        with self.ledger.write(f"为“{item['title']}”添加佐证材料“{source.name}”") as writer:
            writer.conn.execute(
                "INSERT OR IGNORE INTO evidence_blobs (sha256, size, data) VALUES (?, ?, ?)",
                (digest, len(data), data))
            writer.insert("evidence", {"item_id": item_id, "name": source.name,
                                       "size": len(data), "sha256": digest,
                                       "added_by": os_user()})
        return writer.change

    def remove(self, evidence_id: str) -> Change:
        row = self.get(evidence_id)
        with self.ledger.write(f"删除佐证材料“{row['name']}”") as writer:
            writer.delete("evidence", evidence_id)
        return writer.change

    def get(self, evidence_id: str) -> dict[str, Any]:
        rows = self.ledger.query("SELECT * FROM evidence WHERE id = ?", (evidence_id,))
        if not rows:
            raise NotFoundError("该佐证材料已不存在（可能已被删除）")
        return rows[0]

    def content(self, evidence_id: str) -> bytes:
        """The stored bytes, checked against their hash (a damaged copy is never shown)."""
        row = self.get(evidence_id)
        data = self.ledger.scalar("SELECT data FROM evidence_blobs WHERE sha256 = ?",
                                  (row["sha256"],))
        if data is None or hashlib.sha256(data).hexdigest() != row["sha256"]:
            raise BadFileError(f"佐证材料“{row['name']}”在台账中已损坏，请从备份恢复")
        return bytes(data)

    def copy_for_viewing(self, evidence_id: str, folder: Path | None = None) -> Path:
        """A copy under its own name in a fresh temporary folder, for the system's viewer."""
        row = self.get(evidence_id)
        data = self.content(evidence_id)
        target_dir = Path(tempfile.mkdtemp(prefix="工作台账佐证-", dir=folder))
        target = target_dir / safe_name(row["name"])
        try:
            write_atomically(target, lambda partial: partial.write_bytes(data))
        except OSError as exc:
            raise BadFileError(f"无法打开“{row['name']}”（{reason(exc)}）") from exc
        return target

    def listing(self, item_id: str) -> str:
        return evidence_listing(self.rows(item_id))


def evidence_listing(rows: list[dict[str, Any]]) -> str:
    """As listed (never embedded) in the Excel export: 名称（大小）、…"""
    return "、".join(f"{row['name']}（{size_text(row['size'])}）" for row in rows)


_UNSAFE = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


def safe_name(name: str) -> str:
    """A file name Windows accepts (a name stored from another PC may hold : or ?)."""
    cleaned = "".join("_" if ch in _UNSAFE else ch for ch in name).strip(" .")
    return cleaned or "佐证材料"
