"""Telegram contract tests: the real Rasa server and connector against a fake Bot API.

Telegram's side is played by real update JSON posted to the webhook, and by a fake
Bot API on loopback (``TELEGRAM_API_URL``) that records what the bot sends and
refuses what Telegram would refuse.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import requests

from rasa_project.channels.conversation_ids import TELEGRAM
from rasa_project.channels.telegram import SECRET_TOKEN_HEADER
from rasa_project.clinical.contract import RECOMMENDATION, TRIAGE_LEVEL
from tests.channels import telegram_samples as samples
from tests.channels.conftest import write_credentials_with
from tests.channels.fake_telegram import ApiCall, FakeBotApi
from tests.live_servers import ServerProcess, start_rasa_server, tracker, tracker_slots, write_endpoints

pytestmark = pytest.mark.e2e

TOKEN = "123456:TEST-token_abcdefghijklmnop"
SECRET = "contract-test-secret_1"
BOT_USERNAME = "insole_test_bot"
WEBHOOK_URL = "https://assistant.clinic.example/webhooks/telegram/webhook"
EMERGENCY_NUMBER = "999"
CHANNEL_KEY = "rasa_project.channels.telegram.TelegramInput"
CALLBACK_KEY = "rasa_project.channels.callback.CallbackInput"

_chat_ids = itertools.count(710001)


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeBotApi]:
    """The fake Bot API the assistant sends to."""
    api = FakeBotApi(TOKEN, BOT_USERNAME).start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def assistant(channels_dir: Path, action_server: ServerProcess, fake_api: FakeBotApi) -> Iterator[ServerProcess]:
    """``rasa run`` with the shipped Telegram section, configured for the fake Bot API."""
    directory = channels_dir / "telegram"
    server = start_rasa_server(
        directory,
        endpoints=write_endpoints(directory, action_port=action_server.port),
        credentials=write_credentials_with(directory, [CHANNEL_KEY, CALLBACK_KEY]),
        env={
            "TELEGRAM_ACCESS_TOKEN": TOKEN,
            "TELEGRAM_API_URL": fake_api.base_url,
            "TELEGRAM_SECRET_TOKEN": SECRET,
            "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
            "TELEGRAM_VERIFY": BOT_USERNAME,
            "ASSISTANT_EMERGENCY_NUMBER": EMERGENCY_NUMBER,
            "ASSISTANT_CALLBACK_URL": "",
        },
    )
    yield server
    server.stop()


def post_update(
    server: ServerProcess, update: Any, secret: Optional[str] = SECRET, raw: Optional[bytes] = None
) -> requests.Response:
    """POST an update (or ``raw`` bytes) to the webhook as Telegram does, with ``secret``."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_TOKEN_HEADER] = secret
    kwargs: Dict[str, Any] = {"data": raw} if raw is not None else {"json": update}
    return requests.post(f"{server.url}/webhooks/telegram/webhook", headers=headers, timeout=60, **kwargs)


def turn(server: ServerProcess, api: FakeBotApi, update: Dict[str, Any], chat_id: int) -> List[ApiCall]:
    """Post one update and return the messages sent to ``chat_id`` in answer.

    The webhook answers after the turn's messages are sent, so nothing arrives later.
    """
    before = len(api.calls)
    response = post_update(server, update)
    assert response.status_code == 200, response.text
    return [
        call
        for call in api.calls[before:]
        if call.method.lower() == "sendmessage" and call.params.get("chat_id") == str(chat_id)
    ]


def button_data(message: ApiCall) -> List[str]:
    """The ``callback_data`` of every inline keyboard button on a sent message."""
    markup = message.params.get("reply_markup") or {}
    return [button["callback_data"] for row in markup.get("inline_keyboard", []) for button in row]


def user_events(server: ServerProcess, chat_id: int) -> List[Dict[str, Any]]:
    """The user events the assistant recorded for a chat (none if it never heard of it)."""
    events = tracker(server.url, str(chat_id), channel=TELEGRAM).get("events") or []
    return [event for event in events if event.get("event") == "user"]


def test_webhook_is_registered_at_start_with_the_secret(assistant: ServerProcess, fake_api: FakeBotApi) -> None:
    assert fake_api.wait_for(lambda api: bool(api.calls_to("setWebhook")), timeout=30), fake_api.calls
    params = fake_api.calls_to("setWebhook")[0].params
    assert params["url"] == WEBHOOK_URL
    assert params["secret_token"] == SECRET
    assert set(params["allowed_updates"]) == {"message", "edited_message", "callback_query"}
    # Updates are authenticated by the secret, not by asking Telegram who the bot is.
    assert fake_api.calls_to("getMe") == []


