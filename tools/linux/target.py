"""The 信创 Linux bundle (统信 UOS 20, 银河麒麟 Kylin V10), built for an old glibc on this Linux.

    python3 -m tools.linux.target setup          build Python for the target + pinned wheels
    python3 -m tools.linux.target build          dist/linux-x86_64/WorkLedger/ + the .deb
    python3 -m tools.linux.target smoke          the .deb installed in a clean Debian bullseye
                                                 root, tools/smoke_frozen.py there, window on
                                                 a virtual X screen
    python3 -m tools.linux.target test [ARGS]    the test suite on the pinned versions
    (`python3 run.py build|smoke|test --target linux-x86_64` calls these.)

A PyInstaller bundle needs the glibc of the Python that built it: this machine's Python needs
glibc 2.35, UOS 20 has 2.28. So the bundle is built by a CPython compiled here for glibc 2.28:
Debian's source of CPython 3.11 (`apt-get source`, the same tarball as python.org's), compiled
by `zig cc -target x86_64-linux-gnu.2.28` (PyPI's `ziglang` wheel: clang with the symbol lists
of every glibc version, so what it links can only need 2.28), with zlib, libffi, SQLite and xz
linked in statically from Debian's -dev packages (UOS 20 has older ones, or none; Debian's
libbz2.a cannot go into a shared object, so this Python has no bz2, which nothing here uses). The
wheels are the manylinux_2_28-or-older ones pinned in constraints/linux-x86_64.txt (PySide6
6.9.3: 6.10 needs glibc 2.34). tools/glibc_check.py then fails the build if any ELF file of
the folder needs more than the target's floor; nothing is taken on trust.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools import deb, glibc_check

ROOT = Path(__file__).resolve().parent.parent.parent
ZIGLANG = "ziglang==0.17.1"
# Debian bookworm's CPython 3.11 source (python3.11_3.11.2.orig.tar.gz = python.org's 3.11.2).
PYTHON_SOURCE = ("python3.11", "python3.11_3.11.2.orig.tar.gz",
                 "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849")
DEBIAN = "http://deb.debian.org/debian"
# Static libraries linked into the build Python (headers, archive name) and their packages.
STATIC_LIBRARIES = {
    "zlib1g-dev": (["zlib.h", "zconf.h"], "libz.a"),
    "libffi-dev": (["{triplet}/ffi.h", "{triplet}/ffitarget.h"], "libffi.a"),
    "libsqlite3-dev": (["sqlite3.h", "sqlite3ext.h"], "libsqlite3.a"),
    "liblzma-dev": (["lzma.h", "lzma"], "liblzma.a"),
}
APT_PACKAGES = ["make", "binutils", "debootstrap", "xvfb", "xauth", *STATIC_LIBRARIES]
# What a clean bullseye root gets for the smoke test: the .deb's Depends (an X desktop's
# libraries) and nothing of Qt or of the xcb helper libraries the bundle carries itself.
ROOT_SUITE = "bullseye"


@dataclass(frozen=True)
class Target:
    name: str
    triplet: str  # Debian's multiarch name
    zig: str  # zig's -target
    deb_arch: str
    floor: str  # glibc; tools/glibc_check.py FLOORS has it with the GLIBCXX floor
    # Another architecture than this machine's: its Python is cross-compiled by zig (with the
    # x86_64 target's Python as the build Python) against a bullseye root of that architecture
    # (the static libraries' headers and archives), and everything that runs that Python —
    # pip, PyInstaller — runs inside the root, under qemu-user through binfmt_misc
    # (PyInstaller starts sub-processes, so a plain `qemu-aarch64 prog` would not reach them).
    cross: bool = False
    # NumPy compiled lean by zig (no BLAS); otherwise PyPI's wheel for the platform, its
    # OpenBLAS replaced by NumPy's own reference BLAS/LAPACK compiled by zig (tools/lean_blas)
    lean_numpy: bool = True

    @property
    def work(self) -> Path:
        return ROOT / "build" / self.name

    @property
    def dist(self) -> Path:
        return ROOT / "dist" / self.name

    @property
    def constraints(self) -> Path:
        return ROOT / "constraints" / f"{self.name}.txt"

    @property
    def python(self) -> Path:
        return self.work / "python" / "bin" / "python3.11"

    @property
    def site_packages(self) -> Path:
        return self.work / "python" / "lib" / "python3.11" / "site-packages"

    @property
    def build_root(self) -> Path:
        """Where the target's static libraries come from, and (cross) where it is frozen."""
        return self.work / "root-build" if self.cross else Path("/")

    def manylinux_platforms(self) -> list[str]:
        """Every manylinux tag up to the floor (pip < 24 does not widen a --platform itself)."""
        arch = self.triplet.split("-")[0]
        minor = int(self.floor.split(".")[1])
        return [f"manylinux_2_{m}_{arch}" for m in range(17, minor + 1)] + \
            [f"manylinux2014_{arch}"]


