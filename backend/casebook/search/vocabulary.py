"""The synonyms both backends share: search/synonyms.json plus groups generated at run time.

Generated: English country names <-> ISO 3166-1 alpha-2 codes (from pycountry; codes that are also
common English words, such as IN, IT or NO, are left out so "in" never means India), and SDG
numbers <-> goal names ("sdg 16" <-> "peace justice and strong institutions").
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

import pycountry

from casebook.domain.vocabulary import SDG_NAMES
from casebook.settings import SEARCH_CONFIG_DIR

# Alpha-2 codes that are everyday English words (or abbreviations): never expanded to a country.
WORD_CODES = frozenset("am an as at be by do go id in is it me my no of on or pr so to up us we na ad ai pe".split())
WORD = re.compile(r"\w+")


def fold(text: str) -> list[str]:
    """The words of `text` as the index sees them: lower case, accents removed (like tantivy's ascii_fold)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return [w for w in WORD.findall(plain.lower()) if len(w) < 40]


def phrase(text: str) -> str:
    return " ".join(fold(text))


def country_names(code: str) -> list[str]:
    """Every English name pycountry knows for a code: name, common and official names, short form."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return []
    names = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
    if "," in country.name:
        names.append(country.name.split(",")[0])
    return list(dict.fromkeys(n for n in names if n))


def sdg_label(goal: int) -> str:
    return f"SDG {goal} {SDG_NAMES[goal]}"


def _country_groups() -> list[list[str]]:
    groups = []
    for country in pycountry.countries:
        group = [phrase(n) for n in country_names(country.alpha_2)]
        if country.alpha_2.lower() not in WORD_CODES:
            group.append(country.alpha_2.lower())
        groups.append(list(dict.fromkeys(group)))
    return groups


def _sdg_groups() -> list[list[str]]:
    return [[f"sdg {n}", f"sdg{n}", f"goal {n}", phrase(name)] for n, name in SDG_NAMES.items()]


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """All groups, each a tuple of folded phrases; a phrase in a group stands for every other one."""
    static = json.loads((SEARCH_CONFIG_DIR / "synonyms.json").read_text(encoding="utf-8"))["groups"]
    groups = [[phrase(p) for p in g] for g in static] + _country_groups() + _sdg_groups()
    return tuple(tuple(dict.fromkeys(p for p in g if p)) for g in groups if len(g) > 1)


@lru_cache(maxsize=1)
def synonym_index() -> dict[tuple[str, ...], frozenset[str]]:
    """Phrase (as a word tuple) -> the phrases it can be replaced by (itself included)."""
    index: dict[tuple[str, ...], set[str]] = {}
    for group in synonym_groups():
        for p in group:
            index.setdefault(tuple(p.split()), set()).update(group)
    return {k: frozenset(v) for k, v in index.items()}


def meili_synonyms() -> dict[str, list[str]]:
    """The same groups in Meilisearch's shape: each phrase -> every other phrase of its groups."""
    return {" ".join(k): sorted(v - {" ".join(k)}) for k, v in synonym_index().items()}
