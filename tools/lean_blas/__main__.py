import sys

from tools.lean_blas import main

sys.exit(main(sys.argv[1:]))
