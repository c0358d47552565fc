"""Importers that turn other registries' records into case documents."""
