"""Saying "I don't know", and hedging: "not sure", "dunno", "no idea", "maybe".

"I don't know if they're flat" is no answer "flat": a don't-know and what follows it
to the end of its clause are left out before an answer is read. A hedge with an
answer ("maybe flat", "dunno like a 5?") is that answer; a hedge alone is ``NOT_SURE``.
"""

from __future__ import annotations

from typing import List, Sequence

from rasa_project.understanding.answers.clauses import CLAUSE_BREAKS
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.words import Word, word_set

_NOT_SURE = Options(
    {
        "dont_know": "not|never really? sure|certain; not too sure; unsure|uncertain|dunno|idk|idek|unknown;"
        " i? don't|didn't really? know; i? do|did not know; no|not idea|clue; not a clue; haven't got? a clue;"
        " can't|couldn't|cannot really|quite|honestly? tell|say|remember|recall; can't|couldn't|cannot make it|them|anything|much out; don't remember|recall; i forget|forgot;"
        " never|haven't|not really? been? checked|looked|noticed|measured|tested|thought; who knows; beats me;"
        " have|need to check|look; would have to check|look; don't|didn't understand|get|follow;"
        " do|did not understand|get|follow; not sure what you mean;"
        " hard|difficult|tricky|impossible to say|tell; no way to know; no way of knowing",
        "hedge": "maybe|possibly|perhaps|might|hmm|hm|err|erm; could be",
    }
)
#: "Never noticed" is a don't-know ("never noticed where they wear") unless what follows
#: says nothing was seen ("never noticed any difference").
_NOTICING = word_set("noticed notice")
_NOTHING_SEEN = word_set("any anything much a")
#: Words after a don't-know that make the rest of its clause its object ("... if they're flat").
_OBJECT_STARTS = word_set("if whether what which about my the how where when for")


def without_dont_know(words: Sequence[Word]) -> List[Word]:
    """``words`` without the phrases that say "I don't know" and what is not known ("... if it's the inside")."""
    texts = [w.text for w in words]
    left_out: set[int] = set()
    for mention in _NOT_SURE.mentions(words):
        end = mention.last + 1
        if texts[mention.last] in _NOTICING and end < len(texts) and texts[end] in _NOTHING_SEEN:
            continue  # "never noticed any difference" says what was seen: nothing
        if mention.value == "dont_know" and end < len(texts) and texts[end] in _OBJECT_STARTS:
            while end < len(texts) and texts[end] not in CLAUSE_BREAKS:
                end += 1
        if mention.value == "dont_know":
            left_out.update(range(mention.first, end))
    return [w for i, w in enumerate(words) if i not in left_out]


def says_not_sure(words: Sequence[Word]) -> bool:
    """Whether ``words`` say "I don't know" or hedge ("maybe", "not sure"), or are only question marks."""
    return (bool(words) and all(w.text == "?" for w in words)) or bool(_NOT_SURE.mentions(words))
