"""Rasa's SQL tracker store, configured from the environment and encrypted at rest.

Register it in ``endpoints.yml``::

    tracker_store:
      type: rasa_project.storage.tracker_store.EncryptedSQLTrackerStore

The database is ``ASSISTANT_DATABASE_URL`` (SQLite under ``var/`` by default) and
events are encrypted with ``ASSISTANT_ENCRYPTION_KEYS``; both are described in
:mod:`rasa_project.storage`.

What lands in which column: Rasa's ``SQLTrackerStore`` writes ``sender_id``,
``type_name`` (event type), ``timestamp``, ``intent_name`` (the classified
intent), ``action_name`` (the event's ``name``: an action, slot or form name) and
``data`` (the whole event as JSON: message text, entities, slot values). Only
``data`` carries what a person said or health data, so ``data`` is what this store
encrypts; the other columns hold names from the domain and stay queryable.

Erasure on request: when the action ``action_delete_my_data`` has run in a turn,
:meth:`EncryptedSQLTrackerStore.save` deletes every row of the conversation
(tracker events, assessments, escalations) instead of writing the turn. Erasing
here, rather than only in the action, is what makes it stick: Rasa saves the
tracker after the action returns, and would otherwise write the whole
conversation back from memory.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Iterable, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from rasa_project.storage import database, privacy
from rasa_project.storage.crypto import FieldCipher, active_cipher

logger = logging.getLogger(__name__)


def requests_erasure(events: Iterable[Event]) -> bool:
    """Whether the delete-my-data action ran among ``events``."""
    return any(
        isinstance(event, ActionExecuted) and event.action_name == privacy.ACTION_DELETE_MY_DATA
        for event in events
    )


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` on ``ASSISTANT_DATABASE_URL`` with events encrypted at rest.

    Args:
        domain: the assistant's domain (set by Rasa).
        host: a full SQLAlchemy URL; overrides ``ASSISTANT_DATABASE_URL`` when given
            (``url:`` in ``endpoints.yml``).
        event_broker: where new events are published (set by Rasa).
        database_url: like ``host``, for callers outside ``endpoints.yml``.
        cipher: the cipher to use; the one of ``ASSISTANT_ENCRYPTION_KEYS`` by default.
    """

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        database_url: Optional[Text] = None,
        cipher: Optional[FieldCipher] = None,
        **kwargs: Any,
    ) -> None:
        self.database_url = database.resolve_url(database_url or (host if host and "://" in host else None))
        self.cipher = cipher or active_cipher()
        # Our tables first: a fresh database is complete before the first message.
        database.migrate_when_reachable(self.database_url)
        super().__init__(domain=domain, host=self.database_url, event_broker=event_broker, **kwargs)
        # Replace the parent's engine with one that keeps statement parameters
        # (message text when no key is set) out of error messages, which Rasa logs.
        self.engine.dispose()
        self.engine = sa.create_engine(
            self.database_url, hide_parameters=True, **create_engine_kwargs(self.database_url)
        )
        database.harden_sqlite(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [json.loads(self.cipher.decrypt(row.data)) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the tracker's new events, encrypted, or erase it if that was asked."""
        with self.session_scope() as session:
            unsaved = list(self._additional_events(session, tracker))
        if requests_erasure(unsaved):
            self._erase(tracker.sender_id)
            return

        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in unsaved:
                session.add(self._row_for(tracker.sender_id, event))
            session.commit()
        logger.debug("Stored the tracker of a conversation.")

    def _row_for(self, sender_id: Text, event: Event) -> "SQLTrackerStore.SQLEvent":
        data: Dict[Text, Any] = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=self.cipher.encrypt(json.dumps(data)),
        )

    def _erase(self, sender_id: Text) -> None:
        forget = getattr(self.event_broker, "forget_conversation", None)
        if callable(forget):
            # Escalations of this conversation still queued must not be written afterwards.
            forget(sender_id)
        deleted = privacy.erase_conversation(sender_id, database_url=self.database_url)
        logger.info("Erased a conversation on the person's request (%d rows).", deleted)
