"""Plan services: generate, save, read, list, edit, re-generate, delete and render replication plans.

Plans are private to the tenant that made them: members of that tenant read them (any role), editors and
admins create and change them, and everyone else gets the same 404 as for a plan that does not exist.
Manual edits are stored apart from the generated plan, keyed by line id, so re-generating after the
target changes keeps them. Every save writes a revision in the same transaction.

A plan is built only from what its author reads: the working copy of their own organisation's cases, and
the redacted published snapshot of anyone else's (`publishing.visible_data`), so a plan (JSON, HTML, PDF)
never carries another tenant's sensitive fields or unpublished edits.

Deleting is a hard delete of the plan and its revisions: a plan is a tenant-private working document, no
other record points at it, and keeping deleted drafts would only keep data the tenant asked to remove.
The audit event (who, when, which version) stays.
"""

from __future__ import annotations

import asyncio
import copy
import json
from dataclasses import replace
from typing import Any

from piccolo.custom_types import Combinable

from casebook.db import record_rows
from casebook.db.json_columns import json_value
from casebook.db.tables import CaseRecord, Plan, PlanRevision, Tenant
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor, require_signed_in
from casebook.domain.blocks import case_blocks
from casebook.domain.clock import now
from casebook.domain.errors import CasebookError, Conflict, Forbidden, InvalidInput, NotFound, Problem
from casebook.domain.permissions import require
from casebook.domain.visibility import visible_data
from casebook.matching import service as matcher
from casebook.matching.index import MatcherIndex
from casebook.matching.target import normalised_context
from casebook.planning.goals import block_text, in_context, statements
from casebook.planning.lesson_evidence import record_text
from casebook.planning.plan import EDITABLE_FIELDS, apply_edits, build_plan, editable_lines
from casebook.planning.risks import TARGET, TextScores, candidate_texts, risk_queries, target_text
from casebook.planning.timing import PHASES, by_owner
from casebook.services import audit, plan_documents
from casebook.services.actors import actor_for_user
from casebook.services.integrity import lock_version, storable_int
from casebook.services.lessons import visible_lessons
from casebook.services.matching import resolve_case

SIMILAR = 5
DOWNLOADS = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class RenderFailed(CasebookError):
    """The plan is saved; only its rendering failed."""

    status_code = 503
    code = "render_failed"


