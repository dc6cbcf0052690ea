"""What a slot reader is and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Callable, List, Sequence, Union

from rasa_project.understanding.answers.words import Word


class NotSure(Enum):
    """The person said they do not know, or are not sure. Its one member is ``NOT_SURE``."""

    NOT_SURE = "not sure"

    def __repr__(self) -> str:
        return "NOT_SURE"


NOT_SURE = NotSure.NOT_SURE

#: A reader's result: the contract value, ``NOT_SURE``, or ``None`` for "no answer to this question".
Reading = Union[str, int, NotSure, None]


@dataclass(frozen=True)
class Answer:
    """A reply to one question, ready to read.

    ``words`` are the statement's words, without clauses that ask something back;
    ``asked_back`` says whether the reply also asked a question.
    """

    words: Sequence[Word]
    asked_back: bool
    today: date


@dataclass(frozen=True)
class Finding:
    """A fact stated in a sentence: its value and the words ``first`` to ``last`` (inclusive) that say it.

    ``speaker_implied`` marks statements that can only be the person's own even
    without "I" or "my" ("it started 3 weeks ago", "never worn insoles").
    """

    value: Union[str, int]
    first: int
    last: int
    speaker_implied: bool = False


@dataclass(frozen=True)
class SlotReader:
    """Reads one assessment slot: an answer to its question, and facts about it in any message."""

    slot: str
    #: Reads a reply to this slot's question.
    read: Callable[[Answer], Reading]
    #: Finds statements about this slot in one sentence (negated ones are the reader's to judge).
    find: Callable[[Sequence[Word], date], List[Finding]]
