"""One thread per worker for the numeric libraries (BLAS, OpenMP): set before numpy is first imported.

With two BLAS threads on a 2-core machine, a match's p95 at 3,850 cases rose from 6.9 ms to 37.6 ms
whenever the other core was busy (issue 14): the server already runs requests and the matcher's
worker side by side, so threads inside one matrix product only fight them. An operator may still
choose otherwise by setting the variables before starting.
"""

from __future__ import annotations

import os
import sys

VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def pin() -> None:
    """Sets each variable unless already set; if numpy is already loaded (an embedding program),
    limits its pools at run time instead."""
    for name in VARIABLES:
        os.environ.setdefault(name, "1")
    if "numpy" in sys.modules:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=int(os.environ["OMP_NUM_THREADS"]))


pin()  # importing this module is the pin: the server (app.py) and the CLI (cli/__init__.py) import it first
