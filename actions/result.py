"""The assessment result, the clinician summary and "what should I do now?".

Thin adapters: the decision and every sentence come from ``rasa_project.clinical``.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from rasa_project.clinical.contract import (
    RECOMMENDATION,
    RED_FLAGS,
    TRIAGE_LEVEL,
    escalate,
)
from rasa_project.clinical.explanation import result_message, summary_text
from rasa_project.clinical.triage import Assessment, Decision, decide

logger = logging.getLogger(__name__)


def current_decision(tracker: Tracker) -> tuple[Assessment, Decision]:
    """Decide on the conversation's answers and red flags, never lowering the level.

    A level already reached in this session (an earlier urgent flag, say) stays,
    and so does the recommendation that came with it.
    """
    assessment = Assessment.from_slots(tracker.current_slot_values())
    decision = decide(assessment, tracker.get_slot(RED_FLAGS) or [])
    previous_level = tracker.get_slot(TRIAGE_LEVEL)
    level = escalate(previous_level, decision.triage_level) or decision.triage_level
    if level != decision.triage_level and tracker.get_slot(RECOMMENDATION):
        decision = Decision(
            triage_level=level,
            recommendation=tracker.get_slot(RECOMMENDATION),
            row=decision.row,
            mechanics=decision.mechanics,
            reasons=decision.reasons,
        )
    return assessment, decision


def decision_or_offer(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Tuple[Assessment, Decision]]:
    """Return the current decision, or offer the assessment when there is none yet."""
    if not tracker.get_slot(RECOMMENDATION):
        dispatcher.utter_message(response="utter_offer_assessment")
        return None
    return current_decision(tracker)


class ActionAssessmentResult(Action):
    """Give the result of a completed assessment and record it."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_assessment_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Set ``triage_level`` and ``recommendation`` and explain them."""
        assessment, decision = current_decision(tracker)
        dispatcher.utter_message(
            text=result_message(decision, assessment),
            json_message={
                "type": "assessment_result",
                TRIAGE_LEVEL: decision.triage_level,
                RECOMMENDATION: decision.recommendation,
            },
        )
        _record_assessment(tracker, decision)
        return [
            SlotSet(TRIAGE_LEVEL, decision.triage_level),
            SlotSet(RECOMMENDATION, decision.recommendation),
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
    except Exception:
        logger.exception("Could not record the assessment of a conversation.")


class ActionAssessmentSummary(Action):
    """A plain-text summary of the answers and the result, for a clinician."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_assessment_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Send the summary, or explain that there is nothing to summarise yet."""
        decided = decision_or_offer(dispatcher, tracker)
        if decided is None:
            return []
        assessment, decision = decided
        text = summary_text(assessment, decision, tracker.get_slot(RED_FLAGS) or [])
        dispatcher.utter_message(text=text, json_message={"type": "assessment_summary", "text": text})
        return []


class ActionAnswerWhatToDo(Action):
    """Repeat the advice of the result, or offer the assessment if there is none yet."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_answer_what_to_do"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Answer "what should I do now?" from the current triage."""
        decided = decision_or_offer(dispatcher, tracker)
        if decided is None:
            return []
        assessment, decision = decided
        dispatcher.utter_message(text=result_message(decision, assessment))
        return []
