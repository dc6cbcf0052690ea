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

Escalations: when a turn raises ``triage_level`` to ``emergency`` or ``urgent``,
:meth:`EncryptedSQLTrackerStore.save` writes the escalation record (the outbox row
of :mod:`rasa_project.escalations`) in the same transaction as the turn's events,
then wakes this process's escalation sender, which delivers it to the clinic's
webhook off the reply path.

Failures never fall back to memory and never cost the person their reply: a turn
that cannot be stored (database down, disk full) or a conversation that cannot be
read (a row no configured key opens) is logged as an ERROR, without any message
text, and reported by ``python -m rasa_project check``
(:mod:`rasa_project.storage.health`). A conversation that cannot be read goes on
as a new session, stored after the unreadable rows. An escalation whose turn
cannot be stored is handed to the sender, which sends it directly and records it
once the database answers again.

Erasure on request: when the action ``action_delete_my_data`` has run in a turn,
:meth:`EncryptedSQLTrackerStore.save` deletes the conversation's tracker events
and assessments and de-identifies its escalation records (see
:mod:`rasa_project.storage.privacy`) instead of writing the turn. Erasing here,
rather than only in the action, is what makes it stick: Rasa saves the tracker
after the action returns, and would otherwise write the whole conversation back
from memory.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Text, Tuple, Type, TypeVar

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from rasa_project import rasa_overrides
from rasa_project.escalations import delivery
from rasa_project.escalations.recording import EscalationRecord, escalations_in, insert_outbox_rows, may_escalate
from rasa_project.rasa_overrides.incremental_tracker import IncrementalDialogueStateTracker
from rasa_project.rasa_overrides.snapshots import ConversationSnapshots
from rasa_project.storage import database, privacy, startup
from rasa_project.storage.crypto import FieldCipher, active_cipher
from rasa_project.storage.health import StorageHealth, process_health
from rasa_project.storage.models import utc_now

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Conversations whose decrypted events are kept in memory, most recently used first.
DECRYPTED_CONVERSATIONS_KEPT = 256
#: Conversations remembered as unreadable until their next save; the oldest are forgotten first.
UNREADABLE_CONVERSATIONS_KEPT = 10_000
#: Longest database error text put in a log line.
ERROR_TEXT_MAX_LENGTH = 160


class StorageRefusedError(RasaException):
    """The tracker store refuses to start; the message is the reason."""


def describe_storage_error(error: BaseException) -> str:
    """Name a storage error for the log without any stored or typed text.

    Statement parameters never appear (the engines hide them). Only connection
    and resource problems (``OperationalError``) add the driver's first line,
    such as "database or disk is full" or "connection refused"; other driver
    messages can quote values, so only their class is named.
    """
    name = type(error).__name__
    original = getattr(error, "orig", None)
    if original is None:
        return name
    described = f"{name} from {type(original).__module__}.{type(original).__name__}"
    if isinstance(error, sa.exc.OperationalError):
        first_line = str(original).strip().splitlines()[0] if str(original).strip() else ""
        if first_line:
            described += f": {first_line[:ERROR_TEXT_MAX_LENGTH]}"
    return described


def requests_erasure(events: Iterable[Event]) -> bool:
    """Whether the delete-my-data action ran among ``events``."""
    return any(
        isinstance(event, ActionExecuted) and event.action_name == privacy.ACTION_DELETE_MY_DATA for event in events
    )


@cache
def event_class(type_name: Text) -> Optional[Type[Event]]:
    """Return the event class Rasa deserialises ``type_name`` into (``None`` for dropped types).

    Rasa's own lookup walks every ``Event`` subclass for every stored event, about
    a fifth of the time it takes to read a conversation; the answer never changes
    within a process.

    Raises:
        ValueError: for a type Rasa does not know, as Rasa does.
    """
    return Event.resolve_by_type(type_name)


def deserialise_events(serialised: Iterable[Dict[Text, Any]]) -> List[Event]:
    """Turn stored event dictionaries into events exactly as Rasa's ``deserialise_events`` does."""
    events = []
    for parameters in serialised:
        type_name = parameters.get("event")
        if type_name is None:
            continue
        cls = event_class(type_name)
        event = cls._from_parameters(parameters) if cls is not None else None
        if event is not None:
            events.append(event)
        else:
            logger.warning("Skipped a stored event of type %r that cannot be read.", type_name)
    return events


