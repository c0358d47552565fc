"""Lesson documents: parse YAML, check every field, and report problems by file, line and field.

A lesson is small and flat, so plain checks read better than a JSON Schema. Whether the linked cases
exist and are readable depends on who writes, so the service checks that (`cases` here is form only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from casebook.domain.casefile import FieldPath, LineIndex, field_path, line_for, load_documents, parse_yaml
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.vocabulary import MSP_STEPS, SCALING_DIMENSIONS

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as cases/schema.json
CASE_REF = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")
TAG = re.compile(r"^[\w][\w .&'+-]*$")
MAX_BODY = 20_000
MAX_TAGS, MAX_TAG = 20, 40
MAX_CASES, MAX_SOURCES, MAX_SOURCE = 20, 20, 300
KEYS = ("slug", "title", "body", "tags", "msp_steps", "dimensions", "cases", "sources")
REQUIRED = ("slug", "title", "body")


def _problem(message: str, path: FieldPath, prefix: str, filename: str | None, lines: LineIndex,
             code: str = "invalid") -> Problem:
    name = field_path(path)
    return Problem(message, field=f"{prefix}.{name}" if prefix else name, file=filename,
                   line=line_for(lines, path), code=code)


def _text(value: Any, low: int, high: int) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    n = len(value.strip())
    if not low <= n <= high:
        return f"must be {low} to {high} characters (it is {n})"
    return None


def _list(data: dict[str, Any], key: str, limit: int) -> tuple[list[Any], str | None]:
    value = data.get(key)
    if value is None:
        return [], None
    if not isinstance(value, list):
        return [], "must be a list"
    if len(value) > limit:
        return [], f"at most {limit} items (there are {len(value)})"
    if len({repr(v) for v in value}) != len(value):
        return value, "lists a value twice"
    return value, None


def check_lesson(data: Any, prefix: str = "lesson", filename: str | None = None,
                 lines: LineIndex | None = None) -> list[Problem]:
    """Every problem with one lesson document, each named by its field (`lesson.tags[2]`)."""
    lines = lines or {}
    if not isinstance(data, dict):
        return [Problem("a lesson must be a mapping of keys to values", field=prefix, file=filename, line=1)]
    problems: list[Problem] = []

    def add(message: str, *path: Any, code: str = "invalid") -> None:
        problems.append(_problem(message, path, prefix, filename, lines, code))

    for key in sorted(set(data) - set(KEYS), key=str):
        add("unknown key", str(key), code="unknown_field")
    for key in REQUIRED:
        if data.get(key) in (None, ""):
            add("is required", key, code="required")
    if data.get("slug") not in (None, "") and not (isinstance(data["slug"], str) and SLUG.match(data["slug"])
                                                  and len(data["slug"]) <= 80):
        add("must be lowercase letters and digits joined by hyphens, at most 80 characters", "slug")
    if data.get("title") not in (None, "") and (why := _text(data["title"], 3, 200)):
        add(why, "title")
    if data.get("body") not in (None, "") and (why := _text(data["body"], 1, MAX_BODY)):
        add(why, "body")
    checks: tuple[tuple[str, int, Callable[[Any], str | None]], ...] = (  # (key, most items, why one is wrong)
        ("tags", MAX_TAGS, lambda v: None if isinstance(v, str) and TAG.match(v.strip()) and len(v) <= MAX_TAG
         else f"must be a short tag of at most {MAX_TAG} letters, digits, spaces or hyphens"),
        ("msp_steps", 12, lambda v: None if isinstance(v, int) and not isinstance(v, bool) and v in MSP_STEPS
         else "must be an MSP step number from 1 to 12"),
        ("dimensions", 4, lambda v: None if v in SCALING_DIMENSIONS
         else f"must be one of {', '.join(SCALING_DIMENSIONS)}"),
        ("cases", MAX_CASES, lambda v: None if isinstance(v, str) and CASE_REF.match(v)
         else "must name a case as tenant/slug"),
        ("sources", MAX_SOURCES, lambda v: _text(v, 1, MAX_SOURCE)),
    )
    for key, limit, check in checks:
        values, why = _list(data, key, limit)
        if why:
            add(why, key)
        for i, value in enumerate(values):
            if (why := check(value)) is not None:
                add(why, key, i)
    return problems


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a valid lesson: trimmed text, sorted steps, no empty lists."""
    out: dict[str, Any] = {"slug": data["slug"], "title": data["title"].strip(),
                           "body": data["body"].replace("\r\n", "\n").strip()}
    if data.get("tags"):
        out["tags"] = [t.strip() for t in data["tags"]]
    if data.get("msp_steps"):
        out["msp_steps"] = sorted(data["msp_steps"])
    if data.get("dimensions"):
        out["dimensions"] = [d for d in SCALING_DIMENSIONS if d in data["dimensions"]]
    for key in ("cases", "sources"):
        if data.get(key):
            out[key] = list(data[key])
    return out


def validate_lesson(data: Any, prefix: str = "lesson") -> dict[str, Any]:
    problems = check_lesson(data, prefix)
    if problems:
        raise InvalidInput(problems)
    return normalised(data)


def load_lesson_text(text: str, filename: str) -> dict[str, Any]:
    """One lesson file, checked and normalised; InvalidInput names file, line and field."""
    data, lines = parse_yaml(text, filename)
    found = check_lesson(data, prefix="", filename=filename, lines=lines)
    if found:
        raise InvalidInput(found)
    return normalised(data)


def load_lesson_files(paths: Iterable[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Loads and checks lesson YAML files (folders expand to *.yaml); one InvalidInput lists every problem."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.y*ml")) if path.is_dir() else [path])
    return load_documents(files, load_lesson_text)


def dump_lesson(data: dict[str, Any]) -> str:
    ordered = {k: data[k] for k in KEYS if k in data}
    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100)
