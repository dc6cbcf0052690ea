"""The safety policy's decision, as tables, and its behaviour inside Rasa's ensemble."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

import pytest
import yaml
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
    DefinePrevUserUtteredFeaturization,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.clinical.contract import SCREEN_SIGNS
from rasa_project.policies.emergency import (
    NO,
    UNSURE,
    UTTER_EMERGENCY,
    UTTER_EMERGENCY_REMINDER,
    UTTER_EMERGENCY_SIGNS,
    UTTER_LEAK_QUESTION,
    UTTER_RED_FLAG_CHECK_CLEAR,
    UTTER_RED_FLAG_QUESTION,
    UTTER_URGENT,
    YES,
    ConversationState,
    EmergencyPolicy,
    MessageFindings,
    SafetyStep,
    decide_safety_step,
    findings_of,
    in_the_context_of_the_question,
    is_unreadable_screen_reply,
    read_yes_no_answer,
    screen_signs_named,
    severity_answer,
    with_the_answer_given,
)
from tests.live_servers import REPO_ROOT

BLADDER = "bladder_bowel_dysfunction"
SADDLE = "saddle_anaesthesia"
LEGS = "bilateral_or_progressive_leg_symptoms"
ONE_LEG = "radiating_leg_symptoms"
NIGHT = "severe_night_pain"
CANCER = "cancer_history"


def step(
    flags: List[str] = (),  # type: ignore[assignment]
    to_ask: Optional[Dict[str, str]] = None,
    set_aside: Optional[Dict[str, str]] = None,
    intent: str = "inform",
    answer: Optional[str] = None,
    slot_answer: Optional[Dict[str, Any]] = None,
    screen_answer: Optional[str] = None,
    screen_signs: Sequence[str] = (),
    screen_unreadable: bool = False,
    **state: Any,
):
    findings = MessageFindings(
        list(flags),
        to_ask or {},
        set_aside or {},
        intent,
        slot_answer or {},
        screen_answer,
        screen_signs,
        screen_unreadable,
    )
    return decide_safety_step(findings, ConversationState(**state), answer)


@pytest.mark.parametrize(
    "kwargs, response, slots",
    [
        # Emergency flags, from any state, whatever the intent.
        (
            {"flags": [BLADDER]},
            UTTER_EMERGENCY,
            {"triage_level": "emergency", "recommendation": "emergency_care", "red_flags": [BLADDER]},
        ),
        ({"flags": [SADDLE], "intent": "greet"}, UTTER_EMERGENCY, {"triage_level": "emergency"}),
        ({"flags": [LEGS], "intent": "nlu_fallback"}, UTTER_EMERGENCY, {"triage_level": "emergency"}),
        # An emergency flag outranks an urgent one in the same message.
        ({"flags": [NIGHT, SADDLE]}, UTTER_EMERGENCY, {"red_flags": [NIGHT, SADDLE]}),
        # Flags accumulate across the conversation, without duplicates.
        (
            {"flags": [SADDLE], "known_flags": [SADDLE, "significant_trauma"]},
            UTTER_EMERGENCY,
            {"red_flags": [SADDLE, "significant_trauma"]},
        ),
        # Answering the red-flag screen with a flag makes the screen positive.
        ({"flags": [BLADDER], "requested_slot": "red_flag_screen"}, UTTER_EMERGENCY, {"red_flag_screen": "positive"}),
        (
            {"flags": ["systemic_symptoms"], "requested_slot": "red_flag_screen"},
            UTTER_URGENT,
            {"red_flag_screen": "positive", "triage_level": "urgent", "recommendation": "prompt_medical_review"},
        ),
        # Urgent flags, the spec's new ones included.
        (
            {"flags": [ONE_LEG]},
            UTTER_URGENT,
            {"triage_level": "urgent", "recommendation": "prompt_medical_review", "red_flags": [ONE_LEG]},
        ),
        ({"flags": [CANCER]}, UTTER_URGENT, {"triage_level": "urgent"}),
        ({"flags": ["infection_risk"]}, UTTER_URGENT, {"triage_level": "urgent"}),
        ({"flags": ["fracture_risk"]}, UTTER_URGENT, {"triage_level": "urgent"}),
        ({"flags": ["significant_trauma"], "triage_level": "self_care"}, UTTER_URGENT, {"triage_level": "urgent"}),
        # A pain score of 10 is severe, unrelenting pain: the answer is kept.
        (
            {"slot_answer": {"pain_severity": 10}, "requested_slot": "pain_severity"},
            UTTER_URGENT,
            {"red_flags": [NIGHT], "pain_severity": 10},
        ),
        # Never downgraded: an urgent flag after an emergency repeats the emergency advice.
        (
            {"flags": [NIGHT], "triage_level": "emergency", "known_flags": [SADDLE]},
            UTTER_EMERGENCY_REMINDER,
            {"red_flags": [SADDLE, NIGHT]},
        ),
        # After an emergency the assessment does not resume.
        ({"triage_level": "emergency", "intent": "start_assessment"}, UTTER_EMERGENCY_REMINDER, {}),
        ({"triage_level": "emergency", "intent": "inform"}, UTTER_EMERGENCY_REMINDER, {}),
    ],
)
def test_escalation_table(kwargs: Dict[str, Any], response: str, slots: Dict[str, Any]) -> None:
    result = step(**kwargs)
    assert result is not None
    assert result.response == response
    for name, value in slots.items():
        assert result.slot_values[name] == value
    assert result.stop_form


@pytest.mark.parametrize(
    "kwargs",
    [
        {},  # an ordinary answer
        {"intent": "emergency"},  # a worried message without a red flag is the rules' to answer
        {"flags": ["no_improvement_with_insoles"]},  # routine: no escalation
        {"flags": ["not_a_flag"]},  # unknown ids are ignored
        {"triage_level": "emergency", "intent": "ask_red_flags"},  # questions stay answered
        {"triage_level": "urgent", "intent": "inform"},  # urgent: the person may go on
        {"slot_answer": {"pain_severity": 9}, "requested_slot": "pain_severity"},  # 9 is no flag by itself
        {"set_aside": {ONE_LEG: "past"}},  # an urgent sign set aside: nothing to name
    ],
)
def test_no_safety_step(kwargs: Dict[str, Any]) -> None:
    assert step(**kwargs) is None


# --- one direct question for what only may be a red flag (spec section 2) -----------


@pytest.mark.parametrize(
    "kwargs, response, question",
    [
        ({"to_ask": {BLADDER: "area_mentioned"}}, UTTER_RED_FLAG_QUESTION, [BLADDER]),
        ({"to_ask": {SADDLE: "classifier"}, "intent": "start_assessment"}, UTTER_RED_FLAG_QUESTION, [SADDLE]),
        # The most serious first.
        ({"to_ask": {ONE_LEG: "ordinary_cause", LEGS: "ordinary_cause"}}, UTTER_RED_FLAG_QUESTION, [LEGS, ONE_LEG]),
        # Leaking on coughing or laughing: is it new since the back pain?
        ({"to_ask": {BLADDER: "stress_leak"}}, UTTER_LEAK_QUESTION, [BLADDER]),
        ({"to_ask": {BLADDER: "long_standing"}}, UTTER_LEAK_QUESTION, [BLADDER]),
    ],
)
def test_asks_one_direct_question(kwargs: Dict[str, Any], response: str, question: List[str]) -> None:
    result = step(**kwargs)
    assert result is not None and result.response == response
    assert result.slot_values == {"red_flag_question": question}
    assert not result.stop_form


@pytest.mark.parametrize(
    "kwargs",
    [
        # Asked and answered "no" already in this session: not asked again.
        {"to_ask": {BLADDER: "area_mentioned"}, "cleared": [BLADDER]},
        # A flag already known needs no question.
        {
            "to_ask": {BLADDER: "area_mentioned"},
            "known_flags": [BLADDER],
            "triage_level": "emergency",
            "intent": "ask_exercise",
        },
        # Routine flags are never asked about this way.
        {"to_ask": {"no_improvement_with_insoles": "classifier"}},
        {"to_ask": {"not_a_flag": "classifier"}},
    ],
)
def test_no_direct_question(kwargs: Dict[str, Any]) -> None:
    assert step(**kwargs) is None


@pytest.mark.parametrize("answer", [YES, UNSURE, None])
def test_yes_unsure_or_unreadable_escalates_in_the_same_turn(answer: Optional[str]) -> None:
    result = step(answer=answer, pending_question=[SADDLE])
    assert result is not None and result.response == UTTER_EMERGENCY
    assert result.slot_values["red_flags"] == [SADDLE]
    assert result.slot_values["red_flag_question"] is None


def test_yes_to_an_urgent_question_is_urgent() -> None:
    result = step(answer=YES, pending_question=[CANCER])
    assert result is not None and result.response == UTTER_URGENT
    assert result.slot_values["red_flags"] == [CANCER]


def test_unsure_which_warning_sign_escalates_at_the_most_serious_level_asked() -> None:
    screen = [BLADDER, SADDLE, LEGS, ONE_LEG, NIGHT, CANCER]
    result = step(answer=UNSURE, pending_question=screen, requested_slot="red_flag_screen")
    assert result is not None and result.response == UTTER_EMERGENCY
    assert result.slot_values["red_flags"] == [BLADDER, SADDLE, LEGS]
    assert result.slot_values["red_flag_screen"] == "positive"


@pytest.mark.parametrize(
    ("flags", "pending", "response", "raised"),
    [
        # "Which one?" after a "yes" to the screen: a reply that tells one sign picked it,
        # at that sign's level ("it was my foot, just the left one").
        ([ONE_LEG], list(SCREEN_SIGNS), UTTER_URGENT, [ONE_LEG]),
        ([NIGHT], list(SCREEN_SIGNS), UTTER_URGENT, [NIGHT]),
        ([SADDLE], list(SCREEN_SIGNS), UTTER_EMERGENCY, [SADDLE]),
        # Nothing told: unreadable, the most serious signs asked about.
        ([], list(SCREEN_SIGNS), UTTER_EMERGENCY, [BLADDER, SADDLE, LEGS]),
        # A question about one emergency sign is not answered by a lesser sign.
        ([ONE_LEG], [BLADDER], UTTER_EMERGENCY, [ONE_LEG, BLADDER]),
    ],
)
def test_a_reply_to_which_sign_that_tells_one(
    flags: List[str], pending: List[str], response: str, raised: List[str]
) -> None:
    result = step(flags=flags, pending_question=pending, requested_slot="red_flag_screen")
    assert result is not None and result.response == response
    assert result.slot_values["red_flags"] == raised


@pytest.mark.parametrize("screen_answer", [UNSURE, "positive"])
def test_a_bare_yes_or_not_sure_to_the_screen_escalates_with_its_most_serious_signs(screen_answer: str) -> None:
    result = step(screen_answer=screen_answer, requested_slot="red_flag_screen")
    assert result is not None and result.response == UTTER_EMERGENCY
    assert result.slot_values["red_flags"] == [BLADDER, SADDLE, LEGS]
    assert result.slot_values["red_flag_screen"] == "positive"


@pytest.mark.parametrize(
    ("kwargs", "response", "flags"),
    [
        # "Yes, my legs feel odd": the screen already asked, so the sign it may be counts.
        ({"to_ask": {LEGS: "classifier"}}, UTTER_EMERGENCY, [LEGS]),
        ({"to_ask": {NIGHT: "classifier"}}, UTTER_URGENT, [NIGHT]),
        # A sign named outright is raised at its own level, not the screen's most serious.
        ({"flags": [CANCER]}, UTTER_URGENT, [CANCER]),
        # "Yes, only the sneeze leaks I've had for years": asked whether it is new.
        ({"to_ask": {BLADDER: "stress_leak"}}, UTTER_LEAK_QUESTION, None),
        # "No, apart from the leaks I told you about": the form asks which sign is meant.
        ({"to_ask": {BLADDER: "stress_leak"}, "cleared": [BLADDER]}, None, None),
        ({"set_aside": {SADDLE: "negated"}}, "utter_emergency_signs", None),
        # "Yeah, the legs thing": only the item pointed at, at its own level.
        ({"screen_signs": [LEGS]}, UTTER_EMERGENCY, [LEGS]),
        ({"screen_signs": [NIGHT, ONE_LEG]}, UTTER_URGENT, [NIGHT, ONE_LEG]),
        ({"screen_signs": [NIGHT, BLADDER]}, UTTER_EMERGENCY, [BLADDER]),
        # A sign the detector may see wins over the item's topic.
        ({"screen_signs": [NIGHT], "to_ask": {SADDLE: "classifier"}}, UTTER_EMERGENCY, [SADDLE]),
    ],
)
def test_a_yes_to_the_screen_that_names_a_sign(kwargs: Dict[str, Any], response: Optional[str], flags) -> None:
    result = step(screen_answer="positive", requested_slot="red_flag_screen", **kwargs)
    assert (result and result.response) == response
    if flags is not None:
        assert result is not None and result.slot_values["red_flags"] == flags


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("yeah the legs thing", [LEGS]),
        ("the bladder one", [BLADDER]),
        ("yes, the leg one", [ONE_LEG]),
        ("yes the night one, and the weight", [NIGHT, "systemic_symptoms"]),
        ("yes but not the bladder, the legs", [LEGS]),
        # Items picked without a "yes": by topic, by place in the list, by a symptom word
        # several items share (all of them; the policy takes the most serious).
        ("only the legs bit", [LEGS]),
        ("just number two", [SADDLE]),
        ("the 1st one and the last one", [BLADDER, "fracture_risk"]),
        ("the numb one", [SADDLE, LEGS, ONE_LEG]),
        ("the tingly one", [LEGS, ONE_LEG]),
        ("first of all, none", []),
        ("yes", []),
        ("yes, one of them", []),
        ("/affirm", []),
        (None, []),
    ],
)
def test_the_screen_items_a_reply_points_at(text: Optional[str], flags: List[str]) -> None:
    assert screen_signs_named(text) == flags


@pytest.mark.parametrize("screen_answer", ["clear", None])
def test_a_no_or_unreadable_screen_answer_is_left_to_the_form(screen_answer: Optional[str]) -> None:
    assert step(screen_answer=screen_answer, requested_slot="red_flag_screen") is None


@pytest.mark.parametrize(
    ("kwargs", "response"),
    [
        # The first reply that cannot be read: the form asks the screen once more, with help.
        ({"screen_unreadable": True}, None),
        # The second: taken as "not sure", at the screen's emergency level, in that turn.
        ({"screen_unreadable": True, "screen_unreadable_before": True}, UTTER_EMERGENCY),
        # A question, a stop, a pause or another fact after an unreadable reply is no second one.
        ({"screen_unreadable": False, "screen_unreadable_before": True}, None),
        ({"screen_answer": "clear", "screen_unreadable_before": True}, None),
        # A possible sign in the reply keeps its own direct question.
        (
            {"screen_unreadable": True, "screen_unreadable_before": True, "to_ask": {LEGS: "classifier"}},
            UTTER_RED_FLAG_QUESTION,
        ),
    ],
)
def test_a_second_unreadable_screen_answer_escalates(kwargs: Dict[str, Any], response: Optional[str]) -> None:
    result = step(requested_slot="red_flag_screen", **kwargs)
    assert (result and result.response) == response
    if response == UTTER_EMERGENCY:
        assert result is not None and result.slot_values["red_flags"] == [BLADDER, SADDLE, LEGS]
        assert result.slot_values["red_flags_guessed"] == [BLADDER, SADDLE, LEGS]
        assert result.slot_values["red_flag_screen"] == "positive" and result.stop_form


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "entities", "unreadable"),
    [
        ("blue cheese on tuesdays", "inform", 0.3, [], True),
        ("asdfgh", "nlu_fallback", 0.9, [], True),
        # Read as an answer: not unreadable.
        ("nope", "deny", 0.9, [], False),
        ("dunno", "dont_know", 0.9, [], False),
        # A question, a stop, a pause or a fact for another question keeps its handling.
        ("why do you need that?", "ask_why_this_question", 0.8, [], False),
        ("can we stop the questions", "inform", 0.4, [], False),
        ("one sec, door", "pause", 0.9, [], False),
        ("I'm a postman by the way", "inform", 0.4, [{"entity": "daily_load", "value": "walking"}], False),
        ("/deny", "deny", 1.0, [], False),
        (None, None, 0.0, [], False),
    ],
)
def test_which_screen_replies_are_unreadable(
    text: Optional[str], intent: Optional[str], confidence: float, entities: List[Dict[str, Any]], unreadable: bool
) -> None:
    assert is_unreadable_screen_reply(text, intent, confidence, entities) is unreadable


def test_not_knowing_something_else_is_no_red_flag() -> None:
    assert step(screen_answer=UNSURE, requested_slot="foot_arch") is None


def test_no_clears_the_question_and_is_not_asked_again() -> None:
    result = step(answer=NO, pending_question=[BLADDER], cleared=[SADDLE], requested_slot="red_flag_screen")
    assert result is not None and result.response == UTTER_RED_FLAG_CHECK_CLEAR
    assert result.slot_values == {
        "red_flag_question": None,
        "red_flags_cleared": [SADDLE, BLADDER],
        "red_flag_screen": "clear",
    }
    assert not result.stop_form


def test_a_reply_telling_its_own_sign_instead_escalates_for_that_sign() -> None:
    result = step(flags=[BLADDER], answer=None, pending_question=[CANCER])
    assert result is not None and result.response == UTTER_EMERGENCY
    assert result.slot_values["red_flags"] == [BLADDER]


def test_a_less_serious_sign_told_instead_keeps_the_level_asked_about() -> None:
    result = step(flags=[CANCER], answer=None, pending_question=[SADDLE])
    assert result is not None and result.response == UTTER_EMERGENCY
    assert sorted(result.slot_values["red_flags"]) == sorted([CANCER, SADDLE])


def test_a_flag_named_in_the_answer_escalates_whatever_the_answer() -> None:
    result = step(flags=[LEGS], answer=NO, pending_question=[BLADDER])
    assert result is not None and result.response == UTTER_EMERGENCY
    assert result.slot_values["red_flags"] == [LEGS]


# --- set aside: answered as a question, naming the emergency signs -------------------


@pytest.mark.parametrize("context", ["other_person", "hypothetical", "past", "figurative"])
def test_an_emergency_sign_set_aside_is_answered_with_the_signs(context: str) -> None:
    result = step(set_aside={BLADDER: context})
    assert result is not None and result.response == UTTER_EMERGENCY_SIGNS
    assert result.slot_values == {} and not result.stop_form


def test_a_question_about_the_signs_gets_its_own_answer() -> None:
    assert step(set_aside={BLADDER: "hypothetical"}, intent="ask_red_flags") is None


# --- reading the answer to the direct question ---------------------------------------


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("/affirm", "affirm", YES),
        ("/deny", "deny", NO),
        ("yes", "affirm", YES),
        ("yeah I think so", "affirm", YES),
        ("nope", "deny", NO),
        ("none of them", "deny", NO),
        ("not sure", "dont_know", UNSURE),
        ("maybe", "affirm", UNSURE),
        ("what do you mean by that?", "out_of_scope", None),
    ],
)
def test_reading_the_answer(text: str, intent: str, expected: Optional[str]) -> None:
    assert read_yes_no_answer(text, intent) == expected


@pytest.mark.parametrize(
    "text, requested, expected",
    [
        ("10", "pain_severity", {"pain_severity": 10}),
        ("ten", "pain_severity", {"pain_severity": 10}),
        ("10/10", "pain_severity", {"pain_severity": 10}),
        ("7", "pain_severity", {}),
        ("10", "foot_arch", {}),
        ("/inform", "pain_severity", {}),
    ],
)
def test_a_pain_score_of_ten_is_read_only_for_the_severity_question(
    text: str, requested: str, expected: Dict[str, Any]
) -> None:
    assert severity_answer(text, requested) == expected


# --- inside Rasa: the policy must win against an active form ----------------------


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture()
def policy(tmp_path) -> EmergencyPolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return EmergencyPolicy.create(EmergencyPolicy.get_default_config(), storage, Resource("emergency"), context)


def tracker_mid_form(domain: Domain, entities: List[Dict[str, Any]], intent: str = "inform") -> DialogueStateTracker:
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
    best = DefaultPolicyPredictionEnsemble().combine_predictions_from_kwargs(
        tracker, domain, rules=loop_prediction(domain), emergency=ours
    )

    assert domain.action_names_or_texts[best.max_confidence_index] == UTTER_EMERGENCY
    tracker.update_with_events(best.events, domain)
    assert tracker.active_loop_name is None
    assert tracker.get_slot("triage_level") == "emergency"
    assert tracker.get_slot("recommendation") == "emergency_care"
    assert tracker.get_slot("red_flags") == ["saddle_anaesthesia"]


def test_negated_or_no_flag_leaves_the_form_alone(domain: Domain, policy: EmergencyPolicy) -> None:
    tracker = tracker_mid_form(domain, [])
    ours = policy.predict_action_probabilities(tracker, domain)
    best = DefaultPolicyPredictionEnsemble().combine_predictions_from_kwargs(
        tracker, domain, rules=loop_prediction(domain), emergency=ours
    )
    assert domain.action_names_or_texts[best.max_confidence_index] == "assessment_form"
    # Rasa's ensemble adds only its note on how the user turn was featurized.
    assert [type(event) for event in best.events] == [DefinePrevUserUtteredFeaturization]


def test_a_pending_question_is_answered_before_the_form(domain: Domain, policy: EmergencyPolicy) -> None:
    tracker = tracker_mid_form(domain, [], intent="affirm")
    tracker.update(SlotSet("red_flag_question", [BLADDER]))
    tracker.update(UserUttered("yes", {"name": "affirm", "confidence": 0.9}))
    ours = policy.predict_action_probabilities(tracker, domain)
    best = DefaultPolicyPredictionEnsemble().combine_predictions_from_kwargs(
        tracker, domain, rules=loop_prediction(domain), emergency=ours
    )
    assert domain.action_names_or_texts[best.max_confidence_index] == UTTER_EMERGENCY


def test_listens_after_its_own_response(domain: Domain, policy: EmergencyPolicy) -> None:
    tracker = tracker_mid_form(domain, [{"entity": "red_flag", "value": "bladder_bowel_dysfunction"}])
    tracker.update(ActionExecuted(UTTER_EMERGENCY))
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert domain.action_names_or_texts[prediction.max_confidence_index] == ACTION_LISTEN_NAME


def tracker_after_a_cleared_question(
    domain: Domain, first_intent: str, first_message: str = "sore back and my bum feels a bit odd"
) -> DialogueStateTracker:
    """A conversation whose first message got the direct question, answered "no"."""
    events = [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered(first_message, {"name": first_intent, "confidence": 0.9}),
        ActionExecuted("utter_red_flag_question"),
        SlotSet("red_flag_question", ["saddle_anaesthesia"]),
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("no", {"name": "deny", "confidence": 0.9}),
        SlotSet("red_flag_question", None),
        ActionExecuted("utter_red_flag_check_clear"),
    ]
    return DialogueStateTracker.from_events("person", events, domain.slots)


@pytest.mark.parametrize(
    ("first_intent", "next_action"),
    [
        ("start_assessment", "assessment_form"),
        ("inform", "assessment_form"),
        ("ask_red_flags", ACTION_LISTEN_NAME),
        ("greet", ACTION_LISTEN_NAME),
    ],
)
def test_a_cleared_question_goes_on_to_the_assessment_asked_for(
    domain: Domain, policy: EmergencyPolicy, first_intent: str, next_action: str
) -> None:
    tracker = tracker_after_a_cleared_question(domain, first_intent)
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert domain.action_names_or_texts[prediction.max_confidence_index] == next_action


@pytest.mark.parametrize("first_intent", ["emergency", "nlu_fallback"])
@pytest.mark.parametrize(
    ("first_message", "next_action"),
    [
        ("I sit in a lorry cab all day and my back's had enough", "assessment_form"),
        ("lower back sore since the weekend", "assessment_form"),
        # Second-language openings the classifier is unsure of.
        ("buenas, my english is not good. I am cook and the back is paining me much at night end", "assessment_form"),
        ("good day, I work as cleaner, the back make me pain every evening", "assessment_form"),
        ("is it bad if I can't feel the toilet paper?", ACTION_LISTEN_NAME),
        ("my dad can't feel his legs", ACTION_LISTEN_NAME),
    ],
)
def test_a_cleared_question_on_a_message_read_as_emergency_or_unclear_goes_on_when_it_tells_of_back_pain(
    domain: Domain, policy: EmergencyPolicy, first_intent: str, first_message: str, next_action: str
) -> None:
    tracker = tracker_after_a_cleared_question(domain, first_intent, first_message)
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert domain.action_names_or_texts[prediction.max_confidence_index] == next_action


@pytest.mark.parametrize(
    ("intent", "next_action"),
    [
        ("inform", "assessment_form"),
        ("start_assessment", "assessment_form"),
        ("ask_red_flags", ACTION_LISTEN_NAME),
        ("out_of_scope", ACTION_LISTEN_NAME),
    ],
)
def test_someone_elses_emergency_signs_then_the_assessment_asked_for(
    domain: Domain, policy: EmergencyPolicy, intent: str, next_action: str
) -> None:
    events = [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("my sister had cauda equina, mine is just an ache", {"name": intent, "confidence": 0.9}),
        ActionExecuted("utter_emergency_signs"),
    ]
    tracker = DialogueStateTracker.from_events("person", events, domain.slots)
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert domain.action_names_or_texts[prediction.max_confidence_index] == next_action


@pytest.mark.parametrize(
    ("text", "intent", "escalates"),
    [
        ("hmm not sure honestly, I haven't paid attention", "dont_know", True),
        ("no idea", "dont_know", True),
        ("/dont_know", "dont_know", True),
        ("yes", "affirm", True),
        ("hmm I don't know. Maybe? I never look at such things down there, I cannot say yes or no", "dont_know", True),
        ("yeah one of them", "affirm", True),
        # Pointing back at a sign already told is a yes to it.
        ("the legs, as I told you before", "inform", True),
        # Items picked without a "yes" are a yes to them.
        ("only the legs bit", "inform", True),
        ("just number two", "inform", True),
        ("the numb one", "inform", True),
        ("bowels", "inform", True),
        ("legs are fine", "inform", False),
        ("the bladder one? what do you mean by that", "ask_red_flags", False),
        ("no, none of those", "deny", False),
        ("/deny", "deny", False),
        # Mentions of a sign that are not a "yes" are left to the detector and the form.
        ("nope. I can feel everything when I wipe, no accidents, legs are fine", "deny", False),
        ("what would count as a bladder problem though? like getting up to pee at night?", "ask_red_flags", False),
        ("no, apart from the sneeze leaks I told you about, which haven't changed", "deny", False),
        ("7", "inform", False),
    ],
)
def test_a_yes_or_unsure_answer_to_the_screen_escalates_in_the_same_turn(
    domain: Domain, policy: EmergencyPolicy, text: str, intent: str, escalates: bool
) -> None:
    tracker = tracker_mid_form(domain, [], intent=intent)
    tracker.update(SlotSet(REQUESTED_SLOT, "red_flag_screen"))
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(UserUttered(text, {"name": intent, "confidence": 0.9}))
    prediction = policy.predict_action_probabilities(tracker, domain)
    predicted = domain.action_names_or_texts[prediction.max_confidence_index]
    assert (predicted == UTTER_EMERGENCY) is escalates
    if escalates:
        slots = {event.key: event.value for event in prediction.optional_events if isinstance(event, SlotSet)}
        assert slots["triage_level"] == "emergency" and slots["red_flag_screen"] == "positive"


@pytest.mark.parametrize(
    ("text", "requested_slot", "kept"),
    [
        ("honestly 8, it wakes me up most nights", "pain_severity", {"pain_severity": 8}),
        ("3 weeks, and my legs feel a bit tingly", "pain_duration", {"pain_duration": "acute"}),
        ("on my feet all day, and I've had a fever", "daily_load", {"daily_load": "standing"}),
        # No answer in the message, a button payload, the screen (the step's own answer)
        ("it wakes me up most nights", "pain_severity", {}),
        ('/inform{"pain_duration": "acute"}', "pain_duration", {}),
        ("yes, night pain", "red_flag_screen", {}),
        ("8 and it wakes me", None, {}),
    ],
)
def test_a_safety_step_keeps_the_answer_to_the_question_asked(
    text: str, requested_slot: Optional[str], kept: Dict[str, Any]
) -> None:
    step = SafetyStep(UTTER_URGENT, {"triage_level": "urgent"}, stop_form=True)
    assert with_the_answer_given(step, text, requested_slot).slot_values == {"triage_level": "urgent", **kept}


def _red_flag(flag: str, source: str, certainty: str) -> Dict[str, Any]:
    return {"entity": "red_flag", "value": flag, "source": source, "certainty": certainty}


@pytest.mark.parametrize(
    "entity, requested_slot, flags, to_ask",
    [
        # At the arch and shoe-wear questions, the learned signal's uncertain reading is asked about.
        (_red_flag(BLADDER, "classifier", "uncertain"), "foot_arch", [], {BLADDER: "classifier"}),
        (_red_flag(BLADDER, "classifier", "uncertain"), "shoe_wear", [], {BLADDER: "classifier"}),
        # The learned signal sure of it, or the rules: escalates as anywhere.
        (_red_flag(BLADDER, "classifier", "affirmed"), "foot_arch", [BLADDER], {}),
        (_red_flag(BLADDER, "rules", "uncertain"), "foot_arch", [BLADDER], {}),
        # Any other question, or none: unchanged.
        (_red_flag(BLADDER, "classifier", "uncertain"), "pain_duration", [BLADDER], {}),
        (_red_flag(BLADDER, "classifier", "uncertain"), None, [BLADDER], {}),
    ],
)
def test_answers_on_the_feet_are_read_in_the_question_context(
    entity: Dict[str, Any], requested_slot: Optional[str], flags: List[str], to_ask: Dict[str, str]
) -> None:
    findings = in_the_context_of_the_question(findings_of([entity], "inform"), [entity], requested_slot)
    assert list(findings.flags) == flags and dict(findings.to_ask) == to_ask


def test_an_uncertain_learned_reading_at_the_arch_question_gets_the_direct_question_then_yes_escalates() -> None:
    entity = _red_flag(BLADDER, "classifier", "uncertain")
    findings = in_the_context_of_the_question(findings_of([entity], "inform"), [entity], "foot_arch")
    asked = decide_safety_step(findings, ConversationState(requested_slot="foot_arch"))
    assert asked is not None and asked.response == UTTER_RED_FLAG_QUESTION
    assert asked.slot_values == {"red_flag_question": [BLADDER]}
    answered = decide_safety_step(
        MessageFindings(), ConversationState(requested_slot="foot_arch", pending_question=[BLADDER]), YES
    )
    assert answered is not None and answered.response == UTTER_EMERGENCY


@pytest.mark.parametrize("screen_answer", [UNSURE, "positive"])
def test_a_bare_yes_to_the_screen_records_its_signs_as_a_guess(screen_answer: str) -> None:
    result = step(screen_answer=screen_answer, requested_slot="red_flag_screen")
    assert result is not None and result.slot_values["red_flags_guessed"] == [BLADDER, SADDLE, LEGS]


@pytest.mark.parametrize(
    "kwargs",
    [
        # A yes that says which sign is no guess.
        {"screen_signs": [LEGS]},
        {"to_ask": {SADDLE: "classifier"}},
        {"flags": [SADDLE]},
    ],
)
def test_a_yes_to_the_screen_that_says_which_is_no_guess(kwargs: Dict[str, Any]) -> None:
    result = step(screen_answer="positive", requested_slot="red_flag_screen", **kwargs)
    assert result is not None and "red_flags_guessed" not in result.slot_values


def test_an_unreadable_reply_to_which_one_records_a_guess() -> None:
    result = step(pending_question=list(SCREEN_SIGNS), requested_slot="red_flag_screen")
    assert result is not None and result.slot_values["red_flags_guessed"] == [BLADDER, SADDLE, LEGS]


GUESSED = {"known_flags": [BLADDER, SADDLE, LEGS], "guessed": [BLADDER, SADDLE, LEGS], "triage_level": "emergency"}


@pytest.mark.parametrize(
    ("flags", "known", "response", "red_flags"),
    [
        # The sign named after the guess replaces the guessed ones.
        ([SADDLE], GUESSED["known_flags"], UTTER_EMERGENCY, [SADDLE]),
        ([BLADDER, LEGS], GUESSED["known_flags"], UTTER_EMERGENCY, [BLADDER, LEGS]),
        # An urgent sign named instead: the record changes, the emergency stays.
        ([ONE_LEG], GUESSED["known_flags"], UTTER_EMERGENCY_REMINDER, [ONE_LEG]),
        ([CANCER], GUESSED["known_flags"], UTTER_EMERGENCY_REMINDER, [CANCER]),
        # Flags told before the guess are kept.
        ([SADDLE], [CANCER, BLADDER, SADDLE, LEGS], UTTER_EMERGENCY, [CANCER, SADDLE]),
    ],
)
def test_signs_named_after_a_guess_replace_it(
    flags: List[str], known: List[str], response: str, red_flags: List[str]
) -> None:
    result = step(flags=flags, **{**GUESSED, "known_flags": known})
    assert result is not None and result.response == response
    assert result.slot_values["red_flags"] == red_flags
    assert result.slot_values["red_flags_guessed"] == []
    assert result.slot_values.get("triage_level", "emergency") == "emergency"


def test_signs_named_without_a_guess_are_added() -> None:
    result = step(flags=[SADDLE], known_flags=[BLADDER], triage_level="emergency")
    assert result is not None and result.slot_values["red_flags"] == [BLADDER, SADDLE]


def test_a_stop_at_the_screen_gets_it_once_more() -> None:
    result = step(intent="stop_assessment", requested_slot="red_flag_screen")
    assert result is not None and result.response == "utter_screen_before_stopping"
    assert result.slot_values == {} and not result.stop_form


@pytest.mark.parametrize(
    "kwargs",
    [
        # The second stop stops.
        {"requested_slot": "red_flag_screen", "screen_kept_once": True},
        # A stop at any other question stops at once.
        {"requested_slot": "foot_arch"},
        {"requested_slot": None},
    ],
)
def test_other_stops_are_left_to_the_rules(kwargs: Dict[str, Any]) -> None:
    assert step(intent="stop_assessment", **kwargs) is None


def test_a_sign_told_with_a_stop_at_the_screen_escalates() -> None:
    result = step(flags=[SADDLE], intent="stop_assessment", requested_slot="red_flag_screen")
    assert result is not None and result.response == UTTER_EMERGENCY


@pytest.mark.parametrize(("attempts", "escalates"), [(None, False), ({"unreadable": 1, "not_sure": 0}, True)])
def test_the_second_unreadable_screen_answer_escalates_in_the_same_turn(
    domain: Domain, policy: EmergencyPolicy, attempts: Optional[Dict[str, int]], escalates: bool
) -> None:
    tracker = tracker_mid_form(domain, [], intent="inform")
    tracker.update(SlotSet(REQUESTED_SLOT, "red_flag_screen"))
    tracker.update(SlotSet("question_attempts", {"red_flag_screen": attempts} if attempts else {}))
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(UserUttered("blue cheese on tuesdays", {"name": "inform", "confidence": 0.3}))
    prediction = policy.predict_action_probabilities(tracker, domain)
    predicted = domain.action_names_or_texts[prediction.max_confidence_index]
    assert (predicted == UTTER_EMERGENCY) is escalates


def test_the_screen_lists_its_signs_in_the_order_places_point_at() -> None:
    # "The second one" is read by place in SCREEN_SIGNS: the screen must list them so.
    domain_yaml = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    buttons = domain_yaml["responses"]["utter_ask_red_flag_screen"][0]["buttons"]
    listed = [m.group(1) for button in buttons if (m := re.search(r'"red_flag": "(\w+)"', button["payload"]))]
    assert listed == list(SCREEN_SIGNS)
