"""The sender that delivers recorded escalations to the clinic's webhook.

:class:`EscalationSender` works from the ``escalations`` table (the outbox):

1. It selects rows not yet delivered whose next attempt is due and that no other
   sender holds, and claims each with one conditional ``UPDATE`` that sets
   ``claimed_by`` and ``claimed_until`` (a lease). Only one sender's ``UPDATE``
   matches a row, on SQLite and PostgreSQL alike, so two processes never send
   one row at the same time.
2. It POSTs the record (:meth:`EscalationRecord.as_json
   <rasa_project.escalations.recording.EscalationRecord.as_json>`) to
   ``ASSISTANT_ESCALATION_WEBHOOK_URL``.
3. A 2xx answer marks the row delivered (``notified_at``). Anything else counts
   a failed attempt and sets the next one after a pause that doubles each time,
   from 1 second up to 5 minutes; delivery never gives up, because an unreported
   emergency is worse than a late one.

A sender killed mid-attempt leaves its claim behind; the lease (at least a
minute, three times the webhook timeout) expires and another sender, or the same
one restarted, delivers the row. The guarantee is at least once: a sender killed
between the clinic's answer and the ``UPDATE`` sends that row again.

Every Rasa server process runs one sender on a background thread
(:func:`background_sender`, started by the tracker store), woken as soon as a turn
records an escalation and polling every few seconds for rows of other processes.
``python -m rasa_project deliver-escalations`` runs one alone.

When the outbox row itself cannot be written (the database is down), the tracker
store hands the record to :meth:`EscalationSender.hand_over`: the sender POSTs it
directly, retrying with the same backoff, and writes it to the outbox (marked
delivered if it was) once the database answers again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Deque, Dict, List, Mapping, Optional

import requests
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from rasa_project.escalations.recording import EscalationRecord, record_escalation, stored_record
from rasa_project.storage import database
from rasa_project.storage.crypto import DecryptionError, FieldCipher, active_cipher
from rasa_project.storage.health import Finding, Severity
from rasa_project.storage.models import escalations_as_stored, utc_now
from rasa_project.storage.settings import positive_number

logger = logging.getLogger(__name__)

WEBHOOK_URL_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_URL"
WEBHOOK_TOKEN_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_TOKEN"
WEBHOOK_TIMEOUT_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_TIMEOUT"
WEBHOOK_ATTEMPTS_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_ATTEMPTS"
DEFAULT_WEBHOOK_TIMEOUT_S = 5.0
DEFAULT_WEBHOOK_ATTEMPTS = 4

#: Seconds between two looks at the outbox for rows other processes recorded.
POLL_INTERVAL_S = 5.0
#: Rows claimed per query.
BATCH_SIZE = 20
#: Records kept in memory while the database cannot take them.
MAX_UNSTORED = 1_000
#: Age after which an undelivered escalation counts as a problem in the operator's check.
OVERDUE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class WebhookSettings:
    """Where and how escalations are sent to the clinic."""

    url: str
    timeout_s: float = DEFAULT_WEBHOOK_TIMEOUT_S
    #: Failed attempts after which each further failure is logged as an ERROR.
    attempts: int = DEFAULT_WEBHOOK_ATTEMPTS
    token: Optional[str] = None
    #: First pause after a failed attempt; it doubles after each further failure.
    backoff_s: float = 1.0
    #: Longest pause between two attempts.
    max_backoff_s: float = 300.0

    @property
    def lease_s(self) -> float:
        """How long a claim holds: well beyond one attempt, so a live sender never loses it mid-attempt."""
        return max(60.0, 3 * self.timeout_s)

    def pause_after(self, failed_attempts: int) -> float:
        """Seconds to wait after the ``failed_attempts``-th failed attempt."""
        exponent = min(max(failed_attempts, 1) - 1, 32)
        return float(min(self.backoff_s * 2**exponent, self.max_backoff_s))


def webhook_settings(environ: Optional[Mapping[str, str]] = None) -> Optional[WebhookSettings]:
    """Return the escalation webhook settings, or ``None`` when no URL is set."""
    environ = os.environ if environ is None else environ
    url = environ.get(WEBHOOK_URL_VARIABLE, "").strip()
    if not url:
        return None
    return WebhookSettings(
        url=url,
        timeout_s=positive_number(environ.get(WEBHOOK_TIMEOUT_VARIABLE), DEFAULT_WEBHOOK_TIMEOUT_S),
        attempts=max(1, int(positive_number(environ.get(WEBHOOK_ATTEMPTS_VARIABLE), DEFAULT_WEBHOOK_ATTEMPTS))),
        token=environ.get(WEBHOOK_TOKEN_VARIABLE, "").strip() or None,
    )


def post_escalation(
    payload: Dict[str, Any], webhook: WebhookSettings, http: Optional[requests.Session] = None
) -> Optional[str]:
    """Make one delivery attempt; return ``None`` if the webhook accepted it (2xx), else a short reason."""
    headers = {"Authorization": f"Bearer {webhook.token}"} if webhook.token else {}
    client: Any = http or requests
    try:
        response = client.post(
            webhook.url, json=payload, headers=headers, timeout=webhook.timeout_s, allow_redirects=False
        )
    except requests.RequestException as error:
        return type(error).__name__
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


@dataclass
class DeliveryRound:
    """What one :meth:`EscalationSender.deliver_due` did."""

    delivered: int = 0
    failed: int = 0


@dataclass
class _Unstored:
    """A record whose outbox row could not be written."""

    record: EscalationRecord
    delivered_at: Optional[datetime] = None
    failures: int = 0
    next_attempt: float = 0.0


class EscalationSender:
    """Delivers the outbox's undelivered escalations; see the module docstring.

    Args:
        database_url: the database; ``ASSISTANT_DATABASE_URL`` by default.
        webhook: the webhook; from the environment by default. ``None`` there
            means escalations are only recorded.
        cipher: opens the stored level and flags; the configured keys by default.
        clock: the current time (tests pass their own to check the backoff).
        poll_s: seconds between looks at the outbox when nothing wakes the sender.
    """

    def __init__(
        self,
        database_url: Optional[str] = None,
        webhook: Optional[WebhookSettings] = None,
        cipher: Optional[FieldCipher] = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        poll_s: float = POLL_INTERVAL_S,
    ) -> None:
        self.database_url = database.resolve_url(database_url)
        self.webhook = webhook if webhook is not None else webhook_settings()
        self.cipher = cipher or active_cipher()
        self.clock = clock
        self.poll_s = poll_s
        #: Names this sender in ``claimed_by``: the host, the process and this object.
        self.sender_id = f"{socket.gethostname()[:64]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._http = requests.Session()
        self._unstored: Deque[_Unstored] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._outbox_unreadable = False

    # --- the outbox -------------------------------------------------------------------

    def deliver_due(self) -> DeliveryRound:
        """Claim and send every row that is due now; return how many were delivered and failed."""
        done = DeliveryRound()
        webhook = self.webhook
        if webhook is None:
            return done
        database.ensure_migrated(self.database_url)
        while True:
            candidates = self._due_ids()
            claimed_any = False
            for row_id in candidates:
                row = self._claim(row_id, webhook)
                if row is None:
                    continue
                claimed_any = True
                if self._send(row, webhook):
                    done.delivered += 1
                else:
                    done.failed += 1
            if len(candidates) < BATCH_SIZE or not claimed_any:
                return done

    def seconds_until_due(self) -> Optional[float]:
        """Seconds until an undelivered row waiting for a retry or held by a claim becomes due, if any."""
        table = escalations_as_stored
        now = self.clock()
        undelivered = table.c.notified_at.is_(None)
        with self._engine().connect() as connection:
            retry_at = connection.execute(
                sa.select(sa.func.min(table.c.next_attempt_at)).where(undelivered, table.c.next_attempt_at > now)
            ).scalar()
            claim_ends_at = connection.execute(
                sa.select(sa.func.min(table.c.claimed_until)).where(undelivered, table.c.claimed_until >= now)
            ).scalar()
        times = [moment for moment in (retry_at, claim_ends_at) if moment is not None]
        if not times:
            return None
        return max(0.0, (min(times) - now).total_seconds())

    def _engine(self) -> sa.engine.Engine:
        return database.engine_for(self.database_url)

    def _due(self, now: datetime) -> Any:
        table = escalations_as_stored
        return sa.and_(
            table.c.notified_at.is_(None),
            sa.or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now),
            sa.or_(table.c.claimed_until.is_(None), table.c.claimed_until < now),
        )

    def _due_ids(self) -> List[int]:
        table = escalations_as_stored
        with self._engine().connect() as connection:
            statement = sa.select(table.c.id).where(self._due(self.clock())).order_by(table.c.id).limit(BATCH_SIZE)
            return list(connection.execute(statement).scalars())

    def _claim(self, row_id: int, webhook: WebhookSettings) -> Optional[Any]:
        """Claim one row and return it, or ``None`` when another sender has it or it is no longer due."""
        table = escalations_as_stored
        now = self.clock()
        with self._engine().begin() as connection:
            claimed = connection.execute(
                sa.update(table)
                .where(table.c.id == row_id, self._due(now))
                .values(claimed_by=self.sender_id, claimed_until=now + timedelta(seconds=webhook.lease_s))
            ).rowcount
            if claimed != 1:
                return None
            return connection.execute(sa.select(table).where(table.c.id == row_id)).one()

    def _send(self, row: Any, webhook: WebhookSettings) -> bool:
        attempt = int(row.attempts or 0) + 1
        try:
            record = stored_record(row, self.cipher)
        except (DecryptionError, ValueError) as error:
            self._failed(row.id, attempt, type(error).__name__, webhook)
            return False
        reason = post_escalation(record.as_json(), webhook, self._http)
        if reason is not None:
            self._failed(row.id, attempt, reason, webhook)
            return False
        table = escalations_as_stored
        with self._engine().begin() as connection:
            # Delivered is delivered, even if this sender's claim ran out meanwhile.
            connection.execute(
                sa.update(table)
                .where(table.c.id == row.id)
                .values(notified_at=self.clock(), attempts=attempt, claimed_by=None, claimed_until=None)
            )
        logger.info("Escalation %d delivered to the clinic webhook (attempt %d).", row.id, attempt)
        return True

    def _failed(self, row_id: int, attempt: int, reason: str, webhook: WebhookSettings) -> None:
        pause = webhook.pause_after(attempt)
        table = escalations_as_stored
        with self._engine().begin() as connection:
            connection.execute(
                sa.update(table)
                .where(table.c.id == row_id, table.c.claimed_by == self.sender_id)
                .values(
                    attempts=attempt,
                    next_attempt_at=self.clock() + timedelta(seconds=pause),
                    claimed_by=None,
                    claimed_until=None,
                )
            )
        if attempt >= webhook.attempts:
            logger.error(
                "Escalation %d has not reached the clinic webhook after %d attempts (%s); retrying in %.0f s.",
                row_id,
                attempt,
                reason,
                pause,
            )
        else:
            logger.warning(
                "Escalation %d: webhook attempt %d failed (%s); retrying in %.0f s.", row_id, attempt, reason, pause
            )

    # --- records the database could not take -------------------------------------------

    def hand_over(self, records: List[EscalationRecord]) -> None:
        """Take records whose outbox rows could not be written, to send directly and store later.

        The running thread (:meth:`start`) works them off; :meth:`process_unstored` does one pass.
        """
        with self._lock:
            for record in records:
                if len(self._unstored) >= MAX_UNSTORED:
                    dropped = self._unstored.popleft()
                    logger.error(
                        "Dropped an unsent escalation (%s): too many waiting for the database.", dropped.record.level
                    )
                self._unstored.append(_Unstored(record))
        self.wake()

    def pending_unstored(self) -> int:
        """How many records wait for the database."""
        with self._lock:
            return len(self._unstored)

    def process_unstored(self) -> None:
        """Send due unstored records directly and write each to the outbox once the database answers."""
        with self._lock:
            waiting = list(self._unstored)
        for item in waiting:
            if item.delivered_at is None and self.webhook is not None and time.monotonic() >= item.next_attempt:
                reason = post_escalation(item.record.as_json(), self.webhook, self._http)
                if reason is None:
                    item.delivered_at = self.clock()
                    logger.warning(
                        "Sent an escalation (%s) directly: the database could not record it.", item.record.level
                    )
                else:
                    item.failures += 1
                    item.next_attempt = time.monotonic() + self.webhook.pause_after(item.failures)
                    logger.error(
                        "An escalation (%s) the database could not record has not reached the clinic webhook (%s).",
                        item.record.level,
                        reason,
                    )
            try:
                record_escalation(item.record, self.database_url, self.cipher, notified_at=item.delivered_at)
            except SQLAlchemyError:
                continue
            with self._lock:
                self._unstored.remove(item)
            logger.warning("Recorded an escalation once the database answered again.")

    # --- the background thread -----------------------------------------------------------

    def start(self) -> None:
        """Run :meth:`run` on a daemon thread (idempotent)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self.run, name="escalation-sender", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Make the running sender look at the outbox now."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the background thread and wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Deliver until :meth:`stop`: now, whenever woken, and every ``poll_s`` seconds."""
        while not self._stop.is_set():
            self._wake.clear()
            timeout = self._work()
            self._wake.wait(timeout)

    def _work(self) -> Optional[float]:
        """One pass; returns how long to wait before the next (``None``: until woken)."""
        try:
            if self.pending_unstored():
                self.process_unstored()
            self.deliver_due()
            wait = self.seconds_until_due() if self.webhook is not None else None
            if self._outbox_unreadable:
                self._outbox_unreadable = False
                logger.warning("The escalation outbox is readable again.")
        except SQLAlchemyError as error:
            if not self._outbox_unreadable:
                self._outbox_unreadable = True
                logger.error("Cannot read the escalation outbox (%s); retrying.", type(error).__name__)
            return self.poll_s
        except Exception as error:  # the thread must keep delivering whatever happens
            logger.error("The escalation sender failed (%s); retrying.", type(error).__name__)
            return self.poll_s
        if self.pending_unstored():
            return min(self.poll_s, 1.0)
        if self.webhook is None:
            return None
        return self.poll_s if wait is None else min(max(wait, 0.05), self.poll_s)


