"""Correcting misspelt words towards the small vocabulary of one question.

A word is corrected only when it is not an English word itself, so "talking" never
becomes "walking" and "tired" never becomes "tried", while "hgih", "flta", "sittng"
and "monts" are read as meant. The English word list is the lemma table of
spacy-lookups-data (already a dependency; about 67,000 word forms, loaded once in
about 40 ms). Distances come from rapidfuzz's optimal string alignment, which counts
a swap of neighbouring letters as one edit: words of 4 to 7 letters may be one edit
away, longer words two, and the first letter must match.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Callable, FrozenSet, Iterable, List, Sequence

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from rasa_project.understanding.answers.words import Word, is_word


@lru_cache(maxsize=1)
def english_words() -> FrozenSet[str]:
    """Every English word form of the spacy-lookups-data lemma table (inflections and lemmas)."""
    path = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        table = json.load(text)
    return frozenset(table) | frozenset(table.values())


class Vocabulary:
    """The words one question's answers are made of, and the typo corrector towards them."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words: FrozenSet[str] = frozenset(words)
        self._targets = sorted(word for word in self.words if word.isalpha() and len(word) >= 4)
        self.correct: Callable[[str], str] = lru_cache(maxsize=4096)(self._correct)

    def __or__(self, other: Vocabulary) -> Vocabulary:
        return Vocabulary(self.words | other.words)

    def _correct(self, word: str) -> str:
        if word in self.words or not word.isalpha():
            return word
        squeezed = re.sub(r"(.)\1+", r"\1", word)  # emphasis: "yesss", "nooo", "flaaat"
        if squeezed in self.words:
            return squeezed
        limit = 2 if len(word) >= 8 else 1 if len(word) >= 4 else 0
        if limit == 0 or word in english_words():
            return word
        # A misspelling keeps its first letter: "bearable" is no "unbearable".
        targets = [target for target in self._targets if target[0] == word[0]]
        best = extractOne(word, targets, scorer=OSA.distance, score_cutoff=limit)
        return best[0] if best is not None else word


def corrected(words: Sequence[Word], vocabulary: Vocabulary) -> List[Word]:
    """``words`` with each misspelt word replaced by its vocabulary word (offsets kept)."""
    return [Word(vocabulary.correct(w.text), w.start, w.end) if is_word(w) else w for w in words]
