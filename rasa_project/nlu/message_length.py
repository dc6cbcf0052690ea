"""Over-long messages: read whole for red flags, briefly for everything else, then answered.

The channels pass a message on up to a hard cap (20,000 characters by default) and
mark one longer than ``ASSISTANT_MAX_MESSAGE_CHARS`` (5,000) in its metadata
(:mod:`rasa_project.channels.message_limits`). Two components act on that:

``MessageLengthLimiter`` (first in the pipeline)
    normalises the text once more, defensively, for any path that did not come
    through a channel (:mod:`rasa_project.understanding.hygiene`); for an over-long
    message it keeps the whole text in the ``full_text`` attribute, which the
    red-flag extractor reads, and leaves only the first N characters as the
    message's text for the tokenizer, the featurizers and the intent classifier.
    An emergency written at the end is still found, and everything else costs what
    a maximum-length message costs. The fact extractor does not read an over-long
    message at all (:func:`rasa_project.nlu.extractors.message_text`): answers
    taken from its first part filled assessment slots, and the form moved on to
    its next question without saying the message was too long.
``OverLongMessageClassifier`` (after the other intent classifiers)
    gives an over-long message the intent ``message_too_long`` with full
    confidence, so the rules ask for a shorter message (in and outside the
    assessment) instead of guessing at what a letter-length text meant.

The emergency policy acts on the ``red_flag`` entities before any rule, so an
emergency in an over-long message is answered first, as in any other message.

The red-flag detector reads any long text in sentence-aligned pieces itself
(:func:`rasa_project.understanding.red_flags.detector.text_windows`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_project.channels.message_limits import METADATA_KEY, MessageLimits
from rasa_project.nlu.intent_overrides import IntentOverride
from rasa_project.understanding.hygiene import normalise_text

MESSAGE_TOO_LONG_INTENT = "message_too_long"
#: Message attribute holding the whole text of an over-long message.
FULL_TEXT = "full_text"
#: Message attribute marking an over-long message for the classifier below.
OVER_LONG = "over_long"
_METADATA = "metadata"


def is_marked_over_long(metadata: Any) -> bool:
    """Whether a channel marked the message as over long in its metadata."""
    if not isinstance(metadata, dict):
        return False
    mark = metadata.get(METADATA_KEY)
    return isinstance(mark, dict) and mark.get("over_long") is True


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MessageLengthLimiter(GraphComponent):
    """Normalises every message and shortens the text an over-long one is read with."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No options: the lengths come from the environment (see the module docstring)."""
        return {}

    def __init__(self, limits: MessageLimits) -> None:
        self.limits = limits

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLengthLimiter:
        """Create the component with the limits the channels use."""
        return cls(MessageLimits.from_environment())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data alone: it is written by us, and short."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Normalise each message; keep an over-long one's full text aside and shorten its text."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            text = normalise_text(text)[: self.limits.hard_cap_chars]
            over_long = len(text) > self.limits.max_message_chars or is_marked_over_long(message.get(_METADATA))
            if over_long:
                message.set(FULL_TEXT, text)
                message.set(OVER_LONG, True)
                text = text[: self.limits.max_message_chars]
            message.set(TEXT, text)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OverLongMessageClassifier(IntentOverride):
    """Gives messages :class:`MessageLengthLimiter` marked the intent ``message_too_long``."""

    intent_name = MESSAGE_TOO_LONG_INTENT

    def applies_to(self, message: Message) -> bool:
        """Whether the message was marked over long."""
        return bool(message.get(OVER_LONG))
