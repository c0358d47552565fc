"""Screen 4, "Find comparable": a target-context form, ranked explained results, weight sliders.

The form is a plain GET form, so a search is a shareable URL and needs no CSRF token. While the
matcher is still preparing its first model (a fresh start after a large import), the page answers at
once with its progress, which asks for the results fragment again until they are ready. Moving a
weight slider asks `/match/results` (same query) for the results fragment only. Started from a case
(`?case=tenant/slug`), the form is prefilled from it; while the form still says what the case says,
the whole case is the target (as `casebook match --case`); once edited, the form's context is, and
the starting case is left out of its own results.

A saved context of the actor's organisation (`?saved=ID`) is a starting point the same way; "Save this
context" posts the current target to `/match/contexts` (signed-in editors, CSRF-checked) and comes back
started from it.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, RuntimeDep
from casebook.domain.access import Actor
from casebook.domain.errors import Conflict, Forbidden, InvalidInput, Problem
from casebook.domain.numbers import parse_int
from casebook.domain.permissions import can
from casebook.domain.vocabulary import CONTEXT_SCALES, PARTNER_TYPES
from casebook.runtime import Runtime
from casebook.services import case_picker, cases, contexts, matching
from casebook.services.matching import DEFAULT_WEIGHTS, FACETS, Warming, countries, resolve_weights
from casebook.web.context import page_context

TOP = 10
SLIDER_MAX = 10
LIST_FIELDS = ("sectors", "scenarios", "population_groups")
TEXT_FIELDS = ("title", "country", "summary", "goals")
FACET_LABELS = {"text": "Description (text)", "context": "Context", "scenarios": "Scenarios",
                "challenges": "Challenges", "sectors": "Sectors", "human_security": "Human security",
                "sdgs": "SDGs", "partners": "Partners", "geography": "Geography",
                "population_groups": "Population groups", "tools": "Tools"}
_INDEX = re.compile(r"\[\d+\].*$")


def _slug(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def form_from_case(doc: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as a case fills them in."""
    return {
        "title": doc.get("title") or "",
        "country": doc.get("country") or (doc.get("countries") or [""])[0],
        **{k: ", ".join(doc.get(k) or []) for k in LIST_FIELDS},
        "partners": sorted({p.get("type") for p in doc.get("partners") or [] if p.get("type")}),
        "context": {k: v for k, v in (doc.get("context") or {}).items() if k in CONTEXT_SCALES and v},
        "summary": (doc.get("summary") or "").strip(),
        "goals": (doc.get("goals") or "").strip(),  # a saved context has goals; a case has none
    }


def form_from_query(request: Request) -> dict[str, Any]:
    q = request.query_params
    form: dict[str, Any] = {k: (q.get(k) or "").replace("\r\n", "\n").strip() for k in TEXT_FIELDS}
    form["country"] = form["country"].upper()
    form.update({k: ", ".join(_slug(v) for v in (q.get(k) or "").split(",") if v.strip()) for k in LIST_FIELDS})
    form["partners"] = sorted(set(q.getall("partners", [])))
    form["context"] = {k: q.get(f"ctx_{k}") for k in CONTEXT_SCALES if q.get(f"ctx_{k}")}
    return form


def context_from_form(form: dict[str, Any]) -> dict[str, Any]:
    """The matcher's target context: only what the form states."""
    doc: dict[str, Any] = {k: form[k] for k in TEXT_FIELDS if form[k]}
    for key in LIST_FIELDS:
        values = [v.strip() for v in form[key].split(",") if v.strip()]
        if values:
            doc[key] = list(dict.fromkeys(values))
    if form["partners"]:
        doc["partners"] = [{"name": f"available {t}", "type": t} for t in form["partners"]]
    if form["context"]:
        doc["context"] = dict(form["context"])
    return doc


def parse_weights(request: Request) -> dict[str, float]:
    """Every w_<facet> the query carries, each checked by resolve_weights (all problems at once)."""
    raw: dict[str, Any] = {}
    problems = []
    for name in FACETS:
        value = request.query_params.get(f"w_{name}")
        if value is None or value == "":
            continue
        try:
            raw[name] = float(value)
        except ValueError:
            problems.append(Problem("must be a number", field=f"weights.{name}"))
    if problems:
        raise InvalidInput(problems)
    return resolve_weights(raw)


