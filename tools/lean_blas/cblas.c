/*
 * The CBLAS functions NumPy's _multiarray_umath calls (dot, vdot, matmul, inner), on NumPy's
 * own f2c'd reference BLAS (numpy/linalg/lapack_lite/f2c_blas.c). Built by tools/lean_blas
 * with the symbol names and the 64-bit integers of the OpenBLAS it stands in for
 * (scipy_cblas_dgemm64_ ...): the prototypes are NumPy's own (npy_cblas_base.h).
 *
 * Row-major calls are column-major calls on the transposed matrices, as in the reference
 * CBLAS. Two cases have no reference BLAS routine and are written out here: a row-major
 * conjugate-transposed complex gemv, and the complex syrk (A·Aᵀ, not the Hermitian herk).
 */
#include "f2c.h"

typedef CBLAS_INT bint;

/* The Fortran BLAS routines used below (lapack_lite_names.h gives them their prefixed names). */
extern int sgemm_(char *, char *, integer *, integer *, integer *, real *, real *, integer *,
                  real *, integer *, real *, real *, integer *);
extern int dgemm_(char *, char *, integer *, integer *, integer *, doublereal *, doublereal *,
                  integer *, doublereal *, integer *, doublereal *, doublereal *, integer *);
extern int cgemm_(char *, char *, integer *, integer *, integer *, singlecomplex *,
                  singlecomplex *, integer *, singlecomplex *, integer *, singlecomplex *,
                  singlecomplex *, integer *);
extern int zgemm_(char *, char *, integer *, integer *, integer *, doublecomplex *,
                  doublecomplex *, integer *, doublecomplex *, integer *, doublecomplex *,
                  doublecomplex *, integer *);
extern int sgemv_(char *, integer *, integer *, real *, real *, integer *, real *, integer *,
                  real *, real *, integer *);
extern int dgemv_(char *, integer *, integer *, doublereal *, doublereal *, integer *,
                  doublereal *, integer *, doublereal *, doublereal *, integer *);
extern int cgemv_(char *, integer *, integer *, singlecomplex *, singlecomplex *, integer *,
                  singlecomplex *, integer *, singlecomplex *, singlecomplex *, integer *);
extern int zgemv_(char *, integer *, integer *, doublecomplex *, doublecomplex *, integer *,
                  doublecomplex *, integer *, doublecomplex *, doublecomplex *, integer *);
extern int ssyrk_(char *, char *, integer *, integer *, real *, real *, integer *, real *,
                  real *, integer *);
extern int dsyrk_(char *, char *, integer *, integer *, doublereal *, doublereal *, integer *,
                  doublereal *, doublereal *, integer *);
extern int saxpy_(integer *, real *, real *, integer *, real *, integer *);
extern int daxpy_(integer *, doublereal *, doublereal *, integer *, doublereal *, integer *);
extern int caxpy_(integer *, singlecomplex *, singlecomplex *, integer *, singlecomplex *,
                  integer *);
extern int zaxpy_(integer *, doublecomplex *, doublecomplex *, integer *, doublecomplex *,
                  integer *);
extern doublereal sdot_(integer *, real *, integer *, real *, integer *);
extern doublereal ddot_(integer *, doublereal *, integer *, doublereal *, integer *);
extern void cdotu_(singlecomplex *, integer *, singlecomplex *, integer *, singlecomplex *,
                   integer *);
extern void cdotc_(singlecomplex *, integer *, singlecomplex *, integer *, singlecomplex *,
                   integer *);
extern void zdotu_(doublecomplex *, integer *, doublecomplex *, integer *, doublecomplex *,
                   integer *);
extern void zdotc_(doublecomplex *, integer *, doublecomplex *, integer *, doublecomplex *,
                   integer *);

static char *letter(enum CBLAS_TRANSPOSE trans)
{
    return trans == CblasNoTrans ? "N" : trans == CblasTrans ? "T" : "C";
}

/* The transposition a row-major call becomes (a real matrix has no conjugate). */
static char *flipped(enum CBLAS_TRANSPOSE trans)
{
    return trans == CblasNoTrans ? "T" : "N";
}

