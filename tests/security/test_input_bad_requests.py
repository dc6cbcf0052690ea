"""Bad requests of every shape get a 4xx with a short JSON error, never a 5xx or a traceback.

Sent to the REST, callback and Telegram webhooks and as socket.io events of the
real server. After each, the server still answers a normal message.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest
import requests

from tests.security.conftest import HardenedAssistant, new_id

pytestmark = pytest.mark.e2e

#: (raw body, content type, expected status) for every JSON webhook.
BAD_BODIES = [
    (b"", "application/json", 400),
    (b"   ", "application/json", 400),
    (b"[]", "application/json", 400),
    (b'[{"sender": "a", "message": "hi"}]', "application/json", 400),
    (b'"hello"', "application/json", 400),
    (b"null", "application/json", 400),
    (b"42", "application/json", 400),
    (b"{", "application/json", 400),
    (b'{"sender": "a", "message": "hi"', "application/json", 400),
    (b"\xff\xfe\x00{", "application/json", 400),
    (b"[" * 100_000 + b"]" * 100_000, "application/json", 413),
    (b"[" * 20_000 + b"]" * 20_000, "application/json", 400),
    (b'{"sender": "a", "message": "hi"}', "text/plain", 415),
    (b"sender=a&message=hi", "application/x-www-form-urlencoded", 415),
    (b'{"sender": "a", "message": "hi"}', None, 415),
    (b'{"sender": "a", "message": "hi"}', "multipart/form-data; boundary=x", 415),
]
BAD_BODY_IDS = [
    "empty",
    "blank",
    "empty-array",
    "array",
    "string",
    "null",
    "number",
    "broken",
    "truncated",
    "binary",
    "deeply-nested-huge",
    "deeply-nested",
    "text-plain",
    "form",
    "no-content-type",
    "multipart",
]

#: Message fields of the wrong type, for REST and callback.
WRONG_MESSAGES = [5, 5.5, True, None, ["I wet myself"], {"text": "I wet myself"}]


def assert_json_error(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    error = body.get("error") or body.get("message")
    assert isinstance(error, str) and error and len(response.text) < 300
    assert "Traceback" not in response.text


def still_answers(hardened: HardenedAssistant) -> None:
    assert hardened.say(new_id("after"), "hello")


@pytest.mark.parametrize("raw, content_type, status", BAD_BODIES, ids=BAD_BODY_IDS)
def test_rest_bad_bodies(hardened: HardenedAssistant, raw: bytes, content_type: Optional[str], status: int) -> None:
    assert_json_error(hardened.rest(None, raw=raw, content_type=content_type), status)


@pytest.mark.parametrize("raw, content_type, status", BAD_BODIES, ids=BAD_BODY_IDS)
def test_callback_bad_bodies(hardened: HardenedAssistant, raw: bytes, content_type: Optional[str], status: int) -> None:
    before = len(hardened.receiver.posts)
    assert_json_error(hardened.callback(None, raw=raw, content_type=content_type), status)
    assert hardened.receiver.posts[before:] == []


@pytest.mark.parametrize(
    "raw, content_type, status",
    [case for case in BAD_BODIES if case[1] == "application/json"],
    ids=[name for name, case in zip(BAD_BODY_IDS, BAD_BODIES, strict=True) if case[1] == "application/json"],
)
def test_telegram_bad_bodies(hardened: HardenedAssistant, raw: bytes, content_type: str, status: int) -> None:
    assert_json_error(hardened.telegram_update(None, raw=raw), status)


@pytest.mark.parametrize("message", WRONG_MESSAGES, ids=lambda value: type(value).__name__)
def test_rest_message_of_the_wrong_type(hardened: HardenedAssistant, message: Any) -> None:
    assert_json_error(hardened.rest({"sender": new_id("type"), "message": message}), 400)
    still_answers(hardened)


@pytest.mark.parametrize("message", WRONG_MESSAGES, ids=lambda value: type(value).__name__)
def test_callback_message_of_the_wrong_type(hardened: HardenedAssistant, message: Any) -> None:
    assert_json_error(hardened.callback({"sender": new_id("type"), "message": message}), 400)


@pytest.mark.parametrize("metadata", ["page", 5, ["page"], True])
def test_rest_metadata_must_be_an_object(hardened: HardenedAssistant, metadata: Any) -> None:
    assert_json_error(hardened.rest({"sender": new_id("meta"), "message": "hi", "metadata": metadata}), 400)


def test_rest_ignores_the_client_s_choice_of_channel(hardened: HardenedAssistant) -> None:
    sender = new_id("claims-telegram")
    assert hardened.rest({"sender": sender, "message": "hello", "input_channel": "telegram"}).status_code == 200
    events = hardened.tracker(f"rest:{sender}")["events"]
    assert [event["input_channel"] for event in events if event["event"] == "user"] == ["rest"]


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": "1", "message": {"chat": {"id": 1, "type": "private"}, "text": "hi"}},
        {"update_id": 1, "message": "hi"},
        {"update_id": 1, "message": {"chat": {"id": 1, "type": "private"}, "text": 5}},
        {"update_id": 1, "message": {"chat": {"id": 1, "type": "private"}, "text": ["I wet myself"]}},
        {"update_id": 1, "message": {"chat": {"id": "", "type": "private"}, "text": "hi"}},
        {"update_id": 1, "message": {"chat": [1], "text": "hi"}},
        {"update_id": 1, "message": {"chat": {"id": True, "type": "private"}, "text": "hi"}},
        {"update_id": 1, "edited_message": {"chat": {"id": 1, "type": "private"}, "caption": {"x": 1}}},
        {"update_id": 1, "callback_query": "press"},
        {"update_id": 1, "callback_query": {"id": "1", "data": 5, "message": {"chat": {"id": 1, "type": "private"}}}},
    ],
    ids=[
        "update-id",
        "message",
        "text-number",
        "text-list",
        "chat-id-empty",
        "chat-list",
        "chat-id-bool",
        "caption",
        "query",
        "query-data",
    ],
)
def test_telegram_updates_of_the_wrong_shape(hardened: HardenedAssistant, update: Dict[str, Any]) -> None:
    before = len(hardened.telegram.calls)
    assert_json_error(hardened.telegram_update(update), 400)
    assert hardened.telegram.calls[before:] == []


def test_unknown_routes_and_methods_are_short_json(hardened: HardenedAssistant) -> None:
    assert_json_error(requests.get(f"{hardened.url}/webhooks/nothing/here", timeout=30), 404)
    assert_json_error(requests.get(f"{hardened.url}/webhooks/rest/webhook", timeout=30), 405)


@pytest.mark.parametrize(
    "event, data",
    [
        ("user_uttered", None),
        ("user_uttered", "I wet myself"),
        ("user_uttered", 5),
        ("user_uttered", ["I wet myself"]),
        ("user_uttered", {"text": "hi"}),
        ("user_uttered", {"message": 5}),
        ("user_uttered", {"message": None}),
        ("user_uttered", {"message": ["I wet myself"]}),
        ("user_uttered", {"message": {"text": "hi"}}),
        ("session_request", "not an object"),
        ("session_request", [1, 2]),
        ("session_request", 5),
    ],
)
def test_socketio_events_of_the_wrong_shape(hardened: HardenedAssistant, event: str, data: Any) -> None:
    client = hardened.webchat()
    try:
        token = client.request_session()
        before = len(client.invalid_requests)
        client.sio.emit(event, data)
        replies = client.say({"message": "hello", "session_id": token})
        assert client.invalid_requests[before:] and client.invalid_requests[before]["status"] == 400
        assert replies, "the connection keeps working after a bad event"
    finally:
        client.disconnect()


def test_socketio_metadata_of_the_wrong_shape_is_ignored(hardened: HardenedAssistant) -> None:
    client = hardened.webchat()
    try:
        token = client.request_session()
        for metadata in ("{not json", "[1, 2]", 5, ["x"], "[" * 5000):
            assert client.say({"message": "hello", "session_id": token, "metadata": metadata})
    finally:
        client.disconnect()


def test_a_socketio_packet_over_the_limit_is_refused_and_the_server_keeps_serving(hardened: HardenedAssistant) -> None:
    client = hardened.webchat()
    try:
        flooding = client.request_session()
        client.sio.emit("user_uttered", {"message": "x" * 200_000, "session_id": flooding})
        client.sio.sleep(2)
    finally:
        client.disconnect()
    assert hardened.user_texts(f"webchat:{flooding.partition('.')[0]}") == []
    other = hardened.webchat()
    try:
        token = other.request_session()
        assert other.say({"message": "hello", "session_id": token})
    finally:
        other.disconnect()
