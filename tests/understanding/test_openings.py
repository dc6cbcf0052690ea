"""Openings that only say the person has come to talk about insoles lead into the check."""

from __future__ import annotations

import pytest

from rasa_project.understanding.openings import (
    announces_a_question,
    asks_to_talk_about_insoles,
    is_greeting_emoji,
    opens_the_conversation,
)

OPENINGS = [
    # A raised or waved hand, with a skin tone or a smile, greets without words.
    ("\U0001f590\ufe0f", True),
    ("\u270b\U0001f3fb", True),
    ("\U0001f44b\U0001f60a", True),
    # A request to ask about the topic, with or without a greeting.
    ("hiya, is it alright to ask you about orthotics?", True),
    ("good evening, hoping to get some info on shoe inserts", True),
    ("hey I've got a couple of questions about insoles", False),  # "couple" is no word of the frame
    ("yo, quick question re insoles", True),
    # Other emoji, bare greetings, and messages that ask something in particular are not openings here.
    ("\U0001f914", False),
    ("\U0001f44b hi", False),
    ("hello", False),
    ("can I ask whether insoles suit everyone?", False),
    ("how much do orthotics cost?", False),
    ("I need help choosing insoles for flat feet", False),
    ("can I ask about my back?", False),
]


@pytest.mark.parametrize("text, expected", OPENINGS)
def test_opens_the_conversation(text: str, expected: bool) -> None:
    assert opens_the_conversation(text) is expected


ANNOUNCEMENTS = [
    # A question announced, with or without its topic or a greeting.
    ("got a quick query", True),
    ("hello, a question on orthotics", True),
    ("arch support questions", True),
    ("can I ask you something quickly", True),
    # A request about the questions, or a question itself, announces none.
    ("no more questions", False),
    ("can we skip the questions", False),
    ("I don't want to answer questions", False),
    ("do insoles help everyone?", False),
    ("hi there", False),
]


@pytest.mark.parametrize("text, expected", ANNOUNCEMENTS)
def test_announces_a_question(text: str, expected: bool) -> None:
    assert announces_a_question(text) is expected


@pytest.mark.parametrize("value", [None, 3, b"\xf0\x9f\x91\x8b"])
def test_non_strings_are_no_opening(value: object) -> None:
    assert not is_greeting_emoji(value)  # type: ignore[arg-type]
    assert not asks_to_talk_about_insoles(value)  # type: ignore[arg-type]
    assert not announces_a_question(value)  # type: ignore[arg-type]
