"""Differences between two case documents, field by field, for revision history and the compare page.

A case is flattened into leaf paths (`context.trust`, `partners[1].name`); lists of plain values
(sectors, SDGs) stay one field, compared as sets, because their order carries no meaning. Long
texts get a word-level diff so a reader sees what was rewritten, not two walls of text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from casebook.domain.casefile import field_path, key_order

LONG_TEXT = 80


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # added | removed | changed
    before: Any = None
    after: Any = None
    added: tuple[Any, ...] = ()  # for lists of plain values
    removed: tuple[Any, ...] = ()
    words: tuple[tuple[str, str], ...] = ()  # for long texts: (op, text) with op in = - +

    @property
    def section(self) -> str:
        return re.split(r"[.\[]", self.path, maxsplit=1)[0]


def _is_plain_list(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def flatten(value: Any, path: tuple = ()) -> dict[str, Any]:
    """{'context.trust': 'low', 'partners[0].name': 'X', 'sectors': ['mining']} — empty values dropped."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, (*path, key)))
    elif isinstance(value, list) and not _is_plain_list(value):
        for i, item in enumerate(value):
            out.update(flatten(item, (*path, i)))
    elif value not in (None, "", [], {}):
        out[field_path(path)] = value
    return out


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    old, new = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", "".join(old[i1:i2])))
        if j2 > j1:
            ops.append(("+", "".join(new[j1:j2])))
    return tuple(ops)


def _order(path: str) -> tuple[int, str]:
    keys = key_order()
    top = re.split(r"[.\[]", path, maxsplit=1)[0]
    index = [int(n) for n in re.findall(r"\[(\d+)\]", path)]
    return (keys.index(top) if top in keys else len(keys), f"{top}{index}{path}")


def diff_cases(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """Every leaf that differs, in the schema's field order."""
    old, new = flatten(before or {}), flatten(after or {})
    changes = []
    for path in sorted(set(old) | set(new), key=_order):
        a, b = old.get(path), new.get(path)
        if a == b:
            continue
        if a is None:
            changes.append(Change(path, "added", after=b))
        elif b is None:
            changes.append(Change(path, "removed", before=a))
        elif isinstance(a, list) and isinstance(b, list):
            added = tuple(v for v in b if v not in a)
            removed = tuple(v for v in a if v not in b)
            if added or removed:
                changes.append(Change(path, "changed", a, b, added=added, removed=removed))
        elif isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > LONG_TEXT:
            changes.append(Change(path, "changed", a, b, words=word_diff(a, b)))
        else:
            changes.append(Change(path, "changed", a, b))
    return changes


@dataclass
class Section:
    name: str
    changes: list[Change] = field(default_factory=list)


def by_section(changes: list[Change]) -> list[Section]:
    sections: dict[str, Section] = {}
    for change in changes:
        sections.setdefault(change.section, Section(change.section)).changes.append(change)
    return list(sections.values())
