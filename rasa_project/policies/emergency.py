"""The safety policy: red flags are answered first, in the same turn, in every state.

Rasa's ``RulePolicy`` marks "continue the active form" as a *no-user* prediction,
which the policy ensemble prefers over every prediction based on the user's message,
whatever its priority (``DefaultPolicyPredictionEnsemble._pick_best_policy``). A
safety rule written in ``data/rules.yml`` therefore cannot interrupt a form. This
policy marks its own predictions as no-user predictions too and has the highest
priority, so it wins against an active form and against every other policy.

It needs neither the action server nor a database: it predicts responses from the
domain (``utter_emergency`` ...) and sets the triage slots through the prediction's
events, which Rasa applies to the tracker itself. The escalation record and the
clinic's webhook are written downstream from those slot events.

Decisions are made by :func:`decide_safety_step`, a pure function over plain values,
so the clinical rule is tested without Rasa.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.clinical.contract import (
    RECOMMENDATION,
    RED_FLAG_CATALOGUE,
    RED_FLAG_CONCERN_ENTITY,
    RED_FLAG_ENTITY,
    RED_FLAG_SCREEN,
    RED_FLAGS,
    TRIAGE_LEVEL,
    Recommendation,
    TriageLevel,
    escalate,
)
from rasa_project.understanding.answers import read_answer

logger = logging.getLogger(__name__)

UTTER_EMERGENCY = "utter_emergency"
UTTER_URGENT = "utter_urgent"
UTTER_EMERGENCY_REMINDER = "utter_emergency_reminder"
UTTER_RED_FLAG_CHECK = "utter_red_flag_check"
UTTER_RED_FLAG_CHECK_CLEAR = "utter_red_flag_check_clear"
SAFETY_RESPONSES = (
    UTTER_EMERGENCY,
    UTTER_URGENT,
    UTTER_EMERGENCY_REMINDER,
    UTTER_RED_FLAG_CHECK,
    UTTER_RED_FLAG_CHECK_CLEAR,
)
#: After these the person must answer (or read) before anything else is said.
LISTEN_AFTER = frozenset(SAFETY_RESPONSES) - {UTTER_RED_FLAG_CHECK_CLEAR}

EMERGENCY_INTENT = "emergency"
#: After an emergency these intents would lead back into the insole assessment,
#: which must not resume: the emergency advice is repeated instead.
ASSESSMENT_INTENTS = frozenset({"start_assessment", "inform", "dont_know", "ask_what_to_do", "request_summary"})


@dataclass(frozen=True)
class SafetyStep:
    """What the safety policy does after one user message."""

    response: str
    slot_values: Dict[str, Any] = field(default_factory=dict)
    stop_form: bool = False


def decide_safety_step(
    *,
    flags_in_message: Iterable[str],
    known_flags: Sequence[str],
    triage_level: Optional[str],
    intent: Optional[str],
    intent_confidence: float,
    requested_slot: Optional[str],
    emergency_intent_threshold: float,
    concerns_in_message: Iterable[str] = (),
    previous_bot_action: Optional[str] = None,
    answered_none: bool = False,
) -> Optional[SafetyStep]:
    """Decide how to answer a user message for safety, or ``None`` to stay silent.

    Args:
        flags_in_message: red-flag ids the NLU pipeline found in this message.
        known_flags: the ``red_flags`` slot before this message.
        triage_level: the ``triage_level`` slot before this message.
        intent: the classified intent of this message.
        intent_confidence: the classifier's confidence in ``intent``.
        requested_slot: the question the person is answering, if any.
        emergency_intent_threshold: confidence above which the ``emergency`` intent
            alone escalates. The rule-based flags are the primary signal; the
            classifier only adds recall for wordings the rules do not know.
        concerns_in_message: emergency flag ids whose body area this message mentions
            without a flag being found (the rules miss unusual wording, so the
            person is asked about those symptoms in plain words).
        previous_bot_action: the assistant's last action before this message.
        answered_none: whether the message says that none of the listed symptoms
            are present ("no", "none of these").
    """
    new_flags = [flag for flag in dict.fromkeys(flags_in_message) if flag in RED_FLAG_CATALOGUE]
    levels = {RED_FLAG_CATALOGUE[flag].level for flag in new_flags}
    all_flags = list(dict.fromkeys([*known_flags, *new_flags]))
    classifier_emergency = intent == EMERGENCY_INTENT and intent_confidence >= emergency_intent_threshold

    if TriageLevel.EMERGENCY in levels or classifier_emergency:
        return SafetyStep(
            UTTER_EMERGENCY,
            {
                TRIAGE_LEVEL: TriageLevel.EMERGENCY.value,
                RECOMMENDATION: Recommendation.EMERGENCY_CARE.value,
                RED_FLAGS: all_flags,
                **_screen_answer(requested_slot),
            },
            stop_form=True,
        )

    already_emergency = triage_level == TriageLevel.EMERGENCY.value
    if TriageLevel.URGENT in levels:
        if already_emergency:
            return SafetyStep(UTTER_EMERGENCY_REMINDER, {RED_FLAGS: all_flags}, stop_form=True)
        return SafetyStep(
            UTTER_URGENT,
            {
                TRIAGE_LEVEL: escalate(triage_level, TriageLevel.URGENT.value),
                RECOMMENDATION: Recommendation.PROMPT_MEDICAL_REVIEW.value,
                RED_FLAGS: all_flags,
                **_screen_answer(requested_slot),
            },
            stop_form=True,
        )

    if already_emergency and intent in ASSESSMENT_INTENTS:
        return SafetyStep(UTTER_EMERGENCY_REMINDER, stop_form=True)
    if already_emergency:
        return None
    if previous_bot_action == UTTER_RED_FLAG_CHECK:
        # The answer to the check: "none of these" is acknowledged and the
        # conversation carries on where it was; anything else takes its usual course.
        return SafetyStep(UTTER_RED_FLAG_CHECK_CLEAR) if answered_none else None
    if any(concern in RED_FLAG_CATALOGUE for concern in concerns_in_message):
        return SafetyStep(UTTER_RED_FLAG_CHECK)
    return None


def _screen_answer(requested_slot: Optional[str]) -> Dict[str, str]:
    # A red flag given in answer to the red-flag screen is a positive screen.
    return {RED_FLAG_SCREEN: "positive"} if requested_slot == RED_FLAG_SCREEN else {}


def _answers_none(message: UserUttered) -> bool:
    """Whether the person answered a symptom question with "none of these"."""
    if message.intent.get("name") == "deny":
        return True
    return read_answer(RED_FLAG_SCREEN, message.text or "") == "clear"


def entity_values(entities: Iterable[Dict[str, Any]], name: str) -> List[str]:
    """Return the values of a parsed message's entities called ``name``, in order."""
    return [str(entity.get("value")) for entity in entities if entity.get("entity") == name and entity.get("value")]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class EmergencyPolicy(Policy):
    """Answers red flags before anything else and keeps the triage slots up to date."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The policy's default config: above RulePolicy's priority (6)."""
        return {"priority": 7, "emergency_intent_threshold": 0.8}

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn: the behaviour is the clinical rule itself."""
        self._check_domain(domain)
        return self._resource

    @staticmethod
    def _check_domain(domain: Domain) -> None:
        missing = [name for name in SAFETY_RESPONSES if name not in domain.action_names_or_texts]
        if missing:
            raise ValueError(f"The domain must define the safety responses {missing}.")

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Predict a safety response after a user message, then listening after it."""
        latest_action = tracker.latest_action_name
        if latest_action in LISTEN_AFTER or (
            latest_action == UTTER_RED_FLAG_CHECK_CLEAR and not tracker.active_loop_name
        ):
            return self._predict(ACTION_LISTEN_NAME, domain)
        if latest_action != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return self._prediction(self._default_predictions(domain))

        message = tracker.latest_message
        previous = tracker.get_last_event_for(ActionExecuted, action_names_to_exclude=[ACTION_LISTEN_NAME])
        previous_name = previous.action_name if previous else None
        step = decide_safety_step(
            flags_in_message=entity_values(message.entities, RED_FLAG_ENTITY),
            concerns_in_message=entity_values(message.entities, RED_FLAG_CONCERN_ENTITY),
            previous_bot_action=previous_name,
            # Parsed only for the answer to the check, not on every message.
            answered_none=previous_name == UTTER_RED_FLAG_CHECK and _answers_none(message),
            known_flags=tracker.get_slot(RED_FLAGS) or [],
            triage_level=tracker.get_slot(TRIAGE_LEVEL),
            intent=message.intent.get("name"),
            intent_confidence=float(message.intent.get("confidence") or 0.0),
            requested_slot=tracker.get_slot(REQUESTED_SLOT),
            emergency_intent_threshold=float(self.config["emergency_intent_threshold"]),
        )
        if step is None:
            return self._prediction(self._default_predictions(domain))
        logger.info("Safety response %s for conversation %s.", step.response, tracker.sender_id)
        return self._predict(step.response, domain, self._events_for(step, tracker))

    @staticmethod
    def _events_for(step: SafetyStep, tracker: DialogueStateTracker) -> List[Event]:
        events: List[Event] = [SlotSet(name, value) for name, value in step.slot_values.items()]
        if step.stop_form and tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return events

    def _predict(self, action: str, domain: Domain, events: Optional[List[Event]] = None) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        # A no-user prediction, like RulePolicy's form continuation, so that the
        # ensemble compares it with that one by priority instead of discarding it.
        return self._prediction(probabilities, optional_events=events, is_no_user_prediction=True)
