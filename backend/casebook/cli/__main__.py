"""`python -m casebook.cli` runs the same command as `casebook`."""

from casebook.cli.main import cli

cli()
