"""Telegram connector: Rasa's built-in one, configured from the environment.

Registered in ``credentials.yml`` as ``rasa_project.channels.telegram.TelegramInput``
and served at ``/webhooks/telegram/webhook``. Settings come from the environment
(values in ``credentials.yml`` are used only where the environment has none):

=========================  ==================  ============================================
environment variable       credentials key     meaning
=========================  ==================  ============================================
``TELEGRAM_ACCESS_TOKEN``  ``access_token``    the bot token from @BotFather; unset: the
                                               channel is disabled (answers 503, never
                                               calls Telegram)
``TELEGRAM_VERIFY``        ``verify``          the bot's username, to notice when it is
                                               addressed in a group
``TELEGRAM_WEBHOOK_URL``   ``webhook_url``     public HTTPS URL of the webhook; when set,
                                               it is registered with Telegram once the
                                               server has started
``TELEGRAM_SECRET_TOKEN``  ``secret_token``    when set, every update must carry it in the
                                               ``X-Telegram-Bot-Api-Secret-Token`` header
``TELEGRAM_API_URL``       ``api_url``         Bot API base URL, for a self-hosted Bot API
                                               server (default https://api.telegram.org)
=========================  ==================  ============================================

Differences from Rasa's connector, and why:

- Nothing talks to Telegram while the server is being built: Rasa's connector calls
  ``setWebhook`` from ``blueprint()``, which fails ``rasa run`` on a machine without a
  token or network. Here the webhook is registered after start-up, and a failure is
  logged, not fatal to the other channels.
- Updates are authenticated by the secret-token header instead of a ``getMe`` call
  per update (which costs a round trip to Telegram and proves nothing about the sender).
- One turn's replies are collected and sent after the turn, so an emergency reply
  goes first and alone (see :mod:`rasa_project.channels.telegram_replies`).
- Non-text messages, edits and group chats are handled as described in
  :mod:`rasa_project.channels.telegram_updates`.
- The conversation is ``telegram:<chat id>``, so no other channel can name it
  (:mod:`rasa_project.channels.conversation_ids`).
- Requests are checked like every channel's: a body over
  ``ASSISTANT_MAX_REQUEST_BYTES`` is 413, one that is not JSON 415 or 400, an
  update whose fields have the wrong types 400 (Telegram never sends one); the
  text is normalised and length-limited; a turn that fails or ends without a
  reply is answered with an apology naming the emergency signs.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Text
from urllib.parse import urlparse

import aiohttp
from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer, check_token
from aiogram.utils.exceptions import TelegramAPIError, ValidationError
from aiogram.utils.payload import prepare_arg
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_project import log_privacy
from rasa_project.channels.conversation_ids import TELEGRAM, conversation_id, local_id
from rasa_project.channels.http_requests import json_error, read_json_object
from rasa_project.channels.long_messages import LONG_MESSAGES
from rasa_project.channels.message_limits import MessageLimits, prepare_text
from rasa_project.channels.telegram_replies import (
    OutgoingMessage,
    inline_keyboard_markup,
    plan_replies,
)
from rasa_project.channels.telegram_updates import ForwardText, Ignore, ReplyOnly, read_update, update_shape_error
from rasa_project.channels.turn_failure import turn_failed_text
from rasa_project.process_memory import freeze_after_start
from rasa_project.responses import emergency_number

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: The update types the webhook asks Telegram for; everything else is never sent.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")

_ENVIRONMENT_KEYS: Mapping[str, str] = {
    "access_token": "TELEGRAM_ACCESS_TOKEN",
    "verify": "TELEGRAM_VERIFY",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
    "secret_token": "TELEGRAM_SECRET_TOKEN",
    "api_url": "TELEGRAM_API_URL",
}
#: What a failed Bot API call raises: aiogram wraps client errors, not timeouts.
_SEND_ERRORS = (TelegramAPIError, aiohttp.ClientError, asyncio.TimeoutError)
_SECRET_TOKEN_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class TelegramSettings:
    """The Telegram channel's configuration. ``access_token`` ``None`` disables it."""

    # Secrets stay out of repr(), so a logged settings object leaks nothing.
    access_token: Optional[str] = field(default=None, repr=False)
    verify: Optional[str] = None
    webhook_url: Optional[str] = None
    secret_token: Optional[str] = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL

    @property
    def enabled(self) -> bool:
        """Whether a bot token is configured."""
        return self.access_token is not None

    @classmethod
    def from_sources(cls, credentials: Optional[Mapping[str, Any]], environ: Mapping[str, str]) -> TelegramSettings:
        """Read the settings: the environment first, then ``credentials``, then defaults.

        Empty values count as unset.

        Raises:
            RasaException: if a value is set but unusable (malformed token, secret
                token with characters Telegram refuses, API URL that is not http(s)).
        """
        values = {
            key: _first_nonempty(environ.get(variable), (credentials or {}).get(key))
            for key, variable in _ENVIRONMENT_KEYS.items()
        }
        settings = cls(
            access_token=values["access_token"],
            verify=(values["verify"] or "").lstrip("@") or None,
            webhook_url=values["webhook_url"],
            secret_token=values["secret_token"],
            api_url=(values["api_url"] or DEFAULT_API_URL).rstrip("/"),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise :class:`RasaException` naming the first unusable setting (never its value)."""
        if self.access_token is not None:
            try:
                check_token(self.access_token)
            except ValidationError as error:
                raise RasaException(
                    "TELEGRAM_ACCESS_TOKEN is not a bot token of the form '123456:ABC...' as @BotFather gives it."
                ) from error
        if self.secret_token is not None and not (
            1 <= len(self.secret_token) <= 256 and set(self.secret_token) <= _SECRET_TOKEN_ALPHABET
        ):
            raise RasaException("TELEGRAM_SECRET_TOKEN must be 1-256 characters from A-Z, a-z, 0-9, _ and -.")
        if urlparse(self.api_url).scheme not in ("http", "https"):
            raise RasaException("TELEGRAM_API_URL must be an http:// or https:// URL.")
        if self.webhook_url is not None and urlparse(self.webhook_url).scheme not in ("http", "https"):
            raise RasaException("TELEGRAM_WEBHOOK_URL must be an https:// URL.")


def secret_token_matches(received: Optional[str], expected: Optional[str]) -> bool:
    """Whether an update's secret-token header is acceptable.

    With no secret configured every update is accepted; otherwise the header must
    match exactly (compared in constant time).
    """
    if expected is None:
        return True
    if received is None:
        return False
    return hmac.compare_digest(received.encode("utf-8"), expected.encode("utf-8"))


class TelegramOutput(RasaTelegramOutput):
    """Sends to Telegram through a configurable Bot API server, emergency first."""

    @classmethod
    def name(cls) -> Text:
        """The channel name, which selects channel-specific responses."""
        return "telegram"

    def __init__(self, access_token: Text, api_url: Text = DEFAULT_API_URL) -> None:
        """Create the sender; no request is made until a message is sent."""
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url))

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send one response, formatted as in a turn (used outside webhook turns)."""
        await self.send_planned(recipient_id, plan_replies([message], emergency_number=emergency_number()))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Send a text, split only where Telegram's length limit requires it."""
        await self.send_planned(recipient_id, plan_replies([{"text": text}]))

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Send a text with its buttons as an inline keyboard."""
        await self.send_planned(recipient_id, plan_replies([{"text": text, "buttons": buttons}]))

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """Send a custom payload; triage payloads are data for integrations, not sent."""
        await self.send_planned(recipient_id, plan_replies([{"custom": json_message}]))

    async def send_planned(self, chat_id: Text, planned: Sequence[OutgoingMessage]) -> None:
        """Send planned messages in order to ``chat_id`` (a chat id or its ``telegram:`` conversation id).

        A message Telegram refuses is logged and the rest are still sent: losing one
        tip must not lose the emergency advice that may follow.
        """
        chat_id = local_id(TELEGRAM, chat_id)
        for outgoing in planned:
            try:
                await self._send_one(chat_id, outgoing)
            except _SEND_ERRORS as error:
                logger.error("Could not send a %s message to Telegram: %r", outgoing.kind, error)

    async def register_webhook(self, url: Text, secret_token: Optional[Text]) -> bool:
        """Point Telegram at ``url``, with the secret token it must send back.

        aiogram 2.15 predates the ``secret_token`` parameter, so the method is called
        directly.
        """
        payload = {"url": url, "allowed_updates": prepare_arg(list(ALLOWED_UPDATES))}
        if secret_token:
            payload["secret_token"] = secret_token
        return bool(await self.request("setWebhook", payload))

    async def close_session(self) -> None:
        """Close the HTTP session, if one was opened."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def _send_one(self, chat_id: Text, outgoing: OutgoingMessage) -> None:
        if outgoing.kind == "text":
            markup = inline_keyboard_markup(outgoing.keyboard) if outgoing.keyboard else None
            await self.send_message(chat_id, outgoing.text, parse_mode=outgoing.parse_mode, reply_markup=markup)
        elif outgoing.kind == "photo":
            await self.send_photo(chat_id, outgoing.url)
        elif outgoing.kind == "custom":
            await RasaTelegramOutput.send_custom_json(self, chat_id, deepcopy(outgoing.payload))


class TurnCollector(OutputChannel):
    """Collects one turn's responses unchanged, to be planned and sent after the turn."""

    def __init__(self) -> None:
        """Start with no responses."""
        self.responses: List[Dict[Text, Any]] = []

    @classmethod
    def name(cls) -> Text:
        """``telegram``, so the assistant picks Telegram-specific responses if any."""
        return "telegram"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Keep the response whole: its text and custom payload belong together."""
        self.responses.append(deepcopy(message))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Keep a bare text."""
        self.responses.append({"text": text})


class TelegramInput(RasaTelegramInput):
    """Receives Telegram updates on ``/webhooks/telegram/webhook``."""

    @classmethod
    def name(cls) -> Text:
        """The channel name: also the URL prefix ``/webhooks/telegram``."""
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Create the channel from the environment and the ``credentials.yml`` section."""
        settings = TelegramSettings.from_sources(credentials, os.environ)
        if not settings.enabled:
            logger.info("Telegram channel disabled: TELEGRAM_ACCESS_TOKEN is not set.")
        elif settings.secret_token is None:
            logger.warning(
                "TELEGRAM_SECRET_TOKEN is not set: anyone who knows the webhook URL can "
                "post messages as any Telegram user."
            )
        return cls(settings, MessageLimits.from_environment())

    def __init__(self, settings: TelegramSettings, limits: Optional[MessageLimits] = None) -> None:
        """Create the channel; no request is made to Telegram here."""
        super().__init__(settings.access_token, settings.verify, settings.webhook_url, debug_mode=False)
        self.settings = settings
        self.limits = limits or MessageLimits()
        self._output: Optional[TelegramOutput] = None

    def get_output_channel(self) -> Optional[TelegramOutput]:
        """The shared sender, or ``None`` when the channel is disabled."""
        if not self.settings.enabled:
            return None
        if self._output is None and self.settings.access_token is not None:
            self._output = TelegramOutput(self.settings.access_token, self.settings.api_url)
        return self._output

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: ``GET /`` health, ``POST /webhook`` updates, ``POST /set_webhook``."""
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        freeze_after_start(telegram_webhook)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.enabled else "disabled"})

        @telegram_webhook.route("/set_webhook", methods=["POST"])
        async def set_webhook(request: Request) -> HTTPResponse:
            output = self.get_output_channel()
            if output is None:
                return _disabled()
            if not secret_token_matches(request.headers.get(SECRET_TOKEN_HEADER), self.settings.secret_token):
                return response.json({"error": "invalid secret token"}, status=403)
            if not self.settings.webhook_url:
                return response.json({"error": "TELEGRAM_WEBHOOK_URL is not set"}, status=409)
            registered = await self._register_webhook(output)
            return response.json({"registered": registered}, status=200 if registered else 502)

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            output = self.get_output_channel()
            if output is None:
                return _disabled()
            if not secret_token_matches(request.headers.get(SECRET_TOKEN_HEADER), self.settings.secret_token):
                logger.warning("Rejected a Telegram update without the right secret token.")
                return response.json({"error": "invalid secret token"}, status=403)
            update = read_json_object(request, self.limits)
            if isinstance(update, HTTPResponse):
                return update
            shape_error = update_shape_error(update)
            if shape_error is not None:
                return json_error(shape_error, 400)
            try:
                await self._handle_update(update, output, on_new_message, request)
            except Exception:
                logger.exception("Failed to handle a Telegram update.")
            # Always 200 once authenticated: Telegram resends an update until it gets a
            # 2xx, and a resent message would be answered twice.
            return response.json({"status": "ok"})

        @telegram_webhook.listener("after_server_start")
        async def register_on_start(_: Sanic, __: Any) -> None:
            output = self.get_output_channel()
            if output is not None and self.settings.webhook_url:
                await self._register_webhook(output)

        @telegram_webhook.listener("after_server_stop")
        async def close_on_stop(_: Sanic, __: Any) -> None:
            if self._output is not None:
                await self._output.close_session()

        return telegram_webhook

    async def _handle_update(
        self,
        update: Mapping[str, Any],
        output: TelegramOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        request: Request,
    ) -> None:
        number = emergency_number()
        action = read_update(update, emergency_number=number, bot_username=self.settings.verify)
        if isinstance(action, Ignore):
            logger.debug("Ignored a Telegram update: %s", action.reason)
            return
        if isinstance(action, ReplyOnly):
            await output.send_planned(action.chat_id, plan_replies([{"text": action.text}]))
            return
        assert isinstance(action, ForwardText)
        if action.callback_query_id is not None:
            await _answer_button_press(output, action.callback_query_id)
        collector = TurnCollector()
        prepared = prepare_text(action.text, self.limits)
        notice = action.notice
        with log_privacy.withheld([action.text, prepared.text]):
            try:
                async with LONG_MESSAGES.admit(len(prepared.text)):
                    await on_new_message(
                        UserMessage(
                            prepared.text,
                            collector,
                            conversation_id(TELEGRAM, action.chat_id),
                            input_channel=self.name(),
                            metadata=prepared.metadata(self.get_metadata(request)),
                        )
                    )
            except Exception:
                # Whatever the assistant said before failing (possibly the emergency
                # reply) is still sent below, followed by the apology.
                logger.exception("The assistant failed to handle a Telegram message.")
                collector.responses.append({"text": turn_failed_text()})
            else:
                if not collector.responses:
                    collector.responses.append({"text": turn_failed_text()})
        await output.send_planned(
            action.chat_id,
            plan_replies(collector.responses, notice=notice, emergency_number=number),
        )

    async def _register_webhook(self, output: TelegramOutput) -> bool:
        if not self.settings.webhook_url:
            return False
        try:
            registered = await output.register_webhook(self.settings.webhook_url, self.settings.secret_token)
        except Exception as error:  # network errors, refusals: the server keeps running
            logger.error("Could not register the Telegram webhook: %s", error)
            return False
        logger.info("Telegram webhook registered.")
        return registered


async def _answer_button_press(output: TelegramOutput, callback_query_id: Text) -> None:
    try:
        await output.answer_callback_query(callback_query_id)
    except _SEND_ERRORS as error:
        # A stale button press (older than Telegram's timeout) cannot be answered;
        # the text it carries is still valid.
        logger.debug("Could not answer a button press: %s", error)


def _disabled() -> HTTPResponse:
    return response.json({"error": "the Telegram channel is disabled: TELEGRAM_ACCESS_TOKEN is not set"}, status=503)


def _first_nonempty(*values: Any) -> Optional[str]:
    for value in values:
        if value is not None and str(value).strip():
            return str(value).strip()
    return None
