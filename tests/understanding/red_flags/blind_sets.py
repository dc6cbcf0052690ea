"""The frozen blind sets of the red-flag detector (``blind/*.yml``), read for measuring.

See ``blind/README.md``: the sets are measured as they are and never tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple

import yaml
from rapidfuzz import fuzz, process

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
