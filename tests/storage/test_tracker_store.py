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
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.events import deserialise_events as rasa_deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.rasa_overrides.incremental_tracker import IncrementalDialogueStateTracker
from rasa_project.storage import privacy, records
from rasa_project.storage.crypto import FieldCipher
from rasa_project.storage.models import rasa_events
from rasa_project.storage.privacy import ACTION_DELETE_MY_DATA
from rasa_project.storage.tracker_store import (
    EncryptedSQLTrackerStore,
    StorageRefusedError,
    deserialise_events,
    requests_erasure,
)
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


@pytest.mark.usefixtures("tracker_overrides")
def test_with_the_overrides_conversations_are_read_into_incremental_trackers(
    database_url: str, encryption_key: str
) -> None:
    tracker = sample.conversation("incremental")
    _save(_store(database_url), tracker)

    restored = _retrieve(_store(database_url), "incremental")

    assert isinstance(restored, IncrementalDialogueStateTracker)
    assert restored.applied_events() == tracker.applied_events()


def test_on_stock_rasa_conversations_are_read_into_rasa_trackers(database_url: str, encryption_key: str) -> None:
    tracker = sample.conversation("stock")
    store = _store(database_url)
    _save(store, tracker)

    restored = _retrieve(_store(database_url), "stock")

    assert type(restored) is DialogueStateTracker
    assert store.snapshots is None
    assert restored.applied_events() == tracker.applied_events()


