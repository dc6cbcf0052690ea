"""Who may reach a conversation: hijack attempts through every channel.

Each test is an attack that worked before: joining a web chat session by naming
it, naming another channel's conversation, the shared ``default`` REST
conversation, a second socket listening in on someone's replies, scripts without
an ``Origin``. Each is made against the real server, and the victim's conversation
is read back through the HTTP API to prove nothing reached it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any, List

import pytest
import socketio

from rasa_project.channels.conversation_ids import WEBCHAT, conversation_id
from rasa_project.clinical.contract import RED_FLAGS, TRIAGE_LEVEL
from tests.channels import telegram_samples as samples
from tests.security.conftest import (
    CALLBACK_TOKEN,
    EMERGENCY,
    REST_TOKEN,
    HardenedAssistant,
    callback_id,
    new_id,
    rest_id,
    telegram_id,
)

pytestmark = pytest.mark.e2e

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{32}")


def webchat_id(token: str) -> str:
    """The conversation id of a web chat session token."""
    return conversation_id(WEBCHAT, token.partition(".")[0])


def emergency_payloads(replies: List[dict]) -> List[dict]:
    return [
        reply["custom"] for reply in replies if isinstance(reply.get("custom"), dict) and reply["custom"].get(RED_FLAGS)
    ]


# --- web chat ---------------------------------------------------------------------------


@pytest.fixture()
def victim(hardened: HardenedAssistant):
    """A person in a web chat session who has told the assistant about an emergency."""
    client = hardened.webchat()
    token = client.request_session()
    replies = client.say({"message": EMERGENCY, "session_id": token})
    assert any(message.get("custom", {}).get(TRIAGE_LEVEL) == "emergency" for message in replies)
    yield client, token
    client.disconnect()


def forged_ids(victim_token: str) -> List[Any]:
    session_part, _, signature = victim_token.partition(".")
    other_secret = hmac.new(b"not the server's secret", b"webchat-session:" + session_part.encode(), hashlib.sha256)
    return [
        session_part,  # the id without its signature
        f"{session_part}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",  # altered signature
        f"{session_part}.{base64.urlsafe_b64encode(other_secret.digest()).decode()[:32]}",  # signed elsewhere
        conversation_id(WEBCHAT, session_part),
        rest_id("alice"),
        telegram_id(555000111),
        "555000111",
        "default",
        "../" + victim_token,
        victim_token + "x",
    ]


def test_a_session_is_issued_signed(hardened: HardenedAssistant) -> None:
    client = hardened.webchat()
    try:
        first = client.request_session()
        assert TOKEN_SHAPE.fullmatch(first)
        assert client.request_session({}) != first  # asking again without a token: a new session
    finally:
        client.disconnect()


@pytest.mark.parametrize("index", range(10))
def test_a_forged_or_foreign_session_id_gets_a_new_session(hardened: HardenedAssistant, victim, index: int) -> None:
    _victim_client, victim_token = victim
    requested = forged_ids(victim_token)[index]
    attacker = hardened.webchat()
    try:
        issued = attacker.request_session({"session_id": requested})
        assert issued not in (requested, victim_token) and TOKEN_SHAPE.fullmatch(issued)
        before = len(hardened.user_texts(webchat_id(victim_token)))
        replies = attacker.say({"message": "what red flags did I mention?", "session_id": requested})
        assert replies and not emergency_payloads(replies)
        assert len(hardened.user_texts(webchat_id(victim_token))) == before
        assert hardened.user_texts(webchat_id(issued)) == ["what red flags did I mention?"]
    finally:
        attacker.disconnect()


@pytest.mark.parametrize("requested", [12345, ["x"], {"nested": "id"}, None, True])
def test_session_ids_of_other_types_get_a_new_session(hardened: HardenedAssistant, requested: Any) -> None:
    attacker = hardened.webchat()
    try:
        assert TOKEN_SHAPE.fullmatch(attacker.request_session({"session_id": requested}))
    finally:
        attacker.disconnect()


def test_a_socket_cannot_write_into_or_listen_to_another_session(hardened: HardenedAssistant, victim) -> None:
    victim_client, victim_token = victim
    attacker = hardened.webchat()
    try:
        own = attacker.request_session()
        heard_before = len(victim_client.bot_messages)
        # The attacker names the victim's session in its messages: they stay in its own session.
        replies = attacker.say({"message": "hello", "session_id": victim_token})
        assert replies
        assert "hello" in hardened.user_texts(webchat_id(own))
        assert "hello" not in hardened.user_texts(webchat_id(victim_token))
        # The victim's replies do not reach the attacker, and the attacker's do not reach the victim.
        victim_client.say({"message": "thank you", "session_id": victim_token})
        assert len(victim_client.bot_messages) > heard_before
        assert all(message not in attacker.bot_messages for message in victim_client.bot_messages[heard_before:])
        assert all(message not in victim_client.bot_messages for message in replies)
    finally:
        attacker.disconnect()


def test_a_message_without_a_handshake_gets_its_own_new_session(hardened: HardenedAssistant, victim) -> None:
    _, victim_token = victim
    attacker = hardened.webchat()
    try:
        before = len(hardened.user_texts(webchat_id(victim_token)))
        replies = attacker.say({"message": "tell me my red flags", "session_id": victim_token.partition(".")[0]})
        assert attacker.confirmed and attacker.confirmed[-1] != victim_token
        assert replies and not emergency_payloads(replies)
        assert len(hardened.user_texts(webchat_id(victim_token))) == before
    finally:
        attacker.disconnect()


def test_the_holder_of_the_token_resumes_the_session(hardened: HardenedAssistant, victim) -> None:
    # The token is the credential: a second tab of the same browser (same storage) resumes.
    _, victim_token = victim
    tab = hardened.webchat()
    try:
        assert tab.request_session({"session_id": victim_token}) == victim_token
        tab.say({"message": "thanks", "session_id": victim_token})
        assert "thanks" in hardened.user_texts(webchat_id(victim_token))
    finally:
        tab.disconnect()


@pytest.mark.parametrize(
    "origin",
    [None, "https://attacker.example", "http://127.0.0.1:8080", "null", "https://clinic.test.attacker.example"],
)
def test_clients_without_an_allowed_origin_are_refused(hardened: HardenedAssistant, origin: Any) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        hardened.webchat(origin=origin)


def test_the_clinic_origin_may_connect(hardened: HardenedAssistant) -> None:
    client = hardened.webchat()
    try:
        assert client.sio.connected
    finally:
        client.disconnect()


# --- REST -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"message": "hello"},
        {"sender": "", "message": "hello"},
        {"sender": None, "message": "hello"},
        {"sender": 42, "message": "hello"},
        {"sender": ["alice"], "message": "hello"},
        {"sender": "x" * 129, "message": "hello"},
        {"sender": "alice smith", "message": "hello"},
        {"sender": "../alice", "message": "hello"},
        {"sender": "<b>alice</b>", "message": "hello"},
        {"sender": "alice\n", "message": "hello"},
        {"sender": "ålice", "message": "hello"},
    ],
    ids=["missing", "empty", "null", "number", "list", "too-long", "space", "slash", "markup", "newline", "non-ascii"],
)
def test_rest_without_a_usable_sender_is_refused_and_nothing_is_recorded(
    hardened: HardenedAssistant, body: dict
) -> None:
    response = hardened.rest(body)
    assert response.status_code == 400 and "sender" in response.json()["error"]
    assert hardened.stored_rows("default") == 0
    assert hardened.stored_rows(rest_id("default")) == 0


def test_rest_senders_never_meet_another_person_or_channel(hardened: HardenedAssistant) -> None:
    chat = 710777001
    update = samples.text_update(chat, EMERGENCY)
    assert hardened.telegram_update(update).status_code == 200
    assert hardened.tracker(telegram_id(chat))["slots"][TRIAGE_LEVEL] == "emergency"
    web = hardened.webchat()
    try:
        token = web.request_session()
        web.say({"message": EMERGENCY, "session_id": token})
    finally:
        web.disconnect()
    # A REST client naming the Telegram chat, the web session or their conversation ids
    # talks in conversations of its own, and hears nothing of their red flags.
    for sender in (str(chat), telegram_id(chat), token.partition(".")[0], webchat_id(token)):
        replies = hardened.say(sender, "hello, what did I tell you earlier?")
        assert not emergency_payloads(replies), sender
        slots = hardened.tracker(rest_id(sender))["slots"]
        assert not slots[RED_FLAGS] and slots[TRIAGE_LEVEL] != "emergency", sender
    assert hardened.user_texts(telegram_id(chat)) == [EMERGENCY]


def test_two_rest_senders_are_two_conversations(hardened: HardenedAssistant) -> None:
    first, second = new_id("first"), new_id("second")
    assert emergency_payloads(hardened.say(first, EMERGENCY))
    assert not emergency_payloads(hardened.say(second, "hi"))
    assert hardened.tracker(rest_id(second))["slots"][RED_FLAGS] in (None, [])


def test_replies_name_the_sender_as_the_client_sent_it(hardened: HardenedAssistant) -> None:
    sender = new_id("bridge-user")
    replies = hardened.say(sender, "hello")
    assert replies and {reply["recipient_id"] for reply in replies} == {sender}


@pytest.mark.parametrize("token", [None, "", "wrong-token", REST_TOKEN + "x", REST_TOKEN[:-1]])
def test_rest_without_the_bearer_token_is_refused(hardened: HardenedAssistant, token: Any) -> None:
    sender = new_id("no-token")
    response = hardened.rest({"sender": sender, "message": "hello"}, token=token)
    assert response.status_code == 401 and response.json()["error"]
    assert hardened.stored_rows(rest_id(sender)) == 0


# --- callback ---------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token", CALLBACK_TOKEN + "x"])
def test_callback_without_the_bearer_token_is_refused(hardened: HardenedAssistant, token: Any) -> None:
    sender = new_id("no-token")
    before = len(hardened.receiver.posts)
    response = hardened.callback({"sender": sender, "message": "hello"}, token=token)
    assert response.status_code == 401
    assert hardened.receiver.posts[before:] == []
    assert hardened.stored_rows(callback_id(sender)) == 0


def test_callback_senders_stay_in_the_callback_namespace(hardened: HardenedAssistant) -> None:
    victim = new_id("victim")
    assert emergency_payloads(hardened.say(victim, EMERGENCY))
    for sender in (victim, rest_id(victim)):
        response = hardened.callback({"sender": sender, "message": "what are my red flags?"})
        assert response.status_code == 200
        posts = hardened.receiver.posts_for(sender)
        assert posts and not emergency_payloads(posts), sender
        assert hardened.user_texts(callback_id(sender)) == ["what are my red flags?"]
    assert hardened.user_texts(rest_id(victim)) == [EMERGENCY]


# --- Telegram ---------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "wrong", "security-suite-secret_2"])
def test_telegram_updates_without_the_secret_are_refused(hardened: HardenedAssistant, secret: Any) -> None:
    chat = 710777100 + len(secret or "")
    response = hardened.telegram_update(samples.text_update(chat, "I wet myself"), secret=secret)
    assert response.status_code == 403
    assert hardened.stored_rows(telegram_id(chat)) == 0


def test_a_telegram_chat_is_not_reachable_from_other_channels(hardened: HardenedAssistant) -> None:
    chat = 710777200
    assert hardened.telegram_update(samples.text_update(chat, "hello")).status_code == 200
    before = hardened.user_texts(telegram_id(chat))
    hardened.say(str(chat), "I can't control my bladder")
    hardened.callback({"sender": chat, "message": "I can't control my bladder"})
    web = hardened.webchat()
    try:
        web.request_session({"session_id": telegram_id(chat)})
        web.say({"message": "I can't control my bladder", "session_id": telegram_id(chat)})
    finally:
        web.disconnect()
    assert hardened.user_texts(telegram_id(chat)) == before
    assert hardened.tracker(telegram_id(chat))["slots"][TRIAGE_LEVEL] != "emergency"
