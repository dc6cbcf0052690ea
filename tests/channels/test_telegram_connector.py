"""The Telegram connector's settings and its sender, against the fake Bot API."""

from __future__ import annotations

import asyncio
from typing import Dict, Iterator

import pytest
from rasa.shared.exceptions import RasaException

from rasa_project.channels.telegram import (
    DEFAULT_API_URL,
    TelegramInput,
    TelegramOutput,
    TelegramSettings,
    secret_token_matches,
)
from rasa_project.channels.telegram_replies import plan_replies
from tests.channels.fake_telegram import FakeBotApi

TOKEN = "123456:TEST-token_abcdefghijklmnop"


@pytest.fixture()
def fake_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi(TOKEN).start()
    yield api
    api.stop()


def test_nothing_configured_means_disabled_with_the_public_api() -> None:
    settings = TelegramSettings.from_sources(None, {})
    assert not settings.enabled
    assert settings.api_url == DEFAULT_API_URL


def test_environment_wins_over_credentials_and_blank_counts_as_unset() -> None:
    environ = {
        "TELEGRAM_ACCESS_TOKEN": TOKEN,
        "TELEGRAM_VERIFY": "@insole_bot",
        "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
        "TELEGRAM_SECRET_TOKEN": " ",
        "TELEGRAM_WEBHOOK_URL": "",
    }
    credentials = {"verify": "other_bot", "webhook_url": "https://bot.clinic.example/webhooks/telegram/webhook"}
    settings = TelegramSettings.from_sources(credentials, environ)
    assert settings == TelegramSettings(
        TOKEN, "insole_bot", "https://bot.clinic.example/webhooks/telegram/webhook", None, "http://127.0.0.1:8081"
    )


@pytest.mark.parametrize(
    "environ, named",
    [
        ({"TELEGRAM_ACCESS_TOKEN": "not a token"}, "TELEGRAM_ACCESS_TOKEN"),
        ({"TELEGRAM_ACCESS_TOKEN": TOKEN, "TELEGRAM_SECRET_TOKEN": "has spaces in it"}, "TELEGRAM_SECRET_TOKEN"),
        ({"TELEGRAM_ACCESS_TOKEN": TOKEN, "TELEGRAM_SECRET_TOKEN": "x" * 257}, "TELEGRAM_SECRET_TOKEN"),
        ({"TELEGRAM_API_URL": "ftp://api"}, "TELEGRAM_API_URL"),
        ({"TELEGRAM_WEBHOOK_URL": "bot.example/webhook"}, "TELEGRAM_WEBHOOK_URL"),
    ],
)
def test_unusable_settings_fail_loudly_without_echoing_the_value(environ: Dict[str, str], named: str) -> None:
    with pytest.raises(RasaException) as raised:
        TelegramSettings.from_sources({}, environ)
    assert named in str(raised.value)
    assert "not a token" not in str(raised.value)


@pytest.mark.parametrize(
    "received, expected, accepted",
    [
        (None, None, True),
        ("anything", None, True),
        ("s3cret", "s3cret", True),
        ("wrong", "s3cret", False),
        (None, "s3cret", False),
        ("", "s3cret", False),
        ("s3cret ", "s3cret", False),
        ("🔑", "s3cret", False),
    ],
)
def test_secret_token_check(received, expected, accepted: bool) -> None:
    assert secret_token_matches(received, expected) is accepted


def test_channel_without_token_builds_its_routes_without_calling_telegram(fake_api: FakeBotApi) -> None:
    channel = TelegramInput.from_credentials(None)
    assert channel.get_output_channel() is None
    channel.blueprint(lambda message: asyncio.sleep(0))
    assert fake_api.calls == []


def test_sender_uses_the_configured_api_server(fake_api: FakeBotApi) -> None:
    async def send() -> None:
        output = TelegramOutput(TOKEN, fake_api.base_url)
        try:
            await output.send_planned(
                "7001",
                plan_replies(
                    [
                        {"text": "How long?", "buttons": [{"title": "Weeks", "payload": "/inform"}]},
                        {"text": "🚨 Call 999 now.", "custom": {"triage_level": "emergency"}},
                    ]
                ),
            )
            assert await output.register_webhook("https://bot.clinic.example/hook", "s3cret")
        finally:
            await output.close_session()

    asyncio.run(send())
    sent = fake_api.calls_to("sendMessage", chat_id=7001)
    assert [call.params["text"] for call in sent] == ["<b>🚨 Call 999 now.</b>", "How long?"]
    assert sent[0].params["parse_mode"] == "HTML"
    assert sent[1].params["reply_markup"] == {"inline_keyboard": [[{"text": "Weeks", "callback_data": "/inform"}]]}
    (webhook,) = fake_api.calls_to("setWebhook")
    assert webhook.params == {
        "url": "https://bot.clinic.example/hook",
        "secret_token": "s3cret",
        "allowed_updates": ["message", "edited_message", "callback_query"],
    }


def test_a_refused_message_does_not_stop_the_next(fake_api: FakeBotApi) -> None:
    async def send() -> None:
        output = TelegramOutput(TOKEN, fake_api.base_url)
        try:
            # A chat id Telegram does not know is refused; the following message still goes.
            await output.send_planned("not-a-chat", plan_replies([{"text": "first"}]))
            await output.send_planned("7002", plan_replies([{"text": "second"}]))
        finally:
            await output.close_session()

    asyncio.run(send())
    assert [call.params["text"] for call in fake_api.calls_to("sendMessage")] == ["first", "second"]


def test_unreachable_api_is_logged_not_raised() -> None:
    async def send() -> None:
        # Port 9 (discard) on loopback: nothing listens, the connection is refused.
        output = TelegramOutput(TOKEN, "http://127.0.0.1:9")
        try:
            await output.send_planned("7003", plan_replies([{"text": "hello"}]))
        finally:
            await output.close_session()

    asyncio.run(send())


def test_settings_repr_shows_no_secrets() -> None:
    settings = TelegramSettings.from_sources(
        {}, {"TELEGRAM_ACCESS_TOKEN": TOKEN, "TELEGRAM_SECRET_TOKEN": "s3cret-value"}
    )
    assert TOKEN not in repr(settings) and "s3cret-value" not in repr(settings)
