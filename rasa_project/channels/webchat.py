"""The socket.io channel the web chat widget talks to.

It is Rasa's own ``socketio`` channel (same events, same ``session_request`` /
``session_confirm`` handshake, same session persistence and JWT options) with three
differences the widget depends on:

- Custom payloads arrive intact. Rasa's channel passes a response's ``custom`` dict
  to ``AsyncServer.emit`` as keyword arguments, so the emergency payload
  (``{"triage_level": "emergency", ...}``) raises a ``TypeError`` and is lost,
  together with every later message of that turn. Here it is sent as its own
  ``bot_uttered`` event ``{"custom": {...}}``.
- A response is sent as one message. Rasa's channel cuts text at blank lines into
  separate events; the widget renders paragraphs and ``- `` lists itself, so one
  answer stays one readable bubble. Buttons arrive as ``buttons: [{title, payload}]``.
- Only configured origins may connect. The allowed origins come from
  ``ASSISTANT_CORS_ORIGINS`` (comma-separated, e.g.
  ``https://clinic.example,https://www.clinic.example``), else from the
  ``cors_allowed_origins`` credential, else any ``http`` origin on this machine's
  loopback address, for development. Engine.IO checks the ``Origin`` header of
  polling and WebSocket requests alike, which ``rasa run --cors`` cannot do for
  WebSockets.

Configured in ``credentials.yml`` under the key
``rasa_project.channels.webchat.WebChatInput`` instead of ``socketio``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text, Union
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)

CORS_ORIGINS_ENV = "ASSISTANT_CORS_ORIGINS"
#: Longest user message passed on to the assistant; longer text is cut, not refused,
#: so a pasted letter still gets an answer (and still goes through red-flag checks).
MAX_MESSAGE_CHARS = 5000
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: Session ids become tracker sender ids: short, URL-safe, nothing else.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

OriginPolicy = Union[List[str], Callable[[Optional[str]], bool]]


def parse_origins(value: Optional[Union[str, Sequence[str]]]) -> List[str]:
    """Return the origins in a comma-separated string (or list), normalised.

    Origins are compared with the browser's ``Origin`` header, which has no path
    and no trailing slash, so both are removed.

    Raises:
        ValueError: if ``"*"`` is given: a clinic's widget must name its sites.
    """
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    origins = [str(item).strip().rstrip("/") for item in items if str(item).strip()]
    if "*" in origins:
        raise ValueError(f"{CORS_ORIGINS_ENV} must list the sites that embed the chat, not '*'.")
    return origins


def is_loopback_origin(origin: Optional[str]) -> bool:
    """Whether ``origin`` is an ``http(s)`` origin on the loopback interface."""
    if not origin:
        return False
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and (parts.hostname or "") in _LOOPBACK_HOSTS


def allowed_origins(credential: Optional[Union[str, Sequence[str]]] = None) -> OriginPolicy:
    """Return the origins allowed to connect: environment, then credential, then loopback."""
    configured = parse_origins(os.environ.get(CORS_ORIGINS_ENV)) or parse_origins(credential)
    if configured:
        return configured
    return is_loopback_origin


def quick_replies_to_buttons(buttons: Sequence[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """Return ``[{title, payload}]`` for the widget from Rasa buttons or quick replies."""
    return [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in buttons
        if isinstance(button, dict)
    ]


def valid_session_id(value: Any) -> Optional[str]:
    """Return ``value`` if it is an acceptable session id, else ``None``."""
    if isinstance(value, str) and _SESSION_ID.match(value):
        return value
    return None


def user_message_text(data: Any) -> Optional[str]:
    """Return the text of a ``user_uttered`` event, or ``None`` if it has none.

    Anything the browser sends is untrusted: a non-dict event or a non-string
    message is ignored rather than crashing the handler.
    """
    if not isinstance(data, dict):
        return None
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        return None
    return message[:MAX_MESSAGE_CHARS]


def message_metadata(data: Dict[Text, Any], key: Text) -> Dict[Text, Any]:
    """Return the metadata dict of a ``user_uttered`` event; bad metadata becomes ``{}``."""
    metadata = data.get(key, {})
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return {}
    return metadata if isinstance(metadata, dict) else {}


class WebChatOutput(SocketIOOutput):
    """Sends each response as one ``bot_uttered`` event, custom payloads intact."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Send ``{"text": ...}`` with the whole answer."""
        await self._send_message(recipient_id, {"text": text.strip()})

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Send ``{"text": ..., "buttons": [{title, payload}]}``."""
        await self._send_message(recipient_id, {"text": text.strip(), "buttons": quick_replies_to_buttons(buttons)})

    async def send_quick_replies(
        self,
        recipient_id: Text,
        text: Text,
        quick_replies: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Send quick replies exactly like buttons."""
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """Send ``{"custom": json_message}`` as its own event."""
        await self._send_message(recipient_id, {"custom": json_message})


class WebChatInput(SocketIOInput):
    """Rasa's socket.io input channel with :class:`WebChatOutput` and an origin check."""

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's channel name, so ``channel: socketio`` responses still apply."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Create the channel from its ``credentials.yml`` section."""
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, WebChatInput)
        channel.origin_policy = allowed_origins(credentials.get("cors_allowed_origins"))
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Create the channel; arguments are those of :class:`SocketIOInput`."""
        super().__init__(*args, **kwargs)
        self.origin_policy: OriginPolicy = allowed_origins()

    def get_output_channel(self) -> Optional[OutputChannel]:
        """Return the output channel for messages the server sends on its own."""
        if self.sio is None:
            return super().get_output_channel()
        return WebChatOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Build Rasa's socket.io blueprint, then replace its message handler."""
        socketio_blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        # Rasa creates the server with CORS handling switched off; switching it on
        # makes Engine.IO reject other origins, for WebSockets as well.
        sio.eio.cors_allowed_origins = self.origin_policy

        async def session_request(sid: Text, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = valid_session_id(requested) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def handle_message(sid: Text, data: Any) -> None:
            text = user_message_text(data)
            if text is None:
                logger.debug("Ignored a socket.io message without text from %s.", sid)
                return
            if self.session_persistence:
                session_id = valid_session_id(data.get("session_id"))
                if session_id is None:
                    logger.warning("Ignored a socket.io message without a valid session_id.")
                    return
                sender_id = session_id
            else:
                sender_id = sid
            await on_new_message(
                UserMessage(
                    text,
                    WebChatOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=message_metadata(data, self.metadata_key or "metadata"),
                )
            )

        # Registering the same events again replaces Rasa's handlers, which crash on
        # a malformed event and accept any string as a tracker's sender id.
        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=handle_message, namespace=self.namespace)
        return socketio_blueprint
