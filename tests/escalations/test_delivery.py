"""The sender: claims outbox rows, POSTs them to the clinic, backs off, never sends one row twice."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, List

import pytest
import sqlalchemy as sa

from rasa_project.escalations.delivery import (
    EscalationSender,
    WebhookSettings,
    outbox_findings,
    post_escalation,
    webhook_settings,
)
from rasa_project.escalations.recording import EscalationRecord, record_escalation
from rasa_project.storage import privacy
from rasa_project.storage.crypto import FieldCipher, generate_key
from rasa_project.storage.health import Severity
from rasa_project.storage.models import escalations_as_stored
from tests.storage import sample_conversation as sample
from tests.storage.webhook_receiver import WebhookReceiver

REPO_ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _record(conversation_id: str = "p", level: str = "emergency") -> EscalationRecord:
    return EscalationRecord(conversation_id, T0, "rest", level, ("bladder_bowel_dysfunction",))


def _rows(url: str) -> List[Any]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.select(escalations_as_stored).order_by(escalations_as_stored.c.id)))
    finally:
        engine.dispose()


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


# Settings and one attempt.


def test_webhook_settings_come_from_the_environment() -> None:
    assert webhook_settings({}) is None
    configured = webhook_settings(
        {
            "ASSISTANT_ESCALATION_WEBHOOK_URL": "https://clinic.example/hook",
            "ASSISTANT_ESCALATION_WEBHOOK_TIMEOUT": "oops",
            "ASSISTANT_ESCALATION_WEBHOOK_ATTEMPTS": "2",
            "ASSISTANT_ESCALATION_WEBHOOK_TOKEN": " s3cret ",
        }
    )
    assert configured == WebhookSettings(url="https://clinic.example/hook", timeout_s=5.0, attempts=2, token="s3cret")


@pytest.mark.parametrize(
    ("failed_attempts", "pause"),
    [(1, 1.0), (2, 2.0), (3, 4.0), (8, 128.0), (9, 256.0), (10, 300.0), (500, 300.0)],
)
def test_the_pause_doubles_up_to_five_minutes(failed_attempts: int, pause: float) -> None:
    assert WebhookSettings(url="x").pause_after(failed_attempts) == pause


def test_a_claim_outlasts_any_attempt() -> None:
    assert WebhookSettings(url="x", timeout_s=5).lease_s == 60
    assert WebhookSettings(url="x", timeout_s=40).lease_s == 120


@pytest.mark.parametrize(
    ("status", "reason"), [(200, None), (204, None), (301, "HTTP 301"), (401, "HTTP 401"), (503, "HTTP 503")]
)
def test_one_attempt_reports_what_happened(status: int, reason: Any) -> None:
    with WebhookReceiver(statuses=[status]) as receiver:
        outcome = post_escalation(_record().as_json(), WebhookSettings(url=receiver.url, token="s3cret"))

    assert outcome == reason
    assert receiver.requests[0]["headers"]["Authorization"] == "Bearer s3cret"
    assert receiver.requests[0]["json"]["red_flags"] == ["bladder_bowel_dysfunction"]


def test_an_unreachable_webhook_is_a_failed_attempt() -> None:
    assert post_escalation(_record().as_json(), WebhookSettings(url=_dead_url(), timeout_s=1)) == "ConnectionError"


# The sender over the outbox.


def test_backoff_on_a_failing_webhook(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    cipher = FieldCipher([generate_key()])
    row_id = record_escalation(_record("backoff"), database_url, cipher)
    clock = Clock()
    with WebhookReceiver(statuses=[500, 503, 500, 200]) as receiver:
        webhook = WebhookSettings(url=receiver.url, attempts=3)
        sender = EscalationSender(database_url, webhook, cipher, clock=clock)
        history = []
        for step in (0, 0.5, 0.5, 2.0, 3.0, 1.0):
            clock.advance(step)
            done = sender.deliver_due()
            row = _rows(database_url)[0]
            history.append((done.delivered, done.failed, row.attempts, row.next_attempt_at, row.notified_at))

    # Due at once; then 1 s, 2 s and 4 s later, each pause counted from the failed attempt.
    assert history == [
        (0, 1, 1, T0 + timedelta(seconds=1), None),
        (0, 0, 1, T0 + timedelta(seconds=1), None),
        (0, 1, 2, T0 + timedelta(seconds=3), None),
        (0, 1, 3, T0 + timedelta(seconds=7), None),
        (0, 0, 3, T0 + timedelta(seconds=7), None),
        (1, 0, 4, T0 + timedelta(seconds=7), T0 + timedelta(seconds=7)),
    ]
    assert len(receiver.requests) == 4
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    # From the configured number of attempts on, each failure is an ERROR, naming the row, not the person.
    assert errors == [
        f"Escalation {row_id} has not reached the clinic webhook after 3 attempts (HTTP 500); retrying in 4 s."
    ]
    assert not any("backoff" in r.getMessage() for r in caplog.records)


def test_a_rejected_escalation_is_retried_too(database_url: str) -> None:
    record_escalation(_record(), database_url)
    clock = Clock()
    with WebhookReceiver(statuses=[401, 200]) as receiver:
        sender = EscalationSender(database_url, WebhookSettings(url=receiver.url), clock=clock)
        sender.deliver_due()
        clock.advance(1)
        sender.deliver_due()

    assert len(receiver.requests) == 2
    assert _rows(database_url)[0].notified_at == T0 + timedelta(seconds=1)


def test_rows_left_by_an_earlier_process_are_delivered(database_url: str, encryption_key: str) -> None:
    record_escalation(_record("left-behind"), database_url)
    # A sender that was killed while holding a claim; it runs out after the lease.
    held = record_escalation(_record("held"), database_url)
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            sa.update(escalations_as_stored)
            .where(escalations_as_stored.c.id == held)
            .values(claimed_by="gone:1:x", claimed_until=T0 + timedelta(seconds=60))
        )
    engine.dispose()
    clock = Clock()
    with WebhookReceiver() as receiver:
        sender = EscalationSender(database_url, WebhookSettings(url=receiver.url), clock=clock)
        assert sender.deliver_due().delivered == 1
        assert sender.seconds_until_due() == 60
        clock.advance(61)
        assert sender.deliver_due().delivered == 1

    assert [r["json"]["conversation_id"] for r in receiver.requests] == ["left-behind", "held"]
    assert all(row.notified_at is not None and row.claimed_by is None for row in _rows(database_url))


def test_an_erased_conversation_is_still_reported_without_its_id(database_url: str, encryption_key: str) -> None:
    record_escalation(_record("forget-me"), database_url)

    privacy.erase_conversation("forget-me")
    with WebhookReceiver() as receiver:
        EscalationSender(database_url, WebhookSettings(url=receiver.url)).deliver_due()

    [request] = receiver.requests
    assert request["json"]["conversation_id"] is None
    assert request["json"]["level"] == "emergency"
    assert request["json"]["red_flags"] == ["bladder_bowel_dysfunction"]
    [row] = _rows(database_url)
    assert row.conversation_id is None and row.erased_at is not None and row.notified_at is not None


def test_without_a_webhook_nothing_is_sent_and_the_check_says_so(database_url: str) -> None:
    record_escalation(_record(), database_url)

    assert EscalationSender(database_url, webhook=None).deliver_due().delivered == 0
    [finding] = outbox_findings(database_url, webhook=None)
    assert finding.severity is Severity.WARNING and "not sent" in finding.text


def test_the_check_flags_overdue_escalations(database_url: str) -> None:
    record_escalation(_record(), database_url)
    webhook = WebhookSettings(url="http://127.0.0.1:9/", attempts=4)

    assert outbox_findings(database_url, webhook, now=T0 + timedelta(minutes=1))[0].severity is Severity.OK
    late = outbox_findings(database_url, webhook, now=T0 + timedelta(minutes=6))[0]
    assert late.severity is Severity.PROBLEM and "1 waiting for delivery, the oldest for 6 min" in late.text


def test_the_background_sender_delivers_as_soon_as_a_turn_is_stored(
    database_url: str, encryption_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore

    with WebhookReceiver() as receiver:
        monkeypatch.setenv("ASSISTANT_ESCALATION_WEBHOOK_URL", receiver.url)
        store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=database_url)
        started = time.monotonic()
        asyncio.run(store.save(sample.conversation("woken", channel="socketio")))
        assert receiver.wait_for(1, timeout=10)
        took = time.monotonic() - started
        assert store.sender is not None
        store.sender.stop()

    assert receiver.requests[0]["json"]["channel"] == "socketio"
    # Woken by the save rather than found by the next poll.
    assert took < store.sender.poll_s


def test_records_the_database_refused_are_sent_directly_then_recorded(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    record_escalation(_record("earlier"), database_url)  # creates the schema
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                sa.text("CREATE TRIGGER refuse BEFORE INSERT ON escalations BEGIN SELECT RAISE(ABORT, 'x'); END")
            )
        else:
            connection.execute(
                sa.text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'x'; END $$"
                )
            )
            connection.execute(
                sa.text("CREATE TRIGGER refuse BEFORE INSERT ON escalations FOR EACH ROW EXECUTE FUNCTION refuse()")
            )
    with WebhookReceiver() as receiver:
        sender = EscalationSender(database_url, WebhookSettings(url=receiver.url))
        sender.hand_over([_record("unstored")])
        sender.process_unstored()
        assert [r["json"]["conversation_id"] for r in receiver.requests] == ["unstored"]
        assert sender.pending_unstored() == 1

        with engine.begin() as connection:
            connection.execute(
                sa.text("DROP TRIGGER refuse" + ("" if engine.dialect.name == "sqlite" else " ON escalations"))
            )
        sender.process_unstored()
        sender.deliver_due()
        sender.stop()
    engine.dispose()

    assert sender.pending_unstored() == 0
    # Sent once directly (recorded as delivered), and the earlier row once from the outbox.
    assert sorted(r["json"]["conversation_id"] for r in receiver.requests) == ["earlier", "unstored"]
    assert all(row.notified_at is not None for row in _rows(database_url))


# Several senders on one database.


def test_two_processes_never_deliver_one_record_twice(database_url: str, encryption_key: str, tmp_path: Path) -> None:
    conversation_ids = [f"c{n:03d}" for n in range(60)]
    for conversation_id in conversation_ids:
        record_escalation(_record(conversation_id), database_url)
    # A slow clinic keeps the senders busy at the same time.
    with WebhookReceiver(delay_s=0.02) as receiver:
        env = {
            **os.environ,
            "ASSISTANT_DATABASE_URL": database_url,
            "ASSISTANT_ESCALATION_WEBHOOK_URL": receiver.url,
        }
        start_signal = tmp_path / "go"
        script = (
            "import pathlib, sys, time\n"
            "from rasa_project.__main__ import main\n"
            f"while not pathlib.Path({str(start_signal)!r}).exists(): time.sleep(0.005)\n"
            "sys.exit(main(['deliver-escalations', '--once']))\n"
        )
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", script],
                cwd=REPO_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        time.sleep(3)  # the imports
        start_signal.touch()
        outputs = [p.communicate(timeout=180) for p in processes]

    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    received = [r["json"]["conversation_id"] for r in receiver.requests]
    assert sorted(received) == conversation_ids
    delivered_by = [int(out.split()[1]) for out, _err in outputs]
    assert sum(delivered_by) == 60
    # Each process did part of the work: they really ran side by side.
    assert sum(1 for n in delivered_by if n) >= 2, delivered_by
    assert all(row.notified_at is not None for row in _rows(database_url))


def test_the_stand_alone_sender_needs_a_webhook(database_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rasa_project", "deliver-escalations", "--once"],
        cwd=REPO_ROOT,
        env={**os.environ, "ASSISTANT_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "error: ASSISTANT_ESCALATION_WEBHOOK_URL is not set."


def test_a_conversation_id_is_never_logged(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    secret_id = f"telegram-{uuid.uuid4().hex}"
    record_escalation(_record(secret_id), database_url)
    clock = Clock()
    with caplog.at_level(logging.DEBUG, logger="rasa_project"):
        sender = EscalationSender(database_url, WebhookSettings(url=_dead_url(), timeout_s=1, attempts=1), clock=clock)
        sender.deliver_due()

    assert caplog.records
    assert not any(secret_id in r.getMessage() for r in caplog.records)
