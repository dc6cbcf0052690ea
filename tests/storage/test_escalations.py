"""Escalation records and the clinic webhook."""

from __future__ import annotations

import asyncio
import socket
import threading
from datetime import datetime, timezone
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa

from rasa_project.storage import privacy
from rasa_project.storage.escalations import (
    EscalationBroker,
    EscalationDetector,
    EscalationRecord,
    post_escalation,
)
from rasa_project.storage.models import Escalation
from rasa_project.storage.settings import WebhookSettings, webhook_settings
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample
from tests.storage.webhook_receiver import WebhookReceiver


def _published(sender: str, events: List[Any]) -> List[Dict[str, Any]]:
    return [{"sender_id": sender, **event.as_dict()} for event in events]


def _detect(events: List[Dict[str, Any]]) -> List[EscalationRecord]:
    detector = EscalationDetector()
    return [record for event in events for record in detector.observe(event)]


def _escalations(url: str) -> List[Escalation]:
    engine = sa.create_engine(url)
    try:
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            return list(session.query(Escalation).order_by(Escalation.id))
    finally:
        engine.dispose()


# The detector: a pure function of the event stream.


def test_emergency_turn_gives_one_record_with_channel_and_flags() -> None:
    records = _detect(_published("p1", sample.emergency_turn(channel="socketio")))

    assert len(records) == 1
    record = records[0]
    assert (record.conversation_id, record.channel, record.level) == ("p1", "socketio", "emergency")
    assert record.red_flags == ("bladder_bowel_dysfunction",)
    assert record.created_at.tzinfo is not None


def test_same_escalation_repeated_is_recorded_once() -> None:
    turn = sample.emergency_turn()
    assert len(_detect(_published("p1", turn + turn))) == 1


def test_new_flag_at_the_same_level_is_recorded_again() -> None:
    first = sample.emergency_turn()
    second = [e for e in sample.emergency_turn()]
    second[3] = type(second[3])("red_flags", ["bladder_bowel_dysfunction", "saddle_anaesthesia"])
    assert [r.red_flags for r in _detect(_published("p1", first + second))] == [
        ("bladder_bowel_dysfunction",),
        ("bladder_bowel_dysfunction", "saddle_anaesthesia"),
    ]


def test_conversations_are_kept_apart() -> None:
    events = _published("a", sample.emergency_turn("rest")[:3]) + _published("b", sample.emergency_turn("telegram"))
    events += _published("a", sample.emergency_turn("rest")[3:])
    records = _detect(events)
    assert sorted((r.conversation_id, r.channel) for r in records) == [("a", "rest"), ("b", "telegram")]


@pytest.mark.parametrize("level", ["self_care", "routine", None, "", 3, ["emergency"]])
def test_lower_or_odd_levels_are_not_escalations(level: Any) -> None:
    events = [
        {"sender_id": "p", "event": "user", "text": "hi", "input_channel": "rest"},
        {"sender_id": "p", "event": "slot", "name": "triage_level", "value": level},
        {"sender_id": "p", "event": "action", "name": "utter_x"},
    ]
    assert _detect(events) == []


@pytest.mark.parametrize(
    "event",
    [{}, {"event": "slot"}, {"sender_id": None, "event": "slot"}, {"sender_id": "p", "event": "slot", "name": "red_flags", "value": "x"},
     {"sender_id": "p", "event": "user", "input_channel": "🦶" * 1000}, {"sender_id": "p", "timestamp": "soon"},
     {"sender_id": "p", "event": "slot", "name": "triage_level", "value": "urgent", "timestamp": 1e300},
     {"sender_id": "p", "event": "slot", "name": "triage_level", "value": "urgent", "timestamp": float("nan")}],
)
def test_malformed_events_do_not_crash(event: Dict[str, Any]) -> None:
    records = _detect([event, {"sender_id": "p", "event": "action", "name": "utter_urgent"}])
    assert all(r.level == "urgent" and r.created_at.tzinfo for r in records)


def test_publish_ignores_what_is_not_an_event(tmp_path) -> None:
    broker = EscalationBroker(f"sqlite:///{tmp_path / 'x.db'}", webhook=None)
    for junk in (None, "text", 42, [], {"sender_id": 1}):
        broker.publish(junk)  # type: ignore[arg-type]
    assert broker.wait_until_idle(timeout=5)


def test_restart_forgets_earlier_flags() -> None:
    turn = sample.emergency_turn()
    events = _published("p", turn) + [{"sender_id": "p", "event": "restart"}] + _published("p", turn)
    assert len(_detect(events)) == 2


# Delivery to the clinic.


def test_webhook_retries_a_500_then_succeeds() -> None:
    record = EscalationRecord("p", datetime.now(timezone.utc), "rest", "urgent", ("severe_night_pain",))
    with WebhookReceiver(statuses=[500, 503, 200]) as receiver:
        settings = WebhookSettings(url=receiver.url, timeout_s=5, attempts=4, token="s3cret")
        pauses: List[float] = []
        delivered = post_escalation(record, settings, sleep=pauses.append)

    assert delivered
    assert len(receiver.requests) == 3
    assert pauses == [1.0, 2.0]
    assert receiver.requests[-1]["json"]["red_flags"] == ["severe_night_pain"]
    assert receiver.requests[-1]["headers"]["Authorization"] == "Bearer s3cret"


