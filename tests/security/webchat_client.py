"""A socket.io client speaking the web chat widget's protocol, for the security tests."""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, List, Mapping, Optional

import socketio


class WebChatClient:
    """One browser tab: connects, asks for a session, sends and records what arrives."""

    def __init__(self, url: str, origin: Optional[str], transports: Optional[List[str]] = None) -> None:
        self.url = url
        self.origin = origin
        self.transports = transports or ["polling"]
        self.sio = socketio.Client(reconnection=False)
        self.confirmed: List[Any] = []
        self.bot_messages: List[Dict[str, Any]] = []
        self.invalid_requests: List[Dict[str, Any]] = []
        self._confirmed = threading.Event()
        self._lock = threading.Lock()
        self.sio.on("session_confirm", self._on_confirm)
        self.sio.on("bot_uttered", self._on_bot)
        self.sio.on("invalid_request", self._on_invalid)

    def connect(self) -> WebChatClient:
        """Connect; raises ``socketio.exceptions.ConnectionError`` when refused."""
        headers: Mapping[str, str] = {"Origin": self.origin} if self.origin else {}
        self.sio.connect(self.url, headers=dict(headers), transports=self.transports, wait_timeout=20)
        return self

    def request_session(self, data: Any = None) -> Any:
        """Send ``session_request`` with ``data`` and return the session confirmed."""
        self._confirmed.clear()
        self.sio.emit("session_request", data)
        assert self._confirmed.wait(20), "no session_confirm"
        return self.confirmed[-1]

    def say(self, data: Any, replies: int = 1, timeout: float = 60) -> List[Dict[str, Any]]:
        """Send ``user_uttered`` with ``data`` and return the bot messages that arrive for it.

        Waits for at least ``replies`` messages, then a moment for any that follow.
        """
        before = len(self.bot_messages)
        self.sio.emit("user_uttered", data)
        deadline = time.monotonic() + timeout
        while len(self.bot_messages) - before < replies and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        with self._lock:
            return self.bot_messages[before:]

    def disconnect(self) -> None:
        """Close the connection, without waiting for the pending long-poll request to return."""
        if self.sio.connected:
            self.sio.eio.disconnect(abort=True)

    def _on_confirm(self, session: Any) -> None:
        self.confirmed.append(session)
        self._confirmed.set()

    def _on_bot(self, message: Dict[str, Any]) -> None:
        with self._lock:
            self.bot_messages.append(message)

    def _on_invalid(self, error: Dict[str, Any]) -> None:
        self.invalid_requests.append(error)
