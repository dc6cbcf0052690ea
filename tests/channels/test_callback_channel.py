"""The callback channel's configuration and request checking (no servers)."""

from __future__ import annotations

import json

import pytest
from rasa.shared.exceptions import RasaException

from rasa_project.channels.callback import CallbackInput, callback_url_from, parse_incoming


def test_no_url_means_disabled() -> None:
    assert callback_url_from(None, {}) is None
    assert CallbackInput.from_credentials(None).callback_endpoint is None


def test_environment_wins_over_credentials() -> None:
    url = callback_url_from({"url": "http://127.0.0.1:1/file"}, {"ASSISTANT_CALLBACK_URL": "https://bridge.example/bot"})
    assert url == "https://bridge.example/bot"


@pytest.mark.parametrize("url", ["${RASA_CALLBACK_URL}", "bridge.example/bot", "ftp://bridge.example", "http://"])
def test_unusable_url_fails_loudly(url: str) -> None:
    with pytest.raises(RasaException):
        callback_url_from({}, {"ASSISTANT_CALLBACK_URL": url})


@pytest.mark.parametrize(
    "body, expected",
    [(b'{"sender": "a1", "message": "hello"}', ("a1", "hello")),
     (b'{"sender": 42, "message": "hi"}', ("42", "hi")),
     (json.dumps({"sender": "s", "message": "🦶" * 5000}).encode(), ("s", "🦶" * 5000))],
)
def test_parse_incoming_accepts_sender_and_message(body: bytes, expected) -> None:
    assert parse_incoming(body) == expected


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"[]", b'"text"', b'{"sender": "a"}', b'{"message": "m"}', b'{"sender": true, "message": "m"}',
     b'{"sender": "", "message": "m"}', b'{"sender": "a", "message": ""}', b'{"sender": "a", "message": 5}',
     b"\xff\xfe"],
)
def test_parse_incoming_refuses_anything_else(body: bytes) -> None:
    assert parse_incoming(body) is None
