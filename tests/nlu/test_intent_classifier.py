"""The intent classifier gives Rasa's intents and probabilities from the sentence features alone."""

from __future__ import annotations

from typing import List

import numpy as np
import pytest
import scipy.sparse
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from rasa_project.nlu.intent_classifier import SentenceFeatureIntentClassifier, intent_probabilities

RNG = np.random.default_rng(7)


def _sparse(columns: int, rows: int = 1, dtype: type = np.int64) -> scipy.sparse.coo_matrix:
    dense = RNG.integers(0, 3, size=(rows, columns)).astype(dtype)
    return scipy.sparse.coo_matrix(dense)


def _features(kind: str) -> List[Features]:
    word = Features(_sparse(5), FEATURE_TYPE_SENTENCE, TEXT, "word_counts")
    char = Features(_sparse(9, dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "char_counts")
    word_tokens = Features(_sparse(5, rows=3), FEATURE_TYPE_SEQUENCE, TEXT, "word_counts")
    dense = Features(RNG.random((1, 4)), FEATURE_TYPE_SENTENCE, TEXT, "embeddings")
    dense_tokens = Features(RNG.random((3, 4)), FEATURE_TYPE_SEQUENCE, TEXT, "embeddings")
    other_attribute = Features(_sparse(6), FEATURE_TYPE_SENTENCE, INTENT, "word_counts")
    return {
        "one sparse featurizer": [word],
        "two sparse featurizers with token features": [word, word_tokens, char],
        "sparse and dense": [dense, word, dense_tokens, char],
        "dense only": [dense, dense_tokens],
        "other attributes ignored": [other_attribute, word, char],
        "no features": [],
    }[kind]


KINDS = [
    "one sparse featurizer",
    "two sparse featurizers with token features",
    "sparse and dense",
    "dense only",
    "other attributes ignored",
    "no features",
]


def _message(kind: str) -> Message:
    return Message(data={TEXT: "my back hurts"}, features=_features(kind))


def _trained_classifier(kind: str, rows: int = 60, **config: object) -> SentenceFeatureIntentClassifier:
    """A classifier trained on random messages with ``kind``'s features and three or two intents."""
    classes = config.pop("classes", ["greet", "inform", "emergency"])
    classifier = SentenceFeatureIntentClassifier(
        {**SentenceFeatureIntentClassifier.get_default_config(), **config}, "classifier", None, None
    )
    messages = [_message(kind) for _ in range(rows)]
    labels = [classes[i % len(classes)] for i in range(rows)]
    classifier.clf.fit(classifier._create_X(messages), labels)
    return classifier


def _rasa_process(classifier: SentenceFeatureIntentClassifier, message: Message) -> Message:
    LogisticRegressionClassifier.process(classifier, [message])
    return message


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("no features", "dense only")])
@pytest.mark.parametrize("classes", [["greet", "inform", "emergency"], ["greet", "inform"]], ids=["three", "two"])
def test_same_intent_and_ranking_as_rasa(kind: str, classes: List[str]) -> None:
    classifier = _trained_classifier(kind, classes=classes)
    for _ in range(10):
        message = _message(kind)
        expected = _rasa_process(classifier, Message(data=dict(message.data), features=message.features))

        classifier.process([message])

        assert message.get("intent")["name"] == expected.get("intent")["name"]
        ours = [(entry["name"], entry["confidence"]) for entry in message.get("intent_ranking")]
        rasa = [(entry["name"], entry["confidence"]) for entry in expected.get("intent_ranking")]
        assert [name for name, _ in ours] == [name for name, _ in rasa]
        assert np.allclose([c for _, c in ours], [c for _, c in rasa], rtol=1e-12, atol=1e-15)
        assert message.as_dict_nlu().keys() == expected.as_dict_nlu().keys()


def test_ranking_length_is_applied_after_picking_the_intent() -> None:
    classifier = _trained_classifier("one sparse featurizer", ranking_length=1)
    message = _message("one sparse featurizer")

    classifier.process([message])

    assert len(message.get("intent_ranking")) == 1
    assert message.get("intent_ranking")[0] == message.get("intent")


def test_a_refitted_model_is_read_afresh() -> None:
    classifier = _trained_classifier("one sparse featurizer")
    message = _message("one sparse featurizer")
    classifier.process([message])
    refit = [_message("one sparse featurizer") for _ in range(30)]
    classifier.clf.fit(classifier._create_X(refit), ["only", "other"] * 15)

    classifier.process([message])

    assert {entry["name"] for entry in message.get("intent_ranking")} == {"only", "other"}


def test_a_row_of_the_wrong_width_fails_as_in_rasa() -> None:
    classifier = _trained_classifier("one sparse featurizer")
    wrong = Message(data={TEXT: "my back hurts"}, features=_features("two sparse featurizers with token features"))

    with pytest.raises(ValueError, match="features"):
        classifier.process([wrong])


def test_blocks_of_several_rows_are_left_to_rasa() -> None:
    classifier = _trained_classifier("one sparse featurizer")
    weights = classifier.clf.coef_.T

    assert intent_probabilities(classifier.clf, weights, [_sparse(5, rows=2)]) is None
    assert intent_probabilities(classifier.clf, weights, [_sparse(5)]) is not None
