"""The REST channel: ``POST /webhooks/rest/webhook`` with ``{"sender": ..., "message": ...}``.

Same request and reply as Rasa's ``rest`` channel (the reply is the list of the
assistant's messages, each with ``recipient_id``, ``text``, ``buttons``, ``custom``),
with what Rasa's channel lacks for a service that faces patients' messaging bridges:

- The conversation is ``rest:<sender>``: a REST sender can never name a web chat,
  Telegram or callback conversation (:mod:`rasa_project.channels.conversation_ids`).
  Replies still carry the sender as the client sent it.
- A request without a usable ``sender`` (missing, empty, not a string, longer than
  128 characters, characters outside ``A-Z a-z 0-9 . _ ~ : @ + = -``) is refused
  with 400: Rasa's channel put every such request into one shared conversation
  called ``default``, where one person read another's red flags.
- Every bad request is a 4xx with a short JSON error, never a 500: a body over
  ``ASSISTANT_MAX_REQUEST_BYTES`` (413), not ``application/json`` (415), empty,
  invalid JSON, an array, a message that is not a string, metadata that is not an
  object (400). A message that is a string is always answered, also when it is
  empty or holds nothing readable (the assistant asks the person to rephrase).
- The text is normalised and length-limited like every channel's
  (:mod:`rasa_project.channels.message_limits`); an over-long message is answered
  with a request for a shorter one, after any emergency reply.
- Optional shared secret: with ``ASSISTANT_REST_TOKEN`` set, a request without
  ``Authorization: Bearer <token>`` is refused with 401. Without it the channel
  trusts every caller to speak for the sender it names: expose it only to a trusted
  bridge, never to browsers.
- The client cannot choose the ``input_channel`` (Rasa's channel let it claim to be
  another channel), and the streaming variant (``?stream=true``) is not offered.
- A turn that fails, or ends without a reply, still gets an answer: what the
  assistant said before the failure, then an apology that names the emergency signs
  (:mod:`rasa_project.channels.turn_failure`).

Registered in ``credentials.yml`` as ``rasa_project.channels.rest.RestInput``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple, Union

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_project import log_privacy
from rasa_project.channels.conversation_ids import CLIENT_ID_RULE, REST, conversation_id, valid_client_id
from rasa_project.channels.http_requests import bearer_token_matches, json_error, read_json_object
from rasa_project.channels.long_messages import LONG_MESSAGES
from rasa_project.channels.message_limits import MessageLimits, PreparedText, prepare_text
from rasa_project.channels.turn_failure import turn_failed_text
from rasa_project.process_memory import freeze_after_start

logger = logging.getLogger(__name__)

TOKEN_ENV = "ASSISTANT_REST_TOKEN"


class RestInput(InputChannel):
    """The REST channel (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        """``rest``: also the URL prefix ``/webhooks/rest``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Create the channel from the environment (the credentials section is unused)."""
        token = (os.environ.get(TOKEN_ENV) or "").strip() or None
        if token is None:
            logger.info("REST channel without a token: %s is not set; every caller is trusted.", TOKEN_ENV)
        return cls(token=token, limits=MessageLimits.from_environment())

    def __init__(self, token: Optional[str] = None, limits: Optional[MessageLimits] = None) -> None:
        """Create the channel; ``token`` ``None`` accepts requests without a bearer token."""
        self.token = token
        self.limits = limits or MessageLimits()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: ``GET /`` health and ``POST /webhook`` messages."""
        rest_webhook = Blueprint("rest_webhook", __name__)
        freeze_after_start(rest_webhook)

        @rest_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not bearer_token_matches(request, self.token):
                return json_error("missing or wrong bearer token", 401)
            body = read_json_object(request, self.limits)
            if isinstance(body, HTTPResponse):
                return body
            incoming = read_message(body, self.limits)
            if isinstance(incoming, HTTPResponse):
                return incoming
            sender, prepared, metadata = incoming
            replies = await self._answer(on_new_message, sender, prepared, metadata, raw=body["message"])
            return response.json(replies)

        return rest_webhook

    async def _answer(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        prepared: PreparedText,
        metadata: Dict[str, Any],
        raw: str,
    ) -> List[Dict[str, Any]]:
        collector = CollectingOutputChannel()
        failed = False
        with log_privacy.withheld([raw, prepared.text]):
            try:
                async with LONG_MESSAGES.admit(len(prepared.text)):
                    await on_new_message(
                        UserMessage(
                            prepared.text,
                            collector,
                            conversation_id(REST, sender),
                            input_channel=self.name(),
                            metadata=prepared.metadata(metadata),
                        )
                    )
            except asyncio.CancelledError:
                logger.warning("A REST message was cancelled before the assistant finished answering it.")
                failed = True
            except Exception:
                logger.exception("The assistant failed to handle a REST message.")
                failed = True
        replies = [{**message, "recipient_id": sender} for message in collector.messages]
        if failed or not replies:
            replies.append({"recipient_id": sender, "text": turn_failed_text()})
        return replies


def read_message(
    body: Mapping[str, Any], limits: MessageLimits
) -> Union[Tuple[str, PreparedText, Dict[str, Any]], HTTPResponse]:
    """Return the sender, the prepared text and the metadata of a request body, or a 400 response."""
    sender = valid_client_id(body.get("sender"))
    if sender is None:
        return json_error(f"sender {CLIENT_ID_RULE}", 400)
    message = body.get("message")
    if not isinstance(message, str):
        return json_error("message must be a string", 400)
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return json_error("metadata must be a JSON object", 400)
    return sender, prepare_text(message, limits), metadata or {}
