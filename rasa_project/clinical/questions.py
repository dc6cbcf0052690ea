"""How each assessment question is settled: an answer, help, a second try, or "not sure".

Spec section 5: a question is never asked a third time. After the first answer the
assistant cannot read, it asks again; after the second, it takes the slot's
documented "not sure" value and moves on. "Not sure" itself is accepted at once,
except where a little help first is worth it: the wet-foot test for the arch, and a
rough guess for how long and how bad the pain is. For the red-flag screen, a "yes"
without saying which, or a "not sure", gets one direct question ("which one?"), and
uncertainty there escalates (spec section 2; the safety policy does that).

:func:`settle` is a pure function over plain values; the form's validation action is
a thin adapter around it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Mapping, Optional, Union

from rasa_project.clinical.contract import (
    DAILY_LOAD,
    FOOT_ARCH,
    GAIT_DIAGNOSIS,
    INSOLE_HISTORY,
    LEG_LENGTH_DIFFERENCE,
    PAIN_DURATION,
    PAIN_SEVERITY,
    RED_FLAG_SCREEN,
    SHOE_WEAR,
)

#: What "not sure" stands for, per slot, once the assistant moves on. Where the
#: contract has ``unknown`` it is that; otherwise the value that changes the decision
#: table least and is stated as "not sure" in the result and the summary:
#:
#: - ``pain_duration``: ``subacute``, between the table's rows for acute and chronic
#:   pain, so an unknown duration alone neither sends anyone for custom orthotics nor
#:   rules them out for a later correction;
#: - ``pain_severity``: 5, the middle of the scale (severity does not enter the table);
#: - ``daily_load``: ``mixed``; ``gait_diagnosis``: ``no`` (no diagnosis is known);
#: - ``insole_history``: ``none`` (no trial the person can report).
NOT_SURE_DEFAULTS: Mapping[str, Union[str, int]] = {
    PAIN_DURATION: "subacute",
    PAIN_SEVERITY: 5,
    DAILY_LOAD: "mixed",
    FOOT_ARCH: "unknown",
    SHOE_WEAR: "unknown",
    LEG_LENGTH_DIFFERENCE: "unknown",
    GAIT_DIAGNOSIS: "no",
    INSOLE_HISTORY: "none",
}


class Say(str, Enum):
    """What the assistant tells the person while settling a question."""

    NOT_UNDERSTOOD = "not_understood"
    ROUGH_GUESS = "rough_guess"
    ARCH_SELF_CHECK = "arch_self_check"
    NOTED_NOT_SURE = "noted_not_sure"
    WHICH_RED_FLAG = "which_red_flag"
    SCORE_AS_NUMBER = "score_as_number"


#: Asked once when the pain is scored in words only: the number makes the score comparable later.
SCORE_AS_NUMBER = "Thanks. Could you put a number on it? A rough one is fine, and it lets me compare later."


#: Slots where a first "not sure" gets help and the question once more.
HELP_FIRST: Mapping[str, Say] = {
    FOOT_ARCH: Say.ARCH_SELF_CHECK,
    PAIN_DURATION: Say.ROUGH_GUESS,
    PAIN_SEVERITY: Say.ROUGH_GUESS,
}


@dataclass(frozen=True)
class Attempts:
    """How a question has gone so far in this assessment."""

    unreadable: int = 0
    not_sure: int = 0

    def as_dict(self) -> dict:
        """A JSON-ready form, for a slot."""
        return {"unreadable": self.unreadable, "not_sure": self.not_sure}

    @classmethod
    def from_value(cls, value: Any) -> Attempts:
        """Read the form :meth:`as_dict` gives; anything else is a fresh start."""
        if not isinstance(value, Mapping):
            return cls()
        return cls(int(value.get("unreadable") or 0), int(value.get("not_sure") or 0))


@dataclass(frozen=True)
class Settlement:
    """The outcome of one reply to an assessment question.

    value: the contract value to store, or ``None`` to ask the question again (or,
        for the screen, to ask which symptom).
    say: what to tell the person first, if anything.
    attempts: the question's attempts after this reply.
    """

    value: Any
    say: Optional[Say]
    attempts: Attempts


def settle(slot: str, reading: Any, attempts: Attempts, *, not_sure: Any, in_words: bool = False) -> Settlement:
    """Settle the reply to the question for ``slot``.

    Args:
        slot: the assessment slot asked about.
        reading: the reader's result for the reply: a contract value, ``not_sure``, or
            ``None`` when the reply is no answer the reader can read.
        attempts: the question's attempts before this reply.
        not_sure: the readers' "not sure" value (``answers.NOT_SURE``).
        in_words: the reply gave the pain score in words only ("moderate").
    """
    # The question has been asked a second time already: this reply settles it.
    asked_twice = attempts.unreadable + attempts.not_sure > 0
    if slot == PAIN_SEVERITY and in_words and reading is not None and reading is not not_sure and not asked_twice:
        # "Moderate" is a rough score: the number the person would give is asked for
        # once, and a second reply in words is read as its score.
        return Settlement(None, Say.SCORE_AS_NUMBER, replace(attempts, unreadable=1))
    if reading is not None and reading is not not_sure:
        if slot == RED_FLAG_SCREEN and reading == "positive":
            # "Yes" without saying which: one direct question decides how urgent it is.
            return Settlement(None, Say.WHICH_RED_FLAG, attempts)
        return Settlement(reading, None, attempts)
    if reading is not_sure:
        if slot == RED_FLAG_SCREEN:
            return Settlement(None, Say.WHICH_RED_FLAG, replace(attempts, not_sure=attempts.not_sure + 1))
        if slot in HELP_FIRST and not asked_twice:
            return Settlement(None, HELP_FIRST[slot], replace(attempts, not_sure=1))
        return Settlement(
            NOT_SURE_DEFAULTS[slot], Say.NOTED_NOT_SURE, replace(attempts, not_sure=attempts.not_sure + 1)
        )
    if not asked_twice:
        return Settlement(None, Say.NOT_UNDERSTOOD, replace(attempts, unreadable=1))
    if slot == RED_FLAG_SCREEN:
        # Two unreadable answers about warning signs: the safety policy escalates the
        # second as a "not sure" before the form reads it. Should one reach the form,
        # ask directly which, rather than assume there are none.
        return Settlement(None, Say.WHICH_RED_FLAG, replace(attempts, unreadable=attempts.unreadable + 1))
    return Settlement(
        NOT_SURE_DEFAULTS[slot], Say.NOTED_NOT_SURE, replace(attempts, unreadable=attempts.unreadable + 1)
    )