def form_field(problem_field: str | None) -> str:
    """Where a service problem is shown: `context.context.trust` -> ctx_trust, `weights.text` -> w_text."""
    path = _INDEX.sub("", problem_field or "")
    if path.startswith("weights"):
        return "w_" + path.split(".", 1)[1] if "." in path else "weights"
    if path.startswith("context.context."):
        return "ctx_" + path.removeprefix("context.context.")
    key = path.removeprefix("context.").split(".")[0]
    if key in (*TEXT_FIELDS, *LIST_FIELDS, "partners"):
        return key
    return "summary"  # "no usable content" and keys the form cannot set


def error_map(exc: InvalidInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        required = problem.code == "required"
        where = problem.missing if required and problem.missing and problem.field == "context" \
            else form_field(problem.field)
        message = "this field is required" if required else problem.message
        errors.setdefault(where, []).append(message)
    return errors


def plan_link(result: dict[str, Any], target: dict[str, Any], source: str | None = None) -> str:
    """The plan wizard, with this result as the template and the form's target context as JSON; `source`: the
    case the target was taken from, which the plan's organisation must be able to read too."""
    params = {"template": f"{result['tenant']}/{result['slug']}",
              "from": json.dumps(target, separators=(",", ":"), sort_keys=True)}
    if source:
        params["source"] = source
    return "/plans/new?" + urlencode(params)


async def run(request: Request, actor: Actor, runtime: Runtime) -> dict[str, Any]:
    """Everything both the page and the results fragment need; problems become messages, never raised."""
    case_ref = (request.query_params.get("case") or "").strip() or None
    saved_ref = (request.query_params.get("saved") or "").strip() or None
    submitted = "title" in request.query_params
    start = saved = unresolved = None
    typed = case_ref or ""
    if case_ref and not _is_ref(case_ref):  # typed into the plain-form picker: a title, words or a slug
        picked = await case_picker.resolve(actor, case_ref, runtime.search)
        case_ref, unresolved = picked.ref, None if picked.ref else picked
    if case_ref:
        tenant, _, slug = case_ref.partition("/")
        start = await cases.get_case(actor, tenant, slug)  # NotFound (404) for a case the actor may not read
    elif saved_ref:
        saved = await contexts.get_context(actor, parse_int(saved_ref) or 0)  # else 404
    prefill = form_from_case(start["case"] if start else saved["context"]) if start or saved else None
    form = form_from_query(request) if submitted or not prefill else prefill
    out: dict[str, Any] = {"form": form, "start": start, "case_ref": case_ref, "saved": saved, "errors": {},
                           "results": None, "weights": dict(DEFAULT_WEIGHTS), "target": None,
                           "submitted": submitted or bool(start or saved), "warming": None,
                           "query": str(request.url.query or ""),
                           "picked": unresolved, "typed": typed if unresolved else ""}
    try:
        weights = parse_weights(request)
    except InvalidInput as exc:
        out["errors"] = error_map(exc)
        weights = None
    if weights:
        out["weights"] = weights
    else:
        out["weights"].update({k: v for k in FACETS
                               if (v := _number(request.query_params.get(f"w_{k}"))) is not None})
    if not out["submitted"] or weights is None:
        return out
    target = None if prefill is not None and form == prefill else context_from_form(form)
    if target is None and saved:
        target = saved["context"]  # unchanged: the whole saved context, with keys the form has no field for
    try:
        if target is None:
            body = await matching.match(actor, case=case_ref, weights=weights, top=TOP, wait=False,
                                        index=runtime.matcher)
        else:
            body = await matching.match(actor, context=target, weights=weights, top=TOP + 1, wait=False,
                                        index=runtime.matcher)
    except InvalidInput as exc:
        out["errors"] = error_map(exc)
        return out
    except Warming as exc:
        out["warming"] = exc.progress
        return out
    results = [r for r in body["results"] if f"{r['tenant']}/{r['slug']}" != case_ref][:TOP]
    out["target"] = target or context_from_form(form)
    for r in results:
        r["plan_link"] = plan_link(r, out["target"], f"{start['tenant']}/{start['slug']}" if start else None)
        r["bars"] = facet_bars(r["facets"], r["score"])
        doc = (await cases.get_case(actor, r["tenant"], r["slug"]))["case"]  # as this reader may read it
        r["evidence_level"], r["status"] = doc.get("evidence_level"), doc.get("status")
    out["results"] = results
    return out


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def facet_bars(facets: dict[str, float], score: float) -> list[dict[str, Any]]:
    """Each facet's share of the score, largest first, as a width (%) and a readable label."""
    bars = []
    for name, value in sorted(facets.items(), key=lambda kv: (-kv[1], kv[0])):
        if value <= 0:
            continue
        bars.append({"name": name, "label": FACET_LABELS.get(name, name), "value": value,
                     "width": round(value * 100, 1), "share": round(value / score * 100) if score else 0})
    return bars


def field_labels() -> dict[str, str]:
    labels = {"title": "Title", "country": "Country", "sectors": "Sectors", "scenarios": "Scenarios",
              "population_groups": "Population groups", "partners": "Partners available",
              "summary": "Description", "goals": "Goals", "weights": "Weights"}
    labels.update({f"ctx_{k}": k.replace("_", " ").capitalize() for k in CONTEXT_SCALES})
    labels.update({f"w_{k}": f"Weight of {v}" for k, v in FACET_LABELS.items()})
    return labels


def _context(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    return page_context(actor, scales=CONTEXT_SCALES, partner_types=PARTNER_TYPES, facets=FACETS,
                        facet_labels=FACET_LABELS, field_labels=field_labels(), defaults=DEFAULT_WEIGHTS,
                        slider_max=SLIDER_MAX, countries=countries(), **data)


def _is_ref(text: str) -> bool:
    return text.count("/") == 1 and " " not in text


async def starting_points(actor: Actor) -> dict[str, Any]:
    """The "Start from" choices: a case picker over every case the actor reads, and its organisations'
    saved contexts."""
    return {"saved_contexts": await contexts.list_contexts(actor),
            "can_save": can(actor, "context.save")}


SAID = {"saved": "The context is saved; your organisation can start from it here and in the plan wizard."}


@get("/match", name="match")
async def match_page(request: Request, actor: ActorDep, runtime: RuntimeDep) -> Template:
    data = await run(request, actor, runtime)
    status = 400 if data["errors"] else 200
    data.update(await starting_points(actor), message=SAID.get(request.query_params.get("said") or ""))
    return Template("match/page.html", context=_context(actor, data), status_code=status)


@post("/match/contexts", name="match-save-context")
async def save_context(request: Request, actor: ActorDep) -> Template | Redirect:
    """Saves the page's current target under a name; on a problem the page comes back with it named."""
    if not actor.authenticated:
        return Redirect(path="/login?next=/match", status_code=303)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        context = json.loads(form.get("context") or "")
    except ValueError:
        context = None
    try:
        saved = await contexts.create_context(actor, form.get("name"), context, form.get("tenant") or None,
                                              form.get("source") or None)
    except (InvalidInput, Conflict, Forbidden) as exc:
        problems = getattr(exc, "problems", None) or [Problem(exc.message, field="name")]
        prefill = form_from_case(context) if isinstance(context, dict) else form_from_case({})
        data = {"form": prefill, "start": None, "case_ref": None, "saved": None, "errors": {}, "results": None,
                "weights": dict(DEFAULT_WEIGHTS), "submitted": False, "target": context, "save_name": form.get("name"),
                "save_errors": [f"{p.field}: {p.message}" if p.field != "name" else p.message for p in problems]}
        data.update(await starting_points(actor))
        return Template("match/page.html", context=_context(actor, data), status_code=exc.status_code)
    return Redirect(path=f"/match?saved={saved['id']}&said=saved", status_code=303)


@get("/match/results", name="match-results")
async def match_results(request: Request, actor: ActorDep, runtime: RuntimeDep) -> Template:
    """The results fragment alone, for the weight sliders (htmx swaps it in place)."""
    data = await run(request, actor, runtime)
    status = 400 if data["errors"] else 200
    return Template("match/results.html", context=_context(actor, {**data, "fragment": True}), status_code=status)


PAGES = [match_page, match_results, save_context]
