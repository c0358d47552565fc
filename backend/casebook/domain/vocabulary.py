"""The fixed vocabulary of shared/DESIGN.md, as Python constants shared by every layer."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from casebook.domain.paths import CASES_DIR

VISIBILITIES = ("private", "network", "public")
ROLES = ("viewer", "editor", "admin")
TENANT_KINDS = ("organisation", "network")
STATUSES = ("proposed", "active", "completed", "scaled", "terminated")
EVIDENCE_LEVELS = ("self-reported", "documented", "independently-evaluated")

SDG_NAMES = {  # the 17 Sustainable Development Goals by number
    1: "No poverty", 2: "Zero hunger", 3: "Good health and well-being", 4: "Quality education",
    5: "Gender equality", 6: "Clean water and sanitation", 7: "Affordable and clean energy",
    8: "Decent work and economic growth", 9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities", 11: "Sustainable cities and communities",
    12: "Responsible consumption and production", 13: "Climate action", 14: "Life below water",
    15: "Life on land", 16: "Peace, justice and strong institutions", 17: "Partnerships for the goals",
}

SCALING_DIMENSIONS = ("social", "physical", "political", "conceptual")
HUMAN_SECURITY = ("economic", "food", "health", "environmental", "personal", "community", "political")
PRINCIPLES = ("locally-driven", "inclusive", "forward-looking", "trust-transparency", "sharing")
RISK_AREAS = ("reputation", "autonomy", "conflict-of-interest", "resource-drain", "implementation")
PARTNER_TYPES = (
    "business-multinational", "business-domestic", "business-sme", "government-national",
    "government-subnational", "government-local", "community", "civil-society", "un-agency",
    "donor", "academia", "media", "faith-based", "unknown",
)
UNKNOWN_PARTNER_TYPE = "unknown"  # the source does not say; pages show "type not recorded"

MSP_MODULES = {
    "A": ("Initiation", (1, 2, 3)),
    "B": ("Formation", (4, 5, 6)),
    "C": ("Managing implementation", (7, 8)),
    "D": ("Review", (9, 10)),
    "E": ("Reinvent or sustain", (11, 12)),
}
MSP_STEPS = {
    1: "getting-started", 2: "agenda-setting-and-scoping", 3: "building-relationships",
    4: "planning", 5: "structuring", 6: "mobilising", 7: "delivering", 8: "measuring-progress",
    9: "reviewing", 10: "revising", 11: "scaling-up", 12: "moving-on",
}

# Ordinal scales of the context fields: position = degree. Used for filters, matching and planning.
CONTEXT_SCALES: dict[str, tuple[str, ...]] = {
    "conflict": ("none", "latent", "post-conflict", "active"),
    "state_capacity": ("low", "medium", "high"),
    "trust": ("low", "medium", "high"),
    "power_asymmetry": ("low", "medium", "high"),
    "dependence_on_single_company": ("low", "medium", "high"),
    "setting": ("rural", "peri-urban", "urban", "mixed"),
    "legal_provisions": ("weak", "moderate", "strong"),
    "budget_commitment": ("none", "partial", "secured"),
}

# Case fields a list can be filtered on, and the facet name they are stored under.
LIST_FILTERS = {"country": "country", "sector": "sectors", "sdg": "sdgs", "scenario": "scenarios",
                "status": "status"}

VOCABULARY_FILE = CASES_DIR / "vocabulary.yaml"
TAXONOMY_FACETS = ("sectors", "scenarios", "population_groups")


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, dict[str, dict[str, Any]]]:
    """facet -> group -> {credit, members}, from the `taxonomy` section of cases/vocabulary.yaml."""
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8")) or {}
    return {facet: {name: {"credit": float(g["credit"]), "members": tuple(g["members"])}
                    for name, g in (data.get("taxonomy") or {}).get(facet, {}).items()}
            for facet in TAXONOMY_FACETS}


@lru_cache(maxsize=4096)
def _related(facet: str, value: str) -> tuple[tuple[str, float, str], ...]:
    best: dict[str, tuple[float, str]] = {}
    for name, group in taxonomy().get(facet, {}).items():
        if value in group["members"]:
            for other in group["members"]:
                if other != value and group["credit"] > best.get(other, (0.0, ""))[0]:
                    best[other] = (group["credit"], name)
    return tuple(sorted(((k, c, g) for k, (c, g) in best.items()), key=lambda t: (-t[1], t[0])))


def related_terms(facet: str, value: str) -> dict[str, float]:
    """The values related to `value` in a facet's taxonomy, with the partial credit each earns (the best
    group they share); the value itself is not included. For matching, search synonyms and the planner:
    related_terms("sectors", "mining") -> {"natural-resources": 0.6, ..., "steel": 0.5, ...}."""
    return {k: c for k, c, _ in _related(facet, value)}


def related_group(facet: str, a: str, b: str) -> str | None:
    """The group that relates two values (for explanations: 'steel ~ mining: heavy industry')."""
    return next((g for k, _, g in _related(facet, a) if k == b), None)
