"""Red-flag detection in free patient text.

    >>> from rasa_project.understanding.red_flags.detector import get_detector
    >>> [m.flag_id for m in get_detector().detect("I think I might have wet myself")]
    ['bladder_bowel_dysfunction']

Affirmed and uncertain mentions are reported; clearly negated ones are not (spec,
section 2). The rules live in ``patterns.yml`` and the pipeline in
``pipeline.cfg``; see ``rasa_project.understanding.red_flags.pipeline`` for how they are applied.

Rules miss wording they have not met, so the detector also reports concerns: an
emergency flag whose body area or function a message mentions (not negated, not
given an all-clear) while the flag itself did not fire. The assistant then asks about
that symptom in plain words.

    >>> get_detector().concerns("my bladder has been acting strange")
    ['bladder_bowel_dysfunction']
    >>> get_detector().concerns("my bladder is fine")
    []
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel, red_flag_level
from rasa_project.understanding.red_flags.pipeline import (
    AFFIRMED,
    CONCERNS_KEY,
    DEFAULT_CONFIG_PATH,
    RED_FLAGS_KEY,
    build_pipeline,
)

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


@dataclass(frozen=True)
class RedFlagConcern:
    """A mention of the body area or function of an emergency flag that did not fire.

    flag_id: id of an emergency flag in ``contract.RED_FLAG_CATALOGUE``.
    start, end: character offsets of the mention in the input text.
    text: the mention ("my bladder", "my legs feel funny").
    """

    flag_id: str
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
    def from_config(cls, config_path: str | Path = DEFAULT_CONFIG_PATH) -> RedFlagDetector:
        """Build a detector from a pipeline config file (``pipeline.cfg`` by default)."""
        return cls(build_pipeline(config_path))

    def detect(self, text: str) -> List[RedFlagMention]:
        """Return the red flags mentioned in ``text``, sorted by start offset.

        text: any string; non-strings, empty and whitespace-only input give ``[]``.
        RETURNS: affirmed and uncertain mentions. Negated mentions are excluded.
        """
        return self.analyse(text)[0]

    def concerns(self, text: str) -> List[str]:
        """Return the emergency flags whose body area or function ``text`` mentions without the flag itself.

        text: any string; non-strings, empty and whitespace-only input give ``[]``.
        RETURNS: sorted, unique flag ids (see ``analyse``).
        """
        return sorted({concern.flag_id for concern in self.analyse(text)[1]})

    def analyse(self, text: str) -> Tuple[List[RedFlagMention], List[RedFlagConcern]]:
        """Return the red-flag mentions and the concerns of ``text``, from one parse.

        text: any string; non-strings, empty and whitespace-only input give nothing.
        RETURNS: (mentions, concerns), each sorted by start offset. ``mentions`` is
            what ``detect`` returns. ``concerns`` are the mentions of the body area or
            function of an emergency flag ("my bladder", "down there", "my legs feel
            funny"), affirmed or uncertain but neither negated nor given an all-clear
            ("my bladder is fine"), of flags that no mention in the text reports.
        """
        if not isinstance(text, str) or not text.strip():
            return [], []
        mentions: List[RedFlagMention] = []
        area_mentions: List[RedFlagConcern] = []
        seen: Set[Tuple[str, int, int]] = set()
        for offset, window in text_windows(blank_markup(text)):
            doc = self.nlp(window)
            area_mentions.extend(self._area_mentions(doc, text, offset))
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
        flagged = {mention.flag_id for mention in mentions}
        concerns = {c for c in area_mentions if c.flag_id not in flagged}
        return (
            sorted(mentions, key=lambda m: (m.start, m.end, m.flag_id)),
            sorted(concerns, key=lambda c: (c.start, c.end, c.flag_id)),
        )

    @staticmethod
    def _area_mentions(doc: Doc, text: str, offset: int) -> Iterator[RedFlagConcern]:
        for span in doc.spans.get(CONCERNS_KEY, ()):
            flag_id = span.label_
            # Concerns exist to catch missed emergencies; a rule file that names a
            # lesser flag under `concerns` must not make the assistant ask about it.
            if flag_id not in RED_FLAG_CATALOGUE or red_flag_level(flag_id) is not TriageLevel.EMERGENCY:
                continue
            start, end = offset + span.start_char, offset + span.end_char
            yield RedFlagConcern(flag_id=flag_id, start=start, end=end, text=text[start:end])

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
