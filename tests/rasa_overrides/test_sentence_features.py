"""The sentence-features override: Rasa's sentence features, no token features, and Rasa's featurizer when off."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_project.nlu.sentence_featurizer import SentenceCountVectorsFeaturizer
from rasa_project.rasa_overrides import sentence_features

PROJECT = Path(__file__).resolve().parents[2]
#: The two featurizers of config.yml.
CONFIGS = {
    "word 1-2": {"analyzer": "word", "min_ngram": 1, "max_ngram": 2},
    "char_wb 2-4": {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4},
}
MESSAGES = [
    "I can't control my bladder since this morning",
    "insols for flat feet??",
    "MY BACK HURTS when I run 10 km",
    "Ich habe Rückenschmerzen",
    "🦶🦶 help",
    "<b>numb</b> saddle area",
    "a",
    "",
]


@pytest.fixture(autouse=True)
def override_installed() -> Iterator[None]:
    sentence_features.install()
    yield
    sentence_features.uninstall()


@pytest.fixture(scope="module")
def training_data() -> TrainingData:
    data = load_data(str(PROJECT / "data" / "nlu"))
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process_training_data(data)
    return data


def _trained(cls: type, config: Dict[str, Any], data: TrainingData, tmp_path: Path) -> CountVectorsFeaturizer:
    storage = tmp_path / cls.__name__
    storage.mkdir(exist_ok=True)
    featurizer = cls.create(
        {**cls.get_default_config(), **config},
        LocalModelStorage(storage),
        Resource(cls.__name__),
        ExecutionContext(GraphSchema({}), "test"),
    )
    featurizer.train(data)
    return featurizer


def _featurized(featurizer: CountVectorsFeaturizer, text: str) -> Message:
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    return message


def _of_type(message: Message, feature_type: str) -> List[Any]:
    return [f for f in message.features if f.type == feature_type and f.attribute == TEXT]


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_vocabulary_and_sentence_features_as_rasa(
    config: Dict[str, Any], training_data: TrainingData, tmp_path: Path
) -> None:
    rasa = _trained(CountVectorsFeaturizer, config, training_data, tmp_path)
    ours = _trained(SentenceCountVectorsFeaturizer, config, training_data, tmp_path)
    assert ours.vectorizers[TEXT].vocabulary_ == rasa.vectorizers[TEXT].vocabulary_

    for text in MESSAGES:
        expected = _of_type(_featurized(rasa, text), FEATURE_TYPE_SENTENCE)
        got = _of_type(_featurized(ours, text), FEATURE_TYPE_SENTENCE)
        assert len(got) == len(expected), text
        for mine, theirs in zip(got, expected):
            assert mine.features.format == theirs.features.format == "coo"
            assert mine.features.dtype == theirs.features.dtype
            assert mine.origin == theirs.origin
            assert np.array_equal(mine.features.toarray(), theirs.features.toarray()), text


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_no_token_features(config: Dict[str, Any], training_data: TrainingData, tmp_path: Path) -> None:
    ours = _trained(SentenceCountVectorsFeaturizer, config, training_data, tmp_path)

    message = _featurized(ours, "my back hurts")

    assert _of_type(message, FEATURE_TYPE_SEQUENCE) == []
    assert len(_of_type(message, FEATURE_TYPE_SENTENCE)) == 1


def test_training_examples_get_the_same_sentence_features(training_data: TrainingData, tmp_path: Path) -> None:
    config = CONFIGS["word 1-2"]
    rasa = _trained(CountVectorsFeaturizer, config, training_data, tmp_path)
    ours = _trained(SentenceCountVectorsFeaturizer, config, training_data, tmp_path)
    examples = training_data.intent_examples[:50]
    copies = [Message(data=dict(e.data)) for e in examples]
    for copy in copies:
        WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([copy])

    rasa.process_training_data(TrainingData(examples))
    ours.process_training_data(TrainingData(copies))

    for theirs, mine in zip(examples, copies):
        expected = _of_type(theirs, FEATURE_TYPE_SENTENCE)[-1].features.toarray()
        assert np.array_equal(_of_type(mine, FEATURE_TYPE_SENTENCE)[-1].features.toarray(), expected)


def test_without_the_override_it_is_rasas_featurizer(training_data: TrainingData, tmp_path: Path) -> None:
    sentence_features.uninstall()
    config = CONFIGS["char_wb 2-4"]
    rasa = _trained(CountVectorsFeaturizer, config, training_data, tmp_path)
    ours = _trained(SentenceCountVectorsFeaturizer, config, training_data, tmp_path)

    for text in MESSAGES:
        for feature_type in (FEATURE_TYPE_SEQUENCE, FEATURE_TYPE_SENTENCE):
            expected = _of_type(_featurized(rasa, text), feature_type)
            got = _of_type(_featurized(ours, text), feature_type)
            assert [f.features.toarray().tolist() for f in got] == [f.features.toarray().tolist() for f in expected]