static char *triangle(enum CBLAS_UPLO uplo, int flip)
{
    return (uplo == CblasUpper) != (flip != 0) ? "U" : "L";
}

/* ---- gemm: C = alpha·op(A)·op(B) + beta·C --------------------------------------------- */
#define GEMM(name, routine, T, S, ALPHA, BETA)                                                \
    void CBLAS_FUNC(name)(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,       \
                          const enum CBLAS_TRANSPOSE tb, const bint m, const bint n,          \
                          const bint k, S alpha, const T *a, const bint lda, const T *b,     \
                          const bint ldb, S beta, T *c, const bint ldc)                       \
    {                                                                                         \
        integer mm = m, nn = n, kk = k, la = lda, lb = ldb, lc = ldc;                        \
        if (order == CblasColMajor) {                                                         \
            routine(letter(ta), letter(tb), &mm, &nn, &kk, ALPHA, (void *)a, &la, (void *)b, \
                    &lb, BETA, (void *)c, &lc);                                               \
        } else {                                                                              \
            routine(letter(tb), letter(ta), &nn, &mm, &kk, ALPHA, (void *)b, &lb, (void *)a, \
                    &la, BETA, (void *)c, &lc);                                               \
        }                                                                                     \
    }

GEMM(cblas_sgemm, sgemm_, float, const float, (real *)&alpha, (real *)&beta)
GEMM(cblas_dgemm, dgemm_, double, const double, (doublereal *)&alpha, (doublereal *)&beta)
GEMM(cblas_cgemm, cgemm_, void, const void *, (void *)alpha, (void *)beta)
GEMM(cblas_zgemm, zgemm_, void, const void *, (void *)alpha, (void *)beta)

/* ---- gemv: y = alpha·op(A)·x + beta·y --------------------------------------------------- */
#define REAL_GEMV(name, routine, T)                                                           \
    void CBLAS_FUNC(name)(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans,    \
                          const bint m, const bint n, const T alpha, const T *a,              \
                          const bint lda, const T *x, const bint incx, const T beta, T *y,    \
                          const bint incy)                                                    \
    {                                                                                         \
        integer mm = m, nn = n, la = lda, ix = incx, iy = incy;                              \
        T al = alpha, be = beta;                                                              \
        if (order == CblasColMajor) {                                                         \
            routine(letter(trans), &mm, &nn, &al, (T *)a, &la, (T *)x, &ix, &be, y, &iy);    \
        } else {                                                                              \
            routine(flipped(trans), &nn, &mm, &al, (T *)a, &la, (T *)x, &ix, &be, y, &iy);   \
        }                                                                                     \
    }

REAL_GEMV(cblas_sgemv, sgemv_, float)
REAL_GEMV(cblas_dgemv, dgemv_, double)

/* The first element of a vector of `count` elements with increment `inc` (BLAS convention:
   a negative increment walks the vector from its end). */
static bint start(bint count, bint inc)
{
    return inc > 0 ? 0 : (1 - count) * inc;
}

/* *out = alpha·(sr + i·si) + beta·*out; beta = 0 sets it (BLAS: *out is not read then). */
#define SCALE_ADD(out, alpha, sr, si, beta, R)                                                \
    do {                                                                                      \
        R tr_ = (alpha)->r * (sr) - (alpha)->i * (si);                                        \
        R ti_ = (alpha)->r * (si) + (alpha)->i * (sr);                                        \
        if ((beta)->r != 0 || (beta)->i != 0) {                                               \
            tr_ += (beta)->r * (out)->r - (beta)->i * (out)->i;                               \
            ti_ += (beta)->r * (out)->i + (beta)->i * (out)->r;                               \
        }                                                                                     \
        (out)->r = tr_;                                                                       \
        (out)->i = ti_;                                                                       \
    } while (0)

