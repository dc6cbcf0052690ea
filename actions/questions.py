"""Questions answered at any time: one action for every ``ask_*`` intent.

The answer to the intent ``ask_<topic>`` is the domain response ``utter_faq_<topic>``,
rendered by the Rasa server's response generator (which adds the emergency reminder
once a conversation's triage level is ``emergency``). Two rules in ``data/rules.yml``
run this action, outside and inside the assessment; adding a question topic is an
intent with its examples and a response, no new rule.
"""

from __future__ import annotations

from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from rasa_project.clinical.contract import RECOMMENDATION, TRIAGE_LEVEL

QUESTION_INTENT_PREFIX = "ask_"
ANSWER_PREFIX = "utter_faq_"
#: When an intent has no answer of its own (a domain edited without one).
FALLBACK_RESPONSE = "utter_default"
#: Questions whose general answer invites "and would they help me?".
OFFER_OWN_CHECK_AFTER = frozenset({"ask_insoles_help", "ask_custom_vs_otc", "ask_brands"})
OFFER_OWN_CHECK = "utter_offer_own_check"


def offers_own_check(intent: Optional[str], assessment_running: bool, has_result: bool) -> bool:
    """Whether to offer the person a check of their own case after answering ``intent``.

    Only before any assessment: during one the next question follows anyway, and
    after a result the person already has their own answer.
    """
    return intent in OFFER_OWN_CHECK_AFTER and not assessment_running and not has_result


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
        if offers_own_check(intent, running, has_result):
            dispatcher.utter_message(response=OFFER_OWN_CHECK)
        return []
