"""The bundle's NumPy without OpenBLAS (tools/lean_blas): products and decompositions stay right.

Windows and linux-arm64 ship PyPI's NumPy with its OpenBLAS replaced by NumPy's own reference
BLAS/LAPACK (lapack_lite) and cblas.c; Linux x86_64 ships NumPy compiled without BLAS. The
checks in `check_numpy` hold for any NumPy: the suite runs them under this Python (under the
Windows Python, that is the replacement the clerk gets), and, on Linux, against a replacement
built here for this machine's NumPy, in a Python of its own. The two code paths of cblas.c that
NumPy itself never takes (row-major conjugate-transposed complex gemv, complex syrk) are called
directly.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
TYPES = (np.float32, np.float64, np.complex64, np.complex128)


def tolerance(dtype: type) -> float:
    return 2e-3 if dtype in (np.float32, np.complex64) else 1e-9


def close(got: np.ndarray, want: np.ndarray, dtype: type) -> bool:
    # complex128 before abs(): Wine's ucrtbase has no cabsf (a gap of the test host only)
    got, want = np.asarray(got, np.complex128), np.asarray(want, np.complex128)
    scale = max(1.0, float(np.abs(want).max(initial=0.0)))
    return bool(np.abs(got - want).max(initial=0.0) <= tolerance(dtype) * scale * 10)


def matrix(rng: np.random.Generator, shape: tuple[int, ...], dtype: type,
           fortran: bool = False) -> np.ndarray:
    values = rng.uniform(-1, 1, shape)
    if np.issubdtype(dtype, np.complexfloating):
        values = values + 1j * rng.uniform(-1, 1, shape)
    return np.array(values, dtype=dtype, order="F" if fortran else "C")


def reference_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a·b in complex128, by einsum's own loops (no BLAS)."""
    return np.einsum("...ij,...jk->...ik", a.astype(np.complex128), b.astype(np.complex128))


def check_numpy(seed: int, n: int, k: int, dtype: type) -> None:
    """Every BLAS/LAPACK routine NumPy calls, through the NumPy functions that call them."""
    rng = np.random.default_rng(seed)
    for fortran in (False, True):
        a, b = matrix(rng, (n, k), dtype, fortran), matrix(rng, (k, n), dtype, fortran)
        assert close(a @ b, reference_product(a, b), dtype)  # gemm
        assert close(np.dot(a.T, b.T), reference_product(a.T, b.T), dtype)  # transposed gemm
        x = matrix(rng, (k,), dtype)
        assert close(a @ x, reference_product(a, x[:, None])[:, 0], dtype)  # gemv
        assert close(x @ b, reference_product(x[None, :], b)[0], dtype)  # gemv, transposed
        assert close(a @ a.T, reference_product(a, a.T), dtype)  # syrk
        assert close(a.T @ a, reference_product(a.T, a), dtype)  # syrk, transposed
    y, z = matrix(rng, (k,), dtype), matrix(rng, (k,), dtype)
    want = np.sum(y.astype(np.complex128) * z.astype(np.complex128))
    assert close(np.dot(y, z), want, dtype)  # dot / dotu
    assert close(np.vdot(y, z), np.sum(np.conj(y.astype(np.complex128)) * z), dtype)  # dotc
    assert close(np.dot(y[::2], z[::2]), np.sum(y[::2].astype(np.complex128) * z[::2]), dtype)

    square = matrix(rng, (n, n), dtype) + n * np.eye(n, dtype=dtype)  # well conditioned
    identity = np.eye(n)
    assert close(square @ np.linalg.inv(square), identity, dtype)  # gesv
    rhs = matrix(rng, (n, 2), dtype)
    assert close(square @ np.linalg.solve(square, rhs), rhs, dtype)
    sign, logdet = np.linalg.slogdet(square)  # getrf (det itself overflows float32 at n=40)
    eigenvalues = np.linalg.eigvals(square).astype(np.complex128)  # geev
    assert close(logdet, np.sum(np.log(np.abs(eigenvalues))), dtype)
    assert close(sign, np.prod(eigenvalues / np.abs(eigenvalues)), dtype)
    values, vectors = np.linalg.eig(square)
    assert close(square @ vectors, vectors * values, dtype)
    hermitian = square @ np.conj(square).T
    w, v = np.linalg.eigh(hermitian)  # syevd / heevd
    assert close(hermitian @ v, v * w, dtype)
    assert close(np.linalg.cholesky(hermitian) @ np.conj(np.linalg.cholesky(hermitian)).T,
                 hermitian, dtype)  # potrf
    tall = matrix(rng, (n + k, n), dtype)
    u, s, vh = np.linalg.svd(tall, full_matrices=False)  # gesdd
    assert close((u * s) @ vh, tall, dtype)
    q, r = np.linalg.qr(tall)  # geqrf + orgqr / ungqr
    assert close(q @ r, tall, dtype)
    assert close(np.conj(q).T @ q, np.eye(n), dtype)
    target = matrix(rng, (n + k,), dtype)
    solution = np.linalg.lstsq(tall, target, rcond=None)[0]  # gelsd
    normal = np.conj(tall).T
    assert close(normal @ (tall @ solution), normal @ target, dtype)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 9), k=st.integers(1, 9),
       dtype=st.sampled_from(TYPES))
