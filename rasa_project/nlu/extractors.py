"""Rasa NLU graph components that put clinical entities on every user message.

Use them in ``config.yml`` after the tokenizer and featurizers::

    - name: rasa_project.nlu.extractors.RedFlagEntityExtractor
    - name: rasa_project.nlu.extractors.AssessmentFactExtractor

Both are rule-based and untrained. They append to the message's entities and never
remove what other extractors found.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from rasa_project.clinical.contract import (
    PREGNANCY_ENTITY,
    RED_FLAG_CONCERN_ENTITY,
    RED_FLAG_CONTEXT_ENTITY,
    RED_FLAG_ENTITY,
)
from rasa_project.nlu.message_length import FULL_TEXT
from rasa_project.understanding.red_flags.detector import (
    RedFlagConcern,
    RedFlagDetector,
    RedFlagMention,
    RedFlagReading,
    get_detector,
)

logger = logging.getLogger(__name__)

#: Extra entity attribute: "affirmed" or "uncertain".
ENTITY_ATTRIBUTE_CERTAINTY = "certainty"
#: Extra entity attribute of a red flag: "rules" or "classifier".
ENTITY_ATTRIBUTE_SOURCE = "source"
#: Extra entity attribute of a concern: why the flag is to be asked about.
ENTITY_ATTRIBUTE_REASON = "reason"
#: The reason of a concern found by an emergency flag's body area alone.
AREA_MENTIONED = "area_mentioned"


def message_text(message: Message, *, whole: bool = False) -> Optional[str]:
    """Return the text to scan, or None for no text or a ``/intent{...}`` payload.

    Payloads from buttons are parsed by Rasa's ``RegexMessageHandler``; reading
    their JSON as patient language could only produce noise. An over-long message
    (see :mod:`rasa_project.nlu.message_length`) is read in full with ``whole``, for
    red flags, and not at all without it: the person is asked for a shorter message,
    and answers taken from a text read only in part must not fill the assessment.
    """
    if message.get(FULL_TEXT):
        return message.get(FULL_TEXT) if whole else None
    text = message.get(TEXT)
    if not isinstance(text, str) or not text.strip() or text.lstrip().startswith(INTENT_MESSAGE_PREFIX):
        return None
    return text


def first_mention_per_flag(mentions: List[RedFlagMention]) -> List[RedFlagMention]:
    """Keep one mention per flag id: the first affirmed one, else the first one.

    An affirmed mention wins so that "maybe numb down there ... yes, it is numb"
    reports the flag as affirmed.
    """
    chosen: Dict[str, RedFlagMention] = {}
    for mention in mentions:
        current = chosen.get(mention.flag_id)
        if current is None or (current.certainty != "affirmed" and mention.certainty == "affirmed"):
            chosen[mention.flag_id] = mention
    return sorted(chosen.values(), key=lambda m: m.start)


def red_flag_entity(mention: RedFlagMention) -> Dict[Text, Any]:
    """Return the Rasa entity dict of a red-flag mention (without the extractor name)."""
    return {
        ENTITY_ATTRIBUTE_TYPE: RED_FLAG_ENTITY,
        ENTITY_ATTRIBUTE_VALUE: mention.flag_id,
        ENTITY_ATTRIBUTE_START: mention.start,
        ENTITY_ATTRIBUTE_END: mention.end,
        ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
        ENTITY_ATTRIBUTE_CERTAINTY: mention.certainty,
        ENTITY_ATTRIBUTE_SOURCE: mention.source,
    }


def first_concern_per_flag(concerns: List[RedFlagConcern]) -> List[RedFlagConcern]:
    """Keep the first concern of each flag id, in text order."""
    chosen: Dict[str, RedFlagConcern] = {}
    for concern in sorted(concerns, key=lambda c: c.start):
        chosen.setdefault(concern.flag_id, concern)
    return sorted(chosen.values(), key=lambda c: c.start)


def red_flag_concern_entity(concern: RedFlagConcern, reason: str = AREA_MENTIONED) -> Dict[Text, Any]:
    """Return the Rasa entity dict of a concern (without the extractor name)."""
    return {
        ENTITY_ATTRIBUTE_TYPE: RED_FLAG_CONCERN_ENTITY,
        ENTITY_ATTRIBUTE_VALUE: concern.flag_id,
        ENTITY_ATTRIBUTE_START: concern.start,
        ENTITY_ATTRIBUTE_END: concern.end,
        ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
        ENTITY_ATTRIBUTE_REASON: reason,
    }


def reading_entities(reading: RedFlagReading, text: str) -> List[Dict[Text, Any]]:
    """Return the entities of one message's red-flag reading, in a fixed order.

    ``red_flag`` for each flag that counts; ``red_flag_concern`` for each flag to ask
    about, with the ``reason`` (an area mentioned, or a context such as
    ``stress_leak``); ``red_flag_context`` for each flag set aside, with the context as
    its ``role``; ``pregnancy`` when the message says the person is pregnant. Entities
    that stand for the whole message span all of it.
    """
    entities = [red_flag_entity(m) for m in first_mention_per_flag(list(reading.mentions))]
    entities += [red_flag_concern_entity(c) for c in first_concern_per_flag(list(reading.concerns))]
    whole = {ENTITY_ATTRIBUTE_START: 0, ENTITY_ATTRIBUTE_END: len(text), ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0}
    entities += [
        {
            ENTITY_ATTRIBUTE_TYPE: RED_FLAG_CONCERN_ENTITY,
            ENTITY_ATTRIBUTE_VALUE: flag,
            **whole,
            ENTITY_ATTRIBUTE_REASON: reason,
        }
        for flag, reason in sorted(reading.ask.items())
    ]
    entities += [
        {
            ENTITY_ATTRIBUTE_TYPE: RED_FLAG_CONTEXT_ENTITY,
            ENTITY_ATTRIBUTE_VALUE: flag,
            **whole,
            ENTITY_ATTRIBUTE_ROLE: reason,
        }
        for flag, reason in sorted(reading.set_aside.items())
    ]
    if reading.pregnant:
        entities.append({ENTITY_ATTRIBUTE_TYPE: PREGNANCY_ENTITY, ENTITY_ATTRIBUTE_VALUE: "yes", **whole})
    return entities


def append_entities(message: Message, entities: List[Dict[Text, Any]]) -> None:
    """Append entities to a message, keeping those other extractors set."""
    message.set(ENTITIES, list(message.get(ENTITIES, []) or []) + entities, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class RedFlagEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Add the red flags a message mentions, and the emergency areas it only touches on, as entities.

    One ``red_flag`` entity for each distinct red flag mentioned, and a
    ``red_flag_concern`` entity for each emergency flag whose body area or function
    the message mentions without that flag firing.

    The entity value is the flag id; on ``red_flag`` entities ``certainty`` says
    whether it was affirmed or reported as uncertain. Negated mentions, and area
    mentions given an all-clear ("my bladder is fine"), give no entity. Both come
    from one parse of the message (``RedFlagDetector.analyse``).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {}

    def __init__(self, config: Dict[Text, Any], detector: RedFlagDetector) -> None:
        self.component_config = config
        self.detector = detector

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagEntityExtractor:
        """Create the component, building the process-wide detector if needed.

        The spaCy pipeline is built here, at model load, so the first message is
        answered as fast as the rest.
        """
        return cls(config, get_detector())

    def process(self, messages: List[Message]) -> List[Message]:
        """Append red-flag and concern entities to each message and return the messages."""
        for message in messages:
            text = message_text(message, whole=True)
            if text is None:
                continue
            # The detector reads a long text in sentence-aligned pieces: its cost grows
            # with the length only, and an emergency at the end is still found.
            entities = reading_entities(self.detector.read(text), text)
            append_entities(message, self.add_extractor_name(entities))
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class AssessmentFactExtractor(GraphComponent, EntityExtractorMixin):
    """Add an entity for each assessment fact a person volunteers in a message.

    The entity type is the assessment slot name and the value its contract value as
    a string ("flat", "chronic", "7"), from ``rasa_project.understanding.facts``.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AssessmentFactExtractor:
        """Create the component (it holds no state)."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Append assessment-fact entities to each message and return the messages."""
        # Imported here so that the red-flag extractor above keeps working even if
        # the fact module fails to import; a volunteered fact is a convenience, a
        # red flag is not.
        from rasa_project.understanding.facts import extract_facts

        for message in messages:
            text = message_text(message)
            if text is None:
                continue
            try:
                facts = extract_facts(text)
            except Exception:
                # A fact that is not picked up is simply asked for later; losing the
                # whole turn (and its red-flag answer) over it would be far worse.
                logger.exception("Assessment fact extraction failed; the message keeps its other entities.")
                continue
            entities = [
                {
                    ENTITY_ATTRIBUTE_TYPE: fact.slot,
                    ENTITY_ATTRIBUTE_VALUE: str(fact.value),
                    ENTITY_ATTRIBUTE_START: fact.start,
                    ENTITY_ATTRIBUTE_END: fact.end,
                    ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
                }
                for fact in facts
            ]
            append_entities(message, self.add_extractor_name(entities))
        return messages
