"""SQLAlchemy models of the project's own records, and Rasa's ``events`` table.

``assessments``, ``escalations`` and ``assistant_key_checks`` are owned by this
package and created by the Alembic migrations in ``migrations/``. Health data in
them is stored through :class:`EncryptedJSON`, encrypted with the keys of
``ASSISTANT_ENCRYPTION_KEYS``.

``rasa_events`` describes the table Rasa's ``SQLTrackerStore`` creates, so that
privacy operations and reports can query it without importing Rasa (the action
server does not load Rasa). It lives in its own metadata: migrations never touch it.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import declarative_base

from rasa_project.storage.crypto import active_cipher

# declarative_base() builds the class at run time; mypy (without the SQLAlchemy plugin) cannot see it.
Base: Any = declarative_base()

#: Alembic's bookkeeping table; named so it cannot clash with a clinic's own Alembic.
VERSION_TABLE = "assistant_schema_version"


class EncryptedJSON(sa.types.TypeDecorator):
    """A JSON value stored as text, encrypted when a key is configured."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Optional[str]:
        """Serialise and encrypt a Python value for storage (``None`` stays NULL)."""
        if value is None:
            return None
        return active_cipher().encrypt(json.dumps(value, default=str, ensure_ascii=False))

    def process_result_value(self, value: Optional[str], dialect: Dialect) -> Any:
        """Decrypt and parse a stored value."""
        if value is None:
            return None
        return json.loads(active_cipher().decrypt(value))


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones and returns naive values; normalising here keeps
    comparisons and reports identical on SQLite and PostgreSQL.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Dialect) -> Optional[datetime]:
        """Convert an aware datetime to naive UTC (naive input is taken as UTC)."""
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Optional[datetime], dialect: Dialect) -> Optional[datetime]:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class Assessment(Base):
    """A completed assessment: the answers, the triage level and the recommendation."""

    __tablename__ = "assessments"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utc_now, index=True)
    channel = sa.Column(sa.String(64))
    pain_duration = sa.Column(EncryptedJSON)
    pain_severity = sa.Column(EncryptedJSON)
    red_flag_screen = sa.Column(EncryptedJSON)
    daily_load = sa.Column(EncryptedJSON)
    foot_arch = sa.Column(EncryptedJSON)
    shoe_wear = sa.Column(EncryptedJSON)
    leg_length_difference = sa.Column(EncryptedJSON)
    gait_diagnosis = sa.Column(EncryptedJSON)
    insole_history = sa.Column(EncryptedJSON)
    triage_level = sa.Column(EncryptedJSON)
    recommendation = sa.Column(EncryptedJSON)
    red_flags = sa.Column(EncryptedJSON)


class Escalation(Base):
    """An emergency or urgent escalation: the audit record and the outbox row of its delivery.

    The tracker store writes it in the same transaction as the turn's events; the
    sender (:mod:`rasa_project.escalations.delivery`) claims it, POSTs it to the
    clinic's webhook and sets ``notified_at``. Erasing the conversation sets
    ``conversation_id`` to NULL and ``erased_at``: what is left (time, channel,
    level, flag ids, whether the clinic was told) is the clinic's de-identified
    audit record, kept on purpose.
    """

    __tablename__ = "escalations"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    #: NULL once the conversation has been erased.
    conversation_id = sa.Column(sa.String(255), index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utc_now, index=True)
    channel = sa.Column(sa.String(64))
    # Flag ids name symptoms ("bladder_bowel_dysfunction"), so they are health data.
    level = sa.Column(EncryptedJSON, nullable=False)
    red_flags = sa.Column(EncryptedJSON, nullable=False)
    #: When the clinic's webhook accepted the escalation; NULL until it has.
    notified_at = sa.Column(UTCDateTime, index=True)
    #: Delivery attempts made so far.
    attempts = sa.Column(sa.Integer, nullable=False, default=0, server_default="0")
    #: Earliest time of the next attempt after a failed one (NULL: due now).
    next_attempt_at = sa.Column(UTCDateTime)
    #: The sender that is delivering it, and until when that claim holds.
    claimed_by = sa.Column(sa.String(128))
    claimed_until = sa.Column(UTCDateTime)
    #: When the conversation was erased and this record de-identified.
    erased_at = sa.Column(UTCDateTime)


class KeyCheck(Base):
    """A known value encrypted with a key that has encrypted stored data.

    Every server start proves that the configured keys open each of these (see
    :mod:`rasa_project.storage.key_check`); key rotation replaces them with one
    value encrypted with the new key.
    """

    __tablename__ = "assistant_key_checks"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    token = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utc_now)


#: The ``escalations`` table with its encrypted columns as the stored text, for code
#: that encrypts and decrypts with a cipher of its own (the outbox writer and the
#: sender). In its own metadata: migrations never see it.
escalations_as_stored = sa.Table(
    Escalation.__tablename__,
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.String(255)),
    sa.Column("created_at", UTCDateTime),
    sa.Column("channel", sa.String(64)),
    sa.Column("level", sa.Text),
    sa.Column("red_flags", sa.Text),
    sa.Column("notified_at", UTCDateTime),
    sa.Column("attempts", sa.Integer),
    sa.Column("next_attempt_at", UTCDateTime),
    sa.Column("claimed_by", sa.String(128)),
    sa.Column("claimed_until", UTCDateTime),
    sa.Column("erased_at", UTCDateTime),
)


_rasa_metadata = sa.MetaData()

#: Rasa's tracker table (``rasa.core.tracker_store.SQLTrackerStore.SQLEvent``).
rasa_events = sa.Table(
    "events",
    _rasa_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

#: Tables whose rows of a conversation are deleted when it is erased, keyed by the
#: conversation-id column. Escalations are de-identified instead (see :class:`Escalation`).
ERASED_TABLES = (
    (rasa_events, rasa_events.c.sender_id),
    (Assessment.__table__, Assessment.__table__.c.conversation_id),
)
