"""The result action on rasa_sdk trackers: one owner of the result, rebuilt from all answers."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import RESULT_ANSWERS
from actions.result import HEADLINE_PAYLOAD_TYPE, ActionAssessmentResult
from tests.actions.conftest import make_tracker

ANSWERS = {
    "pain_duration": "acute",
    "pain_severity": 5,
    "red_flag_screen": "clear",
    "daily_load": "sitting",
    "foot_arch": "flat",
    "shoe_wear": "even",
    "leg_length_difference": "no",
    "gait_diagnosis": "no",
    "insole_history": "none",
}


def run_result(domain: Dict[str, Any], slots: Dict[str, Any]):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, "", slots=slots, active_loop=None)
    events: List[Dict[str, Any]] = asyncio.run(ActionAssessmentResult().run(dispatcher, tracker, domain))
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher.messages


def test_the_result_opens_with_a_headline_then_explains(domain: Dict[str, Any]) -> None:
    slots, messages = run_result(domain, ANSWERS)
    assert (slots["triage_level"], slots["recommendation"]) == ("self_care", "otc_arch_support")
    assert slots[RESULT_ANSWERS] == ANSWERS
    headline, body = messages
    assert headline["text"].startswith("Try an off-the-shelf arch-support insert")
    assert "because your feet are flat" in headline["text"]
    assert headline["custom"] == {
        "type": HEADLINE_PAYLOAD_TYPE,
        "triage_level": "self_care",
        "recommendation": "otc_arch_support",
    }
    assert "not a diagnosis" in body["text"] and headline["text"] not in body["text"]


def test_a_correction_after_the_result_rebuilds_it_and_says_what_changed(domain: Dict[str, Any]) -> None:
    previous = {**ANSWERS, "insole_history": "no_change"}
    now = {**ANSWERS, RESULT_ANSWERS: previous, "triage_level": "routine", "recommendation": "clinician_review"}
    slots, messages = run_result(domain, now)
    assert (slots["triage_level"], slots["recommendation"]) == ("self_care", "otc_arch_support")
    change, headline, body = (m["text"] for m in messages)
    assert "insoles tried before: never tried (was tried, no difference)" in change
    assert change.endswith("That changes my advice:")
    # The new reasons come from the new answers only.
    assert "insoles you tried" not in headline and "your feet are flat" in headline
    assert body


def test_a_correction_that_changes_nothing_is_not_explained_again(domain: Dict[str, Any]) -> None:
    now = {
        **ANSWERS,
        "pain_severity": 6,
        RESULT_ANSWERS: ANSWERS,
        "triage_level": "self_care",
        "recommendation": "otc_arch_support",
    }
    _, messages = run_result(domain, now)
    change, _headline = (m["text"] for m in messages)
    assert "pain severity: 6 out of 10 (was 5 out of 10)" in change
    assert change.endswith("That doesn't change my advice:")


def test_a_routine_level_follows_the_answers_down(domain: Dict[str, Any]) -> None:
    chronic = {**ANSWERS, "pain_duration": "chronic"}
    now = {**ANSWERS, RESULT_ANSWERS: chronic, "triage_level": "routine", "recommendation": "custom_orthotics"}
    slots, _ = run_result(domain, now)
    assert slots["triage_level"] == "self_care"


@pytest.mark.parametrize("flag, level", [("significant_trauma", "urgent"), ("saddle_anaesthesia", "emergency")])
def test_a_red_flag_keeps_its_floor_whatever_the_answers(domain: Dict[str, Any], flag: str, level: str) -> None:
    slots, messages = run_result(domain, {**ANSWERS, "red_flags": [flag], "triage_level": level})
    assert slots["triage_level"] == level
    assert "insert" not in messages[0]["text"]


def test_an_urgent_level_is_kept_without_a_recommendation(domain: Dict[str, Any]) -> None:
    slots, _ = run_result(domain, {**ANSWERS, "red_flags": ["cancer_history"], "triage_level": "urgent"})
    assert (slots["triage_level"], slots["recommendation"]) == ("urgent", "prompt_medical_review")
