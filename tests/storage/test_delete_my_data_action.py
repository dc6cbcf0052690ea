"""The action server's "delete my data" action."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import UTTER_DATA_DELETE_FAILED, UTTER_DATA_DELETED, ActionDeleteMyData
from rasa_project.storage import records
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample


def _run(sender_id: str) -> tuple[CollectingDispatcher, List[Dict[str, Any]]]:
    tracker = Tracker(sender_id, {}, {"intent": {"name": "affirm"}}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionDeleteMyData().run(dispatcher, tracker, {}))
    return dispatcher, events


def test_action_erases_and_confirms(database_url: str, encryption_key: str) -> None:
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=database_url)
    asyncio.run(store.save(sample.conversation("me")))
    asyncio.run(store.save(sample.conversation("other")))
    records.save_assessment("me", "rest", {}, "self_care", "otc_cushioning", [])

    dispatcher, events = _run("me")

    assert [m["response"] for m in dispatcher.messages] == [UTTER_DATA_DELETED]
    assert events == []
    assert set(sample.rows_of(database_url, "me").values()) == {0}
    assert sample.rows_of(database_url, "other")["events"] == 11


def test_action_apologises_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")

    dispatcher, _ = _run("me")

    assert [m["response"] for m in dispatcher.messages] == [UTTER_DATA_DELETE_FAILED]


def test_action_name_matches_the_tracker_store_marker() -> None:
    from rasa_project.storage.privacy import ACTION_DELETE_MY_DATA

    assert ActionDeleteMyData().name() == ACTION_DELETE_MY_DATA == "action_delete_my_data"
