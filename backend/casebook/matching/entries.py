"""The matcher's view of a case row: one Entry per view a reader may see (publishing model).

A case has up to two views: the owner's working copy `data`, and the approved snapshot
`published_data`, redacted, which readers outside the owner see while `published_visibility` is
set; when both are the same document one entry serves both. This is the one place the matcher turns
a stored row into documents (its JSON columns decoded by domain.visibility.json_value, the tree's one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from casebook.db.tables import CaseRecord
from casebook.domain.redaction import redact
from casebook.domain.visibility import json_value
from casebook.matching.profile import Profile, profile

CASE_COLUMNS = (CaseRecord.id, CaseRecord.tenant, CaseRecord.tenant.slug.as_alias("tenant_slug"),
                CaseRecord.slug, CaseRecord.version, CaseRecord.data, CaseRecord.published_version,
                CaseRecord.published_visibility, CaseRecord.published_data, CaseRecord.deleted_at)


@dataclass
class Entry:
    """One view of a live case, as the matcher sees it: the owner's working copy, the redacted
    published snapshot that everyone else reads, or both when they are the same document."""

    case_id: int
    tenant: int
    tenant_slug: str
    slug: str
    doc: dict[str, Any]
    owner: bool = True  # members of the owner tenant read this view
    audience: str | None = None  # who outside the owner reads it: network | public | None
    state: tuple = ()  # what a change must differ in to be applied again
    profile: Profile = field(init=False)
    digest: bytes = field(init=False)  # of the text: content address of its vectors

    def __post_init__(self) -> None:
        self.profile = profile(self.doc)
        self.digest = digest(self.profile.text)

    @property
    def title(self) -> str:
        return str(self.doc.get("title") or self.slug)

    @property
    def country(self) -> str | None:
        return self.profile.country


def digest(text: str) -> bytes:
    """The content address of a text: stored vectors and fit samples are keyed by it (store.py)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def entries_from_row(row: dict[str, Any]) -> list[Entry]:
    """The views of a case row (publishing model): the owner reads `data`; others read the approved
    snapshot, redacted, and only while `published_visibility` is network or public."""
    data, snapshot = json_value(row["data"]), json_value(row["published_data"])
    audience = row["published_visibility"] if row["published_visibility"] in ("network", "public") else None
    shown = redact(snapshot) if audience and isinstance(snapshot, dict) else None
    audience = audience if shown is not None else None
    state = (row["version"], row["published_version"], audience)
    base = {"case_id": row["id"], "tenant": row["tenant"], "tenant_slug": row["tenant_slug"], "slug": row["slug"],
            "state": state}
    if shown == data:  # nothing redacted and nothing pending: one view serves every reader
        return [Entry(doc=data, owner=True, audience=audience, **base)]
    views = [Entry(doc=data, owner=True, audience=None, **base)]
    if shown is not None:
        views.append(Entry(doc=shown, owner=False, audience=audience, **base))
    return views


def changes(rows: list[dict[str, Any]], case_ids: list[int]) -> dict[int, list[Entry]]:
    """Case id -> its views now, from the rows read for `case_ids` (no views: deleted or gone)."""
    by_id = {r["id"]: r for r in rows}
    return {cid: (entries_from_row(by_id[cid]) if cid in by_id and by_id[cid]["deleted_at"] is None else [])
            for cid in case_ids}
