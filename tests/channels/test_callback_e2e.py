"""The callback channel end to end, on the project's own ``credentials.yml``.

The Rasa server runs with the shipped credentials file and only
``ASSISTANT_CALLBACK_URL`` set (pointing at a loopback receiver standing in for a
platform's bridge), which also shows the file starts on a machine where Telegram is
not configured.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests

from rasa_project.clinical.contract import TRIAGE_LEVEL
from tests.channels.callback_receiver import CallbackReceiver
from tests.live_servers import REPO_ROOT, ServerProcess, start_rasa_server, write_endpoints

pytestmark = pytest.mark.e2e

#: Unset every Telegram setting a developer's shell might export.
NO_TELEGRAM = dict.fromkeys(
    ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_VERIFY", "TELEGRAM_API_URL"),
    "",
)


@pytest.fixture(scope="module")
def receiver() -> Iterator[CallbackReceiver]:
    """The bridge the assistant posts its replies to."""
    bridge = CallbackReceiver().start()
    yield bridge
    bridge.stop()


@pytest.fixture(scope="module")
def assistant(channels_dir: Path, action_server: ServerProcess, receiver: CallbackReceiver) -> Iterator[ServerProcess]:
    """``rasa run`` with the project's ``credentials.yml`` and only the callback URL set."""
    directory = channels_dir / "callback"
    server = start_rasa_server(
        directory,
        endpoints=write_endpoints(directory, action_port=action_server.port),
        credentials=REPO_ROOT / "credentials.yml",
        env={**NO_TELEGRAM, "ASSISTANT_CALLBACK_URL": receiver.url, "ASSISTANT_EMERGENCY_NUMBER": "112"},
    )
    yield server
    server.stop()


def send(server: ServerProcess, sender: str, message: str) -> requests.Response:
    """POST a message to the callback webhook as a bridge does."""
    return requests.post(
        f"{server.url}/webhooks/callback/webhook", json={"sender": sender, "message": message}, timeout=60
    )


def turn(server: ServerProcess, receiver: CallbackReceiver, sender: str, message: str) -> List[Dict[str, Any]]:
    """Send a message and return what the bridge received for it.

    Rasa posts each reply before the webhook answers, so the turn is complete then.
    """
    before = len(receiver.posts_for(sender))
    response = send(server, sender, message)
    assert response.status_code == 200 and response.text == "success"
    return receiver.posts_for(sender)[before:]


def test_replies_are_posted_to_the_bridge_with_buttons(assistant: ServerProcess, receiver: CallbackReceiver) -> None:
    sender = f"bridge-{uuid.uuid4().hex[:8]}"
    posts = turn(assistant, receiver, sender, "hello")
    assert posts and all(post["recipient_id"] == sender for post in posts)
    assert any(post.get("text") for post in posts)
    # A typed greeting leads straight into the check: its first question's choices.
    buttons = [button["payload"] for post in posts for button in post.get("buttons") or []]
    assert '/inform{"pain_duration": "acute"}' in buttons


def test_emergency_is_posted_first_with_its_payload(assistant: ServerProcess, receiver: CallbackReceiver) -> None:
    sender = f"bridge-{uuid.uuid4().hex[:8]}"
    turn(assistant, receiver, sender, "hi, my back hurts")
    posts = turn(assistant, receiver, sender, "I have no feeling between my legs and can't pee")
    assert "emergency" in posts[0]["text"].lower() and "112" in posts[0]["text"]
    payloads = [post["custom"] for post in posts if isinstance(post.get("custom"), dict)]
    assert any(payload.get(TRIAGE_LEVEL) == "emergency" and payload.get("red_flags") for payload in payloads)
    assert any(payload.get("emergency_number") == "112" for payload in payloads)


@pytest.mark.parametrize(
    "body",
    [b"{", b"[]", b'{"sender": "x"}', b'{"sender": "", "message": "hi"}'],
    ids=["broken", "array", "no-message", "empty-sender"],
)
def test_malformed_request_is_answered_400_and_nothing_is_posted(
    assistant: ServerProcess, receiver: CallbackReceiver, body: bytes
) -> None:
    before = len(receiver.posts)
    response = requests.post(
        f"{assistant.url}/webhooks/callback/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    assert receiver.posts[before:] == []


def test_telegram_is_disabled_not_broken_when_unconfigured(assistant: ServerProcess) -> None:
    health = requests.get(f"{assistant.url}/webhooks/telegram/", timeout=30)
    assert health.json() == {"status": "disabled"}
    update = {
        "update_id": 1,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "hi"},
    }
    response = requests.post(f"{assistant.url}/webhooks/telegram/webhook", json=update, timeout=30)
    assert response.status_code == 503
    assert "TELEGRAM_ACCESS_TOKEN" in response.json()["error"]
