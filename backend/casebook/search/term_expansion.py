"""Typo and prefix matches of a query word, looked up once per index commit instead of on every search.

tantivy's fuzzy query walks the term dictionary with a Levenshtein automaton each time it runs (6 ms for
a 10-letter word being typed, with two typos); a ranked search runs the text several times (candidates,
their exact ranks, facet counts). So the words within the typo budget are found once, among the terms
sharing the word's first letter (as in Meilisearch, where a typo on the first letter costs more than the
budget of most words), with the same distance as tantivy's (Levenshtein with transpositions), and every
later query holds them as a plain term set. The cache is dropped whenever the index changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA

MAX_CACHED = 4096
SMALL_SET = 16  # up to this many terms, plain term queries are cheaper than a term-set automaton


def terms_query(schema: Any, field: str, terms: tuple[str, ...]) -> Any:
    """A query matching any of `terms` in `field`, scoring a constant 1 (as tantivy's fuzzy query does)."""
    Q = tantivy.Query
    if not terms:
        return Q.empty_query()
    if len(terms) == 1:
        return Q.const_score_query(Q.term_query(schema, field, terms[0]), 1.0)
    if len(terms) <= SMALL_SET:
        return Q.const_score_query(Q.boolean_query([(tantivy.Occur.Should, Q.term_query(schema, field, t))
                                                    for t in terms]), 1.0)
    return Q.term_set_query(schema, field, list(terms))


class Expansions:
    def __init__(self) -> None:
        self._searcher: Any = None
        self._vocabulary: dict[tuple[str, str], list[str]] = {}
        self._terms: dict[tuple[str, int, bool], tuple[str, ...]] = {}

    def _reset(self, searcher: Any) -> None:
        if searcher is not self._searcher or len(self._terms) > MAX_CACHED:
            self._searcher, self._vocabulary, self._terms = searcher, {}, {}

    def _words(self, field: str, start: str) -> list[str]:
        key = (field, start)
        if key not in self._vocabulary:
            self._vocabulary[key] = [t for t, _ in self._searcher.terms_with_prefix(field, start)]
        return self._vocabulary[key]

    def terms(self, searcher: Any, word: str, distance: int, prefix: bool) -> tuple[str, ...]:
        """Indexed words of the "all" field within `distance` edits of `word` (of a prefix of them, when
        `prefix`): what tantivy's FuzzyTermQuery(word, distance, transpositions, prefix) matches."""
        self._reset(searcher)
        key = (word, distance, prefix)
        if key not in self._terms:
            if distance == 0:
                found = self._words("all", word) if prefix else [word]
            else:
                vocabulary = self._words("all", word[0])
                found = []
                lengths = range(max(1, len(word) - distance), len(word) + distance + 1) if prefix else [None]
                for cut in lengths:
                    choices = [t[:cut] for t in vocabulary] if cut else vocabulary
                    found += [vocabulary[i] for _, _, i in process.extract(
                        word, choices, scorer=OSA.distance, score_cutoff=distance, limit=None)]
            self._terms[key] = tuple(sorted(set(found)))
        return self._terms[key]

    def query_factory(self, schema: Any, searcher: Any) -> Callable[[str, str, int, bool], Any]:
        """(field, word, distance, prefix) -> a term-set query matching the expansion (nothing when empty)."""
        def fuzzy(field: str, word: str, distance: int, prefix: bool) -> Any:
            return terms_query(schema, field, self.terms(searcher, word, distance, prefix))
        return fuzzy
