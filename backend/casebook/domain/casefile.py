"""Case files: parse YAML, validate against cases/schema.json, and report problems by file, line and field."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pycountry
import yaml

from casebook.domain.blocks import block_ids, slugify
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.paths import CASES_DIR
from casebook.domain.redaction import NEVER_SENSITIVE

SCHEMA_PATH = CASES_DIR / "schema.json"
NON_CASE_FILES = {"vocabulary.yaml"}

FieldPath = tuple[str | int, ...]  # a place in a document: its keys and list positions
LineIndex = dict[FieldPath, int]  # the 1-based line where each place starts in the YAML text


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """The same schema compiled in Rust: a valid document (the usual case, e.g. in bulk imports) is checked in
    microseconds; only an invalid one goes through the slower validator that explains each problem."""
    return jsonschema_rs.validator_for(schema())


def _quickly_valid(data: Any) -> bool:
    """True when the Rust validator accepts the document; False (so the full check explains) when it does not,
    or cannot read it (a mapping with non-string keys, from YAML such as `{null: 1}`)."""
    try:
        return bool(_fast_validator().is_valid(data))
    except (ValueError, TypeError, OverflowError):
        return False


def key_order() -> list[str]:
    return list(schema()["properties"])


def sensitive_keys() -> frozenset[str]:
    """The top-level keys a case may hide outside its owner: all but the identifying ones."""
    return frozenset(key_order()) - set(NEVER_SENSITIVE)


def _sensitive_problems(data: dict[str, Any], filename: str | None, lines: LineIndex) -> list[Problem]:
    problems = []
    listed = data.get("sensitive")
    for i, key in enumerate(listed if isinstance(listed, list) else []):
        if key in NEVER_SENSITIVE:
            message = f"{key!r} identifies the case and cannot be sensitive"
        elif isinstance(key, str) and key not in sensitive_keys():
            message = f"{key!r} is not a key of a case"
        else:
            continue
        problems.append(Problem(message, field=f"sensitive[{i}]", file=filename,
                                line=line_for(lines, ("sensitive", i))))
    return problems


def field_path(path: Iterable[Any]) -> str:
    """['partners', 0, 'type'] -> 'partners[0].type'"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_index(node: yaml.Node, path: FieldPath = (), index: LineIndex | None = None) -> LineIndex:
    """Maps each value path in a composed YAML document to its 1-based line."""
    index = {} if index is None else index
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _line_index(value, (*path, key.value), index)
            index[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), index)
    return index


def line_for(lines: LineIndex, path: FieldPath) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


MAX_DEPTH = 40  # a case file nests a few levels; deeper is an attack on the recursive composer


