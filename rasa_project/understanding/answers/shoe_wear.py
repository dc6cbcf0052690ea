"""``shoe_wear``: where the soles wear down first (``inner``, ``outer``, ``even``).

"insde", "the outer edge", "big toe side", "pretty much the same all over" are
answers; "inside and outside" and "bit of both" are no one side, so the wear tells
nothing (``NOT_SURE``, which the form keeps as ``unknown``). As a fact in a message the side must
be said of worn shoes ("my trainers wear out on the outside").
"""

from __future__ import annotations

from datetime import date
from typing import List, Sequence

from rasa_project.clinical.contract import SHOE_WEAR
from rasa_project.understanding.answers.hedges import without_dont_know
from rasa_project.understanding.answers.options import Options, single
from rasa_project.understanding.answers.reading import NOT_SURE, Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.words import Word, word_set

_SHOES = word_set("shoe shoes sole soles trainer trainers heels boot boots sneakers")
#: "Finished" and "eaten" are how some say a sole is worn: "my shoes are finished on the outside".
_WEAR = word_set("wear wears wore worn wearing finish finished eaten")
_BOTH = word_set("both")
OPTIONS = Options(
    {
        "inner": "inside|insides|inner|inwards|inward|instep|medial; inside|inner edge|edges|side|sides;"
        " big toe; big toe side; arch side",
        "outer": "outside|outsides|outer|outwards|outward|lateral; outside|outer edge|edges|side|sides;"
        " little|pinky|small toe; little|pinky|small toe side",
        "even": "even|evenly|equally|uniform|uniformly|symmetrical|symmetric|normal|normally; same all over|everywhere;"
        " all over; no particular side|place|pattern; normal|regular|usual wear|pattern;"
        " nothing unusual|special|odd; nothing stands out;"
        # "Same both sides", "both sides the same": no one side wears first.
        " the? same both|each|either side|sides; the? same on both|each|either side|sides?;"
        " both|each side|sides the? same",
    },
    extra_words=_SHOES | _WEAR,
)


def read(answer: Answer) -> Reading:
    """The one side said; wear on both sides is ``NOT_SURE``; ``None`` when nothing is said."""
    words = without_dont_know(answer.words)
    sides = OPTIONS.affirmed(words)
    # "Bit of both", "inside and outside": no one side wears first, so the wear tells nothing.
    if {"inner", "outer"} <= set(sides) or (not sides and _BOTH & {w.text for w in words}):
        return NOT_SURE
    return single(sides)


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """Sides of wear said of the person's shoes in a sentence."""
    texts = {w.text for w in words}
    if not (texts & _SHOES and texts & _WEAR):
        return []
    return [Finding(str(m.value), m.first, m.last) for m in OPTIONS.mentions(words) if not m.negated]


READER = SlotReader(SHOE_WEAR, read, find)
