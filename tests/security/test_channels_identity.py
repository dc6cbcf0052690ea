"""Conversation ids and web chat session tokens, without a server."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import List

import pytest

from rasa_project.channels.conversation_ids import (
    CALLBACK,
    REST,
    TELEGRAM,
    WEBCHAT,
    conversation_id,
    local_id,
    valid_client_id,
)
from rasa_project.channels.webchat_sessions import (
    SECRET_ENV,
    SECRET_FILE_ENV,
    SessionSecretError,
    WebChatSessions,
    load_sessions,
)


def test_every_channel_has_its_own_namespace() -> None:
    ids = {conversation_id(namespace, "42") for namespace in (WEBCHAT, REST, TELEGRAM, CALLBACK)}
    assert ids == {"webchat:42", "rest:42", "telegram:42", "callback:42"}
    # Naming another channel's conversation id only nests it in one's own namespace.
    assert conversation_id(REST, "telegram:42") == "rest:telegram:42"
    with pytest.raises(ValueError):
        conversation_id("shell", "42")


def test_local_id_removes_only_the_own_prefix() -> None:
    assert local_id(CALLBACK, "callback:user-1") == "user-1"
    assert local_id(CALLBACK, "callback:rest:user-1") == "rest:user-1"
    assert local_id(TELEGRAM, "rest:42") == "rest:42"
    assert local_id(TELEGRAM, "42") == "42"


@pytest.mark.parametrize(
    "value", ["a", "user-1", "whatsapp:+447700900123", "u.s_e~r=1@x", "x" * 128, "telegram:42", "default"]
)
def test_usable_client_ids(value: str) -> None:
    assert valid_client_id(value) == value


@pytest.mark.parametrize(
    "value",
    [None, "", " ", "x" * 129, "a b", "a/b", "../a", "a\n", "a\x00", "<b>", "ålice", "a%2F", 42, ["a"], {"a": 1}, True],
)
def test_unusable_client_ids(value: object) -> None:
    assert valid_client_id(value) is None


SESSIONS = WebChatSessions(b"k" * 32)


def test_an_issued_token_verifies_to_its_session_id() -> None:
    token = SESSIONS.issue()
    session_id, _, signature = token.partition(".")
    assert SESSIONS.verify(token) == session_id
    assert len(session_id) == 22 and len(signature) == 32
    assert SESSIONS.issue() != token


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token.partition(".")[0],
        lambda token: token + "A",
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(".", ":"),
        lambda token: "." + token.partition(".")[2],
        lambda token: WebChatSessions(b"o" * 32).issue(),
        lambda token: token.partition(".")[0] + "." + WebChatSessions(b"o" * 32).issue().partition(".")[2],
        lambda token: "webchat:" + token,
        lambda token: token + "\n",
        lambda token: token.upper(),
        lambda token: token + "é",
        lambda token: "x" * 1000,
        lambda token: None,
        lambda token: 12345,
    ],
)
def test_anything_but_an_issued_token_is_refused(forge) -> None:
    assert SESSIONS.verify(forge(SESSIONS.issue())) is None


def test_the_secret_comes_from_the_environment(tmp_path: Path) -> None:
    secret = "s" * 40
    token = WebChatSessions(secret.encode()).issue()
    assert load_sessions({SECRET_ENV: secret}).verify(token)
    assert not (tmp_path / "unused").exists()
    with pytest.raises(SessionSecretError):
        load_sessions({SECRET_ENV: "too-short"})


def test_without_a_configured_secret_one_is_kept_in_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "var" / "session-secret"
    environ = {SECRET_FILE_ENV: str(path)}
    token = load_sessions(environ).issue()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # A restart reads the same secret: the session survives.
    assert load_sessions(environ).verify(token)
    assert sorted(os.listdir(path.parent)) == ["session-secret"]


def test_a_readable_secret_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "session-secret"
    path.write_text("z" * 64)
    path.chmod(0o644)
    load_sessions({SECRET_FILE_ENV: str(path)})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_short_secret_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "session-secret"
    path.write_text("short")
    with pytest.raises(SessionSecretError):
        load_sessions({SECRET_FILE_ENV: str(path)})


def test_processes_starting_together_agree_on_one_secret(tmp_path: Path) -> None:
    path = tmp_path / "session-secret"
    issuers: List[WebChatSessions] = []

    def load() -> None:
        issuers.append(load_sessions({SECRET_FILE_ENV: str(path)}))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({issuer.secret for issuer in issuers}) == 1
