"""Highlighted snippets, computed the same way for every backend: <mark> around matching words.

A word matches a query word exactly, within its typo budget, or as a prefix of the word being
typed; synonym phrases count too. Text is HTML-escaped; only our <mark> tags are markup.

Speed: each document carries its snippet material (`words`: the distinct lower-case words of its
highlighted fields, then the folded form of its few non-ASCII words; made at index time), so a search
tests each distinct word of its page once without tokenising or folding any text, typo distances are
one vectorised call, and only the fields a result shows are marked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from casebook.search.interface import HIGHLIGHT_FIELDS, MAX_SNIPPETS, SNIPPET_FIELDS, Clause
from casebook.search.query import typo_budget
from casebook.search.vocabulary import fold

WORD = re.compile(r"\w+")
PUNCTUATION = ".,;:!?()[]\"'“”‘’«»-–—/*…"
WINDOW = 220
SCAN_CHARS = 3000  # a snippet comes from the first 3,000 characters of a field


class Matcher:
    """The query's words, compiled once per distinct query (see `matcher`)."""

    def __init__(self, clauses: Iterable[Clause]) -> None:
        self.exact: set[str] = set()
        fuzzy: dict[str, int] = {}
        prefixes: list[str] = []
        for clause in clauses:
            for words in clause.phrases:
                # In a multi-word synonym only the telling words are marked (not "and", "of").
                self.exact.update(w for w in words if len(words) == 1 or len(w) > 3)
                if len(words) == 1 and typo_budget(words[0]):
                    fuzzy[words[0]] = typo_budget(words[0])
            if clause.prefix:
                prefixes.append(clause.phrases[0][0])
        self.fuzzy = list(fuzzy)
        self.budgets = np.array([[b] for b in fuzzy.values()], dtype=np.uint8)  # one row per fuzzy term
        # Words starting with a prefix: a literal-led regex over " word word …" is one fast scan in C.
        self.prefixes = [re.compile(rf" ({re.escape(p)}\S*)") for p in prefixes]

    def select(self, spaced: str) -> set[str]:
        """The words of `spaced` (" word word … ", repeats allowed) that match: exactly, as a prefix, or
        within a typo budget. Substring tests, literal-led regexes and one vectorised edit-distance call,
        so no per-word Python work."""
        found = {w for w in self.exact if f" {w} " in spaced}
        for prefix in self.prefixes:
            found.update(prefix.findall(spaced))
        if self.fuzzy:
            words = spaced.split()
            if words:
                distances = process.cdist(self.fuzzy, words, scorer=OSA.distance,
                                          score_cutoff=int(self.budgets.max()), dtype=np.uint8)
                found.update(words[i] for i in np.unique(np.nonzero(distances <= self.budgets)[1]))
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
    folded = fold(word)
    return folded[0] if folded else ""


def _matching_words(spaced: str, folded: dict[str, str], matches: Matcher) -> frozenset[str]:
    """The words of `spaced` (as written, lower case) that match.

    Matching compares folded words (accents removed, as the index does): `folded` maps the few
    non-ASCII words to their folded form; every other word is its own."""
    if not folded:
        return frozenset(matches.select(spaced))
    found = matches.select(f"{spaced}{' '.join(set(folded.values()))} ")  # one pass, folded forms included
    return frozenset((found - folded.keys()) | {w for w, f in folded.items() if f in found})


def _mark(match: re.Match[str]) -> str:
    return f"<mark>{match.group()}</mark>"  # a callback: faster than a "\g<0>" template in Python 3.11


