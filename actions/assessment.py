"""Form validation for the assessment: reads answers, notes volunteered facts.

A thin adapter: the meaning of an answer comes from ``rasa_project.clinical``; this
module only decides *when* to read one (the question just asked, and a message that
is an answer rather than a question) and what to tell the person about it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from rasa_project.clinical.contract import (
    ASSESSMENT_SLOTS,
    CATEGORICAL_VALUES,
    FOOT_ARCH,
    GAIT_DIAGNOSIS,
    PAIN_DURATION,
    PAIN_SEVERITY,
    RED_FLAG_CATALOGUE,
    RED_FLAG_ENTITY,
    RED_FLAG_SCREEN,
    RED_FLAGS,
    SEVERITY_MAX,
    SEVERITY_MIN,
    TriageLevel,
)
from rasa_project.clinical.explanation import ARCH_SELF_CHECK, describe_answer
from rasa_project.understanding.answers import parse_answer

#: Messages with these intents are not answers to the question asked, when the
#: classifier is confident: the form steps aside and the rules answer them.
NOT_AN_ANSWER = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "bot_challenge",
        "restart",
        "request_summary",
        "ask_what_to_do",
        "delete_my_data",
        "emergency",
        "ask_insoles_help",
        "ask_kinetic_chain",
        "ask_pronation_supination",
        "ask_arch_types",
        "ask_leg_length",
        "ask_custom_vs_otc",
        "ask_trial_length",
        "ask_red_flags",
        "message_too_long",
    }
)
CONFIDENT = 0.6
#: Slots where "I don't know" cannot be accepted: a rough answer is asked for instead.
NEEDS_AN_ESTIMATE = frozenset({PAIN_DURATION, PAIN_SEVERITY})


def _intent(tracker: Tracker) -> tuple[Optional[str], float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _is_answer(tracker: Tracker) -> bool:
    name, confidence = _intent(tracker)
    return not (name in NOT_AN_ANSWER and confidence >= CONFIDENT)


def _answer_for(slot: str, tracker: Tracker) -> Any:
    """Interpret the latest message as an answer to the question for ``slot``."""
    name, _ = _intent(tracker)
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        # A button payload: its entities were mapped already; only the intent is left.
        text = ""
    if name == "dont_know" and slot != RED_FLAG_SCREEN:
        return "unknown"
    if slot == RED_FLAG_SCREEN and name in {"deny", "affirm"} and not text:
        return "clear" if name == "deny" else "positive"
    if not text:
        return None
    return parse_answer(slot, text)


class ValidateAssessmentForm(FormValidationAction):
    """Validates ``assessment_form``: one question at a time, free text welcome."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "validate_assessment_form"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Read the latest message as an answer to the question just asked.

        Facts stated in the message are mapped to their slots by entities before
        this runs; here only the free-text answer to the requested slot is read.
        """
        requested = tracker.get_slot("requested_slot")
        if requested not in ASSESSMENT_SLOTS:
            return []
        extracted = self._extract_requested(requested, dispatcher, tracker)
        return [SlotSet(slot, value) for slot, value in extracted.items()]

    def _extract_requested(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if not _is_answer(tracker) or slot in _volunteered_facts(tracker):
            return {}
        value = _answer_for(slot, tracker)
        if value is not None:
            return {slot: value}
        if _volunteered_facts(tracker):
            # A correction or another fact ("actually my arches are high"): it is
            # acknowledged, and the question is simply asked again.
            return {}
        dispatcher.utter_message(response="utter_answer_not_understood")
        return {slot: None}

    # --- validation: normalise values and handle the special answers -----------------

    def _validate_category(self, slot: str, value: Any) -> Dict[Text, Any]:
        value = str(value).strip().lower() if value is not None else None
        return {slot: value if value in CATEGORICAL_VALUES[slot] else None}

    async def validate_pain_duration(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept acute/subacute/chronic; ask for a rough guess instead of "don't know"."""
        if value == "unknown":
            dispatcher.utter_message(text='A rough guess is fine, for example "about a month" or "over a year".')
            return {PAIN_DURATION: None}
        return self._validate_category(PAIN_DURATION, value)

    async def validate_pain_severity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept a whole number from 0 to 10."""
        try:
            number = round(float(value))
        except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite number from a payload
            number = None
        if number is None or not SEVERITY_MIN <= number <= SEVERITY_MAX:
            dispatcher.utter_message(text="Please give a number from 0 to 10; a rough guess is fine.")
            return {PAIN_SEVERITY: None}
        return {PAIN_SEVERITY: number}

    async def validate_red_flag_screen(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A "yes" without saying which symptom is asked about again: it decides the urgency."""
        if value == "positive" and not _serious_flags(tracker.get_slot(RED_FLAGS)):
            dispatcher.utter_message(response="utter_ask_which_red_flag")
            return {RED_FLAG_SCREEN: None}
        return self._validate_category(RED_FLAG_SCREEN, value)

    async def validate_daily_load(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept standing/walking/sitting/mixed."""
        if value == "unknown":
            return {"daily_load": "mixed"}
        return self._validate_category("daily_load", value)

    async def validate_foot_arch(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Teach the wet-foot test and shoe-wear check before accepting ``unknown``."""
        if value == "unknown" and not tracker.get_slot("arch_help_given"):
            dispatcher.utter_message(text=ARCH_SELF_CHECK)
            return {FOOT_ARCH: None, "arch_help_given": True}
        return self._validate_category(FOOT_ARCH, value)

    async def validate_shoe_wear(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept inner/outer/even/unknown."""
        return self._validate_category("shoe_wear", value)

    async def validate_leg_length_difference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept yes/no/unknown."""
        return self._validate_category("leg_length_difference", value)

    async def validate_gait_diagnosis(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept yes/no; not knowing of a diagnosis means there is none on record."""
        if value == "unknown":
            return {GAIT_DIAGNOSIS: "no"}
        return self._validate_category(GAIT_DIAGNOSIS, value)

    async def validate_insole_history(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept none/helped/no_change/worse."""
        return self._validate_category("insole_history", value)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Validate, then record routine red flags and acknowledge volunteered facts."""
        events = await super().run(dispatcher, tracker, domain)
        events += _routine_flag_events(tracker)
        _acknowledge_volunteered_facts(dispatcher, tracker, events)
        return events


def _volunteered_facts(tracker: Tracker) -> List[str]:
    """Assessment slots that entities in the latest message filled."""
    return [
        str(entity.get("entity"))
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") in ASSESSMENT_SLOTS
    ]


def _red_flags_in_latest_message(tracker: Tracker) -> List[str]:
    return [
        str(entity.get("value"))
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == RED_FLAG_ENTITY
    ]


def _serious_flags(flags: Optional[List[str]]) -> List[str]:
    return [
        flag
        for flag in flags or []
        if flag in RED_FLAG_CATALOGUE and RED_FLAG_CATALOGUE[flag].level.rank >= TriageLevel.URGENT.rank
    ]


def _routine_flag_events(tracker: Tracker) -> List[Dict[Text, Any]]:
    """Add routine flags of this message (e.g. insoles did not help) to ``red_flags``.

    Emergency and urgent flags are recorded by the safety policy before the form runs.
    """
    known = list(tracker.get_slot(RED_FLAGS) or [])
    routine = [
        flag
        for flag in _red_flags_in_latest_message(tracker)
        if flag in RED_FLAG_CATALOGUE and RED_FLAG_CATALOGUE[flag].level is TriageLevel.ROUTINE and flag not in known
    ]
    if not routine:
        return []
    return [SlotSet(RED_FLAGS, known + routine)]


def _acknowledge_volunteered_facts(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: List[Dict[Text, Any]]
) -> None:
    """Say which facts were taken from the message besides the answer asked for.

    People should see that "flat feet" in a longer message was understood, and
    that a correction ("actually my arches are high") replaced the old answer.
    """
    requested = tracker.get_slot("requested_slot")
    noted = [
        describe_answer(event["name"], event["value"])
        for event in events
        if event.get("event") == "slot"
        and event.get("name") in ASSESSMENT_SLOTS
        and event.get("name") != requested
        and event.get("value") is not None
        and event["name"] in _volunteered_facts(tracker)
    ]
    if noted:
        dispatcher.utter_message(text="Noted: " + "; ".join(noted) + ".")
