"""The embedded backend: a tantivy index on disk under CASEBOOK_HOME.

Layout: `<index_dir>/CURRENT` names the live generation folder (`v<schema>-g<n>`). A rebuild fills
a new generation and then replaces CURRENT atomically, so searches never see a half-built index;
other processes notice the change on their next search.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy

from casebook.search.interface import (
    FACETS,
    FIELD_BOOSTS,
    HIGHLIGHT_FIELDS,
    EngineHit,
    EngineQuery,
    EngineResult,
    SearchUnavailable,
)
from casebook.search.query import typo_budget
from casebook.search.tantivy_ranking import position_ranks, rules, tier_query
from casebook.search.term_expansion import Expansions

# 2: one combined fast field "facets" for counting; 3: text ids, kind, hide, words; 4: status and
# evidence level stored (badges on every hit); 5: `seq` (ranking)
SCHEMA_VERSION = 5
ANALYZER = "casebook"
TEXT_FIELDS = tuple(FIELD_BOOSTS)
STORED = ("tenant", "slug", "fp", *HIGHLIGHT_FIELDS)
STORED_FACETS = ("kind", "status", "evidence_level")
FUZZY_WEIGHT = 0.3  # a typo or prefix match counts less than the word itself
SYNONYM_WEIGHT = 0.8
WRITER_HEAP = 64_000_000
QUERY_CACHE = 512
POOL_MARGIN = 30  # candidates re-ranked beyond the page, so the page's own order is exact
# Tiers above BM25 in the candidate query (BM25 rarely reaches this; when it does, only the pool's edge moves,
# as the tier is then read exactly). Small, so that BM25 read back from the f32 score keeps its decimals.
TIER_SCALE = 128.0
FACET_SEP = "="  # "country=IN": every facet value in one fast field, counted by one aggregation
FACET_BUCKETS = 60_000  # above the number of distinct facet values, so every count is exact
# Facet counts and the total in one pass over the matching documents, so the top-hits search can skip
# counting (and prune with block-max WAND).
FACET_AGGREGATION = {"facets": {"terms": {"field": "facets", "size": FACET_BUCKETS, "segment_size": FACET_BUCKETS}},
                     "total": {"value_count": {"field": "date"}}}


def seq_of(doc_id: str) -> int:
    """A stable 56-bit number for a document id (collisions are beyond any index size we hold)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=7).digest(), "big")


def _analyzer() -> Any:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())


