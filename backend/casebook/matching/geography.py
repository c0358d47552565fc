"""Geographic closeness from the UN M49 hierarchy: same country > same sub-region > same region.

The table is the UN Statistics Division's M49 standard (unstats.un.org/unsd/methodology/m49), as
published in lukes/ISO-3166-Countries-with-Regional-Codes (all/all.csv). Where M49 has an
intermediate region (South America inside Latin America and the Caribbean, Eastern Africa inside
Sub-Saharan Africa) we keep it as a finer level, because Kenya and Nigeria are further apart than
Chile and Peru. Simplification: the Channel Islands are kept in Northern Europe.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

REGIONS = {"002": "Africa", "019": "Americas", "142": "Asia", "150": "Europe", "009": "Oceania"}

# sub-region code -> (name, region code)
SUB_REGIONS = {
    "015": ("Northern Africa", "002"), "202": ("Sub-Saharan Africa", "002"),
    "419": ("Latin America and the Caribbean", "019"), "021": ("Northern America", "019"),
    "143": ("Central Asia", "142"), "030": ("Eastern Asia", "142"), "035": ("South-eastern Asia", "142"),
    "034": ("Southern Asia", "142"), "145": ("Western Asia", "142"),
    "151": ("Eastern Europe", "150"), "154": ("Northern Europe", "150"), "039": ("Southern Europe", "150"),
    "155": ("Western Europe", "150"),
    "053": ("Australia and New Zealand", "009"), "054": ("Melanesia", "009"), "057": ("Micronesia", "009"),
    "061": ("Polynesia", "009"),
}

# intermediate region code -> (name, sub-region code)
INTERMEDIATE = {
    "014": ("Eastern Africa", "202"), "017": ("Middle Africa", "202"), "018": ("Southern Africa", "202"),
    "011": ("Western Africa", "202"), "029": ("Caribbean", "419"), "013": ("Central America", "419"),
    "005": ("South America", "419"),
}

# finest M49 group -> ISO 3166-1 alpha-2 members
MEMBERS = {
    "015": "DZ EG LY MA SD TN EH",
    "014": "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW",
    "017": "AO CM CF TD CG CD GQ GA ST",
    "018": "BW SZ LS NA ZA",
    "011": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    "029": "AI AG AW BS BB BQ KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VG VI",
    "013": "BZ CR SV GT HN MX NI PA",
    "005": "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    "021": "BM CA GL PM US",
    "143": "KZ KG TJ TM UZ",
    "030": "CN HK JP KP KR MO MN TW",
    "035": "BN KH ID LA MY MM PH SG TH TL VN",
    "034": "AF BD BT IN IR MV NP PK LK",
    "145": "AM AZ BH CY GE IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "151": "BY BG CZ HU MD PL RO RU SK UA",
    "154": "AX DK EE FO FI GG JE IS IE IM LV LT NO SJ SE GB",
    "039": "AL AD BA HR GI GR VA IT MK MT ME PT SM RS SI ES",
    "155": "AT BE FR DE LI LU MC NL CH",
    "053": "AU CX CC HM NZ NF",
    "054": "FJ NC PG SB VU",
    "057": "GU KI MH FM NR MP PW UM",
    "061": "AS CK PF NU PN WS TK TO TV WF",
}

# Credit for each level of closeness (documented defaults; see weights.py for the facet weight).
SAME_COUNTRY, SAME_INTERMEDIATE, SAME_SUB_REGION, SAME_REGION = 1.0, 0.7, 0.5, 0.25


@dataclass(frozen=True)
class Place:
    country: str
    intermediate: str | None
    sub_region: str | None
    region: str | None


@lru_cache(maxsize=1)
def _places() -> dict[str, Place]:
    out = {}
    for group, codes in MEMBERS.items():
        if group in INTERMEDIATE:
            intermediate, sub = group, INTERMEDIATE[group][1]
        else:
            intermediate, sub = None, group
        for code in codes.split():
            out[code] = Place(code, intermediate, sub, SUB_REGIONS[sub][1])
    return out


def place(country: str | None) -> Place | None:
    return _places().get(country.upper()) if country else None


def known(country: str) -> bool:
    return place(country) is not None


def closeness(a: str | None, b: str | None) -> tuple[float, str | None]:
    """(credit, level name) for two countries; (0, None) when either is unknown or they share nothing."""
    pa, pb = place(a), place(b)
    if pa is None or pb is None:
        return 0.0, None
    if pa.country == pb.country:
        return SAME_COUNTRY, "country"
    if pa.intermediate and pa.intermediate == pb.intermediate:
        return SAME_INTERMEDIATE, INTERMEDIATE[pa.intermediate][0]
    if pa.sub_region == pb.sub_region:
        return SAME_SUB_REGION, SUB_REGIONS[pa.sub_region][0]
    if pa.region == pb.region:
        return SAME_REGION, REGIONS[pa.region]
    return 0.0, None


def codes(country: str | None) -> tuple[str, str, str, str]:
    """Country, intermediate, sub-region and region codes ('' when unknown), for vectorised comparison."""
    p = place(country)
    if p is None:
        return ("", "", "", "")
    return (p.country, p.intermediate or "", p.sub_region or "", p.region or "")
