"""The project's ``endpoints.yml`` loads this package's tracker store, and nothing else stores escalations."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa.core.tracker_store import create_tracker_store
from rasa.utils.endpoints import read_endpoint_config

from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample

REPO_ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = REPO_ROOT / "endpoints.yml"


def test_endpoints_yml_wires_the_store_that_records_escalations(
    database_url: str, encryption_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa expands every ${VAR} of the file, the action server's token too.
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "a-token-for-reading-the-file")
    store = create_tracker_store(read_endpoint_config(str(ENDPOINTS), "tracker_store"), sample.domain())

    assert isinstance(store, EncryptedSQLTrackerStore)
    assert store.database_url == database_url

    asyncio.run(store.save(sample.conversation("wired")))
    assert sample.rows_of(database_url, "wired") == {"events": 11, "assessments": 0, "escalations": 1}


def test_no_event_broker_is_configured() -> None:
    # The outbox written by the tracker store replaced the in-memory escalation broker.
    for path in (ENDPOINTS, REPO_ROOT / "deploy" / "endpoints.cluster.yml"):
        assert "event_broker" not in yaml.safe_load(path.read_text()), path
