"""The list-filter facets of a record kind: of its working copy for the owner, and of its published
snapshot for everyone else, so a list filter never matches on unpublished content.

Snapshot facets are stored under `p:<facet>` only while the snapshot differs from the working copy
(same version means same content); readers outside the owner match `p:` rows, or the plain rows when
the published version is the current one. One `FacetStore` per kind (its record table, its facet table
and the pairs of a document); SQL does the filtering on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from piccolo.custom_types import Combinable

from casebook.db.json_columns import json_value
from casebook.db.tables import CaseFacet, CaseRecord, LessonFacet, LessonRecord
from casebook.db.tables.publishable import PublishableRecord, RecordFacet
from casebook.domain.record_filters import facet_pairs, lesson_facet_pairs

PUBLISHED = "p:"
MAX_VALUE = 100


@dataclass(frozen=True)
class FacetStore:
    record: type[PublishableRecord]
    facet: type[RecordFacet]
    fk: str  # the facet table's column pointing at the record
    pairs: Callable[[dict[str, Any], bool], list[tuple[str, str]]]  # (document, is snapshot) -> pairs

    def _fk(self) -> Any:
        return getattr(self.facet, self.fk)

    def _pairs(self, data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
        return [(prefix + f, v[:MAX_VALUE]) for f, v in self.pairs(data, bool(prefix))]

    async def sync(self, record_id: int) -> None:
        """Re-derives every facet row of the record from its stored columns (inside the caller's transaction)."""
        t = self.record
        row = await t.select(t.data, t.version, t.published_version, t.published_data).where(
            t.id == record_id).first()
        await self.facet.delete().where(self._fk() == record_id)
        if row is None:
            return
        rows = self.rows(record_id, json_value(row["data"]), json_value(row["published_data"]), row["version"],
                         row["published_version"])
        if rows:
            await self.facet.insert(*(self.facet(**r) for r in rows))

    def rows(self, record_id: int, data: dict[str, Any], published_data: dict[str, Any] | None, version: int,
             published_version: int | None) -> list[dict[str, Any]]:
        """The facet rows of a record (column -> value): its working copy's, plus its snapshot's while that
        differs (for bulk writers that insert many at once)."""
        pairs = self._pairs(data)
        if published_data is not None and published_version != version:
            pairs += self._pairs(published_data, PUBLISHED)
        return [{self.fk: record_id, "facet": f, "value": v} for f, v in dict.fromkeys(pairs)]

    def _matching(self, facet: str, value: str) -> Any:
        return self.record.id.is_in(self.facet.select(self._fk()).where(
            (self.facet.facet == facet) & (self.facet.value == value[:MAX_VALUE])))

    def filter(self, facet: str, value: str, owned: list[int], working: Any = None) -> Any:
        """Records whose visible content has (facet, value): the working copy in `owned` tenants, else the
        snapshot. `working` replaces the facet-row match on the working copy (e.g. a column comparison)."""
        t = self.record
        working = self._matching(facet, value) if working is None else working
        current: Combinable = t.published_version == t.version
        if owned:
            current = current | t.tenant.is_in(owned)
            snapshot = t.tenant.not_in(owned) & self._matching(PUBLISHED + facet, value)
        else:
            snapshot = self._matching(PUBLISHED + facet, value)
        return (current & working) | snapshot


def case_pairs(data: dict[str, Any], snapshot: bool) -> list[tuple[str, str]]:
    """The working copy filters `status` on its column; a snapshot needs it as a facet."""
    return [*facet_pairs(data), *([("status", str(data.get("status")))] if snapshot else [])]


def lesson_pairs(data: dict[str, Any], snapshot: bool) -> list[tuple[str, str]]:
    return lesson_facet_pairs(data)


CASES = FacetStore(CaseRecord, CaseFacet, "case", case_pairs)
LESSONS = FacetStore(LessonRecord, LessonFacet, "lesson", lesson_pairs)
