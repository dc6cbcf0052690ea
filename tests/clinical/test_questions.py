"""Settling an assessment question: an answer, help, a second try, or "not sure" (spec section 5)."""

from __future__ import annotations

from typing import Any, Optional

import pytest

from rasa_project.clinical.contract import ASSESSMENT_SLOTS, CATEGORICAL_VALUES, RED_FLAG_SCREEN
from rasa_project.clinical.questions import NOT_SURE_DEFAULTS, Attempts, Say, settle

NOT_SURE = object()


def run(slot: str, reading: Any, unreadable: int = 0, not_sure: int = 0):
    return settle(slot, reading, Attempts(unreadable, not_sure), not_sure=NOT_SURE)


@pytest.mark.parametrize(
    "slot, reading, attempts, value, say, after",
    [
        # An answer is taken as it is.
        ("foot_arch", "high", (0, 0), "high", None, (0, 0)),
        ("pain_severity", 7, (1, 0), 7, None, (1, 0)),
        # Unreadable once: asked again; twice: the "not sure" value, and move on.
        ("foot_arch", None, (0, 0), None, Say.NOT_UNDERSTOOD, (1, 0)),
        ("foot_arch", None, (1, 0), "unknown", Say.NOTED_NOT_SURE, (2, 0)),
        ("pain_duration", None, (1, 0), "subacute", Say.NOTED_NOT_SURE, (2, 0)),
        ("daily_load", None, (1, 0), "mixed", Say.NOTED_NOT_SURE, (2, 0)),
        # "Not sure": help first where it is worth it, then the documented value.
        ("foot_arch", NOT_SURE, (0, 0), None, Say.ARCH_SELF_CHECK, (0, 1)),
        ("foot_arch", NOT_SURE, (0, 1), "unknown", Say.NOTED_NOT_SURE, (0, 2)),
        ("pain_duration", NOT_SURE, (0, 0), None, Say.ROUGH_GUESS, (0, 1)),
        ("pain_severity", NOT_SURE, (0, 1), 5, Say.NOTED_NOT_SURE, (0, 2)),
        ("shoe_wear", NOT_SURE, (0, 0), "unknown", Say.NOTED_NOT_SURE, (0, 1)),
        ("gait_diagnosis", NOT_SURE, (0, 0), "no", Say.NOTED_NOT_SURE, (0, 1)),
        ("insole_history", NOT_SURE, (0, 0), "none", Say.NOTED_NOT_SURE, (0, 1)),
        # An unreadable answer after help still moves on at the second unreadable one.
        ("foot_arch", None, (1, 1), "unknown", Say.NOTED_NOT_SURE, (2, 1)),
        # The red-flag screen: "yes" without which, "not sure" or a second unreadable
        # answer get one direct question instead of an assumption.
        (RED_FLAG_SCREEN, "clear", (0, 0), "clear", None, (0, 0)),
        (RED_FLAG_SCREEN, "positive", (0, 0), None, Say.WHICH_RED_FLAG, (0, 0)),
        (RED_FLAG_SCREEN, NOT_SURE, (0, 0), None, Say.WHICH_RED_FLAG, (0, 1)),
        (RED_FLAG_SCREEN, None, (0, 0), None, Say.NOT_UNDERSTOOD, (1, 0)),
        (RED_FLAG_SCREEN, None, (1, 0), None, Say.WHICH_RED_FLAG, (2, 0)),
    ],
)
def test_settle_table(slot: str, reading: Any, attempts: tuple, value: Any, say: Optional[Say], after: tuple) -> None:
    settlement = run(slot, reading, *attempts)
    assert (settlement.value, settlement.say) == (value, say)
    assert (settlement.attempts.unreadable, settlement.attempts.not_sure) == after


@pytest.mark.parametrize("slot", [s for s in ASSESSMENT_SLOTS if s != RED_FLAG_SCREEN])
def test_a_question_is_never_asked_a_third_time(slot: str) -> None:
    """Whatever the replies, the third is never needed: a value is stored by the second."""
    for first, second in [(None, None), (NOT_SURE, NOT_SURE), (None, NOT_SURE), (NOT_SURE, None)]:
        one = run(slot, first)
        if one.value is not None:
            continue
        two = settle(slot, second, one.attempts, not_sure=NOT_SURE)
        assert two.value is not None, (slot, first, second)


@pytest.mark.parametrize("slot, value", sorted(NOT_SURE_DEFAULTS.items()))
def test_not_sure_values_are_contract_values(slot: str, value: Any) -> None:
    if slot in CATEGORICAL_VALUES:
        assert value in CATEGORICAL_VALUES[slot]
    else:
        assert isinstance(value, int) and 0 <= value <= 10


def test_every_question_but_the_screen_has_a_not_sure_value() -> None:
    assert set(NOT_SURE_DEFAULTS) == set(ASSESSMENT_SLOTS) - {RED_FLAG_SCREEN}


def test_attempts_survive_a_slot_round_trip() -> None:
    attempts = Attempts(1, 2)
    assert Attempts.from_value(attempts.as_dict()) == attempts
    assert Attempts.from_value(None) == Attempts()
    assert Attempts.from_value("garbage") == Attempts()
