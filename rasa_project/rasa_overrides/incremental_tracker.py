"""Rasa's dialogue state tracker, working out its applied events incrementally.

Rasa asks a conversation's tracker for its *applied events* (the events left once
reverted turns, restarts and repeated form executions are taken out) several times
per turn: to check whether the session expired, to find the last executed action,
and, through the rule policy's states, before every predicted action. Each time
``DialogueStateTracker.applied_events`` walks the whole conversation again, which
made it the largest single cost of a turn in the Rasa server after the model.

Events are only ever appended to a tracker, and the walk's result after ``n``
events depends only on those ``n`` events and on the names of the forms that appear
anywhere in the conversation. :class:`IncrementalDialogueStateTracker` keeps the
walk's state and continues it over new events, and starts again from the first
event whenever that reasoning does not hold (events replaced or dropped, or a form
first seen in the new events). The result is Rasa's, event for event.

Rasa also copies the tracker before running each action (so that a rejected
action's events can be dropped), and its ``copy`` builds the copy by replaying
every event of the conversation. The state those events leave is the state the
tracker is in, so :meth:`IncrementalDialogueStateTracker.copy` copies that state
directly: the same events, slots and loop, as independent of the original as
Rasa's copy is.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Deque, FrozenSet, Iterable, List, Optional

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker


def loop_names_in(events: Iterable[Event]) -> FrozenSet[str]:
    """The names of the loops (forms) activated anywhere in ``events``."""
    return frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)


@dataclass
class AppliedEventsWalk:
    """How far Rasa's walk over a tracker's events got, and what it had applied.

    ``first`` and ``last`` are the first and the last event walked, compared by
    identity to tell an extended deque from a changed one.
    """

    events: Deque[Event]
    walked: int = 0
    first: Optional[Event] = None
    last: Optional[Event] = None
    loop_names: FrozenSet[str] = frozenset()
    applied: List[Event] = field(default_factory=list)

    def continues_into(self, events: Deque[Event]) -> bool:
        """Whether ``events`` is the walked deque with events only appended since."""
        if events is not self.events or len(events) < self.walked:
            return False
        if self.walked == 0:
            return True
        return events[0] is self.first and events[self.walked - 1] is self.last


class IncrementalDialogueStateTracker(DialogueStateTracker):
    """A ``DialogueStateTracker`` whose ``applied_events`` only walks events it has not seen.

    Its ``copy`` (made before every action) is of this class too and copies the
    state instead of replaying the events. The other trackers Rasa derives from it
    (``travel_back_in_time``, the prior trackers of ``generate_all_prior_trackers``)
    are Rasa's own class.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._walk: Optional[AppliedEventsWalk] = None

    def applied_events(self) -> List[Event]:
        """Return all events that should be applied, without reverted ones, as Rasa does."""
        events = self.events
        walk = self._walk
        if walk is None or not walk.continues_into(events):
            walk = AppliedEventsWalk(events, loop_names=loop_names_in(events))
        elif len(events) > walk.walked:
            new_names = loop_names_in(events[i] for i in range(walk.walked, len(events)))
            if not new_names <= walk.loop_names:
                # A loop first seen now changes how its earlier executions count.
                walk = AppliedEventsWalk(events, loop_names=walk.loop_names | new_names)
        for index in range(walk.walked, len(events)):
            self._apply(events[index], walk)
        walk.walked = len(events)
        if events:
            walk.first, walk.last = events[0], events[-1]
        self._walk = walk
        # Callers may change the list they get; the walk's own must stay intact.
        return list(walk.applied)

    def copy(self) -> IncrementalDialogueStateTracker:
        """Return a tracker in this tracker's state, as Rasa's ``copy`` does, without replaying events."""
        return copy_state(self)

    def _apply(self, event: Event, walk: AppliedEventsWalk) -> None:
        """One step of Rasa's ``DialogueStateTracker.applied_events`` loop."""
        applied = walk.applied
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            self._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            # A user message implies the action_listen before it: both go.
            self._undo_till_previous(UserUttered, applied)
            self._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in walk.loop_names
            and not self._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            self._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def copy_state(tracker: DialogueStateTracker) -> IncrementalDialogueStateTracker:
    """Return an incremental tracker in ``tracker``'s state, as Rasa's ``copy`` builds it by replay.

    Like Rasa's copy (``init_copy`` and a replay of every event), it shares the
    event objects and the slots' values, has its own event deque, slot objects,
    loop and latest action, and carries no ``sender_source``, ``model_id`` or
    ``assistant_id``.
    """
    duplicate = object.__new__(IncrementalDialogueStateTracker)
    duplicate.__dict__.update(tracker.__dict__)
    duplicate.sender_id = tracker.sender_id or DEFAULT_SENDER_ID
    duplicate.sender_source = None
    duplicate.model_id = None
    duplicate.assistant_id = None
    duplicate.events = tracker._create_events(list(tracker.events))
    duplicate.slots = {name: copy.copy(slot) for name, slot in tracker.slots.items()}
    duplicate.latest_action = dict(tracker.latest_action) if tracker.latest_action is not None else None
    duplicate.active_loop = dataclasses.replace(tracker.active_loop) if tracker.active_loop is not None else None
    duplicate._walk = None
    return duplicate