TARGETS = {
    "linux-x86_64": Target("linux-x86_64", "x86_64-linux-gnu", "x86_64-linux-gnu.2.28", "amd64",
                           glibc_check.FLOORS["linux-x86_64"][0]),
    # Kylin V10 on 飞腾/鲲鹏; PyPI's NumPy wheel, with NumPy's reference BLAS for its OpenBLAS
    "linux-arm64": Target("linux-arm64", "aarch64-linux-gnu", "aarch64-linux-gnu.2.31", "arm64",
                          glibc_check.FLOORS["linux-arm64"][0], cross=True, lean_numpy=False),
}
# What the arm64 build root has beyond a clean root: binutils (PyInstaller's objdump, and
# build.spec's strip), gcc (tools/icu_trim.py links the trimmed ICU data), the xcb helper
# libraries build.spec bundles, and the static libraries' -dev packages.
BUILD_ROOT_PACKAGES = ("binutils", "gcc", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
                       "libxcb-keysyms1", "libxcb-render-util0", *STATIC_LIBRARIES)


def run(command: list[str | Path], cwd: Path = ROOT, env: dict[str, str] | None = None,
        log: Path | None = None) -> None:
    """Run a command; with `log`, its output goes there and only the tail is shown on failure."""
    printable = " ".join(str(part) for part in command)
    if log is None:
        result = subprocess.run([str(part) for part in command], cwd=cwd, env=env)
    else:
        with log.open("w", encoding="utf-8") as file:
            result = subprocess.run([str(part) for part in command], cwd=cwd, env=env,
                                    stdout=file, stderr=subprocess.STDOUT)
        if result.returncode:
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
            print("\n".join(tail))
    if result.returncode:
        raise SystemExit(f"failed ({result.returncode}): {printable}")


def require_tools() -> None:
    missing = [tool for tool in ("make", "readelf", "strip", "dpkg-deb", "apt-get")
               if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install "
                         + " ".join(APT_PACKAGES))


# -- the compiler ---------------------------------------------------------------------------------
def ensure_zig(target: Target) -> Path:
    """zig from PyPI in its own venv; cc/c++/ar/ranlib wrappers that target the old glibc."""
    venv = target.work / "zig"
    if not (venv / "bin" / "python").exists():
        run([sys.executable, "-m", "venv", venv])
    zig = next(iter(sorted(venv.glob("lib/python3*/site-packages/ziglang/zig"))), None)
    if zig is None:
        run([venv / "bin" / "python", "-m", "pip", "install", "-q",
             "--disable-pip-version-check", ZIGLANG])
        zig = next(iter(sorted(venv.glob("lib/python3*/site-packages/ziglang/zig"))))
    wrappers = target.work / "bin"
    wrappers.mkdir(parents=True, exist_ok=True)
    for name, words in (("cc", f"cc -target {target.zig}"), ("c++", f"c++ -target {target.zig}"),
                        ("ar", "ar"), ("ranlib", "ranlib")):
        script = wrappers / name
        script.write_text(WRAPPER.format(zig=zig, words=words), encoding="utf-8")
        script.chmod(0o755)
    return wrappers


