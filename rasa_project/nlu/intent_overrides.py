"""Intent classifiers that overrule the learned one for messages it must not guess at.

The learned classifier gives every input some intent. A few kinds of message have an
intent that is certain from the message itself (nothing readable in it, over the
length limit); a component after the learned classifier sets that intent with full
confidence. Each kind is a subclass naming its intent and the messages it applies to.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


class IntentOverride(GraphComponent, IntentClassifier):
    """Sets :attr:`intent_name` with full confidence on the messages :meth:`applies_to` picks."""

    #: The intent set on the messages this component applies to.
    intent_name: ClassVar[str]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverride:
        """Create the component (it has nothing to train or load)."""
        return cls()

    def applies_to(self, message: Message) -> bool:
        """Whether ``message`` gets :attr:`intent_name`."""
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the intent of the messages this component applies to; leave the others untouched."""
        for message in messages:
            if self.applies_to(message):
                intent = {"name": self.intent_name, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
