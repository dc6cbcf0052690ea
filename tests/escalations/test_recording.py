"""Escalation records: found in a turn's events, stored in the turn's own transaction."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from typing import Any, List

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, Restarted, SessionStarted, SlotSet, UserUttered

from rasa_project.escalations.recording import (
    EscalationRecord,
    escalations_in,
    insert_outbox_rows,
    may_escalate,
    record_escalation,
    stored_record,
)
from rasa_project.storage.crypto import FieldCipher, generate_key
from rasa_project.storage.models import escalations_as_stored
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample


def _turn(channel: str = "rest", level: Any = "emergency", flags: Any = ("bladder_bowel_dysfunction",)) -> List[Any]:
    now = time.time()
    return [
        UserUttered("text", intent={"name": "emergency", "confidence": 1.0}, input_channel=channel, timestamp=now),
        SlotSet("triage_level", level, timestamp=now + 0.001),
        SlotSet("red_flags", list(flags) if isinstance(flags, tuple) else flags, timestamp=now + 0.002),
        ActionExecuted("utter_emergency", timestamp=now + 0.003),
        ActionExecuted("action_listen", timestamp=now + 0.004),
    ]


# Finding escalations: a pure function of the events.


def test_an_emergency_turn_gives_one_record_with_channel_flags_and_time() -> None:
    events = _turn(channel="socketio")

    [record] = escalations_in("p1", events, 0)

    assert (record.conversation_id, record.channel, record.level) == ("p1", "socketio", "emergency")
    assert record.red_flags == ("bladder_bowel_dysfunction",)
    assert record.created_at == datetime.fromtimestamp(events[1].timestamp, tz=timezone.utc)


def test_only_events_after_the_stored_ones_give_records() -> None:
    first, second = _turn(), _turn(flags=("bladder_bowel_dysfunction", "saddle_anaesthesia"))

    assert escalations_in("p", first + second, len(first))[0].red_flags == (
        "bladder_bowel_dysfunction",
        "saddle_anaesthesia",
    )
    assert escalations_in("p", first + second, len(first + second)) == []


def test_the_same_escalation_repeated_is_recorded_once() -> None:
    first = _turn()
    assert escalations_in("p", first + _turn(), len(first)) == []


def test_a_new_flag_at_the_same_level_is_recorded_again() -> None:
    events = _turn() + _turn(flags=("bladder_bowel_dysfunction", "saddle_anaesthesia"))

    assert [r.red_flags for r in escalations_in("p", events, 0)] == [
        ("bladder_bowel_dysfunction",),
        ("bladder_bowel_dysfunction", "saddle_anaesthesia"),
    ]


@pytest.mark.parametrize("reset", [Restarted(), SessionStarted()], ids=["restart", "session_started"])
def test_a_restart_or_new_session_forgets_earlier_escalations(reset: Any) -> None:
    first = _turn()
    events = [*first, reset, *_turn()]

    assert len(escalations_in("p", events, len(first))) == 1


@pytest.mark.parametrize("level", ["self_care", "routine", None, "", 3, ["emergency"], {"level": "urgent"}])
def test_lower_or_odd_levels_are_not_escalations(level: Any) -> None:
    events = _turn(level=level)
    assert not may_escalate(events)
    assert escalations_in("p", events, 0) == []


@pytest.mark.parametrize("flags", [None, "saddle_anaesthesia", 7, {"a": 1}])
def test_odd_flag_values_give_no_flags(flags: Any) -> None:
    [record] = escalations_in("p", _turn(level="urgent", flags=flags), 0)
    assert record.red_flags == ()


def test_a_level_set_as_the_last_event_is_still_recorded() -> None:
    events = _turn()[:3]
    assert [r.level for r in escalations_in("p", events, 0)] == ["emergency"]


def test_huge_channel_names_are_cut() -> None:
    [record] = escalations_in("p", _turn(channel="🦶" * 1000), 0)
    assert record.channel == "🦶" * 64


def test_payload_keeps_its_shape_and_erasure_removes_only_the_id() -> None:
    record = EscalationRecord(
        "p", datetime(2026, 12, 1, tzinfo=timezone.utc), "telegram", "urgent", ("severe_night_pain",)
    )

    payload = record.as_json()
    anonymous = record.deidentified().as_json()

    assert list(payload) == [
        "event",
        "conversation_id",
        "created_at",
        "channel",
        "level",
        "red_flags",
        "red_flag_summaries",
    ]
    assert payload["created_at"] == "2026-12-01T00:00:00+00:00"
    assert anonymous == {**payload, "conversation_id": None}


def test_stored_rows_read_back_as_the_records(database_url: str) -> None:
    cipher = FieldCipher([generate_key()])
    record = EscalationRecord("p", datetime.now(timezone.utc), "rest", "emergency", ("saddle_anaesthesia",))

    row_id = record_escalation(record, database_url, cipher)
    with sa.create_engine(database_url).connect() as connection:
        row = connection.execute(sa.select(escalations_as_stored).where(escalations_as_stored.c.id == row_id)).one()

    assert stored_record(row, cipher) == record
    assert "saddle" not in row.red_flags and row.notified_at is None and row.attempts == 0


# The outbox: written by the tracker store in the transaction of the turn.


def _store(url: str) -> EncryptedSQLTrackerStore:
    return EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url)


def test_the_turn_and_its_escalation_are_stored_together(database_url: str, encryption_key: str) -> None:
    store = _store(database_url)
    asyncio.run(store.save(sample.conversation("outbox", channel="telegram")))

    assert sample.rows_of(database_url, "outbox") == {"events": 11, "assessments": 0, "escalations": 1}
    with sa.create_engine(database_url).connect() as connection:
        row = connection.execute(sa.select(escalations_as_stored)).one()
    assert stored_record(row, store.cipher).channel == "telegram"
    assert "bladder" not in sample.raw_database_text(database_url)


def test_a_turn_without_escalation_writes_no_record(database_url: str, encryption_key: str) -> None:
    store = _store(database_url)
    asyncio.run(store.save(sample.conversation("calm")))
    tracker = asyncio.run(store.retrieve("calm"))
    tracker.update(UserUttered("my feet hurt", intent={"name": "inform", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))

    # The earlier emergency is not recorded again; the calm turn adds none.
    assert sample.rows_of(database_url, "calm") == {"events": 13, "assessments": 0, "escalations": 1}


def _refuse_escalation_rows(url: str) -> None:
    """Make every insert into ``escalations`` fail, as a full disk or a lost connection would mid-transaction."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                sa.text("CREATE TRIGGER refuse BEFORE INSERT ON escalations BEGIN SELECT RAISE(ABORT, 'refused'); END")
            )
        else:
            connection.execute(
                sa.text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused'; END $$"
                )
            )
            connection.execute(
                sa.text("CREATE TRIGGER refuse BEFORE INSERT ON escalations FOR EACH ROW EXECUTE FUNCTION refuse()")
            )
    engine.dispose()


