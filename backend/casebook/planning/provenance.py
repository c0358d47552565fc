"""Where a quoted lesson, block or mitigation comes from, said honestly where it is quoted.

A case whose status is `proposed` was never carried out, and one whose evidence is only self-reported was never
evaluated: what it says is an intention or a claim, not experience, so the plan marks it wherever it quotes it
("In Bosnia and Herzegovina, where the approach was proposed but not carried out: …"). A case item is cited by
the source document and locator the case records, so that a partner holding the PDF can trace it without the app.
"""

from __future__ import annotations

from typing import Any

from casebook.planning.words import country, short_title

STATUS_CLAUSE = {"proposed": "where the approach was proposed but not carried out",
                 "terminated": "where the partnership was terminated before it ended as planned"}
UNEVALUATED = "where its partners report it and nobody has evaluated it"


def status_clause(case: dict[str, Any] | None) -> str | None:
    """'where the approach was proposed but not carried out', or None for a case carried out and documented."""
    case = case or {}
    if case.get("status") in STATUS_CLAUSE:
        return STATUS_CLAUSE[case["status"]]
    return UNEVALUATED if case.get("evidence_level") == "self-reported" else None


def where(ref: dict[str, Any]) -> str:
    """'In Nepal', 'In “SIDS partnership framework”', 'In Bosnia and Herzegovina, where the approach was proposed
    but not carried out'."""
    place = country(ref["case"].get("country"))
    head = f"In “{short_title(ref['title'], 60)}”" if place == "several countries" else f"In {place}"
    clause = status_clause(ref["case"])
    return f"{head}, {clause}" if clause else head


def source_citation(case: dict[str, Any] | None) -> str | None:
    """The case's first source as a reference: 'United Nations ESCAP and UNU-IAS, Partnering for Sustainable
    Development: … (2018), Box IV.5 …'; None when the case records none."""
    sources = (case or {}).get("sources") or []
    if not sources:
        return None
    src = sources[0]
    head = ", ".join(x for x in (src.get("publisher"), src.get("title")) if x)
    year = f" ({src['year']})" if src.get("year") else ""
    return f"{head}{year}, {' '.join(str(src['locator']).split())}"
