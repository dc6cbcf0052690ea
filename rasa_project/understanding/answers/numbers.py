"""Numbers as people type them: "7", "1.5", "seven", "twenty five", "a couple", "half an", "8-9".

Spelled-out numbers are read by text2num's ``find_numbers`` (text2num: maintained,
a small compiled wheel with no dependencies, imported in about 25 ms, a few
microseconds a call). It was chosen over number-parser (about 2 ms a call, last
released in 2023) and over writing a number-word table by hand. text2num reads
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
        "2": ["a? couple of?"],
        "3": ["a? few", "many"],
        "4": ["several"],
        "12": ["a? dozen"],
        "0.5": ["half a|an", "a half"],
        "0.25": ["a? quarter of? a|an?"],
    }
)
_RANGE_WORDS = frozenset({"-", "to", "or"})


@dataclass(frozen=True)
class Number:
    """A number in an answer: its value and its words ``first`` to ``last`` (inclusive).

    A range ("8-9", "4 or 5") is one number with the higher value: the more serious
    reading wins. ``article`` marks "a"/"an", which means one only before a unit
    ("a month").
    """

    value: float
    first: int
    last: int
    article: bool = False


class _Token:
    """A word as text2num's ``find_numbers`` reads it (its ``Token`` protocol)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: object) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _digits(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _spelled(words: Sequence[Word]) -> List[Number]:
    # Only plain ASCII words reach the compiled library: it cannot take every string
    # (a lone surrogate makes it panic), and nothing else can be a number word.
    tokens = [_Token(w.text if is_word(w) or w.text == "-" else ".") for w in words]
    return [
        Number(float(found.value), found.start, found.end - 1)
        for found in _find_spelled_numbers(tokens, "en", threshold=0)
        if not found.is_ordinal
    ]


def find_numbers(words: Sequence[Word]) -> List[Number]:
    """The numbers in ``words``, left to right, with ranges and "and a half" folded in."""
    texts = [w.text for w in words]
    found = [Number(value, i, i) for i, t in enumerate(texts) if t[:1].isdigit() and (value := _digits(t)) is not None]
    found += _spelled(words)
    taken = {i for n in found for i in range(n.first, n.last + 1)}
    for mention in _AMOUNTS.mentions(words, correct=False):
        if mention.first not in taken and mention.value is not None:
            found.append(Number(float(mention.value), mention.first, mention.last))
    found += [Number(1.0, i, i, article=True) for i, t in enumerate(texts) if t in ("a", "an") and i not in taken]
    found.sort(key=lambda n: n.first)
    merged: List[Number] = []
    for number in found:
        if merged and number.first <= merged[-1].last:
            continue  # inside a longer amount already read ("a" of "a couple")
        end = number.last + 1
        if texts[end : end + 3] == ["and", "a", "half"] and not number.article:
            number = replace(number, value=number.value + 0.5, last=end + 2)
        elif merged and not number.article and not merged[-1].article:
            previous = merged[-1]
            if previous.last + 2 == number.first and texts[previous.last + 1] in _RANGE_WORDS:
                merged[-1] = replace(previous, value=max(previous.value, number.value), last=number.last)
                continue
        merged.append(number)
    return merged
