"""Other registries whose records import as cases, and reading one of their files (casebook.importers):
what `casebook import` offers. Writing the converted documents is services.library.import_documents."""

from __future__ import annotations

from casebook.importers.pipeline import Registry, convert, count_records
from casebook.importers.un_registry import UN_REGISTRY
from casebook.importers.undp_south_south import UNDP_SOUTH_SOUTH

__all__ = ["UNDP_SOUTH_SOUTH", "UN_REGISTRY", "Registry", "convert", "count_records"]
