"""Everything a tracker's state consists of, in a form tests can compare."""

from __future__ import annotations

from typing import Any, Dict

from rasa.shared.core.trackers import DialogueStateTracker


def tracker_state(tracker: DialogueStateTracker) -> Dict[str, Any]:
    """Return every attribute of ``tracker`` as comparable values (events and slots by content).

    Attributes Rasa does not define (the incremental tracker's private walk) are
    left out, so a plain and an incremental tracker in the same state compare equal.
    """
    state: Dict[str, Any] = {}
    for name, value in vars(tracker).items():
        if name == "_walk":
            continue
        if name == "events":
            value = ([event.as_dict() for event in value], value.maxlen)
        elif name == "slots":
            value = {slot_name: (type(slot).__name__, vars(slot)) for slot_name, slot in value.items()}
        elif name in ("latest_message", "latest_bot_utterance") and value is not None:
            # Without events of these kinds Rasa creates empty ones stamped with the time.
            value = {k: v for k, v in value.as_dict().items() if k != "timestamp"}
        state[name] = value
    return state