WRAPPER = """#!/bin/sh
# zig's linker knows -soname, not its short form -h (CPython's Makefile uses -Wl,-h); and the
# build machine's own headers and libraries are never used (CPython's setup.py adds them):
# they are of its newer glibc, and zig brings the target's
for arg; do
    shift
    case "$arg" in
        -Wl,-h*) set -- "$@" "-Wl,-soname,${{arg#-Wl,-h}}" ;;
        -I/usr/include|-I/usr/include/*|-I/usr/local/include|-L/usr/lib|-L/usr/lib/*|\\
        -L/usr/local/lib|-L/lib|-L/lib/*) ;;
        *) set -- "$@" "$arg" ;;
    esac
done
exec "{zig}" {words} "$@"
"""


def compiler_env(target: Target, wrappers: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV", "CFLAGS", "LDFLAGS", "CPPFLAGS"))}
    env.update(CC=str(wrappers / "cc"), CXX=str(wrappers / "c++"), AR=str(wrappers / "ar"),
               RANLIB=str(wrappers / "ranlib"),
               ZIG_GLOBAL_CACHE_DIR=str(target.work / "zig-cache"),
               ZIG_LOCAL_CACHE_DIR=str(target.work / "zig-cache"))
    return env


# -- the build Python ---------------------------------------------------------------------------
def static_libraries(target: Target) -> Path:
    """A folder with only the headers and .a archives the build Python links in (so that
    neither the system's other headers nor its shared libraries are seen)."""
    deps = target.work / "deps"
    shutil.rmtree(deps, ignore_errors=True)
    (deps / "include").mkdir(parents=True)
    (deps / "lib").mkdir()
    missing = []
    usr = target.build_root / "usr"
    for package, (headers, archive) in STATIC_LIBRARIES.items():
        sources = [usr / "include" / h.format(triplet=target.triplet) for h in headers]
        library = usr / "lib" / target.triplet / archive
        if not all(p.exists() for p in [*sources, library]):
            missing.append(package)
            continue
        for source in sources:
            (deps / "include" / source.name).symlink_to(source)
        (deps / "lib" / archive).symlink_to(library)
    if missing:
        where = f" in {target.build_root}" if target.cross else ""
        raise SystemExit(f"missing static libraries{where}: apt-get install {' '.join(missing)}")
    return deps


def python_source(target: Target) -> Path:
    """Debian's source tarball, through apt with a private list of deb-src lines (the
    machine's apt configuration is not touched), checked against its pinned digest."""
    package, name, digest = PYTHON_SOURCE
    downloads = target.work / "downloads"
    tarball = downloads / name
    if not tarball.is_file():
        apt = target.work / "apt"
        (apt / "lists" / "partial").mkdir(parents=True, exist_ok=True)
        (apt / "sources.list").write_text(f"deb-src {DEBIAN} bookworm main\n", encoding="utf-8")
        options = ["-o", f"Dir::Etc::SourceList={apt / 'sources.list'}",
                   "-o", "Dir::Etc::SourceParts=-", "-o", f"Dir::State::Lists={apt / 'lists'}",
                   "-o", "APT::Get::List-Cleanup=0", "-qq"]
        run(["apt-get", *options, "update"])
        downloads.mkdir(parents=True, exist_ok=True)
        run(["apt-get", *options, "source", "--download-only", package], cwd=downloads)
    if hashlib.sha256(tarball.read_bytes()).hexdigest() != digest:
        tarball.unlink()
        raise SystemExit(f"{name}: not the pinned source (sha256 differs); removed, try again")
    return tarball


def ensure_python(target: Target) -> None:
    stamp = target.work / "python" / "workledger-python.txt"
    recipe = f"{PYTHON_SOURCE[1]} {ZIGLANG} {target.zig}\n"
    if target.python.exists() and stamp.is_file() and \
            stamp.read_text(encoding="utf-8") == recipe:
        return
    started = time.monotonic()
    tarball = python_source(target)
    wrappers = ensure_zig(target)
    deps = static_libraries(target)
    source = target.work / "cpython"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(target.work / "python", ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(target.work, filter="data")
    next(target.work.glob("Python-3.11.*")).rename(source)
    env = compiler_env(target, wrappers)
    include, lib = f"-I{deps / 'include'}", f"-L{deps / 'lib'}"
    # -Bsymbolic: Debian's .a files are position-independent executables' code, which a shared
    # object may hold only when it binds its own symbols. $ORIGIN: python finds its libpython.
    env.update(CPPFLAGS=include, CFLAGS=include, PKG_CONFIG="false",
               # (quoted: make turns $$ into $, and the recipe's shell must leave $ORIGIN be)
               LDFLAGS=f"{lib} -Wl,-Bsymbolic -Wl,-rpath,'$$ORIGIN/../lib'",
               OPT="-DNDEBUG -fwrapv -O2 -Wall -Wno-error=date-time",
               # __DATE__ in sys.version: 3.11.2's release day, so two builds are the same
               SOURCE_DATE_EPOCH="1675728000")
    for var, libs in (("LIBFFI", "-lffi"), ("LIBSQLITE3", "-lsqlite3 -lm"), ("ZLIB", "-lz"),
                      ("LIBLZMA", "-llzma")):
        env[f"{var}_CFLAGS"], env[f"{var}_LIBS"] = include, f"{lib} {libs}"
    logs = target.work / "logs"
    logs.mkdir(exist_ok=True)
    cross: list[str] = []
    if target.cross:
        # the same CPython for this machine runs setup.py and the build's generators; the
        # answers configure cannot find out by running a program of the other architecture
        native = TARGETS["linux-x86_64"]
        ensure_python(native)
        site = target.work / "config.site"
        site.write_text("ac_cv_file__dev_ptmx=yes\nac_cv_file__dev_ptc=no\n"
                        "ac_cv_buggy_getaddrinfo=no\n", encoding="utf-8")
        env["CONFIG_SITE"] = str(site)
        # binutils' readelf reads any architecture's ELF files (configure wants a full path)
        env["READELF"] = shutil.which("readelf") or "readelf"
        cross = ["--build=x86_64-linux-gnu", f"--host={target.triplet}",
                 f"--with-build-python={native.python}"]
    print(f"编译构建用 Python（{target.zig}，约 15 分钟）…", flush=True)
    run(["./configure", f"--prefix={target.work / 'python'}", "--enable-shared",
         "--with-ensurepip=no", "--disable-test-modules", *cross], cwd=source, env=env,
        log=logs / "configure.log")
    # PY3LIBRARY=: no libpython3.so (the stable-ABI forwarder, which nothing here loads and
    # zig cannot link from a shared library alone)
    run(["make", f"-j{os.cpu_count() or 2}", "PY3LIBRARY="], cwd=source, env=env,
        log=logs / "make.log")
    run(["make", "install", "PY3LIBRARY="], cwd=source, env=env, log=logs / "install.log")
    # Its own libpython (not the system's, found through a wrong RUNPATH), with every module
    # the app and PyInstaller need
    with BuildRoot(target):
        built = subprocess.run(in_build_root(target, [
            target.python, "-c", "import zlib, sqlite3, ctypes, lzma, _decimal, pyexpat, "
            "_elementtree, sys; print(sys.version)"]), capture_output=True, text=True,
            env=clean_env())
    if built.returncode or "clang" not in built.stdout.lower():
        raise SystemExit(f"the build Python is not right: {built.stdout}{built.stderr}")
    shutil.rmtree(source)
    stamp.write_text(recipe, encoding="utf-8")
    print(f"build Python ready in {time.monotonic() - started:.0f} s", flush=True)


def lean_numpy(target: Target, pin: str, wheels: Path) -> None:
    """NumPy without BLAS/LAPACK (run.py LEAN_NUMPY: matplotlib only multiplies 3×3 matrices;
    the stock wheel's OpenBLAS is ~30 MB), compiled by zig for the target's glibc. This
    machine's pip builds it (it reaches PyPI for the build tools; the build Python has no TLS);
    the extension modules link only to libc, and zig's C++ runtime is linked in statically."""
    if list(wheels.glob(f"numpy-{pin.split('==')[1]}-*.whl")):
        return
    from run import LEAN_NUMPY

    print("编译精简版 NumPy（不含 BLAS，目标 glibc）…", flush=True)
    env = compiler_env(target, ensure_zig(target))
    logs = target.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--no-cache-dir",
         "--no-deps", "--no-binary", "numpy", "-w", wheels, pin, *LEAN_NUMPY], env=env,
        log=logs / "numpy.log")


