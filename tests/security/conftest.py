"""The security suite's assistant: every channel on, configured as in production.

One Rasa server with the shipped ``credentials.yml`` (REST, callback, Telegram, web
chat) plus Rasa's own REST code under another name (for the log tests), with every
protection configured: allowed origins, a session secret, bearer tokens for REST
and callback, a Telegram secret token (the Bot API is a loopback fake), and its
own action server sharing its database, as in a deployment. Everything an attacker
does goes through real HTTP and socket.io requests against these processes.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional

import pytest
import requests
import yaml

from rasa_project.channels.conversation_ids import CALLBACK, REST, TELEGRAM, conversation_id
from tests.channels.callback_receiver import CallbackReceiver
from tests.channels.fake_telegram import FakeBotApi
from tests.live_servers import (
    REPO_ROOT,
    ServerProcess,
    free_port,
    start_action_server,
    start_rasa_server,
    write_endpoints,
)
from tests.security.webchat_client import WebChatClient

CLINIC_ORIGIN = "https://clinic.test"
SESSION_SECRET = secrets.token_urlsafe(32)
REST_TOKEN = secrets.token_urlsafe(24)
CALLBACK_TOKEN = secrets.token_urlsafe(24)
ACTION_TOKEN = secrets.token_urlsafe(24)
TELEGRAM_TOKEN = "123456:SECURITY-suite_abcdefghijklm"
TELEGRAM_SECRET = "security-suite-secret_1"
EMERGENCY_NUMBER = "112"
RASA_REST_KEY = "tests.security.rasa_rest.RasaRestInput"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: A message the red-flag detector must escalate as an emergency.
EMERGENCY = "since yesterday I can't control my bladder and it's numb between my legs"


@dataclass
class HardenedAssistant:
    """The suite's Rasa server and the services around it."""

    server: ServerProcess
    actions: ServerProcess
    receiver: CallbackReceiver
    telegram: FakeBotApi
    database: Path

    @property
    def url(self) -> str:
        """The Rasa server's base URL."""
        return self.server.url

    def rest(
        self,
        body: Any,
        *,
        token: Optional[str] = REST_TOKEN,
        content_type: Optional[str] = "application/json",
        raw: Optional[bytes] = None,
        timeout: float = 120,
    ) -> requests.Response:
        """POST ``body`` (JSON, or ``raw`` bytes) to the REST webhook."""
        return _post(f"{self.url}/webhooks/rest/webhook", body, token, content_type, raw, timeout)

    def say(self, sender: str, message: str) -> List[Dict[str, Any]]:
        """Send a REST message as ``sender`` and return the replies (asserting 200)."""
        response = self.rest({"sender": sender, "message": message})
        assert response.status_code == 200, response.text
        return response.json()

    def callback(
        self,
        body: Any,
        *,
        token: Optional[str] = CALLBACK_TOKEN,
        content_type: Optional[str] = "application/json",
        raw: Optional[bytes] = None,
    ) -> requests.Response:
        """POST ``body`` to the callback webhook."""
        return _post(f"{self.url}/webhooks/callback/webhook", body, token, content_type, raw, 120)

    def telegram_update(
        self, update: Any, *, secret: Optional[str] = TELEGRAM_SECRET, raw: Optional[bytes] = None
    ) -> requests.Response:
        """POST a Telegram update to the Telegram webhook, as Telegram does."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        kwargs: Dict[str, Any] = {"data": raw} if raw is not None else {"json": update}
        return requests.post(f"{self.url}/webhooks/telegram/webhook", headers=headers, timeout=120, **kwargs)

    def tracker(self, conversation: str) -> Dict[str, Any]:
        """A conversation's tracker, by its full (namespaced) conversation id."""
        response = requests.get(
            f"{self.url}/conversations/{conversation}/tracker", params={"token": "test-token"}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def user_texts(self, conversation: str) -> List[str]:
        """The person's messages in a conversation, in order."""
        return [str(event.get("text")) for event in self.tracker(conversation)["events"] if event["event"] == "user"]

    def stored_rows(self, conversation: str) -> int:
        """How many event rows the database holds for ``conversation``."""
        with sqlite3.connect(self.database) as connection:
            return int(
                connection.execute("SELECT count(*) FROM events WHERE sender_id = ?", (conversation,)).fetchone()[0]
            )

    def corrupt(self, conversation: str) -> None:
        """Store an event row that cannot be read, so the conversation's next turn fails."""
        with sqlite3.connect(self.database, timeout=30) as connection:
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                (conversation, time.time(), "{this is not an event"),
            )

    def webchat(self, origin: Optional[str] = CLINIC_ORIGIN) -> WebChatClient:
        """A connected web chat client (not yet in a session)."""
        return WebChatClient(self.url, origin).connect()

    def telegram_sent_to(self, chat_id: int) -> List[str]:
        """The texts the assistant sent to a Telegram chat so far."""
        return [str(call.params.get("text")) for call in self.telegram.calls_to("sendMessage", chat_id)]


