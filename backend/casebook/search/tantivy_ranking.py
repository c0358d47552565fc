"""Meilisearch's ranking rules as a tantivy score, so both backends order hits the same way.

Meilisearch sorts by its rules in order (words, typo, proximity, attribute, sort, exactness, then our
`evidence_rank:desc`); BM25 is no part of it. tantivy only sums scores, so each rule becomes a group
of constant-score clauses whose values are digits of one mixed-radix integer (the "tier"): a record
matching more of the query's words always outranks one matching fewer, whatever its BM25, and so on
down the rules. Every value is a small integer, so the sum is exact in tantivy's f32 scores (the tier
stays below 2**24; on very long queries the lowest rules are dropped first). BM25 breaks the ties
that remain (see TantivyBackend.search).

- words: matched concepts (a concept is a query word or phrase with its synonyms and typos); among
  equal counts, records matching the earlier words of the query first (Meilisearch's matching
  strategy "last" drops the last words first).
- typo: concepts matched without a typo (a prefix of the word being typed counts as exact).
- proximity: consecutive query words found close together (within PROXIMITY_SLOP) in one field.
- attribute: per concept, the best field it occurs in (ATTRIBUTE_ORDER, as searchableAttributes).
- exactness: the whole query as a phrase in the title.
- evidence_rank: independently evaluated, then documented, then self-reported records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import tantivy

from casebook.search.interface import ATTRIBUTE_ORDER, EVIDENCE_RANK, Clause
from casebook.search.query import typo_budget

PROXIMITY_SLOP = 3
MAX_TIER = 2 ** 24  # f32 represents every integer below this exactly


@dataclass(frozen=True)
class Rule:
    name: str
    clauses: tuple[tuple[Any, int], ...]  # (query, value) pairs whose values add up
    radix: int  # one more than the largest sum


# (field, word, edit distance, prefix) -> the query matching those terms (see term_expansion).
Fuzzy = Callable[[str, str, int, bool], Any]


def _exact(schema: Any, fuzzy: Fuzzy, field: str, words: tuple[str, ...], prefix: bool = False) -> Any:
    Q = tantivy.Query
    if len(words) == 1:
        return fuzzy(field, words[0], 0, True) if prefix else Q.term_query(schema, field, words[0])
    return Q.phrase_query(schema, field, list(words))


def exact_alternatives(schema: Any, fuzzy: Fuzzy, clause: Clause, field: str,
                       phrase_fields: tuple[str, ...]) -> list[Any]:
    """The concept's words and synonyms without typos: single words on `field`, phrases on each field that
    keeps positions. The word being typed also matches as a prefix."""
    out = []
    for rank, words in enumerate(clause.phrases):
        prefix = clause.prefix and rank == 0
        if len(words) == 1:
            out.append(_exact(schema, fuzzy, field, words, prefix))
        else:
            out.extend(_exact(schema, fuzzy, f, words) for f in phrase_fields)
    return out


def _should(queries: list[Any]) -> Any:
    return queries[0] if len(queries) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Should, q)
                                                                              for q in queries])


def position_ranks(count: int) -> tuple[int, ...]:
    """Each concept's weight within the words rule: the first word of the query highest (Meilisearch's
    matching strategy "last" drops the query's last words first)."""
    return tuple(range(count - 1, -1, -1))


def rules(schema: Any, clauses: tuple[Clause, ...], ranks: tuple[int, ...], fuzzy: Fuzzy) -> list[Rule]:
    """The ranking rules of a query, most important first, each as constant-score clauses."""
    Q = tantivy.Query
    n = len(clauses)
    base = n * (n - 1) // 2 + 1  # one more matched concept outweighs any position bonus
    words, typo, attribute = [], [], []
    fields = tuple(reversed(ATTRIBUTE_ORDER))  # value 1 for the last attribute, len for the first
    for clause, rank in zip(clauses, ranks, strict=True):
        exact = exact_alternatives(schema, fuzzy, clause, "all", ATTRIBUTE_ORDER)
        anything = list(exact)
        for rank_, words_ in enumerate(clause.phrases):
            if len(words_) == 1 and typo_budget(words_[0]):
                anything.append(fuzzy("all", words_[0], typo_budget(words_[0]), clause.prefix and rank_ == 0))
        words.append((_should(anything), base + rank))
        typo.append((_should(exact), 1))
        per_field = [Q.const_score_query(_should(exact_alternatives(schema, fuzzy, clause, f, (f,))), float(value))
                     for value, f in enumerate(fields, start=1)]
        attribute.append((Q.disjunction_max_query(per_field), 0))  # value carried by the inner scores
    heads = [c.phrases[0] for c in clauses]
    proximity = [(_should([Q.phrase_query(schema, f, [a[-1], b[0]], PROXIMITY_SLOP) for f in ATTRIBUTE_ORDER]), 1)
                 for a, b in zip(heads, heads[1:], strict=False)]
    whole = [w for h in heads for w in h]
    exactness = [(Q.phrase_query(schema, "title", whole) if len(whole) > 1 else Q.term_query(schema, "title",
                                                                                            whole[0]), 1)]
    evidence = [(Q.term_query(schema, "evidence_level", level), value) for level, value in EVIDENCE_RANK.items()
                if value]
    out = [Rule("words", tuple(words), n * base + n * (n - 1) // 2 + 1),
           Rule("typo", tuple(typo), n + 1),
           Rule("proximity", tuple(proximity), len(proximity) + 1),
           Rule("attribute", tuple(attribute), len(ATTRIBUTE_ORDER) * n + 1),
           Rule("exactness", tuple(exactness), 2),
           Rule("evidence_rank", tuple(evidence), max(EVIDENCE_RANK.values()) + 1)]
    for dropped in ("proximity", "exactness", "attribute"):  # very long queries: keep the tier exact
        if _product(out) < MAX_TIER:
            break
        out = [r for r in out if r.name != dropped]
    return out


def _product(rules_: list[Rule]) -> int:
    total = 1
    for rule in rules_:
        total *= rule.radix
    return total


def tier_query(rules_: list[Rule], scale: float = 1.0) -> Any:
    """One query scoring each matching document with its tier (times `scale`): the rules' digits."""
    Q, should = tantivy.Query, tantivy.Occur.Should
    parts = []
    weight = 1
    for rule in reversed(rules_):
        for query, value in rule.clauses:
            if rule.name == "attribute":  # the dismax already scores 1..len(fields)
                parts.append((should, Q.boost_query(query, float(weight) * scale)))
            else:
                parts.append((should, Q.const_score_query(query, float(value * weight) * scale)))
        weight *= rule.radix
    return Q.boolean_query(parts)
