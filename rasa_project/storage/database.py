"""Database engines, sessions and schema migrations for the assistant's storage."""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Set, Tuple

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.url import make_url
from sqlalchemy.orm import Session, sessionmaker

from rasa_project.storage import settings
from rasa_project.storage.models import VERSION_TABLE

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
ALEMBIC_INI = PACKAGE_DIR / "alembic.ini"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
#: Rasa's variable for a PostgreSQL schema other than ``public``.
POSTGRESQL_SCHEMA_VARIABLE = "SQL_TRACKER_STORE_SCHEMA"
#: Arbitrary constant that identifies this project's migration lock on PostgreSQL.
MIGRATION_LOCK_ID = 4_711_000_017

_migrated_urls: Set[str] = set()
_migration_lock = threading.Lock()


def resolve_url(url: Optional[str] = None) -> str:
    """Return ``url`` or the configured database URL, creating a SQLite file's folder."""
    url = url or settings.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return url


def is_sqlite(engine_or_url: Any) -> bool:
    """Whether an engine or URL points at SQLite."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(str(engine_or_url))
    return url.get_backend_name() == "sqlite"


def harden_sqlite(engine: Engine) -> None:
    """Configure every new SQLite connection of ``engine`` for this workload.

    ``secure_delete`` overwrites deleted rows with zeros, so erased conversations
    do not linger in free pages of the database file; ``busy_timeout`` lets the
    Rasa server and the action server write the same file without "database is
    locked" errors under load.

    The write-ahead log (``journal_mode = WAL``) lets readers and the writer work
    at the same time, and with ``synchronous = NORMAL`` a commit appends to the
    log without waiting for the disk: a turn costs no fsync. A commit is still
    atomic and survives the process being killed; only a power cut or kernel
    crash can lose the last turns before the next checkpoint. Erasures checkpoint
    the log at once (:func:`truncate_sqlite_log`), so erased rows do not linger in it.
    """
    if not is_sqlite(engine):
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if not _is_in_memory(engine):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def sqlite_engine_kwargs(url: str) -> Dict[str, Any]:
    """Return ``create_engine`` arguments that keep SQLite file connections open.

    SQLAlchemy 1.4 opens and closes a new SQLite connection for every session by
    default, so each turn paid for opening the file, the connection pragmas and
    parsing the schema again. A pool of open connections avoids that; a pooled
    connection is used by one thread at a time, so it may move between threads.
    Empty for other databases and for in-memory SQLite.
    """
    if not is_sqlite(url) or _is_in_memory(url):
        return {}
    return {"poolclass": sa.pool.QueuePool, "connect_args": {"check_same_thread": False}}


def truncate_sqlite_log(engine: Engine) -> None:
    """Copy the SQLite write-ahead log into the database file and empty it.

    Deleted rows are zeroed in the pages the deletion writes, but older copies of
    those pages stay in the log file until it is reset; this removes them.
    Does nothing on other databases.
    """
    if not is_sqlite(engine) or _is_in_memory(engine):
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _is_in_memory(engine_or_url: Any) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(str(engine_or_url))
    return url.database in (None, "", ":memory:")


@lru_cache(maxsize=16)
def engine_for(url: str) -> Engine:
    """Return the process-wide engine for ``url``."""
    url = resolve_url(url)
    # hide_parameters: values (health data) never appear in error messages or logs.
    kwargs: dict = {"pool_pre_ping": True, "hide_parameters": True, **sqlite_engine_kwargs(url)}
    if not is_sqlite(url):
        kwargs.update(pool_size=5, max_overflow=10)
        schema = os.environ.get(POSTGRESQL_SCHEMA_VARIABLE)
        if schema and make_url(url).get_backend_name() == "postgresql":
            # The same schema as Rasa's tracker store, so both find the same tables.
            kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    engine = sa.create_engine(url, **kwargs)
    harden_sqlite(engine)
    _engines.append(engine)
    return engine


#: Every engine this process made, so a forked child can drop the pooled connections
#: it inherited: Sanic forks its workers after the start-up check has used the
#: database, and two processes reading from one socket corrupt each other's results.
_engines: list[Engine] = []


def _forget_inherited_connections() -> None:
    for engine in _engines:
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)


@lru_cache(maxsize=16)
def _session_factory(url: str) -> sessionmaker:
    return sessionmaker(bind=engine_for(url), expire_on_commit=False)


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """Yield a session on the (migrated) database that commits on success.

    Args:
        url: SQLAlchemy URL; the configured database by default.
    """
    url = resolve_url(url)
    ensure_migrated(url)
    session = _session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(connection: Optional[Connection] = None) -> Config:
    """Return the Alembic configuration of the project's migrations."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(url: Optional[str] = None) -> None:
    """Upgrade the database to the newest schema (``alembic upgrade head``).

    Safe to call from every process at start-up: concurrent callers are
    serialised (an advisory lock on PostgreSQL, a lock file beside a SQLite
    database), and an up-to-date schema is left untouched.
    """
    url = resolve_url(url)
    engine = engine_for(url)
    with _sqlite_migration_lock(url):
        _upgrade(engine)
    _migrated_urls.add(url)