def test_this_numpy_multiplies_and_decomposes_right(seed, n, k, dtype):
    check_numpy(seed, n, k, dtype)


@pytest.mark.parametrize("dtype", TYPES)
def test_this_numpy_multiplies_and_decomposes_bigger_matrices_right(dtype):
    check_numpy(7, 40, 33, dtype)


def test_a_chart_transform_is_a_numpy_product():
    """What the app needs of NumPy's BLAS: matplotlib's affine transforms (3×3 products)."""
    from matplotlib.transforms import Affine2D

    moved = Affine2D().rotate_deg(30).scale(2, 3).translate(5, -1)
    point = moved.transform([[1.0, 2.0]])[0]
    cos, sin = np.cos(np.radians(30)), np.sin(np.radians(30))
    want = [2 * (cos - 2 * sin) + 5, 3 * (sin + 2 * cos) - 1]
    assert np.allclose(point, want)
    assert np.allclose(moved.inverted().transform([point])[0], [1.0, 2.0])


# -- the replacement, built here for this machine's NumPy ---------------------------------------
def stock_site() -> Path | None:
    """This Python's site-packages, when its NumPy is a stock wheel with OpenBLAS on Linux."""
    from tools.lean_blas import MARKER, openblas_library

    site = Path(np.__file__).resolve().parent.parent
    if sys.platform != "linux" or openblas_library(site) is None or not shutil.which("cc") \
            or (site / "numpy.libs" / MARKER).is_file():
        return None
    return site


@pytest.fixture(scope="module")
def lean_site(tmp_path_factory) -> Path:
    site = stock_site()
    if site is None:
        pytest.skip("needs Linux, a C compiler and PyPI's NumPy with its OpenBLAS (under this "
                    "Python the checks above already run on the NumPy the bundle ships)")
    from tools.lean_blas import numpy_version, replace

    copy = tmp_path_factory.mktemp("site")
    for name in ("numpy", "numpy.libs", f"numpy-{numpy_version(site)}.dist-info"):
        shutil.copytree(site / name, copy / name, symlinks=True)
    said = replace(copy, "host")
    assert "replaced by NumPy" in said
    return copy


def test_the_replacement_exports_what_numpy_imports_and_needs_only_libc(lean_site):
    from tools.lean_blas import dependencies, exports, imports_from, openblas_library

    library = openblas_library(lean_site)
    assert library is not None and library.stat().st_size < 3_000_000
    needed = imports_from(lean_site, library, "elf")
    assert len(needed) > 50 and needed <= exports(library, "elf")
    assert dependencies(library, "elf") <= {"libc.so.6", "libm.so.6"}
    assert not list((lean_site / "numpy.libs").glob("libgfortran*"))
    from tools.lean_blas import replace

    assert "already" in replace(lean_site, "host")  # a second run changes nothing


