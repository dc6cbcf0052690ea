"""Yes or no, as people type it: "yeah", "yep", "I think so", "nope", "not really", "kinda".

A partial yes ("kinda", "a bit", "sometimes") is a yes: something is there. A hedge
alone ("maybe", "not sure") is ``NOT_SURE``, and so is "yes and no".
"""

from __future__ import annotations

from typing import Sequence

from rasa_project.understanding.answers.hedges import says_not_sure, without_dont_know
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.reading import NOT_SURE, Reading
from rasa_project.understanding.answers.words import Word

YES_NO = Options(
    {
        "yes": "yes|yeah|yea|yep|yup|ya|yah|ye|yas|yeh|yesh|y|aye|affirmative|indeed|correct|true;"
        " sure|definitely|absolutely|certainly|probably|totally; for sure; i think|believe|guess so; think so;"
        " pretty|quite sure; i do|did|have|am|had; i've got|had; i'm|am afraid so; it is|does|has;"
        " they are|do|have; uh huh; of course; kinda|sorta|somewhat|slightly|sometimes|partly; kind|sort of;"
        " a bit|little|tad",
        "no": "no|nope|nah|na|n|nay|non|nop|negative|never|none|nothing|nobody|noone;"
        # Scots and Northern English: "naw", "nae", "naebody", "nowt".
        " naw|nae|naebody|nowt; no way|one; not really|yet;"
        " not at all; i? don't think|believe so; i? do not think|believe so; probably not;"
        " not that i know|remember of?; not that i'm|am aware of?; not as far as i know|remember;"
        " not that anyone|anybody|i've|i ever? said|told|mentioned|noticed|heard;"
        " not that anyone|anybody has|have ever? said|told|mentioned|noticed; not to my knowledge; i don't|didn't|haven't|hadn't|can't|wasn't|won't; i'm not; i am not;"
        " i have|do|did not; never have|had|did; it isn't|doesn't|hasn't; they aren't|don't|haven't",
    }
)


#: "I am" is a yes as a reply ("I am.", "I am, a bit"), but the subject of a statement
#: when a word goes on from it: "I am getting confused", "I am retired".
_COPULA = ("i", "am")
#: Words after "I am" that keep it a reply: "I am afraid so", "I am indeed".
_STILL_A_REPLY = frozenset({"afraid", "indeed", "yes", "so", "a", "sometimes", "kinda", "slightly", "too"})


def yes_no(words: Sequence[Word]) -> Reading:
    """Read ``words`` as ``"yes"``, ``"no"``, ``NOT_SURE`` or ``None`` (no yes/no answer in them)."""
    unsure = says_not_sure(words)
    statement = without_dont_know(words)
    texts = [w.text for w in statement]
    # "I am not sure": once "not sure" is set aside, its "I am" is no yes.
    said = {
        m.value
        for m in YES_NO.mentions(statement)
        if not (tuple(texts[m.first : m.last + 1]) == _COPULA and (unsure or _opens_a_statement(texts, m.last)))
    }
    if len(said) == 1:
        return said.pop()
    return NOT_SURE if said or unsure else None


def _opens_a_statement(texts: Sequence[str], last: int) -> bool:
    """Whether a statement goes on from an "I am" that ends at ``last``."""
    if last + 1 >= len(texts):
        return False
    after = texts[last + 1]
    return after[:1].isalpha() and after not in _STILL_A_REPLY
