"""The Rasa server's check of action-server replies: Rasa's verdicts, compiled once."""

from __future__ import annotations

import contextlib
from typing import Any, Dict

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_project.rasa_overrides import remote_actions

REPLIES = {
    "empty": {},
    "slot and response": {
        "events": [{"event": "slot", "name": "foot_arch", "value": "flat", "timestamp": None}],
        "responses": [{"response": "utter_ask_foot_arch"}],
    },
    "every common event": {
        "events": [
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "utter_emergency"},
            {"event": "reset_slots"},
            {"event": "bot", "text": "Hello"},
        ],
        "responses": [],
    },
    "the assessment's own replies": {
        "events": [
            {"event": "slot", "timestamp": None, "name": "pain_duration", "value": "acute"},
            {"event": "slot", "timestamp": None, "name": "requested_slot", "value": "pain_severity"},
            {
                "event": "bot",
                "timestamp": None,
                "text": "How bad is it?",
                "data": {"buttons": [{"title": "3", "payload": "/inform"}], "custom": None},
                "metadata": {},
            },
            {"event": "action_execution_rejected", "name": "validate_assessment_form"},
        ],
        "responses": [{"text": "Noted", "buttons": []}],
    },
    "events not a list": {"events": {"event": "slot"}},
    "event not an object": {"events": ["slot"]},
    "slot name not a string": {"events": [{"event": "slot", "name": 3, "value": 1}]},
    "bot text not a string": {"events": [{"event": "bot", "text": 5}]},
    "user parse data not an object": {"events": [{"event": "user", "text": "hi", "parse_data": "hi"}]},
    "a valid event after an invalid one": {"events": [{"event": "slot"}, {"event": "bot", "text": "Hi"}]},
    "event without type": {"events": [{"name": "foot_arch"}]},
    "unknown event type": {"events": [{"event": "teleport"}]},
    "slot without name": {"events": [{"event": "slot", "value": 1}]},
    "responses not objects": {"events": [], "responses": ["utter_greet"]},
    "not an object": ["events"],
}


def _rasa_verdict(reply: Any) -> str:
    remote_actions.uninstall()
    try:
        RemoteAction("validate_assessment_form", None)._validate_action_result(reply)
        return "valid"
    except ValidationError as error:
        return error.message
    finally:
        remote_actions.install()


@pytest.fixture(autouse=True)
def _restore_rasa() -> Any:
    yield
    remote_actions.uninstall()


@pytest.mark.parametrize("reply", list(REPLIES.values()), ids=list(REPLIES))
def test_same_verdict_and_message_as_rasa(reply: Dict[str, Any]) -> None:
    expected = _rasa_verdict(reply)
    remote_actions.install()
    action = RemoteAction("validate_assessment_form", None)

    try:
        verdict = "valid" if action._validate_action_result(reply) else "invalid"
    except ValidationError as error:
        verdict = error.message

    assert verdict == expected
    if expected != "valid":
        assert "Failed to validate Action server response" in verdict


@pytest.mark.parametrize("reply", list(REPLIES.values()), ids=list(REPLIES))
def test_the_check_by_event_name_confirms_only_valid_replies(reply: Any) -> None:
    assert remote_actions.valid_by_event_name(reply) == remote_actions.action_response_validator().is_valid(reply)


def test_valid_replies_never_need_the_full_validator() -> None:
    remote_actions.action_response_validator.cache_clear()
    remote_actions.install()
    valid = [reply for name, reply in REPLIES.items() if _rasa_verdict(reply) == "valid"]
    remote_actions.action_response_validator.cache_clear()

    for reply in valid:
        assert RemoteAction("x", None)._validate_action_result(reply)

    assert len(valid) >= 3
    assert remote_actions.action_response_validator.cache_info().misses == 0


def test_the_schema_is_checked_once() -> None:
    remote_actions.action_response_validator.cache_clear()
    for reply in REPLIES.values():
        remote_actions.install()
        with contextlib.suppress(ValidationError):
            RemoteAction("x", None)._validate_action_result(reply)

    assert remote_actions.action_response_validator.cache_info().misses == 1
