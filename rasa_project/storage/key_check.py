"""Proof that the configured keys open the stored data, before anything is served or written.

A server started with a wrong ``ASSISTANT_ENCRYPTION_KEYS`` would read no earlier
conversation and write new rows nobody could read with the right key. So the
table ``assistant_key_checks`` holds a known text encrypted with every key that
has encrypted data in this database (the first key of each configuration a
server ran with), and :func:`verify_keys` opens each of them, and the newest
encrypted value of every table, with the configured keys. It refuses when:

* stored data is encrypted and no key is set;
* a key that encrypted stored data is not among the configured keys (a wrong
  key, or an old key removed before ``python -m rasa_project rotate-keys`` ran).

:func:`record_encrypting_key` adds the current first key's value once the keys
are proven; key rotation ends with :func:`replace_key_checks`, which leaves only
the new key's value.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import List, Optional, Set, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasa_project.storage import database, settings
from rasa_project.storage.crypto import TOKEN_PREFIX, DecryptionError, FieldCipher, active_cipher
from rasa_project.storage.models import Assessment, Escalation, KeyCheck, rasa_events, utc_now

#: The text every key-check value decrypts to.
KEY_CHECK_TEXT = "back-pain-assistant key check v1"

NO_KEY_REASON = "stored data is encrypted but ASSISTANT_ENCRYPTION_KEYS is not set; set the key(s) that encrypted it"
WRONG_KEY_REASON = (
    "ASSISTANT_ENCRYPTION_KEYS does not open the stored data: a key that encrypted it is missing "
    "(a wrong key, or an old key removed before `python -m rasa_project rotate-keys` re-encrypted the data)"
)
ALTERED_REASON = "a key-check value in assistant_key_checks does not hold the expected text; the table was altered"

#: ``(table, column)`` pairs whose newest encrypted value is opened as a sample.
SAMPLED_COLUMNS = (
    (rasa_events.name, "data"),
    (Assessment.__tablename__, "recommendation"),
    (Escalation.__tablename__, "level"),
)


_proven: Set[Tuple[str, Tuple[str, ...]]] = set()
_proven_lock = threading.Lock()


class KeyCheckError(RuntimeError):
    """The configured keys cannot open the stored data; the message is a one-line reason."""


@dataclass(frozen=True)
class KeyCheckReport:
    """What :func:`verify_keys` opened."""

    key_checks: int
    sampled_values: int

    @property
    def encrypted_data(self) -> bool:
        """Whether the database holds encrypted data (or a key has been recorded)."""
        return bool(self.key_checks or self.sampled_values)


def verify_keys(connection: Connection, cipher: FieldCipher) -> KeyCheckReport:
    """Prove that ``cipher`` opens every key-check value and the newest encrypted values. Read-only.

    Raises:
        KeyCheckError: with the reason, when it does not.
    """
    tokens = key_check_tokens(connection)
    samples = newest_encrypted_values(connection)
    report = KeyCheckReport(key_checks=len(tokens), sampled_values=len(samples))
    if not cipher.enabled:
        if report.encrypted_data:
            raise KeyCheckError(NO_KEY_REASON)
        return report
    for token in tokens:
        if _opened(cipher, token) != KEY_CHECK_TEXT:
            raise KeyCheckError(ALTERED_REASON if _opened(cipher, token) is not None else WRONG_KEY_REASON)
    for value in samples:
        if _opened(cipher, value) is None:
            raise KeyCheckError(WRONG_KEY_REASON)
    return report


def prove_keys_once(database_url: Optional[str] = None) -> None:
    """Verify, once per process, database and key list, that the configured keys open the stored data.

    For processes that write encrypted data without the Rasa server's start-up
    check (the action server recording assessments): they must not write rows
    with a wrong key either.

    Raises:
        KeyCheckError: when the keys do not open the stored data (checked again on the next call).
    """
    url = database.resolve_url(database_url)
    proof = (url, settings.encryption_keys())
    if proof in _proven:
        return
    with _proven_lock:
        if proof in _proven:
            return
        with database.engine_for(url).connect() as connection:
            verify_keys(connection, active_cipher())
        _proven.add(proof)


def record_encrypting_key(connection: Connection, cipher: FieldCipher) -> bool:
    """Add a key-check value encrypted with the first key, unless there is one; return whether one was added."""
    if not cipher.enabled:
        return False
    if any(cipher.encrypted_with_first_key(token) for token in key_check_tokens(connection)):
        return False
    connection.execute(sa.insert(KeyCheck.__table__).values(token=cipher.encrypt(KEY_CHECK_TEXT), created_at=utc_now()))
    return True


def replace_key_checks(connection: Connection, cipher: FieldCipher) -> None:
    """Leave one key-check value, encrypted with the first key (after every value was re-encrypted with it)."""
    connection.execute(sa.delete(KeyCheck.__table__))
    record_encrypting_key(connection, cipher)


def key_check_tokens(connection: Connection) -> List[str]:
    """Every stored key-check value (none before the table exists)."""
    if not sa.inspect(connection).has_table(KeyCheck.__tablename__):
        return []
    return list(connection.execute(sa.select(KeyCheck.__table__.c.token).order_by(KeyCheck.__table__.c.id)).scalars())


def newest_encrypted_values(connection: Connection) -> List[str]:
    """The newest encrypted value of each sampled table that has one."""
    inspector = sa.inspect(connection)
    values = []
    for table, column in SAMPLED_COLUMNS:
        if not inspector.has_table(table):
            continue
        # Table and column names are constants of this module, never input.
        value = connection.execute(
            sa.text(f"SELECT {column} FROM {table} WHERE {column} LIKE :prefix ORDER BY id DESC LIMIT 1"),
            {"prefix": TOKEN_PREFIX + "%"},
        ).scalar()
        if value is not None:
            values.append(str(value))
    return values


def _opened(cipher: FieldCipher, stored: str) -> Optional[str]:
    try:
        return cipher.decrypt(stored)
    except DecryptionError:
        return None
