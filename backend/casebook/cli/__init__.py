"""The `casebook` command line: the same services as the API, run as the machine's operator."""

import casebook.threads  # noqa: F401  (one numeric thread per worker, before numpy loads)
