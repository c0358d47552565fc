"""Partner map: the template's partner roles, the target partners that fill each, and the gaps.

Roles come from the template's partners (their `roles`, or their type when they list none). The HSBP
preliminary step needs a dynamiser, and its step 5 holds an independent facilitator, locally based and trusted
by all partners, indispensable: both rows are always present, a gap to be found where the template had none.
Actors the target names in its own words ("the mine", "the regional government") take the role that fits
them: they are named, not a gap to look for. Two guideline rules shape the map:
- a target partner takes one role only, unless the target itself gives it several: a dynamiser that is
  also the facilitator, or a company that facilitates, is exactly the conflict the guidelines warn about;
- where the template's own factors ask for an outside facilitator not party to the dispute (or the HSBP's
  independent facilitator), no party to the target's situation may fill that role: it stays a gap that
  names the kind of organisation to look for.
"""

from __future__ import annotations

import re
from typing import Any

from casebook.domain.blocks import case_blocks
from casebook.planning.actors import BUSINESS, named_actors
from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, task
from casebook.planning.words import country, listing, partner_type, role

# HSBP preliminary step: "a community leader, government official, a company, or an independent
# facilitator, such as a UN agency or a local academic".
DYNAMISER_TYPES = ("community", "government-local", "business-domestic", "business-multinational", "un-agency",
                   "academia", "civil-society")
# Where the template's factors say so, these types are parties to the situation, never its facilitator.
PARTY_TYPES = ("business-multinational", "business-domestic", "business-sme", "government-national",
               "government-subnational", "government-local", "community", "civil-society")
INDEPENDENCE = ("not party", "outside facilitator", "independent facilitator", "external facilitator",
                "externally led", "outside peacebuilding")
LOOK_FOR = {
    "company": "the company whose operation the partnership is about",
    "dynamiser": "a trusted local actor who can convene the others: a community leader, a local official, a "
                 "local university or a civil-society organisation respected on all sides",
    "facilitator": "an organisation that is not a party to the dispute and is trusted by all partners: a "
                   "peacebuilding or mediation organisation, a university, or a UN agency with no stake in the outcome",
    "knowledge-partner": "a university or research institute that can document the baseline and the process",
    "local-government": "the local authority of the area, with someone able to commit it",
    "national-government": "the ministry responsible for the sector, with someone able to commit it",
    "beneficiary": "representatives chosen by the affected communities themselves",
    "monitor": "an organisation the communities and the company both accept to check the data",
    "funder": "a donor or a partner willing to commit funds or in-kind resources",
}
# Where the target has no company, the monitor is accepted by all partners and independent of those delivering.
MONITOR_NO_COMPANY = ("an organisation every partner accepts to check the data, independent of those who deliver "
                      "the work: a university, a statistics office or a respected civil-society organisation")
BUSINESS_TYPES = BUSINESS
# Roles a named actor never takes by inference: the convenor and the facilitator are chosen for the trust the
# others place in them, not for being mentioned.
CHOSEN_ROLES = ("dynamiser", "facilitator")
# Partner types that may facilitate when the template has no facilitator of its own (HSBP step 5: independent).
FACILITATOR_TYPES = ("un-agency", "academia", "civil-society")
NO_FACILITATOR = ("The template names no facilitator, but the HSBP Framework holds an independent facilitator, "
                  "locally based and trusted by all partners, indispensable to start and sustain the dialogue; no "
                  "party to the target's situation should take this role.")
# What to look for by partner type, in words that fit the target ({where}: its locality, else its country).
TYPE_LOOK_FOR = {
    "community": "representatives that the affected communities of {where} choose themselves",
    "civil-society": "a local civil-society organisation trusted by the communities of {where}",
    "faith-based": "a church, mosque or faith organisation that people in {where} listen to",
    "media": "a local radio station or newspaper that people in {where} follow",
    "academia": "a university or research institute working in {where}",
    "government-local": "the local authority of {where}, with someone able to commit it",
    "government-subnational": "the regional or state government responsible for {where}",
    "business-domestic": "businesses active in {where}",
    "business-sme": "small businesses in {where}",
    "donor": "a donor already funding work in {where}",
}
# Roles that mean the same thing: one row, not two ("Convenor" and "Dynamiser (convenor)").
ROLE_ALIASES = {"convener": "dynamiser"}


# A partner listed with no role stands for its type; these types have a role of the same meaning, so that a
# template with one partner holding the role and another only typed does not get the row twice.
TYPE_ROLE = {"government-national": "national-government", "government-local": "local-government",
             "un-agency": "un-agency"}


def _article(words: str) -> str:
    return ("an " if words[:1].lower() in "aeiou" and not words.startswith("UN") else "a ") + words


def _name(partner: dict[str, Any]) -> str:
    return partner.get("name") or partner_type(partner.get("type"))


