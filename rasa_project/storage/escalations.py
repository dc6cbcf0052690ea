"""Escalation records and the clinic webhook, fed by Rasa's event stream.

Register the broker in ``endpoints.yml``::

    event_broker:
      type: rasa_project.storage.escalations.EscalationBroker

Rasa publishes every new tracker event to the broker when it saves a tracker.
The safety policy sets ``triage_level`` (``emergency`` or ``urgent``) and
``red_flags`` in the turn of the person's message, whose ``user`` event carries
the input channel. :class:`EscalationDetector` turns that stream into
:class:`EscalationRecord` s; :class:`EscalationBroker` writes each record to the
``escalations`` table and, if ``ASSISTANT_ESCALATION_WEBHOOK_URL`` is set, POSTs
it there, retrying with exponential backoff.

Both happen on a background thread pool: ``publish()`` only inspects the event and
queues work, so a slow database or clinic server never delays the reply to the
person, and failures are logged (without message text) rather than raised. Every
Rasa process (Sanic worker) has its own broker, which is fine: the events of one
turn are published together by the process that handled it. (A repeated
escalation handled by another process may be recorded a second time; an
escalation is never missed because of it.) Deliveries still queued
when a process is killed are lost; the ``escalations`` row's ``notified_at`` stays
NULL for every escalation the clinic did not accept, and the operator report
counts them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

import requests
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, RED_FLAGS, TRIAGE_LEVEL, TriageLevel
from rasa_project.storage import database, settings
from rasa_project.storage.models import Escalation, utc_now
from rasa_project.storage.settings import WebhookSettings

logger = logging.getLogger(__name__)

ESCALATING_LEVELS = frozenset({TriageLevel.EMERGENCY.value, TriageLevel.URGENT.value})
#: Conversations whose state the detector keeps; the oldest are forgotten first.
MAX_TRACKED_CONVERSATIONS = 10_000
#: Events after which the detector starts a conversation's flags afresh.
RESET_EVENTS = frozenset({"restart", "session_started"})
CHANNEL_MAX_LENGTH = 64


@dataclass(frozen=True)
class EscalationRecord:
    """One escalation: who, when, through which channel, how serious and why."""

    conversation_id: str
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


@dataclass
class _ConversationState:
    channel: Optional[str] = None
    red_flags: Tuple[str, ...] = ()
    pending_level: Optional[str] = None
    pending_at: Optional[datetime] = None
    last_recorded: Optional[Tuple[str, Tuple[str, ...]]] = None


class EscalationDetector:
    """Turns Rasa's event stream into escalation records.

    ``triage_level`` is set before ``red_flags`` in the same turn, so a raised level
    is held as pending and recorded at the conversation's next non-slot event (the
    action that answers it), with the flags known by then. The same level with the
    same flags is recorded once, however often the person repeats the symptom.
    """

    def __init__(self, max_conversations: int = MAX_TRACKED_CONVERSATIONS) -> None:
        self._states: OrderedDict[str, _ConversationState] = OrderedDict()
        self._max_conversations = max_conversations

    def observe(self, event: Mapping[str, Any]) -> List[EscalationRecord]:
        """Take one published event and return the escalations it completes."""
        if not isinstance(event, Mapping):
            return []
        sender_id = event.get("sender_id")
        if not isinstance(sender_id, str):
            return []
        state = self._state(sender_id)
        event_type = event.get("event")
        if event_type == "slot":
            self._observe_slot(state, event)
            return []
        records = self._flush(sender_id, state)
        if event_type == "user" and event.get("input_channel"):
            state.channel = str(event["input_channel"])[:CHANNEL_MAX_LENGTH]
        elif event_type in RESET_EVENTS:
            state.red_flags, state.last_recorded = (), None
        return records

    def flush(self) -> List[EscalationRecord]:
        """Return every pending escalation (when the stream ends)."""
        records: List[EscalationRecord] = []
        for sender_id, state in self._states.items():
            records.extend(self._flush(sender_id, state))
        return records

    def forget(self, sender_id: str) -> None:
        """Drop everything known about a conversation (after its erasure)."""
        self._states.pop(sender_id, None)

    def _state(self, sender_id: str) -> _ConversationState:
        state = self._states.pop(sender_id, None) or _ConversationState()
        self._states[sender_id] = state
        while len(self._states) > self._max_conversations:
            self._states.popitem(last=False)
        return state

    @staticmethod
    def _observe_slot(state: _ConversationState, event: Mapping[str, Any]) -> None:
        name, value = event.get("name"), event.get("value")
        if name == RED_FLAGS:
            state.red_flags = tuple(str(flag) for flag in value) if isinstance(value, (list, tuple)) else ()
        elif name == TRIAGE_LEVEL and isinstance(value, str) and value in ESCALATING_LEVELS:
            state.pending_level = str(value)
            state.pending_at = _event_time(event)

    @staticmethod
    def _flush(sender_id: str, state: _ConversationState) -> List[EscalationRecord]:
        if state.pending_level is None:
            return []
        key = (state.pending_level, state.red_flags)
        record = EscalationRecord(
            conversation_id=sender_id,
            created_at=state.pending_at or utc_now(),
            channel=state.channel,
            level=state.pending_level,
            red_flags=state.red_flags,
        )
        state.pending_level, state.pending_at = None, None
        if key == state.last_recorded:
            return []
        state.last_recorded = key
        return [record]


def _event_time(event: Mapping[str, Any]) -> datetime:
    timestamp = event.get("timestamp")
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool):
        try:
            return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass
    return utc_now()


def store_escalation(record: EscalationRecord, database_url: Optional[str] = None) -> int:
    """Insert an escalation row and return its id."""
    with database.session_scope(database_url) as session:
        row = Escalation(
            conversation_id=record.conversation_id,
            created_at=record.created_at,
            channel=record.channel,
            level=record.level,
            red_flags=list(record.red_flags),
        )
        session.add(row)
        session.flush()
        return int(row.id)


def mark_notified(escalation_id: int, database_url: Optional[str] = None) -> None:
    """Record that the clinic's webhook accepted an escalation."""
    with database.session_scope(database_url) as session:
        row = session.get(Escalation, escalation_id)
        if row is not None:
            row.notified_at = utc_now()


