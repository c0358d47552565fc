"""Highlighted snippets, computed the same way for every backend: <mark> around matching words.

A word matches a query word exactly, within its typo budget, or as a prefix of the word being
typed; synonym phrases count too. Text is HTML-escaped; only our <mark> tags are markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from casebook.search.interface import Clause
from casebook.search.query import typo_budget
from casebook.search.vocabulary import fold

WORD = re.compile(r"\w+")
WINDOW = 220
SCAN_CHARS = 3000  # a snippet comes from the first 3,000 characters of a field


class Matcher:
    def __init__(self, clauses: Iterable[Clause]) -> None:
        self.exact: set[str] = set()
        self.fuzzy: list[tuple[str, int]] = []
        self.prefixes: list[str] = []
        for clause in clauses:
            for words in clause.phrases:
                # In a multi-word synonym only the telling words are marked (not "and", "of").
                self.exact.update(w for w in words if len(words) == 1 or len(w) > 3)
                if len(words) == 1 and typo_budget(words[0]):
                    self.fuzzy.append((words[0], typo_budget(words[0])))
            if clause.prefix:
                self.prefixes.append(clause.phrases[0][0])

    def select(self, words: Iterable[str]) -> set[str]:
        """The words that match: exactly, as a prefix, or within a typo budget (edit distance, in C)."""
        words = set(words)
        found = words & self.exact
        if self.prefixes:
            prefixes = tuple(self.prefixes)
            found.update(w for w in words if w.startswith(prefixes))
        rest = [w for w in words - found]
        for term, budget in self.fuzzy:
            near = process.extract(term, rest, scorer=OSA.distance, score_cutoff=budget, limit=None)
            found.update(w for w, _, _ in near)
        return found


def _fold_word(word: str) -> str:
    if word.isascii():
        return word
    folded = fold(word)
    return folded[0] if folded else ""


def _matching_words(words: set[str], matches: Matcher) -> frozenset[str]:
    """The (lower-case) words that match; each distinct word is tested once."""
    folded = {w: _fold_word(w) for w in words}
    found = matches.select(folded.values())
    return frozenset(w for w, f in folded.items() if f in found)


def _mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(html.escape(text[cursor:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        cursor = b
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def snippet(text: str, found: frozenset[str], whole: bool = False) -> str | None:
    """The marked text (whole, or a window around the first match), or None without a match."""
    spans: list[tuple[int, int]] = []
    for m in WORD.finditer(text):
        if not whole and spans and m.start() > spans[0][0] + WINDOW:
            break
        if m.group().lower() in found:
            spans.append((m.start(), m.end()))
    if not spans:
        return None
    if whole or len(text) <= WINDOW:
        return _mark(text, spans, 0, len(text))
    start = max(0, spans[0][0] - 60)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + WINDOW)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[0][1] else end
    body = _mark(text, spans, start, end)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def _text(doc: dict, field: str) -> str:
    """The part of a field a snippet may come from: long texts are cut, so highlighting stays cheap."""
    text = str(doc.get(field) or "")
    return text if field == "title" or len(text) <= SCAN_CHARS else text[:SCAN_CHARS]


@lru_cache(maxsize=256)
def matcher(clauses: tuple[Clause, ...]) -> Matcher:
    """One matcher per distinct query, so its word cache serves every hit and repeated searches."""
    return Matcher(clauses)


def highlight_all(docs: list[dict], clauses: tuple[Clause, ...], fields: Iterable[str]) -> list[dict[str, str]]:
    """{field: marked snippet} for each document, for the fields with a matching word."""
    fields = tuple(fields)
    if not clauses:
        return [{} for _ in docs]
    texts = [{f: _text(doc, f) for f in fields} for doc in docs]
    words = [{f: set(WORD.findall(t.lower())) for f, t in text.items()} for text in texts]
    found = _matching_words(set().union(*(w for d in words for w in d.values())), matcher(clauses))
    if not found:
        return [{} for _ in docs]
    out = []
    for text, text_words in zip(texts, words, strict=True):
        marked = {f: snippet(t, found, whole=f == "title") for f, t in text.items() if text_words[f] & found}
        out.append({f: v for f, v in marked.items() if v})
    return out