def _allow_escalation_rows(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("DROP TRIGGER refuse" + ("" if engine.dialect.name == "sqlite" else " ON escalations"))
        )
    engine.dispose()


def test_a_failure_after_the_events_are_inserted_leaves_neither(
    database_url: str, encryption_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=database_url, deliver_escalations=False)
    _refuse_escalation_rows(database_url)

    with caplog.at_level(logging.ERROR):
        asyncio.run(store.save(sample.conversation("atomic")))

    # The events were inserted first; the failing escalation insert rolled them back.
    assert sample.rows_of(database_url, "atomic") == {"events": 0, "assessments": 0, "escalations": 0}
    assert any("Could not store a turn" in r.getMessage() for r in caplog.records)
    assert store.health.failing

    _allow_escalation_rows(database_url)
    asyncio.run(store.save(sample.conversation("atomic")))
    assert sample.rows_of(database_url, "atomic") == {"events": 11, "assessments": 0, "escalations": 1}
    assert not store.health.failing


def test_the_escalation_of_a_turn_that_was_not_stored_is_recorded_later(
    database_url: str, encryption_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = _store(database_url)
    _refuse_escalation_rows(database_url)
    with caplog.at_level(logging.ERROR):
        asyncio.run(store.save(sample.conversation("handed-over")))
    assert sample.rows_of(database_url, "handed-over")["escalations"] == 0

    _allow_escalation_rows(database_url)
    deadline = time.monotonic() + 20
    while sample.rows_of(database_url, "handed-over")["escalations"] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)

    # The turn itself is lost (and said so); its escalation is not.
    assert sample.rows_of(database_url, "handed-over") == {"events": 0, "assessments": 0, "escalations": 1}
    assert any("sent directly and recorded later" in r.getMessage() for r in caplog.records)


def test_insert_outbox_rows_joins_the_callers_transaction(database_url: str) -> None:
    record_escalation(EscalationRecord("x", datetime.now(timezone.utc), None, "urgent", ()), database_url)
    cipher = FieldCipher([])
    engine = sa.create_engine(database_url)
    connection = engine.connect()
    transaction = connection.begin()
    insert_outbox_rows(connection, [EscalationRecord("y", datetime.now(timezone.utc), None, "urgent", ())], cipher)
    transaction.rollback()
    connection.close()
    engine.dispose()

    assert sample.rows_of(database_url, "y")["escalations"] == 0