def needs_outside_facilitator(case: dict[str, Any]) -> bool:
    """Whether the template's factors (block enabling factors, partner contributions) ask for a facilitator
    who is not party to the dispute."""
    texts = [str(f) for _, b in case_blocks(case) for f in b.get("enabling_factors") or []]
    texts += [str(p.get("contribution") or "") for p in case.get("partners") or [] if "facilitator" in
              (p.get("roles") or [])]
    return any(w in t.casefold() for t in texts for w in INDEPENDENCE)


def _look_for(role_slug: str, types: list[str], independent: bool, target: dict[str, Any]) -> str:
    if role_slug == "facilitator" and independent:
        return LOOK_FOR["facilitator"]
    if role_slug == "monitor" and not _has_business(target):
        return MONITOR_NO_COMPANY
    if role_slug in LOOK_FOR:
        return LOOK_FOR[role_slug]
    where = target.get("locality") or country(target.get("country"))
    fitting = [TYPE_LOOK_FOR[t].format(where=where) for t in types if t in TYPE_LOOK_FOR]
    return listing(fitting, "or") if fitting else _article(listing([partner_type(t) for t in types], "or"))


def _has_business(target: dict[str, Any]) -> bool:
    """Whether a company takes part: a business partner, or a scenario about a company and a community."""
    return any(p.get("type") in BUSINESS_TYPES for p in target.get("partners") or []) or \
        "company-community-relations" in (target.get("scenarios") or [])


def _named_row(actor: dict[str, Any], role_slug: str) -> dict[str, Any]:
    return {"phrase": actor["phrase"], "where": actor["where"], "role": role_slug}


def _another_body(actor: dict[str, Any], row: dict[str, Any]) -> bool:
    """Whether the actor is a body of its own beside the row's listed partners: its phrase carries a proper
    name none of theirs does ("the Sami Parliament" beside a reindeer grazing district, both communities)."""
    proper = set(re.findall(r"\b[A-Z][\w'’-]+", actor["phrase"]))
    names = " ".join(p["name"] for p in row["target"])
    return bool(proper) and not any(word in names for word in proper)


def _place_named(rows: list[dict[str, Any]], actors: list[dict[str, Any]], template_ref: dict[str, Any],
                 target: dict[str, Any], reg: Register) -> None:
    """Gives each actor the target names the first row without a target partner whose types fit it (a company
    named as "the mine" takes the company row); an actor no row fits gets a row of its own kind. A row a
    listed partner of the same type fills already just records that the target names it; a new row takes a
    listed partner of its kind that no row holds yet."""
    placed = {p["name"] for r in rows for p in r["target"]}
    for actor in actors:
        fits = [r for r in rows if r["role"] not in CHOSEN_ROLES and set(actor["types"]) & set(
            BUSINESS_TYPES if r["role"] == "company" else r["partner_types"])]
        listed = next((r for r in fits if r["target"] and not r.get("named")), None)
        if listed is not None:
            if _another_body(actor, listed):  # invited beside the listed partner, not folded into it
                listed["target"].append({"name": f"{actor['phrase']} (named in your {actor['where']})",
                                         "type": actor["types"][0], "type_label": partner_type(actor["types"][0])})
            else:
                listed["named"] = _named_row(actor, listed["role"])
            continue
        row = next((r for r in fits if not r["target"] and not r.get("named")), None)
        if row is None:
            kind = actor["types"][0]
            row_role = TYPE_ROLE.get(kind, kind)
            if any(r["role"] == row_role for r in rows):
                continue
            row = {"id": f"partner-{row_role}", "role": row_role, "role_label": role(row_role), "template": [],
                   "target": [], "partner_types": list(actor["types"]),
                   "type_labels": [partner_type(t) for t in actor["types"]], "look_for": None, "note": None,
                   "evidence": [reg.case(template_ref), reg.source(task("1.4")), reg.source(PASSAGES["hsbp-step4"])]}
            rows.append(row)
            listed_partner = next((p for p in target.get("partners") or [] if p.get("type") in actor["types"]
                                   and _name(p) not in placed), None)
            if listed_partner is not None:
                placed.add(_name(listed_partner))
                row["target"] = [{"name": _name(listed_partner), "type": listed_partner.get("type"),
                                  "type_label": partner_type(listed_partner.get("type"))}]
                row.update(status="filled", named=_named_row(actor, row_role))
                continue
        row["named"] = _named_row(actor, row["role"])
        row.update(status="named", look_for=None, note=(
            f"{actor['phrase'][:1].upper()}{actor['phrase'][1:]}, named in your {actor['where']}: invite them by "
            "name to take this role" + (" (the template had nobody in it)" if not row["template"] else "") + "."))


def _roles(partner: dict[str, Any]) -> list[str]:
    """The roles the target gives a partner, in the map's words ("convener" is the dynamiser)."""
    return [ROLE_ALIASES.get(r, r) for r in partner.get("roles") or []]


