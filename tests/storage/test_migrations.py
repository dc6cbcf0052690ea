"""Alembic migrations: idempotent, reversible, concurrent-safe."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from rasa_project.storage import database
from rasa_project.storage.models import VERSION_TABLE, Base

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

    assert _tables(database_url) == {"assessments", "escalations", VERSION_TABLE}
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
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
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