def ensure_packages(target: Target) -> None:
    """The pinned wheels, fetched by this machine's pip for the target's platform (the build
    Python has no TLS) and installed offline; NumPy compiled lean."""
    stamp = target.work / "installed-constraints.txt"
    wanted = target.constraints.read_text(encoding="utf-8")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return
    wheels = target.work / "wheels"
    pins = [line for line in wanted.splitlines() if line and not line.startswith("#")]
    platforms = [word for p in target.manylinux_platforms() for word in ("--platform", p)]
    run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
         "--no-deps", "-d", wheels, *platforms, "--python-version", "3.11",
         "--implementation", "cp", "--only-binary=:all:",
         *(pin for pin in pins if not pin.startswith("numpy=="))])
    numpy = next(pin for pin in pins if pin.startswith("numpy=="))
    if target.lean_numpy:
        lean_numpy(target, numpy, wheels)
    else:
        run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
             "--no-deps", "-d", wheels, *platforms, "--python-version", "3.11",
             "--implementation", "cp", "--only-binary=:all:", numpy])
    pip_wheel = next(wheels.glob("pip-*.whl"))
    started = time.monotonic()
    with BuildRoot(target):
        run(in_build_root(target, [
            target.python, f"{pip_wheel}/pip", "install", "--disable-pip-version-check", "-q",
            "--no-index", "--find-links", wheels, "-r", target.constraints]), env=clean_env())
    print(f"wheels installed in {time.monotonic() - started:.0f} s", flush=True)
    stamp.write_text(wanted, encoding="utf-8")


