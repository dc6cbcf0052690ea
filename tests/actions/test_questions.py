"""``action_answer_question``: the answer to every question intent, and the offer of a check."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.questions import ActionAnswerQuestion, answer_for, asks_something
from tests.actions.conftest import make_tracker


def responses_after(
    domain: Dict[str, Any], intent: str, *, active_loop: Optional[str] = None, slots: Optional[Dict[str, Any]] = None
) -> List[str]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, "x", intent=intent, active_loop=active_loop, slots=slots)
    asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain))
    return [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    "intent, response",
    [
        ("ask_brands", "utter_faq_brands"),
        ("ask_insoles_help", "utter_faq_insoles_help"),
        ("ask_while_waiting", "utter_faq_while_waiting"),
        ("ask_unknown_topic", "utter_default"),
        ("greet", "utter_default"),
        (None, "utter_default"),
    ],
)
def test_every_question_is_answered_by_its_response(domain: Dict[str, Any], intent: Any, response: str) -> None:
    assert answer_for(intent, list(domain["responses"])) == response
    assert responses_after(domain, intent or "", active_loop="assessment_form") == [response]


def test_a_general_answer_about_insoles_leads_into_the_persons_own_case(domain: Dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, "x", intent="ask_insoles_help", active_loop=None)
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain))
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_insoles_help", "utter_check_own_case"]
    assert [(event["event"], event["name"]) for event in events] == [("followup", "assessment_form")]


@pytest.mark.parametrize(
    "active_loop, slots",
    [
        ("assessment_form", {}),
        (None, {"triage_level": "self_care", "recommendation": "otc_arch_support"}),
        (None, {"triage_level": "emergency"}),
    ],
    ids=["during-the-assessment", "after-a-result", "after-an-emergency"],
)
def test_not_during_or_after_an_assessment(
    domain: Dict[str, Any], active_loop: Optional[str], slots: Dict[str, Any]
) -> None:
    assert responses_after(domain, "ask_insoles_help", active_loop=active_loop, slots=slots) == [
        "utter_faq_insoles_help"
    ]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("are my feet linked to my back at all?", "ask_kinetic_chain"),
        ("which warning signs should i watch for", "ask_red_flags"),
        ("how much would a podiatrist cost me", "ask_cost"),
    ],
)
def test_a_typed_question_on_any_topic_leads_into_the_persons_own_case(
    domain: Dict[str, Any], text: str, intent: str
) -> None:
    # Whoever writes to this assistant came about their back: the answer, then the check.
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, text, intent=intent, active_loop=None)
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain))
    assert [m["response"] for m in dispatcher.messages] == [f"utter_faq_{intent[4:]}", "utter_check_own_case"]
    assert [(event["event"], event["name"]) for event in events] == [("followup", "assessment_form")]


@pytest.mark.parametrize("intent", ["ask_kinetic_chain", "ask_red_flags"])
def test_a_tapped_question_button_on_other_topics_only_gets_its_answer(domain: Dict[str, Any], intent: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, f"/{intent}", intent=intent, active_loop=None)
    assert asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain)) == []
    assert [m["response"] for m in dispatcher.messages] == [f"utter_faq_{intent[4:]}"]


def test_not_after_the_person_stopped_the_questions(domain: Dict[str, Any]) -> None:
    stop = {"event": "user", "text": "stop", "parse_data": {"intent": {"name": "stop_assessment"}}}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, "x", intent="ask_insoles_help", active_loop=None)
    tracker.events.insert(0, stop)
    assert asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain)) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_insoles_help"]


@pytest.mark.parametrize(
    "intent, entity",
    [
        ("ask_pregnancy", {"entity": "pregnancy", "value": "yes"}),
        ("ask_cost", {"entity": "pain_duration", "value": "chronic"}),
        ("ask_exercise", {"entity": "daily_load", "value": "walking"}),
    ],
)
def test_a_question_that_tells_about_the_persons_own_case_leads_into_it(
    domain: Dict[str, Any], intent: str, entity: Dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, "x", intent=intent, active_loop=None, entities=[entity])
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain))
    assert [m["response"] for m in dispatcher.messages] == [f"utter_faq_{intent[4:]}", "utter_check_own_case"]
    assert [(event["event"], event["name"]) for event in events] == [("followup", "assessment_form")]


def test_a_red_flag_alone_is_no_own_case_to_check(domain: Dict[str, Any]) -> None:
    entities = [{"entity": "red_flag_context", "value": "bladder_bowel_dysfunction"}]
    tracker = make_tracker(domain, "/ask_red_flags", intent="ask_red_flags", active_loop=None, entities=entities)
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain)) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_red_flags"]


def test_a_question_with_own_facts_after_a_result_only_gets_its_answer(domain: Dict[str, Any]) -> None:
    slots = {"triage_level": "self_care", "recommendation": "otc_cushioning"}
    entities = [{"entity": "foot_arch", "value": "high"}]
    tracker = make_tracker(domain, "x", intent="ask_cost", active_loop=None, slots=slots, entities=entities)
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain)) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_cost"]


RESULT = {"triage_level": "self_care", "recommendation": "insoles_unlikely_to_help"}
ANSWERS = {"pain_duration": "subacute", "gait_diagnosis": "no", "foot_arch": "normal"}


@pytest.mark.parametrize(
    "slots, entity, works_it_out_again",
    [
        ({**ANSWERS, "gait_diagnosis": "yes"}, {"entity": "gait_diagnosis", "value": "yes"}, True),
        (ANSWERS, {"entity": "gait_diagnosis", "value": "no"}, False),
        ({**ANSWERS, "foot_arch": "flat"}, {"entity": "red_flag_context", "value": "saddle_anaesthesia"}, False),
    ],
    ids=["changed-answer", "same-answer", "no-answer-in-the-message"],
)
def test_a_question_that_corrects_an_answer_after_the_result_works_it_out_again(
    domain: Dict[str, Any], slots: Dict[str, Any], entity: Dict[str, Any], works_it_out_again: bool
) -> None:
    all_slots = {**RESULT, **slots, "result_answers": ANSWERS}
    tracker = make_tracker(
        domain, "x", intent="ask_which_clinician", active_loop=None, slots=all_slots, entities=[entity]
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain))
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_which_clinician"]
    assert events == (
        [{"event": "followup", "name": "assessment_form", "timestamp": None}] if works_it_out_again else []
    )


def test_no_result_is_worked_out_again_after_an_emergency(domain: Dict[str, Any]) -> None:
    slots = {**ANSWERS, "gait_diagnosis": "yes", "triage_level": "emergency", "result_answers": ANSWERS}
    entities = [{"entity": "gait_diagnosis", "value": "yes"}]
    tracker = make_tracker(domain, "x", intent="ask_which_clinician", active_loop=None, slots=slots, entities=entities)
    assert asyncio.run(ActionAnswerQuestion().run(CollectingDispatcher(), tracker, domain)) == []


def _answer(domain: Dict[str, Any], text: str, confidence: float, **kwargs: Any):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, text, intent="ask_red_flags", confidence=confidence, **kwargs)
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain))
    return [m["response"] for m in dispatcher.messages], [(e["event"], e.get("name")) for e in events]


@pytest.mark.parametrize(
    "text, asks",
    [
        ("what are the warning signs?", True),
        ("hi, which symptoms are serious", True),
        ("tell me the red flags", True),
        ("lower back ache, done the stretches already", False),
        ("sore back, unsure what to do about it", False),
    ],
)
def test_asks_something(text: str, asks: bool) -> None:
    assert asks_something(text) is asks


def test_a_guessed_question_on_a_statement_goes_on_to_the_persons_own_case(domain: Dict[str, Any]) -> None:
    said, events = _answer(domain, "lower back ache, done the stretches already", 0.42, active_loop=None)
    assert said == ["utter_check_own_case"]
    assert events == [("followup", "assessment_form")]


@pytest.mark.parametrize(
    "text",
    ["I'm retired and my lower back has ached for ages", "my back is sore since I moved house, kindly advise"],
)
def test_a_confident_question_intent_on_a_first_person_account_of_back_pain_starts_the_check(
    domain: Dict[str, Any], text: str
) -> None:
    said, events = _answer(domain, text, 0.8, active_loop=None)
    assert said == ["utter_check_own_case"]
    assert events == [("followup", "assessment_form")]


def test_a_guessed_question_on_a_statement_during_the_assessment_says_nothing(domain: Dict[str, Any]) -> None:
    assert _answer(domain, "sore back, unsure what to do about it", 0.42, active_loop="assessment_form") == ([], [])


def test_a_guessed_question_on_a_statement_after_a_result_asks_to_rephrase(domain: Dict[str, Any]) -> None:
    slots = {"triage_level": "self_care", "recommendation": "otc_cushioning"}
    said, _ = _answer(domain, "sore back, unsure what to do about it", 0.42, active_loop=None, slots=slots)
    assert said == ["utter_please_rephrase"]


@pytest.mark.parametrize("text, confidence", [("which symptoms are serious", 0.42), ("sore back, red flags", 0.9)])
def test_a_question_or_a_confident_intent_is_answered(domain: Dict[str, Any], text: str, confidence: float) -> None:
    said, _ = _answer(domain, text, confidence, active_loop=None)
    # Typed before any check, so the check follows the answer.
    assert said == ["utter_faq_red_flags", "utter_check_own_case"]
