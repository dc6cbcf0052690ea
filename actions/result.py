"""The assessment result, the clinician summary and "what should I do now?".

Thin adapters: the decision and every sentence come from ``rasa_project.clinical``.
The result is always worked out afresh from all current answers and red flags
(:func:`rasa_project.clinical.triage.decide`), so a correction, before or after the
result, rebuilds both the recommendation and its reasons; a level set by a red flag
keeps its floor because the red flags are part of the decision.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.assessment import RESULT_ANSWERS
from rasa_project.clinical.contract import ASSESSMENT_SLOTS, RECOMMENDATION, RED_FLAGS, TRIAGE_LEVEL
from rasa_project.clinical.explanation import describe_changes, result_message, summary_text, with_emergency_reminder
from rasa_project.clinical.triage import Assessment, Decision, decide

logger = logging.getLogger(__name__)

HEADLINE_PAYLOAD_TYPE = "assessment_headline"


def current_decision(tracker: Tracker) -> Tuple[Assessment, Decision]:
    """Decide on the conversation's current answers and red flags (spec section 3)."""
    assessment = Assessment.from_slots(tracker.current_slot_values())
    return assessment, decide(assessment, tracker.get_slot(RED_FLAGS) or [])


def decision_or_offer(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Tuple[Assessment, Decision]]:
    """Return the current decision, or offer the assessment when there is no result yet."""
    if not tracker.get_slot(RECOMMENDATION):
        dispatcher.utter_message(response="utter_offer_assessment")
        return None
    return current_decision(tracker)


def answers_of(tracker: Tracker) -> Dict[str, Any]:
    """The assessment answers, slot -> value, as the result is worked out from them."""
    return {slot: tracker.get_slot(slot) for slot in ASSESSMENT_SLOTS}


class ActionAssessmentResult(Action):
    """Give the result: a headline (what to do, and why), then the explanation."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_assessment_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Set ``triage_level`` and ``recommendation`` from all current answers and explain them.

        When a result was given before, it first says which answers changed and whether
        that changes the advice.
        """
        assessment, decision = current_decision(tracker)
        previous_answers = tracker.get_slot(RESULT_ANSWERS)
        answers = answers_of(tracker)
        advice_changed = True
        if isinstance(previous_answers, dict) and tracker.get_slot(RECOMMENDATION):
            advice_changed = decision.recommendation != tracker.get_slot(RECOMMENDATION) or (
                decision.triage_level != tracker.get_slot(TRIAGE_LEVEL)
            )
            dispatcher.utter_message(text=describe_changes(previous_answers, answers, advice_changed))
        text = result_message(decision, assessment)
        dispatcher.utter_message(
            text=text.headline,
            json_message={
                "type": HEADLINE_PAYLOAD_TYPE,
                TRIAGE_LEVEL: decision.triage_level,
                RECOMMENDATION: decision.recommendation,
            },
        )
        if advice_changed:
            # Unchanged advice is not explained twice: the headline says what it is.
            dispatcher.utter_message(text=text.body)
        _record_assessment(tracker, decision)
        return [
            SlotSet(TRIAGE_LEVEL, decision.triage_level),
            SlotSet(RECOMMENDATION, decision.recommendation),
            SlotSet(RESULT_ANSWERS, answers),
        ]


def _record_assessment(tracker: Tracker, decision: Decision) -> None:
    """Store the completed assessment; a storage failure must not lose the reply."""
    from rasa_project.storage.records import save_assessment

    try:
        save_assessment(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel(),
            slots=tracker.current_slot_values(),
            triage_level=decision.triage_level,
            recommendation=decision.recommendation,
            red_flags=tracker.get_slot(RED_FLAGS) or [],
        )
    except Exception:  # the person gets their result whatever happens
        logger.exception("Could not record the assessment of a conversation.")


class ActionAssessmentSummary(Action):
    """A plain-text summary of the answers and the result, for a clinician."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_assessment_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the summary, or explain that there is nothing to summarise yet."""
        decided = decision_or_offer(dispatcher, tracker)
        if decided is None:
            return []
        assessment, decision = decided
        text = summary_text(assessment, decision, tracker.get_slot(RED_FLAGS) or [])
        dispatcher.utter_message(
            text=with_emergency_reminder(text, tracker.get_slot(TRIAGE_LEVEL)),
            json_message={"type": "assessment_summary", "text": text},
        )
        return []


class ActionAnswerWhatToDo(Action):
    """Repeat the advice of the result, or offer the assessment if there is none yet."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_answer_what_to_do"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Answer "what should I do now?" from the current answers."""
        decided = decision_or_offer(dispatcher, tracker)
        if decided is None:
            return []
        assessment, decision = decided
        text = result_message(decision, assessment)
        dispatcher.utter_message(text=text.headline)
        dispatcher.utter_message(text=with_emergency_reminder(text.body, tracker.get_slot(TRIAGE_LEVEL)))
        return []
