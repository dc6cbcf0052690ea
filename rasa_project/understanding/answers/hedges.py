"""Saying "I don't know", and hedging: "not sure", "dunno", "no idea", "maybe".

"I don't know if they're flat" is no answer "flat": what follows a don't-know up to
the end of its clause is left out before an answer is read. A hedge with an answer
("maybe flat", "dunno like a 5?") is that answer; a hedge alone is ``NOT_SURE``.
"""

from __future__ import annotations

from typing import List, Sequence

from rasa_project.understanding.answers.clauses import CLAUSE_BREAKS
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.words import Word

_NOT_SURE = Options(
    {
        "dont_know": [
            "not|never really? sure|certain",
            "not too sure",
            "unsure|uncertain|dunno|idk|idek|unknown",
            "i? don't|didn't really? know",
            "i? do|did not know",
            "no|not idea|clue",
            "not a clue",
            "haven't got? a clue",
            "can't|couldn't tell|say|remember|recall",
            "don't remember|recall",
            "i forget|forgot",
            "never|haven't|not been? checked|looked|noticed|measured|tested|thought",
            "who knows",
            "beats me",
            "hard|difficult|tricky|impossible to say|tell",
            "no way to know",
            "no way of knowing",
        ],
        "hedge": ["maybe|possibly|perhaps|might|hmm|hm|err|erm", "could be"],
    }
)
#: Words after a don't-know that make the rest of its clause its object ("... if they're flat").
_OBJECT_STARTS = frozenset({"if", "whether", "what", "which", "about", "my", "the", "how", "where", "when", "for"})


def dont_know_words(words: Sequence[Word]) -> List[int]:
    """Indices of the words that say "I don't know", with what is not known ("... if it's the inside")."""
    texts = [w.text for w in words]
    inside: List[int] = []
    for mention in _NOT_SURE.mentions(words):
        if mention.value != "dont_know":
            continue
        end = mention.last + 1
        if end < len(texts) and texts[end] in _OBJECT_STARTS:
            while end < len(texts) and texts[end] not in CLAUSE_BREAKS:
                end += 1
        inside.extend(range(mention.first, end))
    return inside


def without_dont_know(words: Sequence[Word]) -> List[Word]:
    """``words`` without the don't-know phrases and their objects."""
    left_out = set(dont_know_words(words))
    return [w for i, w in enumerate(words) if i not in left_out]


def says_not_sure(words: Sequence[Word]) -> bool:
    """Whether ``words`` say "I don't know" or hedge ("maybe", "not sure"), or are only question marks."""
    if words and all(w.text == "?" for w in words):
        return True
    return bool(_NOT_SURE.mentions(words))
