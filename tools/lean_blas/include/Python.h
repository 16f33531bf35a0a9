/* The lean BLAS (tools/lean_blas) is plain C: NumPy's f2c.h includes Python.h, and nothing of
   Python is used once python_xerbla.c is left out (xerbla.c stands in for it). */
#include <stddef.h>
