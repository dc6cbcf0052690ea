"""A greeting outside the assessment: the welcome, then the check when it was typed.

Someone who types "hi" to a back-pain insole assistant has come to talk about their
back, so the welcome is followed by the check's first question; they can still ask
anything in between or say "stop the questions". The greeting a channel sends for the
person (the web widget's hidden ``/greet`` when it opens, Telegram's ``/start``) only
gets the welcome with its buttons, so that its "Start the check" and question buttons
keep leading where they say.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.assessment import GREETING
from actions.questions import ASSESSMENT_FORM, stopped_the_assessment, typed
from rasa_project.clinical.contract import RECOMMENDATION, TRIAGE_LEVEL

#: The welcome with its buttons: the answer to a channel's own greeting.
WELCOME = "utter_greet"
#: The same welcome leading into the first question, for a typed greeting.
WELCOME_THEN_CHECK = "utter_greet_then_check"


def greeting_starts_the_check(text: str, has_result: bool, events: List[Dict[str, Any]]) -> bool:
    """Whether a greeting outside the assessment goes on into the check's first question.

    Only a typed greeting (a payload such as ``/greet`` is a channel's or a button's),
    and only before any result and unless the person asked to stop the questions: then
    they have their answer, or start the check again when they want to.
    """
    return typed(text) and not has_result and not stopped_the_assessment(events)


class ActionGreet(Action):
    """Welcome the person; after a typed greeting, start the check."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return GREETING

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Utter the welcome, and after a typed greeting hand over to the assessment form."""
        text = tracker.latest_message.get("text") or ""
        has_result = tracker.get_slot(TRIAGE_LEVEL) is not None or tracker.get_slot(RECOMMENDATION) is not None
        if greeting_starts_the_check(text, has_result, tracker.events):
            dispatcher.utter_message(response=WELCOME_THEN_CHECK)
            return [FollowupAction(ASSESSMENT_FORM)]
        dispatcher.utter_message(response=WELCOME)
        return []