def post_escalation(
    record: EscalationRecord,
    webhook: WebhookSettings,
    sleep: Any = time.sleep,
    http: Optional[requests.Session] = None,
) -> bool:
    """POST an escalation to the webhook, retrying transient failures with backoff.

    Connection errors, timeouts, 429 and 5xx answers are retried up to
    ``webhook.attempts`` attempts in all, pausing ``backoff_s``, then twice as
    long, and so on. Other 4xx answers are not retried: resending cannot fix them.

    Returns:
        Whether the webhook accepted the escalation (a 2xx answer).
    """
    headers = {"Authorization": f"Bearer {webhook.token}"} if webhook.token else {}
    client = http or requests
    for attempt in range(webhook.attempts):
        if attempt:
            sleep(webhook.backoff_s * 2 ** (attempt - 1))
        try:
            response = client.post(webhook.url, json=record.as_json(), headers=headers, timeout=webhook.timeout_s)
        except requests.RequestException as error:
            logger.warning("Escalation webhook attempt %d failed: %s.", attempt + 1, type(error).__name__)
            continue
        if 200 <= response.status_code < 300:
            return True
        logger.warning("Escalation webhook attempt %d answered HTTP %d.", attempt + 1, response.status_code)
        if response.status_code < 500 and response.status_code != 429:
            return False
    return False