class DecryptedEventCache:
    """The plain text of a conversation's stored events, so a turn decrypts only rows it has not seen.

    Rasa reads the whole conversation from the database on every turn; without
    this, every earlier event would be decrypted again each time. Plain text is
    looked up by the exact stored (encrypted) value: Fernet tokens are unique, so a
    changed, re-keyed or re-used row never matches and is decrypted afresh. The
    store also records what it writes (:meth:`remember`), so rows this process wrote
    are never decrypted; rows written by another server process are, once. Only
    the least recently used ``max_conversations`` conversations are kept, and
    :meth:`forget` drops one at once (on erasure).
    """

    def __init__(self, max_conversations: int = DECRYPTED_CONVERSATIONS_KEPT) -> None:
        self._conversations: OrderedDict[str, Dict[str, str]] = OrderedDict()
        self._max_conversations = max_conversations

    def plaintexts(self, sender_id: str, rows: Sequence[Tuple[int, str]], decrypt: Callable[[str], str]) -> List[str]:
        """Return the plain text of each ``(row id, stored value)``, decrypting unknown ones."""
        known = self._conversations.pop(sender_id, {})
        current: Dict[str, str] = {}
        plaintexts = []
        for _row_id, stored in rows:
            plain = known.get(stored)
            if plain is None:
                plain = decrypt(stored)
            current[stored] = plain
            plaintexts.append(plain)
        self._keep(sender_id, current)
        return plaintexts

    def remember(self, sender_id: str, written: Iterable[Tuple[str, str]]) -> None:
        """Record ``(stored value, plain text)`` pairs just written for a conversation."""
        known = self._conversations.pop(sender_id, {})
        known.update(written)
        self._keep(sender_id, known)

    def forget(self, sender_id: str) -> None:
        """Drop everything kept of a conversation."""
        self._conversations.pop(sender_id, None)

    def _keep(self, sender_id: str, texts: Dict[str, str]) -> None:
        if self._max_conversations <= 0:
            return
        self._conversations[sender_id] = texts
        while len(self._conversations) > self._max_conversations:
            self._conversations.popitem(last=False)