def setup(target: Target) -> None:
    require_tools()
    ensure_build_root(target)
    ensure_python(target)
    ensure_packages(target)
    if not target.lean_numpy:
        from tools.lean_blas import install

        install(target.site_packages, target.name)


def clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}


# -- the arm64 build root -------------------------------------------------------------------------
def in_build_root(target: Target, command: list[str | Path]) -> list[str | Path]:
    """The command as it runs for the target: here, or (cross) in its build root, where the
    worktree is mounted at the same path, so every path means the same inside and out."""
    if not target.cross:
        return command
    # env -i: nothing of this machine's settings (its pip's index and find-links) goes in
    return ["chroot", target.build_root, "/usr/bin/env", "-i", f"PATH={ROOT_PATH}",
            "LANG=C.UTF-8", f"HOME={target.work / 'home'}", *command]


ROOT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


def require_binfmt(target: Target) -> None:
    """qemu-user registered with binfmt_misc with the F flag (the interpreter is opened when
    registered, so it works inside a chroot), else a plain statement of how to get it."""
    arch = target.triplet.split("-")[0]
    entry = Path("/proc/sys/fs/binfmt_misc") / f"qemu-{arch}"
    if not entry.is_file():
        if not Path("/proc/sys/fs/binfmt_misc/status").is_file():
            subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc",
                            "/proc/sys/fs/binfmt_misc"], check=False)
        if shutil.which("update-binfmts"):
            subprocess.run(["update-binfmts", "--enable", f"qemu-{arch}"], check=False,
                           capture_output=True)
    text = entry.read_text(encoding="utf-8") if entry.is_file() else ""
    flags = next((line.split(":", 1)[1] for line in text.splitlines()
                  if line.startswith("flags:")), "")
    if not text.startswith("enabled") or "F" not in flags:
        raise SystemExit(f"{target.name} runs its tools under qemu-user: apt-get install "
                         f"qemu-user-static binfmt-support (binfmt_misc qemu-{arch} with "
                         "flag F is needed)")