def test_no_plaintext_health_data_at_rest(database_url: str, encryption_key: str) -> None:
    _save(_store(database_url), sample.conversation("at-rest"))
    records.save_assessment(
        "at-rest",
        "rest",
        {"foot_arch": "flat", "pain_severity": 7},
        "emergency",
        "emergency_care",
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
    assert names <= {
        None,
        "emergency",
        "triage_level",
        "red_flags",
        "recommendation",
        "foot_arch",
        "utter_emergency",
        "action_listen",
        "action_session_start",
    }
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

    # Without the old key, before the data was re-encrypted: the store refuses to start.
    with pytest.raises(StorageRefusedError, match="a key that encrypted it is missing"):
        _store(database_url, cipher=FieldCipher([new]))


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


def test_erasing_after_the_action_server_did_keeps_one_audit_record(database_url: str, encryption_key: str) -> None:
    store = _store(database_url)
    _save(store, sample.conversation("audit"))
    tracker = _retrieve(store, "audit")
    for event in (
        UserUttered("yes", intent={"name": "affirm", "confidence": 1.0}),
        ActionExecuted(ACTION_DELETE_MY_DATA),
        BotUttered("Your data has been deleted."),
        ActionExecuted("action_listen"),
    ):
        tracker.update(event)
    # The action server erases first; then Rasa saves the turn (the whole tracker, from its view).
    privacy.erase_conversation("audit", database_url)
    _save(store, tracker)

    counts = sample.rows_in_all_tables(database_url)
    assert (counts["events"], counts["escalations"]) == (0, 1)


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
    [
        "",
        "x" * 10_000,
        "🦶🏽 my 👣 hurt 😭",
        "Мои ступни плоские",
        "<script>alert(1)</script><b>flat</b>",
        "\x00\ud7ff",
    ],
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
        data = connection.execute(sa.select(rasa_events.c.data).where(rasa_events.c.type_name == "user")).scalar_one()
    engine.dispose()

    event = json.loads(cipher.decrypt(data))
    assert event["text"] == sample.USER_TEXT
    assert event["timestamp"] <= time.time()


def test_a_turn_that_cannot_be_stored_is_an_error_without_message_text(
    tmp_path, no_encryption: None, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'readonly.db'}"
    store = _store(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused'); END")
        )
    engine.dispose()

    with caplog.at_level(logging.DEBUG):
        # Returns normally: Rasa neither falls back to memory nor loses the reply.
        _save(store, sample.conversation("refused"))

    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("Could not store a turn of a conversation (IntegrityError" in m for m in errors)
    assert not [m for m in (r.getMessage() for r in caplog.records) if sample.USER_TEXT in m or "wet myself" in m]
    assert store.health.failing and store.health.report.last_failure == "save: IntegrityError"
    assert sample.rows_of(url, "refused")["events"] == 0


def test_a_database_that_went_away_costs_no_reply(
    postgres_server, encryption_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = postgres_server.create_database("went_away")
    store = _store(url)
    _save(store, sample.conversation("before"))
    admin = sa.create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text('DROP DATABASE "went_away" WITH (FORCE)'))
    admin.dispose()

    with caplog.at_level(logging.ERROR):
        assert _retrieve(store, "before") is None
        _save(store, sample.conversation("after"))

    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(m.startswith("Could not read a stored conversation (OperationalError") for m in errors)
    assert any(m.startswith("Could not store a turn of a conversation (OperationalError") for m in errors)
    assert not [m for m in errors if "wet myself" in m or "flat" in m]
    assert store.health.failing


def test_connections_dropped_by_a_database_restart_cost_nothing(
    postgres_server, encryption_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = postgres_server.create_database("restarted")
    store = _store(url)
    _save(store, sample.conversation("steady"))
    admin = sa.create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'restarted'")
        )
    admin.dispose()

    with caplog.at_level(logging.ERROR):
        tracker = _retrieve(store, "steady")
        tracker.update(ActionExecuted("utter_emergency_reminder"))
        _save(store, tracker)

    assert tracker.get_slot("triage_level") == "emergency"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert sample.rows_of(url, "steady")["events"] == 12


def test_an_unreadable_conversation_goes_on_as_a_new_stored_session(
    database_url: str, encryption_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = _store(database_url)
    _save(store, sample.conversation("broken"))
    # An older row now holds a value no configured key opens (a damaged backup, a bad copy).
    # (The newest row of each table is checked at start; a server would refuse to start.)
    foreign = FieldCipher([Fernet.generate_key().decode()]).encrypt('{"event": "action", "name": "x"}')
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        row_id = connection.execute(sa.text("SELECT min(id) FROM events")).scalar_one() + 4
        connection.execute(sa.text("UPDATE events SET data = :data WHERE id = :id"), {"data": foreign, "id": row_id})
    engine.dispose()
    reader = _store(database_url)

    with caplog.at_level(logging.ERROR):
        assert _retrieve(reader, "broken") is None
    assert any("it goes on as a new session" in r.getMessage() for r in caplog.records)
    assert reader.health.report.last_failure == "read: DecryptionError"

    # What Rasa does next: a new tracker, started with a new session now, for the same conversation.
    time.sleep(0.01)
    fresh = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    fresh += sample.emergency_turn(channel="socketio")
    _save(reader, DialogueStateTracker.from_events("broken", fresh, sample.domain().slots))
    restored = _retrieve(reader, "broken")

    assert restored.get_slot("triage_level") == "emergency"
    assert restored.latest_message.input_channel == "socketio"
    assert sample.rows_of(database_url, "broken") == {"events": 22, "assessments": 0, "escalations": 2}
    assert not reader.health.failing


def _two_session_conversation(sender_id: str) -> DialogueStateTracker:
    start = time.time() - 100
    events = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.1),
        ActionExecuted("action_listen", timestamp=start + 0.2),
        *sample.emergency_turn(),
        ActionExecuted("action_session_start", timestamp=time.time() + 1),
        SessionStarted(timestamp=time.time() + 1.1),
        SlotSet("triage_level", "emergency", timestamp=time.time() + 1.2),
        ActionExecuted("action_listen", timestamp=time.time() + 1.3),
        UserUttered("and my feet", intent={"name": "affirm", "confidence": 0.9}, timestamp=time.time() + 1.4),
    ]
    return DialogueStateTracker.from_events(sender_id, events, sample.domain().slots)


