"""Renders a plan (the same JSON the API returns) to HTML with the plan template.

`standalone=True` inlines the print stylesheet so the file opens anywhere; the PDF links it instead,
through the static-only URL fetcher. `links=False` (the PDF) prints citations as plain [n], without a link each.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.planning.chart import context_chart
from casebook.planning.evidence import case_url
from casebook.planning.timing import by_owner
from casebook.planning.words import cap, day
from casebook.settings import FRONTEND_DIR, get_settings

CSS_PATH = FRONTEND_DIR / "static" / "css" / "plan-print.css"


def absolute(url: str | None) -> str:
    """An app path as an absolute link from the configured base URL (CASEBOOK_BASE_URL): a PDF or a Word file
    leaves the app, so a relative path would lead nowhere. Empty when no public base URL is configured: the
    reports then cite each case by its published source instead of a link no partner could open."""
    if not url:
        return ""
    if "://" in url:
        return url
    base = get_settings().link_base
    return base + url if base else ""


NO_LINKS = ("This copy carries no links to the Casebook site, which has no public address yet: each case is cited "
            "by the published source it was drawn from.")


def links_note() -> str | None:
    """What the reports say when they cannot link (no public base URL); None when they can."""
    return None if get_settings().link_base else NO_LINKS


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(FRONTEND_DIR / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(absolute=absolute, day=day, cap=cap)
    env.globals["links_note"] = links_note
    return env


def annex_groups(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive evidence entries of one case or one source document, numbered 1.. in annex order.

    The register sorts entries by case, then by source, so each group is one run."""
    groups: list[dict[str, Any]] = []
    for n, entry in enumerate(evidence, start=1):
        if entry["kind"] == "source":
            key: tuple = ("source", entry["source"])
        elif entry["kind"] == "lesson-record":  # lessons learned kept as their own records
            key = ("lesson-record",)
        else:
            key = ("case", entry["tenant"], entry["slug"])
        if not groups or groups[-1]["key"] != key:
            head = {k: entry.get(k) for k in ("publisher", "document", "year", "title", "cited", "status_note")}
            url = case_url(entry["tenant"], entry["slug"]) if key[0] == "case" else None
            groups.append({"key": key, "kind": key[0], "url": url, **head, "entries": []})
        groups[-1]["entries"].append((n, entry))
    return groups


def render(plan: dict[str, Any], standalone: bool = False, links: bool = True) -> str:
    evidence = {e["id"]: (n + 1, e) for n, e in enumerate(plan["evidence"])}
    return _env().get_template("plan/plan.html").render(
        plan=plan, evidence=evidence, annex=annex_groups(plan["evidence"]), fields=list(CONTEXT_SCALES), links=links,
        owners=by_owner(plan),
        chart=context_chart(plan["template"], plan["target"]),
        css=CSS_PATH.read_text() if standalone else None,
    )
