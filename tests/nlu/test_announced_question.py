"""A guessed stop on a message that only announces a question becomes a greeting."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_project.nlu.announced_question import AnnouncedQuestionClassifier


def classified(text: str, intent: str) -> Message:
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.4}})
    [message] = AnnouncedQuestionClassifier().process([message])
    return message


@pytest.mark.parametrize(
    "text, guessed, expected",
    [
        # The classifier's stop on an announcement is overruled ...
        ("shoe insert question", "stop_assessment", "greet"),
        ("hey, I've got a query", "stop_assessment", "greet"),
        # ... a stop asked for is not, nor another reading of an announcement.
        ("enough questions now", "stop_assessment", "stop_assessment"),
        ("no questions please", "stop_assessment", "stop_assessment"),
        ("question about orthotics", "ask_custom_vs_otc", "ask_custom_vs_otc"),
    ],
)
def test_a_guessed_stop_on_an_announced_question_is_a_greeting(text: str, guessed: str, expected: str) -> None:
    message = classified(text, guessed)
    assert message.get(INTENT)["name"] == expected
    if expected != guessed:
        assert message.get(INTENT)["confidence"] == 1.0
        assert message.get(INTENT_RANKING_KEY) == [message.get(INTENT)]
