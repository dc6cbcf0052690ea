"""Rasa's callback channel, configured from the environment and hardened like the REST channel.

For messaging platforms without a connector of their own: the platform's bridge posts
``{"sender": "...", "message": "..."}`` to ``/webhooks/callback/webhook``, and each of
the assistant's replies is posted, as it is produced, to ``ASSISTANT_CALLBACK_URL`` as
``{"recipient_id": "...", "text": "...", "buttons": [...], "custom": {...}}``.

Why a subclass: Rasa's ``${VAR}`` substitution in ``credentials.yml`` has no default
and fails when the variable is unset, and a fixed URL in the file would post replies
(health information) to an address nobody chose. So the section in the file is empty,
the URL comes from the environment and, while it is unset, the channel is disabled:
the webhook answers 503 and nothing is posted anywhere.

What it trusts, and the checks Rasa's channel lacks:

- The caller speaks for the sender it names. With ``ASSISTANT_CALLBACK_TOKEN`` set,
  a request without ``Authorization: Bearer <token>`` is refused with 401; without
  it, expose the webhook only to the bridge.
- The conversation is ``callback:<sender>`` (it can never meet another channel's),
  and replies carry the sender as the bridge sent it. A numeric sender is accepted
  and read as its decimal string; anything else that is not a usable id is a 400.
- Bad requests are 4xx with a short JSON error (413, 415, 400), never a 500; the
  text is normalised and length-limited like every channel's.
- A turn that fails, or ends without a reply, still gets an answer posted: an
  apology naming the emergency signs, after whatever the assistant said first.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Text, Tuple, Union
from urllib.parse import urlparse

from rasa.core.channels.callback import CallbackInput as RasaCallbackInput
from rasa.core.channels.callback import CallbackOutput as RasaCallbackOutput
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_project import log_privacy
from rasa_project.channels.conversation_ids import (
    CALLBACK,
    CLIENT_ID_RULE,
    conversation_id,
    local_id,
    valid_client_id,
)
from rasa_project.channels.http_requests import bearer_token_matches, json_error, read_json_object
from rasa_project.channels.long_messages import LONG_MESSAGES
from rasa_project.channels.message_limits import MessageLimits, prepare_text
from rasa_project.channels.turn_failure import turn_failed_text
from rasa_project.process_memory import freeze_after_start

logger = logging.getLogger(__name__)

CALLBACK_URL_VARIABLE = "ASSISTANT_CALLBACK_URL"
TOKEN_ENV = "ASSISTANT_CALLBACK_TOKEN"


def callback_url_from(credentials: Optional[Dict[Text, Any]], environ: Dict[str, str]) -> Optional[str]:
    """Return the callback URL: ``ASSISTANT_CALLBACK_URL``, else ``url`` in the credentials.

    Raises:
        RasaException: if the URL is set but not an http(s) URL.
    """
    url = (environ.get(CALLBACK_URL_VARIABLE) or "").strip() or str((credentials or {}).get("url") or "").strip()
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise RasaException(f"{CALLBACK_URL_VARIABLE} must be an http:// or https:// URL.")
    return url


class CallbackOutput(RasaCallbackOutput):
    """Posts each reply to the bridge, addressed to the sender the bridge knows."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Post ``message`` with ``recipient_id`` without the ``callback:`` prefix."""
        await super().send_response(local_id(CALLBACK, recipient_id), message)


class CallbackInput(RasaCallbackInput):
    """The callback channel, disabled until ``ASSISTANT_CALLBACK_URL`` is set."""

    @classmethod
    def name(cls) -> Text:
        """The channel name: also the URL prefix ``/webhooks/callback``."""
        return "callback"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Create the channel from the environment (and the optional ``url`` credential)."""
        url = callback_url_from(credentials, dict(os.environ))
        token = (os.environ.get(TOKEN_ENV) or "").strip() or None
        limits = MessageLimits.from_environment()
        if url is None:
            logger.info("Callback channel disabled: %s is not set.", CALLBACK_URL_VARIABLE)
            return cls(None, token=token, limits=limits)
        if token is None:
            logger.info("Callback channel without a token: %s is not set; every caller is trusted.", TOKEN_ENV)
        # Other EndpointConfig keys (headers, token) may still come from the file.
        return cls(EndpointConfig.from_dict({**(credentials or {}), "url": url}), token=token, limits=limits)

    def __init__(
        self,
        endpoint: Optional[EndpointConfig],
        token: Optional[str] = None,
        limits: Optional[MessageLimits] = None,
    ) -> None:
        """Create the channel; ``endpoint`` ``None`` disables it, ``token`` requires a bearer token."""
        super().__init__(endpoint)
        self.token = token
        self.limits = limits or MessageLimits()

    def get_output_channel(self) -> CollectingOutputChannel:
        """The sender that posts replies to the bridge."""
        return CallbackOutput(self.callback_endpoint)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's routes, checking the request body, and answering 503 while disabled."""
        callback_webhook = Blueprint("callback_webhook", __name__)
        freeze_after_start(callback_webhook)

        @callback_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.callback_endpoint else "disabled"})

        @callback_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if self.callback_endpoint is None:
                return response.json(
                    {"error": f"the callback channel is disabled: {CALLBACK_URL_VARIABLE} is not set"},
                    status=503,
                )
            if not bearer_token_matches(request, self.token):
                return json_error("missing or wrong bearer token", 401)
            body = read_json_object(request, self.limits)
            if isinstance(body, HTTPResponse):
                return body
            incoming = read_incoming(body)
            if isinstance(incoming, HTTPResponse):
                return incoming
            sender, raw = incoming
            await self._answer(on_new_message, sender, raw)
            return response.text("success")

        return callback_webhook

    async def _answer(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, raw: str) -> None:
        prepared = prepare_text(raw, self.limits)
        output = self.get_output_channel()
        conversation = conversation_id(CALLBACK, sender)
        with log_privacy.withheld([raw, prepared.text]):
            try:
                async with LONG_MESSAGES.admit(len(prepared.text)):
                    await on_new_message(
                        UserMessage(
                            prepared.text,
                            output,
                            conversation,
                            input_channel=self.name(),
                            metadata=prepared.metadata(),
                        )
                    )
            except Exception:
                logger.exception("The assistant failed to handle a callback message.")
            else:
                if output.messages:
                    return
            try:
                await output.send_response(conversation, {"text": turn_failed_text()})
            except Exception:
                logger.exception("Could not post the apology for a failed turn to the callback URL.")


def read_incoming(body: Mapping[str, Any]) -> Union[Tuple[str, str], HTTPResponse]:
    """Return ``(sender, message)`` from a request body, or the 400 response that refuses it.

    The sender must be a usable id (a number is read as its decimal string); the
    message a string (an empty one is answered with a request to rephrase).
    """
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    sender = valid_client_id(sender)
    if sender is None:
        return json_error(f"sender {CLIENT_ID_RULE}", 400)
    message = body.get("message")
    if not isinstance(message, str):
        return json_error("message must be a string", 400)
    return sender, message
