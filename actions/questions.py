"""Questions answered at any time: one action for every ``ask_*`` intent.

The answer to the intent ``ask_<topic>`` is the domain response ``utter_faq_<topic>``,
rendered by the Rasa server's response generator (which adds the emergency reminder
once a conversation's triage level is ``emergency``). Two rules in ``data/rules.yml``
run this action, outside and inside the assessment; adding a question topic is an
intent with its examples and a response, no new rule.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from rasa_project.clinical.contract import RECOMMENDATION, TRIAGE_LEVEL

QUESTION_INTENT_PREFIX = "ask_"
ANSWER_PREFIX = "utter_faq_"
#: When an intent has no answer of its own (a domain edited without one).
FALLBACK_RESPONSE = "utter_default"
#: Questions whose general answer invites "and would they help me?".
CHECK_OWN_CASE_AFTER = frozenset({"ask_insoles_help", "ask_custom_vs_otc", "ask_brands"})
CHECK_OWN_CASE = "utter_check_own_case"
ASSESSMENT_FORM = "assessment_form"
STOP = "stop_assessment"


def goes_on_to_own_case(intent: Optional[str], assessment_running: bool, has_result: bool, stopped: bool) -> bool:
    """Whether the general answer to ``intent`` leads into the check of the person's own case.

    Someone who asks a back-pain insole assistant whether insoles help wants to know
    whether they would help them, so the first question follows the answer. Only
    before any assessment: during one the next question follows anyway, after a
    result the person has their own answer, and after "stop the questions" they
    start it again when they want to.
    """
    return intent in CHECK_OWN_CASE_AFTER and not (assessment_running or has_result or stopped)


def stopped_the_assessment(events: List[Dict[str, Any]]) -> bool:
    """Whether the person asked to stop the questions earlier in the conversation."""
    return any(
        event.get("event") == "user" and ((event.get("parse_data") or {}).get("intent") or {}).get("name") == STOP
        for event in events
    )


def answer_for(intent: Optional[str], responses: List[str]) -> str:
    """The response that answers ``intent``, or the fallback when there is none."""
    if intent and intent.startswith(QUESTION_INTENT_PREFIX):
        response = ANSWER_PREFIX + intent[len(QUESTION_INTENT_PREFIX) :]
        if response in responses:
            return response
    return FALLBACK_RESPONSE


class ActionAnswerQuestion(Action):
    """Answer the question the person asked, then let the conversation carry on."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Utter the answer to the latest message's question intent."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(response=answer_for(intent, list(domain.get("responses") or {})))
        running = bool((tracker.active_loop or {}).get("name"))
        has_result = tracker.get_slot(TRIAGE_LEVEL) is not None or tracker.get_slot(RECOMMENDATION) is not None
        if goes_on_to_own_case(intent, running, has_result, stopped_the_assessment(tracker.events)):
            dispatcher.utter_message(response=CHECK_OWN_CASE)
            return [FollowupAction(ASSESSMENT_FORM)]
        return []
