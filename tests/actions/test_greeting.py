"""``action_greet``: the welcome, and the check after a typed greeting."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Tuple

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.greeting import ActionGreet
from tests.actions.conftest import make_tracker

STOP = {"event": "user", "text": "stop", "parse_data": {"intent": {"name": "stop_assessment"}}}


def greet(
    domain: Dict[str, Any], text: str, slots: Optional[Dict[str, Any]] = None, stopped: bool = False
) -> Tuple[List[str], List[Tuple[str, str]]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, text, intent="greet", active_loop=None, slots=slots)
    if stopped:
        tracker.events.insert(0, STOP)
    events = asyncio.run(ActionGreet().run(dispatcher, tracker, domain))
    return [m["response"] for m in dispatcher.messages], [(e["event"], e["name"]) for e in events]


@pytest.mark.parametrize("text", ["hello", "hey there", "good evening!", "hiya 👋"])
def test_a_typed_greeting_goes_on_into_the_check(domain: Dict[str, Any], text: str) -> None:
    assert greet(domain, text) == (["utter_greet_then_check"], [("followup", "assessment_form")])


@pytest.mark.parametrize("text", ["/greet", " /greet"])
def test_a_channels_own_greeting_only_gets_the_welcome_with_its_buttons(domain: Dict[str, Any], text: str) -> None:
    assert greet(domain, text) == (["utter_greet"], [])


def test_not_after_a_result(domain: Dict[str, Any]) -> None:
    slots = {"triage_level": "self_care", "recommendation": "otc_cushioning"}
    assert greet(domain, "hi again", slots=slots) == (["utter_greet"], [])


def test_not_after_the_person_stopped_the_questions(domain: Dict[str, Any]) -> None:
    assert greet(domain, "hello", stopped=True) == (["utter_greet"], [])


def test_the_typed_welcome_keeps_the_emergency_line_and_has_no_buttons(domain: Dict[str, Any]) -> None:
    (welcome,) = domain["responses"]["utter_greet_then_check"]
    assert "{emergency_number}" in welcome["text"] and "stop the questions" in welcome["text"]
    assert "buttons" not in welcome
