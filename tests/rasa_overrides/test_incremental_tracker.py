"""The incremental tracker gives Rasa's applied events and copies, however the events arrive."""

from __future__ import annotations

import copy
import random
from typing import Callable, List

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    DefinePrevUserUtteredFeaturization,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import BooleanSlot, ListSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.rasa_overrides.incremental_tracker import IncrementalDialogueStateTracker

LISTEN = "action_listen"


def user(text: str = "hello", intent: str = "greet") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def form_turns(form: str = "assessment_form") -> List[Event]:
    """A form started, then filled over two turns, then ended (its happy path)."""
    return [
        ActionExecuted(LISTEN),
        user("check my back", "start_assessment"),
        ActionExecuted(form),
        ActiveLoop(form),
        SlotSet("requested_slot", "pain_duration"),
        BotUttered("how long?"),
        ActionExecuted(LISTEN),
        user("4 months", "inform"),
        ActionExecuted(form),
        SlotSet("pain_duration", "chronic"),
        SlotSet("requested_slot", "foot_arch"),
        ActionExecuted(LISTEN),
        user("flat", "inform"),
        ActionExecuted(form),
        SlotSet("foot_arch", "flat"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted("action_recommend"),
        BotUttered("try inserts"),
        ActionExecuted(LISTEN),
    ]


def unhappy_form_turns(form: str = "assessment_form") -> List[Event]:
    """A form interrupted by a question, rejected, answered, and resumed."""
    return [
        ActionExecuted(LISTEN),
        user("check my back", "start_assessment"),
        ActionExecuted(form),
        ActiveLoop(form),
        SlotSet("requested_slot", "pain_duration"),
        ActionExecuted(LISTEN),
        user("do insoles work?", "ask_evidence"),
        ActionExecutionRejected(form),
        ActionExecuted("utter_evidence"),
        BotUttered("the evidence is mixed"),
        ActionExecuted(form),
        SlotSet("requested_slot", "pain_duration"),
        ActionExecuted(LISTEN),
        user("4 months", "inform"),
        DefinePrevUserUtteredFeaturization(False),
        ActionExecuted(form),
        SlotSet("pain_duration", "chronic"),
    ]


SCENARIOS = {
    "empty": [],
    "greeting": [
        ActionExecuted(LISTEN),
        user(),
        ActionExecuted("utter_greet"),
        BotUttered("hi"),
        ActionExecuted(LISTEN),
    ],
    "form happy path": form_turns(),
    "form unhappy path": unhappy_form_turns(),
    "session start clears": [
        *form_turns(),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted(LISTEN),
        user(),
    ],
    "restart clears": [
        *form_turns(),
        ActionExecuted(LISTEN),
        user("restart", "restart"),
        Restarted(),
        ActionExecuted(LISTEN),
    ],
    "user utterance reverted": [
        ActionExecuted(LISTEN),
        user(),
        ActionExecuted("utter_greet"),
        ActionExecuted(LISTEN),
        user("?", "nlu_fallback"),
        UserUtteranceReverted(),
    ],
    "action reverted": [
        ActionExecuted(LISTEN),
        user(),
        ActionExecuted("utter_greet"),
        ActionReverted(),
        ActionExecuted("utter_goodbye"),
    ],
    "two forms": [*form_turns("assessment_form"), *form_turns("feedback_form")],
}


def rasa_applied(events: List[Event]) -> List[Event]:
    """Rasa's own answer for ``events``."""
    return DialogueStateTracker.from_events("reference", events, slots=[]).applied_events()


@pytest.mark.parametrize("events", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_applied_events_after_every_event_are_rasas(events: List[Event]) -> None:
    tracker = IncrementalDialogueStateTracker("conversation", slots=[])
    assert tracker.applied_events() == rasa_applied([])
    for count, event in enumerate(events, start=1):
        tracker.update(event)
        assert tracker.applied_events() == rasa_applied(events[:count]), f"after event {count}: {event}"


@pytest.mark.parametrize("events", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_applied_events_of_a_loaded_conversation_are_rasas(events: List[Event]) -> None:
    tracker = IncrementalDialogueStateTracker.from_events("conversation", events, slots=[])

    assert tracker.applied_events() == rasa_applied(events)
    assert tracker.applied_events() == rasa_applied(events)  # asked again, unchanged


def test_a_form_first_seen_late_changes_earlier_executions() -> None:
    """Executions of a form before its activation appears count differently once it does."""
    before = [
        ActionExecuted(LISTEN),
        user(),
        ActionExecuted("late_form"),
        ActionExecuted(LISTEN),
        user(),
        ActionExecuted("late_form"),
    ]
    tracker = IncrementalDialogueStateTracker.from_events("conversation", before, slots=[])
    assert tracker.applied_events() == rasa_applied(before)

    tracker.update(ActiveLoop("late_form"))

    assert tracker.applied_events() == rasa_applied([*before, ActiveLoop("late_form")])
    assert tracker.applied_events() != [*rasa_applied(before), ActiveLoop("late_form")]


def test_changing_the_returned_list_does_not_change_the_tracker() -> None:
    tracker = IncrementalDialogueStateTracker.from_events("conversation", form_turns(), slots=[])

    tracker.applied_events().clear()

    assert tracker.applied_events() == rasa_applied(form_turns())


def test_a_bounded_history_that_drops_events_is_walked_again() -> None:
    events = form_turns()
    tracker = IncrementalDialogueStateTracker("conversation", slots=[], max_event_history=6)
    kept = DialogueStateTracker("reference", slots=[], max_event_history=6)
    for event in events:
        tracker.update(event)
        kept.update(event)
        assert tracker.applied_events() == kept.applied_events()


@pytest.mark.parametrize("in_place", [False, True], ids=["new deque", "same deque"])
def test_replaced_events_are_walked_again(in_place: bool) -> None:
    tracker = IncrementalDialogueStateTracker.from_events("conversation", form_turns(), slots=[])
    tracker.applied_events()
    longer = [*unhappy_form_turns(), *SCENARIOS["greeting"]]

    if in_place:
        tracker.events.clear()
        tracker.events.extend(longer)
    else:
        tracker.events = tracker._create_events(longer)

    assert tracker.applied_events() == rasa_applied(longer)


def test_a_deep_copy_answers_on_its_own_events() -> None:
    tracker = IncrementalDialogueStateTracker.from_events("conversation", form_turns(), slots=[])
    tracker.applied_events()
    duplicate = copy.deepcopy(tracker)

    duplicate.update(ActionExecuted("action_restart"))
    duplicate.update(Restarted())

    assert duplicate.applied_events() == []
    assert tracker.applied_events() == rasa_applied(form_turns())


EVENT_MAKERS: List[Callable[[random.Random], Event]] = [
    lambda rng: ActionExecuted(LISTEN),
    lambda rng: user(rng.choice(["hi", "flat feet", "4 months"]), rng.choice(["greet", "inform"])),
    lambda rng: ActionExecuted(rng.choice(["assessment_form", "feedback_form", "utter_greet", "action_recommend"])),
    lambda rng: ActiveLoop(rng.choice(["assessment_form", "feedback_form", None])),
    lambda rng: ActionExecutionRejected(rng.choice(["assessment_form", "feedback_form"])),
    lambda rng: SlotSet("requested_slot", rng.choice(["pain_duration", None])),
    lambda rng: BotUttered("reply"),
    lambda rng: UserUtteranceReverted(),
    lambda rng: ActionReverted(),
    lambda rng: DefinePrevUserUtteredFeaturization(rng.random() < 0.5),
    lambda rng: Restarted(),
    lambda rng: SessionStarted(),
]
#: Weights keep conversations mostly made of turns and forms, with the rarer events sprinkled in.
EVENT_WEIGHTS = [8, 6, 8, 3, 2, 3, 3, 1, 1, 1, 0.3, 0.3]


@pytest.mark.parametrize("seed", range(40))
def test_random_conversations_match_rasa(seed: int) -> None:
    rng = random.Random(seed)
    events = [rng.choices(EVENT_MAKERS, EVENT_WEIGHTS)[0](rng) for _ in range(rng.randint(20, 120))]
    tracker = IncrementalDialogueStateTracker("conversation", slots=[])
    for count, event in enumerate(events, start=1):
        tracker.update(event)
        # Asked at irregular points, as Rasa asks: sometimes every event, sometimes after several.
        if rng.random() < 0.5:
            assert tracker.applied_events() == rasa_applied(events[:count]), f"seed {seed}, after event {count}"
    assert tracker.applied_events() == rasa_applied(events)


SLOTS = [
    TextSlot("requested_slot", mappings=[]),
    TextSlot("pain_duration", mappings=[]),
    ListSlot("red_flags", mappings=[], initial_value=[]),
    BooleanSlot("consent", mappings=[], initial_value=False),
]


def _random_events(seed: int) -> List[Event]:
    rng = random.Random(seed)
    makers = [
        *EVENT_MAKERS,
        lambda rng: SlotSet(
            rng.choice(["pain_duration", "red_flags", "consent"]), rng.choice(["chronic", ["cauda_equina"], True, None])
        ),
        lambda rng: FollowupAction("utter_greet"),
        lambda rng: ConversationPaused(),
        lambda rng: ConversationResumed(),
        lambda rng: LoopInterrupted(rng.random() < 0.5),
    ]
    weights = [*EVENT_WEIGHTS, 4, 0.5, 0.3, 0.3, 1]
    return [rng.choices(makers, weights)[0](rng) for _ in range(rng.randint(0, 80))]


def _assert_same_state(ours: DialogueStateTracker, rasa: DialogueStateTracker, original: DialogueStateTracker) -> None:
    ours_vars = {k: v for k, v in vars(ours).items() if k != "_walk"}
    rasa_vars = vars(rasa)
    assert ours_vars.keys() == rasa_vars.keys()
    assert list(ours.events) == list(rasa.events)
    assert all(a is b for a, b in zip(ours.events, original.events, strict=False))
    assert ours.events is not original.events and ours.events.maxlen == rasa.events.maxlen
    assert ours.slots.keys() == rasa.slots.keys()
    for name, slot in ours.slots.items():
        assert slot is not original.slots[name]
        assert type(slot) is type(rasa.slots[name]) and vars(slot) == vars(rasa.slots[name]), name
    assert ours.active_loop == rasa.active_loop
    assert ours.active_loop is None or ours.active_loop is not original.active_loop
    assert ours.latest_action == rasa.latest_action and ours.latest_action is not original.latest_action
    for name in ("latest_message", "latest_bot_utterance"):
        assert getattr(ours, name) == getattr(rasa, name), name
    for name in rasa_vars.keys() - {
        "events",
        "slots",
        "active_loop",
        "latest_action",
        "latest_message",
        "latest_bot_utterance",
    }:
        assert ours_vars[name] == rasa_vars[name], name


@pytest.mark.parametrize("seed", range(40))
def test_a_copy_is_in_the_state_rasas_replayed_copy_is_in(seed: int) -> None:
    events = _random_events(seed)
    tracker = IncrementalDialogueStateTracker.from_events("conversation", events, slots=SLOTS, max_event_history=None)
    tracker.model_id, tracker.assistant_id, tracker.sender_source = "model", "assistant", "tests"

    _assert_same_state(tracker.copy(), DialogueStateTracker.copy(tracker), tracker)


@pytest.mark.parametrize("slots", [SLOTS, None], ids=["domain slots", "any slot"])
def test_a_copy_changes_independently(slots: object) -> None:
    tracker = IncrementalDialogueStateTracker.from_events("conversation", form_turns(), slots=slots)
    tracker.update(SlotSet("pain_duration", "chronic"))
    before = (
        len(tracker.events),
        tracker.get_slot("pain_duration"),
        tracker.active_loop_name,
        dict(tracker.latest_action),
    )

    duplicate = tracker.copy()
    duplicate.update(ActiveLoop("assessment_form"))
    duplicate.update(SlotSet("pain_duration", "acute"))
    duplicate.update(ActionExecuted("assessment_form"))
    duplicate.update(Restarted())

    assert (
        len(tracker.events),
        tracker.get_slot("pain_duration"),
        tracker.active_loop_name,
        tracker.latest_action,
    ) == before
    assert duplicate.get_slot("pain_duration") is None
    assert tracker.applied_events() == rasa_applied(list(tracker.events))
    assert duplicate.applied_events() == []


def test_a_copy_of_a_bounded_history_keeps_the_bound() -> None:
    tracker = IncrementalDialogueStateTracker.from_events(
        "conversation", form_turns(), slots=SLOTS, max_event_history=5
    )

    duplicate = tracker.copy()
    duplicate.update(BotUttered("more"))

    assert duplicate.events.maxlen == 5 and list(duplicate.events)[-1].text == "more"
    assert list(tracker.events) == list(DialogueStateTracker.copy(tracker).events)
