"""A conversation this process saved is read back in exactly the state a rebuild from its rows gives."""

from __future__ import annotations

import asyncio
import time
from typing import List

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.rasa_overrides.snapshots import ConversationSnapshots, latest_session_start
from rasa_project.storage.crypto import FieldCipher, generate_key
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample
from tests.storage.tracker_state import tracker_state

pytestmark = pytest.mark.usefixtures("tracker_overrides")


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'assistant.db'}"


@pytest.fixture
def key() -> str:
    return generate_key()


def _store(url: str, key: str) -> EncryptedSQLTrackerStore:
    return EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, cipher=FieldCipher([key]))


def _rebuilt(url: str, key: str, sender_id: str) -> DialogueStateTracker:
    """The tracker a process that never saw the conversation reads from the rows."""
    return asyncio.run(_store(url, key).retrieve(sender_id))


def _second_turn(store: EncryptedSQLTrackerStore, sender_id: str, *events: Event) -> DialogueStateTracker:
    """Store the sample conversation, then read it, add ``events`` and save it, as a second turn does."""
    asyncio.run(store.save(sample.conversation(sender_id)))
    tracker = asyncio.run(store.retrieve(sender_id))
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    return tracker


def _turn(number: int) -> List[Event]:
    now = time.time()
    return [
        UserUttered(f"message {number}", {"name": "affirm", "confidence": 0.9}, timestamp=now),
        ActionExecuted("assessment_form", timestamp=now + 0.001),
        ActiveLoop("assessment_form", timestamp=now + 0.002),
        SlotSet("requested_slot", "foot_arch", timestamp=now + 0.003),
        SlotSet(sample.FOOT_ARCH, ["flat", "high"][number % 2], timestamp=now + 0.004),
        BotUttered(f"reply {number}", timestamp=now + 0.005),
        ActionExecuted("action_listen", timestamp=now + 0.006),
    ]


def test_turns_are_read_back_from_the_snapshot_in_the_rebuilt_state(url: str, key: str) -> None:
    store = _store(url, key)
    asyncio.run(store.save(sample.conversation("turns")))

    for number in range(5):
        tracker = asyncio.run(store.retrieve("turns"))
        for event in _turn(number):
            tracker.update(event)
        asyncio.run(store.save(tracker))

        read_back = asyncio.run(store.retrieve("turns"))

        assert tracker_state(read_back) == tracker_state(_rebuilt(url, key, "turns"))
        if number > 0:
            # Served from the snapshot: the very events saved, not new ones parsed from rows.
            assert all(a is b for a, b in zip(read_back.events, tracker.events, strict=False))


def test_a_read_back_tracker_changes_independently_of_the_snapshot(url: str, key: str) -> None:
    store = _store(url, key)
    tracker = _second_turn(store, "independent", BotUttered("saved"))

    first = asyncio.run(store.retrieve("independent"))
    first.update(SlotSet(sample.TRIAGE_LEVEL, "routine"))
    first.update(Restarted())
    second = asyncio.run(store.retrieve("independent"))

    assert tracker_state(second) == tracker_state(_rebuilt(url, key, "independent"))
    assert second.get_slot(sample.TRIAGE_LEVEL) == "emergency"
    # Nor does the tracker that was saved change with the one handed out.
    assert tracker.get_slot(sample.TRIAGE_LEVEL) == "emergency"
    assert len(first.events) == len(tracker.events) + 2


def test_rows_written_by_another_process_are_read_from_the_database(url: str, key: str) -> None:
    ours, theirs = _store(url, key), _store(url, key)
    _second_turn(ours, "shared", BotUttered("ours"))
    elsewhere = asyncio.run(theirs.retrieve("shared"))
    elsewhere.update(SlotSet(sample.TRIAGE_LEVEL, "routine"))
    asyncio.run(theirs.save(elsewhere))

    read_back = asyncio.run(ours.retrieve("shared"))

    assert read_back.get_slot(sample.TRIAGE_LEVEL) == "routine"
    assert tracker_state(read_back) == tracker_state(_rebuilt(url, key, "shared"))


def test_a_changed_row_is_read_from_the_database(url: str, key: str) -> None:
    store = _store(url, key)
    _second_turn(store, "changed", BotUttered("before"))
    with store.engine.begin() as connection:
        last = connection.execute(sa.text("SELECT max(id) FROM events")).scalar_one()
        connection.execute(
            sa.text("UPDATE events SET data = :data WHERE id = :id"),
            {"data": store.cipher.encrypt('{"event": "bot", "text": "after", "timestamp": 1.0}'), "id": last},
        )

    read_back = asyncio.run(store.retrieve("changed"))

    assert read_back.latest_bot_utterance.text == "after"


