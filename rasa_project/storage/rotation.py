"""Re-encryption of stored data with the newest key (the key-rotation step)."""

from __future__ import annotations

from typing import Optional, Tuple

import sqlalchemy as sa

from rasa_project.storage import database, key_check
from rasa_project.storage.crypto import FieldCipher, active_cipher
from rasa_project.storage.models import Assessment, EncryptedJSON, Escalation, rasa_events

#: Tables and their columns that hold encrypted (or encryptable) text.
ENCRYPTED_COLUMNS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (rasa_events.name, ("data",)),
    (Assessment.__tablename__, tuple(c.key for c in Assessment.__table__.columns if isinstance(c.type, EncryptedJSON))),
    (Escalation.__tablename__, tuple(c.key for c in Escalation.__table__.columns if isinstance(c.type, EncryptedJSON))),
)
BATCH_SIZE = 500


def rotate_keys(database_url: Optional[str] = None, cipher: Optional[FieldCipher] = None) -> int:
    """Re-encrypt every stored value with the first key of ``ASSISTANT_ENCRYPTION_KEYS``.

    Values written before a key was configured get encrypted too. Run it after
    putting a new key first and restarting the servers; afterwards the old keys
    can be removed. The key-check values are replaced last by one encrypted with
    the new key, so a server started with only the old keys refuses from then on.

    Returns:
        The number of rows rewritten.

    Raises:
        ValueError: if no key is configured.
        rasa_project.storage.key_check.KeyCheckError: if the configured keys do not open the stored data.
        rasa_project.storage.crypto.DecryptionError: if a value opens with no configured key.
    """
    cipher = cipher or active_cipher()
    if not cipher.enabled:
        raise ValueError("Set ASSISTANT_ENCRYPTION_KEYS before rotating keys.")
    url = database.resolve_url(database_url)
    database.ensure_migrated(url)
    engine = database.engine_for(url)
    with engine.connect() as connection:
        key_check.verify_keys(connection, cipher)
    rewritten = 0
    for table_name, columns in ENCRYPTED_COLUMNS:
        if not sa.inspect(engine).has_table(table_name):
            continue
        # Reflected, so the columns are raw text and no type decrypts on the way.
        table = sa.Table(table_name, sa.MetaData(), autoload_with=engine)
        rewritten += _rotate_table(engine, table, columns, cipher)
    with engine.begin() as connection:
        key_check.replace_key_checks(connection, cipher)
    return rewritten


def _rotate_table(engine: sa.engine.Engine, table: sa.Table, columns: Tuple[str, ...], cipher: FieldCipher) -> int:
    rewritten = 0
    last_id = 0
    while True:
        with engine.begin() as connection:
            rows = connection.execute(
                sa.select(table.c.id, *(table.c[name] for name in columns))
                .where(table.c.id > last_id)
                .order_by(table.c.id)
                .limit(BATCH_SIZE)
            ).all()
            if not rows:
                return rewritten
            for row in rows:
                values = {name: cipher.rotate(row[name]) for name in columns if row[name] is not None}
                if values:
                    connection.execute(sa.update(table).where(table.c.id == row.id).values(**values))
                    rewritten += 1
            last_id = rows[-1].id
