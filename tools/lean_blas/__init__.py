"""The stock NumPy wheel's OpenBLAS replaced by NumPy's own reference BLAS/LAPACK.

    python3 -m tools.lean_blas SITE_PACKAGES --target windows|linux-arm64|host

NumPy built without BLAS falls back on numpy/linalg/lapack_lite: the reference BLAS and LAPACK
routines its linalg needs, translated to C by f2c. The app only multiplies 3×3 matrices
(matplotlib's transforms), and the stock wheel's OpenBLAS is 28–33 MB, a fifth of the bundle.
Linux x86_64 compiles NumPy itself without BLAS (run.py LEAN_NUMPY). Where NumPy cannot be
compiled here (Windows: the embeddable CPython has no headers; aarch64: NumPy's build would
run under qemu), the wheel's OpenBLAS library is replaced, under the same file name, by
lapack_lite of the same NumPy version, compiled with the same symbol names and 64-bit integers
(scipy_dgesv_64_ …), and cblas.c for the CBLAS functions NumPy calls (scipy_cblas_dgemm64_ …):
1.4–1.6 MB stripped.

It fails, changing nothing, when the library does not export every symbol NumPy's extension
modules import from it, or when it needs more than the C runtime. NumPy's own linalg, dot and
matmul tests pass against it (`--target host` on x86_64: 775 passed); tests/test_lean_blas.py
checks the products and decompositions the bundle's NumPy gives, under every Python the suite
runs on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
WORK = ROOT / "build" / "lean-blas"
INDEX = "https://pypi.org/simple/numpy/"
# lapack_lite's C files, and NumPy's CBLAS header, which f2c.h includes
LAPACK_LITE = ("f2c.c", "f2c_blas.c", "f2c_lapack.c", "f2c_s_lapack.c", "f2c_d_lapack.c",
               "f2c_c_lapack.c", "f2c_z_lapack.c", "f2c_config.c")
HEADERS = ("numpy/linalg/lapack_lite/f2c.h", "numpy/linalg/lapack_lite/lapack_lite_names.h",
           "numpy/_core/src/common/npy_cblas.h", "numpy/_core/src/common/npy_cblas_base.h")
# The names of the stock wheels' OpenBLAS (scipy-openblas64: prefix scipy_, suffix 64_, ILP64)
DEFINES = ("-DHAVE_BLAS_ILP64", "-DBLAS_SYMBOL_PREFIX=scipy_", "-DBLAS_SYMBOL_SUFFIX=64_",
           "-DOPENBLAS_ILP64_NAMING_SCHEME")
MARKER = "lean-blas.txt"


@dataclass(frozen=True)
class Toolchain:
    compiler: tuple[str, ...]
    kind: str  # "pe" | "elf"
    link: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    # the only libraries the replacement may need: the C runtime
    runtime: frozenset[str] = frozenset()


def toolchain(target: str) -> Toolchain:
    if target == "windows":
        return Toolchain(("x86_64-w64-mingw32-gcc",), "pe", ("-static-libgcc", "-s"),
                         runtime=frozenset({"kernel32.dll", "msvcrt.dll"}))
    elif target == "host":
        return Toolchain(("cc",), "elf", ("-lm", "-s"),
                         runtime=frozenset({"libc.so.6", "libm.so.6"}))
    elif target == "linux-arm64":
        from tools.linux.target import TARGETS, compiler_env, ensure_zig

        arm64 = TARGETS[target]
        wrappers = ensure_zig(arm64)
        return Toolchain((str(wrappers / "cc"),), "elf", ("-lm", "-s"),
                         compiler_env(arm64, wrappers), frozenset({"libc.so.6", "libm.so.6"}))
    raise SystemExit(f"no such target: {target} (windows, linux-arm64, host)")


class LeanBlasError(Exception):
    """Why the replacement was not made; nothing was changed."""


# -- reading libraries ----------------------------------------------------------------------------
def _output(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pe_exports(dll: Path) -> set[str]:
    dump = _output(["x86_64-w64-mingw32-objdump", "-p", str(dll)])
    table = dump.split("[Ordinal/Name Pointer] Table", 1)
    if len(table) < 2:
        return set()
    names = set()
    for line in table[1].splitlines()[1:]:
        match = re.match(r"\s+\[\s*\d+\]\s+(\S+)$", line)
        if not match:
            break
        names.add(match.group(1))
    return names


def elf_symbols(path: Path, defined: bool) -> set[str]:
    names = set()
    for line in _output(["readelf", "--dyn-syms", "-W", str(path)]).splitlines():
        words = line.split()
        if len(words) >= 8 and words[0].endswith(":") and words[4] in ("GLOBAL", "WEAK"):
            if (words[6] != "UND") == defined:
                names.add(words[7].split("@")[0])
    return names


def elf_needed(path: Path) -> set[str]:
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                          _output(["readelf", "-d", "-W", str(path)])))


def exports(library: Path, kind: str) -> set[str]:
    return pe_exports(library) if kind == "pe" else elf_symbols(library, defined=True)


def dependencies(library: Path, kind: str) -> set[str]:
    if kind == "pe":
        from tools.wine.windows import imported_functions

        return set(imported_functions(library))
    return elf_needed(library)


def imports_from(site: Path, library: Path, kind: str) -> set[str]:
    """Every symbol NumPy's extension modules take from `library`."""
    wanted: set[str] = set()
    if kind == "pe":
        from tools.wine.windows import imported_functions

        for module in sorted((site / "numpy").rglob("*.pyd")):
            wanted.update(imported_functions(module).get(library.name.lower(), []))
    else:
        for module in sorted((site / "numpy").rglob("*.so")):
            if library.name in elf_needed(module):
                wanted.update(name for name in elf_symbols(module, defined=False)
                              if name.startswith("scipy_"))
    return wanted


