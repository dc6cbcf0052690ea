"""How one turn's responses become Telegram messages: emergency first and alone."""

from __future__ import annotations

import html
from typing import Any, Dict, List

import pytest

from rasa_project.channels.telegram_replies import (
    BUTTONS_WITHOUT_TEXT,
    MAX_CALLBACK_DATA_BYTES,
    MAX_MESSAGE_CHARS,
    KeyboardButton,
    inline_keyboard_markup,
    keyboard_for,
    plan_replies,
    split_text,
)
from tests.channels.fake_telegram import BadRequest, validate_message

EMERGENCY: Dict[str, Any] = {
    "text": "🚨 This could be a medical emergency. Please call 999 now.\n\n"
    "Changes in bladder or bowel control <with back pain> & numbness.\n\nInsoles cannot help with this.",
    "custom": {
        "triage_level": "emergency",
        "recommendation": "emergency_care",
        "red_flags": ["bladder_bowel_dysfunction"],
        "emergency_number": "999",
    },
}
QUESTION: Dict[str, Any] = {
    "text": "How long have you had this pain?",
    "buttons": [
        {"title": "Less than 6 weeks", "payload": '/inform{"pain_duration": "acute"}'},
        {"title": "More than 3 months", "payload": '/inform{"pain_duration": "chronic"}'},
    ],
}


def as_send_message_params(message) -> Dict[str, Any]:
    params: Dict[str, Any] = {"chat_id": 1, "text": message.text}
    if message.parse_mode:
        params["parse_mode"] = message.parse_mode
    if message.keyboard:
        params["reply_markup"] = inline_keyboard_markup(message.keyboard)
    return params


def test_emergency_goes_first_and_alone_even_when_said_last() -> None:
    planned = plan_replies([{"text": "Thanks."}, QUESTION, EMERGENCY])
    first = planned[0]
    assert first.parse_mode == "HTML"
    assert first.text.startswith("<b>🚨 This could be a medical emergency. Please call 999 now.</b>")
    assert "Thanks." not in first.text and "How long" not in first.text
    assert first.keyboard == ()
    assert [m.text for m in planned[1:]] == ["Thanks.", "How long have you had this pain?"]


def test_emergency_text_is_escaped_so_telegram_can_parse_it() -> None:
    first = plan_replies([EMERGENCY])[0]
    assert html.escape("<with back pain> & numbness", quote=False) in first.text
    validate_message(as_send_message_params(first))


def test_emergency_without_the_mark_gets_one() -> None:
    planned = plan_replies([{"text": "Call 112 now.", "custom": {"triage_level": "emergency"}}])
    assert planned[0].text == "<b>🚨 Call 112 now.</b>"


def test_emergency_payload_without_text_still_tells_the_person_to_get_help() -> None:
    planned = plan_replies([{"custom": {"triage_level": "emergency", "emergency_number": "112"}}])
    assert len(planned) == 1
    assert "112" in planned[0].text and "emergency" in planned[0].text


def test_notice_follows_the_emergency_and_precedes_the_rest() -> None:
    planned = plan_replies([QUESTION, EMERGENCY], notice="I can only read text.")
    assert [m.text.split(".")[0] for m in planned] == [
        "<b>🚨 This could be a medical emergency",
        "I can only read text",
        "How long have you had this pain?",
    ]


def test_triage_payloads_are_not_sent_to_the_chat() -> None:
    urgent = {"text": "⚠️ Please see a doctor promptly.", "custom": {"triage_level": "urgent", "red_flags": []}}
    planned = plan_replies([urgent])
    assert [(m.kind, m.text) for m in planned] == [("text", "⚠️ Please see a doctor promptly.")]


def test_other_custom_payloads_are_passed_on() -> None:
    planned = plan_replies([{"custom": {"sticker": "CAACAgIAAxkBAAIBZ2V"}}])
    assert [(m.kind, m.payload) for m in planned] == [("custom", {"sticker": "CAACAgIAAxkBAAIBZ2V"})]


def test_buttons_become_an_inline_keyboard_one_per_row() -> None:
    (message,) = plan_replies([QUESTION])
    markup = inline_keyboard_markup(message.keyboard)
    assert markup == {
        "inline_keyboard": [
            [{"text": "Less than 6 weeks", "callback_data": '/inform{"pain_duration": "acute"}'}],
            [{"text": "More than 3 months", "callback_data": '/inform{"pain_duration": "chronic"}'}],
        ]
    }
    validate_message(as_send_message_params(message))


def test_quick_replies_are_treated_as_buttons() -> None:
    (message,) = plan_replies([{"text": "Pick one", "quick_replies": [{"title": "Yes", "payload": "/affirm"}]}])
    assert message.keyboard == (KeyboardButton("Yes", "/affirm"),)


def test_buttons_without_text_get_a_prompt() -> None:
    (message,) = plan_replies([{"buttons": [{"title": "Yes", "payload": "/affirm"}]}])
    assert message.text == BUTTONS_WITHOUT_TEXT


def test_overlong_payload_falls_back_to_the_title() -> None:
    long_payload = '/inform{"red_flag": "' + "x" * 80 + '"}'
    keyboard = keyboard_for([{"title": "Numbness in both legs 🦵", "payload": long_payload}])
    assert keyboard == (KeyboardButton("Numbness in both legs 🦵", "Numbness in both legs 🦵"),)
    assert len(keyboard[0].callback_data.encode()) <= MAX_CALLBACK_DATA_BYTES


def test_overlong_emoji_title_is_cut_on_a_character_boundary() -> None:
    keyboard = keyboard_for([{"title": "🦵" * 40, "payload": "p" * 100}])
    assert keyboard[0].callback_data == "🦵" * 16


@pytest.mark.parametrize("buttons", [[None], ["text"], [{"payload": "/x"}], [{"title": ""}]])
def test_unusable_buttons_are_dropped(buttons: List[Any]) -> None:
    assert keyboard_for(buttons) == ()


def test_long_text_is_split_below_telegrams_limit_with_the_keyboard_on_the_last_part() -> None:
    paragraph = "Insoles can change how your feet load your back. " * 30
    text = "\n\n".join([paragraph.strip()] * 10)
    planned = plan_replies([{"text": text, "buttons": [{"title": "OK", "payload": "/affirm"}]}])
    assert len(planned) > 1
    assert all(len(m.text) <= MAX_MESSAGE_CHARS for m in planned)
    assert [bool(m.keyboard) for m in planned] == [False] * (len(planned) - 1) + [True]
    assert " ".join(m.text for m in planned).split() == text.split()


def test_split_text_cuts_a_word_longer_than_the_limit() -> None:
    assert split_text("a" * 25, limit=10) == ["a" * 10, "a" * 10, "a" * 5]


def test_image_is_sent_as_a_photo() -> None:
    planned = plan_replies([{"text": "The wet-foot test:", "image": "https://example.org/wet-foot.png"}])
    assert [(m.kind, m.text or m.url) for m in planned] == [
        ("text", "The wet-foot test:"),
        ("photo", "https://example.org/wet-foot.png"),
    ]


@pytest.mark.parametrize(
    "response", [{}, {"text": ""}, {"text": None}, {"text": "   "}, {"custom": "x"}, {"buttons": "x"}, {"image": 5}]
)
def test_empty_or_odd_responses_send_nothing(response: Dict[str, Any]) -> None:
    assert plan_replies([response]) == []


def test_fake_api_refuses_unescaped_html_so_the_escaping_test_can_fail() -> None:
    with pytest.raises(BadRequest):
        validate_message({"chat_id": 1, "text": "<b>a < b</b>", "parse_mode": "HTML"})
