"""The callback channel's configuration and request checking (no servers)."""

from __future__ import annotations

import json

import pytest
from rasa.shared.exceptions import RasaException
from sanic.response import HTTPResponse

from rasa_project.channels.callback import CallbackInput, callback_url_from, read_incoming


def test_no_url_means_disabled() -> None:
    assert callback_url_from(None, {}) is None
    assert CallbackInput.from_credentials(None).callback_endpoint is None


def test_environment_wins_over_credentials() -> None:
    url = callback_url_from(
        {"url": "http://127.0.0.1:1/file"}, {"ASSISTANT_CALLBACK_URL": "https://bridge.example/bot"}
    )
    assert url == "https://bridge.example/bot"


@pytest.mark.parametrize("url", ["${RASA_CALLBACK_URL}", "bridge.example/bot", "ftp://bridge.example", "http://"])
def test_unusable_url_fails_loudly(url: str) -> None:
    with pytest.raises(RasaException):
        callback_url_from({}, {"ASSISTANT_CALLBACK_URL": url})


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"sender": "a1", "message": "hello"}, ("a1", "hello")),
        ({"sender": 42, "message": "hi"}, ("42", "hi")),
        ({"sender": "whatsapp:+4479", "message": "🦶" * 5000}, ("whatsapp:+4479", "🦶" * 5000)),
        ({"sender": "a", "message": ""}, ("a", "")),
    ],
)
def test_read_incoming_accepts_sender_and_message(body: dict, expected) -> None:
    assert read_incoming(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"sender": "a"},
        {"message": "m"},
        {"sender": True, "message": "m"},
        {"sender": "", "message": "m"},
        {"sender": "a", "message": 5},
        {"sender": "a", "message": ["m"]},
        {"sender": "a b", "message": "m"},
        {"sender": "x" * 129, "message": "m"},
        {"sender": "../x", "message": "m"},
        {"sender": 4.5, "message": "m"},
    ],
)
def test_read_incoming_refuses_anything_else_with_400(body: dict) -> None:
    refused = read_incoming(body)
    assert isinstance(refused, HTTPResponse) and refused.status == 400
    assert json.loads(refused.body)["error"]
