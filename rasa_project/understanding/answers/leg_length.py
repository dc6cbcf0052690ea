"""``leg_length_difference``: whether one leg is longer (``yes``, ``no``; ``NOT_SURE`` for unknown).

"one is a bit shorter", "1.5 cm", "half an inch", "yes" are a difference; "same
length", "no difference", "nope" are none; "never had them measured" is ``NOT_SURE``. A measured difference is a difference
whatever its size ("0 cm" is none). As a fact in a message it must be said of the
legs ("one leg is 1.5cm shorter", "I have a leg length discrepancy").
"""

from __future__ import annotations

from datetime import date
from typing import List, Sequence

from rasa_project.clinical.contract import LEG_LENGTH_DIFFERENCE
from rasa_project.understanding.answers.checks import CHECKS, VERDICTS, checked_and_normal
from rasa_project.understanding.answers.clauses import clause_span
from rasa_project.understanding.answers.hedges import without_dont_know
from rasa_project.understanding.answers.numbers import find_numbers
from rasa_project.understanding.answers.options import Mention, Options
from rasa_project.understanding.answers.reading import NOT_SURE, Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import Word, word_set
from rasa_project.understanding.answers.yes_no import yes_no

OPTIONS = Options(
    {
        "yes": "shorter|longer|uneven|unevenly|lopsided|discrepancy|difference|inequality; different lengths|length;"
        " not the same length|size; not equal|even; short|long leg|one|side",
        "no": "the? same length|size; the? same; both the same; equal|identical|match; equal length|lengths",
        # "A lot longer than that" is about time, not legs.
        None: "longer|shorter than that|this|i|before|expected|usual; a lot|much|way|far longer|shorter",
    },
    # "Ever" is no misspelt "even": "not that anyone ever said".
    extra_words=["leg", "legs", "ever"],
)
#: "Never had them measured": nobody has looked, so the person does not know.
_UNCHECKED = Options(
    {
        "unchecked": "never|not had|got|been them|it|that|they|those checked|measured|tested|assessed|looked;"
        " never|not checked|measured|tested|assessed; never been|were checked|measured|tested|assessed;"
        # "No one's ever checked": nobody has looked either.
        " nobody|noone has|had|have? ever? checked|measured|tested|assessed|looked|compared;"
        " no one has|had|have? ever? checked|measured|tested|assessed|looked|compared"
    }
)
_LENGTH_UNITS = word_set('mm cm cms inch inches " millimetre millimetres millimeter millimeters')
_SIDES = word_set("left right one")
_PLAIN_NO = word_set("no nope nah na non")
#: Words before a verdict that refer back to the legs just named: "..., they're the same length".
_BACK_TO = word_set("they they're theyre are were both the and all just so")
_VOCABULARY = OPTIONS.vocabulary | VERDICTS.vocabulary | Vocabulary(CHECKS)
_LENGTH_UNITS |= {"centimetre", "centimetres", "centimeter", "centimeters"}


def _said(words: Sequence[Word]) -> List[Mention]:
    """Difference words, and lengths with a unit ("1.5cm", "half an inch") as yes or, for zero, no."""
    texts = [w.text for w in words]
    found = OPTIONS.mentions(words, correct=False)
    for number in find_numbers(words):
        after = texts[number.last + 1] if number.last + 1 < len(texts) else ""
        glued_in = after == "in" and words[number.last].end == words[number.last + 1].start
        if after in _LENGTH_UNITS or glued_in:
            found.append(Mention("yes" if number.value > 0 else "no", number.first, number.last + 1, False))
    return sorted(found, key=lambda m: m.first)


#: Words between an answering "no" and "same": "no, the same", "no is same", "nope, they're equal".
_BETWEEN_NO_AND_SAME = word_set(", the both is are they're theyre it's its was were")


def _answered_no(texts: Sequence[str], mention: Mention) -> bool:
    """Whether a "same length" mention follows a plain "no" that answers the question: "no, same", "nope equal".

    A copula between them, its subject left out, states the same: "no is same".
    """
    before = [t for t in texts[: mention.first] if t not in _BETWEEN_NO_AND_SAME]
    return mention.value == "no" and len(before) == 1 and before[0] in _PLAIN_NO


def read(answer: Answer) -> Reading:
    """A difference, none, ``NOT_SURE`` for conflicting statements, or a plain yes or no."""
    words = corrected(without_dont_know(answer.words), _VOCABULARY)
    # "No difference", "not shorter": a negated difference is none.
    texts = [w.text for w in words]
    values = {
        ("no" if m.value == "yes" else "yes") if m.negated and not _answered_no(texts, m) else str(m.value)
        for m in _said(words)
    }
    if len(values) > 1:
        return NOT_SURE
    if values:
        return values.pop()
    if checked_and_normal(words) is not None:
        return "no"  # "The physio measured them, all normal": a measurement that found nothing.
    # "Never had it checked" answers no question of length: the plain "never" in it is no "no".
    return NOT_SURE if _UNCHECKED.mentions(answer.words) else yes_no(answer.words)


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """Leg-length statements about the legs in a sentence ("one of my legs is half an inch shorter")."""
    words = corrected(words, OPTIONS.vocabulary)
    texts = [w.text for w in words]
    found = []
    for mention in _said(words):
        start, end = clause_span(texts, mention.first)
        legs = next((i for i in range(start, end) if texts[i] in ("leg", "legs")), None)
        if legs is None and (
            _SIDES & set(texts[start : mention.first]) or set(texts[start : mention.first]) <= _BACK_TO
        ):
            # "He measured my legs, the left is 8mm shorter", "... my legs, they're the same
            # length": the side or the pronoun stands for the legs named before.
            legs = next((i for i in range(start - 1, max(-1, start - 15), -1) if texts[i] in ("leg", "legs")), None)
        if mention.negated or legs is None:
            continue
        named = legs  # the whole "one of my legs", "my left leg"
        while named > start and texts[named - 1] in ("one", "of", "my", "left", "right"):
            named -= 1
        named = max(named, start)
        # "One leg is shorter" can only be the person's own.
        one = texts[named] == "one"
        found.append(Finding(str(mention.value), min(named, mention.first), max(mention.last, legs), one))
    return found


READER = SlotReader(LEG_LENGTH_DIFFERENCE, read, find)
