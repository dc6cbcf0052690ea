"""The dialogue player's judgement, against a scripted stand-in for the assistant.

The stand-in asks its questions in order, stores whatever it is told and understands
only the words listed for it; this tests the player's rules, not the assistant.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence

from rasa_project.clinical.contract import SCREEN_SIGNS
from tests.conversation.dialogues import play_dialogue


class ScriptedAssistant:
    """Asks ``questions`` in order; "start over" clears them; "changed" reopens the first."""

    def __init__(self, questions: Sequence[str], understood: Optional[Mapping[str, str]] = None) -> None:
        self.questions = list(questions)
        self.understood = dict(understood or {})
        self.values: Dict[str, Any] = {}
        self.requested: Optional[str] = None
        self.heard: List[str] = []

    def send(self, text: str) -> List[Dict[str, Any]]:
        self.heard.append(text)
        if text == "start over":
            self.values.clear()
        elif text == "changed":
            self.values.pop(self.questions[0], None)
        elif self.requested and (self.understood.get(self.requested) in (None, text)):
            self.values[self.requested] = text
        self.requested = next((q for q in self.questions if q not in self.values), None)
        return [{"text": "ok"}]

    def slots(self) -> Dict[str, Any]:
        return {**self.values, "requested_slot": self.requested}


def test_answers_whatever_is_asked_and_checks_the_final_state() -> None:
    bot = ScriptedAssistant(["b", "a"])
    dialogue = {
        "id": "x",
        "opening": ["hi"],
        "answers": {"a": "1", "b": "2"},
        "expect": {"slots": {"a": "1", "b": "2"}},
    }
    outcome = play_dialogue(dialogue, bot.send, bot.slots)
    assert outcome.passed, outcome.problems
    assert bot.heard == ["hi", "2", "1"]


def test_a_question_asked_more_often_than_it_has_replies_fails() -> None:
    bot = ScriptedAssistant(["a"], understood={"a": "yes"})
    dialogue = {"id": "x", "opening": ["hi"], "answers": {"a": ["dunno", "maybe"]}}
    outcome = play_dialogue(dialogue, bot.send, bot.slots)
    assert outcome.problems == ["asked a 3 times with 2 replies for it"]


def test_asking_about_something_given_fails() -> None:
    bot = ScriptedAssistant(["a"])
    dialogue = {"id": "x", "opening": ["a is 1"], "given": ["a"], "answers": {"a": "1"}}
    assert play_dialogue(dialogue, bot.send, bot.slots).problems == ["asked about a, which the opening already said"]


def test_questions_after_a_correction_are_answered() -> None:
    bot = ScriptedAssistant(["a", "b"])
    dialogue = {
        "id": "x",
        "opening": ["hi"],
        "answers": {"a": ["1", "3"], "b": "2"},
        "after": ["changed"],
        "expect": {"slots": {"a": "3", "b": "2"}},
    }
    outcome = play_dialogue(dialogue, bot.send, bot.slots)
    assert outcome.passed, outcome.problems


def test_after_a_start_over_the_last_reply_is_given_once_more() -> None:
    bot = ScriptedAssistant(["a", "b"])
    dialogue = {
        "id": "x",
        "opening": ["hi"],
        "answers": {"a": "1", "b": "2"},
        "before": {"b": "start over"},
        "expect": {"slots": {"a": "1", "b": "2"}},
    }
    outcome = play_dialogue(dialogue, bot.send, bot.slots)
    assert outcome.passed, outcome.problems
    assert bot.heard == ["hi", "1", "start over", "1", "2"]


def test_after_a_start_over_the_next_reply_in_the_list_is_used() -> None:
    bot = ScriptedAssistant(["a", "b"])
    dialogue = {
        "id": "x",
        "opening": ["hi"],
        "answers": {"a": ["1", "3"], "b": "2"},
        "before": {"b": "start over"},
        "expect": {"slots": {"a": "3", "b": "2"}},
    }
    outcome = play_dialogue(dialogue, bot.send, bot.slots)
    assert outcome.passed, outcome.problems


class ScreenAssistant(ScriptedAssistant):
    """Asks the red-flag screen; a reply about leaking gets a direct question first."""

    def __init__(self, follow_up: List[str]) -> None:
        super().__init__(["red_flag_screen"])
        self.follow_up = follow_up
        self.asking: List[str] = []

    def send(self, text: str) -> List[Dict[str, Any]]:
        if self.asking:
            self.asking = []
            self.heard.append(text)
            return [{"text": "ok"}]
        if "leak" in text or text == "yes":
            self.heard.append(text)
            self.asking = list(self.follow_up)
            self.requested = "red_flag_screen"
            return [{"text": "is it new?"}]
        return super().send(text)

    def slots(self) -> Dict[str, Any]:
        return {**super().slots(), "red_flag_question": self.asking or None}


def test_a_direct_question_while_the_screen_is_open_is_answered_no() -> None:
    bot = ScreenAssistant(follow_up=["bladder_bowel_dysfunction"])
    dialogue = {"id": "x", "opening": ["hi"], "answers": {"red_flag_screen": ["an old leak"]}}
    outcome = play_dialogue(dialogue, bot.send, bot.slots)
    assert outcome.direct_questions == 1
    assert bot.heard[:3] == ["hi", "an old leak", "no"]


def test_which_one_after_the_screen_counts_as_the_screen_asked_again() -> None:
    bot = ScreenAssistant(follow_up=list(SCREEN_SIGNS))
    dialogue = {"id": "x", "opening": ["hi"], "answers": {"red_flag_screen": ["yes"]}}
    outcome = play_dialogue(dialogue, bot.send, bot.slots)
    assert outcome.problems == ["asked red_flag_screen 2 times with 1 replies for it"]
