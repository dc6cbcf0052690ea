"""``shoe_wear``: where the soles wear down first (``inner``, ``outer``, ``even``).

"insde", "the outer edge", "big toe side", "pretty much the same all over" are
answers; "inside and outside" and "bit of both" are no one side, so the wear tells
nothing (``NOT_SURE``, which the form keeps as ``unknown``). As a fact in a message the side must
be said of worn shoes ("my trainers wear out on the outside").
"""

from __future__ import annotations

from datetime import date
from typing import List, Optional, Sequence

from rasa_project.clinical.contract import SHOE_WEAR
from rasa_project.understanding.answers.clauses import clause_span
from rasa_project.understanding.answers.hedges import without_dont_know
from rasa_project.understanding.answers.options import Mention, Options, single
from rasa_project.understanding.answers.reading import NOT_SURE, Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.words import Word, word_set

_SHOES = word_set("shoe shoes sole soles trainer trainers heels boot boots sneakers")
#: "Finished" and "eaten" are how some say a sole is worn: "my shoes are finished on the outside".
_WEAR = word_set("wear wears wore worn wearing finish finished eaten")
#: "My shoes go on the inside first": a sole that goes first is worn there.
_GO = word_set("go goes going gone")
_BOTH = word_set("both")
#: Words that set one shoe against the other: "the left one on the outside, the right normal".
_ONE_SHOE = word_set("left right one other")
#: Words that make the side before "than" the one that wears first: "insides worn more than the outsides".
_MORE = word_set("more worse faster quicker sooner most")
_LESS = word_set("less fewer slower")
_OPPOSITE = {"inner": "outer", "outer": "inner"}
#: Words after which "even" is an adverb, not even wear: "the cobbler even said so", "even the new ones".
_ADVERB_FOLLOWERS = word_set(
    "though if when after before more less worse better the my a an his her their he she they you so then said says"
    " told tells noticed commented mentioned remarked pointed asked joked laughed can could would did does do has"
    " have had was is got gets know knew sure bothered"
)
OPTIONS = Options(
    {
        "inner": "inside|insides|inner|inwards|inward|instep|medial; inside|inner edge|edges|side|sides;"
        " big toe; big toe side; arch side;"
        # Dictation splits the word: "on the in side", "the out side edge".
        " in side|sides|edge|edges",
        "outer": "outside|outsides|outer|outwards|outward|lateral; outside|outer edge|edges|side|sides;"
        " little|pinky|small toe; little|pinky|small toe side; out side|sides|edge|edges",
        "even": "even|evn|evenly|equally|uniform|uniformly|symmetrical|symmetric|normal|normally; same all over|everywhere;"
        " all over; no particular side|place|pattern; normal|regular|usual wear|pattern;"
        " nothing unusual|special|odd; nothing stands out;"
        # "Same both sides", "both sides the same", "equal on both": no one side wears first.
        " equal|balanced|matching;"
        " the? same|equal|level|identical both|each|either side|sides|shoe|shoes;"
        " the? same|equal|level|identical on both|each|either side|sides|shoe|shoes?;"
        " both|each side|sides|shoe|shoes the? same|equal|level|identical",
    },
    extra_words=_SHOES | _WEAR,
)


def _mentions(words: Sequence[Word]) -> List[Mention]:
    """The sides said, without an "even" that is an adverb ("my cobbler even commented on it")."""
    texts = [w.text for w in words]

    def adverb(m: Mention) -> bool:
        following = texts[m.last + 1] if m.last + 1 < len(texts) else ""
        verb = following.endswith("ed") and following not in _WEAR
        return m.value == "even" and texts[m.first] == "even" and (following in _ADVERB_FOLLOWERS or verb)

    return [m for m in OPTIONS.mentions(words) if not adverb(m)]


