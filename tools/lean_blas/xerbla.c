/* LAPACK's error handler, for the lean BLAS (tools/lean_blas). NumPy's python_xerbla.c raises
   a Python ValueError; OpenBLAS, which this library stands in for, prints a line and returns,
   and so does this one. NumPy's callers check INFO themselves and never pass a bad argument. */
#include <stdio.h>

#include "f2c.h"

int xerbla_(char *srname, integer *info)
{
    int len = 0;

    while (len < 6 && srname[len] != '\0') {
        len++;
    }
    while (len && srname[len - 1] == ' ') {
        len--;
    }
    fprintf(stderr, " ** On entry to %.*s parameter number %d had an illegal value\n", len,
            srname, (int)*info);
    return 0;
}
