"""The parts of a reply: clauses, questions asked back, negations and corrections.

"Never tried insoles, would they help?" answers the question (never tried) and asks
one back (would they help); only the first part is an answer. "Flat, sorry I meant
high" corrects itself; only what follows the correction counts.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from rasa_project.understanding.answers.words import Word

#: Words and marks that end a clause.
CLAUSE_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "but", "though", "although", "however", "whereas"})
NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "neither", "hardly"})
_WH_WORDS = frozenset({"what", "what's", "why", "how", "how's", "where", "where's", "which", "who", "who's", "whose"})
_AUXILIARIES = frozenset(
    {
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "is",
        "are",
        "am",
        "was",
        "were",
        "may",
        "might",
        "shall",
        "has",
        "have",
        "had",
        "isn't",
        "aren't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "wouldn't",
        "shouldn't",
        "can't",
        "couldn't",
    }
)
_SUBJECTS = frozenset(
    {"i", "you", "it", "they", "we", "he", "she", "this", "that", "these", "those", "there", "my", "your"}
)
#: After these, "no" answers a question rather than negating: "no they're the same".
_PRONOUNS = frozenset({"i", "i'm", "i've", "it", "it's", "they", "they're", "we", "my", "that's", "you", "both"})
_FILLERS = frozenset({"and", "so", "or", "um", "uh", "oh", "ok", "okay", "well", "also", "but", "then", "just", "hmm"})
#: Phrases after which a person restates their answer.
_CORRECTIONS: Tuple[Tuple[str, ...], ...] = (
    ("actually",),
    ("sorry",),
    ("i", "mean"),
    ("i", "meant"),
    ("no", "wait"),
    ("wait",),
    ("correction",),
    ("scratch", "that"),
    ("or", "rather"),
    ("more", "like"),
    ("let", "me", "correct"),
)


def is_negation(word: str) -> bool:
    """Whether ``word`` negates what follows ("not", "never", "don't" ...)."""
    return word in NEGATIONS or word.endswith("n't")


def is_negated(texts: Sequence[str], index: int, window: int = 3) -> bool:
    """Whether a negation occurs in the ``window`` words before ``texts[index]``, within its clause."""
    for position in range(index - 1, max(0, index - window) - 1, -1):
        text = texts[position]
        if text in CLAUSE_BREAKS:
            return False
        if text == "no" and texts[position + 1] in _PRONOUNS:
            return False
        if is_negation(text):
            return True
    return False


def clauses(words: Sequence[Word]) -> List[List[Word]]:
    """Split ``words`` into clauses at punctuation and contrasting conjunctions (breaks left out).

    A dash counts as a break only with a space before it ("flat - no, high"), not
    inside "8-9" or "flat-footed".
    """
    parts: List[List[Word]] = [[]]
    for i, word in enumerate(words):
        spaced_dash = word.text == "-" and i > 0 and words[i - 1].end < word.start
        if word.text in CLAUSE_BREAKS or spaced_dash:
            parts.append([])
        else:
            parts[-1].append(word)
    return [part for part in parts if part]


def is_question(clause: Sequence[Word], *, question_mark: bool, cautious: bool = False) -> bool:
    """Whether ``clause`` asks something rather than states it.

    A clause opening with a question word asks ("what counts as numbness"); one
    opening with an auxiliary asks when a question mark follows it or a subject comes
    next ("do I need insoles", "are Dr Scholl's any good?"), so a bare "have flat
    feet" still states. ``cautious`` treats any auxiliary opening as a question,
    for facts, where a missed statement costs less than an invented one.
    """
    texts = [w.text for w in clause]
    while texts and texts[0] in _FILLERS:
        texts = texts[1:]
    if not texts:
        return False
    if texts[0] in _WH_WORDS or (texts[0] == "when" and len(texts) > 1 and texts[1] in _AUXILIARIES):
        return True
    if texts[0] not in _AUXILIARIES:
        return False
    return cautious or question_mark or (len(texts) > 1 and texts[1] in _SUBJECTS)


def question_clauses(words: Sequence[Word], *, cautious: bool = False) -> List[Tuple[int, int]]:
    """The ``(start, end)`` word indices of the clauses that ask a question, with their question marks."""
    found = []
    index = 0
    for clause in clauses(words):
        while words[index] is not clause[0]:
            index += 1
        end = index + len(clause)
        marks = end
        while marks < len(words) and words[marks].text in ("?", "!"):
            marks += 1
        if is_question(clause, question_mark=any(w.text == "?" for w in words[end:marks]), cautious=cautious):
            found.append((index, marks))
    return found


def without_questions(words: Sequence[Word]) -> Tuple[List[Word], bool]:
    """``words`` without the clauses that ask something back, and whether there were any."""
    asked = {i for start, end in question_clauses(words) for i in range(start, end)}
    return [w for i, w in enumerate(words) if i not in asked], bool(asked)


def after_last_correction(words: Sequence[Word]) -> Optional[List[Word]]:
    """The words after the last correction phrase ("actually", "I meant" ...), or ``None`` without one."""
    texts = [w.text for w in words]
    last: Optional[int] = None
    for i in range(len(texts)):
        for phrase in _CORRECTIONS:
            if tuple(texts[i : i + len(phrase)]) == phrase:
                last = i + len(phrase)
    return None if last is None else list(words[last:])


def clause_span(texts: Sequence[str], index: int, *, and_breaks: bool = False, limit: int = 40) -> Tuple[int, int]:
    """The ``(start, end)`` word indices of the clause around ``texts[index]``, at most ``limit`` words each way.

    With ``and_breaks``, "and" and "so" end a clause too (not in "a year and a half").
    The limit keeps run-on messages linear: context further away says little.
    """

    def breaks(i: int) -> bool:
        if texts[i] in CLAUSE_BREAKS:
            return True
        return and_breaks and (texts[i] == "so" or (texts[i] == "and" and texts[i + 1 : i + 3] != ["a", "half"]))

    start = index
    while start > max(0, index - limit) and not breaks(start - 1):
        start -= 1
    end = index
    while end < min(len(texts), index + limit) and not breaks(end):
        end += 1
    return start, end
