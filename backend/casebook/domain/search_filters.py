"""What a search may be filtered by: the facet names and the kinds of document, shared by the search engine,
its service and the command line (which builds its options from them before any engine is loaded)."""

from __future__ import annotations

# Facet name (API, CLI, documents) in display order.
FACETS = ("kind", "country", "region", "sector", "sdg", "scenario", "human_security", "scaling", "status",
          "evidence_level")
KINDS = ("case", "lesson", "block")  # a block is a building block of a case (search/documents.py)
