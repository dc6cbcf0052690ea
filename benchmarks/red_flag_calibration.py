"""Choose the learned red-flag signal's thresholds on realistic negatives, by cross-validation.

    .venv/bin/python -m benchmarks.red_flag_calibration            # report
    .venv/bin/python -m benchmarks.red_flag_calibration --write    # and update classifier.yml

The classifier (``rasa_project/understanding/red_flags/classifier.py``) is fitted five
times on four fifths of its training examples and scores the fifth it did not see.
On those out-of-fold scores of the ``none`` examples (ordinary messages, hard
negatives from the corpus) each triage level gets two thresholds:

- ``escalate``: the score only this small share of negatives reaches
  (``--escalate-rate``). Emergency flags escalate on it only where the rules saw the
  flag's body area too (see ``detector.py``), which keeps false alarms rarer still.
- ``ask``: the score this larger share of negatives reaches (``--ask-rate``): the
  assistant asks one direct question, which is no alarm.
- ``escalate_on_area`` (emergency only): the score an even smaller share reaches
  (``--area-rate``), for messages where the rules saw the flag's body area but no
  change in it.

It also prints each level's recall at those thresholds, out of fold, and writes the
training examples' fingerprint with the thresholds, so that a test can tell when the
corpus changed and the thresholds were not chosen again.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Dict, List

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel
from rasa_project.understanding.red_flags.classifier import (
    NONE,
    SETTINGS_PATH,
    RedFlagClassifier,
    fingerprint,
    training_examples,
)

#: Routine flags come from the rules and the assessment answers; the classifier does not act on them.
LEVELS = (TriageLevel.EMERGENCY.value, TriageLevel.URGENT.value)


def out_of_fold_scores(folds: int = 5) -> List[Dict[str, float]]:
    """Each training example's flag probabilities from a classifier that did not see it."""
    examples = training_examples()
    texts = [text for text, _ in examples]
    labels = np.array([label for _, label in examples])
    scores: List[Dict[str, float]] = [{} for _ in examples]
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels):
        classifier = RedFlagClassifier([examples[i] for i in train])
        for index, probabilities in zip(test, classifier.probabilities([texts[i] for i in test]), strict=True):
            scores[index] = probabilities
    return scores


def level_score(probabilities: Dict[str, float], level: str) -> float:
    """The highest probability among the flags of one triage level."""
    return max((p for flag, p in probabilities.items() if RED_FLAG_CATALOGUE[flag].level.value == level), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--escalate-rate", type=float, default=0.01, help="share of negatives above `escalate`")
    parser.add_argument("--ask-rate", type=float, default=0.05, help="share of negatives above `ask`")
    parser.add_argument(
        "--area-rate", type=float, default=0.003, help="share of negatives above `escalate_on_area` (emergency)"
    )
    parser.add_argument("--write", action="store_true", help=f"write the thresholds to {SETTINGS_PATH.name}")
    args = parser.parse_args()

    examples = training_examples()
    labels = [label for _, label in examples]
    scores = out_of_fold_scores()
    thresholds: Dict[str, Dict[str, float]] = {}
    for level in LEVELS:
        negatives = [level_score(s, level) for s, label in zip(scores, labels, strict=True) if label == NONE]
        positives = [
            s.get(label, 0.0)
            for s, label in zip(scores, labels, strict=True)
            if label != NONE and RED_FLAG_CATALOGUE[label].level.value == level
        ]
        escalate = round(float(np.quantile(negatives, 1 - args.escalate_rate)), 3)
        ask = round(float(np.quantile(negatives, 1 - args.ask_rate)), 3)
        thresholds[level] = {"escalate": escalate, "ask": ask}
        if level == TriageLevel.EMERGENCY.value:
            on_area = round(float(np.quantile(negatives, 1 - args.area_rate)), 3)
            thresholds[level]["escalate_on_area"] = on_area
            print(
                f"{level:9}  escalate_on_area {on_area:.3f} (recall {np.mean([p >= on_area for p in positives]):.1%})"
            )
        recall_escalate = np.mean([p >= escalate for p in positives]) if positives else float("nan")
        recall_ask = np.mean([p >= ask for p in positives]) if positives else float("nan")
        print(
            f"{level:9}  escalate {escalate:.3f} (recall {recall_escalate:.1%} of {len(positives)})  "
            f"ask {ask:.3f} (recall {recall_ask:.1%})  negatives {len(negatives)}"
        )
    print(f"training examples: {len(examples)}, fingerprint {fingerprint(examples)}")
    if args.write:
        header = SETTINGS_PATH.read_text(encoding="utf8").split("\nthresholds:")[0]
        body = yaml.safe_dump({"corpus_fingerprint": fingerprint(examples), "thresholds": thresholds}, sort_keys=False)
        Path(SETTINGS_PATH).write_text(
            header.rstrip("\n").split("\ncorpus_fingerprint:")[0] + "\n" + body, encoding="utf8"
        )
        print(f"wrote {SETTINGS_PATH}")


if __name__ == "__main__":
    main()
