"""The socket.io channel the web chat widget talks to.

It is Rasa's own ``socketio`` channel (same events, same ``session_request`` /
``session_confirm`` handshake, same JWT option) with the differences the widget and
the people using it depend on:

- The server issues every session. ``session_confirm`` carries a signed token
  (:mod:`rasa_project.channels.webchat_sessions`); a ``session_request`` with a
  token this server signed resumes that session, anything else (no id, a forged or
  unsigned id, another channel's id) gets a new one. A socket is bound to the
  session it was confirmed in and its messages always go there, whatever
  ``session_id`` they carry; only sockets holding the token join the session's
  room, so nobody else receives its replies. The conversation id is
  ``webchat:<session>``.
- Only configured origins may connect. The allowed origins come from
  ``ASSISTANT_CORS_ORIGINS`` (comma-separated, e.g.
  ``https://clinic.example,https://www.clinic.example``), else from the
  ``cors_allowed_origins`` credential. With origins configured (production), a
  client whose ``Origin`` is not one of them, or that sends no ``Origin`` at all
  (any non-browser script), is refused. Unconfigured (development), any ``http``
  origin on this machine's loopback address may connect, and so may clients
  without an ``Origin``. Engine.IO checks the ``Origin`` header of polling and
  WebSocket requests alike, which ``rasa run --cors`` cannot do for WebSockets.
- Custom payloads arrive intact. Rasa's channel passes a response's ``custom`` dict
  to ``AsyncServer.emit`` as keyword arguments, so the emergency payload
  (``{"triage_level": "emergency", ...}``) raises a ``TypeError`` and is lost,
  together with every later message of that turn. Here a response with text and a
  payload is one ``bot_uttered`` event ``{"text": ..., "custom": {...}}`` (the
  widget marks the result's headline with it), and a payload alone is
  ``{"custom": {...}}``.
- A response is sent as one message. Rasa's channel cuts text at blank lines into
  separate events; the widget renders paragraphs and ``- `` lists itself, so one
  answer stays one readable bubble. Buttons arrive as ``buttons: [{title, payload}]``.
- Every message is read: its text is normalised and length-limited like every
  channel's (:mod:`rasa_project.channels.message_limits`: an over-long message gets
  a request for a shorter one, and an emergency written anywhere in it is still
  answered first), and a socket.io packet larger than ``ASSISTANT_MAX_REQUEST_BYTES``
  closes the connection. A malformed event is answered with an ``invalid_request``
  event ``{"error": "...", "status": 400}`` instead of being dropped or crashing
  the handler, and a turn that fails or ends without a reply is answered with an
  apology naming the emergency signs.

Configured in ``credentials.yml`` under the key
``rasa_project.channels.webchat.WebChatInput`` instead of ``socketio``.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Text, Union
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncServer

from rasa_project import log_privacy
from rasa_project.channels.conversation_ids import WEBCHAT, conversation_id
from rasa_project.channels.long_messages import LONG_MESSAGES
from rasa_project.channels.message_limits import MessageLimits, prepare_text
from rasa_project.channels.turn_failure import turn_failed_text
from rasa_project.channels.webchat_sessions import WebChatSessions, load_sessions
from rasa_project.process_memory import freeze_after_start

logger = logging.getLogger(__name__)

CORS_ORIGINS_ENV = "ASSISTANT_CORS_ORIGINS"
#: The event that answers a malformed event: ``{"error": "...", "status": 400}``.
INVALID_REQUEST_EVENT = "invalid_request"
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: Where a socket's session id is kept in its socket.io session.
_SESSION_KEY = "webchat_session"

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


def origin_may_connect(policy: OriginPolicy, origin: Optional[str]) -> bool:
    """Whether a socket.io client with ``origin`` (``None``: no header) may connect.

    With configured origins the header must be one of them; in development (the
    loopback policy) a client without the header, which is not a browser, may connect.
    """
    if isinstance(policy, list):
        return origin is not None and origin in policy
    return origin is None or policy(origin)


def quick_replies_to_buttons(buttons: Sequence[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """Return ``[{title, payload}]`` for the widget from Rasa buttons or quick replies."""
    return [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in buttons
        if isinstance(button, dict)
    ]


def user_message_text(data: Any) -> Optional[str]:
    """Return the text of a ``user_uttered`` event, or ``None`` if it has none.

    Anything the browser sends is untrusted: a non-dict event or a message that is
    not a string is ``None``, never a crash. A string is always a message, also an
    empty one (the assistant asks the person to rephrase it).
    """
    if not isinstance(data, dict):
        return None
    message = data.get("message")
    return message if isinstance(message, str) else None


def message_metadata(data: Dict[Text, Any], key: Text) -> Dict[Text, Any]:
    """Return the metadata dict of a ``user_uttered`` event; bad metadata becomes ``{}``."""
    metadata = data.get(key, {})
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except (ValueError, RecursionError):
            return {}
    return metadata if isinstance(metadata, dict) else {}


def widget_message(message: Mapping[Text, Any]) -> Optional[Dict[Text, Any]]:
    """Return the one ``bot_uttered`` event for a response with text and a custom payload.

    ``{"text": ..., "custom": {...}}`` (with ``buttons`` if it has any); ``None``
    for any other response, which is sent as Rasa sends it.
    """
    text, custom = message.get("text"), message.get("custom")
    if not (isinstance(text, str) and text.strip() and isinstance(custom, dict) and custom):
        return None
    event: Dict[Text, Any] = {"text": text.strip(), "custom": custom}
    buttons = message.get("buttons") or message.get("quick_replies")
    if isinstance(buttons, list) and buttons:
        event["buttons"] = quick_replies_to_buttons(buttons)
    return event


class WebChatOutput(SocketIOOutput):
    """Sends each response as one ``bot_uttered`` event, custom payloads intact."""

    def __init__(self, sio: AsyncServer, bot_message_evt: Text) -> None:
        """Create the sender; :attr:`responses` counts the responses it sent."""
        super().__init__(sio, bot_message_evt)
        self.responses = 0

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send a response with text and a payload as one event, others as Rasa does."""
        self.responses += 1
        combined = widget_message(message)
        if combined is None:
            await super().send_response(recipient_id, message)
            return
        await self._send_message(recipient_id, combined)
        if message.get("image"):
            await self.send_image_url(recipient_id, message["image"])

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
    """Rasa's socket.io input channel with server-issued sessions and an origin check."""

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's channel name, so ``channel: socketio`` responses still apply."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Create the channel from its ``credentials.yml`` section and the environment."""
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, WebChatInput)
        channel.origin_policy = allowed_origins(credentials.get("cors_allowed_origins"))
        channel.sessions = load_sessions()
        channel.limits = MessageLimits.from_environment()
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Create the channel; arguments are those of :class:`SocketIOInput`."""
        super().__init__(*args, **kwargs)
        self.origin_policy: OriginPolicy = allowed_origins()
        self.sessions: Optional[WebChatSessions] = None
        self.limits = MessageLimits()

    def get_output_channel(self) -> Optional[OutputChannel]:
        """Return the output channel for messages the server sends on its own."""
        if self.sio is None:
            return super().get_output_channel()
        return WebChatOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Build Rasa's socket.io blueprint, then replace its event handlers."""
        socketio_blueprint = super().blueprint(on_new_message)
        freeze_after_start(socketio_blueprint)
        sio = self.sio
        assert sio is not None
        if self.sessions is None:
            self.sessions = load_sessions()
        # Rasa creates the server with CORS handling switched off; switching it on
        # makes Engine.IO reject other origins, for WebSockets as well.
        sio.eio.cors_allowed_origins = self.origin_policy
        sio.eio.max_http_buffer_size = self.limits.max_request_bytes
        handlers = _WebChatHandlers(self, sio, on_new_message)
        # Registering the same events again replaces Rasa's handlers, which accept
        # any client-chosen id as a tracker's sender id and crash on malformed events.
        sio.on("connect", handler=handlers.connect, namespace=self.namespace)
        sio.on("session_request", handler=handlers.session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=handlers.user_message, namespace=self.namespace)
        return socketio_blueprint


