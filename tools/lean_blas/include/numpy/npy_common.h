/* What NumPy's f2c.h and npy_cblas.h take from numpy/npy_common.h, for the lean BLAS
   (tools/lean_blas), which is built without NumPy's generated configuration headers. */
#ifndef LEAN_BLAS_NPY_COMMON_H_
#define LEAN_BLAS_NPY_COMMON_H_
#include <stdint.h>
typedef int64_t npy_int64;
typedef intptr_t npy_intp;
#define NPY_MAX_INT64 INT64_MAX
#define NPY_MAX_INTP INTPTR_MAX
#endif
