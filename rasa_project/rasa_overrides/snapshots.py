"""Answering a conversation's next read with the tracker this process saved (a Rasa override).

Rasa's tracker store rebuilds a conversation's tracker from its rows at the start of
every turn. :class:`ConversationSnapshots` keeps a copy of the tracker saved at the
end of the previous turn and hands it out instead, when the rows read now are
exactly what that tracker was read from and saved as. It copies trackers through
:func:`~rasa_project.rasa_overrides.incremental_tracker.copy_state`, which depends
on ``DialogueStateTracker``'s private attributes, hence its place here.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import List, Optional, Sequence

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.rasa_overrides.incremental_tracker import copy_state

#: Conversations kept, most recently used first.
CONVERSATIONS_KEPT = 256


def latest_session_start(events: Sequence[Event]) -> Optional[int]:
    """Index from which ``events`` are the rows a read of the latest session returns, if they are a suffix.

    The read selects the rows stamped at or after the newest ``session_started``
    event (all rows if there is none). Returns ``None`` when those are not exactly
    the events from that ``session_started`` on (an event stamped out of order),
    so that no snapshot is kept whose events a read would not return.
    """
    starts = [index for index, event in enumerate(events) if isinstance(event, SessionStarted)]
    if not starts:
        return 0
    started = max(events[index].timestamp for index in starts)
    selected = [index for index, event in enumerate(events) if event.timestamp >= started]
    first = selected[0]
    if not isinstance(events[first], SessionStarted) or selected != list(range(first, len(events))):
        return None
    return first


@dataclass
class _Snapshot:
    """A conversation as this process last read or wrote it."""

    #: The stored value of each of the latest session's rows, in row order.
    stored: List[str]
    #: The events those rows hold, as the objects of the tracker they were read into or saved from.
    events: List[Event]
    #: A copy of that tracker once it was saved (a read alone keeps no copy).
    tracker: Optional[DialogueStateTracker]
    #: The domain the tracker was built with.
    domain: Optional[Domain]


class ConversationSnapshots:
    """The state each conversation was saved in by this process, to answer its next read without rebuilding it.

    Rasa reads the whole conversation at the start of every turn and rebuilds the
    tracker from it: parsing each event's JSON, creating the events and replaying
    them, about a tenth of a turn's CPU in the Rasa server. The tracker this
    process saved at the end of the previous turn is in exactly that state, so
    :meth:`saved` keeps a copy of it and :meth:`restore` hands that copy out
    instead of a rebuild, but only when the rows read now hold exactly, in order,
    the stored values that tracker was read from and saved as, and the domain has
    not changed. Anything else (rows written or
    changed by another server process, a tracker that was not read from this
    store) falls back to rebuilding from the rows.

    When a new session started in the saved turn, a read returns only the rows from
    its ``session_started`` event on; the snapshot keeps only those events. The
    state is the same either way, because ``session_started`` resets everything a
    tracker derives from earlier events.

    To know that a saved tracker is the one read from the rows, :meth:`read`
    remembers which event objects each read produced, and :meth:`saved` only
    keeps a copy when the tracker's earlier events are those very objects. Only the
    least recently used ``max_conversations`` conversations are kept.
    """

    def __init__(self, max_conversations: int = CONVERSATIONS_KEPT) -> None:
        self._conversations: OrderedDict[str, _Snapshot] = OrderedDict()
        self._max_conversations = max_conversations

    def restore(
        self, sender_id: str, stored: Sequence[str], domain: Optional[Domain]
    ) -> Optional[DialogueStateTracker]:
        """Hand out the tracker saved for ``stored`` rows, once, or ``None`` if there is none.

        The kept tracker is already a copy independent of the one that was saved,
        so it is returned itself and recorded as read, like a tracker built from rows.
        """
        snapshot = self._conversations.get(sender_id)
        if snapshot is None or snapshot.tracker is None or snapshot.domain is not domain or snapshot.stored != stored:
            return None
        tracker = snapshot.tracker
        self.read(sender_id, stored, snapshot.events)
        return tracker

    def read(self, sender_id: str, stored: Sequence[str], events: Sequence[Event]) -> None:
        """Remember that the rows holding ``stored`` were read into these event objects."""
        self._keep(sender_id, _Snapshot(list(stored), list(events), None, None))

    def saved(
        self,
        sender_id: str,
        tracker: DialogueStateTracker,
        already_stored: int,
        written: Sequence[str],
        domain: Optional[Domain],
    ) -> None:
        """Keep a copy of ``tracker``, whose first ``already_stored`` events were stored before ``written``."""
        known = self._conversations.get(sender_id)
        events = list(tracker.events)
        if (
            # A bounded tracker holds fewer events than its rows; a read would not.
            tracker.events.maxlen is not None
            or known is None
            or len(known.stored) != already_stored
            or len(known.events) != already_stored
            or len(events) != already_stored + len(written)
            or any(ours is not theirs for ours, theirs in zip(events, known.events, strict=False))
        ):
            self.forget(sender_id)
            return
        start = latest_session_start(events)
        if start is None:
            self.forget(sender_id)
            return
        snapshot = copy_state(tracker)
        snapshot.events = snapshot._create_events(events[start:])
        stored = [*known.stored, *written][start:]
        self._keep(sender_id, _Snapshot(stored, events[start:], snapshot, domain))

    def forget(self, sender_id: str) -> None:
        """Drop everything kept of a conversation."""
        self._conversations.pop(sender_id, None)

    def _keep(self, sender_id: str, snapshot: _Snapshot) -> None:
        if self._max_conversations <= 0:
            return
        self._conversations.pop(sender_id, None)
        self._conversations[sender_id] = snapshot
        while len(self._conversations) > self._max_conversations:
            self._conversations.popitem(last=False)
