"""Questions answered at any time: one action for every ``ask_*`` intent.

The answer to the intent ``ask_<topic>`` is the domain response ``utter_faq_<topic>``,
rendered by the Rasa server's response generator (which adds the emergency reminder
once a conversation's triage level is ``emergency``). Two rules in ``data/rules.yml``
run this action, outside and inside the assessment; adding a question topic is an
intent with its examples and a response, no new rule. A question that also corrects
an answer after the result ("should I see a podiatrist? one did diagnose my gait")
gets the result worked out again, as a plain correction does. A question intent
guessed with little confidence for a message that asks nothing ("sore back, done the
stretches already") is not answered as a question nobody asked.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.assessment import RESULT_ANSWERS
from rasa_project.clinical.contract import (
    ASSESSMENT_SLOTS,
    PREGNANCY_ENTITY,
    RECOMMENDATION,
    TRIAGE_LEVEL,
    TriageLevel,
)
from rasa_project.understanding.facts import tells_of_back_pain

QUESTION_INTENT_PREFIX = "ask_"
ANSWER_PREFIX = "utter_faq_"
#: When an intent has no answer of its own (a domain edited without one).
FALLBACK_RESPONSE = "utter_default"
#: Questions whose general answer invites "and would they help me?".
CHECK_OWN_CASE_AFTER = frozenset({"ask_insoles_help", "ask_custom_vs_otc", "ask_brands"})
CHECK_OWN_CASE = "utter_check_own_case"
#: Entities that tell about the person's own case: the assessment facts, and a pregnancy.
OWN_CASE_ENTITIES = frozenset({*ASSESSMENT_SLOTS, PREGNANCY_ENTITY})
ASSESSMENT_FORM = "assessment_form"
STOP = "stop_assessment"
#: Below this confidence a question intent on a message that asks nothing is a guess:
#: "back pain, tried a few things" is no question about warning signs.
GUESS_BELOW = 0.5
PLEASE_REPHRASE = "utter_please_rephrase"
_QUESTION_OPENERS = frozenset(
    {
        "what", "what's", "whats", "why", "how", "how's", "when", "where", "which", "who", "whose", "is", "are",
        "am", "do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "tell", "explain",
        "any", "anything", "info", "information",
    }
)  # fmt: skip
_OPENING_FILLERS = frozenset({"hi", "hey", "hello", "hiya", "ok", "okay", "so", "and", "but", "um", "also", "please"})


def asks_something(text: str) -> bool:
    """Whether a message is put as a question or a request to be told something."""
    words = [word.strip(",.!:;") for word in text.lower().split()]
    words = [word for word in words if word]
    while words and words[0] in _OPENING_FILLERS:
        words = words[1:]
    return "?" in text or (bool(words) and words[0] in _QUESTION_OPENERS)


def is_guessed_question(intent: Optional[str], confidence: float, text: str) -> bool:
    """Whether a question intent was only guessed for a message that asks nothing: a statement to answer as one."""
    return (
        bool(intent and intent.startswith(QUESTION_INTENT_PREFIX))
        and confidence < GUESS_BELOW
        and not (asks_something(text) or text.startswith("/"))
    )


def tells_own_back_pain(text: str) -> bool:
    """Whether a message asks nothing and tells, in the first person, that the back hurts: an opening about their own case.

    "I am 68 and have had a sore lower back for a good while" may share words with a
    question topic, but asks none; it is answered as the start of the person's own check.
    A note naming a topic ("sore back, red flags") may ask to be told about it, and is.
    """
    return not (asks_something(text) or text.startswith("/")) and tells_of_back_pain(text, own=True)


def goes_on_to_own_case(
    intent: Optional[str],
    assessment_running: bool,
    has_result: bool,
    stopped: bool,
    told_own_case: bool = False,
    typed: bool = False,
) -> bool:
    """Whether the general answer to ``intent`` leads into the check of the person's own case.

    Someone who asks a back-pain insole assistant whether insoles help wants to know
    whether they would help them, so the first question follows the answer; so does
    someone whose question also tells about their own back, feet or pregnancy
    (``told_own_case``), and anyone who typed their question (``typed``): they came to
    talk about their back, whatever they asked first. A question button tapped from a
    menu (a payload) only gets its answer, unless it is about insoles helping. Only
    before any assessment: during one the next question follows anyway, after a result
    the person has their own answer, and after "stop the questions" they start it again
    when they want to.
    """
    asks_own_case = intent in CHECK_OWN_CASE_AFTER or told_own_case or typed
    return asks_own_case and not (assessment_running or has_result or stopped)


def told_own_case(entities: List[Dict[str, Any]]) -> bool:
    """Whether a message stated assessment facts or a pregnancy: the person is asking about their own case."""
    return any(entity.get("entity") in OWN_CASE_ENTITIES for entity in entities)


def changes_a_result(tracker: Tracker, entities: List[Dict[str, Any]]) -> bool:
    """Whether a message changed an answer that a given result (not an emergency) was worked out from."""
    previous = tracker.get_slot(RESULT_ANSWERS)
    if not isinstance(previous, dict) or tracker.get_slot(TRIAGE_LEVEL) == TriageLevel.EMERGENCY.value:
        return False
    said = {str(entity.get("entity")) for entity in entities} & set(ASSESSMENT_SLOTS)
    return any(tracker.get_slot(slot) != previous.get(slot) for slot in said)


def typed(text: str) -> bool:
    """Whether a message was typed by the person, not sent as a payload by a button or a channel ("/greet")."""
    return not text.strip().startswith("/")


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
        """Utter the answer to the latest message's question intent, then go on to the person's own case.

        Before any assessment that is its first question; after a result whose
        answers the message changed, the result worked out again.
        """
        parsed = tracker.latest_message.get("intent") or {}
        intent = parsed.get("name")
        running = bool((tracker.active_loop or {}).get("name"))
        has_result = tracker.get_slot(TRIAGE_LEVEL) is not None or tracker.get_slot(RECOMMENDATION) is not None
        entities = tracker.latest_message.get("entities") or []
        stopped = stopped_the_assessment(tracker.events)
        text = tracker.latest_message.get("text") or ""
        if is_guessed_question(intent, float(parsed.get("confidence") or 0.0), text) or (
            not running and tells_own_back_pain(text)
        ):
            return self._statement(dispatcher, running, has_result or stopped)
        dispatcher.utter_message(response=answer_for(intent, list(domain.get("responses") or {})))
        if goes_on_to_own_case(intent, running, has_result, stopped, told_own_case(entities), typed(text)):
            dispatcher.utter_message(response=CHECK_OWN_CASE)
            return [FollowupAction(ASSESSMENT_FORM)]
        if not running and changes_a_result(tracker, entities):
            # "Should I see a podiatrist? One diagnosed a gait problem years ago": the
            # form finds every answer in and the result is worked out again.
            return [FollowupAction(ASSESSMENT_FORM)]
        return []

    @staticmethod
    def _statement(dispatcher: CollectingDispatcher, running: bool, done: bool) -> List[EventType]:
        """A statement mistaken for a question: about the person's own back before any check, else unclear.

        During the assessment nothing is said: the question just asked comes again.
        """
        if running:
            return []
        if done:
            dispatcher.utter_message(response=PLEASE_REPHRASE)
            return []
        dispatcher.utter_message(response=CHECK_OWN_CASE)
        return [FollowupAction(ASSESSMENT_FORM)]
