"""Which Telegram updates reach the assistant, and what the channel answers itself."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from rasa_project.channels.telegram_updates import (
    EDITED_NOTICE,
    ForwardText,
    Ignore,
    ReplyOnly,
    normalise_command,
    read_update,
)
from tests.channels import telegram_samples as samples

NUMBER = "999"
USER = 7001


def read(update: Dict[str, Any], bot_username: str = "insole_test_bot"):
    return read_update(update, emergency_number=NUMBER, bot_username=bot_username)


def test_private_text_is_forwarded_with_the_chat_as_sender() -> None:
    action = read(samples.text_update(USER, "I can't control my bladder"))
    assert action == ForwardText(str(USER), "I can't control my bladder")


def test_start_command_becomes_a_greeting() -> None:
    assert read(samples.text_update(USER, "/start")) == ForwardText(str(USER), "/greet")


def test_button_press_forwards_its_payload_and_keeps_the_query_id() -> None:
    update = samples.button_update(USER, "/ask_red_flags")
    action = read(update)
    assert isinstance(action, ForwardText)
    assert action.text == "/ask_red_flags"
    assert action.callback_query_id == update["callback_query"]["id"]


@pytest.mark.parametrize(
    "make_update",
    [
        samples.photo_update,
        samples.sticker_update,
        samples.voice_update,
        samples.location_update,
        samples.document_update,
    ],
    ids=["photo", "sticker", "voice", "location", "document"],
)
def test_non_text_gets_a_text_only_notice_naming_the_emergency_number(make_update) -> None:
    action = read(make_update(USER))
    assert isinstance(action, ReplyOnly)
    assert action.chat_id == str(USER)
    assert "only read text" in action.text
    assert NUMBER in action.text


def test_photo_caption_is_forwarded_because_it_may_describe_a_symptom() -> None:
    action = read(samples.photo_update(USER, caption="numb between my legs since this morning"))
    assert isinstance(action, ForwardText)
    assert action.text == "numb between my legs since this morning"
    assert action.notice is not None and "only read text" in action.notice


def test_edited_message_is_read_again_with_a_notice() -> None:
    action = read(samples.edited_text_update(USER, "actually I wet myself last night"))
    assert action == ForwardText(str(USER), "actually I wet myself last night", EDITED_NOTICE)


def test_group_message_not_addressed_to_the_bot_is_ignored() -> None:
    assert isinstance(read(samples.group_text_update(USER, "my back hurts after the run")), Ignore)


@pytest.mark.parametrize("text", ["@insole_test_bot my back hurts", "/start@insole_test_bot", "/start"])
def test_group_message_addressed_to_the_bot_gets_the_privacy_notice_only(text: str) -> None:
    action = read(samples.group_text_update(USER, text))
    assert isinstance(action, ReplyOnly)
    assert action.chat_id == "-1001234567890"
    assert "private chat" in action.text and "@insole_test_bot" in action.text


def test_membership_changes_are_ignored() -> None:
    assert isinstance(read(samples.chat_member_update(USER)), Ignore)


@pytest.mark.parametrize(
    "update",
    [
        {},
        {"update_id": 1},
        {"message": "hello"},
        {"message": {"text": "hi"}},
        {"message": {"chat": {"id": None, "type": "private"}, "text": "hi"}},
        {"message": {"chat": {"id": True, "type": "private"}, "text": "hi"}},
        {"callback_query": {"id": "1", "data": "/greet"}},
        {"callback_query": {"id": "1", "message": {"chat": {"id": 5, "type": "private"}}, "data": ""}},
        {"message": {"chat": [], "text": "hi"}},
    ],
)
def test_malformed_updates_are_ignored_not_raised(update: Dict[str, Any]) -> None:
    assert isinstance(read(update), Ignore)


@pytest.mark.parametrize(
    "text",
    ["😀🙏" * 50, "x" * 10_000, "<script>alert(1)</script>", "Мне больно спину", "   spaced   "],
)
def test_unusual_text_is_forwarded_unchanged_apart_from_outer_spaces(text: str) -> None:
    action = read(samples.text_update(USER, text))
    assert isinstance(action, ForwardText)
    assert action.text == text.strip()


def test_whitespace_only_text_counts_as_non_text() -> None:
    assert isinstance(read(samples.text_update(USER, "   ")), ReplyOnly)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("/start", "/greet"),
        ("/START", "/greet"),
        ("/help@some_bot", "/greet"),
        ("/start clinic_poster", "/greet"),
        ("/restart", "/restart"),
        ("/inform@some_bot {}", "/inform {}"),
        ("hello /start", "hello /start"),
    ],
)
def test_normalise_command(text: str, expected: str) -> None:
    assert normalise_command(text) == expected
