"""Whole conversations against the running assistant, checking the contract slots.

`rasa test core` checks which action comes next; these tests check what a person
and an integration actually get: the replies and the slot values in the tracker.
"""

from __future__ import annotations

import uuid
from typing import Dict, List, Sequence

import pytest

from tests.live_servers import ServerProcess, reply_texts, send_rest, tracker_slots

pytestmark = pytest.mark.e2e

START = "my lower back has been hurting, can you help me?"


def converse(server: ServerProcess, messages: Sequence[str]) -> tuple[str, List[List[Dict]]]:
    sender = f"test-{uuid.uuid4().hex[:10]}"
    replies = [send_rest(server.url, sender, message) for message in messages]
    return sender, replies


def answers(
    duration: str,
    severity: str,
    load: str,
    arch: str,
    wear: str,
    leg: str,
    gait: str,
    insoles: str,
    screen: str = "none of these",
) -> List[str]:
    return [START, duration, severity, screen, load, arch, wear, leg, gait, insoles]


ROWS = [
    # (row, messages, triage_level, recommendation, words the result must name)
    (
        3,
        answers(
            "about four months",
            "a 6 I guess",
            "on my feet all day at a till",
            "flat as pancakes",
            "the inside edge",
            "no",
            "no",
            "I tried insoles for 2 months and they made no difference",
        ),
        "routine",
        "clinician_review",
        ["insoles"],
    ),
    (
        4,
        answers(
            "around three weeks",
            "5",
            "I work at a desk",
            "normal I think",
            "evenly",
            "yes, my left leg is shorter",
            "no",
            "never tried them",
        ),
        "routine",
        "custom_orthotics",
        ["leg"],
    ),
    (
        5,
        answers(
            "more than a year",
            "7 out of 10",
            "I'm a postman, I walk all day",
            "my feet are flat",
            "inside edges",
            "no",
            "no",
            "never tried insoles",
        ),
        "routine",
        "custom_orthotics",
        ["flat"],
    ),
    (
        6,
        answers(
            "about 3 weeks",
            "4",
            "standing mostly",
            "flat",
            "the inner edge",
            "nope",
            "no",
            "never tried",
        ),
        "self_care",
        "otc_arch_support",
        ["flat"],
    ),
    (
        7,
        answers(
            "over 6 months",
            "8",
            "a mix of everything",
            "I have really high arches",
            "outside edge",
            "no",
            "no",
            "never used them",
        ),
        "routine",
        "custom_orthotics",
        ["high"],
    ),
    (
        8,
        answers(
            "about two months",
            "a 5",
            "sitting at a desk all day",
            "high arches",
            "the outside",
            "no",
            "no",
            "no never",
        ),
        "self_care",
        "otc_cushioning",
        ["high"],
    ),
    (
        9,
        answers(
            "two weeks",
            "3",
            "I'm a nurse, on my feet the whole shift",
            "normal arches",
            "evenly",
            "no",
            "no",
            "never tried any",
        ),
        "self_care",
        "otc_cushioning",
        ["feet"],
    ),
    (
        10,
        answers(
            "around 10 weeks",
            "6",
            "office job, I sit all day",
            "normal",
            "they wear evenly",
            "no",
            "no",
            "never tried insoles",
        ),
        "self_care",
        "insoles_unlikely_to_help",
        ["evidence"],
    ),
]


@pytest.mark.parametrize("row, messages, level, recommendation, named", ROWS, ids=[f"row{r[0]}" for r in ROWS])
def test_decision_table_rows_by_free_text(
    assistant: ServerProcess,
    row: int,
    messages: List[str],
    level: str,
    recommendation: str,
    named: List[str],
) -> None:
    sender, replies = converse(assistant, messages)
    slots = tracker_slots(assistant.url, sender)
    assert (slots["triage_level"], slots["recommendation"]) == (level, recommendation), slots
    result = reply_texts(replies[-1]).lower()
    assert "not a diagnosis" in result
    for word in named:
        assert word in result
    assert slots["red_flag_screen"] == "clear"


def test_assessment_by_buttons(assistant: ServerProcess) -> None:
    sender, replies = converse(
        assistant,
        [
            "/start_assessment",
            '/inform{"pain_duration": "chronic"}',
            "6",
            "/deny",
            '/inform{"daily_load": "walking"}',
            '/inform{"foot_arch": "flat"}',
            '/inform{"shoe_wear": "inner"}',
            '/inform{"leg_length_difference": "no"}',
            '/inform{"gait_diagnosis": "no"}',
            '/inform{"insole_history": "none"}',
        ],
    )
    slots = tracker_slots(assistant.url, sender)
    assert slots["pain_duration"] == "chronic"
    assert slots["pain_severity"] == 6
    assert slots["foot_arch"] == "flat"
    assert (slots["triage_level"], slots["recommendation"]) == ("routine", "custom_orthotics")
    # Every question but the last came with quick-reply buttons where they fit.
    assert any(reply.get("buttons") for reply in replies[0])


