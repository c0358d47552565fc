"""Differences between two case documents, field by field, for revision history and the compare page.

A case is flattened into leaf paths (`context.trust`, `period.start`); lists of plain values
(sectors, SDGs) stay one field, compared as sets, because their order carries no meaning. Long
texts get a word-level diff so a reader sees what was rewritten, not two walls of text.

Lists of objects (partners, building blocks, risks, sources, outcomes, scaling) are compared by identity
(`IDENTITY`: a partner is its name), not by position, so inserting a partner at the top reads as one added
partner (`partners[New Org]`) instead of every partner changed. An item whose identity changed in place (a
renamed partner at the same position) is still one item with a changed field.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from casebook.domain.casefile import FieldPath, field_path, key_order

LONG_TEXT = 80
LABEL = 60  # characters of an identity shown in a path
# The field(s) that identify an item of a list of objects; duplicates get " (2)", " (3)"...
IDENTITY: dict[str, tuple[str, ...]] = {
    "partners": ("name",), "building_blocks": ("title",), "risks": ("area", "description"),
    "sources": ("title",), "outcomes": ("indicator",), "scaling": ("dimension",),
}


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


def flatten(value: Any, path: FieldPath = ()) -> dict[str, Any]:
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


def _leaf(path: str, a: Any, b: Any) -> Change | None:
    if a == b:
        return None
    if a is None:
        return Change(path, "added", after=b)
    if b is None:
        return Change(path, "removed", before=a)
    if isinstance(a, list) and isinstance(b, list):
        added = tuple(v for v in b if v not in a)
        removed = tuple(v for v in a if v not in b)
        return Change(path, "changed", a, b, added=added, removed=removed) if added or removed else None
    if isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > LONG_TEXT:
        return Change(path, "changed", a, b, words=word_diff(a, b))
    return Change(path, "changed", a, b)


def _leaves(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[Change]:
    found = (_leaf(f"{prefix}{path}" if prefix else path, old.get(path), new.get(path))
             for path in sorted(set(old) | set(new), key=_order))
    return [c for c in found if c is not None]


def _is_object_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _labelled(key: str, items: list[dict[str, Any]]) -> list[str]:
    """Each item's identity (position when it has none); a repeated identity gets its occurrence number."""
    labels: list[str] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        ident = ": ".join(str(item[f]) for f in IDENTITY[key] if item.get(f) not in (None, "")) or f"#{i + 1}"
        ident = ident if len(ident) <= LABEL else ident[:LABEL - 1] + "…"
        seen[ident] = seen.get(ident, 0) + 1
        labels.append(ident if seen[ident] == 1 else f"{ident} ({seen[ident]})")
    return labels


def _summary(item: dict[str, Any]) -> str:
    return "; ".join(f"{path}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                     for path, v in flatten(item).items())


def _diff_items(key: str, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[Change]:
    """Items matched by identity; an unmatched old and new item at the same position are one item whose
    identity changed; the rest are one added or removed change each, in the new list's order."""
    old_labels, new_labels = _labelled(key, before), _labelled(key, after)
    old_at = {label: i for i, label in enumerate(old_labels)}
    unmatched_old = {i for i, label in enumerate(old_labels) if label not in new_labels}
    ranked: list[tuple[float, list[Change]]] = []
    for j, label in enumerate(new_labels):
        i = old_at.get(label)
        if i is None and j in unmatched_old:  # renamed in place
            i = j
            unmatched_old.discard(j)
        path = f"{key}[{label}]"
        if i is None:
            ranked.append((j, [Change(path, "added", after=_summary(after[j]))]))
        else:
            ranked.append((j, _leaves(flatten(before[i]), flatten(after[j]), prefix=f"{path}.")))
    for i in unmatched_old:
        ranked.append((i - 0.5, [Change(f"{key}[{old_labels[i]}]", "removed", before=_summary(before[i]))]))
    return [c for _, changes in sorted(ranked, key=lambda r: r[0]) for c in changes]


def diff_cases(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """Every leaf that differs, in the schema's field order; lists of objects item by item (`IDENTITY`)."""
    before, after = before or {}, after or {}
    by_identity = {k for k in IDENTITY if _is_object_list(before.get(k) or []) and _is_object_list(after.get(k) or [])}
    old, new = (flatten({k: v for k, v in doc.items() if k not in by_identity}) for doc in (before, after))
    plain = _leaves(old, new)
    items = {k: _diff_items(k, before.get(k) or [], after.get(k) or []) for k in by_identity}
    keys = key_order()
    out: list[tuple[int, int, Change]] = [(_order(c.path)[0], n, c) for n, c in enumerate(plain)]
    out += [(keys.index(k) if k in keys else len(keys), len(plain) + n, c)
            for k, changes in items.items() for n, c in enumerate(changes)]
    return [c for *_, c in sorted(out, key=lambda t: (t[0], t[1]))]


@dataclass
class Section:
    name: str
    changes: list[Change] = field(default_factory=list)


def by_section(changes: list[Change]) -> list[Section]:
    sections: dict[str, Section] = {}
    for change in changes:
        sections.setdefault(change.section, Section(change.section)).changes.append(change)
    return list(sections.values())