#: Words that say a side is not worn: "inside looks new", "the inner edge is fine".
_UNWORN = word_set("new fine ok okay good untouched perfect pristine mint unworn")
#: Words that say a side is worn, which outweigh an "ok" in the same clause.
_WORN = _WEAR | word_set("down bald thin thinner smooth gone")


def _unworn(texts: Sequence[str], mention: Mention) -> bool:
    """Whether a side is said to be unworn in its own clause: "inside looks new", "outside is fine"."""
    _, end = clause_span(texts, mention.first, and_breaks=True)
    rest = set(texts[mention.last + 1 : end])
    return bool(rest & _UNWORN) and not rest & _WORN


def read(answer: Answer) -> Reading:
    """The one side said; wear on both sides is ``NOT_SURE``; ``None`` when nothing is said."""
    words = without_dont_know(answer.words)
    texts = [w.text for w in words]
    mentions = [m for m in _mentions(words) if not m.negated]
    worn = [m for m in mentions if not (m.value in _OPPOSITE and _unworn(texts, m))]
    if worn and {m.value for m in worn} != {m.value for m in mentions}:
        # "Outside is worn down, inside looks new": the side that looks new is not worn.
        mentions = worn
    sides = list(dict.fromkeys(str(m.value) for m in mentions))
    if {"inner", "outer"} <= set(sides):
        compared = _compared(words)
        if compared is not None:
            return compared
    if not sides:
        # "Not the inside, the other one": the side left is the answer.
        other = _the_other_side(words)
        if other is not None:
            return other
    if len(sides) == 2 and "even" in sides and _ONE_SHOE & {w.text for w in words}:
        # "The left one more on the outside, the right one normal": the side one shoe wears.
        return next(side for side in sides if side != "even")
    # "Bit of both", "inside and outside": no one side wears first, so the wear tells nothing.
    if {"inner", "outer"} <= set(sides) or (not sides and _BOTH & {w.text for w in words}):
        return NOT_SURE
    return single(sides)


def _compared(words: Sequence[Word]) -> Optional[str]:
    """The side a comparison says wears first: "insides worn way more than the outsides" is ``inner``."""
    texts = [w.text for w in words]
    if "than" not in texts:
        return None
    cut = texts.index("than")
    before = [m for m in OPTIONS.mentions(words) if m.last < cut and m.value in _OPPOSITE]
    after = [m for m in OPTIONS.mentions(words) if m.first > cut and m.value in _OPPOSITE]
    if len({m.value for m in before}) != 1 or not after or after[0].value == before[0].value:
        return None
    side = str(before[0].value)
    if _LESS & set(texts[:cut]):
        return _OPPOSITE[side]
    return side if _MORE & set(texts[:cut]) else None


def _the_other_side(words: Sequence[Word]) -> Optional[str]:
    """The side opposite one that is denied, when the reply points to "the other" one."""
    texts = {w.text for w in words}
    if "other" not in texts:
        return None
    denied = {str(m.value) for m in OPTIONS.mentions(words) if m.negated and m.value in _OPPOSITE}
    return _OPPOSITE[denied.pop()] if len(denied) == 1 else None


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """Sides of wear said of the person's shoes in a sentence."""
    texts = {w.text for w in words}
    order = [w.text for w in words]
    # "My trainers always go on the inside edge": a sole that goes on one side wears there.
    goes_on = any(t in _GO and "on" in order[i + 1 : i + 3] for i, t in enumerate(order))
    if not (texts & _SHOES and (texts & _WEAR or (texts & _GO and ("first" in texts or goes_on)))):
        return []
    found = [Finding(str(m.value), m.first, m.last) for m in _mentions(words) if not m.negated]
    compared = _compared(words) if {"inner", "outer"} <= {f.value for f in found} else None
    if compared is not None:
        # "The insides are worn more than the outsides" states one side, not two.
        sides = [f for f in found if f.value in _OPPOSITE]
        return [Finding(compared, sides[0].first, sides[-1].last)]
    return found


READER = SlotReader(SHOE_WEAR, read, find)
