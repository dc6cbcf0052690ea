"""Conversations survive ``kill -9`` of the Rasa server, and "delete my data" sticks.

End to end with the real assistant: the trained model, ``rasa run`` and the action
server on loopback (``tests/live_servers.py``), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import tarfile
import uuid
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

import pytest
import sqlalchemy as sa
import yaml
from cryptography.fernet import Fernet

from tests import live_servers
from tests.storage import sample_conversation as sample

pytestmark = pytest.mark.e2e

EMERGENCY_MESSAGE = "I wet myself without noticing this morning and my back hurts"
DELETE_MESSAGE = "please delete my data"
CONFIRM_MESSAGE = "yes"
ASSESSMENT_START_MESSAGE = "I have lower back pain, can you help?"


@pytest.fixture
def assistant(
    model: Path, backend_url: str, tmp_path: Path
) -> Iterator[Tuple[Callable[[], live_servers.ServerProcess], Dict[str, str]]]:
    """A function that (re)starts the Rasa server on ``backend_url``, and the shared env."""
    env = {"ASSISTANT_DATABASE_URL": backend_url, "ASSISTANT_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    logs = tmp_path / "logs"
    action_server = live_servers.start_action_server(logs, env=env)
    endpoints = live_servers.write_endpoints(logs, action_port=action_server.port)
    started = []

    def start() -> live_servers.ServerProcess:
        server = live_servers.start_rasa_server(
            logs, endpoints=endpoints, model=model, database_url=backend_url, env=env
        )
        started.append(server)
        return server

    try:
        yield start, env
    finally:
        for server in started:
            server.stop()
        action_server.stop()


def _escalation_count(url: str, conversation_id: str) -> int:
    """The conversation's escalation records: written with the turn, so there once the reply is."""
    return sample.rows_of(url, conversation_id).get("escalations", 0)


def test_conversation_survives_kill_9(assistant, backend_url: str) -> None:
    start, _ = assistant
    sender = f"crash-{uuid.uuid4().hex[:8]}"
    server = start()
    replies = live_servers.reply_texts(live_servers.send_rest(server.url, sender, EMERGENCY_MESSAGE))
    assert "emergency" in replies.lower()
    assert _escalation_count(backend_url, live_servers.rest_conversation_id(sender)) == 1

    server.kill()
    assert not server.is_running()
    server = start()

    slots = live_servers.tracker_slots(server.url, sender)
    assert slots["triage_level"] == "emergency"
    assert "bladder_bowel_dysfunction" in slots["red_flags"]
    # The conversation goes on where it was: the emergency is not forgotten.
    assert live_servers.send_rest(server.url, sender, "hello")
    assert live_servers.tracker_slots(server.url, sender)["triage_level"] == "emergency"
    raw = sample.raw_database_text(backend_url)
    assert sender in raw and "wet myself" not in raw and "bladder" not in raw


def _model_actions(model: Path) -> List[str]:
    """The actions declared in the trained model's domain."""
    with tarfile.open(model) as archive:
        for member in archive.getmembers():
            if member.name.endswith("domain_provider/domain.yml"):
                domain = yaml.safe_load(archive.extractfile(member).read())
                return list(domain.get("actions") or [])
    return []


def test_delete_my_data_leaves_no_row(assistant, backend_url: str, model: Path) -> None:
    if "action_delete_my_data" not in _model_actions(model):
        pytest.skip("the trained model's domain does not declare action_delete_my_data")
    start, _ = assistant
    after_emergency = f"delete-{uuid.uuid4().hex[:8]}"
    mid_assessment = f"delete-form-{uuid.uuid4().hex[:8]}"
    other = f"keep-{uuid.uuid4().hex[:8]}"
    server = start()
    live_servers.send_rest(server.url, after_emergency, EMERGENCY_MESSAGE)
    live_servers.send_rest(server.url, other, EMERGENCY_MESSAGE)
    assert _escalation_count(backend_url, live_servers.rest_conversation_id(after_emergency)) == 1
    live_servers.send_rest(server.url, mid_assessment, ASSESSMENT_START_MESSAGE)
    assert live_servers.tracker_slots(server.url, mid_assessment)["requested_slot"]

    for sender in (after_emergency, mid_assessment):
        asked = live_servers.send_rest(server.url, sender, DELETE_MESSAGE)
        assert any(reply.get("buttons") for reply in asked), "the person must confirm first"
        confirmation = live_servers.reply_texts(live_servers.send_rest(server.url, sender, CONFIRM_MESSAGE))

        assert "deleted" in confirmation.lower()
        assert set(sample.rows_of(backend_url, live_servers.rest_conversation_id(sender)).values()) == {0}
        assert live_servers.tracker_slots(server.url, sender)["triage_level"] is None
    assert sample.rows_of(backend_url, live_servers.rest_conversation_id(other))["events"] > 0
    assert sample.rows_of(backend_url, live_servers.rest_conversation_id(other))["escalations"] == 1
    # The erased emergency is still in the clinic's audit trail, without the person.
    assert _deidentified_escalations(backend_url) == 1


def _deidentified_escalations(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text("SELECT COUNT(*) FROM escalations WHERE conversation_id IS NULL AND erased_at IS NOT NULL")
            ).scalar_one()
    finally:
        engine.dispose()
