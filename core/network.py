"""Ledgers on network folders: found, and never written in place.

SQLite's WAL needs shared memory that SMB and NFS do not give, and their byte-range locks are
unreliable, so two PCs writing one ledger on a share can damage it. A ledger on a network path
— a UNC path (\\\\server\\share\\…), a mapped network drive on Windows, an NFS/SMB/CIFS mount
on Linux — is opened read-only, with the reason; to work on it the clerk takes a local working
copy and checks it in afterwards (core.working_copy).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

MOUNTS = Path("/proc/mounts")  # Linux's mount table (tests point this at a faked one)
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "coda", "9p",
    "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "fuse.gvfsd-fuse", "fuse.rclone", "ceph",
    "glusterfs", "fuse.glusterfs", "lustre", "gpfs",
})
_DRIVE_REMOTE = 4  # GetDriveTypeW


def is_unc(text: str) -> bool:
    """\\\\server\\share\\… or //server/share/… (also \\\\?\\UNC\\server\\…), not \\\\?\\C:\\."""
    text = str(text)
    if text.startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return True
    if text.startswith(("\\\\?\\", "\\\\.\\", "//?/", "//./")):
        return False
    return bool(PureWindowsPath(text).drive.startswith(("\\\\", "//")))


def _drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _windows_network_drive(path: Path) -> bool:
    drive = PureWindowsPath(str(path)).drive
    if not drive or not drive.endswith(":"):
        return False
    try:
        return _drive_type(drive + "\\") == _DRIVE_REMOTE
    except (OSError, AttributeError, ValueError):
        return False


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_of(path: Path, table: str) -> tuple[str, str] | None:
    """(mount point, file system type) of the mount holding `path`, from a mount table."""
    best: tuple[str, str] | None = None
    target = str(path)
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point, kind = _unescape(fields[1]), fields[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, kind)
    return best


def _linux_network_mount(path: Path) -> str | None:
    try:
        table = MOUNTS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = mount_of(path, table)
    return found[1] if found is not None and found[1] in NETWORK_FILE_SYSTEMS else None


def network_reason(path: Path) -> str:
    """Why the ledger at `path` must not be written in place, or '' for a local file."""
    text = str(path)
    if is_unc(text):
        return "台账位于网络共享文件夹，为防止多台电脑同时写入损坏文件，只能只读打开"
    try:
        resolved = Path(os.path.abspath(path))
    except (OSError, ValueError):
        return ""
    if sys.platform == "win32":
        if is_unc(str(resolved)) or _windows_network_drive(resolved):
            return "台账位于网络驱动器上，为防止多台电脑同时写入损坏文件，只能只读打开"
        return ""
    try:
        resolved = resolved.resolve()
    except (OSError, RuntimeError):
        pass
    kind = _linux_network_mount(resolved)
    if kind is not None:
        return (f"台账位于网络文件夹（{kind}）上，为防止多台电脑同时写入损坏文件，只能只读打开；"
                "如需修改，请在本机建工作副本，改完后交回")
    return ""
