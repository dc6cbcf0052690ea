"""The frozen blind sets of the red-flag detector (``blind/*.yml``), read for measuring.

See ``blind/README.md``: a set is measured as it is; its first figures are its blind
figures. Once they are recorded, its messages may be learned from: ``python -m
tests.understanding.red_flags.blind_sets BATCH.yml`` copies them into the learned
signal's corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple

import yaml
from rapidfuzz import fuzz, process

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE

BLIND_DIR = Path(__file__).parent / "blind"
#: Two texts this similar (rapidfuzz ratio, 0-100, lower-cased) count as one message.
NEAR_DUPLICATE = 90


@dataclass(frozen=True)
class BlindItem:
    """One message of a blind set: its batch, the level a clinician gave it and the flags."""

    batch: str
    kind: str
    expect: Tuple[str, ...]
    text: str


def batches() -> List[str]:
    """File names of the blind batches, oldest first."""
    return sorted(path.name for path in BLIND_DIR.glob("*.yml"))


def blind_items(batch: str | None = None) -> List[BlindItem]:
    """The items of one batch, or of every batch."""
    names = [batch] if batch else batches()
    return [
        BlindItem(name, str(item["kind"]), tuple(item.get("expect") or ()), str(item["text"]))
        for name in names
        for item in yaml.safe_load((BLIND_DIR / name).read_text())
    ]


def near_training_text(text: str, trained: Sequence[str]) -> bool:
    """Whether ``text`` is a near duplicate of one of the (lower-cased) ``trained`` texts."""
    return process.extractOne(text.lower(), trained, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE) is not None


#: The corpus file holding the blind batches whose first figures have been recorded.
LEARNED_BATCHES = Path(__file__).parents[3] / "data" / "red_flag_corpus" / "measured_blind_batches.jsonl"


def corpus_lines(batch: str) -> List[str]:
    """The items of a measured batch as corpus lines: each message with its most serious flag, or ``none``."""
    lines = []
    for item in blind_items(batch):
        flags = [flag for flag in item.expect if flag in RED_FLAG_CATALOGUE]
        label = (
            max(flags, key=lambda flag: RED_FLAG_CATALOGUE[flag].level.rank)
            if item.kind != "none" and flags
            else "none"
        )
        lines.append(json.dumps({"text": item.text, "label": label, "source": f"blind batch {batch}"}))
    return lines


def learned_batches() -> List[str]:
    """The blind batches already copied into the learned signal's corpus."""
    if not LEARNED_BATCHES.exists():
        return []
    sources = {json.loads(line)["source"] for line in LEARNED_BATCHES.read_text(encoding="utf8").splitlines() if line}
    return sorted(source.removeprefix("blind batch ") for source in sources)


def learn(batch: str) -> int:
    """Copy a batch into the corpus, after its first figures are recorded; returns the lines added.

    Only a batch that has been measured may be learned from: until then its figures are
    the detector's blind figures, and a classifier that saw it would make them tuning
    figures. Afterwards the thresholds must be chosen again
    (``python -m benchmarks.red_flag_calibration --write``).
    """
    if batch in learned_batches():
        return 0
    lines = corpus_lines(batch)
    with open(LEARNED_BATCHES, "a", encoding="utf8") as handle:
        handle.writelines(line + "\n" for line in lines)
    return len(lines)


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        print(f"{name}: {learn(name)} messages added to {LEARNED_BATCHES.name}")
