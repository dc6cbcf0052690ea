"""``action_answer_question``: the answer to every question intent, and the offer of a check."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.questions import ActionAnswerQuestion, answer_for
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


def test_questions_about_other_topics_only_get_their_answer(domain: Dict[str, Any]) -> None:
    assert responses_after(domain, "ask_kinetic_chain") == ["utter_faq_kinetic_chain"]


def test_not_after_the_person_stopped_the_questions(domain: Dict[str, Any]) -> None:
    stop = {"event": "user", "text": "stop", "parse_data": {"intent": {"name": "stop_assessment"}}}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, "x", intent="ask_insoles_help", active_loop=None)
    tracker.events.insert(0, stop)
    assert asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, domain)) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_insoles_help"]
