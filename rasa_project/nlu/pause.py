"""A request for a moment is a pause, not a request to stop the questions.

"Can we stop for a sec, someone's at the door": the learned classifier reads its "stop"
as "stop the questions" and ends the check the person means to carry on with a minute
later. Such a message gets the intent ``pause``: the assistant says to take their time
and keeps the question open. A real stop or start over in the same message wins.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_project.nlu.intent_overrides import IntentOverride
from rasa_project.understanding.answers.commands import asks_to_pause, asks_to_start_over_or_stop
from rasa_project.understanding.answers.words import MAX_CHARS, tokenize

PAUSE = "pause"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PauseClassifier(IntentOverride):
    """Sets ``pause`` on messages that ask for a moment and do not ask to stop or start over."""

    intent_name = PAUSE

    def applies_to(self, message: Message) -> bool:
        """Whether the message asks for a short break in the questions."""
        words = tokenize(str(message.get(TEXT) or "")[:MAX_CHARS])
        return asks_to_pause(words) and not asks_to_start_over_or_stop(words)