@pytest.mark.parametrize("all_sessions", [False, True], ids=["latest_session", "all_sessions"])
def test_reads_the_rows_rasa_would_read(database_url: str, no_encryption: None, all_sessions: bool) -> None:
    store = _store(database_url)
    _save(store, _two_session_conversation("sessions"))
    _save(store, sample.conversation("someone-else"))

    statement = store.queries.events(all_sessions)
    with store.session_scope() as session:
        ours = [row.id for row in session.execute(statement, {"sender_id": "sessions"})]
        rasas = [row.id for row in store._event_query(session, "sessions", fetch_events_from_all_sessions=all_sessions)]
        count = session.execute(store.queries.count_latest_session, {"sender_id": "sessions"}).scalar_one()
        rasa_count = store._event_query(session, "sessions", fetch_events_from_all_sessions=False).count()

    assert ours == rasas
    # The latest session starts at its session_started event: 4 rows; 16 in all.
    assert len(ours) == (16 if all_sessions else 4)
    assert count == rasa_count == 4


def test_a_new_session_keeps_earlier_sessions_and_appends(database_url: str, no_encryption: None) -> None:
    store = _store(database_url)
    tracker = _two_session_conversation("sessions")
    _save(store, tracker)
    latest = _retrieve(store, "sessions")
    latest.update(ActionExecuted("utter_emergency_reminder"))
    _save(store, latest)

    everything = asyncio.run(store.retrieve_full_tracker("sessions"))

    assert [e.as_dict() for e in everything.events] == [e.as_dict() for e in tracker.events] + [
        ActionExecuted("utter_emergency_reminder", timestamp=latest.events[-1].timestamp).as_dict()
    ]
    assert latest.get_slot("triage_level") == "emergency"


STORED_EVENTS = [
    {
        "event": "user",
        "text": "hi",
        "parse_data": {"intent": {"name": "greet", "confidence": 0.9}, "entities": []},
        "input_channel": "rest",
        "message_id": "m1",
        "metadata": {"k": "v"},
        "timestamp": 1.0,
    },
    {"event": "bot", "text": "Hello", "data": {"buttons": [{"title": "Yes", "payload": "/affirm"}]}, "timestamp": 2.0},
    {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0, "timestamp": 3.0},
    {"event": "slot", "name": "foot_arch", "value": "flat", "timestamp": 4.0},
    {"event": "active_loop", "name": "assessment_form", "timestamp": 5.0},
    {"event": "active_loop", "name": None, "timestamp": 6.0},
    {"event": "session_started", "timestamp": 7.0},
    {"event": "restart", "timestamp": 8.0},
    {"event": "followup", "name": "utter_emergency", "timestamp": 9.0},
    {"event": "reset_slots", "timestamp": 10.0},
    {"event": "pause", "timestamp": 11.0},
    {"event": "resume", "timestamp": 12.0},
    {"event": "action_execution_rejected", "name": "assessment_form", "timestamp": 13.0},
    {"event": "loop_interrupted", "is_interrupted": True, "timestamp": 14.0},
    {"event": "entities", "entities": [{"entity": "red_flag", "value": "saddle_anaesthesia"}], "timestamp": 15.0},
    {"event": "undo", "timestamp": 16.0},
    {"event": "rewind", "timestamp": 17.0},
    {"event": "user_featurization", "use_text_for_featurization": False, "timestamp": 18.0},
    {"event": "topic", "topic": "old", "timestamp": 19.0},
    {"timestamp": 20.0},
]


@pytest.mark.parametrize("stored", STORED_EVENTS, ids=[str(e.get("event")) for e in STORED_EVENTS])
def test_events_are_read_as_rasa_reads_them(stored: dict) -> None:
    ours = deserialise_events([dict(stored)])
    rasas = rasa_deserialise_events([dict(stored)])

    assert [type(e) for e in ours] == [type(e) for e in rasas]
    assert [e.as_dict() for e in ours] == [e.as_dict() for e in rasas]


def test_unknown_event_types_fail_as_in_rasa() -> None:
    with pytest.raises(ValueError):
        rasa_deserialise_events([{"event": "no_such_event"}])
    with pytest.raises(ValueError):
        deserialise_events([{"event": "no_such_event"}])