class EscalationBroker(EventBroker):
    """Rasa event broker that records escalations and notifies the clinic.

    Args:
        database_url: the database; ``ASSISTANT_DATABASE_URL`` by default.
        webhook: webhook settings; from the environment by default (``None`` there
            means no webhook).
        max_workers: background threads for database writes and deliveries.
    """

    def __init__(
        self,
        database_url: Optional[str] = None,
        webhook: Optional[WebhookSettings] = None,
        max_workers: int = 2,
    ) -> None:
        self.database_url = database.resolve_url(database_url)
        self.webhook = webhook if webhook is not None else settings.webhook_settings()
        self._detector = EscalationDetector()
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="escalations")
        self._lock = threading.Lock()
        #: Held while a row is written, so an erasure cannot slip in between check and write.
        self._write_lock = threading.Lock()
        self._pending: Set[Future] = set()
        #: Conversation id -> number of erasures; a record queued before an erasure is dropped.
        self._erasures: OrderedDict[str, int] = OrderedDict()

    @classmethod
    async def from_endpoint_config(
        cls,
        broker_config: EndpointConfig,
        event_loop: Optional[asyncio.AbstractEventLoop] = None,
    ) -> EscalationBroker:
        """Create the broker from ``endpoints.yml`` (``url:`` overrides the database)."""
        broker = cls(database_url=broker_config.url if broker_config and broker_config.url else None)
        database.migrate_when_reachable(broker.database_url)
        return broker

    def publish(self, event: Dict[str, Any]) -> None:
        """Inspect one event and queue the escalations it completes; never raises."""
        try:
            with self._lock:
                records = self._detector.observe(event)
            for record in records:
                self._submit(record)
        except Exception as error:
            logger.error("Could not process an event for escalations (%s).", type(error).__name__)

    def forget_conversation(self, conversation_id: str) -> None:
        """Drop a conversation's state and any of its escalations not yet written.

        Returns once no escalation row of the conversation is being written, so
        an erasure that follows deletes every row this process wrote.
        """
        with self._lock:
            self._detector.forget(conversation_id)
            self._erasures[conversation_id] = self._erasures.pop(conversation_id, 0) + 1
            while len(self._erasures) > MAX_TRACKED_CONVERSATIONS:
                self._erasures.popitem(last=False)
        with self._write_lock:
            pass  # a write that started before the erasure is finished, so it gets erased too

    def wait_until_idle(self, timeout: Optional[float] = None) -> bool:
        """Wait for queued writes and deliveries; return whether all finished."""
        with self._lock:
            pending = set(self._pending)
        _done, not_done = wait(pending, timeout=timeout)
        return not not_done

    async def close(self) -> None:
        """Record pending escalations and let queued deliveries finish."""
        with self._lock:
            records = self._detector.flush()
        for record in records:
            self._submit(record)
        await asyncio.get_running_loop().run_in_executor(None, self._executor.shutdown, True)

    def _submit(self, record: EscalationRecord) -> None:
        with self._lock:
            erasures = self._erasures.get(record.conversation_id, 0)
            future = self._executor.submit(self._deliver, record, erasures)
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def _erased_since(self, record: EscalationRecord, erasures_at_submit: int) -> bool:
        with self._lock:
            return self._erasures.get(record.conversation_id, 0) != erasures_at_submit

    def _deliver(self, record: EscalationRecord, erasures_at_submit: int) -> None:
        row_id: Optional[int] = None
        with self._write_lock:
            if self._erased_since(record, erasures_at_submit):
                return
            try:
                row_id = store_escalation(record, self.database_url)
            except Exception as error:
                logger.error("Could not record an escalation (%s).", type(error).__name__)
        if self.webhook is None:
            return
        if not post_escalation(record, self.webhook):
            logger.error(
                "The clinic was not notified of a %s escalation in conversation %s.",
                record.level,
                record.conversation_id,
            )
            return
        if row_id is not None:
            try:
                mark_notified(row_id, self.database_url)
            except Exception as error:
                logger.error("Could not mark an escalation as notified (%s).", type(error).__name__)
