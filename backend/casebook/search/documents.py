"""Records -> search documents, following the publishing model (see casebook.services.publishing).

Readers outside the owner find a record only by its last approved snapshot, redacted; the owner finds
its working copy. So a record whose working copy IS the published snapshot (and has nothing to redact)
has one document, labelled for its whole audience. Otherwise the working copy is a document for the
owner alone (label t:owner), and the snapshot, when there is one, a second document for the audience
that its owner must not also get as a hit (`hide` holds t:owner; every query excludes the reader's own
tenants from it).

Ids are unique across kinds, since cases and lessons share one index: "c12" (case 12), "c12p" (its
published snapshot while the working copy differs), "l5", "l5p" (lesson 5). Each document of a case
brings one document per building block, with the same labels and made from the same (redacted) data,
so a block is found exactly where its case is: "c12b0", "c12pb0"... by position (a case holds at most
MAX_BLOCKS, the schema's limit, so a change knows every id it may have to remove). A block document's
slug is "{case slug}/blocks/{block id}", the block page's address below the tenant.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from casebook.db.networks import networks_of
from casebook.db.publication import publication_columns
from casebook.db.tables import CaseRecord, LessonRecord
from casebook.db.tables.publishable import PublishableRecord
from casebook.domain.access import record_labels
from casebook.domain.casefile import schema
from casebook.domain.redaction import redact
from casebook.domain.visibility import json_value
from casebook.search.content import block_contents, case_content, lesson_content
from casebook.search.highlight import snippet_material
from casebook.search.interface import KINDS


@dataclass(frozen=True)
class Source:
    """A kind of publishable record (its table, read with the publishing columns) that becomes documents."""

    name: str  # "case" | "lesson": also the outbox entity
    table: type[PublishableRecord]
    prefix: str  # document id prefix
    content: Callable[[dict[str, Any], Any], dict[str, Any]]
    blocks: bool = False  # its documents bring one document per building block

    def ids(self, record_id: int) -> tuple[str, str]:
        """(working-copy document id, published-snapshot document id) of a record."""
        return f"{self.prefix}{record_id}", f"{self.prefix}{record_id}p"

    def all_ids(self, record_id: int) -> list[str]:
        """Every document id a record may have in the index (its blocks' included)."""
        ids = self.ids(record_id)
        return [*ids, *(f"{i}b{n}" for i in ids for n in range(MAX_BLOCKS))] if self.blocks else list(ids)


MAX_BLOCKS: int = schema()["properties"]["building_blocks"]["maxItems"]
SOURCES = {"case": Source("case", CaseRecord, "c", case_content, blocks=True),
           "lesson": Source("lesson", LessonRecord, "l", lesson_content)}
assert (*SOURCES, "block") == KINDS and tuple(SOURCES) == tuple(s.name for s in SOURCES.values())


def fingerprint(doc: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in doc.items() if k != "fp"}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(body.encode()).hexdigest()[:16]


def _finish(doc: dict[str, Any]) -> dict[str, Any]:
    doc["words"] = snippet_material(doc)
    doc["fp"] = fingerprint(doc)
    return doc


def _document(source: Source, row: dict[str, Any], doc_id: str, data: dict[str, Any], labels: list[str],
              hide: list[str], stamp: Any) -> list[dict[str, Any]]:
    """The record's document and, for a case, its blocks' documents, all for the same audience."""
    content = source.content(data, stamp)
    access = {"labels": labels, "hide": hide}
    docs = [_finish({"id": doc_id, "tenant": row["tenant_slug"], "slug": row["slug"], **content, **access})]
    if source.blocks:
        docs += [_finish({"id": f"{doc_id}b{n}", "tenant": row["tenant_slug"],
                          "slug": f"{row['slug']}/blocks/{block_id}", **block, **access})
                 for n, (block_id, block) in enumerate(block_contents(data, content, MAX_BLOCKS))]
    return docs


def record_documents(source: Source, row: dict[str, Any], owner_networks: Iterable[int]) -> list[dict[str, Any]]:
    """The documents of one live record: one, or the owner's working copy plus the published snapshot."""
    owner = f"t:{row['tenant']}"
    working_id, snapshot_id = source.ids(row["id"])
    audience = row["published_visibility"]
    snapshot = json_value(row["published_data"]) if audience else None
    outside = [label for label in record_labels(row["tenant"], audience, owner_networks) if label != owner] \
        if snapshot is not None else []
    published_at = row["published_at"] or row["updated_at"]
    shown = redact(snapshot) if outside else None  # `redact` returns its argument when nothing is hidden
    if outside and shown is snapshot and row["publication"] == "published" \
            and row["version"] == row["published_version"]:
        return _document(source, row, working_id, snapshot, [owner, *outside], [], published_at)
    docs = _document(source, row, working_id, json_value(row["data"]), [owner], [], row["updated_at"])
    if outside:
        docs += _document(source, row, snapshot_id, shown, outside, [owner], published_at)
    return docs


async def documents_for(kind: str, record_ids: Iterable[int] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """(documents to index, document ids to remove) for these records of a kind, or for all of them."""
    source = SOURCES[kind]
    table = source.table
    query = table.select(*publication_columns(table))
    wanted = None if record_ids is None else sorted(set(record_ids))
    if wanted is not None:
        if not wanted:
            return [], []
        query = query.where(table.id.is_in(wanted))
    rows = await query.order_by(table.id)
    networks: dict[int, set[int]] = {}
    docs: list[dict[str, Any]] = []
    for row in rows:
        if row["deleted_at"] is not None:
            continue
        owner = row["tenant"]
        if owner not in networks:
            networks[owner] = await networks_of(frozenset({owner}))
        docs.extend(record_documents(source, row, networks[owner]))
    live = {d["id"] for d in docs}
    records = wanted if wanted is not None else [r["id"] for r in rows]
    gone = [doc_id for i in records for doc_id in source.all_ids(i) if doc_id not in live]
    return docs, gone


async def all_documents() -> list[dict[str, Any]]:
    """Every document of every kind: what a rebuild indexes and a drift check expects."""
    docs: list[dict[str, Any]] = []
    for kind in SOURCES:
        docs.extend((await documents_for(kind))[0])
    return docs