/* Row-major conjugate transpose: y[i] = alpha·Σⱼ conj(A[j][i])·x[j] + beta·y[i], i < n. */
#define CONJ_GEMV(name, T, R)                                                                 \
    static void name(bint m, bint n, const T *alpha, const T *a, bint lda, const T *x,       \
                     bint incx, const T *beta, T *y, bint incy)                               \
    {                                                                                         \
        bint i, j, kx = start(m, incx), ky = start(n, incy);                                 \
        for (i = 0; i < n; i++) {                                                             \
            R sr = 0, si = 0;                                                                 \
            T *yi = &y[ky + i * incy];                                                        \
            for (j = 0; j < m; j++) {                                                         \
                const T *aji = &a[j * lda + i], *xj = &x[kx + j * incx];                      \
                sr += aji->r * xj->r + aji->i * xj->i;                                        \
                si += aji->r * xj->i - aji->i * xj->r;                                        \
            }                                                                                 \
            SCALE_ADD(yi, alpha, sr, si, beta, R);                                            \
        }                                                                                     \
    }

CONJ_GEMV(row_conj_cgemv, singlecomplex, real)
CONJ_GEMV(row_conj_zgemv, doublecomplex, doublereal)

#define COMPLEX_GEMV(name, routine, conj, T)                                                  \
    void CBLAS_FUNC(name)(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans,    \
                          const bint m, const bint n, const void *alpha, const void *a,       \
                          const bint lda, const void *x, const bint incx, const void *beta,   \
                          void *y, const bint incy)                                           \
    {                                                                                         \
        integer mm = m, nn = n, la = lda, ix = incx, iy = incy;                              \
        if (order == CblasColMajor) {                                                         \
            routine(letter(trans), &mm, &nn, (T *)alpha, (T *)a, &la, (T *)x, &ix,           \
                    (T *)beta, (T *)y, &iy);                                                  \
        } else if (trans == CblasConjTrans) {                                                 \
            conj(m, n, alpha, a, lda, x, incx, beta, y, incy);                                \
        } else {                                                                              \
            routine(flipped(trans), &nn, &mm, (T *)alpha, (T *)a, &la, (T *)x, &ix,          \
                    (T *)beta, (T *)y, &iy);                                                  \
        }                                                                                     \
    }

COMPLEX_GEMV(cblas_cgemv, cgemv_, row_conj_cgemv, singlecomplex)
COMPLEX_GEMV(cblas_zgemv, zgemv_, row_conj_zgemv, doublecomplex)

/* ---- syrk: C = alpha·op(A)·op(A)ᵀ + beta·C, on one triangle of C ------------------------ */
#define REAL_SYRK(name, routine, T)                                                           \
    void CBLAS_FUNC(name)(const enum CBLAS_ORDER order, const enum CBLAS_UPLO uplo,          \
                          const enum CBLAS_TRANSPOSE trans, const bint n, const bint k,       \
                          const T alpha, const T *a, const bint lda, const T beta, T *c,      \
                          const bint ldc)                                                     \
    {                                                                                         \
        integer nn = n, kk = k, la = lda, lc = ldc;                                          \
        T al = alpha, be = beta;                                                              \
        if (order == CblasColMajor) {                                                         \
            routine(triangle(uplo, 0), letter(trans), &nn, &kk, &al, (T *)a, &la, &be, c,    \
                    &lc);                                                                     \
        } else {                                                                              \
            routine(triangle(uplo, 1), flipped(trans), &nn, &kk, &al, (T *)a, &la, &be, c,   \
                    &lc);                                                                     \
        }                                                                                     \
    }

REAL_SYRK(cblas_ssyrk, ssyrk_, float)
REAL_SYRK(cblas_dsyrk, dsyrk_, double)

