"""UNDP South-South cooperation projects (the 2023 CSV of the South-South Galaxy visualisation) -> cases.

Columns read: Number, Project Name, Links, Description, host and provider countries (ISO 3166-1
alpha-3 lists), Regions Involved, the implementing or supporting entities (a comma list, sometimes
prose), private-sector and LDC flags, UNDP as implementor or donor, start and end years, thematic and
sub-thematic areas, primary and secondary SDGs.

Mapping: the host country is the case's country (several hosts: `countries`), provider countries join
`countries`; entities become partners: a country or "Government of ..." is a national government, a
UN entity a UN agency, anything else `unknown` (the file gives no types); UNDP's own role is its
partner contribution. Themes and sub-themes become sector slugs; the provider countries, regions,
LDC and private-sector flags a closing paragraph of the summary. Every record is self-reported.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casebook.domain.numbers import is_digits
from casebook.domain.vocabulary import UNKNOWN_PARTNER_TYPE
from casebook.importers.pipeline import (
    Record,
    Registry,
    clean,
    country_code,
    partner_list,
    period,
    place,
    record_slug,
    slugify,
    status,
    year,
)

REQUIRED = ("Number", "Project Name", "Description", "Host/Recipient Country/ies", "Provider Country/ies")
ENTITIES = "Entity/ies Supporting and/or Implementing"
UN_ENTITY = re.compile(r"^(un[a-z-]*|united nations\b.*|who|fao|ilo|ifad|wfp|unicef|unesco|unido|unfpa|unhcr|"
                       r"ohchr|iom|itu|escap|eca|eclac|escwa|world bank.*|undp .*)$", re.I)
GOVERNMENT = re.compile(r"^(the )?(government|ministry|republic) of\b", re.I)
THEME_SLUGS = {"Agriculture and Food Security": "food-security", "Health": "health", "Energy": "energy",
               "Environment": "environment", "Digitalization": "ict", "Governance": "public-administration"}
MAX_ENTITY = 120  # longer items are prose about the entities, kept in the summary instead
SDG = re.compile(r"SDG\s*(\d{1,2})", re.I)


def _yes(value: Any) -> bool:
    return str(value or "").strip().upper() == "YES"


def _codes(value: Any) -> list[str]:
    return [c for c in (country_code(v.strip()) for v in str(value or "").split(",")) if c]


def entity_type(name: str) -> str:
    if UN_ENTITY.match(name) or "(UNDP)" in name:
        return "un-agency"
    if GOVERNMENT.match(name) or country_code(name):
        return "government-national"
    return UNKNOWN_PARTNER_TYPE


def entities(value: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """(partners, prose): the comma list's names with their types, and items too long to be names."""
    partners, prose = [], []
    for item in str(value or "").split(","):
        name = re.sub(r"^(and |the )+", "", clean(item, 1000), flags=re.I).strip(" .;")
        if not name:
            continue
        if len(name) > MAX_ENTITY:
            prose.append(name)
        else:
            partners.append((name, entity_type(name)))
    return partners, prose


def _undp(record: Record) -> dict[str, str] | None:
    roles = [r for r, column in (("implementer", "UNDP as Implementor"), ("donor", "UNDP as Donor"))
             if str(record.get(column) or "").strip()]
    if not roles:
        return None
    return {"name": "UNDP", "type": "un-agency", "contribution": f"UNDP as {' and '.join(roles)}"}


def to_case(record: Record, this_year: int) -> dict[str, Any]:
    number = str(record["Number"]).strip()
    title = clean(record.get("Project Name"), 200)
    if len(title) < 3:
        title = f"UNDP South-South project {number}"
    hosts, providers = _codes(record.get("Host/Recipient Country/ies")), _codes(record.get("Provider Country/ies"))
    start, end = year(record.get("Start year")), year(record.get("End year"))
    named, prose = entities(record.get(ENTITIES))
    partners = partner_list(named)
    undp = _undp(record)
    if undp:
        partners = [undp, *(p for p in partners if p["name"].lower() not in ("undp", "united nations development "
                                                                                     "programme (undp)"))]
    themes = [t.strip() for t in str(record.get("Thematic Areas") or "").split(",") if t.strip()]
    subthemes = [t.strip() for t in str(record.get("Sub-thematic areas") or "").split(",") if t.strip()]
    sectors = list(dict.fromkeys(s for s in (THEME_SLUGS.get(t) or slugify(t) for t in themes + subthemes) if s))
    goals = sorted({int(g) for g in SDG.findall(f"{record.get('Primary SDG Contribution') or ''} "
                                                f"{record.get('Secondary SDG Contribution') or ''}")
                    if 1 <= int(g) <= 17})
    facts = [
        f"Provider countries: {', '.join(providers)}." if providers else "",
        f"Regions involved: {clean(record.get('Regions Involved'), 300)}." if record.get("Regions Involved") else "",
        "The private sector is involved." if _yes(record.get("Is the private sector involved?")) else "",
        "It involves least developed countries." if _yes(record.get("Does it involve LDCs?")) else "",
        f"Themes: {', '.join(themes + subthemes)}." if themes or subthemes else "",
        *(f"Entities: {p}." for p in prose),
    ]
    summary = "\n\n".join(x for x in [clean(record.get("Description"), 19000) or title,
                                       " ".join(f for f in facts if f)] if x)
    links = [u.strip() for u in str(record.get("Links") or "").split(",") if u.strip().startswith("http")]
    case: dict[str, Any] = {
        "slug": record_slug("undp-ss", number, title),
        "title": title,
        **place(hosts + [p for p in providers if p not in hosts]),
        "period": period(start, end),
        "status": status(end, this_year),
        "summary": summary[:20000],
        "partners": partners,
        "sdgs": goals,
        "evidence_level": "self-reported",
        "sources": [{"title": f"UNDP South-South Galaxy: {title}", "publisher": "UNDP", "year": 2023,
                     "locator": f"project {number}", "url": links[0] if links else None}],
    }
    if len(hosts) == 1 and providers:
        case["country"], case["countries"] = hosts[0], [p for p in providers if p != hosts[0]] or None
        if not case["countries"]:
            del case["countries"]
    if sectors:
        case["sectors"] = sectors
    return case


def read_rows(path: Path) -> Iterator[tuple[int, Record | Exception]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            yield 1, ValueError(f"missing column(s): {', '.join(missing)}")
            return
        for row in reader:
            yield reader.line_num, row


def _check(record: Record) -> str | None:
    return None if is_digits(str(record.get("Number") or "").strip()) else "a project needs a whole-number `Number`"


UNDP_SOUTH_SOUTH = Registry("undp-south-south", read_rows, to_case, _check,
                            lambda r: f"project {str(r['Number']).strip()}")
