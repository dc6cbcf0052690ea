"""A Redis conversation lock that stays correct when several Rasa processes share it.

Rasa's ``RedisLockStore`` keeps each conversation's ticket queue as one JSON value
and changes it by reading it, changing it in Python and writing it back. Two Rasa
processes (or Sanic workers) doing that at the same moment overwrite each other's
tickets: two messages of one conversation can then both hold "the" lock, the
second turn is computed from a stale tracker and one of the two messages vanishes
from the conversation. Releasing has the same race: a process can delete the lock
while another has just queued a ticket on it.

:class:`AtomicRedisLockStore` makes every read-change-write of a queue one Redis
optimistic transaction (``WATCH``/``MULTI``/``EXEC``, retried when another process
changed the queue in between) and lets Redis expire a queue left behind by a
crashed process. Register it in the cluster's endpoints file; it takes the same
settings as Rasa's ``type: redis``::

    lock_store:
      type: rasa_project.lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      password: ${REDIS_PASSWORD}
      db: 1
      key_prefix: backpainassistant
"""

from __future__ import annotations

import json
import logging
import math
import time
from typing import Any, Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

Result = TypeVar("Result")
#: A change to one conversation's queue: gets the current queue (``None`` if there
#: is none), changes it in place or makes a new one, and returns the queue to
#: store (``None`` or an empty queue deletes it) and a value for the caller.
QueueChange = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]]

#: Seconds a queue outlives its last ticket in Redis; a crashed process's queue
#: then disappears by itself instead of lingering.
EXPIRY_MARGIN_S = 5


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket queue changes are atomic across processes.

    Args:
        endpoint_config: the ``lock_store`` section of the endpoints file (set by
            Rasa); ``url`` is the Redis host, the other keys are those of
            ``RedisLockStore`` (``port``, ``db``, ``password``, ``key_prefix``, ...).
        **kwargs: ``RedisLockStore`` arguments, for use outside the endpoints file.
    """

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _key(self, conversation_id: Text) -> Text:
        return self.key_prefix + conversation_id

    def _change_queue(self, conversation_id: Text, change: QueueChange[Result]) -> Result:
        """Apply ``change`` to the conversation's queue as one Redis transaction."""
        key = self._key(conversation_id)
        outcome: dict = {}

        def transaction(pipe: Any) -> None:
            serialised = pipe.get(key)
            current = TicketLock.from_dict(json.loads(serialised)) if serialised else None
            updated, outcome["result"] = change(current)
            pipe.multi()
            if updated is None or not updated.is_someone_waiting():
                pipe.delete(key)
            else:
                pipe.set(key, updated.dumps(), ex=_seconds_to_keep(updated))

        # Retries from the start when another process changed the key after WATCH.
        self.red.transaction(transaction, key)
        return outcome["result"]

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Queue a ticket for the conversation and return its number.

        Raises:
            LockError: if Redis cannot be reached.
        """

        def add_ticket(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change_queue(conversation_id, add_ticket)
        except Exception as error:  # redis-py's errors, as Rasa's own version reports them
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        """Drop the conversation's expired tickets (a holder that crashed)."""

        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change_queue(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove a served ticket; the queue is deleted when it becomes empty."""

        def remove(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change_queue(conversation_id, remove)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Release a ticket, in one step with deleting the queue if nobody else waits.

        Rasa's version checks for waiting tickets and deletes the queue in two
        steps, which can delete a ticket another process queued in between.
        """
        self.finish_serving(conversation_id, ticket_number)


def _seconds_to_keep(lock: TicketLock) -> int:
    last_expiry = max(ticket.expires for ticket in lock.tickets)
    return max(1, math.ceil(last_expiry - time.time()) + EXPIRY_MARGIN_S)
