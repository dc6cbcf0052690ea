"""The trained model's intent classification on the held-out NLU set, and the set's integrity."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from tests.live_servers import REPO_ROOT
from tests.nlu.held_out_scoring import HeldOutResult, load_held_out

TRAINING_DATA = REPO_ROOT / "data" / "nlu"
MIN_INTENT_MACRO_F1 = 0.90
MIN_EXAMPLES_PER_INTENT = 10


def _normalised(text: str) -> str:
    # Case, punctuation and spacing do not make a message new.
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _training_texts(path: Path) -> set:
    return {_normalised(message.get("text")) for message in load_data(str(path)).intent_examples}


def test_held_out_intent_macro_f1(held_out_result: HeldOutResult, report_figure) -> None:
    report_figure(f"NLU held-out intent macro-F1: {held_out_result.intent_macro_f1:.3f}")
    assert held_out_result.intent_macro_f1 >= MIN_INTENT_MACRO_F1, held_out_result.render()


def test_held_out_set_is_never_trained_on() -> None:
    training_texts = _training_texts(TRAINING_DATA)
    leaked = [example.text for example in load_held_out() if _normalised(example.text) in training_texts]
    assert leaked == []


def test_held_out_set_covers_every_trained_intent() -> None:
    trained_intents = load_data(str(TRAINING_DATA)).intents
    held_out_counts = Counter(example.intent for example in load_held_out())
    too_few = {
        intent: held_out_counts[intent]
        for intent in sorted(trained_intents)
        if held_out_counts[intent] < MIN_EXAMPLES_PER_INTENT
    }
    assert too_few == {}
