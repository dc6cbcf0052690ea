"""The words of typed text, each with its character offsets in the text as typed.

Readers match phrases on words rather than on characters: every match knows where it
came from (facts report offsets), and typos are corrected one word at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import FrozenSet, List


def word_set(text: str) -> FrozenSet[str]:
    """The set of the words of ``text``, separated by spaces: a compact way to write a word list."""
    return frozenset(text.split())


#: Longest text that is read; the rest is ignored, which bounds the work on any input.
MAX_CHARS = 20_000

_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+(?:'[a-z]+)*|\S")
_SAME_LENGTH_FORMS = str.maketrans(dict.fromkeys("\u2018\u2019\u02bc`\u00b4", "'") | dict.fromkeys("‐‑‒–—―", "-"))
#: Contractions typed without their apostrophe ("dont", "im"), and "cannot".
_SPELLINGS = {word.replace("'", ""): word for word in word_set("i'm i've that's what's they're you're")}
_SPELLINGS |= {
    f"{verb}nt": f"{verb}n't" for verb in word_set("do does did ca is are was were have has had would could should")
}
_SPELLINGS |= {"cannot": "can't"}
#: "~8 months" is typed for "about 8 months".
_SPELLINGS |= {"~": "about"}
#: Scots and Irish "o" is "of": "a couple o month", "the bottom o ma spine".
_SPELLINGS |= {"o": "of"}
#: Caribbean English "mi" is "my" or "I", "di" is "the": "mi arch high", "di flat feet".
_SPELLINGS |= {"mi": "my", "di": "the"}
#: Text-speak: "nvr tried em" is "never tried them".
_SPELLINGS |= {"nvr": "never", "em": "them"}
#: Text-speak spellings that are no English words, which the typo corrector would
#: otherwise turn into a question's word: "every nite" is no "every nine".
_SPELLINGS |= {"nite": "night", "nites": "nights", "tonite": "tonight", "thru": "through", "tho": "though"}
_SPELLINGS |= {"coz": "because", "cuz": "because", "wiv": "with"}
#: A cross or a tick typed for an answer: "❌" is no, "✅" is yes.
_SPELLINGS |= dict.fromkeys("\u274c\u2716\u2717\u2718\u274e", "no") | dict.fromkeys("\u2705\u2714\u2713", "yes")
#: Words after which "'s" means "is" or "has" and is kept; elsewhere it is a possessive
#: or a contraction that adds nothing ("my back's been bad").
_KEEP_S = word_set("it that what there he she who here where how let")


@dataclass(frozen=True)
class Word:
    """One word or punctuation mark: its normalised text and its offsets in the text as typed."""

    text: str
    start: int
    end: int


def tokenize(text: str, offset: int = 0) -> List[Word]:
    """Split ``text`` into lower-cased words, numbers and single punctuation marks.

    Offsets index into ``text`` (plus ``offset``) even where lower-casing would change
    a character's length ("İ"). Non-strings give no words.
    """
    if not isinstance(text, str):
        return []
    text = text[:MAX_CHARS].translate(_SAME_LENGTH_FORMS)
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    words = []
    for match in _TOKEN.finditer(lowered):
        token = match.group(0)
        base, _, suffix = token.partition("'")
        token = base if suffix == "s" and base not in _KEEP_S else token
        words.append(Word(_SPELLINGS.get(token, token), match.start() + offset, match.end() + offset))
    return words


def is_word(word: Word) -> bool:
    """Whether ``word`` is made of (ASCII) letters, not a number or a mark."""
    return word.text[:1].isascii() and word.text[:1].isalpha()
