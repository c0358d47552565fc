"""The fixed vocabulary of shared/DESIGN.md, as Python constants shared by every layer."""

from __future__ import annotations

VISIBILITIES = ("private", "network", "public")
ROLES = ("viewer", "editor", "admin")
TENANT_KINDS = ("organisation", "network")
STATUSES = ("proposed", "active", "completed", "scaled", "terminated")
EVIDENCE_LEVELS = ("self-reported", "documented", "independently-evaluated")

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