def _schema() -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("date", stored=True, indexed=True, fast=True)
    builder.add_integer_field("seq", indexed=True, fast=True)  # a number per id: re-scores a candidate pool
    for name in ("id", "tenant", "slug", "fp"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    builder.add_bytes_field("words", stored=True)  # snippet material, read only for the hits of a page
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=name in STORED, tokenizer_name=ANALYZER)
    builder.add_text_field("all", tokenizer_name=ANALYZER, index_option="basic")
    builder.add_text_field("country_code", stored=True, tokenizer_name="raw")
    for name in (*FACETS, "labels", "hide"):
        builder.add_text_field(name, stored=name in STORED_FACETS, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("facets", fast=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


class TantivyBackend:
    name = "tantivy"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.schema = _schema()
        self._index: Any = None
        self._searcher: Any = None  # one searcher per loaded commit, shared by every query
        self._queries: dict[tuple, Any] = {}  # built engine queries of the current searcher (typo expansions)
        self._expansions = Expansions()
        self._generation: str | None = None
        self._seen: tuple[float, float] | None = None
        self._meta = ""
        self._current = str(self.root / "CURRENT")
        self._lock = threading.Lock()
        self.needs_rebuild = False  # set when an index of an older schema was found: the sync rebuilds it

    # -- opening and generations -------------------------------------------------------------
    def _current_file(self) -> Path:
        return self.root / "CURRENT"

    def _open(self, generation: str) -> Any:
        path = self.root / generation
        path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema, path=str(path), reuse=True)
        index.register_tokenizer(ANALYZER, _analyzer())
        return index

    def _new_generation(self) -> str:
        existing = [int(p.name.split("-g")[1]) for p in self.root.glob(f"v{SCHEMA_VERSION}-g*") if p.is_dir()]
        return f"v{SCHEMA_VERSION}-g{max(existing, default=0) + 1}"

    def _publish(self, generation: str) -> None:
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(generation)
        os.replace(tmp, self._current_file())

    def index(self) -> Any:
        """The live index, reopened when another process swapped generations or committed."""
        try:
            current = self._current
            if not os.path.exists(current):
                self.root.mkdir(parents=True, exist_ok=True)
                self._publish(self._new_generation())
            current_mtime = os.stat(current).st_mtime
            if self._index is None or self._seen is None or current_mtime != self._seen[0]:
                generation = Path(current).read_text().strip()
                if not generation.startswith(f"v{SCHEMA_VERSION}-"):
                    generation = self._new_generation()  # another schema: start empty, the next sync rebuilds
                    self._publish(generation)
                    self.needs_rebuild = True
                if generation != self._generation or self._index is None:
                    self._index, self._generation = self._open(generation), generation
                    self._meta = str(self.root / generation / "meta.json")
                self._seen = None
            seen = (current_mtime, os.stat(self._meta).st_mtime if os.path.exists(self._meta) else 0.0)
            if seen != self._seen:
                self._index.reload()
                self._searcher = self._index.searcher()
                self._queries = {}  # their typo and prefix expansions were those of the previous commit
                self._seen = seen
            return self._index
        except (OSError, ValueError) as exc:
            raise SearchUnavailable(f"the search index at {self.root} cannot be opened: {exc}") from exc

    # -- writing --------------------------------------------------------------------------
    def _document(self, doc: dict[str, Any]) -> Any:
        out = tantivy.Document(date=doc["date"], seq=seq_of(doc["id"]))
        for name in ("id", "tenant", "slug", "fp"):
            out.add_text(name, doc[name])
        out.add_bytes("words", doc["words"].encode())
        for name in TEXT_FIELDS:
            out.add_text(name, doc[name])
        out.add_text("all", "\n".join(doc[name] for name in TEXT_FIELDS))
        out.add_text("country_code", (doc["country"] or [""])[0])
        for name in (*FACETS, "labels", "hide"):
            for value in doc[name]:
                out.add_text(name, value)
        for name in FACETS:
            for value in doc[name]:
                out.add_text("facets", f"{name}{FACET_SEP}{value}")
        return out

    def _write(self, index: Any, docs: Iterable[dict[str, Any]], delete_ids: Iterable[str]) -> None:
        try:
            writer = index.writer(WRITER_HEAP, 1)
        except ValueError as exc:
            raise SearchUnavailable(f"the search index is busy or read-only: {exc}") from exc
        try:
            for doc in docs:
                writer.delete_documents_by_term("id", doc["id"])
                writer.add_document(self._document(doc))
            for doc_id in delete_ids:
                writer.delete_documents_by_term("id", doc_id)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        index.reload()

    def searcher(self) -> Any:
        """The searcher of the live commit; reopened only when the index changed."""
        self.index()
        return self._searcher

    def upsert(self, docs: list[dict[str, Any]]) -> None:
        with self._lock:
            self._write(self.index(), docs, [])
            self._seen = None

    def delete(self, ids: list[str]) -> None:
        with self._lock:
            self._write(self.index(), [], ids)
            self._seen = None

    def rebuild(self, docs: Iterable[dict[str, Any]]) -> None:
        with self._lock:
            self.index()
            old = self._generation
            generation = self._new_generation()
            fresh = self._open(generation)
            self._write(fresh, docs, [])
            self._publish(generation)
            self._index, self._generation, self._seen = fresh, generation, None
            self.needs_rebuild = False
            self._meta = str(self.root / generation / "meta.json")
            if old and old != generation:
                shutil.rmtree(self.root / old, ignore_errors=True)

    # -- reading --------------------------------------------------------------------------
    def _fuzzy(self) -> Any:
        return self._expansions.query_factory(self.schema, self.searcher())

    def _text_query(self, query: EngineQuery) -> Any:
        Q, schema, should = tantivy.Query, self.schema, tantivy.Occur.Should
        fuzzy_query = self._fuzzy()
        concepts = []
        for clause in query.clauses:
            alternatives = []
            for rank, words in enumerate(clause.phrases):
                weight = 1.0 if rank == 0 else SYNONYM_WEIGHT
                for field, boost in FIELD_BOOSTS.items():
                    exact = (Q.term_query(schema, field, words[0]) if len(words) == 1
                             else Q.phrase_query(schema, field, list(words)))
                    alternatives.append((should, Q.boost_query(exact, boost * weight)))
                if len(words) == 1 and (typo_budget(words[0]) or (clause.prefix and rank == 0)):
                    fuzzy = fuzzy_query("all", words[0], typo_budget(words[0]), clause.prefix and rank == 0)
                    alternatives.append((should, Q.boost_query(fuzzy, FUZZY_WEIGHT * weight)))
            concepts.append((should, Q.boolean_query(alternatives)))
        return Q.boolean_query(concepts) if concepts else Q.all_query()

    def _filters(self, query: EngineQuery) -> list[tuple[Any, Any]]:
        """Access labels, facet filters and `hide`, scoring nothing."""
        Q, must = tantivy.Query, tantivy.Occur.Must
        parts = [(must, Q.const_score_query(Q.term_set_query(self.schema, "labels", list(query.labels)), 0.0))]
        for facet, values in query.filters.items():
            parts.append((must, Q.const_score_query(Q.term_set_query(self.schema, facet, list(values)), 0.0)))
        if query.hide:  # a record's published snapshot is not a hit for its owner, who finds the working copy
            parts.append((tantivy.Occur.MustNot, Q.term_set_query(self.schema, "hide", list(query.hide))))
        for facet, values in query.exclude:
            parts.append((tantivy.Occur.MustNot, Q.term_set_query(self.schema, facet, list(values))))
        return parts

    @staticmethod
    def _ranks(query: EngineQuery) -> tuple[int, ...]:
        return position_ranks(len(query.clauses))

    def _query(self, query: EngineQuery, ranks: tuple[int, ...] | None = None) -> Any:
        """The engine queries (text AND access labels AND filters), built once per distinct request:
        (candidates: tier x TIER_SCALE + BM25, tiers alone, BM25 alone, the filter parts)."""
        key = (query.clauses, query.labels, query.hide, tuple(sorted(query.filters.items())), query.exclude, ranks)
        built = self._queries.get(key)
        if built is None:
            if len(self._queries) >= QUERY_CACHE:
                self._queries.clear()
            built = self._queries[key] = self._build_query(query, ranks)
        return built

    def _build_query(self, query: EngineQuery, ranks: tuple[int, ...] | None) -> Any:
        Q, must, should = tantivy.Query, tantivy.Occur.Must, tantivy.Occur.Should
        filters = self._filters(query)
        text = self._text_query(query)
        if not query.clauses or ranks is None:  # by date: no ranking rules
            return Q.boolean_query([(must, text), *filters]), None, None, filters
        ranking = rules(self.schema, query.clauses, ranks, self._fuzzy())
        candidates = Q.boolean_query([(must, text), (should, tier_query(ranking, TIER_SCALE)), *filters])
        tiers = Q.boolean_query([(must, Q.const_score_query(text, 0.0)), (should, tier_query(ranking)), *filters])
        return candidates, tiers, Q.boolean_query([(must, text), *filters]), filters

    def _ranked(self, searcher: Any, query: EngineQuery, built: Any) -> list[tuple[float, Any]]:
        """The page in ranking-rule order: a pool of candidates (tier x TIER_SCALE + BM25), whose tiers are then
        read exactly (tier query restricted to the pool), BM25 being the rest of the candidate score."""
        candidates, tiers, _, _ = built
        pool_size = query.offset + query.limit + max(POOL_MARGIN, query.limit)
        pool = searcher.search(candidates, pool_size, count=False).hits
        if not pool:
            return []
        addresses = [address for _, address in pool]
        seqs = searcher.fast_field_values("seq", addresses)
        Q, must = tantivy.Query, tantivy.Occur.Must
        within = (must, Q.const_score_query(Q.term_set_query(self.schema, "seq", seqs), 0.0))
        found = searcher.search(Q.boolean_query([(must, tiers), within]), len(seqs), count=False).hits
        tier = dict(zip(searcher.fast_field_values("seq", [a for _, a in found]), (round(t) for t, _ in found),
                        strict=True))
        dates = searcher.fast_field_values("date", addresses)
        rows = []
        for (score, address), seq, date in zip(pool, seqs, dates, strict=True):
            level = tier.get(seq, 0)
            rows.append((level, max(0.0, float(score) - level * TIER_SCALE), date or 0, seq, address))
        rows.sort(key=lambda r: (-r[0], -r[1], -r[2], r[3]))
        # The score shown: the tier, plus BM25 squeezed into [0, 1) so it never reaches the next tier.
        return [(level + round(bm25 / (1.0 + bm25), 4), address)
                for level, bm25, _, _, address in rows[query.offset:query.offset + query.limit]]

    def search(self, query: EngineQuery) -> EngineResult:
        if not query.labels:
            return EngineResult(0, [], {f: {} for f in FACETS})
        searcher = self.searcher()
        by_date = query.sort == "date" or not query.clauses
        built = self._query(query, None if by_date else self._ranks(query))
        final = built[0] if by_date else built[2]
        if by_date:
            found = searcher.search(final, query.limit, count=False, order_by_field="date", offset=query.offset,
                                    order=tantivy.Order.Desc)
            ranked = [(0.0, address) for _, address in found.hits]
        else:
            ranked = self._ranked(searcher, query, built)
        hits = []
        for score, address in ranked:
            stored = searcher.doc(address).to_dict()
            doc = {k: (v[0] if v else "") for k, v in stored.items()}
            doc["country"] = doc.pop("country_code", "") or None
            words = doc.get("words")
            doc["words"] = words.decode() if isinstance(words, bytes) else ""
            hits.append(EngineHit(doc=doc, score=score))
        total, facets = self._counts(searcher, final)
        return EngineResult(total=total, hits=hits, facets=facets)

    @staticmethod
    def _counts(searcher: Any, final: Any) -> tuple[int, dict[str, dict[str, int]]]:
        """The number of matching documents and exact counts of their facet values, from one aggregation."""
        aggs = searcher.aggregate(final, FACET_AGGREGATION)
        facets: dict[str, dict[str, int]] = {f: {} for f in FACETS}
        for bucket in aggs.get("facets", {}).get("buckets", []):
            name, _, value = bucket["key"].partition(FACET_SEP)
            if name in facets:
                facets[name][value] = bucket["doc_count"]
        return int((aggs.get("total") or {}).get("value") or 0), facets

    def fingerprints(self) -> dict[str, str]:
        searcher = self.searcher()
        total = searcher.num_docs
        if not total:
            return {}
        found = searcher.search(tantivy.Query.all_query(), total)
        out = {}
        for _, address in found.hits:
            stored = searcher.doc(address).to_dict()
            out[stored["id"][0]] = stored["fp"][0]
        return out

    def raw_search(self, text: str, limit: int = 20) -> int:
        index = self.index()
        query = index.parse_query(text, list(TEXT_FIELDS))
        return len(index.searcher().search(query, limit).hits)
