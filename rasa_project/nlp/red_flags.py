"""Red-flag detection in free patient text.

    >>> from rasa_project.nlp.red_flags import get_detector
    >>> [m.flag_id for m in get_detector().detect("I think I might have wet myself")]
    ['bladder_bowel_dysfunction']

Affirmed and uncertain mentions are reported; clearly negated ones are not (spec,
section 2). The rules live in ``red_flag_patterns.yml`` and the pipeline in
``red_flags.cfg``; see ``rasa_project.nlp.pipeline`` for how they are applied.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, red_flag_level
from rasa_project.nlp.pipeline import AFFIRMED, DEFAULT_CONFIG_PATH, RED_FLAGS_KEY, build_pipeline

#: Texts longer than this are scanned in overlapping windows, which keeps memory flat
#: and stays far below spaCy's ``max_length``.
WINDOW_CHARS = 20_000
#: Overlap between windows: longer than any phrase a rule can match.
WINDOW_OVERLAP_CHARS = 400
#: Markup tags, blanked out before detection (same length, so offsets are kept):
#: messages from a web widget may carry HTML, and "myself</p>" must read as "myself".
MARKUP_TAG = re.compile(r"<[^<>]{0,200}>")


def blank_markup(text: str) -> str:
    """Replace markup tags with spaces of the same length."""
    return MARKUP_TAG.sub(lambda match: " " * len(match.group(0)), text)


@dataclass(frozen=True)
class RedFlagMention:
    """One red flag found in a text.

    flag_id: id from ``contract.RED_FLAG_CATALOGUE``.
    level: ``TriageLevel`` value of that flag.
    certainty: ``"affirmed"`` or ``"uncertain"``.
    start, end: character offsets of the matched span in the input text.
    text: the matched span.
    """

    flag_id: str
    level: str
    certainty: str
    start: int
    end: int
    text: str


def text_windows(text: str, size: int = WINDOW_CHARS, overlap: int = WINDOW_OVERLAP_CHARS) -> Iterator[Tuple[int, str]]:
    """Split ``text`` into overlapping windows, each as (offset, window text).

    Windows end at a whitespace when there is one near the cut, so words are not split.
    """
    if len(text) <= size:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + size - overlap, end)
            end = cut if cut > start else end
        yield start, text[start:end]
        if end >= len(text):
            return
        start = max(end - overlap, start + 1)


class RedFlagDetector:
    """Find red-flag mentions with the rule-based spaCy pipeline."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    @classmethod
    def from_config(cls, config_path: str | Path = DEFAULT_CONFIG_PATH) -> "RedFlagDetector":
        """Build a detector from a pipeline config file (``red_flags.cfg`` by default)."""
        return cls(build_pipeline(config_path))

    def detect(self, text: str) -> List[RedFlagMention]:
        """Return the red flags mentioned in ``text``, sorted by start offset.

        text: any string; non-strings, empty and whitespace-only input give ``[]``.
        RETURNS: affirmed and uncertain mentions. Negated mentions are excluded.
        """
        if not isinstance(text, str) or not text.strip():
            return []
        mentions: List[RedFlagMention] = []
        seen: Set[Tuple[str, int, int]] = set()
        for offset, window in text_windows(blank_markup(text)):
            doc = self.nlp(window)
            for span in doc.spans[RED_FLAGS_KEY]:
                flag_id = span.label_
                if flag_id not in RED_FLAG_CATALOGUE:
                    continue
                start, end = offset + span.start_char, offset + span.end_char
                if (flag_id, start, end) in seen:
                    continue
                seen.add((flag_id, start, end))
                mentions.append(
                    RedFlagMention(
                        flag_id=flag_id,
                        level=red_flag_level(flag_id).value,
                        certainty=self._certainty(doc, span),
                        start=start,
                        end=end,
                        text=text[start:end],
                    )
                )
        return sorted(mentions, key=lambda m: (m.start, m.end, m.flag_id))

    @staticmethod
    def _certainty(doc: Doc, span: Span) -> str:
        for candidate in doc._.red_flag_candidates or []:
            if candidate.span == span and candidate.flag_id == span.label_ and not candidate.negated:
                return candidate.certainty
        return AFFIRMED


_detector: Optional[RedFlagDetector] = None
_detector_lock = threading.Lock()


def get_detector() -> RedFlagDetector:
    """Return the process-wide detector, building it on first use.

    Building is guarded by a lock so that concurrent first calls build it once. The
    pipeline is rule-based and keeps no per-call state, so one instance serves all
    threads.
    """
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = RedFlagDetector.from_config()
    return _detector