def ensure_build_root(target: Target) -> None:
    if target.cross:
        require_binfmt(target)
        ensure_root(target, "root-build", BUILD_ROOT_PACKAGES)
        (target.work / "home").mkdir(exist_ok=True)


class BuildRoot:
    """(cross) /proc, /dev and the worktree mounted in the build root while tools run there."""

    def __init__(self, target: Target) -> None:
        self.mounts = Mounts(target.build_root, binds=[ROOT]) if target.cross else None

    def __enter__(self) -> BuildRoot:
        if self.mounts:
            self.mounts.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.mounts:
            self.mounts.__exit__(*exc)


# -- build, smoke, test ---------------------------------------------------------------------------
def build(target: Target) -> None:
    setup(target)
    started = time.monotonic()
    with BuildRoot(target):
        run(in_build_root(target, [
            target.python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", target.dist, "--workpath", target.work / "pyinstaller",
            ROOT / "build.spec"]), env=clean_env())
    bundle = target.dist / "WorkLedger"
    print(f"built {bundle} in {time.monotonic() - started:.0f} s", flush=True)
    if glibc_check.main([str(bundle), "--target", target.name]):
        raise SystemExit(f"the folder needs a newer glibc than {target.name}'s {target.floor}")
    deb.build_deb(bundle, target.deb_arch, target.dist)


def ensure_root(target: Target, name: str = f"root-{ROOT_SUITE}",
                extra: tuple[str, ...] = ()) -> Path:
    """A clean Debian bullseye (glibc 2.31) with an X desktop's libraries (the .deb's Depends)
    but nothing of Qt or of the xcb helper libraries the bundle carries itself (the smoke
    test's); with `extra` packages, the build root."""
    root = target.work / name
    marker = root / "workledger-root.txt"
    wanted = (*deb.depends(target.deb_arch), *extra)
    packages = ",".join(wanted)
    if marker.is_file() and marker.read_text(encoding="utf-8") == packages:
        return root
    has = marker.read_text(encoding="utf-8").split(",") if marker.is_file() else []
    if has and set(has) <= set(wanted):  # a root that lacks only new packages gets them
        with Mounts(root):
            run(["chroot", root, "/usr/bin/env", "-i", f"PATH={ROOT_PATH}",
                 "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
                 "--no-install-recommends", *(p for p in wanted if p not in has)],
                log=target.work / f"apt-{name}.log")
        marker.write_text(packages, encoding="utf-8")
        return root
    # never delete through a mount left behind (the build root has the worktree mounted)
    for point in (root / "proc", root / "dev", root / ROOT.relative_to("/")):
        if point.exists() and subprocess.run(["mountpoint", "-q", str(point)]).returncode == 0:
            raise SystemExit(f"{point} is still mounted: umount -l {point}, then try again")
    shutil.rmtree(root, ignore_errors=True)
    print(f"debootstrap {ROOT_SUITE} ({target.deb_arch}) → {root} …", flush=True)
    started = time.monotonic()
    target.work.mkdir(parents=True, exist_ok=True)
    run(["debootstrap", "--variant=minbase", f"--arch={target.deb_arch}",
         f"--include={packages}", ROOT_SUITE, root, DEBIAN],
        log=target.work / f"debootstrap-{name}.log")
    marker.write_text(packages, encoding="utf-8")
    print(f"{root} ready in {time.monotonic() - started:.0f} s", flush=True)
    return root


