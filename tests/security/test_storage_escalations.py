"""Escalations are not lost: not to ``kill -9``, not to a database that goes down.

End to end with the real ``rasa run`` and the trained model, a local webhook
receiver playing the clinic, and the server's own database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from rasa_project.storage.health import read_reports
from rasa_project.storage.models import escalations_as_stored
from tests import live_servers
from tests.storage import sample_conversation as sample
from tests.storage.postgres_server import PostgresServer, start_postgres_or_skip
from tests.storage.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.e2e

EMERGENCY_MESSAGE = "I wet myself without noticing this morning and my back hurts"
#: Words of the emergency message that must never reach a log.
MESSAGE_WORDS = ("wet myself", "without noticing this morning")


def _escalation_rows(url: str) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.select(escalations_as_stored).order_by(escalations_as_stored.c.id)))
    finally:
        engine.dispose()


def _server_env(url: str, directory: Path, webhook_url: str) -> dict:
    return {
        "ASSISTANT_DATABASE_URL": url,
        "ASSISTANT_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ASSISTANT_ESCALATION_WEBHOOK_URL": webhook_url,
        "ASSISTANT_ESCALATION_WEBHOOK_TIMEOUT": "1",
        "ASSISTANT_HEALTH_DIR": str(directory / "health"),
    }


def test_kill_9_between_the_reply_and_the_delivery_loses_nothing_and_sends_once(
    model: Path, backend_url: str, tmp_path: Path
) -> None:
    # Nothing listens on the clinic's port yet: the record cannot be delivered before the kill.
    clinic_port = live_servers.free_port()
    env = _server_env(backend_url, tmp_path, f"http://127.0.0.1:{clinic_port}/escalations")
    endpoints = live_servers.write_endpoints(tmp_path, action_port=None)
    sender = f"killed-{uuid.uuid4().hex[:8]}"
    server = live_servers.start_rasa_server(
        tmp_path, endpoints=endpoints, model=model, database_url=backend_url, env=env
    )
    try:
        replies = live_servers.send_rest(server.url, sender, EMERGENCY_MESSAGE)
        server.kill()  # SIGKILL to the whole process group, right after the emergency reply
    finally:
        server.kill()
    assert "emergency" in live_servers.reply_texts(replies).lower()
    [row] = _escalation_rows(backend_url)
    conversation = live_servers.rest_conversation_id(sender)
    assert (row.conversation_id, row.notified_at) == (conversation, None)

    with WebhookReceiver(port=clinic_port) as receiver:
        restarted = live_servers.start_rasa_server(
            tmp_path, endpoints=endpoints, model=model, database_url=backend_url, env=env
        )
        try:
            # A claim the killed process may have held runs out after a minute at most.
            assert receiver.wait_for(1, timeout=120), restarted.log_tail()
            # Several polls later, still exactly one.
            time.sleep(12)
        finally:
            restarted.stop()

    assert [r["json"]["conversation_id"] for r in receiver.requests] == [conversation]
    payload = receiver.requests[0]["json"]
    assert (payload["level"], payload["channel"], payload["red_flags"]) == (
        "emergency",
        "rest",
        ["bladder_bowel_dysfunction"],
    )
    [row] = _escalation_rows(backend_url)
    assert row.notified_at is not None and row.claimed_by is None


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test alone, which the test takes down."""
    server = start_postgres_or_skip()
    try:
        yield server
    finally:
        if server.data_dir.exists():  # the test may have taken it down already
            server.stop()


def test_with_the_database_down_the_emergency_reply_still_goes_out(
    model: Path, own_postgres: PostgresServer, tmp_path: Path
) -> None:
    url = own_postgres.create_database("assistant")
    endpoints = live_servers.write_endpoints(tmp_path, action_port=None)
    with WebhookReceiver() as receiver:
        env = _server_env(url, tmp_path, receiver.url)
        server = live_servers.start_rasa_server(tmp_path, endpoints=endpoints, model=model, database_url=url, env=env)
        try:
            assert live_servers.send_rest(server.url, "before", "hello")
            own_postgres.stop()  # the database goes away, files and all

            sender = f"down-{uuid.uuid4().hex[:8]}"
            replies = live_servers.send_rest(server.url, sender, EMERGENCY_MESSAGE, timeout=60)

            assert "emergency" in live_servers.reply_texts(replies).lower()
            # The clinic is told directly, although nothing could be recorded.
            assert receiver.wait_for(1, timeout=30)
            assert receiver.requests[0]["json"]["conversation_id"] == live_servers.rest_conversation_id(sender)
            reports = read_reports(tmp_path / "health")
            check = subprocess.run(
                [sys.executable, "-m", "rasa_project", "check"],
                cwd=live_servers.REPO_ROOT,
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            server.stop()

    log = server.log_path.read_text(errors="replace")
    errors = [line for line in log.splitlines() if "ERROR" in line]
    assert any("Could not store a turn of a conversation (OperationalError" in line for line in errors), log[-3000:]
    assert any("is sent directly and recorded later" in line for line in errors)
    for words in MESSAGE_WORDS:
        assert words not in log
    # The operator sees it: the server's report and the check.
    assert any(report.failing and report.last_failure.startswith("save:") for report in reports)
    assert check.returncode == 1
    assert "PROBLEM  database:" in check.stdout
    assert "storage failing since" in check.stdout
    assert sample.USER_TEXT not in check.stdout
