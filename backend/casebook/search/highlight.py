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
PUNCTUATION = ".,;:!?()[]\"'“”‘’«»-–—/*…"
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


def _words(text: str) -> set[str]:
    """The distinct \\w+ words of a text; splitting on spaces first is several times faster than one regex."""
    out: set[str] = set()
    for token in set(text.split()):
        word = token.strip(PUNCTUATION)
        if word.isalnum():
            out.add(word)
        elif word:
            out.update(WORD.findall(word))
    return out


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


def _pattern(found: frozenset[str]) -> re.Pattern[str]:
    """One regex for the matching words, so finding them in a text is a single scan in C."""
    alternatives = "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _spans(text: str, found: frozenset[str], pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, start, end) if m.group().lower() in found]


def snippet(text: str, found: frozenset[str], whole: bool = False,
            pattern: re.Pattern[str] | None = None) -> str | None:
    """The marked text (whole, or a window around the first match), or None without a match."""
    pattern = pattern or _pattern(found)
    first = next((m for m in pattern.finditer(text) if m.group().lower() in found), None)
    if first is None:
        return None
    if whole or len(text) <= WINDOW:
        return _mark(text, _spans(text, found, pattern, 0, len(text)), 0, len(text))
    a, b = first.span()
    spans = _spans(text, found, pattern, a, min(len(text), a + WINDOW + 80))
    start = max(0, a - 60)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < a else start
    end = min(len(text), start + WINDOW)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > b else end
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
    words = _words("\n".join(t for text in texts for t in text.values()).lower())
    found = _matching_words(words, matcher(clauses))
    if not found:
        return [{} for _ in docs]
    pattern = _pattern(found)
    out = []
    for text in texts:
        marked = {f: snippet(t, found, whole=f == "title", pattern=pattern) for f, t in text.items()}
        out.append({f: v for f, v in marked.items() if v})
    return out
