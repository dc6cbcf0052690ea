"""A short conversation with health data, and ways to look at what was stored."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, List

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

from rasa_project.clinical.contract import FOOT_ARCH, RED_FLAGS, TRIAGE_LEVEL

USER_TEXT = "Since Tuesday I wet myself without noticing and my flat feet ache"
#: Words of the conversation that must never be readable in the raw database.
SECRET_WORDS = ("bladder", "flat", "wet myself", "Tuesday", "noticing", "emergency_care")


def domain() -> Domain:
    """A domain with the slots the conversation sets."""
    custom = {"mappings": [{"type": "custom"}], "influence_conversation": False}
    return Domain.from_dict(
        {
            "intents": ["emergency", "affirm", "delete_my_data"],
            "slots": {
                TRIAGE_LEVEL: {"type": "text", **custom},
                RED_FLAGS: {"type": "list", **custom},
                FOOT_ARCH: {"type": "text", **custom},
                "recommendation": {"type": "text", **custom},
            },
            "responses": {"utter_emergency": [{"text": "Call an ambulance."}]},
            "actions": ["action_delete_my_data"],
        }
    )


def emergency_turn(channel: str = "rest", text: str = USER_TEXT) -> List[Event]:
    """The events of one turn in which the person reports an emergency symptom."""
    now = time.time()
    return [
        UserUttered(
            text,
            intent={"name": "emergency", "confidence": 0.97},
            entities=[{"entity": "red_flag", "value": "bladder_bowel_dysfunction", "start": 14, "end": 24}],
            input_channel=channel,
            timestamp=now,
        ),
        SlotSet(TRIAGE_LEVEL, "emergency", timestamp=now + 0.001),
        SlotSet("recommendation", "emergency_care", timestamp=now + 0.002),
        SlotSet(RED_FLAGS, ["bladder_bowel_dysfunction"], timestamp=now + 0.003),
        SlotSet(FOOT_ARCH, "flat", timestamp=now + 0.004),
        ActionExecuted("utter_emergency", timestamp=now + 0.005),
        BotUttered("Call an ambulance.", timestamp=now + 0.006),
        ActionExecuted("action_listen", timestamp=now + 0.007),
    ]


def conversation(sender_id: str, channel: str = "rest") -> DialogueStateTracker:
    """A tracker with a session start and one emergency turn."""
    events: List[Event] = [
        ActionExecuted("action_session_start", timestamp=time.time() - 1),
        SessionStarted(timestamp=time.time() - 1),
        ActionExecuted("action_listen", timestamp=time.time() - 1),
        *emergency_turn(channel),
    ]
    return DialogueStateTracker.from_events(sender_id, events, domain().slots)


def raw_database_text(url: str) -> str:
    """Return everything stored in the database as text, as an attacker with the files sees it.

    SQLite: the bytes of the database file (deleted pages included) and of its
    rollback journal or write-ahead log. PostgreSQL:
    every column of every row of every table, cast to text.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        side_files = [path.with_name(path.name + suffix) for suffix in ("-journal", "-wal")]
        blobs = [path.read_bytes()] + [side.read_bytes() for side in side_files if side.exists()]
        return b"".join(blobs).decode("latin-1")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            texts = []
            for table in sa.inspect(connection).get_table_names():
                rows = connection.execute(sa.text(f'SELECT t::text FROM "{table}" AS t'))
                texts.extend(row[0] for row in rows)
            return "\n".join(texts)
    finally:
        engine.dispose()


def rows_of(url: str, conversation_id: str) -> Dict[str, int]:
    """Count the rows of a conversation in every table that has a conversation column."""
    engine = sa.create_engine(url)
    counts: Dict[str, int] = {}
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            for table in inspector.get_table_names():
                columns = {column["name"] for column in inspector.get_columns(table)}
                for id_column in ("sender_id", "conversation_id"):
                    if id_column in columns:
                        counts[table] = connection.execute(
                            sa.text(f'SELECT COUNT(*) FROM "{table}" WHERE {id_column} = :cid'),
                            {"cid": conversation_id},
                        ).scalar_one()
    finally:
        engine.dispose()
    return counts


def rows_in_all_tables(url: str) -> Dict[str, Any]:
    """Count the rows of every table (to see that nothing else was touched)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(sa.text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
                for table in sa.inspect(connection).get_table_names()
            }
    finally:
        engine.dispose()
