"""The action server answers only the Rasa server, which holds the shared secret.

A forged call to ``action_delete_my_data`` used to erase a conversation. The suite's
action server shares the Rasa server's database, as in a deployment, so a forged
erasure would really erase: the test shows it does not without the token, and
(as a control) that the same call with the token would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from typing import Any, Dict, List, Optional

import pytest
import requests

from rasa_project.action_server import (
    MIN_TOKEN_CHARS,
    TOKEN_ENV,
    authorised,
    conversation_texts,
    token_from_environment,
)
from tests.live_servers import REPO_ROOT
from tests.security.conftest import ACTION_TOKEN, EMERGENCY, HardenedAssistant, new_id, rest_id

TOKEN = "a-shared-secret-of-some-length"


@pytest.mark.parametrize(
    "header, allowed",
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),
        (f"Bearer  {TOKEN} ", True),
        (None, False),
        ("", False),
        ("Bearer", False),
        ("Bearer ", False),
        (TOKEN, False),
        (f"Basic {TOKEN}", False),
        (f"Bearer {TOKEN}x", False),
        (f"Bearer {TOKEN[:-1]}", False),
        ("Bearer é", False),
    ],
)
def test_authorised(header: Optional[str], allowed: bool) -> None:
    assert authorised(header, TOKEN) is allowed


@pytest.mark.parametrize("value", [None, "", "   ", "x" * (MIN_TOKEN_CHARS - 1)])
def test_a_missing_or_short_token_is_refused(value: Optional[str]) -> None:
    with pytest.raises(ValueError, match=TOKEN_ENV):
        token_from_environment({} if value is None else {TOKEN_ENV: value})


def test_conversation_texts() -> None:
    call = {
        "tracker": {
            "events": [{"event": "user", "text": "one"}, {"event": "bot", "text": "reply"}, {"event": "user"}, "junk"],
            "latest_message": {"text": "two"},
        }
    }
    assert conversation_texts(call) == ["one", "two"]
    assert conversation_texts({"tracker": "nothing"}) == [] and conversation_texts({}) == []


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "rasa_project.action_server"],
        # The image's entry point: "run actions" must not start rasa_sdk's open server.
        ["-m", "rasa_project.rasa_cli", "run", "actions"],
    ],
)
def test_the_server_refuses_to_start_without_a_token(command: List[str]) -> None:
    result = subprocess.run(
        [sys.executable, *command, "--actions", "actions", "--port", "1"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", TOKEN_ENV: ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert TOKEN_ENV in result.stderr


# --- the running action server ------------------------------------------------------------


def delete_call(conversation: str) -> Dict[str, Any]:
    """The body Rasa sends to run ``action_delete_my_data`` for ``conversation``."""
    return {
        "next_action": "action_delete_my_data",
        "sender_id": conversation,
        "tracker": {
            "sender_id": conversation,
            "slots": {},
            "latest_message": {"intent": {"name": "affirm"}, "text": "yes"},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
        "version": "3.6.2",
    }


def post(hardened: HardenedAssistant, path: str, body: Any, token: Optional[str], **headers: str) -> requests.Response:
    sent = dict(headers)
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(f"{hardened.actions.url}{path}", data=data, headers=sent, timeout=60)


@pytest.mark.e2e
def test_health_answers_without_the_token(hardened: HardenedAssistant) -> None:
    assert requests.get(f"{hardened.actions.url}/health", timeout=30).json() == {"status": "ok"}


@pytest.mark.e2e
@pytest.mark.parametrize("token", [None, "", "wrong", ACTION_TOKEN + "x"])
def test_callers_without_the_token_get_401(hardened: HardenedAssistant, token: Optional[str]) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    listing = requests.get(f"{hardened.actions.url}/actions", headers=headers, timeout=30)
    assert listing.status_code == 401 and listing.json()["error"]
    assert post(hardened, "/webhook", delete_call("rest:nobody"), token).status_code == 401


@pytest.mark.e2e
@pytest.mark.parametrize("token", [None, "wrong-token-of-some-length"])
def test_a_forged_erasure_without_the_token_erases_nothing(hardened: HardenedAssistant, token: Optional[str]) -> None:
    sender = new_id("keep")
    hardened.say(sender, EMERGENCY)
    rows = hardened.stored_rows(rest_id(sender))
    assert rows > 0
    response = post(hardened, "/webhook", delete_call(rest_id(sender)), token)
    assert response.status_code == 401
    assert hardened.stored_rows(rest_id(sender)) == rows
    assert hardened.tracker(rest_id(sender))["slots"]["triage_level"] == "emergency"


@pytest.mark.e2e
def test_the_token_is_what_protects_the_erasure(hardened: HardenedAssistant) -> None:
    sender = new_id("erase")
    hardened.say(sender, EMERGENCY)
    assert hardened.stored_rows(rest_id(sender)) > 0
    response = post(hardened, "/webhook", delete_call(rest_id(sender)), ACTION_TOKEN)
    assert response.status_code == 200, response.text
    assert hardened.stored_rows(rest_id(sender)) == 0


@pytest.mark.e2e
def test_the_rasa_server_calls_the_action_server_with_the_token(hardened: HardenedAssistant) -> None:
    # The assessment's form validation runs on the action server: it answers only with the token.
    sender = new_id("assessment")
    hardened.say(sender, "I'd like to check my back pain")
    hardened.say(sender, "about four months")
    assert hardened.tracker(rest_id(sender))["slots"]["pain_duration"] == "chronic"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "body, headers",
    [
        (b"", {}),
        (b"[]", {}),
        (b"[1, 2]", {}),
        (b"{", {}),
        (b'"action"', {}),
        (b"\xff\xfe", {}),
        (b"not deflate", {"Content-Encoding": "deflate"}),
        (zlib.compress(b"[]"), {"Content-Encoding": "deflate"}),
    ],
    ids=["empty", "empty-array", "array", "broken", "string", "binary", "bad-deflate", "deflated-array"],
)
def test_bad_bodies_with_the_token_are_400(hardened: HardenedAssistant, body: bytes, headers: Dict[str, str]) -> None:
    response = post(hardened, "/webhook", body, ACTION_TOKEN, **headers)
    assert response.status_code == 400 and response.json()["error"]


@pytest.mark.e2e
def test_unknown_actions_and_routes_are_short_json(hardened: HardenedAssistant) -> None:
    unknown = post(hardened, "/webhook", {**delete_call("rest:x"), "next_action": "action_nothing"}, ACTION_TOKEN)
    assert unknown.status_code == 404 and unknown.json()["error"]
    missing = requests.get(
        f"{hardened.actions.url}/nothing", headers={"Authorization": f"Bearer {ACTION_TOKEN}"}, timeout=30
    )
    assert missing.status_code == 404 and "error" in missing.json()