def test_numpy_on_the_replacement_multiplies_and_decomposes_right(lean_site):
    script = ("import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2])\n"
              "import numpy, tests.test_lean_blas as t\n"
              "assert numpy.__file__.startswith(sys.argv[1]), numpy.__file__\n"
              "maps = open('/proc/self/maps').read()\n"
              "assert sys.argv[1] + '/numpy.libs/libscipy_openblas64_' in maps\n"
              "for seed in range(12):\n"
              "    for dtype in t.TYPES:\n"
              "        t.check_numpy(seed, 1 + seed % 7, 1 + seed * 5 % 9, dtype)\n"
              "        t.check_numpy(seed, 40, 33, dtype)\n"
              "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script, str(lean_site), str(ROOT)],
                          capture_output=True, text=True, timeout=600,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def fake_site(tmp_path: Path, exported: str) -> tuple[Path, Path]:
    """A site-packages with a NumPy extension that imports scipy_ddot_64_ from a stock library
    (which needs a libgfortran), and a 'compiled' replacement that exports `exported`."""
    site = tmp_path / "site"
    libs, core = site / "numpy.libs", site / "numpy" / "_core"
    libs.mkdir(parents=True)
    core.mkdir(parents=True)
    (site / "numpy-9.9.dist-info").mkdir()

    def compile_c(code: str, out: Path, *args: str) -> Path:
        source = out.with_suffix(".c")
        source.write_text(code, encoding="utf-8")
        subprocess.run(["cc", "-shared", "-fPIC", "-o", str(out), str(source), *args],
                       check=True, capture_output=True)
        source.unlink()
        return out

    fortran = compile_c("int gfortran_x(void) { return 1; }",
                        libs / "libgfortran-1234.so.5", "-Wl,-soname,libgfortran-1234.so.5")
    name = "libscipy_openblas64_-abcd.so"
    stock = compile_c("extern int gfortran_x(void);\n"
                      "double scipy_ddot_64_(void) { return gfortran_x(); }",
                      libs / name, f"-Wl,-soname,{name}", str(fortran))
    compile_c("extern double scipy_ddot_64_(void);\n"
              "double use(void) { return scipy_ddot_64_(); }",
              core / "_multiarray_umath.so", str(stock))
    replacement = compile_c(f"double {exported}(void) {{ return 2; }}", tmp_path / "lean.so",
                            f"-Wl,-soname,{name}")
    return site, replacement


needs_cc = pytest.mark.skipif(sys.platform != "linux" or not shutil.which("cc"),
                              reason="builds ELF libraries with this machine's cc")


@needs_cc
def test_a_replacement_that_lacks_a_function_numpy_imports_changes_nothing(tmp_path,
                                                                           monkeypatch):
    from tools import lean_blas

    site, replacement = fake_site(tmp_path, "scipy_dgemm_64_")
    stock = site / "numpy.libs" / "libscipy_openblas64_-abcd.so"
    before = sorted((p.name, p.read_bytes()) for p in (site / "numpy.libs").iterdir())
    monkeypatch.setattr(lean_blas, "compile_library", lambda *args: replacement)
    with pytest.raises(lean_blas.LeanBlasError, match="lacks 1 of the 1 functions NumPy "
                                                      "calls: scipy_ddot_64_"):
        lean_blas.replace(site, "host")
    assert sorted((p.name, p.read_bytes()) for p in (site / "numpy.libs").iterdir()) == before
    with pytest.raises(SystemExit, match="lean NumPy \\(host\\)"):  # a build stops, saying why
        lean_blas.install(site, "host")
    assert stock.is_file()


@needs_cc
def test_a_replacement_with_every_function_takes_the_stock_name_and_drops_gfortran(
        tmp_path, monkeypatch):
    from tools import lean_blas

    site, replacement = fake_site(tmp_path, "scipy_ddot_64_")
    monkeypatch.setattr(lean_blas, "compile_library", lambda *args: replacement)
    said = lean_blas.replace(site, "host")
    assert "replaced by NumPy 9.9's reference BLAS/LAPACK" in said and "1 functions" in said
    assert "libgfortran-1234.so.5 no longer needed" in said
    libs = site / "numpy.libs"
    assert sorted(p.name for p in libs.iterdir()) == ["lean-blas.txt",
                                                      "libscipy_openblas64_-abcd.so"]
    assert (libs / "libscipy_openblas64_-abcd.so").read_bytes() == replacement.read_bytes()
    assert os.access(libs / "libscipy_openblas64_-abcd.so", os.X_OK)  # its mode is kept
    assert "already" in lean_blas.replace(site, "host")
    # cblas.c changed: the replacement is built again, over the older build
    monkeypatch.setattr(lean_blas, "recipe", lambda *args: "another")
    assert "an older build of it (" in lean_blas.replace(site, "host")
    assert "already" in lean_blas.replace(site, "host")


ROW, COL, NO, TRANS, CONJ, UPPER, LOWER = 101, 102, 111, 112, 113, 121, 122


@pytest.fixture(scope="module")
def lean_library(request) -> Path:
    """The replacement this Python's NumPy runs on (the Windows Python's), else one built here."""
    from tools.lean_blas import MARKER, openblas_library

    site = Path(np.__file__).resolve().parent.parent
    if (site / "numpy.libs" / MARKER).is_file():
        library = openblas_library(site)
    else:
        library = openblas_library(request.getfixturevalue("lean_site"))
    assert library is not None
    return library


def cblas(library: Path) -> ctypes.CDLL:
    return ctypes.CDLL(str(library))


@pytest.mark.parametrize("dtype, letter", [(np.complex64, "c"), (np.complex128, "z")])
@pytest.mark.parametrize("trans", [NO, TRANS, CONJ])
def test_row_major_complex_gemv_of_every_transposition(lean_library, dtype, letter, trans):
    rng = np.random.default_rng(trans)
    m, n = 4, 3
    a, x = matrix(rng, (m, n), dtype), matrix(rng, (m if trans != NO else n,), dtype)
    y = matrix(rng, (n if trans != NO else m,), dtype)
    alpha, beta = np.array([0.5 - 2j], dtype), np.array([1.5 + 1j], dtype)
    op = a if trans == NO else a.T if trans == TRANS else np.conj(a).T
    want = alpha[0] * reference_product(op, x[:, None])[:, 0] + beta[0] * y
    i64, p = ctypes.c_int64, ctypes.c_void_p
    getattr(cblas(lean_library), f"scipy_cblas_{letter}gemv64_")(
        ctypes.c_int(ROW), ctypes.c_int(trans), i64(m), i64(n), p(alpha.ctypes.data),
        p(a.ctypes.data), i64(n), p(x.ctypes.data), i64(1), p(beta.ctypes.data),
        p(y.ctypes.data), i64(1))
    assert close(y, want, dtype)


@pytest.mark.parametrize("dtype, letter", [(np.complex64, "c"), (np.complex128, "z")])
@pytest.mark.parametrize("order", [ROW, COL])
@pytest.mark.parametrize("uplo", [UPPER, LOWER])
@pytest.mark.parametrize("trans", [NO, TRANS])
def test_complex_syrk_fills_its_triangle_only(lean_library, dtype, letter, order, uplo, trans):
    rng = np.random.default_rng(order + uplo + trans)
    n, k = 4, 3
    fortran = order == COL
    a = matrix(rng, (n, k) if trans == NO else (k, n), dtype, fortran)
    c = matrix(rng, (n, n), dtype, fortran)
    before = c.copy()
    alpha, beta = np.array([1 - 1j], dtype), np.array([0.5 + 2j], dtype)
    op = a if trans == NO else a.T
    want = alpha[0] * reference_product(op, op.T) + beta[0] * before
    i64, p = ctypes.c_int64, ctypes.c_void_p
    lda = a.shape[1] if order == ROW else a.shape[0]
    getattr(cblas(lean_library), f"scipy_cblas_{letter}syrk64_")(
        ctypes.c_int(order), ctypes.c_int(uplo), ctypes.c_int(trans), i64(n), i64(k),
        p(alpha.ctypes.data), p(a.ctypes.data), i64(lda), p(beta.ctypes.data),
        p(c.ctypes.data), i64(n))
    mine = np.triu_indices(n) if uplo == UPPER else np.tril_indices(n)
    other = np.tril_indices(n, -1) if uplo == UPPER else np.triu_indices(n, 1)
    assert close(c[mine], want[mine], dtype)
    assert np.array_equal(c[other], before[other])
