"""Rasa's callback channel, with its callback URL read from the environment.

For messaging platforms without a connector of their own: the platform's bridge posts
``{"sender": "...", "message": "..."}`` to ``/webhooks/callback/webhook``, and each of
the assistant's replies is posted, as it is produced, to ``ASSISTANT_CALLBACK_URL`` as
``{"recipient_id": "...", "text": "...", "buttons": [...], "custom": {...}}``.

Why a subclass: Rasa's ``${VAR}`` substitution in ``credentials.yml`` has no default
and fails when the variable is unset, and a fixed URL in the file would post replies
(health information) to an address nobody chose. So the section in the file is empty,
the URL comes from the environment and, while it is unset, the channel is disabled:
the webhook answers 503 and nothing is posted anywhere.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple
from urllib.parse import urlparse

from rasa.core.channels.callback import CallbackInput as RasaCallbackInput
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

CALLBACK_URL_VARIABLE = "ASSISTANT_CALLBACK_URL"


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
        if url is None:
            logger.info("Callback channel disabled: %s is not set.", CALLBACK_URL_VARIABLE)
            return cls(None)
        # Other EndpointConfig keys (headers, token) may still come from the file.
        return cls(EndpointConfig.from_dict({**(credentials or {}), "url": url}))

    def __init__(self, endpoint: Optional[EndpointConfig]) -> None:
        """Create the channel; ``endpoint`` ``None`` disables it."""
        super().__init__(endpoint)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's routes, checking the request body, and answering 503 while disabled."""
        callback_webhook = Blueprint("callback_webhook", __name__)

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
            incoming = parse_incoming(request.body)
            if incoming is None:
                return response.json({"error": 'the body must be {"sender": "<id>", "message": "<text>"}'}, status=400)
            sender, text = incoming
            await on_new_message(UserMessage(text, self.get_output_channel(), sender, input_channel=self.name()))
            return response.text("success")

        return callback_webhook


def parse_incoming(body: bytes) -> Optional[Tuple[str, str]]:
    """Return ``(sender, message)`` from a request body, or ``None`` if it is not one.

    Both must be non-empty strings (a numeric sender id is accepted and stringified).
    """
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(parsed, dict):
        return None
    sender, message = parsed.get("sender"), parsed.get("message")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or not isinstance(message, str) or not message.strip():
        return None
    return sender, message
