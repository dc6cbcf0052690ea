"""The person's "delete my data" request.

The rules run ``action_delete_my_data`` only after the person has confirmed. The
action erases what is stored so far and says so; the Rasa server's tracker store
(:class:`rasa_project.storage.tracker_store.EncryptedSQLTrackerStore`) then sees
this action in the turn and erases the conversation again instead of saving it,
so nothing the person wrote, not even this turn, is left once the reply has gone
out. Escalation records are kept without the conversation id: the clinic's audit
trail of an emergency survives the erasure (see :mod:`rasa_project.storage.privacy`).
The action server and the Rasa server must use the same ``ASSISTANT_DATABASE_URL``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from rasa_project.storage.privacy import ACTION_DELETE_MY_DATA, erase_conversation

logger = logging.getLogger(__name__)

UTTER_DATA_DELETED = "utter_data_deleted"
UTTER_DATA_DELETE_FAILED = "utter_data_delete_failed"


class ActionDeleteMyData(Action):
    """Erase everything stored about this conversation and tell the person."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return ACTION_DELETE_MY_DATA

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Erase the conversation's rows off the event loop, then confirm or apologise."""
        try:
            await asyncio.get_running_loop().run_in_executor(None, erase_conversation, tracker.sender_id)
        except Exception as error:
            logger.error("Could not erase a conversation on request (%s).", type(error).__name__)
            dispatcher.utter_message(response=UTTER_DATA_DELETE_FAILED)
            return []
        dispatcher.utter_message(response=UTTER_DATA_DELETED)
        return []
