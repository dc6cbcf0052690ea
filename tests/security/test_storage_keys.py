"""A Rasa server refuses to start on keys that do not open its data, and key rotation keeps working.

End to end: the real ``rasa run`` (through ``rasa_project.rasa_cli``, as every script,
test and image starts it) with the trained model, restarted on the same database
with other keys.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from rasa_project.storage import key_check
from tests import live_servers
from tests.storage import sample_conversation as sample

pytestmark = pytest.mark.e2e

EMERGENCY_MESSAGE = "I wet myself without noticing this morning and my back hurts"
#: How long a refusing server may take (imports, no model load).
REFUSAL_TIMEOUT_S = 180


class Assistant:
    """Starts the Rasa server on one database, with the keys of each start."""

    def __init__(self, model: Path, url: str, directory: Path) -> None:
        self.model, self.url, self.directory = model, url, directory
        self.endpoints = live_servers.write_endpoints(directory, action_port=None)
        self.started: List[live_servers.ServerProcess] = []

    def env(self, keys: Optional[str]) -> Dict[str, str]:
        env = {"ASSISTANT_DATABASE_URL": self.url, "ASSISTANT_HEALTH_DIR": str(self.directory / "health")}
        env["ASSISTANT_ENCRYPTION_KEYS"] = keys or ""
        return env

    def start(self, keys: Optional[str]) -> live_servers.ServerProcess:
        server = live_servers.start_rasa_server(
            self.directory, endpoints=self.endpoints, model=self.model, database_url=self.url, env=self.env(keys)
        )
        self.started.append(server)
        return server

    def refused_start(self, keys: Optional[str]) -> subprocess.CompletedProcess:
        """Start the server as :meth:`start` does and wait for it to exit."""
        args = [
            sys.executable,
            "-m",
            "rasa_project.rasa_cli",
            "run",
            "--model",
            str(self.model),
            "--endpoints",
            str(self.endpoints),
            "--port",
            str(live_servers.free_port()),
            "--interface",
            "127.0.0.1",
            "--enable-api",
            "--auth-token",
            "test-token",
        ]
        return subprocess.run(
            args,
            cwd=live_servers.REPO_ROOT,
            env={**os.environ, **self.env(keys)},
            capture_output=True,
            text=True,
            timeout=REFUSAL_TIMEOUT_S,
        )

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture
def assistant(model: Path, backend_url: str, tmp_path: Path) -> Iterator[Assistant]:
    started = Assistant(model, backend_url, tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def _contents(url: str) -> Dict[str, List[Any]]:
    """Every row of every table, to see that nothing at all was written."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: [tuple(row) for row in connection.execute(sa.text(f'SELECT * FROM "{table}" ORDER BY 1'))]
                for table in sa.inspect(connection).get_table_names()
            }
    finally:
        engine.dispose()


def _assert_refused(result: subprocess.CompletedProcess, reason: str) -> None:
    assert result.returncode == 78, result.stderr[-3000:]
    refusals = [line for line in result.stderr.splitlines() if "Refusing to start" in line]
    assert refusals == [f"Refusing to start: {reason}."]
    assert result.stderr.rstrip().splitlines()[-1] == refusals[0]
    assert "Traceback" not in result.stderr
    # Refused before Rasa loaded the model or opened a port.
    assert "Rasa server is up and running" not in result.stdout + result.stderr


def test_restart_with_a_wrong_or_missing_key_is_refused_and_writes_nothing(assistant: Assistant) -> None:
    key = Fernet.generate_key().decode()
    sender = f"keys-{uuid.uuid4().hex[:8]}"
    server = assistant.start(key)
    assert (
        "emergency" in live_servers.reply_texts(live_servers.send_rest(server.url, sender, EMERGENCY_MESSAGE)).lower()
    )
    server.stop()
    before = _contents(assistant.url)
    assert before["events"] and before["escalations"] and before["assistant_key_checks"]

    wrong_key = assistant.refused_start(Fernet.generate_key().decode())
    key_removed = assistant.refused_start(None)

    _assert_refused(wrong_key, key_check.WRONG_KEY_REASON)
    _assert_refused(key_removed, key_check.NO_KEY_REASON)
    assert _contents(assistant.url) == before

    # The right key still starts, and the conversation is where it was.
    server = assistant.start(key)
    assert live_servers.tracker_slots(server.url, sender)["triage_level"] == "emergency"


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)
def test_key_rotation_keeps_the_conversation_and_retires_the_old_key(assistant: Assistant) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sender = f"rotate-{uuid.uuid4().hex[:8]}"
    server = assistant.start(old)
    live_servers.send_rest(server.url, sender, EMERGENCY_MESSAGE)
    server.stop()

    # The new key first, the old one after it: old data opens, new data uses the new key.
    server = assistant.start(f"{new},{old}")
    assert live_servers.tracker_slots(server.url, sender)["triage_level"] == "emergency"
    assert live_servers.send_rest(server.url, sender, "thanks, what else should I know?")
    server.stop()
    rotated = subprocess.run(
        [sys.executable, "-m", "rasa_project", "rotate-keys"],
        cwd=live_servers.REPO_ROOT,
        env={**os.environ, **assistant.env(f"{new},{old}")},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert rotated.returncode == 0, rotated.stderr

    server = assistant.start(new)
    slots = live_servers.tracker_slots(server.url, sender)
    assert slots["triage_level"] == "emergency"
    assert "bladder_bowel_dysfunction" in slots["red_flags"]
    server.stop()
    _assert_refused(assistant.refused_start(old), key_check.WRONG_KEY_REASON)
    raw = sample.raw_database_text(assistant.url)
    assert sender in raw and "wet myself" not in raw
