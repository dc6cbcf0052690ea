"""``pain_severity``: how bad the pain is, 0 to 10.

A score out of ten counts anywhere ("7/10", "seven out of ten", "pain is a 7", "it's
more like a 4", "about a 5" as a note of its own);
"15/10" is an emphatic 10. Answering the question, a bare number counts too ("10",
"a 7 I guess", "dunno like a 5?", "5ish"), and so do words ("mild" 3, "bad" 7,
"unbearable" 10). Ranges take the higher end and fractions round up, so an uncertain
answer errs on the serious side; several scores give the highest ("3 at rest, 8 when
walking"), unless the person settles on one at the end ("4, maybe 5 on a bad day, call it
4", "3 sitting, 5 after a run - say 4"): the number they settle on is their answer, and
the one marked as usual ("normally a 3, on bad days 6") answers the typical day asked about. Numbers with a unit ("3 weeks", "5 kg") are no scores, and a bare number
above ten is no answer.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Dict, List, Optional, Sequence, Tuple

from rasa_project.clinical.contract import PAIN_SEVERITY, SEVERITY_MAX
from rasa_project.understanding.answers.clauses import clause_span
from rasa_project.understanding.answers.numbers import Number, find_numbers
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.reading import Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import MAX_CHARS, Word, tokenize, word_set

WORDS = Options(
    {
        "0": "no pain; pain free; pain - free; doesn't hurt",
        "1": "barely|hardly",
        "2": "very mild",
        "3": "mild|slight|minor|low; a little; not too|that|so? bad",
        "4": "bearable|tolerable",
        "5": "moderate|medium|manageable|average|middling|halfway; so - so; so so; in the middle; half way; middle of the road",
        "7": "bad|strong|high|painful; quite|pretty bad; hurts|hurt a lot",
        "8": "severe|terrible|awful|horrible|intense; really|very bad|painful; killing me",
        "9": "extreme|horrendous; very severe",
        "10": "excruciating|unbearable|agony|agonising|agonizing; the? worst pain|ever|imaginable",
    }
)
#: Words that set a number against one said before it, in that one's unit.
_COMPARED = word_set("than not instead")
#: Score words and the spelled numbers, so "sevn" and "fiev" are read as meant ("than" is no "that").
_VOCABULARY = (
    WORDS.vocabulary
    | Vocabulary(word_set("zero one two three four five six seven eight nine ten"))
    | Vocabulary(_COMPARED)
)
_OUT_OF_TEN = [tuple(p.split()) for p in ["/", "out of", "outta", "of", "over", "on a scale of"]]
_ON_A_SCALE = [tuple(p.split()) for p in ["on a scale", "on the scale", "on the pain scale", "on a pain scale"]]
#: Words after a number that make it something other than a score.
_UNITS = word_set(
    "% percent pm am o'clock : day days week weeks wk wks month months mo mos year years yr yrs hour hours hr hrs h"
    " minutes mins min minute sec secs second seconds moment times x kg kgs kilos lb lbs pounds stone st cm mm km"
    " miles steps leg legs feet foot inch inches"
    " kids children people d w m y nd rd th /"
)
_PAIN_IS = word_set("pain painful it it's level score")
_PAIN_IS_FILLERS = word_set(
    "is was at of about around a an like maybe roughly probably solid good usually generally mostly constantly sits"
    " level more closer nearer"
)
_NOTE_BREAKS = frozenset({",", ";", ".", "-", "!"})
_SCALES = (["0", "-", "10"], ["1", "-", "10"], ["1", "to", "10"])
#: Words that settle on one number after several: "call it 4", "say 4", "go with 4".
_SETTLING = [tuple(p.split()) for p in ["call it", "say", "go with", "put it at", "settle on", "make it"]]
_SETTLING_FILLERS = word_set("a an about around like")


def _scores(words: Sequence[Word]) -> Tuple[Dict[Number, Optional[int]], Dict[Number, Optional[int]]]:
    """Explicit scores (out of ten, "on a scale", "pain is a 7") and bare numbers, each with its score or ``None``."""
    texts = [w.text for w in words]
    explicit: Dict[Number, Optional[int]] = {}
    bare: Dict[Number, Optional[int]] = {}
    scale_end = -1  # the "10" of "out of 10" is no score of its own
    measured = False  # a number with a unit came earlier: "7 weeks than 4" compares weeks
    for number in find_numbers(words):
        after, before = number.last + 1, texts[number.first - 1] if number.first else ""
        if number.article or texts[number.first : after] in _SCALES or before == "/" or number.first <= scale_end:
            continue
        score = math.ceil(number.value) if number.value <= SEVERITY_MAX else None
        ten = next((len(p) + 1 for p in _OUT_OF_TEN if tuple(texts[after : after + len(p)]) == p), 0)
        if ten and texts[after + ten - 1 : after + ten] in (["10"], ["ten"]):
            scale_end = number.last + ten
            explicit[Number(number.value, number.first, scale_end)] = score if score is not None else 10
            continue
        if after < len(texts) and texts[after] in _UNITS:
            measured = True
            continue
        if measured and before in _COMPARED:
            continue  # "closer to 7 weeks than 4", "5 months not 3": the unit said once serves both
        lead = number.first - 1
        while lead >= 0 and texts[lead] in _PAIN_IS_FILLERS:
            lead -= 1
        on_a_scale = any(tuple(texts[after : after + len(p)]) == p for p in _ON_A_SCALE)
        # "6 months, about a 5": "a" and a number as a note of its own can only be a score.
        noted = before in ("a", "an") and (lead < 0 or texts[lead] in _NOTE_BREAKS)
        noted = noted and (after == len(texts) or texts[after] in _NOTE_BREAKS)
        if on_a_scale or noted or (0 <= lead < number.first - 1 and texts[lead] in _PAIN_IS):
            explicit[number] = score
        else:
            bare[number] = score
    return explicit, bare


def _settled(words: Sequence[Word], scores: Dict[Number, Optional[int]]) -> Optional[int]:
    """The score settled on after others ("... call it 4"): the last number, led by a settling phrase."""
    if len(scores) < 2:
        return None
    texts = [w.text for w in words]
    last = max(scores, key=lambda n: n.first)
    lead = last.first - 1
    while lead >= 0 and texts[lead] in _SETTLING_FILLERS:
        lead -= 1
    settles = any(tuple(texts[lead - len(p) + 1 : lead + 1]) == p for p in _SETTLING)
    return scores[last] if settles else None


#: Words that mark a score as the usual one, which the question (a typical day) asks for.
_TYPICAL = word_set("usually typically normally generally mostly average typical everyday")
_TYPICAL_PHRASES = [tuple(p.split()) for p in ["most days", "most of the time", "day to day", "on average"]]


def _typical(words: Sequence[Word], scores: Dict[Number, Optional[int]]) -> Optional[int]:
    """The one score of several marked as the usual one: "usually five, seven on a bad day" is 5.

    The words may come just before the number or just after it, in its clause.
    """
    if len(scores) < 2:
        return None
    texts = [w.text for w in words]
    marked = []
    for number, score in scores.items():
        start, end = clause_span(texts, number.first, limit=4)
        near = texts[start:end]
        phrases = any(tuple(near[i : i + len(p)]) == p for p in _TYPICAL_PHRASES for i in range(len(near)))
        if score is not None and (_TYPICAL & set(near) or phrases):
            marked.append(score)
    return marked[0] if len(marked) == 1 else None


def read(answer: Answer) -> Reading:
    """The score settled on, else the usual one of several, else the highest said, from numbers, else words."""
    words = corrected(answer.words, _VOCABULARY)
    explicit, bare = _scores(words)
    settled = _settled(words, {**explicit, **bare})
    if settled is not None:
        return settled
    typical = _typical(words, {**explicit, **bare})
    if typical is not None:
        return typical
    scores = [*explicit.values(), *bare.values()]
    if scores:
        valid = [score for score in scores if score is not None]
        return max(valid) if valid else None  # "15" alone is no score
    texts = [w.text for w in words]
    said = [
        int(str(m.value))
        for m in WORDS.mentions(words, correct=False)
        if not m.negated and not _compares(texts, m.first, m.last)
    ]
    return max(said) if said else None


def scored_in_words(text: str) -> bool:
    """Whether a reply scores the pain in words only ("moderate", "bearable"), with no number.

    A word is a rough score: the question may ask once for the number the person would give.
    """
    if not isinstance(text, str):
        return False
    words = corrected(tokenize(text[:MAX_CHARS]), _VOCABULARY)
    explicit, bare = _scores(words)
    return not explicit and not bare and bool(WORDS.mentions(words, correct=False))


def _compares(texts: Sequence[str], first: int, last: int) -> bool:
    """Whether a score word only compares the pain with something else: "as bad as a toothache", "worse than labour".

    A comparison without a number gives no score: the question is asked again.
    """
    following = texts[last + 1] if last + 1 < len(texts) else ""
    return following == "than" or (following == "as" and first > 0 and texts[first - 1] == "as")


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """Explicit scores in a sentence; bare numbers and words mean nothing outside the question.

    A score needs no "I": a pain score is the person's own unless said of someone else.
    """
    explicit, _ = _scores(words)
    return [Finding(score, n.first, n.last, True) for n, score in explicit.items() if score is not None]


READER = SlotReader(PAIN_SEVERITY, read, find)