# -- the sources ----------------------------------------------------------------------------------
def numpy_version(site: Path) -> str:
    found = sorted(site.glob("numpy-*.dist-info"))
    if len(found) != 1:
        raise LeanBlasError(f"no single numpy-*.dist-info in {site}")
    return found[0].name[len("numpy-"):-len(".dist-info")]


def openblas_library(site: Path) -> Path | None:
    libraries = sorted((site / "numpy.libs").glob("libscipy_openblas64_*"))
    return libraries[0] if len(libraries) == 1 else None


def sdist(version: str) -> Path:
    """numpy-VERSION.tar.gz from PyPI, checked against the index's sha256 (pip download would
    build NumPy to read its metadata)."""
    archive = WORK / f"numpy-{version}.tar.gz"
    if archive.is_file():
        return archive
    request = urllib.request.Request(INDEX, headers={
        "Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        files = json.load(response)["files"]
    entry = next((f for f in files if f["filename"] == archive.name), None)
    if entry is None:
        raise LeanBlasError(f"PyPI has no {archive.name}")
    WORK.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=WORK, suffix=".part")  # two builds at once: two files
    partial = Path(name)
    try:
        with urllib.request.urlopen(entry["url"], timeout=600) as response, \
                os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(response, out)
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        if digest != entry["hashes"]["sha256"]:
            raise LeanBlasError(f"{archive.name}: sha256 {digest} is not PyPI's")
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)  # a download cut short leaves nothing behind
    return archive


def sources(version: str) -> Path:
    """lapack_lite's C files and the headers they include, from the sdist."""
    folder = WORK / f"numpy-{version}-lapack_lite"
    wanted = {f"numpy/linalg/lapack_lite/{name}" for name in LAPACK_LITE} | set(HEADERS)
    if folder.is_dir():
        return folder
    downloaded = sdist(version)
    staging = Path(tempfile.mkdtemp(dir=WORK, prefix=f"{folder.name}-"))
    with tarfile.open(downloaded) as archive:
        for member in archive.getmembers():
            name = member.name.split("/", 1)[-1]
            if name in wanted:
                extracted = archive.extractfile(member)
                assert extracted is not None
                (staging / Path(name).name).write_bytes(extracted.read())
    missing = sorted(n for n in wanted if not (staging / Path(n).name).is_file())
    if missing:
        shutil.rmtree(staging)
        raise LeanBlasError(f"numpy {version}'s sdist lacks {', '.join(missing)}")
    try:
        staging.rename(folder)  # whole or not at all
    except OSError:  # another build got there first
        shutil.rmtree(staging)
    return folder


# -- building -------------------------------------------------------------------------------------
def compile_library(version: str, tools: Toolchain, name: str, out: Path) -> Path:
    """lapack_lite + cblas.c + xerbla.c of NumPy `version` as the shared library `name`."""
    source = sources(version)
    objects = out / "objects"
    objects.mkdir(parents=True, exist_ok=True)
    files = [source / n for n in LAPACK_LITE] + [HERE / "cblas.c", HERE / "xerbla.c"]
    env = {**os.environ, **tools.env}
    flags = ["-O2", "-fPIC", "-w", *DEFINES, f"-I{HERE / 'include'}", f"-I{source}"]

    def compile_one(path: Path) -> Path:
        target = objects / f"{path.stem}.o"
        subprocess.run([*tools.compiler, *flags, "-c", str(path), "-o", str(target)],
                       check=True, env=env, capture_output=True, text=True)
        return target

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        built = list(pool.map(compile_one, files))
    library = out / name
    soname = [] if tools.kind == "pe" else [f"-Wl,-soname,{name}"]
    subprocess.run([*tools.compiler, "-shared", "-o", str(library), *map(str, built), *soname,
                    *tools.link], check=True, env=env, capture_output=True, text=True)
    return library


