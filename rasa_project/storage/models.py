"""SQLAlchemy models of the project's own records, and Rasa's ``events`` table.

``assessments`` and ``escalations`` are owned by this package and created by the
Alembic migrations in ``migrations/``. Health data in them is stored through
:class:`EncryptedJSON`, encrypted with the keys of ``ASSISTANT_ENCRYPTION_KEYS``.

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
    """An emergency or urgent escalation, as recorded from the conversation events."""

    __tablename__ = "escalations"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utc_now, index=True)
    channel = sa.Column(sa.String(64))
    # Flag ids name symptoms ("bladder_bowel_dysfunction"), so they are health data.
    level = sa.Column(EncryptedJSON, nullable=False)
    red_flags = sa.Column(EncryptedJSON, nullable=False)
    #: When the clinic's webhook accepted the escalation; NULL if never delivered.
    notified_at = sa.Column(UTCDateTime)


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

#: Every table that holds rows of a conversation, keyed by its conversation-id column.
CONVERSATION_TABLES = (
    (rasa_events, rasa_events.c.sender_id),
    (Assessment.__table__, Assessment.__table__.c.conversation_id),
    (Escalation.__table__, Escalation.__table__.c.conversation_id),
)
