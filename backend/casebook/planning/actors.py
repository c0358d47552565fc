"""The actors a target names in its own words ("the mine", "the regional government", "campesino communities",
"the Ministry of Health"): who the user already knows must be at the table.

`named_actors` finds them in the target's goals and summary, in the user's own words, each with the partner
types that fit it, so the partner map can give each a role and the brief can invite them first. The kinds are
the HSBP step 4 stakeholders (companies, governments at each level, communities, civil society, faith groups,
universities, UN agencies); a phrase is kept as the user wrote it, never replaced by a type name.
"""

from __future__ import annotations

import re
from typing import Any

BUSINESS = ("business-multinational", "business-domestic", "business-sme")
# (pattern, partner types that fit the actor), in the order a phrase is tried; the first kind that matches
# a phrase wins. Patterns match a whole noun phrase with its article and capitalised name words.
_NAME = r"(?:[A-Z][\w'’-]*\s+){0,4}"
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (rf"\b(?:the\s+)?{_NAME}(?:Ministry|Ministries|Department|Secretariat)\s+of\s+(?:the\s+)?[A-Z][\w'’-]*"
     r"(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*", ("government-national",)),
    (r"\b(?:the\s+)?(?:national\s+government|central\s+government|federal\s+government|ministry)\b",
     ("government-national",)),
    (r"\b(?:the\s+)?(?:regional|state|provincial|departmental)\s+governments?\b", ("government-subnational",)),
    (r"\b(?:the\s+)?(?:local\s+government(?:\s+areas?|s)?|municipalit(?:y|ies)|district\s+councils?|"
     r"councils?|mayors?|local\s+authorit(?:y|ies))\b", ("government-local",)),
    (r"\b(?:the\s+)?(?:local\s+)?(?:businesses|business\s+community|chamber\s+of\s+commerce)\b",
     ("business-domestic", "business-sme")),
    (rf"\b(?:(?:the|a|an)\s+)?{_NAME}(?:[a-z]+-[a-z]+\s+)?(?:mining\s+company|mine|company|companies|concession\s+holders?|concessionaires?|"
     r"steelworks|operators?|plantation\s+company|smelter)\b", ("business-multinational", "business-domestic")),
    (r"\b(?:religious(?:\s+and\s+traditional)?\s+leaders|churches|mosques|faith\s+(?:groups|leaders|"
     r"organi[sz]ations))\b", ("faith-based",)),
    (r"\b(?:traditional\s+(?:and\s+religious\s+)?leaders|chiefs|elders)\b", ("community",)),
    (rf"\b(?:the\s+)?{_NAME}Parliament\b", ("community",)),  # an indigenous people's elected body (Sami Parliament)
    (r"\b(?:the\s+)?(?:[a-z-]+\s+)?(?:communities|community|residents|villagers|landowning\s+families|"
     r"landowners|indigenous\s+peoples?|fishers|fishermen|herders|smallholders)\b", ("community",)),
    (r"\b(?:NGOs?|civil[- ]society(?:\s+organi[sz]ations?)?|women's\s+groups|youth\s+groups)\b", ("civil-society",)),
    (r"\b(?:the\s+)?(?:universit(?:y|ies)|research\s+institutes?)\b", ("academia",)),
    (r"\b(?:UNICEF|UNDP|WHO|UN\s+agenc(?:y|ies)|United\s+Nations)\b", ("un-agency",)),
)
_COMPILED = tuple((re.compile(p), types) for p, types in KINDS)
# Words before a community noun that are not part of the actor ("with the communities", "for communities").
_NOT_ADJECTIVE = frozenset("the a an and or of with for to by from between among their its our all affected "
                           "local".split())


def _tidy(phrase: str) -> str:
    words = phrase.split()
    if words[0].casefold() in ("a", "an"):  # "a palm-oil company" in the summary is "the palm-oil company" here
        words[0] = "the"
    while len(words) > 1 and words[0].casefold() in _NOT_ADJECTIVE - {"the", "affected", "local"}:
        words.pop(0)
    return " ".join(words)


def named_actors(target: dict[str, Any]) -> list[dict[str, Any]]:
    """[{phrase, types, where}] in the order the target names them (goals first, then summary); one entry per
    kind of actor, the first phrase that names it ("the mine" and "the company" are one actor)."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    for where in ("goals", "summary"):
        text = str(target.get(where) or "")
        found: list[tuple[int, str, tuple[str, ...]]] = []
        taken: list[range] = []
        for pattern, types in _COMPILED:
            for m in pattern.finditer(text):
                if any(m.start() in r or m.end() - 1 in r for r in taken):
                    continue
                taken.append(range(m.start(), m.end()))
                found.append((m.start(), _tidy(m.group(0).strip()), types))
        for _, phrase, types in sorted(found):
            if types in seen:
                continue
            seen.add(types)
            out.append({"phrase": phrase, "types": list(types), "where": "goals" if where == "goals" else
                        "description"})
    return out
