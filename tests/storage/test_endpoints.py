"""The project's ``endpoints.yml`` loads this package's tracker store and broker."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import create_tracker_store
from rasa.utils.endpoints import read_endpoint_config

from rasa_project.storage.escalations import EscalationBroker
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample

ENDPOINTS = Path(__file__).resolve().parents[2] / "endpoints.yml"


def test_endpoints_yml_wires_store_and_broker(
    database_url: str, encryption_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa expands every ${VAR} of the file, the action server's token too.
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "a-token-for-reading-the-file")
    broker = asyncio.run(EventBroker.create(read_endpoint_config(str(ENDPOINTS), "event_broker")))
    store = create_tracker_store(read_endpoint_config(str(ENDPOINTS), "tracker_store"), sample.domain(), broker)

    assert isinstance(broker, EscalationBroker)
    assert isinstance(store, EncryptedSQLTrackerStore)
    assert store.event_broker is broker
    assert store.database_url == broker.database_url == database_url

    asyncio.run(store.save(sample.conversation("wired")))
    assert broker.wait_until_idle(timeout=30)
    assert sample.rows_of(database_url, "wired") == {"events": 11, "assessments": 0, "escalations": 1}
