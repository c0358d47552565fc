"""Partner map: the template's partner roles, the target partners that fill each, and the gaps.

Roles come from the template's partners (their `roles`, or their type when they list none). The HSBP
preliminary step needs a dynamiser, so that row is always present.
"""

from __future__ import annotations

from typing import Any

from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, task

# HSBP preliminary step: "a community leader, government official, a company, or an independent
# facilitator, such as a UN agency or a local academic".
DYNAMISER_TYPES = ("community", "government-local", "business-domestic", "business-multinational", "un-agency",
                   "academia", "civil-society")


def _name(partner: dict[str, Any]) -> str:
    return partner.get("name") or partner["type"]


def partner_map(template_ref: dict[str, Any], target: dict[str, Any], reg: Register) -> dict[str, Any]:
    roles: dict[str, list[dict[str, Any]]] = {}
    for p in template_ref["case"].get("partners") or []:
        for role in p.get("roles") or [p["type"]]:
            roles.setdefault(role, []).append(p)
    roles.setdefault("dynamiser", [])
    described = "partners" in target
    target_partners = target.get("partners") or []
    case_ev = reg.case(template_ref)
    rows, gaps = [], []
    for role, held_by in roles.items():
        types = sorted({p["type"] for p in held_by}) or list(DYNAMISER_TYPES)
        fillers = [p for p in target_partners if role in (p.get("roles") or [])]
        if not fillers:
            fillers = [p for p in target_partners if p["type"] in types and not (role == "dynamiser" and not held_by)]
        status = "filled" if fillers else ("gap" if described else "to-identify")
        evidence = [case_ev, reg.source(task("1.4")), reg.source(PASSAGES["hsbp-step4"])]
        if role == "dynamiser":
            evidence.append(reg.source(PASSAGES["hsbp-dynamiser"]))
        row = {
            "id": f"partner-{role}", "role": role,
            "template": [{"name": p["name"], "type": p["type"]} for p in held_by],
            "target": [{"name": _name(p), "type": p["type"]} for p in fillers],
            "partner_types": types, "status": status, "evidence": evidence,
        }
        rows.append(row)
        if status == "gap":
            gaps.append(role)
    return {"rows": rows, "gaps": gaps}
