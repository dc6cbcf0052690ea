"""A check that found nothing: "had a gait analysis, it was normal", "the physio measured them, all fine".

A clinician's or a shop's check reported as normal answers the question of what it
checked with "no problem": no diagnosed gait problem, no leg length difference.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence, Tuple

from rasa_project.understanding.answers.clauses import is_negated
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.words import Word, word_set

#: What a check found when it found nothing: "the gait analysis was normal", "a scan, all fine".
VERDICTS = Options(
    {
        "normal": "normal|fine|ok|okay|perfect|clear|unremarkable; all good|fine|normal|clear|ok|okay;"
        " nothing wrong|abnormal|unusual|odd|found|showed; nothing came|showed up; nothing to worry about;"
        " no problems|problem|issues|issue; came|come back|out normal|fine|clear|ok|okay|even|equal"
    }
)
#: Verbs of a check by someone else: "the physio watched me walk", "the shop measured them".
CHECKS = word_set("checked check looked watched filmed assessed analysed analyzed scanned tested examined measured")


def checked_and_normal(words: Sequence[Word], checks: Iterable[int] = ()) -> Optional[Tuple[int, int]]:
    """Where a check is said to have found nothing, as ``(first, last)`` word indices, if it is.

    A check is a verb of :data:`CHECKS` or a word at one of ``checks`` (a reader's own
    sources, "gait analysis", "podiatrist"); its verdict must follow it, unnegated:
    "measured my legs, all normal", not "the scan wasn't normal".
    """
    texts = [w.text for w in words]
    starts = [*checks, *(i for i, text in enumerate(texts) if text in CHECKS)]
    for verdict in VERDICTS.mentions(words, correct=False):
        before = [i for i in starts if i < verdict.first]
        if before and not verdict.negated and not is_negated(texts, verdict.first, window=3):
            return min(before), verdict.last
    return None
