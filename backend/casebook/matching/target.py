"""The target context of DESIGN.md: a case's keys, all optional except title and country, plus goals.

Validated with the case schema itself (so the vocabularies stay one), loosened to those rules.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

import jsonschema

from casebook.domain.casefile import field_path, schema, schema_problem
from casebook.domain.errors import InvalidInput, Problem
from casebook.matching import geography

MAX_GOALS = 5000
WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    target = copy.deepcopy(schema())
    target["required"] = ["title", "country"]
    target["properties"]["country"] = {"$ref": "#/$defs/country"}
    target["properties"]["goals"] = {"type": "string", "maxLength": MAX_GOALS}
    return jsonschema.Draft202012Validator(target)


def slugs_fields() -> tuple[str, ...]:
    """The keys (top-level) whose values are lists of vocabulary slugs."""
    return tuple(k for k, v in schema()["properties"].items() if v.get("$ref") == "#/$defs/slugs")


def as_slug(value: str) -> str:
    """A vocabulary value as the library writes it: lowercase words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", value.casefold()))


def normalised_context(raw: Any) -> Any:
    """A copy with plain-word vocabulary values ("Campesino communities") written as slugs, duplicates dropped;
    anything else is left for `validate_context` to judge."""
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    for key in slugs_fields():
        values = raw.get(key)
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            out[key] = list(dict.fromkeys(as_slug(v) or v for v in values))
    return out


def usable_text(data: dict[str, Any]) -> bool:
    words = " ".join(str(data.get(k) or "") for k in ("title", "summary", "goals"))
    return bool(WORD.search(words))


def validate_context(raw: Any) -> dict[str, Any]:
    """Returns the context unchanged when valid; otherwise one InvalidInput naming every problem."""
    if not isinstance(raw, dict):
        raise InvalidInput(Problem("must be an object with at least title and country", field="context"))
    problems = []
    for err in sorted(_validator().iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties":
            for key in sorted(set(err.instance) - set(err.schema.get("properties", {}))):
                problems.append(Problem("unknown key", field=f"context.{field_path((*path, key))}",
                                        code="unknown_field"))
            continue
        where = field_path(path)
        problem = schema_problem(err, f"context.{where}" if where else "context")
        if err.validator == "pattern" and path and path[0] in slugs_fields():
            problem.message += " (write it in plain words, e.g. “campesino communities”, or as campesino-communities)"
        problems.append(problem)
    codes = [("country", raw.get("country"))] + [(f"countries[{i}]", c) for i, c in
                                                 enumerate(raw.get("countries") or []) if isinstance(c, str)]
    for where, code in codes:
        if isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) and not geography.known(code):
            problems.append(Problem(f"unknown country code {code!r} (ISO 3166-1 alpha-2 expected)",
                                    field=f"context.{where}"))
    if not problems and not usable_text(raw):
        problems.append(Problem("no usable content: describe the situation in the title, summary or goals",
                                field="context"))
    if problems:
        raise InvalidInput(problems)
    return raw
