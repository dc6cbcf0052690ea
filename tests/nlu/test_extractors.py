"""The Rasa NLU components on real Rasa ``Message`` objects."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_project.clinical.contract import (
    CATEGORICAL_VALUES,
    PAIN_SEVERITY,
    PREGNANCY_ENTITY,
    RED_FLAG_CATALOGUE,
    RED_FLAG_CONTEXT_ENTITY,
    RED_FLAG_ENTITY,
)
from rasa_project.nlu.extractors import RED_FLAG_CONCERN_ENTITY, AssessmentFactExtractor, RedFlagEntityExtractor
from rasa_project.understanding.red_flags.detector import RedFlagDetector, get_detector

ROBUSTNESS_TEXTS = [
    "",
    "   ",
    "x" * 10_000,
    "😀🙏🏽" * 500,
    "¿Dónde puedo comprar plantillas?",
    "<b>hello</b><script>alert(1)</script>",
    "\x00\x07\x1b[0m",
    '/inform{"red_flag": "saddle_anaesthesia"}',
    "/greet",
]


@pytest.fixture(scope="module")
def model_storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="module")
def execution_context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model")


@pytest.fixture(scope="module")
def red_flag_extractor(model_storage: LocalModelStorage, execution_context: ExecutionContext) -> RedFlagEntityExtractor:
    return RedFlagEntityExtractor.create(
        RedFlagEntityExtractor.get_default_config(), model_storage, Resource("red_flags"), execution_context
    )


@pytest.fixture(scope="module")
def fact_extractor(model_storage: LocalModelStorage, execution_context: ExecutionContext) -> AssessmentFactExtractor:
    return AssessmentFactExtractor.create(
        AssessmentFactExtractor.get_default_config(), model_storage, Resource("facts"), execution_context
    )


def message(text: str, entities: List[Dict[str, Any]] | None = None) -> Message:
    data: Dict[str, Any] = {TEXT: text}
    if entities is not None:
        data[ENTITIES] = entities
    return Message(data=data)


def entities_by(msg: Message, extractor: str) -> List[Dict[str, Any]]:
    return [e for e in msg.get(ENTITIES, []) if e.get("extractor") == extractor]


OTHER_ENTITY = {"entity": "body_part", "value": "back", "start": 0, "end": 4, "extractor": "RegexEntityExtractor"}


# --- RedFlagEntityExtractor ------------------------------------------------------------


def test_red_flag_entity_shape(red_flag_extractor: RedFlagEntityExtractor) -> None:
    text = "I think I might have wet myself"
    [msg] = red_flag_extractor.process([message(text)])
    [entity] = msg.get(ENTITIES)
    assert entity == {
        "entity": RED_FLAG_ENTITY,
        "value": "bladder_bowel_dysfunction",
        "start": text.index("wet myself"),
        "end": len(text),
        "confidence_entity": 1.0,
        "extractor": "RedFlagEntityExtractor",
        "certainty": "uncertain",
        "source": "rules",
    }


def test_red_flag_entities_are_appended_to_existing_ones(red_flag_extractor: RedFlagEntityExtractor) -> None:
    [msg] = red_flag_extractor.process([message("back pain and I can't control my bladder", [dict(OTHER_ENTITY)])])
    assert msg.get(ENTITIES)[0] == OTHER_ENTITY
    assert [e["value"] for e in entities_by(msg, "RedFlagEntityExtractor")] == ["bladder_bowel_dysfunction"]


def test_one_entity_per_distinct_flag(red_flag_extractor: RedFlagEntityExtractor) -> None:
    text = "I wet myself on Monday, maybe I wet myself again today, and both my legs are numb"
    [msg] = red_flag_extractor.process([message(text)])
    found = entities_by(msg, "RedFlagEntityExtractor")
    assert sorted(e["value"] for e in found) == ["bilateral_or_progressive_leg_symptoms", "bladder_bowel_dysfunction"]
    bladder = next(e for e in found if e["value"] == "bladder_bowel_dysfunction")
    # The affirmed mention wins over the later, hedged one.
    assert bladder["certainty"] == "affirmed"
    assert text[bladder["start"] : bladder["end"]] == "wet myself"


def test_negated_mentions_add_nothing(red_flag_extractor: RedFlagEntityExtractor) -> None:
    [msg] = red_flag_extractor.process([message("no problems with my bladder and no fever")])
    assert msg.get(ENTITIES) == []


def test_every_value_is_a_catalogue_id(red_flag_extractor: RedFlagEntityExtractor) -> None:
    texts = [
        "I had a fall off my bike and now I have sciatica",
        "the pain wakes me every night, I've lost 5 kg without trying",
        "I've worn orthotics for 8 weeks and it's no better",
    ]
    messages = red_flag_extractor.process([message(t) for t in texts])
    values = [e["value"] for m in messages for e in m.get(ENTITIES)]
    assert values and set(values) <= set(RED_FLAG_CATALOGUE)
    assert all(m.get(ENTITIES) for m in messages)


def test_button_payload_is_left_to_rasa(red_flag_extractor: RedFlagEntityExtractor) -> None:
    payload_entity = {"entity": RED_FLAG_ENTITY, "value": "saddle_anaesthesia", "start": 0, "end": 10}
    msg = message('/inform{"red_flag": "saddle_anaesthesia"}', [dict(payload_entity)])
    red_flag_extractor.process([msg])
    assert msg.get(ENTITIES) == [payload_entity]


@pytest.mark.parametrize("text", ROBUSTNESS_TEXTS)
def test_red_flag_extractor_robustness(red_flag_extractor: RedFlagEntityExtractor, text: str) -> None:
    [msg] = red_flag_extractor.process([message(text)])
    assert entities_by(msg, "RedFlagEntityExtractor") == []


def test_message_without_text_is_untouched(red_flag_extractor: RedFlagEntityExtractor) -> None:
    msg = Message(data={"intent": {"name": "greet"}})
    red_flag_extractor.process([msg])
    assert msg.get(ENTITIES) is None


def test_components_share_the_process_wide_detector(
    red_flag_extractor: RedFlagEntityExtractor, model_storage: LocalModelStorage, execution_context: ExecutionContext
) -> None:
    other = RedFlagEntityExtractor.create({}, model_storage, Resource("other"), execution_context)
    assert other.detector is red_flag_extractor.detector is get_detector()


def test_concern_entity_shape(red_flag_extractor: RedFlagEntityExtractor) -> None:
    text = "my bladder has been acting strange"
    [msg] = red_flag_extractor.process([message(text)])
    [entity] = msg.get(ENTITIES)
    assert entity == {
        "entity": "red_flag_concern",
        "value": "bladder_bowel_dysfunction",
        "start": text.index("bladder"),
        "end": text.index("bladder") + len("bladder"),
        "confidence_entity": 1.0,
        "extractor": "RedFlagEntityExtractor",
        "reason": "area_mentioned",
    }
    assert RED_FLAG_CONCERN_ENTITY == "red_flag_concern"


def test_concern_entities_come_after_flags_and_other_entities(red_flag_extractor: RedFlagEntityExtractor) -> None:
    text = "I wet myself last night and my legs feel funny"
    [msg] = red_flag_extractor.process([message(text, [dict(OTHER_ENTITY)])])
    entities = msg.get(ENTITIES)
    assert entities[0] == OTHER_ENTITY
    assert [(e["entity"], e["value"]) for e in entities[1:3]] == [
        (RED_FLAG_ENTITY, "bladder_bowel_dysfunction"),
        (RED_FLAG_CONCERN_ENTITY, "bilateral_or_progressive_leg_symptoms"),
    ]
    concern = entities[2]
    assert text[concern["start"] : concern["end"]] == "legs feel funny"


def test_a_flag_that_only_may_be_present_is_a_concern_with_its_reason(
    red_flag_extractor: RedFlagEntityExtractor,
) -> None:
    text = "I leak a bit when I sneeze, have done since my second baby"
    [msg] = red_flag_extractor.process([message(text)])
    concerns = [e for e in msg.get(ENTITIES) if e["entity"] == RED_FLAG_CONCERN_ENTITY]
    assert [(e["value"], e["reason"]) for e in concerns] == [("bladder_bowel_dysfunction", "stress_leak")]
    assert (concerns[0]["start"], concerns[0]["end"]) == (0, len(text))


@pytest.mark.parametrize(
    "text, role",
    [
        ("my dad had an operation for cauda equina", "other_person"),
        ("what counts as losing control of your bladder?", "hypothetical"),
        ("I had numbness in both legs years ago but it cleared up completely", "past"),
        ("I nearly wet myself laughing", "figurative"),
    ],
)
def test_a_set_aside_mention_is_a_context_entity_with_its_role(
    red_flag_extractor: RedFlagEntityExtractor, text: str, role: str
) -> None:
    [msg] = red_flag_extractor.process([message(text)])
    entities = entities_by(msg, "RedFlagEntityExtractor")
    assert [e["entity"] for e in entities if e["entity"] == RED_FLAG_ENTITY] == []
    contexts = [e for e in entities if e["entity"] == RED_FLAG_CONTEXT_ENTITY]
    assert contexts and {e["role"] for e in contexts} == {role}


def test_pregnancy_is_an_entity(red_flag_extractor: RedFlagEntityExtractor) -> None:
    [msg] = red_flag_extractor.process([message("I'm 30 weeks pregnant and my back aches")])
    assert [(e["entity"], e["value"]) for e in msg.get(ENTITIES)] == [(PREGNANCY_ENTITY, "yes")]


def test_no_concern_entity_for_a_flag_that_fired(red_flag_extractor: RedFlagEntityExtractor) -> None:
    [msg] = red_flag_extractor.process([message("my bladder has been odd and I wet myself")])
    assert [(e["entity"], e["value"]) for e in msg.get(ENTITIES)] == [(RED_FLAG_ENTITY, "bladder_bowel_dysfunction")]


@pytest.fixture(scope="module")
def rules_only_extractor() -> RedFlagEntityExtractor:
    """The extractor over the concept rules alone, for properties of the rules' concerns."""
    return RedFlagEntityExtractor({}, RedFlagDetector.from_config(learned=False))