def outbox_findings(
    database_url: Optional[str] = None, webhook: Optional[WebhookSettings] = None, now: Optional[datetime] = None
) -> List[Finding]:
    """The escalation part of the operator's check: what is still waiting for delivery."""
    table = escalations_as_stored
    with database.engine_for(database.resolve_url(database_url)).connect() as connection:
        waiting, oldest, most_attempts = connection.execute(
            sa.select(sa.func.count(), sa.func.min(table.c.created_at), sa.func.max(table.c.attempts)).where(
                table.c.notified_at.is_(None)
            )
        ).one()
    if not waiting:
        return [Finding(Severity.OK, "escalations", "every recorded escalation has been delivered")]
    if webhook is None:
        return [
            Finding(
                Severity.WARNING,
                "escalations",
                f"{waiting} recorded but not sent: ASSISTANT_ESCALATION_WEBHOOK_URL is not set",
            )
        ]
    age = (now or utc_now()) - oldest
    text = f"{waiting} waiting for delivery, the oldest for {int(age.total_seconds() // 60)} min, up to {most_attempts} attempts"
    overdue = age > OVERDUE_AFTER or (most_attempts or 0) >= webhook.attempts
    return [Finding(Severity.PROBLEM if overdue else Severity.OK, "escalations", text)]


_background: Dict[tuple, EscalationSender] = {}
_background_lock = threading.Lock()


def background_sender(database_url: str, cipher: FieldCipher) -> EscalationSender:
    """Return this process's sender for ``database_url``.

    Its thread starts at once when a webhook is configured (to deliver what is
    waiting, including rows left by an earlier process), otherwise only when a
    record is handed over.
    """
    key = (os.getpid(), database.resolve_url(database_url))
    with _background_lock:
        sender = _background.get(key)
        if sender is None:
            sender = EscalationSender(database_url, cipher=cipher)
            if sender.webhook is not None:
                sender.start()
            _background[key] = sender
        return sender
