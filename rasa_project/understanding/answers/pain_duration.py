"""``pain_duration``: how long the back pain has lasted (``acute``, ``subacute``, ``chronic``).

Any duration :mod:`durations` can read is an answer; several give the longest ("on
and off for years, this flare 2 weeks" is chronic). As a fact in a message, a
duration needs a lead ("for", "since", "over the last", "it's been") or "ago", and a
clause about the pain ("my back has hurt for a month", "it started 3 weeks ago"),
not about insoles, a job or an age ("tried insoles for 2 months", "been a postman
for 10 years").
"""

from __future__ import annotations

from datetime import date
from typing import List, Sequence

from rasa_project.clinical.contract import PAIN_DURATION
from rasa_project.understanding.answers.clauses import clause_span, is_negated
from rasa_project.understanding.answers.durations import duration_category, find_durations, longest_weeks
from rasa_project.understanding.answers.reading import Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.words import Word, word_set

_LEAD_HEDGES = word_set("about around roughly like maybe probably almost nearly the")
_PAIN = word_set("pain painful hurt hurts hurting ache aches aching ached sore back it it's this bad")
#: Pain words that need no "I": "it started 3 weeks ago", "it's been six months".
_IMPLIED = word_set("started began begun it's")
_NOT_THE_PAIN = word_set(
    "insole insoles insert inserts orthotic orthotics shoes trainers boots job worked working lived living married"
    " retired old aged pregnant"
)


def read(answer: Answer) -> Reading:
    """The category of the longest duration said, or ``None``."""
    weeks = longest_weeks(answer.words, answer.today)
    return duration_category(weeks) if weeks is not None else None


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """Durations of the pain stated in a sentence."""
    texts = [w.text for w in words]
    found = []
    for duration in find_durations(words, today):
        lead = duration.first - 1
        while lead >= 0 and texts[lead] in _LEAD_HEDGES:
            lead -= 1
        led = texts[duration.first] in ("since", "for") or (lead >= 0 and texts[lead] in ("for", "since", "last"))
        led = led or (lead >= 0 and texts[lead] in ("past", "been"))
        ago = texts[duration.last + 1 : duration.last + 2] in (["ago"], ["now"])
        start, end = clause_span(texts, duration.first, and_breaks=True)
        clause = set(texts[start:end])
        # "been a postman for 10 years": "been" before an article is a role, not the pain.
        role = any(texts[i] == "been" and texts[i + 1] in ("a", "an") for i in range(start, end - 1))
        if not (led or ago) or not clause & _PAIN or clause & _NOT_THE_PAIN or role:
            continue
        if is_negated(texts, duration.first):
            continue
        first = lead if lead >= 0 and texts[lead] in ("for", "since", "last", "past") else duration.first
        while first > start and texts[first - 1] in ("over", "in", "the", "these"):
            first -= 1
        last = duration.last + (texts[duration.last + 1 : duration.last + 2] == ["ago"])
        found.append(Finding(duration_category(duration.weeks), first, last, bool(clause & _IMPLIED)))
    return found


READER = SlotReader(PAIN_DURATION, read, find)
