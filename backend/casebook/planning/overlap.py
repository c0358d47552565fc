"""Shared informative words: a guard on the text model's cosine, which one rare word can carry alone.

A grievance channel and "an additional channel for government engagement" share one word and score high; a
match on meaning shares more than one word that says what the text is about. Words are compared by a crude
stem (their first six letters), so "consult" meets "consultation" and "monitor" meets "monitoring".
"""

from __future__ import annotations

import re

# Words that say nothing of what a text is about (function words and the planner's own vocabulary).
STOP = frozenset("""
about above after again against also among another because been before being below between both cannot could
does doing during each either every from further have having here into itself just more most much must near
only other ought over same should since some such than that their theirs them then there these they this those
through under until very were what when where which while whom whose will with within without would your yours
partner partners partnership partnerships work working programme project projects case cases local people
high poor weak limited lack strong good many
""".split())
STEM = 6
_WORD = re.compile(r"[a-zA-Z][a-zA-Z'’-]+")


def informative(text: str) -> set[str]:
    """The stems of the words of four letters or more that are not function words."""
    out = set()
    for w in _WORD.findall(text.casefold()):
        for part in re.split(r"[-'’]", w):
            if len(part) >= 4 and part not in STOP:
                out.add(part[:STEM])
    return out


def shared(a: str, b: str) -> set[str]:
    return informative(a) & informative(b)


def meaningful(query: str, text: str, score: float, strong: float) -> bool:
    """Whether `text` answers `query` on meaning: more than one informative word in common, or a single one
    with a cosine of at least `strong` (a short query such as "staff turnover" has only two words to share)."""
    common = len(shared(query, text))
    return common >= 2 or (common == 1 and score >= strong)


# A stem the text model's vocabulary may lack ("grievance" learnt from no case): the share of the query's
# words a text contains, weighted so that all of them count as a strong match and half of them as one.
LEXICAL = 0.3


def lexical(query: str, text: str) -> float:
    mine = informative(query)
    return LEXICAL * len(mine & informative(text)) / len(mine) if mine else 0.0


def answers(query: str, text: str, title: str, score: float, strong: float) -> bool:
    """Whether a block or lesson (`text`, named `title`) answers `query` on meaning: `meaningful`, or a single
    shared word that the title names and that is half of what a short query says ("limited market access" and
    "Producer-led market study"), never one word the text merely mentions ("resettlement" in a list of areas)."""
    common = shared(query, text)
    if meaningful(query, text, score, strong):
        return True
    return len(common) == 1 and bool(common & informative(title)) and 2 * len(common) >= len(informative(query))


def coverage(query: str, text: str, title: str, ranked: bool, rare: set[str]) -> str:
    """How far a template's block covers `query`: "yes" when they share more than one informative word and the
    text model ranks the block among the best candidates for the query (`ranked`) or its title names one of
    them, "maybe" on a single shared word, else "no". A block the model does not rank (its vocabulary may lack
    "publish") counts on a single word only when that word is in its title and no other block's title uses it
    (`rare`: "published", never "communities")."""
    common = shared(query, text)
    named = common & informative(title)
    if len(common) >= 2 and (ranked or named):
        return "yes"
    return "maybe" if common and (ranked or named & rare) else "no"
