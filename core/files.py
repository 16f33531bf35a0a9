"""Files written whole or not at all, and what to tell the clerk when writing fails.

Every file the app writes for the clerk (summaries, Excel exports, backups, charts, the
diagnostics zip) is first written beside its target under a temporary name and then renamed
over it, so a full USB stick or a file held open in WPS never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PARTIAL_PATTERN = "~*.part"  # what write_atomically names its temporary files
STALE_AFTER_S = 3600  # a temporary file untouched this long belongs to a killed copy


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Let `write` fill a temporary file in `target`'s folder, then rename it over `target`.

    Whatever fails (the folder, `write`, the rename) the temporary file is removed and the
    exception goes on to the caller, who words it (see `reason`)."""
    handle, name = tempfile.mkstemp(prefix=f"~{target.stem}.", suffix=".part", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        write(partial)
        # mkstemp makes a private file; give it the target's permissions (or the usual ones)
        if target.exists():
            shutil.copymode(target, partial)
        else:
            os.chmod(partial, 0o644)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return target


def prune_partials(folder: Path, *, patterns: tuple[str, ...] = (PARTIAL_PATTERN,),
                   now: float | None = None) -> list[Path]:
    """Delete what copies killed half-way left in `folder` (temporary files of
    write_atomically untouched for an hour: a copy under way keeps writing its file)."""
    removed: list[Path] = []
    limit = (time.time() if now is None else now) - STALE_AFTER_S
    try:
        candidates = [path for pattern in patterns for path in Path(folder).glob(pattern)]
    except OSError:
        return removed
    for path in candidates:
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path)
        except OSError:  # in use (Windows) or gone meanwhile: next time
            continue
    return removed


def reason(exc: OSError) -> str:
    """Why a file could not be written, in the clerk's words (never the system's English)."""
    if isinstance(exc, PermissionError):
        return "没有写入权限，或文件正被 WPS、Word、Excel 等程序打开；请关闭后重试"
    if isinstance(exc, FileNotFoundError):
        return "文件夹不存在"
    words = {
        errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘空间不足（已超出配额）",
        errno.EROFS: "磁盘为只读（U 盘的写保护开关？）",
        errno.ENOTDIR: "路径中有一个同名的文件挡住了文件夹",
        errno.EISDIR: "目标是一个文件夹", errno.EEXIST: "已有同名的文件",
        errno.ENAMETOOLONG: "路径或文件名过长", errno.EIO: "读写磁盘时出错（U 盘可能已拔出）",
        errno.EINVAL: "文件名含有不允许的字符", errno.EBUSY: "文件正被其他程序使用",
        errno.EMFILE: "同时打开的文件过多", errno.EXDEV: "不能跨磁盘移动",
    }
    if exc.errno in words:
        return words[exc.errno]
    return f"系统错误（代码 {exc.errno}）" if exc.errno else "系统错误"
