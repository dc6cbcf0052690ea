"""The encrypted SQL tracker store, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.storage import records
from rasa_project.storage.crypto import DecryptionError, FieldCipher
from rasa_project.storage.models import rasa_events
from rasa_project.storage.privacy import ACTION_DELETE_MY_DATA
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore, requests_erasure
from tests.storage import sample_conversation as sample


def _store(url: str, **kwargs) -> EncryptedSQLTrackerStore:
    return EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, **kwargs)


def _save(store: EncryptedSQLTrackerStore, tracker: DialogueStateTracker) -> None:
    asyncio.run(store.save(tracker))


def _retrieve(store: EncryptedSQLTrackerStore, sender_id: str) -> DialogueStateTracker:
    return asyncio.run(store.retrieve(sender_id))


def test_conversation_round_trips(database_url: str, encryption_key: str) -> None:
    store = _store(database_url)
    tracker = sample.conversation("round-trip")
    _save(store, tracker)

    restored = _retrieve(_store(database_url), "round-trip")

    assert restored.get_slot("red_flags") == ["bladder_bowel_dysfunction"]
    assert restored.get_slot("triage_level") == "emergency"
    assert restored.latest_message.text == sample.USER_TEXT
    assert restored.latest_message.input_channel == "rest"


def test_no_plaintext_health_data_at_rest(database_url: str, encryption_key: str) -> None:
    _save(_store(database_url), sample.conversation("at-rest"))
    records.save_assessment(
        "at-rest", "rest", {"foot_arch": "flat", "pain_severity": 7}, "emergency", "emergency_care",
        ["bladder_bowel_dysfunction"],
    )

    raw = sample.raw_database_text(database_url)

    assert "at-rest" in raw  # the check does see the stored rows
    for word in sample.SECRET_WORDS:
        assert word not in raw


def test_without_a_key_text_is_stored_plainly(database_url: str, no_encryption: None) -> None:
    _save(_store(database_url), sample.conversation("plain"))

    assert sample.USER_TEXT in sample.raw_database_text(database_url)


def test_missing_key_is_warned_once(
    database_url: str, no_encryption: None, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa_project.storage import crypto

    crypto._cipher_for.cache_clear()
    with caplog.at_level(logging.WARNING, logger="rasa_project.storage.crypto"):
        _store(database_url)
        _store(database_url)

    warnings = [r for r in caplog.records if "ASSISTANT_ENCRYPTION_KEYS" in r.getMessage()]
    assert len(warnings) == 1


def test_only_names_outside_the_data_column(database_url: str, encryption_key: str) -> None:
    _save(_store(database_url), sample.conversation("columns"))
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(rasa_events).where(rasa_events.c.sender_id == "columns")).all()
    engine.dispose()

    names = {row.intent_name for row in rows} | {row.action_name for row in rows}
    assert names <= {None, "emergency", "triage_level", "red_flags", "recommendation", "foot_arch",
                     "utter_emergency", "action_listen", "action_session_start"}
    assert all(row.data.startswith("gAAAAA") for row in rows)


def test_rows_written_before_the_key_stay_readable(
    database_url: str, no_encryption: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save(_store(database_url), sample.conversation("legacy"))
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", Fernet.generate_key().decode())

    restored = _retrieve(_store(database_url), "legacy")

    assert restored.latest_message.text == sample.USER_TEXT


def test_old_key_still_decrypts_after_rotation(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", old)
    _save(_store(database_url), sample.conversation("rotated"))
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", f"{new},{old}")

    assert _retrieve(_store(database_url), "rotated").get_slot("foot_arch") == "flat"

    store_without_old = _store(database_url, cipher=FieldCipher([new]))
    with pytest.raises(DecryptionError):
        _retrieve(store_without_old, "rotated")


def test_turns_are_appended_not_rewritten(database_url: str, encryption_key: str) -> None:
    store = _store(database_url)
    tracker = sample.conversation("two-turns")
    _save(store, tracker)
    tracker = _retrieve(store, "two-turns")
    for event in sample.emergency_turn(text="second message"):
        tracker.update(event)
    _save(store, tracker)

    restored = _retrieve(store, "two-turns")

    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == [sample.USER_TEXT, "second message"]
    assert sample.rows_of(database_url, "two-turns")["events"] == 11 + 8


def test_delete_my_data_turn_leaves_no_row(database_url: str, encryption_key: str) -> None:
    store = _store(database_url)
    _save(store, sample.conversation("forget-me"))
    _save(store, sample.conversation("someone-else"))
    records.save_assessment("forget-me", "rest", {}, "self_care", "otc_arch_support", [])
    tracker = _retrieve(store, "forget-me")
    for event in (
        UserUttered("yes, delete it", intent={"name": "affirm", "confidence": 1.0}),
        ActionExecuted(ACTION_DELETE_MY_DATA),
        BotUttered("Your data has been deleted."),
        ActionExecuted("action_listen"),
    ):
        tracker.update(event)

    # Rasa saves the whole in-memory tracker after the action, which must not come back.
    _save(store, tracker)
    _save(store, tracker)

    assert set(sample.rows_of(database_url, "forget-me").values()) == {0}
    assert sample.rows_of(database_url, "someone-else")["events"] == 11
    assert _retrieve(store, "forget-me") is None


def test_conversation_restarts_cleanly_after_erasure(database_url: str, encryption_key: str) -> None:
    store = _store(database_url)
    tracker = sample.conversation("again")
    tracker.update(ActionExecuted(ACTION_DELETE_MY_DATA))
    _save(store, tracker)

    _save(store, sample.conversation("again"))

    assert _retrieve(store, "again").get_slot("triage_level") == "emergency"


def test_erasure_marker_is_the_action_itself() -> None:
    assert requests_erasure([ActionExecuted(ACTION_DELETE_MY_DATA)])
    assert not requests_erasure([ActionExecuted("action_listen"), BotUttered(ACTION_DELETE_MY_DATA)])
    assert not requests_erasure([])


def test_events_table_mirror_matches_rasa() -> None:
    ours = {c.name: type(c.type) for c in rasa_events.columns}
    rasas = {c.name: type(c.type) for c in SQLTrackerStore.SQLEvent.__table__.columns}
    assert ours == rasas


@pytest.mark.parametrize(
    "text",
    ["", "x" * 10_000, "🦶🏽 my 👣 hurt 😭", "Мои ступни плоские", "<script>alert(1)</script><b>flat</b>", "\x00\ud7ff"],
)
def test_unusual_messages_survive(tmp_path, monkeypatch: pytest.MonkeyPatch, encryption_key: str, text: str) -> None:
    url = f"sqlite:///{tmp_path / 'odd.db'}"
    store = _store(url)
    tracker = DialogueStateTracker.from_events("odd", sample.emergency_turn(text=text), sample.domain().slots)
    _save(store, tracker)

    assert _retrieve(store, "odd").latest_message.text == text


def test_message_text_is_not_logged_at_info(
    database_url: str, encryption_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        store = _store(database_url)
        _save(store, sample.conversation("quiet"))
        _retrieve(store, "quiet")

    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not [m for m in loud if "wet myself" in m or "flat" in m]


def test_stored_event_is_rasa_json(database_url: str, encryption_key: str) -> None:
    _save(_store(database_url), sample.conversation("json"))
    cipher = FieldCipher([encryption_key])
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        data = connection.execute(
            sa.select(rasa_events.c.data).where(rasa_events.c.type_name == "user")
        ).scalar_one()
    engine.dispose()

    event = json.loads(cipher.decrypt(data))
    assert event["text"] == sample.USER_TEXT
    assert event["timestamp"] <= time.time()


def test_storage_errors_carry_no_message_text(tmp_path, no_encryption: None) -> None:
    url = f"sqlite:///{tmp_path / 'readonly.db'}"
    store = _store(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ))
    engine.dispose()

    with pytest.raises(sa.exc.SQLAlchemyError) as failure:
        _save(store, sample.conversation("refused"))

    # Rasa's fail-safe wrapper logs str(error) at ERROR level.
    assert "refused" in str(failure.value)
    assert sample.USER_TEXT not in str(failure.value)
