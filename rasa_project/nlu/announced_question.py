"""A message that only announces a question is a hello, not a request to stop the questions.

"Quick question", "question about my insoles": the learned classifier reads their word
"question" as "stop the questions" and ends a check that has not begun, so the person
who came to ask gets "I've stopped the questions". Such a message is greeted instead,
which leads into the check, where any question is answered along the way. Only the
classifier's stop is overruled: an announcement it reads otherwise is left to it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_project.nlu.intent_overrides import IntentOverride
from rasa_project.understanding.openings import announces_a_question

GREET = "greet"
STOP = "stop_assessment"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnnouncedQuestionClassifier(IntentOverride):
    """Overrides a guessed stop with ``greet`` on messages that only announce a question."""

    intent_name = GREET

    def applies_to(self, message: Message) -> bool:
        """Whether the classifier read a stop into a message that only announces a question."""
        intent = message.get(INTENT) or {}
        return intent.get("name") == STOP and announces_a_question(message.get(TEXT) or "")