def _words_pattern(words: Iterable[str], guard: str) -> str:
    """A regex for whole words: alternatives grouped by first letter, longest first, with the "no word
    character before" test (`guard`, a look-behind over the first letter) after that letter. A pattern
    that starts with plain letters lets the regex engine skip ahead to them, about twice as fast as a
    leading \\b."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    branches = (f"{re.escape(first)}{guard}(?:{'|'.join(rest)})" for first, rest in groups.items())
    return f"(?:{'|'.join(branches)})\\b"


class Marker:
    """Finds and marks the matching words in texts, with few steps in Python per text: a field without a
    match costs one regex scan, a marked one an escape and one regex substitution.

    Finding the first match scans the lower-cased text case-sensitively (the found words are lower case;
    faster than IGNORECASE), or, when lower-casing changes a text's length (a few Unicode letters), the
    text itself case-insensitively. Marking runs on the HTML-escaped text; the look-behinds keep the
    names inside entities (&amp; &#x27;) from ever matching."""

    def __init__(self, found: frozenset[str]) -> None:
        self.found = found
        self.escaped = re.compile(_words_pattern(found, r"(?<![\w&].)(?<!&#.)"), re.IGNORECASE)

    @cached_property
    def lower(self) -> re.Pattern[str]:
        return re.compile(_words_pattern(self.found, r"(?<!\w.)"))

    @cached_property
    def anycase(self) -> re.Pattern[str]:
        return re.compile(_words_pattern(self.found, r"(?<!\w.)"), re.IGNORECASE)

    def _first(self, text: str) -> re.Match[str] | None:
        low = text.lower()
        return self.lower.search(low) if len(low) == len(text) else self.anycase.search(text)

    def snippet(self, text: str, whole: bool = False) -> str | None:
        """The marked text (whole, or a window around the first match), or None without a match."""
        if whole or len(text) <= WINDOW:  # marked whole: one escape and one substitution, both in C
            marked, count = self.escaped.subn(_mark, html.escape(text))
            return marked if count else None
        first = self._first(text)
        if first is None:
            return None  # the usual case for a long field: one scan in C, nothing else
        a, b = first.span()
        start = max(0, a - 60)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < a else start
        end = min(len(text), start + WINDOW)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > b else end
        body = self.escaped.sub(_mark, html.escape(text[start:end]))
        return ("…" if start else "") + body + ("…" if end < len(text) else "")


def _text(doc: dict, field: str) -> str:
    """The part of a field a snippet may come from: long texts are cut, so highlighting stays cheap."""
    text = str(doc.get(field) or "")
    return text if field == "title" or len(text) <= SCAN_CHARS else text[:SCAN_CHARS]


def snippet_material(doc: dict[str, Any]) -> str:
    """A document's `words`: a line of the distinct lower-case words of its highlighted fields, then a
    line of `word>folded` pairs for those that are not ASCII."""
    words = sorted(set().union(*(_words(_text(doc, f).lower()) for f in HIGHLIGHT_FIELDS)))
    return " ".join(words) + "\n" + " ".join(f"{w}>{_fold_word(w)}" for w in words if not w.isascii())


def _material(doc: dict[str, Any]) -> tuple[str, str]:
    words, _, folded = str(doc.get("words") or "").partition("\n")
    if not words:  # indexed without snippet material
        words, _, folded = snippet_material(doc).partition("\n")
    return words, folded


@lru_cache(maxsize=256)
def matcher(clauses: tuple[Clause, ...]) -> Matcher:
    """One matcher per distinct query, so repeated searches (paging, facets, typing) reuse it."""
    return Matcher(clauses)


def highlight_all(docs: list[dict], clauses: tuple[Clause, ...]) -> list[dict[str, str]]:
    """{field: marked text} per document: the title when it matches, and the first `MAX_SNIPPETS`
    other fields (in `SNIPPET_FIELDS` order) with a matching word — what a result shows, nothing more."""
    if not clauses:
        return [{} for _ in docs]
    material = [_material(doc) for doc in docs]
    spaced = f" {' '.join(w for w, _ in material)} "
    folded = dict(pair.split(">", 1) for _, odd in material if odd for pair in odd.split())
    found = _matching_words(spaced, folded, matcher(clauses))
    if not found:
        return [{} for _ in docs]
    marker = Marker(found)
    out = []
    for doc in docs:
        marked: dict[str, str] = {}
        title = marker.snippet(str(doc.get("title") or ""), whole=True)
        if title:
            marked["title"] = title
        for field in SNIPPET_FIELDS:
            text = doc.get(field)
            if text and (found_text := marker.snippet(text if len(text) <= SCAN_CHARS else text[:SCAN_CHARS])):
                marked[field] = found_text
                if len(marked) - bool(title) == MAX_SNIPPETS:
                    break
        out.append(marked)
    return out
