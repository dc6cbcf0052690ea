"""Opening the database for a Rasa server: reachable, keys proven, schema current.

:func:`prepare_for_serving` waits for the database, proves that the configured
keys open the stored data (:mod:`rasa_project.storage.key_check`), migrates the
schema and records the encrypting key. The tracker store runs it when Rasa
creates it, and refuses to be created when it fails.

That alone does not stop a server: an error raised while Rasa creates the
tracker store ends only the Sanic worker that raised it (with several workers,
the others keep serving), and plain ``rasa run`` shows it as a traceback. So
:func:`check_storage_before_serving` runs the same preparation in the process
that starts Rasa (:mod:`rasa_project.rasa_cli`), before Rasa loads anything, and
exits with status :data:`EXIT_STORAGE_REFUSED` and a one-line reason on stderr.
Nothing is written to the database when it refuses.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine.url import make_url

from rasa_project.storage import database, key_check
from rasa_project.storage.crypto import FieldCipher, active_cipher

#: Exit status of a server that refuses to start (``EX_CONFIG`` of sysexits.h).
EXIT_STORAGE_REFUSED = 78
#: Rasa commands that serve conversations from the tracker store.
SERVING_COMMANDS = frozenset({"run", "shell", "interactive"})
DEFAULT_ENDPOINTS = "endpoints.yml"
MALFORMED_KEY_REASON = (
    "ASSISTANT_ENCRYPTION_KEYS holds a value that is not a Fernet key (`python -m rasa_project generate-key` makes one)"
)


class StorageRefused(RuntimeError):
    """The storage cannot be used; the message is a one-line reason."""


def prepare_for_serving(url: str, cipher: FieldCipher, wait_attempts: int = 24, pause_s: float = 5.0) -> None:
    """Make the database ready for a server, or refuse before anything is written.

    Raises:
        StorageRefused: when the database stays unreachable or the keys do not open its data.
    """
    url = database.resolve_url(url)
    try:
        database.wait_until_reachable(url, attempts=wait_attempts, pause_s=pause_s)
    except sa.exc.OperationalError as error:
        raise StorageRefused(f"cannot reach the database {make_url(url)!r} ({type(error.orig).__name__})") from None
    engine = database.engine_for(url)
    try:
        with engine.connect() as connection:
            key_check.verify_keys(connection, cipher)
        database.migrate(url)
        with engine.begin() as connection:
            key_check.record_encrypting_key(connection, cipher)
        # Again, in case a process with other keys recorded its key at the same moment.
        with engine.connect() as connection:
            key_check.verify_keys(connection, cipher)
    except key_check.KeyCheckError as error:
        raise StorageRefused(str(error)) from None


def check_storage_before_serving(argv: Optional[Sequence[str]] = None) -> None:
    """Exit with a one-line reason on stderr when ``rasa ARGV`` would serve from storage it cannot use.

    Args:
        argv: Rasa's arguments; this process's (``sys.argv[1:]``) by default.

    Does nothing for commands that do not serve conversations (``train``,
    ``run actions`` ...) and for endpoints without this project's tracker store.
    """
    url = tracker_store_database(sys.argv[1:] if argv is None else argv)
    if url is None:
        return
    try:
        cipher = active_cipher()
    except ValueError:
        _refuse(MALFORMED_KEY_REASON)
    try:
        prepare_for_serving(url, cipher)
    except StorageRefused as error:
        _refuse(str(error))
    except sa.exc.SQLAlchemyError as error:
        _refuse(f"the database cannot be prepared ({type(error).__name__})")


def tracker_store_database(argv: Sequence[str]) -> Optional[str]:
    """The database the tracker store of ``rasa ARGV`` would use, or ``None`` if it is not this project's."""
    if not argv or argv[0] not in SERVING_COMMANDS or list(argv[:2]) == ["run", "actions"]:
        return None
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--endpoints", default=DEFAULT_ENDPOINTS)
    endpoints = parser.parse_known_args(list(argv[1:]))[0].endpoints

    from rasa.shared.utils.common import class_from_module_path
    from rasa.utils.endpoints import read_endpoint_config

    from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore

    try:
        config = read_endpoint_config(endpoints, "tracker_store")
        if config is None or not config.type:
            return None
        store_class = class_from_module_path(config.type)
    except Exception:
        # Rasa reports a broken endpoints file itself, in its own words.
        return None
    if not (isinstance(store_class, type) and issubclass(store_class, EncryptedSQLTrackerStore)):
        return None
    return database.resolve_url(config.url if config.url and "://" in config.url else None)


def _refuse(reason: str) -> NoReturn:
    print(f"Refusing to start: {reason}.", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_STORAGE_REFUSED)