def test_one_concern_entity_per_flag_at_its_first_mention(rules_only_extractor: RedFlagEntityExtractor) -> None:
    text = "something feels off down below, my bum is strange too, and my bowels are weird"
    [msg] = rules_only_extractor.process([message(text)])
    concerns = [e for e in msg.get(ENTITIES) if e["entity"] == RED_FLAG_CONCERN_ENTITY]
    assert [e["value"] for e in concerns] == ["saddle_anaesthesia", "bladder_bowel_dysfunction"]
    assert text[concerns[0]["start"] : concerns[0]["end"]] == "down below"


@pytest.mark.parametrize(
    "text",
    ["my bladder is fine", "no problems with my bowels", "no numbness down there", "my left leg is shorter"],
)
def test_negated_or_all_clear_areas_add_no_concern(red_flag_extractor: RedFlagEntityExtractor, text: str) -> None:
    [msg] = red_flag_extractor.process([message(text)])
    assert msg.get(ENTITIES) == []


class CountingPipeline:
    """The real red-flag pipeline, counting how many texts it parses."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.calls = 0

    def __call__(self, text: str) -> Any:
        self.calls += 1
        return self.nlp(text)


def test_flags_and_concerns_come_from_one_parse_per_message(red_flag_extractor: RedFlagEntityExtractor) -> None:
    pipeline = CountingPipeline(get_detector().nlp)
    extractor = RedFlagEntityExtractor(
        {}, RedFlagDetector(pipeline, get_detector().classifier, get_detector().settings)
    )  # type: ignore[arg-type]
    messages = [message("I wet myself and my legs feel funny"), message("my bladder is odd")]
    extractor.process(messages)
    assert pipeline.calls == 2
    assert {e["entity"] for m in messages for e in m.get(ENTITIES)} == {RED_FLAG_ENTITY, RED_FLAG_CONCERN_ENTITY}


# --- AssessmentFactExtractor ------------------------------------------------------------


def test_fact_entities_are_appended_with_contract_values(fact_extractor: AssessmentFactExtractor) -> None:
    text = "I have flat feet and my back has hurt for four months"
    [msg] = fact_extractor.process([message(text, [dict(OTHER_ENTITY)])])
    assert msg.get(ENTITIES)[0] == OTHER_ENTITY
    facts = entities_by(msg, "AssessmentFactExtractor")
    assert {(e["entity"], e["value"]) for e in facts} >= {("foot_arch", "flat"), ("pain_duration", "chronic")}
    for entity in facts:
        assert set(entity) == {"entity", "value", "start", "end", "confidence_entity", "extractor"}
        assert entity["confidence_entity"] == 1.0
        assert isinstance(entity["value"], str)
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        if entity["entity"] != PAIN_SEVERITY:
            assert entity["value"] in CATEGORICAL_VALUES[entity["entity"]]


def test_pain_score_value_is_a_string(fact_extractor: AssessmentFactExtractor) -> None:
    [msg] = fact_extractor.process([message("the pain is about 7/10 today")])
    assert [(e["entity"], e["value"]) for e in entities_by(msg, "AssessmentFactExtractor")] == [(PAIN_SEVERITY, "7")]


@pytest.mark.parametrize("text", ROBUSTNESS_TEXTS)
def test_fact_extractor_robustness(fact_extractor: AssessmentFactExtractor, text: str) -> None:
    [msg] = fact_extractor.process([message(text)])
    assert entities_by(msg, "AssessmentFactExtractor") == []


def test_both_components_in_pipeline_order(
    red_flag_extractor: RedFlagEntityExtractor, fact_extractor: AssessmentFactExtractor
) -> None:
    msg = message("I'm a postman with flat feet and since yesterday I'm numb down there", [dict(OTHER_ENTITY)])
    fact_extractor.process(red_flag_extractor.process([msg]))
    extractors = [e["extractor"] for e in msg.get(ENTITIES)]
    assert extractors[0] == "RegexEntityExtractor"
    assert "RedFlagEntityExtractor" in extractors and "AssessmentFactExtractor" in extractors
    red_flags = [e["value"] for e in msg.get(ENTITIES) if e["entity"] == RED_FLAG_ENTITY]
    assert red_flags == ["saddle_anaesthesia"]
