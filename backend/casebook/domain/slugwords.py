"""A vocabulary slug in words, for every text a person reads ('campesino-communities' -> 'campesino communities').

One place for the planner and the matcher's explanations, because a plain replace of '-' by ' ' broke the
compounds the slugs spell with a hyphen ('post-conflict', 'ex-combatants', 'peri-urban' became 'post conflict'…).
A value with a space in it is already words (a challenge the user typed, 'youth out-migration') and is kept.
"""

from __future__ import annotations

from typing import Any

# Slugs whose words are not just the slug's parts (a conjunction the slug leaves out, an acronym, a compound).
SLUG_WORDS = {"company-community-relations": "company-community relations",
              "enhance-csr-programme": "enhancing a CSR programme", "sustain-un-programmes": "sustaining UN programmes",
              "water-sanitation": "water and sanitation", "in-kind-donation": "in-kind donation",
              "stand-by-agreement": "stand-by agreement", "sdg-mapping": "SDG mapping",
              "sdg-monitoring": "SDG monitoring", "ict": "ICT", "ict-platform": "ICT platform",
              "un-agency": "UN agency"}
# Prefixes English writes with a hyphen: the hyphen after them stays ('post-conflict', 'out-migration').
HYPHENATED = frozenset({"ex", "post", "pre", "peri", "non", "self", "co", "out", "micro", "multi", "cross", "anti",
                        "semi", "mid", "well", "quasi"})


def slug_words(value: Any) -> str:
    """'campesino-communities' -> 'campesino communities'; 'post-conflict' stays; 'youth out-migration' stays."""
    text = str(value).strip()
    if text in SLUG_WORDS:
        return SLUG_WORDS[text]
    if any(ch.isspace() for ch in text):
        return text
    parts = [p for p in text.replace("_", "-").split("-") if p]
    out = parts[:1]
    for before, part in zip(parts, parts[1:], strict=False):
        out.append(("-" if before.casefold() in HYPHENATED else " ") + part)
    return "".join(out)
