"""Reading a person's answer to one assessment question, one reader per slot.

The assistant knows which question it asked, so "high", "a 7 I guess" or "bit of
both" is read against that question's slot::

    read_answer("foot_arch", "hgih")           -> "high"
    read_answer("daily_load", "bit of both")   -> "mixed"
    read_answer("pain_severity", "dunno like a 5?") -> 5
    read_answer("foot_arch", "not sure")       -> NOT_SURE
    read_answer("foot_arch", "are Dr Scholl's any good?") -> None

Every reader gets the reply without the clauses that ask something back ("never
tried insoles, would they help?" is read as "never tried insoles") and, when the
reply corrects itself ("flat, sorry I meant high"), what follows the correction
first. A request to start over or to stop ("can we start again, I've been
answering for my mum") is no answer at all. A reply that gives no answer but says "not sure" or hedges is ``NOT_SURE``;
one that gives an estimate is that estimate ("not sure, maybe a couple of months").
Nothing here raises on any string.

Modules: one per slot (``pain_duration`` ... ``red_flag_screen``), and the shared
pieces they are built from: ``words`` (tokens with offsets), ``typos``, ``options``
(phrase tables), ``clauses`` (questions, negation, corrections), ``hedges`` ("not
sure"), ``commands`` ("start over"), ``numbers``, ``durations`` and ``yes_no``. :mod:`rasa_project.understanding.facts`
uses the same readers to find facts volunteered in any message.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Dict, Optional

from rasa_project.understanding.answers import (
    daily_load,
    foot_arch,
    gait_diagnosis,
    insole_history,
    leg_length,
    pain_duration,
    pain_severity,
    red_flag_screen,
    shoe_wear,
)
from rasa_project.understanding.answers.clauses import after_last_correction, own_clauses, without_questions
from rasa_project.understanding.answers.commands import asks_to_start_over_or_stop
from rasa_project.understanding.answers.durations import duration_category
from rasa_project.understanding.answers.hedges import says_not_sure
from rasa_project.understanding.answers.reading import NOT_SURE, Answer, NotSure, Reading, SlotReader
from rasa_project.understanding.answers.words import tokenize
from rasa_project.understanding.answers.yes_no import yes_no

__all__ = ["NOT_SURE", "READERS", "NotSure", "Reading", "duration_category", "read_answer", "read_reply", "read_yes_no"]

#: Longest reply that is read; answers are short, and this bounds the work on any input.
MAX_ANSWER_CHARS = 2000

#: The reader of each assessment slot.
READERS: Dict[str, SlotReader] = {
    module.READER.slot: module.READER
    for module in (
        *(pain_duration, pain_severity, red_flag_screen, daily_load, foot_arch),
        *(shoe_wear, leg_length, gait_diagnosis, insole_history),
    )
}
#: Yes/no questions read like a slot's question: questions back and corrections included.
_YES_NO = SlotReader("yes_no", lambda answer: yes_no(answer.words), lambda words, today: [])


def _answer(text: str, today: Optional[date]) -> Answer:
    statement, asked_back = without_questions(tokenize(text[:MAX_ANSWER_CHARS]))
    return Answer(statement, asked_back, today or date.today())


def _asks_to_start_over_or_stop(text: str) -> bool:
    # Asked as a question ("Sorry, I'm confused. Can we start over?") it is still a
    # request, though the statement read as the answer leaves questions out.
    return asks_to_start_over_or_stop(tokenize(text[:MAX_ANSWER_CHARS]))


def read_reply(reader: SlotReader, answer: Answer) -> Reading:
    """Read ``answer`` with ``reader``: a correction's last word first, then the whole, then "not sure".

    A request to start over or to stop the questions is no answer. Beside clauses about
    someone else ("his are flat, mine are normal"), only the person's own are read.
    """
    if asks_to_start_over_or_stop(answer.words):
        return None
    own = own_clauses(answer.words)
    if own is None:
        return _read_own(reader, answer)
    # "His are flat, mine are normal": only the person's own clauses answer.
    value = _read_own(reader, replace(answer, words=own))
    opened = own_clauses(answer.words, with_opening=True)
    if value is None and opened is not None and opened != own:
        # "Oh, high. My mother had the same, ...": the answer opened the reply.
        return _read_own(reader, replace(answer, words=opened))
    return value


def _read_own(reader: SlotReader, answer: Answer) -> Reading:
    correction = after_last_correction(answer.words)
    if correction:
        value = reader.read(replace(answer, words=correction))
        if value is not None:
            return value
    value = reader.read(answer)
    if value is None and says_not_sure(answer.words):
        return NOT_SURE
    return value


def read_answer(slot: str, text: str, *, today: Optional[date] = None) -> Reading:
    """Read ``text`` as the person's answer to the question for ``slot``.

    Args:
        slot: an assessment slot name from ``contract`` (``pain_duration`` ...).
        text: the person's reply, as typed.
        today: the date that "since March" is measured to; defaults to today.

    Returns:
        The contract value (an ``int`` 0-10 for ``pain_severity``), ``NOT_SURE`` when
        the person does not know, or ``None`` when the text is no answer to that
        question (including a question about something else, and any ``slot`` that
        is not an assessment slot).
    """
    reader = READERS.get(slot) if isinstance(slot, str) else None
    if reader is None or not isinstance(text, str) or _asks_to_start_over_or_stop(text):
        return None
    return read_reply(reader, _answer(text, today))


def read_yes_no(text: str) -> Reading:
    """Read ``text`` as an answer to a yes/no question: ``"yes"``, ``"no"``, ``NOT_SURE`` or ``None``.

    "yeah", "yep", "I think so", "kinda" (a partial yes) are ``"yes"``; "nope",
    "not really", "I don't think so" are ``"no"``; "maybe", "not sure" and "yes and
    no" are ``NOT_SURE``; a question back or anything else is ``None``.
    """
    return read_reply(_YES_NO, _answer(text, None)) if isinstance(text, str) else None
