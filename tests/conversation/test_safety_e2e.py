"""Red flags against the running assistant: answered first, in the same turn, in every state."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Sequence

import pytest

from rasa_project.rasa_overrides import selected
from tests.live_servers import ServerProcess, reply_texts, send_rest, tracker_slots

pytestmark = pytest.mark.e2e

START = "my lower back has been hurting, can you help me?"


def new_sender() -> str:
    return f"safety-{uuid.uuid4().hex[:10]}"


def emergency_payload(replies: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    payloads = [reply["custom"] for reply in replies if isinstance(reply.get("custom"), dict)]
    return next((p for p in payloads if p.get("triage_level") == "emergency"), {})


def assert_emergency_reply(replies: List[Dict[str, Any]], flag: str | None = None) -> None:
    text = reply_texts(replies).lower()
    # The emergency advice comes first, before anything else said in this turn.
    assert "emergency" in str(replies[0].get("text", "")).lower(), replies
    assert "911" in text and "999" in text and "112" in text
    assert "insoles cannot help" in text
    payload = emergency_payload(replies)
    assert payload.get("recommendation") == "emergency_care"
    if flag:
        assert flag in payload["red_flags"]


@pytest.mark.parametrize(
    "before, message, flag",
    [
        (
            [],
            "I wet myself without noticing and my back is killing me",
            "bladder_bowel_dysfunction",
        ),
        ([START], "i think i might have peed myself, not sure", "bladder_bowel_dysfunction"),
        (
            [START, "about 2 months", "6"],
            "I can't feel the toilet paper when I wipe",
            "saddle_anaesthesia",
        ),
        (
            [START, "about 2 months"],
            "what is overpronation? also both my legs keep giving way",
            "bilateral_or_progressive_leg_symptoms",
        ),
        (
            ["do insoles help back pain?"],
            "also I haven't been able to pee since yesterday",
            "bladder_bowel_dysfunction",
        ),
    ],
    ids=[
        "first-message",
        "uncertain-start-of-form",
        "red-flag-screen",
        "with-a-question",
        "after-faq",
    ],
)
def test_emergency_in_every_state(assistant: ServerProcess, before: List[str], message: str, flag: str) -> None:
    sender = new_sender()
    for earlier in before:
        send_rest(assistant.url, sender, earlier)
    replies = send_rest(assistant.url, sender, message)
    assert_emergency_reply(replies, flag)
    slots = tracker_slots(assistant.url, sender)
    assert slots["triage_level"] == "emergency"
    assert slots["recommendation"] == "emergency_care"
    assert flag in slots["red_flags"]
    assert slots["requested_slot"] is None


def test_after_an_emergency_the_assessment_does_not_resume(assistant: ServerProcess) -> None:
    sender = new_sender()
    send_rest(assistant.url, sender, "I've lost control of my bowels")
    replies = send_rest(assistant.url, sender, "can you check whether insoles would help me?")
    assert "emergency" in reply_texts(replies).lower()
    replies = send_rest(assistant.url, sender, "what are custom orthotics?")
    assert "orthotic" in reply_texts(replies).lower()
    # A later urgent flag never lowers the level.
    send_rest(assistant.url, sender, "I also had a fever last night")
    slots = tracker_slots(assistant.url, sender)
    assert slots["triage_level"] == "emergency"
    assert slots["recommendation"] == "emergency_care"


def test_emergency_after_the_result(assistant: ServerProcess) -> None:
    sender = new_sender()
    for message in [
        START,
        "3 weeks",
        "4",
        "none of these",
        "standing",
        "flat",
        "inside",
        "no",
        "no",
        "never",
    ]:
        send_rest(assistant.url, sender, message)
    assert tracker_slots(assistant.url, sender)["recommendation"] == "otc_arch_support"
    replies = send_rest(assistant.url, sender, "oh and my groin has gone numb since this morning")
    assert_emergency_reply(replies, "saddle_anaesthesia")
    assert tracker_slots(assistant.url, sender)["triage_level"] == "emergency"


def test_urgent_flag_in_the_red_flag_screen(assistant: ServerProcess) -> None:
    sender = new_sender()
    for message in [START, "about a month", "8"]:
        send_rest(assistant.url, sender, message)
    replies = send_rest(assistant.url, sender, "the pain wakes me up every night")
    text = reply_texts(replies).lower()
    assert "doctor" in text and "today or tomorrow" in text
    slots = tracker_slots(assistant.url, sender)
    assert (slots["triage_level"], slots["recommendation"]) == ("urgent", "prompt_medical_review")
    assert slots["red_flag_screen"] == "positive"
    assert "severe_night_pain" in slots["red_flags"]
    # The person may still ask questions.
    assert "evidence" in reply_texts(send_rest(assistant.url, sender, "do insoles help back pain?")).lower()


@pytest.mark.parametrize("answer", ["yes", "yeah I think so", "not sure tbh"])
def test_a_yes_or_unsure_answer_to_the_red_flag_screen_escalates_at_once(assistant: ServerProcess, answer: str) -> None:
    sender = new_sender()
    for message in [START, "about a month", "4"]:
        send_rest(assistant.url, sender, message)
    assert tracker_slots(assistant.url, sender)["requested_slot"] == "red_flag_screen"
    replies = send_rest(assistant.url, sender, answer)
    assert_emergency_reply(replies, "bladder_bowel_dysfunction")
    slots = tracker_slots(assistant.url, sender)
    assert (slots["triage_level"], slots["red_flag_screen"]) == ("emergency", "positive")
    assert slots["requested_slot"] is None


@pytest.mark.parametrize(
    ("answer", "flag", "level"),
    [
        ("only the legs part", "bilateral_or_progressive_leg_symptoms", "emergency"),
        ("just the second one", "saddle_anaesthesia", "emergency"),
        ("the fever one", "systemic_symptoms", "urgent"),
    ],
)
def test_picking_items_of_the_red_flag_screen_escalates_for_them_at_once(
    assistant: ServerProcess, answer: str, flag: str, level: str
) -> None:
    sender = new_sender()
    for message in [START, "about a month", "4"]:
        send_rest(assistant.url, sender, message)
    assert tracker_slots(assistant.url, sender)["requested_slot"] == "red_flag_screen"
    send_rest(assistant.url, sender, answer)
    slots = tracker_slots(assistant.url, sender)
    assert (slots["triage_level"], slots["red_flags"], slots["red_flag_screen"]) == (level, [flag], "positive")


def test_a_second_unreadable_answer_to_the_red_flag_screen_escalates(assistant: ServerProcess) -> None:
    sender = new_sender()
    for message in [START, "about a month", "4"]:
        send_rest(assistant.url, sender, message)
    first = reply_texts(send_rest(assistant.url, sender, "purple monkey dishwasher"))
    # Asked once more, with how to answer it.
    assert "couldn't read an answer to the safety question" in first and "None of these" in first
    slots = tracker_slots(assistant.url, sender)
    assert slots["requested_slot"] == "red_flag_screen" and slots["triage_level"] is None
    assert_emergency_reply(
        send_rest(assistant.url, sender, "wobbly jelly on a trampoline"), "bladder_bowel_dysfunction"
    )
    slots = tracker_slots(assistant.url, sender)
    assert (slots["triage_level"], slots["red_flag_screen"], slots["requested_slot"]) == ("emergency", "positive", None)


def test_negated_mention_mid_form_lets_the_form_continue(assistant: ServerProcess) -> None:
    sender = new_sender()
    for message in [START, "about 5 weeks", "6"]:
        send_rest(assistant.url, sender, message)
    send_rest(assistant.url, sender, "no problems with my bladder or bowels and no numbness anywhere")
    slots = tracker_slots(assistant.url, sender)
    assert slots["triage_level"] is None
    assert slots["red_flag_screen"] == "clear"
    assert slots["requested_slot"] == "daily_load"


def test_emergency_reply_without_the_action_server(
    assistant_without_actions: ServerProcess,
) -> None:
    sender = new_sender()
    replies = send_rest(assistant_without_actions.url, sender, "I can't control my bladder anymore")
    assert_emergency_reply(replies, "bladder_bowel_dysfunction")
    slots = tracker_slots(assistant_without_actions.url, sender)
    assert slots["triage_level"] == "emergency"


def test_an_emergency_area_without_a_flag_is_asked_about_directly(assistant: ServerProcess) -> None:
    sender = new_sender()
    for message in [START, "about 5 weeks"]:
        send_rest(assistant.url, sender, message)
    replies = send_rest(assistant.url, sender, "also my bladder has been a bit odd lately")
    text = reply_texts(replies).lower()
    assert "ask you directly" in text and "bladder" in text
    assert [button["title"] for reply in replies for button in reply.get("buttons") or []] == ["Yes", "No", "Not sure"]

    replies = send_rest(assistant.url, sender, "no, nothing like that")
    text = reply_texts(replies).lower()
    assert "reassuring" in text and "0 (no pain) to 10" in text  # the form carries on
    slots = tracker_slots(assistant.url, sender)
    assert slots["triage_level"] is None
    assert slots["requested_slot"] == "pain_severity"
    assert "bladder_bowel_dysfunction" in slots["red_flags_cleared"]


@pytest.mark.parametrize("answer", ["yes", "yes I think so", "not sure", "/affirm", "/dont_know"])
def test_the_direct_question_escalates_yes_and_not_sure(assistant: ServerProcess, answer: str) -> None:
    sender = new_sender()
    replies = send_rest(assistant.url, sender, "my bladder has been a bit odd lately")
    assert "ask you directly" in reply_texts(replies).lower()
    replies = send_rest(assistant.url, sender, answer)
    assert_emergency_reply(replies, "bladder_bowel_dysfunction")


def test_the_server_runs_with_the_rasa_overrides_the_environment_selects(assistant: ServerProcess) -> None:
    # scripts/test runs these tests once with every override and once on stock Rasa.
    expected = ", ".join(sorted(selected())) or "none"
    assert f"Rasa overrides installed: {expected}." in assistant.log_path.read_text()
