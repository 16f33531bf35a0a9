"""帮助 → 导出诊断信息: a zip a clerk can send to whoever helps them, with no ledger data.

It holds the log files (the OS user name and home folder replaced by placeholders), the
versions of the app, Python, SQLite, the installed packages and the platform, what the window
adds (the Qt version), and of the ledger only its shape: data version, size, row count per
table, whether the integrity check passes, how many backups exist. No names, no figures.
"""

from __future__ import annotations

import json
import locale
import platform
import sqlite3
import sys
import zipfile
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import APP_TITLE, __version__, storage
from core.changes import os_user
from core.errors import LedgerError
from core.files import reason, write_atomically
from core.logs import LOG_NAME
from core.paths import backups_dir_for, is_portable, log_dir

if TYPE_CHECKING:
    from core.ledger import Ledger

SUMMARY_NAME = "diagnostics.txt"
DETAILS_NAME = "diagnostics.json"


def write_diagnostics(out: Path, *, ledger: Ledger | None = None,
                      ledger_path: Path | None = None,
                      extra: dict[str, str] | None = None) -> Path:
    """Write the zip to `out` (temporary name, then renamed); returns its path.

    `ledger` is the open ledger (the window's), or `ledger_path` a file to look at read-only;
    `extra` is what only the caller knows (the window passes Qt's version).
    """
    out = Path(out)
    if out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
    info = collect(ledger=ledger, ledger_path=ledger_path, extra=extra)

    def write(partial: Path) -> None:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(SUMMARY_NAME, _summary(info))
            archive.writestr(DETAILS_NAME, json.dumps(info, ensure_ascii=False, indent=2))
            for log in sorted(log_dir().glob(f"{LOG_NAME}*")):
                archive.writestr(f"logs/{log.name}", redact(log.read_text("utf-8", "replace")))

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(out, write)
    except OSError as exc:
        raise LedgerError(f"无法写入“{out}”（{reason(exc)}），请换一个位置") from exc


def collect(*, ledger: Ledger | None = None, ledger_path: Path | None = None,
            extra: dict[str, str] | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "created": datetime.now().isoformat(timespec="seconds"),
        "app": {"name": APP_TITLE, "version": __version__,
                "frozen": bool(getattr(sys, "frozen", False)), "portable": is_portable()},
        "python": {"version": sys.version.split()[0],
                   "implementation": platform.python_implementation(), "bits": _bits()},
        "platform": {"system": platform.platform(), "machine": platform.machine(),
                     "locale": str(locale.getlocale()),
                     "filesystem_encoding": sys.getfilesystemencoding()},
        "sqlite": sqlite3.sqlite_version,
        "packages": _packages(),
        "extra": dict(extra or {}),
    }
    if ledger is not None:
        info["ledger"] = _ledger_shape(ledger.conn, ledger.path, ledger.readonly)
    elif ledger_path is not None:
        info["ledger"] = _ledger_file(Path(ledger_path))
    return info


def _bits() -> int:
    return 64 if sys.maxsize > 2**32 else 32


def _packages() -> dict[str, str]:
    """Every installed distribution (in a frozen build: those whose metadata was bundled)."""
    found: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            found[str(name)] = str(distribution.version)
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def _ledger_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"problem": "找不到台账文件"}
    try:
        conn = storage.connect_readonly(path)
    except sqlite3.Error as exc:
        return {"problem": f"无法打开：{exc}", "size": path.stat().st_size}
    try:
        return _ledger_shape(conn, path, readonly=True)
    finally:
        conn.close()


def _ledger_shape(conn: sqlite3.Connection, path: Path, readonly: bool) -> dict[str, Any]:
    """Everything about the ledger except its content."""
    shape: dict[str, Any] = {"readonly": readonly}
    try:
        shape["size"] = path.stat().st_size
        shape["wal_size"] = _size(path.with_name(path.name + "-wal"))
        shape["backups"] = len(list(backups_dir_for(path).glob("*.db")))
    except OSError as exc:
        shape["file_problem"] = str(exc)
    try:
        pragma = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in (
            "user_version", "application_id", "page_size", "page_count", "freelist_count",
            "journal_mode")}
        shape.update(pragma)
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        shape["rows"] = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                         for t in tables}
        shape["quick_check"] = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.Error as exc:
        shape["problem"] = str(exc)
    return shape


def _size(path: Path) -> int | None:
    return path.stat().st_size if path.exists() else None


def redact(text: str) -> str:
    """The log without the OS user's name and home folder (they name a person)."""
    home = str(Path.home())
    if len(home) > 3:
        text = text.replace(home, "<HOME>")
    user = os_user()
    if len(user) > 1:
        text = text.replace(user, "<USER>")
    return text


def _summary(info: dict[str, Any]) -> str:
    """The same facts, readable at a glance (in Chinese where the clerk reads it)."""
    lines = [
        f"{APP_TITLE} 诊断信息（不含台账数据）  {info['created']}",
        f"软件版本：{info['app']['version']}"
        f"{'（打包版）' if info['app']['frozen'] else '（源代码运行）'}"
        f"{'，便携模式' if info['app']['portable'] else ''}",
        f"Python：{info['python']['version']}（{info['python']['bits']} 位）",
        f"系统：{info['platform']['system']}（{info['platform']['machine']}）",
        f"SQLite：{info['sqlite']}",
    ]
    lines += [f"{key}：{value}" for key, value in info["extra"].items()]
    ledger = info.get("ledger")
    if ledger:
        lines.append(f"台账：数据版本 {ledger.get('user_version', '?')}，"
                     f"大小 {ledger.get('size', '?')} 字节，备份 {ledger.get('backups', '?')} 份，"
                     f"完整性 {'、'.join(ledger.get('quick_check', [])) or '未检查'}")
        for problem in ("problem", "file_problem"):
            if problem in ledger:
                lines.append(f"台账问题：{ledger[problem]}")
        for table, rows in ledger.get("rows", {}).items():
            lines.append(f"  {table}: {rows}")
    lines.append("已安装的组件：")
    lines += [f"  {name} {version}" for name, version in info["packages"].items()]
    return redact("\n".join(lines) + "\n")
