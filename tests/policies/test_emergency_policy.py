"""The safety policy's decision, as a table, and its behaviour inside Rasa's ensemble."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.policies.emergency import (
    UTTER_EMERGENCY,
    UTTER_EMERGENCY_REMINDER,
    UTTER_RED_FLAG_CHECK,
    UTTER_RED_FLAG_CHECK_CLEAR,
    UTTER_URGENT,
    EmergencyPolicy,
    decide_safety_step,
)
from tests.live_servers import REPO_ROOT

DEFAULTS: Dict[str, Any] = dict(
    flags_in_message=[],
    known_flags=[],
    triage_level=None,
    intent="inform",
    intent_confidence=0.9,
    requested_slot=None,
    emergency_intent_threshold=0.8,
)


def step(**overrides: Any):
    return decide_safety_step(**{**DEFAULTS, **overrides})


@pytest.mark.parametrize(
    "overrides, response, slots",
    [
        # Emergency flags, from any state, whatever the intent.
        (
            dict(flags_in_message=["bladder_bowel_dysfunction"]),
            UTTER_EMERGENCY,
            {
                "triage_level": "emergency",
                "recommendation": "emergency_care",
                "red_flags": ["bladder_bowel_dysfunction"],
            },
        ),
        (
            dict(flags_in_message=["saddle_anaesthesia"], intent="greet"),
            UTTER_EMERGENCY,
            {"triage_level": "emergency"},
        ),
        (
            dict(
                flags_in_message=["bilateral_or_progressive_leg_symptoms"],
                intent="nlu_fallback",
                intent_confidence=0.1,
            ),
            UTTER_EMERGENCY,
            {"triage_level": "emergency"},
        ),
        # An emergency flag outranks an urgent one in the same message.
        (
            dict(flags_in_message=["severe_night_pain", "saddle_anaesthesia"]),
            UTTER_EMERGENCY,
            {"red_flags": ["severe_night_pain", "saddle_anaesthesia"]},
        ),
        # Flags accumulate across the conversation, without duplicates.
        (
            dict(
                flags_in_message=["saddle_anaesthesia"],
                known_flags=["saddle_anaesthesia", "significant_trauma"],
            ),
            UTTER_EMERGENCY,
            {"red_flags": ["saddle_anaesthesia", "significant_trauma"]},
        ),
        # The classifier is a second signal only when it is confident.
        (
            dict(intent="emergency", intent_confidence=0.95),
            UTTER_EMERGENCY,
            {"triage_level": "emergency"},
        ),
        # Answering the red-flag screen with a flag makes the screen positive.
        (
            dict(flags_in_message=["bladder_bowel_dysfunction"], requested_slot="red_flag_screen"),
            UTTER_EMERGENCY,
            {"red_flag_screen": "positive"},
        ),
        (
            dict(flags_in_message=["systemic_symptoms"], requested_slot="red_flag_screen"),
            UTTER_URGENT,
            {
                "red_flag_screen": "positive",
                "triage_level": "urgent",
                "recommendation": "prompt_medical_review",
            },
        ),
        # Urgent flags.
        (
            dict(flags_in_message=["radiating_leg_symptoms"]),
            UTTER_URGENT,
            {
                "triage_level": "urgent",
                "recommendation": "prompt_medical_review",
                "red_flags": ["radiating_leg_symptoms"],
            },
        ),
        (
            dict(flags_in_message=["significant_trauma"], triage_level="self_care"),
            UTTER_URGENT,
            {"triage_level": "urgent"},
        ),
        # Never downgraded: an urgent flag after an emergency repeats the emergency advice.
        (
            dict(
                flags_in_message=["severe_night_pain"],
                triage_level="emergency",
                known_flags=["saddle_anaesthesia"],
            ),
            UTTER_EMERGENCY_REMINDER,
            {"red_flags": ["saddle_anaesthesia", "severe_night_pain"]},
        ),
        # After an emergency the assessment does not resume.
        (dict(triage_level="emergency", intent="start_assessment"), UTTER_EMERGENCY_REMINDER, {}),
        (dict(triage_level="emergency", intent="inform"), UTTER_EMERGENCY_REMINDER, {}),
    ],
)
def test_safety_step_table(overrides: Dict[str, Any], response: str, slots: Dict[str, Any]) -> None:
    result = step(**overrides)
    assert result is not None
    assert result.response == response
    for name, value in slots.items():
        assert result.slot_values[name] == value
    assert result.stop_form


@pytest.mark.parametrize(
    "overrides",
    [
        dict(),  # an ordinary answer
        dict(intent="emergency", intent_confidence=0.5),  # unsure classifier alone
        dict(flags_in_message=["no_improvement_with_insoles"]),  # routine: no escalation
        dict(flags_in_message=["not_a_flag"]),  # unknown ids are ignored
        dict(triage_level="emergency", intent="ask_red_flags"),  # questions stay answered
        dict(triage_level="urgent", intent="inform"),  # urgent: the person may go on
    ],
)
def test_no_safety_step(overrides: Dict[str, Any]) -> None:
    assert step(**overrides) is None


# --- inside Rasa: the policy must win against an active form ----------------------


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture()
def policy(tmp_path) -> EmergencyPolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return EmergencyPolicy.create(
        EmergencyPolicy.get_default_config(), storage, Resource("emergency"), context
    )


def tracker_mid_form(
    domain: Domain, entities: List[Dict[str, Any]], intent: str = "inform"
) -> DialogueStateTracker:
    events = [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("my back hurts", {"name": "start_assessment", "confidence": 0.9}),
        ActionExecuted("utter_start_assessment"),
        ActionExecuted("assessment_form"),
        ActiveLoop("assessment_form"),
        SlotSet(REQUESTED_SLOT, "foot_arch"),
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("text", {"name": intent, "confidence": 0.9}, entities),
    ]
    return DialogueStateTracker.from_events("person", events, domain.slots)


def loop_prediction(domain: Domain) -> PolicyPrediction:
    """What RulePolicy predicts mid-form: continue the form, as a no-user prediction."""
    probabilities = [0.0] * domain.num_actions
    probabilities[domain.index_for_action("assessment_form")] = 1.0
    return PolicyPrediction(probabilities, RulePolicy.__name__, 6, is_no_user_prediction=True)


def test_emergency_wins_against_an_active_form(domain: Domain, policy: EmergencyPolicy) -> None:
    tracker = tracker_mid_form(domain, [{"entity": "red_flag", "value": "saddle_anaesthesia"}])
    ours = policy.predict_action_probabilities(tracker, domain)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([loop_prediction(domain), ours])

    assert domain.action_names_or_texts[best.max_confidence_index] == UTTER_EMERGENCY
    tracker.update_with_events(best.events, domain)
    assert tracker.active_loop_name is None
    assert tracker.get_slot("triage_level") == "emergency"
    assert tracker.get_slot("recommendation") == "emergency_care"
    assert tracker.get_slot("red_flags") == ["saddle_anaesthesia"]


def test_negated_or_no_flag_leaves_the_form_alone(domain: Domain, policy: EmergencyPolicy) -> None:
    tracker = tracker_mid_form(domain, [])
    ours = policy.predict_action_probabilities(tracker, domain)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([loop_prediction(domain), ours])
    assert domain.action_names_or_texts[best.max_confidence_index] == "assessment_form"
    assert best.events == []


def test_listens_after_its_own_response(domain: Domain, policy: EmergencyPolicy) -> None:
    tracker = tracker_mid_form(
        domain, [{"entity": "red_flag", "value": "bladder_bowel_dysfunction"}]
    )
    tracker.update(ActionExecuted(UTTER_EMERGENCY))
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert domain.action_names_or_texts[prediction.max_confidence_index] == ACTION_LISTEN_NAME


# --- the plain-words check when an emergency area is mentioned without a flag -------

@pytest.mark.parametrize(
    "overrides, response",
    [
        (dict(concerns_in_message=["bladder_bowel_dysfunction"]), UTTER_RED_FLAG_CHECK),
        (dict(concerns_in_message=["saddle_anaesthesia"], intent="start_assessment"), UTTER_RED_FLAG_CHECK),
        # "None of these" is acknowledged; the conversation then carries on.
        (dict(previous_bot_action=UTTER_RED_FLAG_CHECK, answered_none=True), UTTER_RED_FLAG_CHECK_CLEAR),
        # A flag in the answer to the check escalates as usual.
        (dict(previous_bot_action=UTTER_RED_FLAG_CHECK, flags_in_message=["saddle_anaesthesia"]), UTTER_EMERGENCY),
    ],
)
def test_red_flag_check(overrides: Dict[str, Any], response: str) -> None:
    result = step(**overrides)
    assert result is not None and result.response == response
    assert not result.stop_form or response == UTTER_EMERGENCY


@pytest.mark.parametrize(
    "overrides",
    [
        # Asked once: a concern in the answer itself does not ask again.
        dict(previous_bot_action=UTTER_RED_FLAG_CHECK, concerns_in_message=["bladder_bowel_dysfunction"],
             intent="inform"),
        # Any other answer to the check takes its usual course.
        dict(previous_bot_action=UTTER_RED_FLAG_CHECK, intent="ask_red_flags"),
        # After an emergency there is nothing left to check.
        dict(triage_level="emergency", concerns_in_message=["bladder_bowel_dysfunction"], intent="ask_red_flags"),
        dict(concerns_in_message=["not_a_flag"]),
    ],
)
def test_no_red_flag_check(overrides: Dict[str, Any]) -> None:
    assert step(**overrides) is None