class Mounts:
    """/proc and /dev inside the root while the smoke test runs there."""

    def __init__(self, root: Path, binds: list[Path] | None = None) -> None:
        self.points = [(["-t", "proc", "proc"], root / "proc"), (["--bind", "/dev"], root / "dev")]
        self.points += [(["--bind", str(path)], root / path.relative_to("/"))
                        for path in binds or []]

    def __enter__(self) -> Mounts:
        for args, point in self.points:
            if subprocess.run(["mountpoint", "-q", str(point)]).returncode:
                point.mkdir(parents=True, exist_ok=True)
                run(["mount", *args, point])
        return self

    def __exit__(self, *exc: object) -> None:
        for _args, point in reversed(self.points):
            subprocess.run(["umount", "-l", str(point)], check=False)


def smoke(target: Target, argv: list[str]) -> int:
    from tools.wine.windows import VirtualScreen

    setup(target)
    packages = sorted(target.dist.glob(f"{deb.PACKAGE}_*_{target.deb_arch}.deb"))
    if not packages:
        raise SystemExit(f"no .deb in {target.dist}: python3 run.py build --target {target.name}")
    root = ensure_root(target)
    inside = root / "opt" / "smoke"
    shutil.rmtree(inside, ignore_errors=True)
    inside.mkdir(parents=True)
    shutil.copy(packages[-1], inside / packages[-1].name)
    shutil.copy(ROOT / "tools" / "smoke_frozen.py", inside / "smoke_frozen.py")
    # The smoke script's own Python: the build Python, built for the same old glibc (linked,
    # not copied: the root lies on the same file system)
    shutil.copytree(target.work / "python", inside / "python", symlinks=True,
                    copy_function=os.link)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8"}
    with Mounts(root), VirtualScreen() as display:
        steps = [
            ["dpkg", "-i", f"/opt/smoke/{packages[-1].name}"],
            ["/usr/bin/workledger-cli", "--version"],
            ["/opt/smoke/python/bin/python3.11", "/opt/smoke/smoke_frozen.py",
             f"/opt/{deb.PACKAGE}"],
        ]
        for step in steps:
            print("in the bullseye root:", " ".join(step), flush=True)
            code = subprocess.run(["chroot", str(root), "/usr/bin/env", "-i",
                                   *(f"{k}={v}" for k, v in env.items()), f"DISPLAY={display}",
                                   *step]).returncode
            if code:
                return code
        subprocess.run(["chroot", str(root), "dpkg", "--purge", deb.PACKAGE], check=False,
                       stdout=subprocess.DEVNULL)
    shutil.rmtree(inside, ignore_errors=True)
    return 0


def test(target: Target, argv: list[str]) -> int:
    """The suite on the pinned versions (PySide6 6.9.3 …), drawn offscreen."""
    setup(target)
    return subprocess.run([str(target.python), "-m", "pytest", "-p", "no:cacheprovider", *argv],
                          cwd=ROOT, env=clean_env()).returncode


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in TARGETS:
        print(__doc__)
        print(f"usage: python3 -m tools.linux.target {'|'.join(TARGETS)} "
              "setup|build|smoke|test [ARGS]")
        return 2
    target, command, rest = TARGETS[argv[0]], argv[1], argv[2:]
    if command == "setup":
        setup(target)
        return 0
    if command == "build":
        build(target)
        return 0
    if command == "smoke":
        return smoke(target, rest)
    if command == "test":
        return test(target, rest)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