def recipe(target: str, version: str) -> str:
    """What the replacement is built from, as one hash: a change to cblas.c rebuilds it."""
    digest = hashlib.sha256(f"{target} {version} {DEFINES} {LAPACK_LITE}".encode())
    for path in sorted(HERE.rglob("*.[ch]")):
        digest.update(path.relative_to(HERE).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def replace(site: Path, target: str) -> str:
    """Replace site/numpy.libs' OpenBLAS; says what it did. Done once: a second call finds the
    marker, the same library and the same recipe, and changes nothing."""
    marker = site / "numpy.libs" / MARKER
    version = numpy_version(site)
    how = recipe(target, version)
    recorded = ((marker.read_text(encoding="utf-8").split() if marker.is_file() else [])
                + ["", "", ""])[:3]
    current = site / "numpy.libs" / recorded[0]
    ours = current.is_file() and hashlib.sha256(current.read_bytes()).hexdigest() == recorded[1]
    if ours and recorded[2] == how:
        return f"{current.name}: already NumPy's reference BLAS/LAPACK"
    stock = openblas_library(site)
    if stock is None:
        raise LeanBlasError(f"no single libscipy_openblas64_* in {site / 'numpy.libs'}")
    tools = toolchain(target)
    needed = imports_from(site, stock, tools.kind)
    if not needed:
        raise LeanBlasError(f"no NumPy extension module imports from {stock.name}")
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK, prefix=f"{target}-{version}-") as out:
        built = compile_library(version, tools, stock.name, Path(out))
        missing = sorted(needed - exports(built, tools.kind))
        if missing:
            raise LeanBlasError(f"the reference BLAS lacks {len(missing)} of the {len(needed)} "
                                f"functions NumPy calls: {', '.join(missing[:8])}")
        extra = sorted(n for n in map(str.lower, dependencies(built, tools.kind))
                       if n not in tools.runtime)
        if extra:
            raise LeanBlasError(f"{built.name} needs more than the C runtime: "
                                f"{', '.join(extra)}")
        before = stock.stat().st_size
        beside = stock.with_name(stock.name + ".new")  # renamed over it: never half a library
        shutil.copyfile(built, beside)
        shutil.copymode(stock, beside)
        beside.replace(stock)
    digest = hashlib.sha256(stock.read_bytes()).hexdigest()
    marker.write_text(f"{stock.name} {digest} {how} lapack_lite of numpy "
                      f"{version}\n", encoding="utf-8")
    dropped = drop_unneeded(site, tools.kind)
    was = "an older build of it" if ours else "OpenBLAS"
    return (f"{stock.name}: {was} ({before / 1e6:.1f} MB) replaced by NumPy {version}'s "
            f"reference BLAS/LAPACK ({stock.stat().st_size / 1e6:.1f} MB, {len(needed)} "
            f"functions)" + (f"; {', '.join(dropped)} no longer needed" if dropped else ""))


def drop_unneeded(site: Path, kind: str) -> list[str]:
    """The OpenBLAS's own dependencies (libgfortran, then libquadmath) that nothing needs now."""
    libs = site / "numpy.libs"
    modules = list((site / "numpy").rglob("*.pyd" if kind == "pe" else "*.so"))
    dropped: list[str] = []
    while True:
        users = modules + [p for p in libs.iterdir() if p.name != MARKER]
        needed = {name.lower() for user in users for name in dependencies(user, kind)}
        unused = [p for p in sorted(libs.iterdir())
                  if re.match(r"lib(gfortran|quadmath)", p.name) and p.name.lower() not in needed]
        if not unused:
            return dropped
        for library in unused:
            library.unlink()
            dropped.append(library.name)


def install(site: Path, target: str) -> None:
    """replace(), for a build: what it did on one line, or the build stops with why."""
    try:
        print(replace(site, target), flush=True)
    except (LeanBlasError, subprocess.CalledProcessError, OSError) as error:
        detail = getattr(error, "stderr", None) or ""
        raise SystemExit(f"lean NumPy ({target}): {error}\n{detail}".rstrip()) from error


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the site-packages folder holding numpy")
    parser.add_argument("--target", required=True, choices=("windows", "linux-arm64", "host"))
    args = parser.parse_args(argv)
    install(args.site, args.target)
    return 0