def work_by_owner(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's tasks grouped by owner, for the page's view by owner (pages reach the planner through here)."""
    return by_owner(plan)


async def plan_lessons(actor: Actor) -> list[dict[str, Any]]:
    """Every lesson record the actor reads (its working copy in the owner, the published snapshot elsewhere), in
    the shape the planner cites (`planning.lesson_evidence`)."""
    return [{"tenant": row["tenant_slug"], "slug": row["slug"], "organisation": row["organisation"],
             "title": data["title"], "lesson": data} for row, data in await visible_lessons(actor)]


async def template_ref(actor: Actor, ref: Any) -> dict[str, Any]:
    """The template case the actor may read, by 'tenant/slug' or slug; unknown and unreadable look the same."""
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput(Problem("name the template case by slug or tenant/slug", field="template"))
    try:
        row = await resolve_case(actor, ref)
    except NotFound:
        raise InvalidInput(Problem(f"no case you may read has the slug {ref.strip()!r}", field="template")) from None
    except InvalidInput as exc:
        raise InvalidInput([replace(p, field="template") for p in exc.problems]) from None
    data = await case_view(actor, row["id"])
    if data is None:  # unpublished in the meantime: as unknown
        raise InvalidInput(Problem(f"no case you may read has the slug {ref.strip()!r}", field="template"))
    return {"tenant": row["tenant_slug"], "slug": row["slug"], "title": data["title"], "case": data}


async def case_view(actor: Actor, case_id: int | None = None, tenant_slug: str | None = None,
                    slug: str | None = None) -> dict[str, Any] | None:
    """The case document the actor reads (by id, or by tenant and slug), None if none: a plan only ever
    holds this view, never another tenant's working copy or its sensitive fields."""
    where: Combinable = CaseRecord.deleted_at.is_null()
    where &= (CaseRecord.id == case_id) if case_id is not None else (
        (CaseRecord.tenant.slug == tenant_slug) & (CaseRecord.slug == slug))
    row = await record_rows.first(record_rows.select(CaseRecord).where(where))
    return None if row is None else visible_data(row, actor)


def validated_target(raw: Any) -> dict[str, Any]:
    """The target as the matcher takes it, vocabulary values written in plain words turned into the slugs the
    library uses ("campesino communities" -> "campesino-communities"); problems name the user's own fields."""
    try:
        return matcher.validate_context(normalised_context(raw))
    except InvalidInput as exc:
        raise InvalidInput([replace(p, field=(p.field or "context").replace("context", "target", 1))
                            for p in exc.problems]) from None


async def similar_cases(actor: Actor, template: dict[str, Any], target: dict[str, Any],
                        index: MatcherIndex) -> list[dict[str, Any]]:
    """Cases like the target (other than the template), found by the matcher among those the actor reads."""
    found = await matcher.match(actor, context=target, top=SIMILAR + 1, index=index)
    out: list[dict[str, Any]] = []
    for r in found["results"]:
        if (r["tenant"], r["slug"]) == (template["tenant"], template["slug"]) or len(out) == SIMILAR:
            continue
        case = await case_view(actor, tenant_slug=r["tenant"], slug=r["slug"])
        if case is not None:
            out.append({"tenant": r["tenant"], "slug": r["slug"], "title": case["title"], "case": case,
                        "score": r["score"]})
    return out


CASES_PER_STATEMENT = 8  # cases whose blocks are scored for each statement (the matcher's text ranking)
KEEP = 6  # candidate blocks kept per statement, best first


def _scale(doc: dict[str, Any]) -> str:
    """Where a case works: across many countries (a regional or global forum) or in one or two."""
    places = {c for c in [doc.get("country"), *(doc.get("countries") or [])] if c}
    return "many countries" if len(places) > 2 else "one place"


async def block_retrieval(actor: Actor, template: dict[str, Any], target: dict[str, Any],
                          index: MatcherIndex, records: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The target's statements (goals, challenges, summary), each with the template's blocks and the blocks of
    other readable cases, scored by the matcher's text model, the template's rank among the cases for it, and
    (for a challenge) the readable cases that recorded the same challenge. The cases come from the matcher's
    text ranking in the actor's scope and are read through `case_view` (the access rule), so no block of a case
    the actor may not read, and no redacted field, reaches the plan."""
    said = statements(target)
    if not said:
        return []
    refs: dict[tuple[str, str], None] = {}
    ranked: list[list[tuple[str, str]]] = []
    for st in said:
        found = [(r["tenant"], r["slug"])
                 for r in await matcher.text_ranking(actor, st["text"], CASES_PER_STATEMENT, index)]
        ranked.append(found)
        for key in found:
            refs.setdefault(key, None)
    me = (template["tenant"], template["slug"])
    refs.pop(me, None)
    candidates, docs = [], {}
    for tenant, slug in refs:
        doc = await case_view(actor, tenant_slug=tenant, slug=slug)
        if doc is None:
            continue
        docs[(tenant, slug)] = doc
        comparable = _scale(doc) == _scale(target)
        for block_id, block in case_blocks(doc):
            candidates.append({"tenant": tenant, "slug": slug, "case_title": doc["title"], "comparable": comparable,
                               "country": doc.get("country"), "block_id": block_id, "block": block, "case": doc})
    own = case_blocks(template["case"])
    texts = [block_text(b) for _, b in own] + [block_text(c["block"]) for c in candidates]
    scores = await matcher.text_similarity(actor, [st["text"] for st in said], texts, index)
    # The template's own blocks are considered first, for each statement read in the target's situation too:
    # "95% coverage" says nothing a vaccination block says, but a measles campaign for children in health does.
    situated = await matcher.text_similarity(actor, [in_context(st, target) for st in said], texts[:len(own)],
                                             index)
    records = records or []
    lesson_scores = await matcher.text_similarity(actor, [st["text"] for st in said],
                                                  [record_text(r) for r in records], index) if records else None
    same_sector = bool(set(template["case"].get("sectors") or []) & set(target.get("sectors") or []))
    out = []
    for k, (row, ctx, st, found) in enumerate(zip(scores, situated, said, ranked, strict=True)):
        mine = sorted(({"block_id": bid, "title": b["title"], "text": texts[i], "score": round(float(row[i]), 4),
                        "in_context": round(float(ctx[i]), 4)}
                       for i, (bid, b) in enumerate(own)), key=lambda b: -b["score"])
        others = sorted(({**c, "score": round(float(row[len(own) + i]), 4)} for i, c in enumerate(candidates)),
                        key=lambda c: (-c["score"], c["tenant"], c["slug"], c["block_id"]))
        entry = {**st, "template": mine[:KEEP], "library": others[:KEEP],
                 "template_first": bool(found) and found[0] == me, "same_sector": same_sector,
                 "lessons": sorted(({**r, "text": record_text(r), "score": round(float(lesson_scores[k][i]), 4)}
                                    for i, r in enumerate(records)) if lesson_scores is not None else [],
                                   key=lambda r: (-r["score"], r["tenant"], r["slug"]))}
        if st["kind"] == "challenge":
            entry["template_records"] = st["slug"] in (template["case"].get("challenges") or [])
            entry["recorded_by"] = [
                {"tenant": k[0], "slug": k[1], "case_title": d["title"], "country": d.get("country")}
                for k, d in docs.items() if st["slug"] in (d.get("challenges") or [])]
        out.append(entry)
    return out


async def generate(actor: Actor, template: Any, target: Any, *, index: MatcherIndex) -> dict[str, Any]:
    """A plan, not saved: the CLI's path, and the first half of `create`. `index`: the runtime's matcher."""
    problems: list[Problem] = []
    ref = tgt = None
    try:
        ref = await template_ref(actor, template)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    try:
        tgt = validated_target(target)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if problems or ref is None or tgt is None:
        raise InvalidInput(problems)
    comparison = matcher.compare(ref["case"], tgt)
    similar, records = await similar_cases(actor, ref, tgt, index), await plan_lessons(actor)
    return build_plan(ref, tgt, comparison, similar, records, await block_retrieval(actor, ref, tgt, index, records),
                      await mitigation_scores(actor, ref, tgt, similar, records, index))


async def mitigation_scores(actor: Actor, template: dict[str, Any], target: dict[str, Any],
                            similar: list[dict[str, Any]], records: list[dict[str, Any]],
                            index: MatcherIndex) -> TextScores:
    """The candidate mitigations (the template's and similar cases' recorded mitigations and lessons, and the
    lesson records) scored by the matcher's text model, in the actor's scope, against the target's own words
    and against what each risk is about: the planner picks each risk's mitigation by these."""
    queries = {TARGET: target_text(target), **risk_queries(template, target)}
    texts = [*candidate_texts(template, similar), *(record_text(r) for r in records),
             *(r["lesson"]["title"] for r in records)]
    matrix = await matcher.text_similarity(actor, list(queries.values()), texts, index)
    return TextScores(queries, texts, matrix)


async def owner_tenant(actor: Actor, tenant_slug: str | None) -> int:
    """The organisation a new tenant-private record (plan, saved context) goes to: the one named, else the
    actor's active one; the actor must be an editor or admin there."""
    require_signed_in(actor)
    if tenant_slug:
        row = await Tenant.select(Tenant.id).where(Tenant.slug == tenant_slug).first()
        if row is None or row["id"] not in actor.roles:
            raise NotFound("organisation not found")
        tenant_id = row["id"]
    elif actor.active_tenant is not None:
        tenant_id = actor.active_tenant
    else:
        raise InvalidInput(Problem("you belong to no organisation that could own this", field="tenant"))
    require(actor, "plan.create", tenant_id)
    return tenant_id


async def member_of(actor: Actor, tenant_id: int) -> Actor:
    """The actor as a member of `tenant_id` only: what a record owned by that tenant may be built from, since
    every member of the tenant reads it (a user of two organisations must not carry one's cases into the other)."""
    if set(actor.roles) == {tenant_id}:
        return actor
    return await actor_for_user(actor.user_id, only_tenant=tenant_id, active_tenant=tenant_id) \
        if actor.user_id is not None else replace(actor, roles={tenant_id: actor.roles[tenant_id]})


async def owner_scope(actor: Actor, tenant_slug: str | None, source: Any = None) -> tuple[int, Actor]:
    """The owner of a new plan or saved context and the actor restricted to it. `source`: the case
    ("tenant/slug") the content was taken from; its owner's members must be able to read it."""
    tenant_id = await owner_tenant(actor, tenant_slug)
    scoped = await member_of(actor, tenant_id)
    if source not in (None, ""):
        await require_shared(actor, scoped, source, "source")
    return tenant_id, scoped


async def require_shared(actor: Actor, scoped: Actor, ref: Any, field: str, checked_later: bool = False) -> None:
    """403 when the actor reads the case `ref` only through another of its organisations than `scoped`'s.
    A malformed, ambiguous or unknown `ref` is a 400, unless the caller reports those itself (`checked_later`)."""
    unknown = InvalidInput(Problem(f"no case you may read has the slug {str(ref).strip()!r}", field=field))
    if not isinstance(ref, str) or not ref.strip():
        if checked_later:
            return
        raise InvalidInput(Problem("name the case by slug or tenant/slug", field=field))
    try:
        await resolve_case(scoped, ref)
        return
    except InvalidInput as exc:  # ambiguous among the cases the owner reads
        if checked_later:
            return
        raise InvalidInput([replace(p, field=field) for p in exc.problems]) from None
    except NotFound:
        pass
    try:
        await resolve_case(actor, ref)
    except NotFound:
        if checked_later:
            return
        raise unknown from None
    except InvalidInput:
        pass
    raise Forbidden(f"{ref.strip()} is not readable by every member of the organisation this would belong to; "
                    "switch to the organisation that owns the case, or choose a case both may read")


PLAN_COLUMNS = (Plan.id, Plan.tenant, Plan.tenant.slug.as_alias("tenant_slug"), Plan.title, Plan.template_tenant,
                Plan.template_slug, Plan.target, Plan.data, Plan.edits, Plan.version, Plan.created_at,
                Plan.updated_at)


def plan_out(row: dict[str, Any]) -> dict[str, Any]:
    plan = copy.deepcopy(json_value(row["data"]))
    edits = json_value(row["edits"]) or {}
    orphaned = apply_edits(plan, edits)
    return {"id": row["id"], "tenant": row["tenant_slug"], "version": row["version"],
            "created_at": row["created_at"], "updated_at": row["updated_at"], "edits": edits,
            "orphaned_edits": orphaned, **plan}


async def _readable(actor: Actor, plan_id: int) -> dict[str, Any]:
    if not storable_int(plan_id):
        raise NotFound("plan not found")
    row = await Plan.select(*PLAN_COLUMNS).where(Plan.id == plan_id).first()
    if row is None or row["tenant"] not in actor.roles:
        raise NotFound("plan not found")
    return row


async def _writable(actor: Actor, plan_id: int) -> dict[str, Any]:
    row = await _readable(actor, plan_id)
    require_signed_in(actor)
    require(actor, "plan.edit", row["tenant"])
    return row


async def _revision(plan_id: int, version: int, action: str, target: Any, data: Any, edits: Any,
                    actor: Actor) -> None:
    await PlanRevision.insert(PlanRevision(plan=plan_id, version=version, action=action, target=json.dumps(target),
                                           data=json.dumps(data), edits=json.dumps(edits), author=actor.user_id))


async def create_plan(actor: Actor, template: Any, target: Any, tenant: str | None = None,
                      source: Any = None, *, index: MatcherIndex) -> dict[str, Any]:
    """A plan owned by `tenant` (else the active organisation), built only from what its members read; the
    template and `source` (the case the target was taken from, if any) must be readable by them."""
    tenant_id, scoped = await owner_scope(actor, tenant, source)
    await require_shared(actor, scoped, template, "template", checked_later=True)
    plan = await generate(scoped, template, target, index=index)
    async with write_transaction():
        row = (await Plan.insert(Plan(
            tenant=tenant_id, title=plan["title"][:300], template_tenant=plan["template"]["tenant"],
            template_slug=plan["template"]["slug"], target=json.dumps(plan["target"]), data=json.dumps(plan),
            edits="{}", version=1, created_by=actor.user_id, updated_by=actor.user_id,
        )).returning(Plan.id))[0]
        await _revision(row["id"], 1, "create", plan["target"], plan, {}, actor)
        await audit.record(actor, tenant_id, "plan.create", f"plan/{row['id']}", version=1)
    return await get_plan(actor, row["id"])


async def get_plan(actor: Actor, plan_id: int) -> dict[str, Any]:
    return plan_out(await _readable(actor, plan_id))


async def list_plans(actor: Actor) -> dict[str, Any]:
    if not actor.roles:
        return {"items": [], "total": 0}
    rows = await Plan.select(Plan.id, Plan.tenant.slug.as_alias("tenant"), Plan.title, Plan.template_tenant,
                             Plan.template_slug, Plan.version, Plan.updated_at).where(
        Plan.tenant.is_in(sorted(actor.roles))).order_by(Plan.updated_at, ascending=False).order_by(Plan.id)
    return {"items": rows, "total": len(rows)}


def _check_edits(plan: dict[str, Any], edits: Any) -> dict[str, dict[str, Any]]:
    """Only existing lines, only known fields of the right type; every problem named in one 400."""
    if not isinstance(edits, dict) or not edits:
        raise InvalidInput(Problem("send an object of line id -> {text, done, note, ...}", field="edits"))
    lines = editable_lines(plan)
    problems = []
    for line_id, change in edits.items():
        if line_id not in lines:
            problems.append(Problem("no line of this plan has this id", field=f"edits.{line_id}"))
            continue
        if not isinstance(change, dict) or not change:
            problems.append(Problem("must be an object of fields to change", field=f"edits.{line_id}"))
            continue
        for key, value in change.items():
            kind = EDITABLE_FIELDS.get(key)
            if kind is None:
                problems.append(Problem(f"cannot edit {key!r}; editable: {', '.join(EDITABLE_FIELDS)}",
                                        field=f"edits.{line_id}.{key}"))
            elif value is not None and not isinstance(value, kind):
                problems.append(Problem(f"must be a {kind.__name__}", field=f"edits.{line_id}.{key}"))
            elif isinstance(value, str) and not 0 < len(value.strip()) <= 5000:
                problems.append(Problem("must be 1 to 5000 characters", field=f"edits.{line_id}.{key}"))
            elif key == "when" and value is not None and value not in PHASES:
                problems.append(Problem(f"must be one of: {', '.join(PHASES)}", field=f"edits.{line_id}.{key}"))
            elif key == "owner" and value is not None and value not in (owners := plan.get("owners") or []):
                problems.append(Problem(f"must be one of the plan's owners: {', '.join(owners)}",
                                        field=f"edits.{line_id}.{key}"))
    if problems:
        raise InvalidInput(problems)
    return edits


def _merged(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A None value reverts that field to the generated one."""
    merged = copy.deepcopy(old)
    for line_id, change in new.items():
        fields = {**merged.get(line_id, {}), **change}
        fields = {k: v for k, v in fields.items() if v is not None}
        if fields:
            merged[line_id] = fields
        else:
            merged.pop(line_id, None)
    return merged


async def _save(actor: Actor, row: dict[str, Any], expected_version: int | None, action: str,
                values: dict[Any, Any], target: Any, data: Any, edits: Any) -> None:
    if expected_version is None:
        raise InvalidInput(Problem("send the version you edited (field `version` or an If-Match header)",
                                   field="version"))
    async with write_transaction():
        expected = lock_version(expected_version)
        changed = await Plan.update({**values, Plan.version: expected + 1, Plan.updated_at: now(),
                                     Plan.updated_by: actor.user_id}).where(
            (Plan.id == row["id"]) & (Plan.version == expected)).returning(Plan.id)
        if not changed:
            current = await Plan.select(*PLAN_COLUMNS).where(Plan.id == row["id"]).first()
            if current is None:
                raise NotFound("plan not found")
            raise Conflict(f"this plan was changed by someone else (you edited version {expected_version}, the "
                           f"current version is {current['version']}); reload and apply your change again",
                           current={"id": current["id"], "version": current["version"]}, code="stale_version")
        await _revision(row["id"], expected_version + 1, action, target, data, edits, actor)
        await audit.record(actor, row["tenant"], f"plan.{action}", f"plan/{row['id']}", version=expected_version + 1)


async def edit_plan(actor: Actor, plan_id: int, edits: Any, expected_version: int | None) -> dict[str, Any]:
    row = await _writable(actor, plan_id)
    data = json_value(row["data"])
    merged = _merged(json_value(row["edits"]) or {}, _check_edits(data, edits))
    await _save(actor, row, expected_version, "edit", {Plan.edits: json.dumps(merged)}, json_value(row["target"]),
                data, merged)
    return await get_plan(actor, plan_id)


async def regenerate_plan(actor: Actor, plan_id: int, expected_version: int | None,
                          target: Any = None, *, index: MatcherIndex) -> dict[str, Any]:
    """Re-builds from the (new) target and the current library; manual edits are kept by line id."""
    row = await _writable(actor, plan_id)
    if expected_version is None:
        raise InvalidInput(Problem("send the version you edited (field `version` or an If-Match header)",
                                   field="version"))
    plan = await generate(await member_of(actor, row["tenant"]), f"{row['template_tenant']}/{row['template_slug']}",
                          json_value(row["target"]) if target is None else target, index=index)
    edits = json_value(row["edits"]) or {}
    await _save(actor, row, expected_version, "regenerate", {
        Plan.data: json.dumps(plan), Plan.target: json.dumps(plan["target"]), Plan.title: plan["title"][:300],
    }, plan["target"], plan, edits)
    return await get_plan(actor, plan_id)


async def delete_plan(actor: Actor, plan_id: int, expected_version: int | None) -> None:
    """Removes the plan and its revisions in one transaction, if nobody changed it since `expected_version`."""
    row = await _writable(actor, plan_id)
    if expected_version is None:
        raise InvalidInput(Problem("send the version you are deleting (field `version` or an If-Match header)",
                                   field="version"))
    async with write_transaction():  # a 409 below rolls the revisions back too
        await PlanRevision.delete().where(PlanRevision.plan == plan_id)
        gone = await Plan.delete().where(
            (Plan.id == plan_id) & (Plan.version == lock_version(expected_version))).returning(Plan.id)
        if not gone:
            current = await Plan.select(Plan.version).where(Plan.id == plan_id).first()
            version = current["version"] if current else None
            raise Conflict(f"this plan was changed by someone else (you are deleting version {expected_version}, "
                           f"the current version is {version}); reload and decide again",
                           current={"id": plan_id, "version": version}, code="stale_version")
        await audit.record(actor, row["tenant"], "plan.delete", f"plan/{plan_id}", version=expected_version,
                           title=row["title"])


async def revisions(actor: Actor, plan_id: int) -> list[dict[str, Any]]:
    await _readable(actor, plan_id)
    return await PlanRevision.select(
        PlanRevision.version, PlanRevision.action, PlanRevision.created_at,
        PlanRevision.author.email.as_alias("author"),
    ).where(PlanRevision.plan == plan_id).order_by(PlanRevision.version, ascending=False)


async def revision(actor: Actor, plan_id: int, version: int) -> dict[str, Any]:
    await _readable(actor, plan_id)
    rev = await PlanRevision.select(
        PlanRevision.version, PlanRevision.action, PlanRevision.created_at, PlanRevision.target,
        PlanRevision.data, PlanRevision.edits, PlanRevision.author.email.as_alias("author"),
    ).where((PlanRevision.plan == plan_id) & (PlanRevision.version == version)).first()
    if rev is None:
        raise NotFound(f"revision {version} not found")
    data, edits = json_value(rev.pop("data")), json_value(rev.pop("edits")) or {}
    apply_edits(data, edits)
    return {**rev, "target": json_value(rev["target"]), "edits": edits, "plan": data}


async def render(actor: Actor, plan_id: int, fmt: str) -> bytes | str:
    """PDF or Word bytes, or standalone HTML. Reads only: a failure here leaves the saved plan as it was."""
    plan = await get_plan(actor, plan_id)
    try:
        if fmt == "html":
            return plan_documents.document(plan, fmt)
        return await asyncio.to_thread(plan_documents.document, plan, fmt)
    except Exception as exc:  # WeasyPrint or template failure: report it, never half-write
        raise RenderFailed(f"the plan could not be rendered as {fmt.upper()} ({type(exc).__name__}); "
                           "the saved plan is unchanged") from exc