class _WebChatHandlers:
    """The socket.io event handlers of one :class:`WebChatInput`."""

    def __init__(
        self,
        channel: WebChatInput,
        sio: AsyncServer,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        assert channel.sessions is not None
        self.channel = channel
        self.sessions = channel.sessions
        self.sio = sio
        self.namespace = channel.namespace
        self.on_new_message = on_new_message

    async def connect(self, sid: Text, environ: Dict[str, Any], auth: Optional[Dict[str, Any]] = None) -> bool:
        origin = environ.get("HTTP_ORIGIN") or None
        if not origin_may_connect(self.channel.origin_policy, origin):
            logger.warning("Refused a socket.io connection from a client without an allowed Origin.")
            return False
        if self.channel.jwt_key:
            token = auth.get("token") if isinstance(auth, dict) else None
            if not isinstance(token, str) or not decode_bearer_token(
                token, self.channel.jwt_key, self.channel.jwt_algorithm or "HS256"
            ):
                return False
        return True

    async def session_request(self, sid: Text, data: Any = None) -> None:
        if data is not None and not isinstance(data, dict):
            await self._refuse(sid, 'session_request takes {} or {"session_id": "<token>"}')
            return
        await self._confirm(sid, (data or {}).get("session_id"))

    async def user_message(self, sid: Text, data: Any = None) -> None:
        raw = user_message_text(data)
        if raw is None:
            await self._refuse(sid, 'user_uttered takes {"message": "<text>"}: the message must be a string')
            return
        assert isinstance(data, dict)
        session = await self._bound_session(sid)
        if session is None:
            # A client that skipped the handshake is given a session now, so its
            # message is answered rather than dropped.
            session = await self._confirm(sid, data.get("session_id"))
        prepared = prepare_text(raw, self.channel.limits)
        output = WebChatOutput(self.sio, self.channel.bot_message_evt)
        metadata = message_metadata(data, self.channel.metadata_key or "metadata")
        with log_privacy.withheld([raw, prepared.text]):
            try:
                async with LONG_MESSAGES.admit(len(prepared.text)):
                    await self.on_new_message(
                        UserMessage(
                            prepared.text,
                            output,
                            session,
                            input_channel=self.channel.name(),
                            metadata=prepared.metadata(metadata),
                        )
                    )
            except Exception:
                logger.exception("The assistant failed to handle a web chat message.")
                await output.send_text_message(session, turn_failed_text())
            else:
                if not output.responses:
                    await output.send_text_message(session, turn_failed_text())

    async def _confirm(self, sid: Text, requested: Any) -> str:
        """Bind ``sid`` to the session ``requested`` names if this server signed it, else to a new one."""
        token = requested if self.sessions.verify(requested) is not None else self.sessions.issue()
        if not self.channel.session_persistence:
            # One conversation per connection, as in Rasa's channel.
            session = conversation_id(WEBCHAT, sid)
        else:
            session = conversation_id(WEBCHAT, str(self.sessions.verify(token)))
        previous = await self._bound_session(sid)
        if previous is not None and previous != session:
            await self.sio.leave_room(sid, previous, namespace=self.namespace)
        await self.sio.save_session(sid, {_SESSION_KEY: session}, namespace=self.namespace)
        await self.sio.enter_room(sid, session, namespace=self.namespace)
        await self.sio.emit("session_confirm", token, room=sid, namespace=self.namespace)
        return session

    async def _bound_session(self, sid: Text) -> Optional[str]:
        try:
            stored = await self.sio.get_session(sid, namespace=self.namespace)
        except KeyError:
            return None
        session = stored.get(_SESSION_KEY) if isinstance(stored, dict) else None
        return session if isinstance(session, str) else None

    async def _refuse(self, sid: Text, error: str) -> None:
        await self.sio.emit(INVALID_REQUEST_EVENT, {"error": error, "status": 400}, room=sid, namespace=self.namespace)
