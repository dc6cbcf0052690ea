"""Privacy operations: erase or export one conversation, and purge old ones.

A conversation's rows live in three tables, all keyed by the conversation id
(Rasa's ``sender_id``): Rasa's ``events`` and this package's ``assessments`` and
``escalations``. Every operation here covers all three.

Erasure (the person's "delete my data", ``python -m rasa_project erase`` and the
retention purge) deletes the conversation's events (everything the person wrote,
and the identifiers Rasa stores with it) and its assessments. Its escalation
records are kept, de-identified: their conversation id is removed and
``erased_at`` set, so the clinic's audit trail still shows when an emergency or
urgent escalation happened, through which channel, at which level, for which
red flags, and whether the clinic was notified. One that had not been delivered
yet is still delivered, without the conversation id: the clinic must learn that
an emergency was escalated even when the person has since asked to be forgotten.

Erasing from the command line while the person is still mid-turn can let the Rasa
server write that one turn back; the in-conversation "delete my data" action has
no such gap (see :mod:`rasa_project.storage.tracker_store`).

On SQLite, deleted rows are overwritten in the file (``secure_delete``) and the
write-ahead log, which still holds their earlier pages, is emptied. On
PostgreSQL, deleted rows stay in the table's files until (auto)vacuum reclaims
them; with ``ASSISTANT_ENCRYPTION_KEYS`` set they are ciphertext.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set

import sqlalchemy as sa
from sqlalchemy.orm import Session

from rasa_project.storage import database, settings
from rasa_project.storage.crypto import active_cipher
from rasa_project.storage.models import (
    ERASED_TABLES,
    Assessment,
    Escalation,
    rasa_events,
    utc_now,
)

#: The action that erases the person's data (see ``actions/privacy.py``).
ACTION_DELETE_MY_DATA = "action_delete_my_data"

#: Conversation ids deleted per statement in a purge, to keep ``IN (...)`` lists short.
PURGE_BATCH_SIZE = 500

EXPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Erasure:
    """What an erasure or a purge did."""

    #: Rows deleted (tracker events and assessments).
    deleted_rows: int = 0
    #: Escalation records kept as de-identified audit records.
    deidentified_escalations: int = 0

    def __add__(self, other: Erasure) -> Erasure:
        return Erasure(
            self.deleted_rows + other.deleted_rows, self.deidentified_escalations + other.deidentified_escalations
        )

    def describe(self) -> str:
        """One line for the operator."""
        return (
            f"Deleted {self.deleted_rows} rows; kept {self.deidentified_escalations} escalation records de-identified."
        )


def erase_conversation(conversation_id: str, database_url: Optional[str] = None) -> Erasure:
    """Erase a conversation in one transaction: delete its rows, de-identify its escalation records.

    Args:
        conversation_id: Rasa's sender id of the conversation.
        database_url: the database; ``ASSISTANT_DATABASE_URL`` by default.

    Returns:
        What was deleted and kept (nothing for an unknown id).
    """
    with database.session_scope(database_url) as session:
        erased = _erase_conversations(session, [conversation_id])
    _drop_old_page_copies(database_url)
    return erased


def export_conversation(conversation_id: str, database_url: Optional[str] = None) -> Dict[str, Any]:
    """Return everything stored about a conversation, decrypted, as JSON-ready data.

    Returns:
        ``{"conversation_id", "exported_at", "format_version", "events",
        "assessments", "escalations"}``; events are Rasa's event dicts of all
        sessions in the order they happened.
    """
    cipher = active_cipher()
    with database.session_scope(database_url) as session:
        events: List[Dict[str, Any]] = []
        if _has_events_table(session):
            rows = session.execute(
                sa.select(rasa_events.c.data)
                .where(rasa_events.c.sender_id == conversation_id)
                .order_by(rasa_events.c.id)
            )
            events = [json.loads(cipher.decrypt(data)) for (data,) in rows]
        assessments = session.query(Assessment).filter_by(conversation_id=conversation_id).order_by(Assessment.id)
        escalations = session.query(Escalation).filter_by(conversation_id=conversation_id).order_by(Escalation.id)
        return {
            "format_version": EXPORT_FORMAT_VERSION,
            "conversation_id": conversation_id,
            "exported_at": utc_now().isoformat(),
            "events": events,
            "assessments": [_row_as_dict(row) for row in assessments],
            "escalations": [_row_as_dict(row) for row in escalations],
        }


def purge_older_than(
    days: Optional[int] = None,
    database_url: Optional[str] = None,
    now: Optional[datetime] = None,
) -> Erasure:
    """Delete conversations whose latest activity is older than ``days`` days.

    A conversation is purged as a whole (tracker events and records together),
    never in part, so a conversation still in use keeps its history. Like an
    erasure, a purge keeps the escalation records de-identified.

    Args:
        days: retention period; ``ASSISTANT_RETENTION_DAYS`` (default 90) if ``None``.
        database_url: the database; ``ASSISTANT_DATABASE_URL`` by default.
        now: the current time (for tests and reproducible runs).

    Returns:
        What was deleted and kept, across all purged conversations.

    Raises:
        ValueError: if ``days`` is negative.
    """
    days = settings.retention_days() if days is None else days
    if days < 0:
        raise ValueError("The retention period cannot be negative.")
    cutoff = (now or utc_now()) - timedelta(days=days)
    with database.session_scope(database_url) as session:
        expired = sorted(_conversations_active(session, before=cutoff) - _conversations_active(session, since=cutoff))
        erased = Erasure()
        for start in range(0, len(expired), PURGE_BATCH_SIZE):
            erased += _erase_conversations(session, expired[start : start + PURGE_BATCH_SIZE])
    if erased != Erasure():
        _drop_old_page_copies(database_url)
    return erased


def _drop_old_page_copies(database_url: Optional[str]) -> None:
    # SQLite's write-ahead log still holds the pages as they were before the delete.
    database.truncate_sqlite_log(database.engine_for(database.resolve_url(database_url)))


def _erase_conversations(session: Session, conversation_ids: Sequence[str]) -> Erasure:
    deleted = 0
    has_events = _has_events_table(session)
    for table, id_column in ERASED_TABLES:
        if table is rasa_events and not has_events:
            continue
        result = session.execute(sa.delete(table).where(id_column.in_(list(conversation_ids))))
        deleted += max(result.rowcount or 0, 0)
    escalations = Escalation.__table__
    kept = session.execute(
        sa.update(escalations)
        .where(escalations.c.conversation_id.in_(list(conversation_ids)))
        .values(conversation_id=None, erased_at=utc_now())
    )
    return Erasure(deleted_rows=deleted, deidentified_escalations=max(kept.rowcount or 0, 0))


def _conversations_active(
    session: Session, *, before: Optional[datetime] = None, since: Optional[datetime] = None
) -> Set[str]:
    """Ids with at least one row older than ``before``, or at least one at/after ``since``."""
    ids: Set[str] = set()
    if _has_events_table(session):
        column = rasa_events.c.timestamp
        if before is not None:
            condition = column < before.timestamp()
        elif since is not None:
            condition = column >= since.timestamp()
        else:
            raise ValueError("give `before` or `since`")
        ids.update(_distinct(session, rasa_events.c.sender_id, condition))
    for model in (Assessment, Escalation):
        column = model.created_at
        condition = column < before if before else column >= since
        ids.update(_distinct(session, model.conversation_id, condition))
    return ids


def _distinct(session: Session, id_column: Any, condition: Any) -> Iterable[str]:
    # De-identified escalation records have no conversation id: nothing of them to purge.
    statement = sa.select(id_column).where(condition, id_column.is_not(None)).distinct()
    return (value for (value,) in session.execute(statement))


def _has_events_table(session: Session) -> bool:
    # Rasa creates `events` when its tracker store starts; a fresh database may lack it.
    return sa.inspect(session.get_bind()).has_table(rasa_events.name)


def _row_as_dict(row: Any) -> Dict[str, Any]:
    values: Dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return values