/* The reference BLAS in lapack_lite has no complex syrk: written out, element by element. */
#define COMPLEX_SYRK(name, T, R)                                                              \
    void CBLAS_FUNC(name)(const enum CBLAS_ORDER order, const enum CBLAS_UPLO uplo,          \
                          const enum CBLAS_TRANSPOSE trans, const bint n, const bint k,       \
                          const void *alpha_, const void *a_, const bint lda,                 \
                          const void *beta_, void *c_, const bint ldc)                        \
    {                                                                                         \
        const T *alpha = alpha_, *beta = beta_, *a = a_;                                      \
        T *c = c_;                                                                            \
        int row = order == CblasRowMajor, plain = trans == CblasNoTrans;                      \
        bint i, j, l;                                                                         \
        for (j = 0; j < n; j++) {                                                             \
            bint from = uplo == CblasUpper ? 0 : j, to = uplo == CblasUpper ? j : n - 1;      \
            for (i = from; i <= to; i++) {                                                    \
                R sr = 0, si = 0;                                                             \
                for (l = 0; l < k; l++) {                                                     \
                    /* op(A)[i][l] and op(A)[j][l]: A is n×k, or k×n when transposed */      \
                    bint ri = plain ? i : l, ci = plain ? l : i;                              \
                    bint rj = plain ? j : l, cj = plain ? l : j;                              \
                    const T *p = row ? &a[ri * lda + ci] : &a[ri + ci * lda];                 \
                    const T *q = row ? &a[rj * lda + cj] : &a[rj + cj * lda];                 \
                    sr += p->r * q->r - p->i * q->i;                                          \
                    si += p->r * q->i + p->i * q->r;                                          \
                }                                                                             \
                T *cij = row ? &c[i * ldc + j] : &c[i + j * ldc];                             \
                SCALE_ADD(cij, alpha, sr, si, beta, R);                                       \
            }                                                                                 \
        }                                                                                     \
    }

COMPLEX_SYRK(cblas_csyrk, singlecomplex, real)
COMPLEX_SYRK(cblas_zsyrk, doublecomplex, doublereal)

/* ---- axpy: y = alpha·x + y; dot ----------------------------------------------------------- */
void CBLAS_FUNC(cblas_saxpy)(const bint n, const float alpha, const float *x, const bint incx,
                             float *y, const bint incy)
{
    integer nn = n, ix = incx, iy = incy;
    real al = alpha;
    saxpy_(&nn, &al, (real *)x, &ix, y, &iy);
}

void CBLAS_FUNC(cblas_daxpy)(const bint n, const double alpha, const double *x,
                             const bint incx, double *y, const bint incy)
{
    integer nn = n, ix = incx, iy = incy;
    doublereal al = alpha;
    daxpy_(&nn, &al, (doublereal *)x, &ix, y, &iy);
}

void CBLAS_FUNC(cblas_caxpy)(const bint n, const void *alpha, const void *x, const bint incx,
                             void *y, const bint incy)
{
    integer nn = n, ix = incx, iy = incy;
    caxpy_(&nn, (singlecomplex *)alpha, (singlecomplex *)x, &ix, y, &iy);
}

void CBLAS_FUNC(cblas_zaxpy)(const bint n, const void *alpha, const void *x, const bint incx,
                             void *y, const bint incy)
{
    integer nn = n, ix = incx, iy = incy;
    zaxpy_(&nn, (doublecomplex *)alpha, (doublecomplex *)x, &ix, y, &iy);
}

float CBLAS_FUNC(cblas_sdot)(const bint n, const float *x, const bint incx, const float *y,
                             const bint incy)
{
    integer nn = n, ix = incx, iy = incy;
    return (float)sdot_(&nn, (real *)x, &ix, (real *)y, &iy);
}

double CBLAS_FUNC(cblas_ddot)(const bint n, const double *x, const bint incx, const double *y,
                              const bint incy)
{
    integer nn = n, ix = incx, iy = incy;
    return ddot_(&nn, (doublereal *)x, &ix, (doublereal *)y, &iy);
}

#define COMPLEX_DOT(name, routine, T)                                                         \
    void CBLAS_FUNC(name)(const bint n, const void *x, const bint incx, const void *y,       \
                          const bint incy, void *result)                                      \
    {                                                                                         \
        integer nn = n, ix = incx, iy = incy;                                                \
        routine((T *)result, &nn, (T *)x, &ix, (T *)y, &iy);                                  \
    }

COMPLEX_DOT(cblas_cdotu_sub, cdotu_, singlecomplex)
COMPLEX_DOT(cblas_cdotc_sub, cdotc_, singlecomplex)
COMPLEX_DOT(cblas_zdotu_sub, zdotu_, doublecomplex)
COMPLEX_DOT(cblas_zdotc_sub, zdotc_, doublecomplex)
