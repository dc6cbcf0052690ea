"""rasa_sdk trackers and the domain for testing actions directly, as the action server runs them."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.live_servers import REPO_ROOT


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The project's domain, as the Rasa server sends it to the action server."""
    return yaml.safe_load((REPO_ROOT / "domain.yml").read_text())


@pytest.fixture(autouse=True)
def records_database(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the records the actions write (completed assessments) in a database of the test."""
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'records.db'}")


def make_tracker(
    domain: Dict[str, Any],
    text: str = "",
    *,
    intent: str = "inform",
    confidence: float = 0.9,
    slots: Optional[Dict[str, Any]] = None,
    entities: Iterable[Dict[str, Any]] = (),
    events_after_message: Iterable[Dict[str, Any]] = (),
    active_loop: Optional[str] = "assessment_form",
) -> Tracker:
    """A tracker whose latest message is ``text``, with every domain slot present."""
    all_slots: Dict[str, Any] = dict.fromkeys(domain["slots"])
    all_slots["requested_slot"] = None
    all_slots.update(slots or {})
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities)}
    events: List[Dict[str, Any]] = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": message},
        *events_after_message,
    ]
    return Tracker(
        sender_id="action-test",
        slots=all_slots,
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def texts(dispatcher: CollectingDispatcher) -> List[str]:
    """What the action said, as text (responses by name are shown as ``<utter_name>``)."""
    return [message.get("text") or f"<{message.get('response')}>" for message in dispatcher.messages]
