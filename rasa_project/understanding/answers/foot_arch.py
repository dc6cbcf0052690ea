"""``foot_arch``: the arch of the foot (``flat``, ``high``, ``normal``).

"high", "hgih", "flat as a pancake", "fallen arches", "the whole foot" or "it curves in
on the inside" (the wet-foot test) and "in between" are answers; "not flat, not high" is ``normal``; two types at
once ("flat or high?") are ``NOT_SURE``. As a fact in a message the type must be
said of the feet or arches ("I have flat feet", "my arches are high",
"flat-footed", "normal arches"), so "high" alone in a message is not an arch.
"""

from __future__ import annotations

from datetime import date
from typing import List, Sequence

from rasa_project.clinical.contract import FOOT_ARCH
from rasa_project.understanding.answers.clauses import clause_span
from rasa_project.understanding.answers.hedges import says_not_sure, without_dont_know
from rasa_project.understanding.answers.options import Mention, Options
from rasa_project.understanding.answers.reading import NOT_SURE, Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.typos import corrected
from rasa_project.understanding.answers.words import Word, word_set

_FEET = word_set("foot feet arch arches footed instep insteps footprint footprints")
OPTIONS = Options(
    {
        "flat": "flat|flatfooted|flatfoot|flattish|flatish|pancake|pancakes|collapsed|fallen; flat -? foot|feet|footed; low;"
        " low -? arch|arches|arched; fallen|collapsed|dropped arch|arches; arch|arches have|has fallen|collapsed;"
        " no arch|arches; pes planus; whole|entire|full foot|sole|footprint|print",
        "high": "high|cavus; high -? arch|arches|arched; tall|big arch|arches; very arched;"
        " heel and the? ball|balls|toes|toe|front; thin|narrow|thinnest strip|line|band;"
        " big|deep|huge|large|very big|deep|huge|large? curve|curves|gap",
        "normal": "normal|average|regular|ordinary|medium|neutral|typical|standard|fine|middle; in between;"
        " about|roughly|like|around half; half the arch|width|print|foot;"
        " in the middle; nothing special|unusual;"
        # The wet-foot test: a print that curves in on the inside is a normal arch.
        " curve|curves|curved|curving|curvy; curve|curves in|inward|inwards",
        # Places on the foot, not arch types: "a gap under the middle of my foot".
        None: "high heel|heels|heeled; low back; the? middle of my|the|your|each? foot|feet|sole|soles|arch|arches",
    },
    extra_words=_FEET,
)
#: Too vague to be an arch type unless it answers the arch question ("my feet are fine").
_ANSWER_ONLY = word_set("fine middle standard regular curve curves curved curving curvy")


_WET_FOOT_TEST = word_set("wet test footprint footprints print prints shows show showing")
#: Words before an arch type that draw the conclusion of a description: "looks like a normal footprint".
_CONCLUSIONS = word_set("looks look seems seem means definitely clearly obviously so guess reckon must")
#: Words after an arch type that settle on it after a hedge: "between normal and flat... flat I reckon".
_SETTLED = word_set("reckon think guess suppose say i'd probably mostly really")
_PAIRED = word_set("or and nor to")


#: Words of a description of the curve, which a named type beside them explains: "high, very curved".
_CURVES = word_set("curve curves curved curving curvy")
#: A middle said beside "I don't know" is a print that could not be read, not a normal arch.
_UNDECIDED = word_set("between middle")


def read(answer: Answer) -> Reading:
    """The arch type said; ``normal`` for "neither flat nor high"."""
    words = corrected(without_dont_know(answer.words), OPTIONS.vocabulary)
    texts = [w.text for w in words]
    mentions = OPTIONS.mentions(words, correct=False)
    if any(not m.negated and texts[m.first] not in _CURVES for m in mentions):
        # "High arch, very much curved": the curve describes the arch type named beside it.
        mentions = [m for m in mentions if texts[m.first] not in _CURVES]
    affirmed = list(dict.fromkeys(m.value for m in mentions if not m.negated))
    if len(affirmed) == 1:
        undecided = _UNDECIDED & {texts[i] for m in mentions for i in range(m.first, m.last + 1)}
        if undecided and len(words) < len(answer.words):
            return NOT_SURE  # "looked in between, honestly I don't know"
        return affirmed[0]
    # "A big curve on the inside, looks like a normal footprint": the conclusion drawn wins over the description.
    concluded = {
        m.value
        for m in mentions
        if not m.negated
        and (_CONCLUSIONS & set(texts[max(0, m.first - 3) : m.first]) or _settled_on(texts, m, mentions))
    }
    if len(concluded) == 1:
        return concluded.pop()
    if not affirmed and {"flat", "high"} <= {m.value for m in mentions}:
        return "normal"
    if len(affirmed) > 1 and ("or" in {w.text for w in words} or says_not_sure(answer.words)):
        return NOT_SURE
    return None


def _settled_on(texts: Sequence[str], mention: Mention, mentions: Sequence[Mention]) -> bool:
    """Whether a type closes the reply with a settling word: "..., flat I reckon".

    The type must stand alone, not as the second of a pair ("flat or high, I think"
    is still undecided).
    """
    after = texts[mention.last + 1 : mention.last + 4]
    later = any(m.first > mention.last for m in mentions)
    paired = mention.first > 0 and texts[mention.first - 1] in _PAIRED
    return not later and not paired and bool(_SETTLED & set(after)) and len(texts) - mention.last <= 4


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """Arch types said of the feet in a sentence ("my feet are really flat", "high arches")."""
    words = corrected(words, OPTIONS.vocabulary)
    texts = [w.text for w in words]
    found = []
    # The print of a wet-foot test the person did is their own foot: "did the wet foot test, whole foot shows".
    tested = bool(_WET_FOOT_TEST & set(texts))
    for mention in OPTIONS.mentions(words, correct=False):
        if mention.negated or texts[mention.first] in _ANSWER_ONLY:
            continue
        start, _ = clause_span(texts, mention.first, and_breaks=True)
        inside = _FEET & set(texts[mention.first : mention.last + 1])
        before = [i for i in range(max(start, mention.first - 5), mention.first) if texts[i] in _FEET]
        # "Normal arches", "average feet": the type straight before the feet.
        after = mention.last + 1 < len(texts) and texts[mention.last + 1] in _FEET
        if inside or before:
            found.append(Finding(str(mention.value), mention.first if inside else before[-1], mention.last, tested))
        elif after:
            found.append(Finding(str(mention.value), mention.first, mention.last + 1, tested))
    return found


READER = SlotReader(FOOT_ARCH, read, find)