def test_a_tracker_not_read_from_the_store_is_not_kept(url: str, key: str) -> None:
    store = _store(url, key)
    asyncio.run(store.save(sample.conversation("other")))
    stored = len(asyncio.run(store.retrieve("other")).events)
    # As many earlier events as are stored, but not those: only its tail is written.
    made_up = DialogueStateTracker.from_events(
        "other",
        [*[SlotSet(sample.FOOT_ARCH, "high")] * stored, BotUttered("new"), ActionExecuted("action_listen")],
        sample.domain().slots,
    )
    asyncio.run(store.save(made_up))

    read_back = asyncio.run(store.retrieve("other"))

    assert read_back.get_slot(sample.FOOT_ARCH) == "flat"
    assert tracker_state(read_back) == tracker_state(_rebuilt(url, key, "other"))


def test_a_new_session_is_read_back_from_its_start(url: str, key: str) -> None:
    store = _store(url, key)
    asyncio.run(store.save(sample.conversation("session")))
    tracker = asyncio.run(store.retrieve("session"))
    later = time.time() + 5
    for event in [
        ActionExecuted("action_session_start", timestamp=later),
        SessionStarted(timestamp=later + 0.001),
        ActionExecuted("action_listen", timestamp=later + 0.002),
    ]:
        tracker.update(event)
    asyncio.run(store.save(tracker))

    next_turn = asyncio.run(store.retrieve("session"))
    assert [event.type_name for event in next_turn.events] == ["session_started", "action"]
    assert all(a is b for a, b in zip(next_turn.events, list(tracker.events)[-2:], strict=False))
    assert tracker_state(next_turn) == tracker_state(_rebuilt(url, key, "session"))
    next_turn.update(SlotSet(sample.FOOT_ARCH, "high", timestamp=later + 0.003))
    asyncio.run(store.save(next_turn))

    read_back = asyncio.run(store.retrieve("session"))

    assert all(a is b for a, b in zip(read_back.events, next_turn.events, strict=False))
    assert tracker_state(read_back) == tracker_state(_rebuilt(url, key, "session"))


def test_a_new_conversation_is_kept_from_its_first_save(url: str, key: str) -> None:
    store = _store(url, key)
    assert asyncio.run(store.retrieve("new")) is None
    tracker = store.init_tracker("new")
    for event in sample.conversation("new").events:
        tracker.update(event)
    asyncio.run(store.save(tracker))

    read_back = asyncio.run(store.retrieve("new"))

    # From the session start on, as a read of the rows gives it.
    assert read_back.events[0].type_name == "session_started"
    assert all(a is b for a, b in zip(read_back.events, list(tracker.events)[1:], strict=False))
    assert tracker_state(read_back) == tracker_state(_rebuilt(url, key, "new"))


def test_a_new_domain_rebuilds_from_the_rows(url: str, key: str) -> None:
    store = _store(url, key)
    tracker = _second_turn(store, "domain", BotUttered("saved"))

    store.domain = sample.domain()
    read_back = asyncio.run(store.retrieve("domain"))

    assert not any(a is b for a, b in zip(read_back.events, tracker.events, strict=False))
    assert tracker_state(read_back) == tracker_state(_rebuilt(url, key, "domain"))


def test_erasure_drops_the_snapshot(url: str, key: str) -> None:
    store = _store(url, key)
    _second_turn(store, "erase", ActionExecuted("action_delete_my_data"))

    assert asyncio.run(store.retrieve("erase")) is None


def test_snapshots_are_bounded_least_recently_used_first() -> None:
    snapshots = ConversationSnapshots(max_conversations=2)
    domain = sample.domain()
    for sender in ("a", "b", "a", "c"):
        snapshots.read(sender, [], [])
        tracker = DialogueStateTracker.from_events(sender, [BotUttered(sender)], domain.slots)
        snapshots.saved(sender, tracker, 0, ["row"], domain)

    assert snapshots.restore("a", ["row"], domain) is not None
    assert snapshots.restore("c", ["row"], domain) is not None
    assert snapshots.restore("b", ["row"], domain) is None


def _stamped(*kinds: str) -> List[Event]:
    makers = {"start": lambda t: SessionStarted(timestamp=t), "act": lambda t: ActionExecuted("x", timestamp=t)}
    # Stamped 1, 2, 3...; a kind ending in "!" is stamped 0.5, before everything else.
    return [makers[kind.rstrip("!")](0.5 if kind.endswith("!") else index + 1.0) for index, kind in enumerate(kinds)]


@pytest.mark.parametrize(
    "kinds, expected",
    [
        ((), 0),
        (("act", "act"), 0),
        (("start", "act"), 0),
        (("act", "start", "act", "act"), 1),
        (("act", "start", "act", "start", "act"), 3),
        # An event stamped before the session start, after it in the conversation: a read skips it.
        (("act", "start", "act!", "act"), None),
    ],
)
def test_latest_session_start(kinds: tuple, expected: object) -> None:
    assert latest_session_start(_stamped(*kinds)) == expected