def _place_listed(rows: list[dict[str, Any]], partners: list[dict[str, Any]], template_ref: dict[str, Any],
                  target: dict[str, Any], reg: Register) -> None:
    """Every partner the target lists is on the invitation list: one that no template role took gets a row for
    each role the target gives it (the brands as funder), else for its type (the inspectorate as national
    government), so that the user's own partners and roles are never dropped."""
    placed = {p["name"] for r in rows for p in r["target"]}
    for partner in partners:
        name = _name(partner)
        wanted = [r for r in _roles(partner) if not any(row["role"] == r and any(
            p["name"] == name for p in row["target"]) for row in rows)]
        if name in placed and not wanted:
            continue
        kind = partner.get("type")
        for row_role in wanted or [TYPE_ROLE.get(kind, kind)]:
            filler = {"name": name, "type": kind, "type_label": partner_type(kind)}
            row = next((r for r in rows if r["role"] == row_role), None)
            if row is not None:
                if filler not in row["target"]:
                    row["target"].append(filler)
                row.update(status="filled", look_for=None)
                continue
            rows.append({"id": f"partner-{row_role}", "role": row_role, "role_label": role(row_role), "template": [],
                         "target": [filler], "partner_types": [kind], "type_labels": [partner_type(kind)],
                         "look_for": None, "note": "Listed in your target; the template had nobody in this role.",
                         "status": "filled",
                         "evidence": [reg.case(template_ref), reg.source(task("1.4")),
                                      reg.source(PASSAGES["hsbp-step4"])]})
        placed.add(name)


def partner_map(template_ref: dict[str, Any], target: dict[str, Any], reg: Register) -> dict[str, Any]:
    case = template_ref["case"]
    roles: dict[str, list[dict[str, Any]]] = {}
    for p in case.get("partners") or []:
        for r in p.get("roles") or [TYPE_ROLE.get(p["type"], p["type"])]:
            held = roles.setdefault(ROLE_ALIASES.get(r, r), [])
            if p not in held:
                held.append(p)
    roles.setdefault("dynamiser", [])
    without_facilitator = "facilitator" not in roles
    roles.setdefault("facilitator", [])
    independent = needs_outside_facilitator(case) or without_facilitator
    described = "partners" in target
    target_partners = target.get("partners") or []
    taken: set[int] = set()  # target partners given a role by inference: one role each
    explicit = {i for i, p in enumerate(target_partners) if p.get("roles")}
    case_ev = reg.case(template_ref)
    rows: list[dict[str, Any]] = []
    # Roles the target names itself come first, so that inference never takes a partner someone else needs.
    for role_slug, held_by in roles.items():
        types = sorted({p["type"] for p in held_by}) or list(
            FACILITATOR_TYPES if role_slug == "facilitator" else DYNAMISER_TYPES)
        chosen = [i for i, p in enumerate(target_partners) if role_slug in _roles(p)]
        if not chosen:
            blocked = independent and role_slug == "facilitator"
            for i, p in enumerate(target_partners):
                if i in taken or i in explicit or blocked and p.get("type") in PARTY_TYPES:
                    continue
                if p.get("type") in types and not (role_slug in CHOSEN_ROLES and not held_by):
                    chosen.append(i)
            chosen = chosen[:1] if chosen else []
            taken.update(chosen)
        fillers = [target_partners[i] for i in chosen]
        status = "filled" if fillers else ("gap" if described else "to identify")
        evidence = [case_ev, reg.source(task("1.4")), reg.source(PASSAGES["hsbp-step4"])]
        if role_slug == "dynamiser":
            evidence.append(reg.source(PASSAGES["hsbp-dynamiser"]))
        if role_slug == "facilitator" and independent:
            evidence.append(reg.source(PASSAGES["hsbp-step5"]))
        note = None
        if role_slug == "facilitator" and independent:
            note = NO_FACILITATOR if without_facilitator else (
                "The template relied on an outside facilitator not party to the dispute; no party to the "
                "target's situation should take this role.")
        rows.append({
            "id": f"partner-{role_slug}", "role": role_slug, "role_label": role(role_slug),
            "template": [{"name": p["name"], "type": p["type"], "type_label": partner_type(p["type"]),
                          **({"contribution": str(p["contribution"]).strip()} if p.get("contribution") else {})}
                         for p in held_by],
            "target": [{"name": _name(p), "type": p.get("type"), "type_label": partner_type(p.get("type"))}
                       for p in fillers],
            "partner_types": types, "type_labels": [partner_type(t) for t in types],
            "look_for": _look_for(role_slug, types, independent, target) if not fillers else None,
            "note": note, "status": status, "evidence": evidence,
        })
        if role_slug == "facilitator" and without_facilitator and fillers:
            rows[-1]["note"] = None
    _place_listed(rows, target_partners, template_ref, target, reg)
    _place_named(rows, named_actors(target), template_ref, target, reg)
    gaps = [r["role"] for r in rows if r["status"] == "gap"]
    return {"rows": rows, "gaps": gaps, "gap_labels": [role(g) for g in gaps],
            "independent_facilitator": independent}