@dataclass(frozen=True)
class ConversationQueries:
    """The SQL that reads a conversation's rows, as Rasa's ``SQLTrackerStore`` selects them.

    Rasa builds an ORM query for every read and every save, which costs more than
    running it; these statements are parsed once. Same rows, same order: the events
    of the latest session (from its newest ``session_started`` event on, or all when
    there is none) or of every session, ordered by row id. Each takes ``sender_id``.
    """

    #: ``(id, data)`` of the latest session's rows.
    latest_session: sa.sql.elements.TextClause
    #: ``(id, data)`` of every row of the conversation.
    all_sessions: sa.sql.elements.TextClause
    #: The number of the latest session's rows.
    count_latest_session: sa.sql.elements.TextClause

    @classmethod
    def for_table(cls, table: str) -> ConversationQueries:
        """Build the statements for Rasa's events table named ``table``."""
        latest_session = f"""
            WITH latest AS (
                SELECT max(timestamp) AS started FROM {table}
                WHERE sender_id = :sender_id AND type_name = :session_started
            )
            SELECT {{columns}} FROM {table}, latest
            WHERE {table}.sender_id = :sender_id
              AND ({table}.timestamp >= latest.started OR latest.started IS NULL)
        """
        session_started = sa.bindparam("session_started", SessionStarted.type_name)
        return cls(
            latest_session=sa.text(
                latest_session.format(columns=f"{table}.id, {table}.data") + f" ORDER BY {table}.id"
            ).bindparams(session_started),
            all_sessions=sa.text(f"SELECT id, data FROM {table} WHERE sender_id = :sender_id ORDER BY id"),
            count_latest_session=sa.text(latest_session.format(columns="count(*)")).bindparams(session_started),
        )

    def events(self, all_sessions: bool) -> sa.sql.elements.TextClause:
        """The statement selecting ``(id, data)`` of every session or only the latest."""
        return self.all_sessions if all_sessions else self.latest_session


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` on ``ASSISTANT_DATABASE_URL`` with events encrypted at rest.

    Args:
        domain: the assistant's domain (set by Rasa).
        host: a full SQLAlchemy URL; overrides ``ASSISTANT_DATABASE_URL`` when given
            (``url:`` in ``endpoints.yml``).
        event_broker: where new events are published (set by Rasa).
        database_url: like ``host``, for callers outside ``endpoints.yml``.
        cipher: the cipher to use; the one of ``ASSISTANT_ENCRYPTION_KEYS`` by default.
        deliver_escalations: whether this process's escalation sender runs (when a
            webhook is configured); off only for tools that must not send.

    Raises:
        StorageRefusedError: when the database stays unreachable or the keys do not
            open its data (see :mod:`rasa_project.storage.startup`).
    """

    engine: sa.engine.Engine

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        database_url: Optional[Text] = None,
        cipher: Optional[FieldCipher] = None,
        deliver_escalations: bool = True,
        **kwargs: Any,
    ) -> None:
        self.database_url = database.resolve_url(database_url or (host if host and "://" in host else None))
        self.cipher = cipher or active_cipher()
        # Our tables and the key check first: a fresh database is complete before the
        # first message, and a database the keys do not open is never written.
        try:
            startup.prepare_for_serving(self.database_url, self.cipher)
        except startup.StorageRefused as error:
            raise StorageRefusedError(f"Refusing to start: {error}.") from None
        super().__init__(domain=domain, host=self.database_url, event_broker=event_broker, **kwargs)
        # Replace the parent's engine with one that keeps statement parameters
        # (message text when no key is set) out of error messages, which Rasa logs.
        self.engine.dispose()
        self.engine = sa.create_engine(
            self.database_url,
            hide_parameters=True,
            **create_engine_kwargs(self.database_url),
            **database.sqlite_engine_kwargs(self.database_url),
        )
        database.harden_sqlite(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)
        # Plain text is only worth keeping when reading it costs a decryption.
        self.decrypted_events = DecryptedEventCache(DECRYPTED_CONVERSATIONS_KEPT if self.cipher.enabled else 0)
        self.queries = ConversationQueries.for_table(self.SQLEvent.__table__.name)
        # Rasa overrides, when the project's Rasa command line installed them.
        self.tracker_class: Type[DialogueStateTracker] = (
            IncrementalDialogueStateTracker
            if rasa_overrides.enabled(rasa_overrides.INCREMENTAL_TRACKER)
            else DialogueStateTracker
        )
        self.snapshots: Optional[ConversationSnapshots] = (
            ConversationSnapshots() if rasa_overrides.enabled(rasa_overrides.CONVERSATION_SNAPSHOTS) else None
        )
        self.health: StorageHealth = process_health()
        self.sender: Optional[delivery.EscalationSender] = (
            delivery.background_sender(self.database_url, self.cipher) if deliver_escalations else None
        )
        #: Conversations whose stored rows could not be read: their next save starts a new session.
        self._unreadable: OrderedDict[str, None] = OrderedDict()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Return the conversation's tracker built from its latest session, or ``None``."""
        return await self._read(sender_id, all_sessions=False)

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        """Return the conversation's tracker built from every session, or ``None``."""
        return await self._read(conversation_id, all_sessions=True)

    async def _read(self, sender_id: Text, all_sessions: bool) -> Optional[DialogueStateTracker]:
        try:
            tracker = self._after_reconnecting(lambda: self._read_tracker(sender_id, all_sessions))
        except Exception as error:
            # Rasa would start the conversation afresh anyway, and then not store its
            # turns; here it goes on as a new session that is stored.
            self.health.failed("read", error)
            logger.error(
                "Could not read a stored conversation (%s): it goes on as a new session.",
                describe_storage_error(error),
            )
            self._remember_unreadable(sender_id)
            return None
        self.health.succeeded()
        return tracker

    @staticmethod
    def _after_reconnecting(operation: Callable[[], T]) -> T:
        """Run ``operation``, once more if the database had dropped the pooled connection it used.

        After a database restart every pooled connection is dead; without this the
        first turn on each would fail. A turn is written in one transaction, and
        its new events are counted from the rows, so running it again is safe.
        """
        try:
            return operation()
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return operation()

    @contextmanager
    def _session(self) -> Iterator[sa.orm.Session]:
        """A session that, unlike Rasa's ``session_scope``, does not exit the process on a ``ValueError``."""
        session = self.sessionmaker()
        try:
            yield session
        finally:
            session.close()

    def _read_tracker(self, sender_id: Text, all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self._session() as session:
            rows = session.execute(self.queries.events(all_sessions), {"sender_id": sender_id}).all()
        stored = [value for _row_id, value in rows]
        snapshots = self.snapshots if not all_sessions and self.domain else None
        if snapshots is not None:
            restored = snapshots.restore(sender_id, stored, self.domain)
            if restored is not None:
                return restored
        plaintexts = self.decrypted_events.plaintexts(sender_id, rows, self.cipher.decrypt)
        tracker = None
        if self.domain and plaintexts:
            events = deserialise_events(json.loads(text) for text in plaintexts)
            tracker = self.tracker_class.from_events(sender_id, events, self.domain.slots)
        if snapshots is not None:
            if tracker is not None:
                snapshots.read(sender_id, stored, tracker.events)
            elif not rows:
                # A new conversation: the tracker Rasa creates for it starts from no rows.
                snapshots.read(sender_id, [], [])
            else:
                snapshots.forget(sender_id)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the tracker's new events and escalations in one transaction, or erase it if that was asked.

        Never raises: a failure is logged and reported (see the module docstring),
        so Rasa neither falls back to memory nor loses the turn's reply.
        """
        try:
            self._after_reconnecting(lambda: self._save(tracker))
        except Exception as error:
            self.health.failed("save", error)
            logger.error(
                "Could not store a turn of a conversation (%s): the reply goes out, the turn is not stored.",
                describe_storage_error(error),
            )
            self._hand_over_unstored_escalations(tracker)
            return
        self.health.succeeded()

    def _save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        starts_afresh = sender_id in self._unreadable
        with self._session() as session:
            already_stored = 0 if starts_afresh else self._stored_count(session, sender_id)
            # The tracker's events after the stored ones are new.
            unsaved = list(itertools.islice(tracker.events, already_stored, len(tracker.events)))
            erasure = requests_erasure(unsaved)
            if erasure:
                # The action server erased the stored rows during this turn, so they no
                # longer tell what is new: only this turn's escalations are.
                escalations = self._latest_turn_escalations(tracker)
            else:
                escalations = escalations_in(sender_id, tracker.events, already_stored) if may_escalate(unsaved) else []
            rows = [] if erasure else [self._row_for(sender_id, event) for event in unsaved]
            if rows:
                # One multi-row INSERT; ORM objects would cost a unit of work per event.
                session.execute(self.SQLEvent.__table__.insert(), [row for row, _plain in rows])
            if not erasure:
                # The outbox: the escalation is stored with its turn or not at all.
                insert_outbox_rows(session, escalations, self.cipher)
                session.commit()
        self._unreadable.pop(sender_id, None)
        if erasure:
            self._erase(sender_id, escalations)
            return
        if escalations and self.sender is not None:
            self.sender.wake()
        if self.event_broker is not None:
            # The unsaved events are exactly what is new; Rasa's stream_events would
            # read and decrypt the whole conversation again to find them.
            for event in unsaved:
                self.event_broker.publish({"sender_id": sender_id, **event.as_dict()})
        if rows:
            self.decrypted_events.remember(sender_id, ((row["data"], plain) for row, plain in rows))
        if self.snapshots is not None:
            if starts_afresh:
                self.snapshots.forget(sender_id)
            else:
                self.snapshots.saved(
                    sender_id, tracker, already_stored, [row["data"] for row, _plain in rows], self.domain
                )
        logger.debug("Stored the tracker of a conversation.")

    def _stored_count(self, session: sa.orm.Session, sender_id: Text) -> int:
        """The number of stored events of the conversation's latest session."""
        return session.execute(self.queries.count_latest_session, {"sender_id": sender_id}).scalar_one()

    def _row_for(self, sender_id: Text, event: Event) -> Tuple[Dict[Text, Any], str]:
        """Return the column values of ``event``'s row, its data encrypted, and the data's plain text."""
        data: Dict[Text, Any] = event.as_dict()
        plain = json.dumps(data)
        row = {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": self.cipher.encrypt(plain),
        }
        return row, plain

    def _remember_unreadable(self, sender_id: Text) -> None:
        self.decrypted_events.forget(sender_id)
        if self.snapshots is not None:
            self.snapshots.forget(sender_id)
        self._unreadable.pop(sender_id, None)
        self._unreadable[sender_id] = None
        while len(self._unreadable) > UNREADABLE_CONVERSATIONS_KEPT:
            self._unreadable.popitem(last=False)

    @staticmethod
    def _latest_turn_escalations(tracker: DialogueStateTracker) -> List[EscalationRecord]:
        """The escalations of the tracker's latest turn, which starts at its latest user message."""
        events = list(tracker.events)
        turn_start = max((i for i, event in enumerate(events) if isinstance(event, UserUttered)), default=0)
        if not may_escalate(events[turn_start:]):
            return []
        return escalations_in(tracker.sender_id, events, turn_start)

    def _hand_over_unstored_escalations(self, tracker: DialogueStateTracker) -> None:
        """Give the escalations of a turn that could not be stored to the sender, to send them directly."""
        try:
            escalations = self._latest_turn_escalations(tracker)
        except Exception as error:
            logger.error("Could not look for escalations in a turn that was not stored (%s).", type(error).__name__)
            return
        if not escalations:
            return
        if self.sender is None:
            logger.error("The %s escalation of that turn was neither recorded nor sent.", escalations[0].level)
            return
        logger.error("The %s escalation of that turn is sent directly and recorded later.", escalations[0].level)
        self.sender.hand_over(escalations)
        self.sender.start()

    def _erase(self, sender_id: Text, escalations: List[EscalationRecord]) -> None:
        self.decrypted_events.forget(sender_id)
        if self.snapshots is not None:
            self.snapshots.forget(sender_id)
        erased = privacy.erase_conversation(sender_id, database_url=self.database_url)
        if escalations:
            # An escalation in the erasing turn itself is kept de-identified, like earlier ones.
            with self._session() as session:
                insert_outbox_rows(session, escalations, self.cipher, erased_at=utc_now())
                session.commit()
            if self.sender is not None:
                self.sender.wake()
        logger.info(
            "Erased a conversation on the person's request (%d rows deleted, %d escalation records kept de-identified).",
            erased.deleted_rows,
            erased.deidentified_escalations + len(escalations),
        )
