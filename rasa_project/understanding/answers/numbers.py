"""Numbers as people type them: "7", "1.5", "seven", "twenty five", "a couple", "half an", "8-9".

Spelled-out numbers are read by text2num's ``find_numbers`` (text2num: maintained,
a small compiled wheel with no dependencies, imported in about 25 ms, a few
microseconds a call). It was chosen over number-parser (about 2 ms a call, last
released in 2023) and over a hand-written table of number words. text2num reads
whole numbers only, so the vague amounts of everyday speech ("a couple", "a few",
"half a") and "... and a half" are added here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import List, Sequence

from text_to_num import find_numbers as _find_spelled_numbers

from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.words import Word, is_word

_AMOUNTS = Options(
    {
        "2": "a? couple of?",
        "3": "a? few; many",
        "4": "several",
        "12": "a? dozen",
        "0.5": "half a|an; a half",
        "0.25": "a? quarter of? a|an?",
    }
)


@dataclass(frozen=True)
class Number:
    """A number in an answer: its value and its words ``first`` to ``last`` (inclusive).

    A range ("8-9", "4 or 5") is one number with the higher value: the more serious
    reading wins. ``article`` marks "a"/"an", which means one only before a unit ("a month").
    """

    value: float
    first: int
    last: int
    article: bool = False


class _Token:
    """A word as text2num's ``find_numbers`` reads it (its ``Token`` protocol)."""

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: object) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _joined_as_range(texts: Sequence[str], first: Number, second: Number) -> bool:
    """Whether two numbers make a range: "8-9", "8 to 9", "4 or 5"."""
    return first.last + 2 == second.first and texts[first.last + 1] in ("-", "to", "or")


def _without_ish(text: str) -> str:
    """A number word without the "-ish" typed onto it: "fiveish" is about five."""
    return text[:-3] if text.endswith("ish") and len(text) > 5 else text


def find_numbers(words: Sequence[Word]) -> List[Number]:
    """The numbers in ``words``, left to right, with ranges and "and a half" folded in."""
    texts = [w.text for w in words]
    found = [Number(float(t.replace(",", ".")), i, i) for i, t in enumerate(texts) if t[:1].isdigit()]
    # Only plain ASCII words reach the compiled library: a lone surrogate makes it panic.
    tokens = [_Token(_without_ish(w.text) if is_word(w) or w.text == "-" else ".") for w in words]
    spelled = _find_spelled_numbers(tokens, "en", threshold=0)
    found += [Number(float(n.value), n.start, n.end - 1) for n in spelled if not n.is_ordinal]
    taken = {i for n in found for i in range(n.first, n.last + 1)}
    amounts = _AMOUNTS.mentions(words, correct=False)
    found += [Number(float(str(m.value)), m.first, m.last) for m in amounts if m.first not in taken]
    found += [Number(1.0, i, i, article=True) for i, t in enumerate(texts) if t in ("a", "an") and i not in taken]
    merged: List[Number] = []
    for number in sorted(found, key=lambda n: (n.first, -n.last)):
        if merged and number.first <= merged[-1].last:
            continue  # inside a longer amount already read ("a" of "a couple")
        previous = merged[-1] if merged else None
        if texts[number.last + 1 : number.last + 4] == ["and", "a", "half"] and not number.article:
            number = replace(number, value=number.value + 0.5, last=number.last + 3)
        elif previous and not (number.article or previous.article) and _joined_as_range(texts, previous, number):
            number = replace(previous, value=max(previous.value, number.value), last=number.last)
            merged.pop()
        merged.append(number)
    return merged
