"""Messages the intent classifier cannot read are marked as such, not guessed.

A linear classifier gives every input some intent: an empty message, emoji only or
a message in another script gets the class prior, often ``affirm`` with moderate
confidence. Acting on that ("yes" to a question nobody answered) is worse than
asking again, so such messages get the ``nlu_fallback`` intent with full confidence
and the assistant asks the person to rephrase.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

FALLBACK_INTENT = "nlu_fallback"
#: English words are written with Latin letters; a message with none of them, nor a
#: digit (a severity, a duration), has nothing the assistant can read.
_READABLE = re.compile(r"[A-Za-z0-9]")


def is_unreadable(text: str) -> bool:
    """Whether ``text`` holds no Latin letter and no digit (empty, emoji, other scripts)."""
    return _READABLE.search(text or "") is None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnreadableMessageClassifier(GraphComponent, IntentClassifier):
    """Overrides the intent of unreadable messages with ``nlu_fallback``."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnreadableMessageClassifier:
        """Create the component (it has nothing to train or load)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Mark unreadable messages; leave every other message untouched."""
        for message in messages:
            text = message.get(TEXT) or ""
            if not is_unreadable(text):
                continue
            intent = {"name": FALLBACK_INTENT, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
