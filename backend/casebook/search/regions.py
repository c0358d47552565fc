"""UN M49 regions and sub-regions by ISO 3166-1 alpha-2 code: a small table, not a dependency.

Source: the UN Statistics Division's M49 standard ("Standard country or area codes for statistical
use"). Sub-Saharan Africa and Latin America and the Caribbean are M49 intermediate groupings.
"""

from __future__ import annotations

_SUBREGIONS: dict[tuple[str, str], str] = {
    ("Africa", "Northern Africa"): "DZ EG LY MA SD TN EH",
    ("Africa", "Sub-Saharan Africa"): (
        "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW AO CM CF TD CG CD GQ GA ST "
        "BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"),
    ("Americas", "Latin America and the Caribbean"): (
        "AI AG AR AW BS BB BZ BO BQ BV BR VG KY CL CO CR CU CW DM DO EC SV FK GF GD GP GT GY HT HN JM MQ "
        "MX MS NI PA PY PE PR BL KN LC MF VC SX GS SR TT TC UY VE VI"),
    ("Americas", "Northern America"): "BM CA GL PM US",
    ("Asia", "Central Asia"): "KZ KG TJ TM UZ",
    ("Asia", "Eastern Asia"): "CN HK MO KP JP MN KR TW",
    ("Asia", "South-eastern Asia"): "BN KH ID LA MY MM PH SG TH TL VN",
    ("Asia", "Southern Asia"): "AF BD BT IN IR MV NP PK LK",
    ("Asia", "Western Asia"): "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    ("Europe", "Eastern Europe"): "BY BG CZ HU PL MD RO RU SK UA",
    ("Europe", "Northern Europe"): "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB",
    ("Europe", "Southern Europe"): "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES",
    ("Europe", "Western Europe"): "AT BE FR DE LI LU MC NL CH",
    ("Oceania", "Australia and New Zealand"): "AU CX CC HM NZ NF",
    ("Oceania", "Melanesia"): "FJ NC PG SB VU",
    ("Oceania", "Micronesia"): "GU KI MH FM NR MP PW UM",
    ("Oceania", "Polynesia"): "AS CK PF NU PN WS TK TO TV WF",
}

REGION_OF: dict[str, tuple[str, str]] = {
    code: key for key, codes in _SUBREGIONS.items() for code in codes.split()
}
REGION_NAMES: tuple[str, ...] = tuple(sorted({n for key in _SUBREGIONS for n in key}))


def regions_of(country: str) -> list[str]:
    """BA -> ["Europe", "Southern Europe"]; unknown codes (AQ) -> []."""
    return list(REGION_OF.get(country.upper(), ()))
