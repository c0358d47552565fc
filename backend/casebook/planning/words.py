"""Plain words for everything a person reads in a plan: country names, partner types and roles, dates,
lists. A plan's text never shows a code, a slug or a field name; these helpers are the one place that
turns them into words (the JSON keeps the codes in their own fields for machines)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pycountry

from casebook.domain.slugwords import slug_words

PARTNER_TYPES = {
    "business-multinational": "multinational company", "business-domestic": "national company",
    "business-sme": "small or medium business", "government-national": "national government",
    "government-subnational": "regional government", "government-local": "local government",
    "community": "community", "civil-society": "civil-society organisation", "un-agency": "UN agency",
    "donor": "donor", "academia": "university or research institute", "media": "media organisation",
    "faith-based": "faith-based organisation",
}
ROLES = {
    "company": "company", "dynamiser": "dynamiser (convenor)", "facilitator": "facilitator",
    "convener": "convenor", "local-government": "local government", "national-government": "national government",
    "un-agency": "UN agency", "community-organisation": "community organisation", "funder": "funder",
    "implementer": "implementer", "technical-advisor": "technical adviser", "knowledge-partner": "knowledge partner",
    "monitor": "monitor", "beneficiary": "beneficiary community",
}
FIELDS = {
    "trust": "trust", "power_asymmetry": "power asymmetry", "conflict": "conflict",
    "state_capacity": "state capacity", "dependence_on_single_company": "dependence on one company",
    "budget_commitment": "budget commitment", "legal_provisions": "legal provisions for partnering",
    "setting": "setting", "policy_frameworks": "policy frameworks", "population_groups": "population groups",
    "human_security": "human security", "sectors": "sector", "country": "country", "locality": "locality",
    "scenarios": "purpose", "challenges": "challenges", "sdgs": "SDGs", "partners": "partner types",
    "tools": "tools",
}


def country(code: str | None) -> str:
    """'PE' -> 'Peru'; None -> 'several countries'. An unknown code is returned as given."""
    if not code:
        return "several countries"
    found = pycountry.countries.get(alpha_2=str(code).upper())
    if found is None:
        return str(code)
    return getattr(found, "common_name", None) or found.name


def cap(text: Any) -> str:
    """The first letter upper case, the rest as written (Jinja's `capitalize` lowers "UN agency" to "Un agency")."""
    text = str(text or "")
    return text[:1].upper() + text[1:]


def verb(name: str) -> str:
    """'is' or 'are' after a field name in words ('population groups are', 'trust is', 'legal provisions for
    partnering are'): the head noun decides, not the last word."""
    head = name.split(" for ")[0].split(" of ")[0].split(" on ")[0]
    return "are" if head.endswith("s") and not head.endswith("ss") else "is"


def partner_type(value: str | None) -> str:
    return PARTNER_TYPES.get(value or "", slug_words(value or "partner"))


def role(value: str) -> str:
    return ROLES.get(value, PARTNER_TYPES.get(value, slug_words(value)))


def field(name: str) -> str:
    return FIELDS.get(name, slug_words(name))


def listing(values: list[str], conj: str = "and") -> str:
    """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
    shown = [v for v in values if v]
    if not shown:
        return ""
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" {conj} " + shown[-1]


def day(value: Any) -> str:
    """A date or timestamp (ISO text or object) as '1 December 2026'."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, datetime | date):
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return str(value)


def sentence(text: str) -> str:
    """Capital first letter, one final full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def short_title(title: str, limit: int = 120) -> str:
    """A case title short enough to cite inline: up to the first colon or bracket, cut at a word."""
    head = title.split(":")[0].split(" (")[0].strip()
    if len(head) <= limit:
        return head
    return head[:limit].rsplit(" ", 1)[0] + "…"


def partner_name(name: str) -> str:
    """A partner's name for prose, without the editors' note that the source does not name it."""
    return name.replace(" (not named in the source)", "").strip()


def first_sentence(text: str, limit: int = 220) -> str:
    """A text's first sentence, cut at a word and ended with "…" past `limit` characters (else with a full stop)."""
    first = re.split(r"(?<=[a-z)])\.\s", " ".join(str(text).split()), maxsplit=1)[0].strip().rstrip(".")
    return first + "." if len(first) <= limit else first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
