"""Renders a plan (the same JSON the API returns) to HTML with the plan template.

`standalone=True` inlines the print stylesheet so the file opens anywhere; the PDF links it instead,
through the static-only URL fetcher.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.planning.chart import context_chart
from casebook.settings import FRONTEND_DIR

CSS_PATH = FRONTEND_DIR / "static" / "css" / "plan-print.css"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(FRONTEND_DIR / "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render(plan: dict[str, Any], standalone: bool = False) -> str:
    evidence = {e["id"]: (n + 1, e) for n, e in enumerate(plan["evidence"])}
    return _env().get_template("plan/plan.html").render(
        plan=plan, evidence=evidence, fields=list(CONTEXT_SCALES),
        chart=context_chart(plan["template"], plan["target"]),
        css=CSS_PATH.read_text() if standalone else None,
    )
