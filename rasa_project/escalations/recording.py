"""Escalation records: found in a conversation's events, written as outbox rows.

The safety policy sets ``triage_level`` (``emergency`` or ``urgent``) and
``red_flags`` in the turn of the person's message, whose ``user`` event carries
the input channel. :func:`escalations_in` reads those events, as the tracker store
hands them over, and returns the :class:`EscalationRecord` s of the new ones;
:func:`insert_outbox_rows` writes them in the caller's transaction.

Events are read by their Rasa ``type_name`` and attributes, without importing
Rasa, so the stand-alone sender and the operator tools load quickly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Sequence, Tuple

import sqlalchemy as sa

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, RED_FLAGS, TRIAGE_LEVEL, TriageLevel
from rasa_project.storage import database
from rasa_project.storage.crypto import FieldCipher, active_cipher
from rasa_project.storage.models import escalations_as_stored, utc_now

ESCALATING_LEVELS = frozenset({TriageLevel.EMERGENCY.value, TriageLevel.URGENT.value})
#: Events after which a conversation's flags start afresh.
RESET_EVENTS = frozenset({"restart", "session_started"})
CHANNEL_MAX_LENGTH = 64


@dataclass(frozen=True)
class EscalationRecord:
    """One escalation: who (``None`` once erased), when, through which channel, how serious and why."""

    conversation_id: Optional[str]
    created_at: datetime
    channel: Optional[str]
    level: str
    red_flags: Tuple[str, ...]

    def as_json(self) -> Dict[str, Any]:
        """Return the webhook payload: JSON-ready, with a readable line per flag."""
        return {
            "event": "escalation",
            "conversation_id": self.conversation_id,
            "created_at": self.created_at.isoformat(),
            "channel": self.channel,
            "level": self.level,
            "red_flags": list(self.red_flags),
            "red_flag_summaries": [
                RED_FLAG_CATALOGUE[flag].summary for flag in self.red_flags if flag in RED_FLAG_CATALOGUE
            ],
        }

    def deidentified(self) -> EscalationRecord:
        """The same record without the conversation id (what erasure keeps)."""
        return replace(self, conversation_id=None)


def may_escalate(events: Sequence[Any]) -> bool:
    """Whether ``events`` raise ``triage_level`` to an escalating level (a cheap first look)."""
    return any(
        getattr(event, "type_name", None) == "slot"
        and getattr(event, "key", None) == TRIAGE_LEVEL
        and _escalating_level(getattr(event, "value", None)) is not None
        for event in events
    )


def escalations_in(conversation_id: str, events: Sequence[Any], first_new: int) -> List[EscalationRecord]:
    """Return the escalations that ``events[first_new:]`` add to the conversation.

    ``triage_level`` is set before ``red_flags`` in the same turn, so a raised
    level is completed at the conversation's next non-slot event (the action that
    answers it), with the flags known by then. The same level with the same flags
    is recorded once, however often the person repeats the symptom, until a
    restart or a new session. The earlier events are read only to know that.

    Args:
        conversation_id: Rasa's sender id.
        events: the conversation's events (Rasa ``Event`` objects), oldest first.
        first_new: index of the first event not stored before.
    """
    records: List[EscalationRecord] = []
    channel: Optional[str] = None
    red_flags: Tuple[str, ...] = ()
    last_recorded: Optional[Tuple[str, Tuple[str, ...]]] = None
    pending: Optional[Tuple[str, datetime, int]] = None

    def complete() -> None:
        nonlocal pending, last_recorded
        if pending is None:
            return
        level, created_at, index = pending
        pending = None
        if (level, red_flags) == last_recorded:
            return
        last_recorded = (level, red_flags)
        if index >= first_new:
            records.append(EscalationRecord(conversation_id, created_at, channel, level, red_flags))

    for index, event in enumerate(events):
        kind = getattr(event, "type_name", None)
        if kind == "slot":
            name, value = getattr(event, "key", None), getattr(event, "value", None)
            if name == RED_FLAGS:
                red_flags = tuple(str(flag) for flag in value) if isinstance(value, (list, tuple)) else ()
            elif name == TRIAGE_LEVEL and (level := _escalating_level(value)) is not None:
                pending = (level, _event_time(getattr(event, "timestamp", None)), index)
            continue
        complete()
        if kind == "user" and getattr(event, "input_channel", None):
            channel = str(event.input_channel)[:CHANNEL_MAX_LENGTH]
        elif kind in RESET_EVENTS:
            red_flags, last_recorded = (), None
    complete()
    return records


def insert_outbox_rows(
    connection: Any,
    records: Sequence[EscalationRecord],
    cipher: FieldCipher,
    erased_at: Optional[datetime] = None,
) -> None:
    """Insert one undelivered ``escalations`` row per record, in the caller's transaction.

    Args:
        connection: a connection or session whose transaction the rows join.
        records: the escalations.
        cipher: encrypts the level and the flag ids (health data).
        erased_at: for records of an erased conversation: when it was erased.
    """
    if records:
        connection.execute(sa.insert(escalations_as_stored), [_row(record, cipher, erased_at) for record in records])


def record_escalation(
    record: EscalationRecord,
    database_url: Optional[str] = None,
    cipher: Optional[FieldCipher] = None,
    notified_at: Optional[datetime] = None,
) -> int:
    """Write one escalation in a transaction of its own and return its row id.

    For records that did not come with a turn: an escalation that was sent
    directly while the database was down, and operator tools and tests.
    """
    url = database.resolve_url(database_url)
    database.ensure_migrated(url)
    row = {**_row(record, cipher or active_cipher(), None), "notified_at": notified_at}
    with database.engine_for(url).begin() as connection:
        result = connection.execute(sa.insert(escalations_as_stored).values(**row))
        return int(result.inserted_primary_key[0])


def stored_record(row: Any, cipher: FieldCipher) -> EscalationRecord:
    """Rebuild the record of a stored ``escalations`` row (read through ``escalations_as_stored``)."""
    flags = json.loads(cipher.decrypt(row.red_flags))
    return EscalationRecord(
        conversation_id=row.conversation_id,
        created_at=row.created_at,
        channel=row.channel,
        level=str(json.loads(cipher.decrypt(row.level))),
        red_flags=tuple(str(flag) for flag in flags) if isinstance(flags, list) else (),
    )


def _row(record: EscalationRecord, cipher: FieldCipher, erased_at: Optional[datetime]) -> Dict[str, Any]:
    # Encoded as EncryptedJSON encodes, so the ORM model reads these rows too.
    return {
        "conversation_id": None if erased_at else record.conversation_id,
        "created_at": record.created_at,
        "channel": record.channel,
        "level": cipher.encrypt(json.dumps(record.level, ensure_ascii=False)),
        "red_flags": cipher.encrypt(json.dumps(list(record.red_flags), ensure_ascii=False)),
        "attempts": 0,
        "erased_at": erased_at,
    }


def _escalating_level(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value in ESCALATING_LEVELS else None


def _event_time(timestamp: Any) -> datetime:
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool) and math.isfinite(timestamp):
        try:
            return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass
    return utc_now()
