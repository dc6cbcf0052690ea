"""Messages the intent classifier cannot read are marked as such, not guessed.

A linear classifier gives every input some intent: an empty message, emoji only or
a message in another script gets the class prior, often ``affirm`` with moderate
confidence. Acting on that ("yes" to a question nobody answered) is worse than
asking again, so such messages get the ``nlu_fallback`` intent with full confidence
and the assistant asks the person to rephrase.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_project.nlu.intent_overrides import IntentOverride

FALLBACK_INTENT = "nlu_fallback"
#: English words are written with Latin letters; a message with none of them, nor a
#: digit (a severity, a duration), has nothing the assistant can read.
_READABLE = re.compile(r"[A-Za-z0-9]")


def is_unreadable(text: str) -> bool:
    """Whether ``text`` holds no Latin letter and no digit (empty, emoji, other scripts)."""
    return _READABLE.search(text or "") is None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnreadableMessageClassifier(IntentOverride):
    """Overrides the intent of unreadable messages with ``nlu_fallback``."""

    intent_name = FALLBACK_INTENT

    def applies_to(self, message: Message) -> bool:
        """Whether the message has nothing the assistant can read."""
        return is_unreadable(message.get(TEXT) or "")
