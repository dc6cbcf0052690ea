"""A request for a moment is a pause, whatever the classifier guessed; a real stop is not."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_project.nlu.pause import PauseClassifier
from rasa_project.understanding.answers.commands import asks_to_pause
from rasa_project.understanding.answers.words import tokenize


def classified(text: str, intent: str) -> Message:
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.6}})
    [message] = PauseClassifier().process([message])
    return message


@pytest.mark.parametrize(
    "text, guessed, expected",
    [
        # A stop or a wait for a moment pauses, whatever else the message says ...
        ("could we stop for a minute, the kettle's boiling", "stop_assessment", "pause"),
        ("hold on one sec", "stop_assessment", "pause"),
        ("gimme a min, phone's ringing. brb", "out_of_scope", "pause"),
        ("just a moment please", "inform", "pause"),
        # ... a stop or a start over asked for is not a pause ...
        ("stop the questions, I need a minute to think", "stop_assessment", "stop_assessment"),
        ("I want to stop now", "stop_assessment", "stop_assessment"),
        ("can we start again, one sec", "start_over", "start_over"),
        # ... nor a minute that is part of an answer.
        ("one minute it's fine, the next it's agony", "inform", "inform"),
        ("it started a bit ago", "inform", "inform"),
    ],
)
def test_a_request_for_a_moment_is_a_pause(text: str, guessed: str, expected: str) -> None:
    message = classified(text, guessed)
    assert message.get(INTENT)["name"] == expected
    if expected != guessed:
        assert message.get(INTENT)["confidence"] == 1.0
        assert message.get(INTENT_RANKING_KEY) == [message.get(INTENT)]


@pytest.mark.parametrize(
    "text, pauses",
    [
        ("back in a tick", True),
        ("bear with me, the dog's at the door", True),
        ("be right back", True),
        ("wait a sec", True),
        ("hang on", False),  # corrects as often as it pauses: "7, hang on, 8"
        ("stop", False),
        ("a minute walk hurts", False),
    ],
)
def test_asks_to_pause(text: str, pauses: bool) -> None:
    assert asks_to_pause(tokenize(text)) is pauses
