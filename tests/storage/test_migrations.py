"""Alembic migrations: idempotent, reversible, concurrent-safe, and safe for a previous release's data."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from rasa.core.tracker_store import SQLTrackerStore

from rasa_project.escalations.delivery import EscalationSender, WebhookSettings
from rasa_project.escalations.recording import EscalationRecord, record_escalation
from rasa_project.storage import database, privacy, startup
from rasa_project.storage.crypto import FieldCipher, generate_key
from rasa_project.storage.models import VERSION_TABLE, Base, escalations_as_stored
from tests.storage import sample_conversation as sample
from tests.storage.webhook_receiver import WebhookReceiver

REPO_ROOT = Path(__file__).resolve().parents[2]


def _tables(url: str) -> set:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _head() -> str:
    return ScriptDirectory.from_config(database.alembic_config()).get_current_head()


def test_migrate_creates_the_tables_and_is_idempotent(database_url: str) -> None:
    database.migrate(database_url)
    database.migrate(database_url)

    assert _tables(database_url) == {"assessments", "escalations", "assistant_key_checks", VERSION_TABLE}
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all() == [_head()]
    engine.dispose()


def test_schema_matches_the_models(database_url: str) -> None:
    database.migrate(database_url)
    engine = sa.create_engine(database_url)
    inspector = sa.inspect(engine)
    for table in Base.metadata.sorted_tables:
        assert {c["name"] for c in inspector.get_columns(table.name)} == {c.name for c in table.columns}
        indexed = {tuple(i["column_names"]) for i in inspector.get_indexes(table.name)}
        assert indexed == {(c.name,) for c in table.columns if c.index}
    engine.dispose()


def test_downgrade_and_upgrade_again(database_url: str) -> None:
    database.migrate(database_url)
    engine = database.engine_for(database_url)
    with engine.begin() as connection:
        command.downgrade(database.alembic_config(connection), "base")
    assert _tables(database_url) == {VERSION_TABLE}

    database.migrate(database_url)
    assert {"assessments", "escalations"} <= _tables(database_url)


def test_migrations_from_parallel_processes(database_url: str, tmp_path: Path) -> None:
    # Each process imports, says it is ready, then waits for the same start signal,
    # so the migrations really overlap instead of being spread out by import times.
    start_signal = tmp_path / "start"
    script = (
        "import pathlib, sys, time\n"
        "from rasa_project.storage import database\n"
        f"folder = pathlib.Path({str(tmp_path)!r})\n"
        "(folder / f'ready-{sys.argv[1]}').touch()\n"
        "while not (folder / 'start').exists(): time.sleep(0.005)\n"
        "database.migrate()\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(n)], cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True)
        for n in range(6)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < len(processes) and time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            break
        time.sleep(0.05)
    start_signal.touch()
    errors = [p.communicate(timeout=120)[1] for p in processes]

    assert [p.returncode for p in processes] == [0] * 6, errors
    assert {"assessments", "escalations"} <= _tables(database_url)


def test_alembic_command_line_uses_the_environment(database_url: str) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "alembic"), "-c", "rasa_project/storage/alembic.ini", "upgrade", "head"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert {"assessments", "escalations"} <= _tables(database_url)


def test_postgres_schema_setting_is_honoured(postgres_server, monkeypatch) -> None:
    url = postgres_server.create_database("schema_test")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("CREATE SCHEMA clinic"))
    monkeypatch.setenv("SQL_TRACKER_STORE_SCHEMA", "clinic")
    database.engine_for.cache_clear()
    try:
        database.migrate(url)
        assert {"assessments", "escalations"} <= set(sa.inspect(engine).get_table_names(schema="clinic"))
        assert not {"assessments", "escalations"} & set(sa.inspect(engine).get_table_names(schema="public"))
    finally:
        database.engine_for.cache_clear()
        engine.dispose()


def _old_database(url: str, cipher: FieldCipher) -> None:
    """A database as the previous release left it: schema 0001, Rasa's events, records, escalations."""
    engine = database.engine_for(url)
    with engine.begin() as connection:
        command.upgrade(database.alembic_config(connection), "0001")
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('old', 'user', 1.0, :data)"),
            {"data": cipher.encrypt('{"event": "user", "text": "my flat feet", "timestamp": 1.0}')},
        )
        for conversation_id, notified in (("old", None), ("older", datetime(2026, 11, 1))):
            connection.execute(
                sa.text(
                    "INSERT INTO escalations (conversation_id, created_at, channel, level, red_flags, notified_at) "
                    "VALUES (:cid, :created, 'rest', :level, :flags, :notified)"
                ),
                {
                    "cid": conversation_id,
                    "created": datetime(2026, 11, 1),
                    "level": cipher.encrypt('"emergency"'),
                    "flags": cipher.encrypt('["saddle_anaesthesia"]'),
                    "notified": notified,
                },
            )


def test_upgrade_from_the_previous_release_keeps_and_delivers_its_escalations(database_url: str) -> None:
    cipher = FieldCipher([generate_key()])
    _old_database(database_url, cipher)

    startup.prepare_for_serving(database_url, cipher)

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(escalations_as_stored).order_by(escalations_as_stored.c.id)).all()
        assert connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one() == _head()
    engine.dispose()
    assert [(r.conversation_id, r.attempts, r.claimed_by, r.erased_at) for r in rows] == [
        ("old", 0, None, None),
        ("older", 0, None, None),
    ]
    # The one never notified is sent now; the other is not sent again.
    with WebhookReceiver() as receiver:
        EscalationSender(database_url, WebhookSettings(url=receiver.url), cipher).deliver_due()
    assert [r["json"]["conversation_id"] for r in receiver.requests] == ["old"]
    # Erasure can now keep the record de-identified (the column accepts NULL).
    assert privacy.erase_conversation("old", database_url).deidentified_escalations == 1


def test_a_previous_release_database_is_refused_with_the_wrong_key(database_url: str) -> None:
    _old_database(database_url, FieldCipher([generate_key()]))
    before = sample.rows_in_all_tables(database_url)

    with pytest.raises(startup.StorageRefused, match="a key that encrypted it is missing"):
        startup.prepare_for_serving(database_url, FieldCipher([generate_key()]))

    # Refused before migrating or writing anything.
    assert sample.rows_in_all_tables(database_url) == before
    assert "assistant_key_checks" not in _tables(database_url)


def test_downgrade_gives_erased_records_an_empty_conversation_id(database_url: str) -> None:
    database.migrate(database_url)
    record_escalation(EscalationRecord("gone", datetime.now(timezone.utc), None, "urgent", ()), database_url)
    privacy.erase_conversation("gone", database_url)
    engine = database.engine_for(database_url)
    with engine.begin() as connection:
        command.downgrade(database.alembic_config(connection), "0001")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT conversation_id FROM escalations")).scalars().all() == [""]
    database.migrate(database_url)
