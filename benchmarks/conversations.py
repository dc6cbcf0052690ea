"""The conversations the load benchmark replays, as real people would have them.

Each script is what one person types or clicks, turn by turn: full assessments
answered in free text and with the buttons' payloads (the same payloads the domain's
buttons send), questions asked in the middle of an assessment, browsing the
knowledge answers, and an emergency. The mix is weighted towards assessments,
which are what the assistant is for and the longest conversations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Tuple


def button(intent: str, entities: Mapping[str, Any] | None = None) -> str:
    """Return the payload a button sends, e.g. ``/inform{"foot_arch": "flat"}``."""
    return f"/{intent}{json.dumps(dict(entities))}" if entities else f"/{intent}"


@dataclass(frozen=True)
class Conversation:
    """One person's turns, sent in order, each after the previous answer arrived."""

    name: str
    turns: Tuple[str, ...]


ASSESSMENT_BY_TEXT = Conversation(
    "assessment_text",
    (
        "hi",
        "I'd like to check my back pain",
        "about four months now",
        "around 6 out of 10",
        "no, none of those",
        "I'm on my feet all day at the till",
        "I think my feet are quite flat",
        "the inside edge of my shoes wears out first",
        "no, my legs are the same length as far as I know",
        "no, nobody has ever said that",
        "I've never tried insoles",
        "can you summarise that for me?",
        "thanks, bye",
    ),
)

ASSESSMENT_BY_BUTTONS = Conversation(
    "assessment_buttons",
    (
        button("greet"),
        button("start_assessment"),
        button("inform", {"pain_duration": "subacute"}),
        "4",
        button("deny"),
        button("inform", {"daily_load": "walking"}),
        button("inform", {"foot_arch": "high"}),
        button("inform", {"shoe_wear": "outer"}),
        button("inform", {"leg_length_difference": "no"}),
        button("inform", {"gait_diagnosis": "no"}),
        button("inform", {"insole_history": "none"}),
        button("goodbye"),
    ),
)

ASSESSMENT_WITH_QUESTIONS = Conversation(
    "assessment_with_faq",
    (
        "hello there",
        button("start_assessment"),
        "a couple of weeks",
        "do insoles actually help back pain?",
        "7",
        "which symptoms are the serious ones?",
        "no, I don't have any of those",
        "mostly sitting at a desk",
        "I don't know what my arches are like",
        "how do I check?",
        "normal I think",
        "they wear evenly",
        "what's the difference between custom orthotics and shop insoles?",
        "no",
        "no",
        "I tried some for a month and they helped a bit",
        "what should I do now?",
    ),
)

BROWSING_QUESTIONS = Conversation(
    "faq_browsing",
    (
        "can insoles help with back pain?",
        "how can my feet affect my back?",
        "what is overpronation?",
        "how long should I try insoles before giving up?",
        "are you a real doctor?",
        "thank you",
    ),
)

EMERGENCY_MID_ASSESSMENT = Conversation(
    "emergency",
    (
        "hi",
        "check my back pain please",
        "about a week",
        "8",
        "since yesterday I can't control my bladder and it's numb between my legs",
        "what should I do?",
    ),
)

#: The mix a load worker cycles through: assessments twice as often as the rest.
CONVERSATION_MIX: Tuple[Conversation, ...] = (
    ASSESSMENT_BY_TEXT,
    ASSESSMENT_BY_BUTTONS,
    ASSESSMENT_WITH_QUESTIONS,
    BROWSING_QUESTIONS,
    ASSESSMENT_BY_TEXT,
    ASSESSMENT_BY_BUTTONS,
    EMERGENCY_MID_ASSESSMENT,
)