@contextmanager
def _sqlite_migration_lock(url: str) -> Iterator[None]:
    """Hold an inter-process lock while a SQLite file database is migrated.

    SQLite's driver commits each ``CREATE TABLE`` on its own, before Alembic
    records the new version, so a second process could see the tables without
    the version and try to create them again. A lock file next to the database
    makes the second process wait and then find the schema up to date.
    Does nothing for other databases and in-memory SQLite.
    """
    if not is_sqlite(url) or _is_in_memory(url):
        yield
        return
    database_path = Path(make_url(url).database).expanduser()
    with FileLock(str(database_path) + ".migration.lock", timeout=120):
        yield


def wait_until_reachable(url: Optional[str] = None, attempts: int = 24, pause_s: float = 5.0) -> None:
    """Return once the database answers, waiting for one that is still starting.

    A server started together with its database (compose, Kubernetes) may come up
    first; like Rasa's own tracker store, it waits instead of failing.

    Raises:
        sqlalchemy.exc.OperationalError: if the database is unreachable after all attempts.
    """
    engine = engine_for(resolve_url(url))
    for attempt in range(1, attempts + 1):
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
            return
        except sa.exc.OperationalError as error:
            if attempt == attempts:
                raise
            logger.warning("Database not reachable (%s), retrying in %.0f s.", type(error.orig).__name__, pause_s)
            time.sleep(pause_s)


def _upgrade(engine: Engine) -> None:
    alembic_logger = logging.getLogger("alembic")
    if alembic_logger.level == logging.NOTSET:
        # Alembic reports every step at INFO; at each server start that is noise.
        alembic_logger.setLevel(logging.WARNING)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:lock_id)"), {"lock_id": MIGRATION_LOCK_ID})
        command.upgrade(alembic_config(connection), "head")


def ensure_migrated(url: Optional[str] = None) -> None:
    """Run :func:`migrate` once per process and database URL."""
    url = resolve_url(url)
    if url in _migrated_urls:
        return
    with _migration_lock:
        if url not in _migrated_urls:
            migrate(url)


def schema_revisions(url: Optional[str] = None) -> Tuple[Optional[str], Optional[str]]:
    """Return the database's schema revision and the newest one the code knows (Alembic's head)."""
    with engine_for(resolve_url(url)).connect() as connection:
        current = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()
    return current, ScriptDirectory.from_config(alembic_config()).get_current_head()


def has_table(url: Optional[str], name: str) -> bool:
    """Whether table ``name`` exists in the database (Rasa creates ``events`` lazily)."""
    return sa.inspect(engine_for(resolve_url(url))).has_table(name)