def _post(
    url: str, body: Any, token: Optional[str], content_type: Optional[str], raw: Optional[bytes], timeout: float
) -> requests.Response:
    headers: Dict[str, str] = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if content_type is not None:
        headers["Content-Type"] = content_type
    data = raw if raw is not None else json.dumps(body).encode("utf-8")
    return requests.post(url, data=data, headers=headers, timeout=timeout)


def rest_id(sender: str) -> str:
    """The conversation id of a REST sender."""
    return conversation_id(REST, sender)


def callback_id(sender: str) -> str:
    """The conversation id of a callback sender."""
    return conversation_id(CALLBACK, sender)


def telegram_id(chat: int) -> str:
    """The conversation id of a Telegram chat."""
    return conversation_id(TELEGRAM, str(chat))


def new_id(prefix: str) -> str:
    """A fresh, valid client id."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def write_security_credentials(directory: Path) -> Path:
    """The shipped channels, plus Rasa's own REST code as ``rasa_rest``."""
    shipped: Dict[str, Any] = yaml.safe_load((REPO_ROOT / "credentials.yml").read_text()) or {}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "credentials.yml"
    path.write_text(yaml.safe_dump({**shipped, RASA_REST_KEY: None}, sort_keys=False))
    return path


def hardened_environment(receiver: CallbackReceiver, telegram: FakeBotApi) -> Mapping[str, str]:
    """Every protection configured, as a production deployment would."""
    return {
        "ASSISTANT_CORS_ORIGINS": CLINIC_ORIGIN,
        "ASSISTANT_SESSION_SECRET": SESSION_SECRET,
        "ASSISTANT_REST_TOKEN": REST_TOKEN,
        "ASSISTANT_CALLBACK_TOKEN": CALLBACK_TOKEN,
        "ASSISTANT_CALLBACK_URL": receiver.url,
        "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": telegram.base_url,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_VERIFY": "insole_test_bot",
        "TELEGRAM_WEBHOOK_URL": "",
        "ASSISTANT_EMERGENCY_NUMBER": EMERGENCY_NUMBER,
    }


@pytest.fixture(scope="package")
def hardened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HardenedAssistant]:
    """The suite's assistant (see the module docstring)."""
    directory: Path = tmp_path_factory.mktemp("security")
    database = directory / "assistant.db"
    database_url = f"sqlite:///{database}"
    receiver = CallbackReceiver().start()
    telegram = FakeBotApi(TELEGRAM_TOKEN, "insole_test_bot").start()
    actions = start_action_server(directory, env={"ASSISTANT_DATABASE_URL": database_url}, token=ACTION_TOKEN)
    server: Optional[ServerProcess] = None
    try:
        server = start_rasa_server(
            directory,
            endpoints=write_endpoints(directory, action_port=actions.port, action_token=ACTION_TOKEN),
            credentials=write_security_credentials(directory),
            port=free_port(),
            database_url=database_url,
            env=hardened_environment(receiver, telegram),
        )
        yield HardenedAssistant(server, actions, receiver, telegram, database)
    finally:
        if server is not None:
            server.stop()
        actions.stop()
        telegram.stop()
        receiver.stop()
