"""The assessment record written when the assistant gives its result."""

from __future__ import annotations

import logging
import math
from typing import Any, Mapping, Optional, Sequence

from sqlalchemy.exc import SQLAlchemyError

from rasa_project.clinical.contract import ASSESSMENT_SLOTS
from rasa_project.storage import database, key_check
from rasa_project.storage.models import Assessment

logger = logging.getLogger(__name__)

#: Longest channel name stored; longer names (never seen in practice) are cut.
CHANNEL_MAX_LENGTH = 64


def save_assessment(
    conversation_id: str,
    channel: Optional[str],
    slots: Mapping[str, Any],
    triage_level: str,
    recommendation: str,
    red_flags: Sequence[str],
    database_url: Optional[str] = None,
) -> None:
    """Record a completed assessment; health values are encrypted at rest.

    A failure to write is logged and swallowed: the person must get their result
    even when the database is unavailable. Nothing is written when the configured
    keys do not open the stored data (a row no one could read with the right key).

    Args:
        conversation_id: Rasa's sender id.
        channel: the input channel (``rest``, ``socketio`` ...), if known.
        slots: the tracker's slots; the nine assessment slots are read from it.
        triage_level: the ``triage_level`` value given with the result.
        recommendation: the ``recommendation`` value given with the result.
        red_flags: the red-flag ids known at the time of the result.
        database_url: the database; ``ASSISTANT_DATABASE_URL`` by default.
    """
    row = Assessment(
        conversation_id=conversation_id,
        channel=channel[:CHANNEL_MAX_LENGTH] if channel else None,
        triage_level=triage_level,
        recommendation=recommendation,
        red_flags=[str(flag) for flag in (red_flags or ())],
        **{name: json_safe(slots.get(name)) for name in ASSESSMENT_SLOTS},
    )
    try:
        key_check.prove_keys_once(database_url)
        with database.session_scope(database_url) as session:
            session.add(row)
    except key_check.KeyCheckError as error:
        logger.error("Did not record an assessment: %s.", error)
    except SQLAlchemyError as error:
        logger.error("Could not record an assessment (%s).", type(error).__name__)


def json_safe(value: Any) -> Any:
    """Return ``value`` as something JSON can store (NaN and infinities become ``None``)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    return str(value)
