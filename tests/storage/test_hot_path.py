"""What a turn costs the storage: decryption of earlier events, SQLite journal and streaming."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional

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

    def __init__(self, key: Optional[str] = None) -> None:
        super().__init__([key or generate_key()])
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


def test_store_never_decrypts_rows_it_wrote(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    cipher = CountingCipher()
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, cipher=cipher)
    cipher.decryptions = 0  # the start-up key check opens its own values
    tracker = sample.conversation("turns")
    asyncio.run(store.save(tracker))
    first = asyncio.run(store.retrieve("turns"))

    first.update(UserUttered("and my back hurts", intent={"name": "inform", "confidence": 1.0}))
    first.update(BotUttered("I see."))
    asyncio.run(store.save(first))
    second = asyncio.run(store.retrieve("turns"))

    assert cipher.decryptions == 0
    assert [e.as_dict() for e in second.events] == [e.as_dict() for e in first.events]


def test_store_decrypts_rows_written_elsewhere_once(tmp_path) -> None:
    """Two server processes on one database: each decrypts the other's rows once."""
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    key = generate_key()
    writer = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, cipher=FieldCipher([key]))
    reader_cipher = CountingCipher(key)
    reader = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, cipher=reader_cipher)
    reader_cipher.decryptions = 0  # the start-up key check opens its own values
    tracker = sample.conversation("elsewhere")
    asyncio.run(writer.save(tracker))

    first = asyncio.run(reader.retrieve("elsewhere"))
    after_first, rows_read = reader_cipher.decryptions, len(first.events)
    first.update(BotUttered("I see."))
    asyncio.run(writer.save(first))
    second = asyncio.run(reader.retrieve("elsewhere"))

    assert after_first == rows_read
    assert reader_cipher.decryptions - after_first == 1
    assert [e.as_dict() for e in second.events] == [e.as_dict() for e in first.events]


def test_a_rewritten_row_is_decrypted_afresh(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, cipher=FieldCipher([generate_key()]))
    tracker = sample.conversation("rewritten")
    asyncio.run(store.save(tracker))
    replacement = BotUttered("replaced")
    with store.engine.begin() as connection:
        last_id = connection.execute(sa.text("SELECT max(id) FROM events")).scalar_one()
        connection.execute(
            sa.text("UPDATE events SET data = :data WHERE id = :id"),
            {"data": store.cipher.encrypt(json.dumps(replacement.as_dict())), "id": last_id},
        )

    restored = asyncio.run(store.retrieve("rewritten"))

    assert restored.events[-1].as_dict() == replacement.as_dict()


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
    assert broker.published[len(first_turn) :] == [{"sender_id": "stream", **tracker.events[-1].as_dict()}]


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
