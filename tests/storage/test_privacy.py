"""Erase, export and purge, checked against the raw database."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rasa_project.storage import privacy, records
from rasa_project.storage.models import Assessment, Escalation, rasa_events
from rasa_project.storage.privacy import Erasure
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample


def _conversation_with_records(url: str, conversation_id: str) -> None:
    """The sample emergency conversation (the store records its escalation) and an assessment."""
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url)
    asyncio.run(store.save(sample.conversation(conversation_id)))
    records.save_assessment(
        conversation_id,
        "rest",
        {"foot_arch": "flat", "pain_duration": "chronic", "pain_severity": 6},
        "routine",
        "custom_orthotics",
        [],
    )


def _audit_records(url: str) -> list:
    engine = sa.create_engine(url)
    with Session(engine) as session:
        rows = [
            (row.conversation_id, row.channel, row.level, row.red_flags, row.notified_at, row.erased_at is not None)
            for row in session.query(Escalation).order_by(Escalation.id)
        ]
    engine.dispose()
    return rows


def test_erase_removes_the_conversation_and_keeps_a_deidentified_audit_record(
    database_url: str, encryption_key: str
) -> None:
    _conversation_with_records(database_url, "erase-me")
    _conversation_with_records(database_url, "keep-me")
    before = sample.rows_in_all_tables(database_url)

    erased = privacy.erase_conversation("erase-me")

    assert erased == Erasure(deleted_rows=before["events"] // 2 + 1, deidentified_escalations=1)
    assert sample.rows_of(database_url, "erase-me") == {"events": 0, "assessments": 0, "escalations": 0}
    assert sample.rows_of(database_url, "keep-me") == {"events": 11, "assessments": 1, "escalations": 1}
    # What the clinic keeps: when, through which channel, how serious, why, whether it was told.
    assert _audit_records(database_url) == [
        (None, "rest", "emergency", ["bladder_bowel_dysfunction"], None, True),
        ("keep-me", "rest", "emergency", ["bladder_bowel_dysfunction"], None, False),
    ]


def test_erase_of_unknown_conversation_deletes_nothing(database_url: str, encryption_key: str) -> None:
    _conversation_with_records(database_url, "kept")

    assert privacy.erase_conversation("nobody") == Erasure()
    assert privacy.erase_conversation("") == Erasure()
    assert privacy.erase_conversation("'; DROP TABLE events; --") == Erasure()
    assert sample.rows_of(database_url, "kept")["events"] == 11


def test_erase_works_before_rasa_created_its_table(database_url: str) -> None:
    records.save_assessment("early", None, {}, "self_care", "otc_cushioning", [])

    assert privacy.erase_conversation("early") == Erasure(deleted_rows=1)


def test_erased_text_is_gone_from_the_sqlite_file(
    tmp_path, monkeypatch: pytest.MonkeyPatch, no_encryption: None
) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    _conversation_with_records(url, "wipe")
    assert sample.USER_TEXT in sample.raw_database_text(url)

    privacy.erase_conversation("wipe")

    raw = sample.raw_database_text(url)
    assert sample.USER_TEXT not in raw
    # Not even the conversation id is left, in the audit record or in freed pages.
    assert "wipe" not in raw
    assert sample.rows_in_all_tables(url)["escalations"] == 1


def test_export_contains_decrypted_events_and_records(database_url: str, encryption_key: str) -> None:
    _conversation_with_records(database_url, "export-me")
    _conversation_with_records(database_url, "not-me")

    exported = privacy.export_conversation("export-me")

    json.dumps(exported)  # must be serialisable as it is
    assert exported["conversation_id"] == "export-me"
    assert [e["text"] for e in exported["events"] if e["event"] == "user"] == [sample.USER_TEXT]
    assert exported["assessments"][0]["foot_arch"] == "flat"
    assert exported["assessments"][0]["pain_severity"] == 6
    assert exported["assessments"][0]["recommendation"] == "custom_orthotics"
    assert exported["escalations"][0]["red_flags"] == ["bladder_bowel_dysfunction"]
    assert exported["escalations"][0]["notified_at"] is None


def test_export_of_unknown_conversation_is_empty(database_url: str) -> None:
    exported = privacy.export_conversation("nobody")

    assert (exported["events"], exported["assessments"], exported["escalations"]) == ([], [], [])


def _age_conversation(url: str, conversation_id: str, days: float) -> None:
    """Move every row of a conversation ``days`` into the past."""
    shift = timedelta(days=days)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.update(rasa_events)
            .where(rasa_events.c.sender_id == conversation_id)
            .values(timestamp=rasa_events.c.timestamp - shift.total_seconds())
        )
        for table in ("assessments", "escalations"):
            rows = connection.execute(
                sa.text(f"SELECT id, created_at FROM {table} WHERE conversation_id = :cid"), {"cid": conversation_id}
            ).all()
            for row_id, created_at in rows:
                created_at = datetime.fromisoformat(str(created_at)) - shift
                connection.execute(
                    sa.text(f"UPDATE {table} SET created_at = :at WHERE id = :id"), {"at": created_at, "id": row_id}
                )
    engine.dispose()


def test_purge_deletes_only_inactive_conversations(database_url: str, encryption_key: str) -> None:
    _conversation_with_records(database_url, "old")
    _conversation_with_records(database_url, "recent")
    _conversation_with_records(database_url, "old-but-active")
    _age_conversation(database_url, "old", days=120)
    _age_conversation(database_url, "recent", days=10)
    _age_conversation(database_url, "old-but-active", days=200)
    records.save_assessment("old-but-active", "rest", {}, "self_care", "otc_cushioning", [])

    erased = privacy.purge_older_than(90)

    assert erased == Erasure(deleted_rows=12, deidentified_escalations=1)
    assert set(sample.rows_of(database_url, "old").values()) == {0}
    assert sample.rows_in_all_tables(database_url)["escalations"] == 3
    assert sample.rows_of(database_url, "recent")["events"] == 11
    assert sample.rows_of(database_url, "old-but-active")["assessments"] == 2


def test_purge_default_comes_from_the_environment(
    database_url: str, encryption_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _conversation_with_records(database_url, "month-old")
    _age_conversation(database_url, "month-old", days=31)

    assert privacy.purge_older_than() == Erasure()  # 90 days by default
    monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", "30")
    assert privacy.purge_older_than() == Erasure(deleted_rows=12, deidentified_escalations=1)
    # The audit records of purged conversations are not purged again later.
    assert privacy.purge_older_than(0, now=datetime.now(timezone.utc) + timedelta(days=400)) == Erasure()


def test_purge_rejects_a_negative_period(database_url: str) -> None:
    with pytest.raises(ValueError):
        privacy.purge_older_than(-1)


def test_purge_zero_days_deletes_everything_older_than_now(database_url: str, encryption_key: str) -> None:
    _conversation_with_records(database_url, "today")

    erased = privacy.purge_older_than(0, now=datetime.now(timezone.utc) + timedelta(minutes=1))

    assert erased == Erasure(deleted_rows=12, deidentified_escalations=1)
    with sa.create_engine(database_url).connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(Assessment.__table__)).scalar_one() == 0