def test_short_assessment_by_buttons_and_text(assistant: ServerProcess, fake_api: FakeBotApi) -> None:
    chat = next(_chat_ids)
    greeting = turn(assistant, fake_api, samples.text_update(chat, "/start"), chat)
    assert greeting and "/start_assessment" in button_data(greeting[-1])

    steps = [
        ("/start_assessment", '/inform{"pain_duration": "chronic"}'),
        ('/inform{"pain_duration": "chronic"}', None),  # severity is typed, no buttons
    ]
    for data, expected_button in steps:
        sent = turn(assistant, fake_api, samples.button_update(chat, data), chat)
        assert sent, f"no answer to the button {data}"
        if expected_button:
            assert expected_button in button_data(sent[-1])

    screen = turn(assistant, fake_api, samples.text_update(chat, "6"), chat)
    assert "/deny" in button_data(screen[-1])
    for data in [
        "/deny",
        '/inform{"daily_load": "walking"}',
        '/inform{"foot_arch": "flat"}',
        '/inform{"shoe_wear": "inner"}',
        '/inform{"leg_length_difference": "no"}',
        '/inform{"gait_diagnosis": "no"}',
    ]:
        assert turn(assistant, fake_api, samples.button_update(chat, data), chat), f"no answer to {data}"
    result = turn(assistant, fake_api, samples.button_update(chat, '/inform{"insole_history": "none"}'), chat)

    result_text = "\n".join(call.params["text"] for call in result).lower()
    assert "not a diagnosis" in result_text and "flat" in result_text
    slots = tracker_slots(assistant.url, str(chat), channel=TELEGRAM)
    assert (slots[TRIAGE_LEVEL], slots[RECOMMENDATION]) == ("routine", "custom_orthotics")
    # The chat's conversation is found under its Telegram id (what user_events reads).
    assert user_events(assistant, chat)
    # Every button press was acknowledged, so Telegram stops the button's spinner.
    answered = {call.params["callback_query_id"] for call in fake_api.calls_to("answerCallbackQuery")}
    assert str(4382000000000000000 + chat) in answered


def test_emergency_mid_assessment_is_sent_first_alone_and_bold(assistant: ServerProcess, fake_api: FakeBotApi) -> None:
    chat = next(_chat_ids)
    turn(assistant, fake_api, samples.text_update(chat, "my lower back has been hurting, can you help me?"), chat)
    sent = turn(assistant, fake_api, samples.text_update(chat, "I wet myself without noticing this morning"), chat)

    first = sent[0].params
    assert first["parse_mode"] == "HTML"
    assert first["text"].startswith("<b>🚨")
    assert "emergency" in first["text"].lower() and EMERGENCY_NUMBER in first["text"]
    assert "reply_markup" not in first
    # The triage payload is data for integrations, never shown as JSON in the chat.
    assert not any("triage_level" in call.params["text"] for call in sent)
    assert tracker_slots(assistant.url, str(chat), channel=TELEGRAM)[TRIAGE_LEVEL] == "emergency"


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
def test_non_text_gets_a_polite_notice_and_is_not_forwarded(
    assistant: ServerProcess, fake_api: FakeBotApi, make_update
) -> None:
    chat = next(_chat_ids)
    sent = turn(assistant, fake_api, make_update(chat), chat)
    assert len(sent) == 1
    assert "only read text" in sent[0].params["text"] and EMERGENCY_NUMBER in sent[0].params["text"]
    assert user_events(assistant, chat) == []


def test_photo_caption_with_an_emergency_is_still_escalated_first(
    assistant: ServerProcess, fake_api: FakeBotApi
) -> None:
    chat = next(_chat_ids)
    sent = turn(
        assistant, fake_api, samples.photo_update(chat, caption="numb between my legs since this morning"), chat
    )
    texts = [call.params["text"] for call in sent]
    assert texts[0].startswith("<b>🚨")
    assert "only read text" in texts[1]