def test_volunteered_facts_are_not_asked_again(assistant: ServerProcess) -> None:
    sender, _replies = converse(
        assistant,
        [
            "I'm a postman with flat feet and my back has hurt for a month",
        ],
    )
    slots = tracker_slots(assistant.url, sender)
    assert (slots["daily_load"], slots["foot_arch"], slots["pain_duration"]) == (
        "walking",
        "flat",
        "acute",
    )
    assert slots["requested_slot"] == "pain_severity"


def test_dont_know_arch_twice_is_accepted_as_unknown(assistant: ServerProcess) -> None:
    sender, replies = converse(
        assistant,
        [
            START,
            "3 months",
            "5",
            "none of these",
            "walking",
            "I don't know my arch type",
        ],
    )
    assert "wet" in reply_texts(replies[-1]).lower()
    assert tracker_slots(assistant.url, sender)["requested_slot"] == "foot_arch"
    send_rest(assistant.url, sender, "still no idea, sorry")
    slots = tracker_slots(assistant.url, sender)
    assert slots["foot_arch"] == "unknown"
    assert slots["requested_slot"] == "shoe_wear"


def test_correction_after_the_result_changes_it(assistant: ServerProcess) -> None:
    sender, _ = converse(
        assistant,
        answers("about 3 weeks", "4", "standing mostly", "flat", "evenly", "no", "no", "never tried"),
    )
    assert tracker_slots(assistant.url, sender)["recommendation"] == "otc_arch_support"
    send_rest(assistant.url, sender, "actually my arches are high")
    slots = tracker_slots(assistant.url, sender)
    assert slots["foot_arch"] == "high"
    assert slots["recommendation"] == "otc_cushioning"


def test_question_mid_assessment_then_carry_on(assistant: ServerProcess) -> None:
    sender, replies = converse(assistant, [START, "around 8 weeks", "what is overpronation?"])
    assert "roll" in reply_texts(replies[-1]).lower()
    slots = tracker_slots(assistant.url, sender)
    assert slots["requested_slot"] == "pain_severity"
    assert slots["pain_duration"] == "subacute"


def test_summary_for_a_clinician(assistant: ServerProcess) -> None:
    _sender, replies = converse(
        assistant,
        [
            *answers("about 3 weeks", "4", "standing mostly", "flat", "the inner edge", "no", "no", "never tried"),
            "yes please",
        ],
    )
    summary = replies[-1]
    assert any((reply.get("custom") or {}).get("type") == "assessment_summary" for reply in summary)
    text = reply_texts(summary).lower()
    assert "flat" in text and "otc" not in text


def test_start_over_clears_the_answers_and_asks_the_first_question_again(assistant: ServerProcess) -> None:
    sender, replies = converse(assistant, [START, "two months", "start over"])
    text = reply_texts(replies[-1])
    assert "start again" in text and "how long have you had this back pain" in text.lower()
    assert "rephrase" not in text
    slots = tracker_slots(assistant.url, sender)
    assert slots["pain_duration"] is None and slots["requested_slot"] == "pain_duration"
    assert not slots["question_attempts"]


@pytest.mark.parametrize("opening", ["quick question", "have a question", "question"])
def test_announcing_a_question_leads_into_the_check_not_a_stop(assistant: ServerProcess, opening: str) -> None:
    # "Question" shares its word with "stop the questions": announcing one is a hello.
    sender, replies = converse(assistant, [opening])
    assert "stopped the questions" not in reply_texts(replies[0])
    assert tracker_slots(assistant.url, sender)["requested_slot"] == "pain_duration"


@pytest.mark.parametrize(
    "message",
    [
        "",
        " ",
        "a" * 10_000,
        "🙂🙂🙂",
        "Mein Rücken tut weh",
        "背中が痛い",
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "/inform{not json",
        "\x00\x01",
    ],
    ids=[
        "empty",
        "blank",
        "huge",
        "emoji",
        "german",
        "japanese",
        "script",
        "img",
        "bad-payload",
        "control",
    ],
)
def test_bad_input_gets_a_clear_reply(assistant: ServerProcess, message: str) -> None:
    sender = f"bad-{uuid.uuid4().hex[:8]}"
    replies = send_rest(assistant.url, sender, message)
    assert reply_texts(replies).strip(), f"no reply to {message!r}"
    # The conversation goes on normally afterwards.
    assert reply_texts(send_rest(assistant.url, sender, "hello")).strip()
