"""What a turn costs the storage: decryption of earlier events, SQLite journal and streaming."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.storage import database, privacy
from rasa_project.storage.crypto import FieldCipher, generate_key
from rasa_project.storage.tracker_store import DecryptedEventCache, EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample


class CountingCipher(FieldCipher):
    """A real cipher that counts its decryptions."""

    def __init__(self) -> None:
        super().__init__([generate_key()])
        self.decryptions = 0

    def decrypt(self, stored: str) -> str:
        self.decryptions += 1
        return super().decrypt(stored)


class RecordingBroker(EventBroker):
    """Keeps every published event."""

    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def test_cache_decrypts_only_rows_it_has_not_seen() -> None:
    cache = DecryptedEventCache()
    calls: List[str] = []

    def decrypt(stored: str) -> str:
        calls.append(stored)
        return stored.upper()

    assert cache.plaintexts("a", [(1, "x"), (2, "y")], decrypt) == ["X", "Y"]
    assert cache.plaintexts("a", [(1, "x"), (2, "y"), (3, "z")], decrypt) == ["X", "Y", "Z"]

    assert calls == ["x", "y", "z"]


def test_cache_decrypts_a_row_whose_stored_value_changed() -> None:
    cache = DecryptedEventCache()
    cache.plaintexts("a", [(1, "old")], str.upper)

    # A re-used id or a re-encrypted row must never yield the earlier text.
    assert cache.plaintexts("a", [(1, "new")], str.upper) == ["NEW"]


def test_cache_keeps_conversations_apart_and_forgets() -> None:
    cache = DecryptedEventCache()
    cache.plaintexts("a", [(1, "x")], str.upper)
    cache.plaintexts("b", [(1, "y")], str.upper)
    cache.forget("a")
    calls: List[str] = []

    cache.plaintexts("a", [(1, "x")], lambda stored: calls.append(stored) or stored)
    cache.plaintexts("b", [(1, "y")], lambda stored: calls.append(stored) or stored)

    assert calls == ["x"]


def test_cache_is_bounded_least_recently_used_first() -> None:
    cache = DecryptedEventCache(max_conversations=2)
    for sender in ("a", "b", "a", "c"):
        cache.plaintexts(sender, [(1, sender)], str.upper)
    calls: List[str] = []

    for sender in ("a", "b"):
        cache.plaintexts(sender, [(1, sender)], lambda stored: calls.append(stored) or stored)

    assert calls == ["b"]


def test_store_decrypts_each_row_once_across_turns(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    cipher = CountingCipher()
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, cipher=cipher)
    tracker = sample.conversation("turns")
    asyncio.run(store.save(tracker))
    first = asyncio.run(store.retrieve("turns"))
    after_first = cipher.decryptions

    first.update(UserUttered("and my back hurts", intent={"name": "inform", "confidence": 1.0}))
    first.update(BotUttered("I see."))
    asyncio.run(store.save(first))
    second = asyncio.run(store.retrieve("turns"))

    assert after_first == len(first.events) - 2
    assert cipher.decryptions - after_first == 2
    assert [e.as_dict() for e in second.events] == [e.as_dict() for e in first.events]


def test_store_streams_exactly_the_new_events(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    broker = RecordingBroker()
    store = EncryptedSQLTrackerStore(
        domain=sample.domain(), database_url=url, event_broker=broker, cipher=FieldCipher([generate_key()])
    )
    tracker = DialogueStateTracker.from_events(
        "stream",
        [ActionExecuted("action_listen"), UserUttered("hello", intent={"name": "greet", "confidence": 1.0})],
        sample.domain().slots,
    )
    asyncio.run(store.save(tracker))
    first_turn = list(broker.published)
    tracker.update(BotUttered("Anything else?"))
    asyncio.run(store.save(tracker))

    assert [event["event"] for event in first_turn] == ["action", "user"]
    assert broker.published[len(first_turn):] == [{"sender_id": "stream", **tracker.events[-1].as_dict()}]


def test_sqlite_uses_a_write_ahead_log_without_fsync_per_commit(tmp_path) -> None:
    engine = database.engine_for(f"sqlite:///{tmp_path / 'assistant.db'}")

    with engine.connect() as connection:
        journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        secure_delete = connection.exec_driver_sql("PRAGMA secure_delete").scalar()

    assert (journal_mode, synchronous, secure_delete) == ("wal", 1, 1)


def test_sqlite_connections_are_reused(tmp_path) -> None:
    engine = database.engine_for(f"sqlite:///{tmp_path / 'assistant.db'}")
    opened: List[Any] = []
    sa.event.listen(engine, "connect", lambda connection, _record: opened.append(connection))

    for _ in range(3):
        with database.session_scope(str(engine.url)) as session:
            session.execute(sa.text("SELECT 1"))

    assert len(opened) <= 1


def test_erasure_empties_the_write_ahead_log(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_ENCRYPTION_KEYS", raising=False)
    path = tmp_path / "assistant.db"
    url = f"sqlite:///{path}"
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url)
    asyncio.run(store.save(sample.conversation("wal")))
    wal = path.with_name(path.name + "-wal")
    assert sample.USER_TEXT in sample.raw_database_text(url)

    privacy.erase_conversation("wal", database_url=url)

    assert not wal.exists() or wal.stat().st_size == 0
    assert sample.USER_TEXT not in sample.raw_database_text(url)