def test_edited_message_with_an_emergency_is_escalated(assistant: ServerProcess, fake_api: FakeBotApi) -> None:
    chat = next(_chat_ids)
    turn(assistant, fake_api, samples.text_update(chat, "hello"), chat)
    sent = turn(assistant, fake_api, samples.edited_text_update(chat, "I wet myself without noticing"), chat)
    assert sent[0].params["text"].startswith("<b>🚨")
    assert any("edited" in call.params["text"] for call in sent[1:])


def test_group_chat_gets_the_privacy_notice_and_nothing_is_recorded(
    assistant: ServerProcess, fake_api: FakeBotApi
) -> None:
    group = -1009000000001
    sent = turn(assistant, fake_api, samples.group_text_update(710999, f"@{BOT_USERNAME} my back hurts", group), group)
    assert len(sent) == 1 and "private chat" in sent[0].params["text"]
    assert turn(assistant, fake_api, samples.group_text_update(710999, "my back hurts too", group), group) == []
    assert user_events(assistant, group) == []


@pytest.mark.parametrize(
    "secret", [None, "wrong-secret", SECRET + "x", ""], ids=["missing", "wrong", "longer", "empty"]
)
def test_update_without_the_right_secret_is_rejected(
    assistant: ServerProcess, fake_api: FakeBotApi, secret: Optional[str]
) -> None:
    chat = next(_chat_ids)
    before = len(fake_api.calls)
    response = post_update(assistant, samples.text_update(chat, "I wet myself"), secret=secret)
    assert response.status_code == 403
    assert fake_api.calls[before:] == []
    assert user_events(assistant, chat) == []


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[1, 2]", b'"update"', b"\xff\xfe\x00", b"null"],
    ids=["broken", "empty", "array", "string", "binary", "null"],
)
def test_malformed_body_is_answered_400(assistant: ServerProcess, fake_api: FakeBotApi, body: bytes) -> None:
    response = post_update(assistant, None, raw=body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_unknown_update_types_are_acknowledged_and_the_server_keeps_working(
    assistant: ServerProcess, fake_api: FakeBotApi
) -> None:
    chat = next(_chat_ids)
    for update in [samples.chat_member_update(chat), {"update_id": 1}]:
        assert post_update(assistant, update).status_code == 200
    assert turn(assistant, fake_api, samples.text_update(chat, "hello"), chat)


@pytest.mark.parametrize(
    "update",
    [{"message": {"chat": "x"}}, {"update_id": "1"}, {"message": "hello"}, {"callback_query": []}],
    ids=["chat-string", "update-id-string", "message-string", "query-list"],
)
def test_updates_with_wrong_types_are_answered_400(
    assistant: ServerProcess, fake_api: FakeBotApi, update: Dict[str, Any]
) -> None:
    before = len(fake_api.calls)
    response = post_update(assistant, update)
    assert response.status_code == 400 and response.json()["error"]
    assert fake_api.calls[before:] == []


@pytest.mark.parametrize(
    "text",
    ["😀🙏" * 50, "a" * 4096, "<b>bold</b> & <script>", "Мне больно спину"],
    ids=["emoji", "longest", "html", "russian"],
)
def test_unusual_text_gets_an_answer_telegram_accepts(
    assistant: ServerProcess, fake_api: FakeBotApi, text: str
) -> None:
    chat = next(_chat_ids)
    refused_before = len(fake_api.refusals)
    assert turn(assistant, fake_api, samples.text_update(chat, text), chat)
    # The fake refuses what Telegram refuses (bad HTML, empty or over-long text).
    assert fake_api.refusals[refused_before:] == []


def test_set_webhook_route_needs_the_secret(assistant: ServerProcess, fake_api: FakeBotApi) -> None:
    url = f"{assistant.url}/webhooks/telegram/set_webhook"
    assert requests.post(url, timeout=30).status_code == 403
    before = len(fake_api.calls_to("setWebhook"))
    response = requests.post(url, headers={SECRET_TOKEN_HEADER: SECRET}, timeout=30)
    assert response.status_code == 200 and response.json() == {"registered": True}
    assert len(fake_api.calls_to("setWebhook")) == before + 1


def test_callback_channel_stays_disabled_without_its_url(assistant: ServerProcess) -> None:
    response = requests.post(
        f"{assistant.url}/webhooks/callback/webhook", json={"sender": "a", "message": "hi"}, timeout=30
    )
    assert response.status_code == 503
    assert "ASSISTANT_CALLBACK_URL" in response.json()["error"]