def test_webhook_gives_up_on_a_client_error() -> None:
    record = EscalationRecord("p", datetime.now(timezone.utc), None, "urgent", ())
    with WebhookReceiver(statuses=[400]) as receiver:
        delivered = post_escalation(record, WebhookSettings(url=receiver.url, attempts=4), sleep=lambda s: None)

    assert not delivered
    assert len(receiver.requests) == 1


def test_webhook_gives_up_after_its_attempts_on_a_dead_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    record = EscalationRecord("p", datetime.now(timezone.utc), None, "urgent", ())
    assert not post_escalation(record, WebhookSettings(url=dead_url, attempts=3, timeout_s=1), sleep=lambda s: None)


def test_webhook_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert webhook_settings({}) is None
    configured = webhook_settings(
        {"ASSISTANT_ESCALATION_WEBHOOK_URL": "https://clinic.example/hook",
         "ASSISTANT_ESCALATION_WEBHOOK_TIMEOUT": "oops",
         "ASSISTANT_ESCALATION_WEBHOOK_ATTEMPTS": "2"}
    )
    assert configured == WebhookSettings(url="https://clinic.example/hook", timeout_s=5.0, attempts=2)


# The broker inside Rasa's save path.


def test_broker_records_and_notifies(database_url: str, encryption_key: str) -> None:
    with WebhookReceiver(statuses=[500, 200]) as receiver:
        broker = EscalationBroker(
            database_url, webhook=WebhookSettings(url=receiver.url, attempts=3, backoff_s=0.05)
        )
        store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=database_url, event_broker=broker)
        asyncio.run(store.save(sample.conversation("escalated", channel="socketio")))
        assert broker.wait_until_idle(timeout=30)

    rows = _escalations(database_url)
    assert [(r.conversation_id, r.channel, r.level, r.red_flags) for r in rows] == [
        ("escalated", "socketio", "emergency", ["bladder_bowel_dysfunction"])
    ]
    assert rows[0].notified_at is not None
    assert [r["json"]["conversation_id"] for r in receiver.requests] == ["escalated", "escalated"]
    assert "bladder" not in sample.raw_database_text(database_url)


def test_publish_returns_while_the_webhook_hangs(database_url: str) -> None:
    hold = threading.Event()
    with WebhookReceiver(hold=hold) as receiver:
        broker = EscalationBroker(database_url, webhook=WebhookSettings(url=receiver.url, timeout_s=60))
        for event in _published("hanging", sample.emergency_turn()):
            broker.publish(event)
        # publish() has returned although the clinic has not answered yet.
        assert receiver.wait_for(1)
        assert not hold.is_set()
        hold.set()
        assert broker.wait_until_idle(timeout=30)

    assert _escalations(database_url)[0].notified_at is not None


def test_unreachable_webhook_still_records(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    broker = EscalationBroker(database_url, webhook=WebhookSettings(url=dead_url, attempts=2, timeout_s=1, backoff_s=0.01))
    for event in _published("offline", sample.emergency_turn()):
        broker.publish(event)
    assert broker.wait_until_idle(timeout=30)

    rows = _escalations(database_url)
    assert len(rows) == 1 and rows[0].notified_at is None
    assert any("not notified" in r.getMessage() for r in caplog.records)


def test_broken_database_does_not_break_publish(caplog: pytest.LogCaptureFixture) -> None:
    broker = EscalationBroker("postgresql://nobody@127.0.0.1:1/none", webhook=None)
    for event in _published("p", sample.emergency_turn()):
        broker.publish(event)
    assert broker.wait_until_idle(timeout=60)

    assert any("Could not record an escalation" in r.getMessage() for r in caplog.records)


def test_erased_conversation_gets_no_late_record(database_url: str) -> None:
    hold = threading.Event()
    broker = EscalationBroker(database_url, webhook=None, max_workers=1)
    # Keep the only worker busy so the escalation waits in the queue.
    broker._executor.submit(hold.wait, 30)
    for event in _published("late", sample.emergency_turn()):
        broker.publish(event)
    broker.forget_conversation("late")
    privacy.erase_conversation("late")
    hold.set()
    assert broker.wait_until_idle(timeout=30)

    assert sample.rows_of(database_url, "late")["escalations"] == 0


def test_close_flushes_pending_escalations(database_url: str) -> None:
    broker = EscalationBroker(database_url, webhook=None)
    for event in _published("closing", sample.emergency_turn()[:4]):
        broker.publish(event)
    asyncio.run(broker.close())

    assert len(_escalations(database_url)) == 1


def test_broker_loads_from_endpoint_config(database_url: str) -> None:
    from rasa.core.brokers.broker import EventBroker
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(type="rasa_project.storage.escalations.EscalationBroker")
    broker = asyncio.run(EventBroker.create(config))

    assert isinstance(broker, EscalationBroker)
    assert broker.database_url == database_url
