"""Score a trained model's parses of the held-out NLU set.

The held-out set (``tests/nlu/held_out.yml``) is Rasa NLU YAML that is never
trained on. Intents are scored with macro-F1 over the intents the set contains, so
every intent weighs the same however many examples it has; a prediction of
``nlu_fallback`` (or any intent outside the set) is simply wrong. Entities are
scored as (entity, value) pairs per message, because the rule-based extractors may
mark a slightly different span than the annotation while still reading the fact
correctly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Sequence, Tuple

from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import classification_report, f1_score

HELD_OUT_PATH = Path(__file__).with_name("held_out.yml")

EntityPair = Tuple[str, str]


@dataclass(frozen=True)
class HeldOutExample:
    """One held-out message with its expected intent and (entity, value) pairs."""

    text: str
    intent: str
    entities: FrozenSet[EntityPair]


@dataclass(frozen=True)
class EntityScore:
    """Micro-averaged counts and scores of one entity type (or of all types)."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Share of predicted pairs that were annotated; 0.0 when nothing was predicted."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of annotated pairs that were predicted; 0.0 when nothing was annotated."""
        annotated = self.true_positives + self.false_negatives
        return self.true_positives / annotated if annotated else 0.0


@dataclass(frozen=True)
class HeldOutResult:
    """Intent and entity scores of one model on the held-out set."""

    model: str
    intent_macro_f1: float
    intent_report: str
    misclassified: List[Tuple[str, str, str, float]]
    entity_scores: Dict[str, EntityScore] = field(default_factory=dict)

    def render(self) -> str:
        """Return the human-readable report printed at the end of the test run."""
        lines = [
            f"Held-out NLU evaluation of {self.model}",
            f"intent macro-F1: {self.intent_macro_f1:.3f}",
            self.intent_report.rstrip(),
        ]
        if self.misclassified:
            lines.append("misclassified (expected -> predicted, confidence):")
            lines.extend(
                f"  {expected} -> {predicted} ({confidence:.2f}): {text}"
                for text, expected, predicted, confidence in self.misclassified
            )
        if not self.entity_scores:
            lines.append("entities: the model predicted none of the annotated entity types")
        else:
            lines.append("entities (entity, value) pairs: precision / recall (tp, fp, fn)")
            lines.extend(
                f"  {name:<24} {score.precision:.3f} / {score.recall:.3f} "
                f"({score.true_positives}, {score.false_positives}, {score.false_negatives})"
                for name, score in self.entity_scores.items()
            )
        return "\n".join(lines)


def load_held_out(path: Path = HELD_OUT_PATH) -> List[HeldOutExample]:
    """Read the held-out examples from a Rasa NLU YAML file.

    Args:
        path: The YAML file to read.

    Returns:
        One example per annotated message, in file order.
    """
    training_data = load_data(str(path))
    return [
        HeldOutExample(
            text=message.get("text"),
            intent=message.get("intent"),
            entities=entity_pairs(message.get(ENTITIES) or []),
        )
        for message in training_data.intent_examples
    ]


def entity_pairs(entities: Sequence[Mapping[str, Any]]) -> FrozenSet[EntityPair]:
    """Reduce Rasa entity dicts to the set of their (entity, value) pairs.

    Values are compared as strings so that an extractor returning the severity
    ``7`` matches the annotation ``"7"``.
    """
    return frozenset((str(entity[ENTITY_ATTRIBUTE_TYPE]), str(entity[ENTITY_ATTRIBUTE_VALUE])) for entity in entities)


def score_intents(
    examples: Sequence[HeldOutExample], parses: Sequence[Mapping[str, Any]]
) -> Tuple[float, str, List[Tuple[str, str, str, float]]]:
    """Compute intent macro-F1 over the intents the held-out set contains.

    Args:
        examples: The held-out examples.
        parses: The model's parse result for each example, in the same order.

    Returns:
        The macro-F1, sklearn's per-intent report and the misclassified messages
        as (text, expected, predicted, confidence).
    """
    expected = [example.intent for example in examples]
    predicted = [parse["intent"]["name"] for parse in parses]
    # Scoring only the expected labels turns `nlu_fallback` into a plain miss.
    labels = sorted(set(expected))
    macro_f1 = float(f1_score(expected, predicted, labels=labels, average="macro", zero_division=0))
    report = classification_report(expected, predicted, labels=labels, digits=3, zero_division=0)
    misclassified = [
        (example.text, example.intent, parse["intent"]["name"], parse["intent"]["confidence"])
        for example, parse in zip(examples, parses, strict=True)
        if example.intent != parse["intent"]["name"]
    ]
    return macro_f1, report, misclassified


def score_entities(examples: Sequence[HeldOutExample], parses: Sequence[Mapping[str, Any]]) -> Dict[str, EntityScore]:
    """Count entity hits and misses per entity type annotated in the held-out set.

    Predicted entities of types the set never annotates (e.g. a date extractor's)
    are ignored. Returns an empty dict when the model predicts none of the
    annotated types, so a model without entity extraction is not reported as 0.0.
    """
    annotated_types = {name for example in examples for name, _ in example.entities}
    counts: Dict[str, Counter] = {name: Counter() for name in sorted(annotated_types)}
    predicted_any = False
    for example, parse in zip(examples, parses, strict=True):
        predicted = {pair for pair in entity_pairs(parse.get(ENTITIES) or []) if pair[0] in annotated_types}
        predicted_any = predicted_any or bool(predicted)
        for name, _ in predicted & example.entities:
            counts[name]["tp"] += 1
        for name, _ in predicted - example.entities:
            counts[name]["fp"] += 1
        for name, _ in example.entities - predicted:
            counts[name]["fn"] += 1
    if not predicted_any:
        return {}
    scores = {name: EntityScore(count["tp"], count["fp"], count["fn"]) for name, count in counts.items()}
    scores["all"] = EntityScore(
        sum(score.true_positives for score in scores.values()),
        sum(score.false_positives for score in scores.values()),
        sum(score.false_negatives for score in scores.values()),
    )
    return scores
