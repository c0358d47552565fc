"""The `casebook` command line: the same services as the API, run as the machine's operator."""