class _CaseLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases (a few nested aliases expand exponentially: "billion
    laughs", and `&a [*a]` is a cycle) and nesting deeper than MAX_DEPTH, before anything is built."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed in case and lesson files",
                event.start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                                  event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# YAML 1.1 reads yes/no/on/off (any case) as booleans, so Norway's `country: NO` or `countries: [NO, SE]` became
# False. Case, lesson and target files resolve booleans as YAML 1.2 does: only true and false.
_CaseLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_CaseLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def parse_yaml(text: str, filename: str | None = None) -> tuple[Any, LineIndex]:
    """One YAML document and the line of each value path; InvalidInput names file and line of a problem."""
    loader = None
    try:
        loader = _CaseLoader(text)  # the reader already refuses control characters here
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(
            Problem(f"not valid YAML: {reason}", file=filename, line=mark.line + 1 if mark else None)
        ) from None
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2020-13-45 that the resolver accepts
        raise InvalidInput(Problem(f"not valid YAML: {exc}", file=filename)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, (_line_index(node) if node is not None else {})


def check_case(data: Any, filename: str | None = None, lines: LineIndex | None = None) -> list[Problem]:
    """Every problem with one case document: schema, country codes, and cross-field rules."""
    lines = lines or {}
    if not isinstance(data, dict):
        return [Problem("a case must be a mapping of keys to values", file=filename, line=1)]
    problems = []
    errors = [] if _quickly_valid(data) else sorted(
        _validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors:
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            for key in extra:
                problems.append(Problem(
                    "unknown key", field=field_path((*path, key)), file=filename,
                    line=line_for(lines, (*path, key)), code="unknown_field"))
            continue
        problems.append(schema_problem(err, field_path(path) or None, file=filename, line=line_for(lines, path)))
    for path, code in _country_codes(data):
        if isinstance(code, str) and len(code) == 2 and not pycountry.countries.get(alpha_2=code):
            problems.append(Problem(f"unknown country code {code!r} (ISO 3166-1 alpha-2 expected)",
                                    field=field_path(path), file=filename, line=line_for(lines, path)))
    problems.extend(_sensitive_problems(data, filename, lines))
    problems.extend(_block_id_problems(data, filename, lines))
    period = data.get("period") or {}
    if not isinstance(period, dict):
        period = {}
    start, end = period.get("start"), period.get("end")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        problems.append(Problem("period.end is before period.start", field="period.end", file=filename,
                                line=line_for(lines, ("period", "end"))))
    return problems


def _block_id_problems(data: dict[str, Any], filename: str | None, lines: LineIndex) -> list[Problem]:
    """Block ids are addresses (/cases/t/s/blocks/{id}): an explicit id may not repeat another block's id or
    title slug, since one of the two pages would silently move. Titles alone may repeat (they get -2, -3)."""
    blocks = data.get("building_blocks")
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        return []
    bases = [str(b.get("id") or slugify(str(b.get("title") or ""))) for b in blocks]
    final = block_ids(blocks)
    problems = []
    for i, block in enumerate(blocks):
        clash = next((j for j in range(len(blocks)) if j != i and (
            (block.get("id") and bases[j] == bases[i] and (j < i or not blocks[j].get("id")))
            or (j < i and final[j] == final[i]))), None)
        if clash is None:
            continue
        path = ("building_blocks", i, "id") if block.get("id") else ("building_blocks", i, "title")
        problems.append(Problem(
            f"block id {bases[i] if block.get('id') else final[i]!r} is already the id of "
            f"building_blocks[{clash}] ({blocks[clash].get('title')!r}); give each block its own id",
            field=field_path(path), file=filename, line=line_for(lines, path)))
    return problems


def _country_codes(data: dict[str, Any]) -> Iterable[tuple[FieldPath, Any]]:
    yield ("country",), data.get("country")
    countries = data.get("countries")
    if isinstance(countries, list):  # any other type is the schema's problem, reported beside this one
        for i, code in enumerate(countries):
            yield ("countries", i), code


def schema_problem(err: jsonschema.ValidationError, field: str | None, **where: Any) -> Problem:
    """The Problem of one JSON-schema error. A missing key is code `required`, `field` the object lacking it
    and `missing` the key (read from jsonschema's message, the one place its wording is relied on)."""
    if err.validator == "required":
        missing = next((k for k in err.validator_value if err.message.startswith(repr(k))), None)
        return Problem(_message(err), field=field, code="required", missing=missing, **where)
    return Problem(_message(err), field=field, **where)


def _message(err: jsonschema.ValidationError) -> str:
    if err.validator == "required":
        return err.message.replace("is a required property", "is required")
    if err.validator == "enum":
        allowed = ", ".join(str(v) for v in err.validator_value if v is not None)
        return f"{err.instance!r} is not one of: {allowed}"
    if err.validator == "pattern":
        return f"{err.instance!r} has the wrong form"
    if err.validator == "oneOf":
        return f"{err.instance!r} is not a valid value here"
    return err.message


def validate_case(data: Any, filename: str | None = None, lines: LineIndex | None = None) -> dict[str, Any]:
    problems = check_case(data, filename, lines)
    if problems:
        raise InvalidInput(problems)
    return data


def load_case_text(text: str, filename: str | None = None) -> dict[str, Any]:
    data, lines = parse_yaml(text, filename)
    return validate_case(data, filename, lines)


def case_files(paths: Iterable[Path]) -> list[Path]:
    """Expands folders into their *.yaml case files, in a stable order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.glob("*.y*ml")) if p.name not in NON_CASE_FILES)
        else:
            out.append(path)
    return out


def load_documents(files: Iterable[Path], load_text: Callable[[str, str], dict[str, Any]]
                   ) -> list[tuple[Path, dict[str, Any]]]:
    """Loads many YAML files with `load_text(text, filename)` (which raises InvalidInput) and checks slugs
    are unique; raises one InvalidInput listing every problem in every file, so nothing is half-imported."""
    loaded: list[tuple[Path, dict[str, Any]]] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}  # slug -> the file that has it
    for path in files:
        try:
            data = load_text(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(f"cannot read file: {exc}", file=str(path)))
            continue
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        if data["slug"] in seen:
            problems.append(Problem(f"duplicate slug {data['slug']!r}, also in {seen[data['slug']]}",
                                    field="slug", file=str(path)))
            continue
        seen[data["slug"]] = str(path)
        loaded.append((path, data))
    if problems:
        raise InvalidInput(problems)
    return loaded


def load_case_files(paths: Iterable[Path]) -> list[tuple[Path, dict[str, Any]]]:
    return load_documents(case_files(paths), load_case_text)


def dump_case(data: dict[str, Any]) -> str:
    """YAML in the schema's key order, so exports read like the hand-written files."""
    order = {k: i for i, k in enumerate(key_order())}
    ordered = dict(sorted(data.items(), key=lambda kv: order.get(kv[0], len(order))))
    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100)
