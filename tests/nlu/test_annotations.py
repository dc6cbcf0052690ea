"""Entity annotations in the NLU training data and the held-out set follow the slot contract."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from rasa_project.clinical.contract import (
    CATEGORICAL_VALUES,
    PAIN_SEVERITY,
    RED_FLAG_CATALOGUE,
    RED_FLAG_ENTITY,
    SEVERITY_MAX,
    SEVERITY_MIN,
)
from tests.live_servers import REPO_ROOT
from tests.nlu.held_out_scoring import HELD_OUT_PATH

ANNOTATED_SOURCES = {
    "training data": REPO_ROOT / "data" / "nlu",
    "held-out set": HELD_OUT_PATH,
}


def _annotations(path: str) -> List[Tuple[str, Dict[str, Any]]]:
    return [
        (message.get("text"), entity)
        for message in load_data(path).intent_examples
        for entity in message.get("entities") or []
    ]


def _is_contract_value(entity: str, value: str) -> bool:
    if entity == PAIN_SEVERITY:
        return value.isdigit() and SEVERITY_MIN <= int(value) <= SEVERITY_MAX
    if entity == RED_FLAG_ENTITY:
        return value in RED_FLAG_CATALOGUE
    return value in CATEGORICAL_VALUES.get(entity, ())


@pytest.mark.parametrize("source", sorted(ANNOTATED_SOURCES))
def test_every_annotation_uses_a_contract_entity_and_value(source: str) -> None:
    annotations = _annotations(str(ANNOTATED_SOURCES[source]))
    off_contract = [
        (text, entity["entity"], entity["value"])
        for text, entity in annotations
        if not _is_contract_value(entity["entity"], str(entity["value"]))
    ]
    assert annotations, f"the {source} has no entity annotations"
    assert off_contract == []


@pytest.mark.parametrize("source", sorted(ANNOTATED_SOURCES))
def test_annotated_spans_are_whole_words(source: str) -> None:
    # A span cut inside a word cannot be matched by any token-based extractor.
    cut = [
        (text, text[entity["start"] : entity["end"]])
        for text, entity in _annotations(str(ANNOTATED_SOURCES[source]))
        if (entity["start"] > 0 and text[entity["start"] - 1].isalnum())
        or (entity["end"] < len(text) and text[entity["end"]].isalnum())
    ]
    assert cut == []
