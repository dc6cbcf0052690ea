"""Finding a question's options in an answer: "flat", "fallen arches", "a bit of both".

Each option is a value and the phrases that say it, separated by ``;``. A phrase is
words separated by spaces; a word may list alternatives (``arch|arches``), end in
``*`` to match any word starting with it (``diagnos*``), or end in ``?`` to be
optional (``heel and the? ball``). Phrases match whole words of an answer after typo
correction; where several could match, the longest wins, so "no difference" is read
before "no". Phrases under ``None`` are consumed and read as nothing ("high heels"
is no arch type).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from rasa_project.understanding.answers.clauses import is_negated
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import Word

_Token = Tuple[Tuple[str, ...], Tuple[str, ...]]  # (exact words, prefixes)
_Phrase = Tuple[_Token, ...]


@dataclass(frozen=True)
class Mention:
    """An option said in an answer: its value, its words ``first`` to ``last`` (inclusive), and whether it is negated."""

    value: Optional[str]
    first: int
    last: int
    negated: bool


def _compile(phrase: str) -> List[_Phrase]:
    """Every word sequence ``phrase`` stands for (each optional word present or not)."""
    choices = []
    for raw in phrase.split():
        alternatives = raw.rstrip("?").split("|")
        token = (tuple(a for a in alternatives if a[-1] != "*"), tuple(a[:-1] for a in alternatives if a[-1] == "*"))
        choices.append([(token,), ()] if raw.endswith("?") and len(raw) > 1 else [(token,)])
    return [tuple(t for part in combination for t in part) for combination in product(*choices)]


def _matches(token: _Token, word: str) -> bool:
    return word in token[0] or any(word.startswith(prefix) for prefix in token[1])


class Options:
    """The options of one question and the phrases that say each."""

    def __init__(self, phrases: Mapping[Optional[str], str], *, extra_words: Iterable[str] = ()) -> None:
        self._by_first: Dict[str, List[Tuple[Optional[str], _Phrase]]] = {}
        self._by_prefix: List[Tuple[Optional[str], _Phrase]] = []
        words = set(extra_words)
        for value, text in phrases.items():
            for phrase in filter(None, (p.strip() for p in text.split(";"))):
                words.update(alt.rstrip("*") for raw in phrase.split() for alt in raw.rstrip("?").split("|"))
                for sequence in _compile(phrase):
                    for word in sequence[0][0]:
                        self._by_first.setdefault(word, []).append((value, sequence))
                    if sequence[0][1]:
                        self._by_prefix.append((value, sequence))
        self.vocabulary = Vocabulary(words)

    def mentions(self, words: Sequence[Word], *, correct: bool = True) -> List[Mention]:
        """The options said in ``words``, left to right, without overlaps.

        Typos are corrected towards this question's vocabulary first, unless ``correct``
        is false (the words were corrected already).
        """
        texts = [w.text for w in (corrected(words, self.vocabulary) if correct else words)]
        found: List[Mention] = []
        i = 0
        while i < len(texts):
            candidates = self._by_first.get(texts[i], []) + [c for c in self._by_prefix if _matches(c[1][0], texts[i])]
            best: Optional[Tuple[int, Optional[str]]] = None
            for value, sequence in candidates:
                end = i + len(sequence)
                fits = end <= len(texts) and all(_matches(t, w) for t, w in zip(sequence, texts[i:end], strict=True))
                if fits and (best is None or end > best[0]):
                    best = (end, value)
            if best is None:
                i += 1
                continue
            found.append(Mention(best[1], i, best[0] - 1, is_negated(texts, i)))
            i = best[0]
        return [m for m in found if m.value is not None]

    def affirmed(self, words: Sequence[Word], *, correct: bool = True) -> List[str]:
        """The values said and not negated, in order, each once."""
        return list(dict.fromkeys(str(m.value) for m in self.mentions(words, correct=correct) if not m.negated))


def single(values: Sequence[str]) -> Optional[str]:
    """The one value in ``values``, or ``None`` when there are none or several."""
    return values[0] if len(set(values)) == 1 else None
