"""The parts of a reply: clauses, questions asked back, negations and corrections.

"Never tried insoles, would they help?" answers the question (never tried) and asks
one back (would they help); only the first part is an answer. "Flat, sorry I meant
high" corrects itself; only what follows the correction counts.
"""

from __future__ import annotations

from itertools import pairwise
from typing import List, Optional, Sequence, Tuple

from rasa_project.understanding.answers.words import Word, word_set

#: Words and marks that end a clause.
CLAUSE_BREAKS = word_set(", ; : . ! ? ( ) but though although however whereas")
_NEGATIONS = word_set("not no never without nor neither hardly nobody noone nae naebody")
_WH_WORDS = word_set("what what's why how how's where where's which who who's whose")
_AUXILIARIES = word_set(
    "do does did can could should would will is are am was were may might shall has have had isn't aren't don't"
    " doesn't didn't won't wouldn't shouldn't can't couldn't"
)
_SUBJECTS = word_set("i you it they we he she this that these those there my your")
#: "Have", "had" and a negation open a statement without "I" ("had it for months", "didn't
#: help") unless a subject follows.
_POSSESSION = word_set("have had has")
_INVERTED_SUBJECTS = word_set("i you your we they he she anyone anybody people insoles orthotics inserts these those")
#: Auxiliaries that open only questions, never an answer, with or without "?".
_ASKING_AUXILIARIES = word_set("are is does can could should would will shall may")
#: Bare verbs after which an auxiliary states, in second-language English: "is sit down whole day".
_BARE_VERBS = word_set("sit stand walk work drive")
#: Copulas that, with the subject left out as in second-language English, state a value:
#: "is 6", "is same both side", "was normal". Questions put a subject after them.
_COPULAS = word_set("is was are")
#: Words after such a copula that begin a value, never a question's subject.
_VALUE_OPENERS = word_set(
    "same about around maybe probably like mostly always very quite more less only just better worse different"
    " zero one two three four five six seven eight nine ten"
)
#: Value words that may also open a question's subject ("is flat feet bad"): a value only alone
#: or settled on by a hedge after it ("is normal I think").
_SHORT_VALUES = word_set("normal even flat high low")
#: Hedges that may close such a value, which no question's subject would: "is flat I guess".
_SETTLING_TAILS = {
    ("i", "think"),
    ("i", "guess"),
    ("i", "reckon"),
    ("i", "suppose"),
    ("i", "believe"),
    ("i", "think", "so"),
    ("maybe",),
    ("probably",),
}
#: Relative pronouns: after a comma and before a verb they go on with the statement
#: (", which is about ten weeks now", ", who said they were flat") instead of asking.
_RELATIVES = word_set("which who where")
_RELATIVE_VERBS = word_set("is was has had means meant makes made would said says told found measured")
#: Requests that ask for an answer rather than give one: "tell me more about orthotics".
_REQUESTS = word_set("tell explain describe")
_WONDERING = word_set("wondering wonder wondered curious")
_WONDERING_WHAT = word_set("if whether about what why how")
#: After these, "no" answers a question rather than negating: "no they're the same".
#: Dictation and hurried typing write "they're" as "there", "their" or "theyre".
_PRONOUNS = word_set("i i'm i've it it's they they're theyre there their we my that's you both")
_FILLERS = word_set("and so or um uh oh ok okay well also but then just hmm honestly seriously genuinely frankly")
#: Pairs joined by "and" that are one phrase, not two clauses: "on and off for years".
_PAIRS = {("on", "and", "off"), ("off", "and", "on"), ("up", "and", "down"), ("back", "and", "forth")}
#: Phrases after which a person restates their answer.
_CORRECTIONS = [
    tuple(p.split())
    for p in [
        "actually",
        "sorry",
        "i mean",
        "i meant",
        "no wait",
        "wait",
        "correction",
        "scratch that",
        "hang on",
        "hold on",
    ]
]
_CORRECTIONS += [("or", "rather"), ("more", "like"), ("let", "me", "correct"), ("oops",), ("whoops",)]
_CORRECTIONS += [("my", "mistake"), ("my", "bad"), ("i", "was", "wrong")]
#: "I got that wrong", "I read it wrong", "I misread it": owning up to an earlier answer.
_CORRECTIONS += [
    ("i", verb, thing, "wrong") for verb in ("got", "read", "had", "put", "said", "typed") for thing in ("it", "that")
]
_CORRECTIONS += [("i", "misread", "it"), ("i", "misread", "that"), ("i", "misread")]
#: "I meant to say 3 weeks" restates; "I meant to mention ..." only adds something.
_CORRECTIONS += [("i", "meant", "to", verb) for verb in ("say", "put", "type", "write")]
#: "7. no, 6": a "no" on its own, opening a later clause, takes back what came before
#: it ("no one has", "no idea" and an opening "no." are words of the answer).
_STANDALONE_CORRECTIONS = {("no",), ("nah",)}
_CORRECTIONS += sorted(_STANDALONE_CORRECTIONS)
#: "Sorry, mistake - it is 2 months": a clause that is only the word owns up to an error.
_CORRECTIONS += [("mistake",)]
#: Corrections only at the start of a clause: inside one, "actually" is stress ("it's
#: actually worse", "I've never actually tried"), and "mistake" is a noun ("insoles were a mistake").
_CLAUSE_START_CORRECTIONS = {("actually",), ("mistake",), *_STANDALONE_CORRECTIONS}
#: Words that may come before a correction at the start of a clause: "no, sorry, actually".
_CORRECTION_LEADS = word_set("no nope nah sorry wait oops actually right")


def is_negated(texts: Sequence[str], index: int, window: int = 3) -> bool:
    """Whether a negation ("not", "never", "don't" ...) is among the ``window`` words before ``index``, in its clause."""
    for position in range(index - 1, max(0, index - window) - 1, -1):
        text = texts[position]
        if text in CLAUSE_BREAKS or (text == "no" and texts[position + 1] in _PRONOUNS):
            return False
        if text in _NEGATIONS or text.endswith("n't"):
            return True
    return False


def clause_span(texts: Sequence[str], index: int, *, and_breaks: bool = False, limit: int = 40) -> Tuple[int, int]:
    """The ``(start, end)`` word indices of the clause around ``texts[index]``, at most ``limit`` words each way.

    With ``and_breaks``, "and" and "so" end a clause too (not in "a year and a half" or
    "on and off").
    The limit keeps run-on messages linear: context further away says little.
    """

    def breaks(i: int) -> bool:
        if texts[i] in CLAUSE_BREAKS:
            return True
        if not and_breaks or texts[i] not in ("so", "and"):
            return False
        return texts[i] == "so" or not (texts[i + 1 : i + 3] == ["a", "half"] or tuple(texts[i - 1 : i + 2]) in _PAIRS)

    start, end = index, index
    while start > max(0, index - limit) and not breaks(start - 1):
        start -= 1
    while end < min(len(texts), index + limit) and not breaks(end):
        end += 1
    return start, end


def _is_question(clause: Sequence[str], *, question_mark: bool, cautious: bool, later: bool = False) -> bool:
    """Whether a clause asks: it opens with a question word, or with an auxiliary and a subject or a "?".

    ``later`` marks a clause after the first of its sentence, whose subject may be left
    out because the clause before names it: "tried insoles but is the same".
    """
    texts = list(clause)
    while texts and texts[0] in _FILLERS:
        texts = texts[1:]
    if not texts:
        return False
    second = texts[1] if len(texts) > 1 else ""
    if texts[0] in _WH_WORDS or (texts[0] == "when" and second in _AUXILIARIES):
        return True
    if texts[0] in _REQUESTS or any(a in _WONDERING and b in _WONDERING_WHAT for a, b in pairwise(texts)):
        return True  # "tell me more about orthotics", "wondering if heel lifts would help"
    if (texts[0] in _POSSESSION or texts[0].endswith("n't")) and not question_mark and second not in _INVERTED_SUBJECTS:
        return False  # "had back pain about a year", "didn't help": a note without "I"
    if texts[0] == "did" and second in ("the", "a", "an") and not question_mark:
        return False  # "did the wet foot test": a note without "I" of something done
    # "Is the same", "is no better": the value after a copula may be led by its article or negation.
    value = texts[2] if second in ("the", "no", "not") and len(texts) > 2 else second
    if (
        texts[0] in _COPULAS
        and not (question_mark or (cautious and not later))
        and (value in _VALUE_OPENERS or value.isdigit() or (value in _SHORT_VALUES and _alone(texts[2:])))
    ):
        return False  # "is 6", "is same both side", "..., but is the same": a value with its subject left out
    if texts[0] in _ASKING_AUXILIARIES and not (second in _BARE_VERBS and not question_mark):
        return True  # no answer opens with "are", "should" ...: "are high arches worse than flat feet"
    return texts[0] in _AUXILIARIES and (cautious or question_mark or second in _SUBJECTS | _INVERTED_SUBJECTS)


def _alone(rest: Sequence[str]) -> bool:
    """Whether the words after a short value leave it alone: nothing, or only a settling hedge."""
    return not rest or tuple(rest) in _SETTLING_TAILS


def question_clauses(words: Sequence[Word], *, cautious: bool = False) -> List[Tuple[int, int]]:
    """The ``(start, end)`` word indices of the clauses that ask something back, with their question marks.

    An auxiliary opening asks when a subject or a question mark follows ("do I need
    insoles", "are Dr Scholl's any good?"), so a bare "have flat feet" still states.
    ``cautious`` counts every auxiliary opening as a question, for facts, where a
    missed statement costs less than an invented one. A dash breaks a clause only
    after a space ("flat - no, high"), not inside "8-9".
    """
    texts = [w.text for w in words]
    found, start = [], 0
    for i in range(len(words) + 1):
        spaced_dash = i < len(words) and texts[i] == "-" and i > 0 and words[i - 1].end < words[i].start
        if i < len(words) and texts[i] not in CLAUSE_BREAKS and not spaced_dash:
            continue
        marks = i
        while marks < len(texts) and texts[marks] in ("?", "!"):
            marks += 1
        asked = "?" in texts[i:marks]
        relative = (
            not asked
            and 0 < start < i - 1
            and texts[start - 1] == ","
            and texts[start] in _RELATIVES
            and texts[start + 1] in _RELATIVE_VERBS
        )
        later = start > 0 and texts[start - 1] not in (".", "!", "?")
        if (
            start < i
            and not relative
            and _is_question(texts[start:i], question_mark=asked, cautious=cautious, later=later)
        ):
            found.append((start, marks))
        start = i + 1
    return found


def without_questions(words: Sequence[Word]) -> Tuple[List[Word], bool]:
    """``words`` without the clauses that ask something back, and whether there were any."""
    asked = {i for start, end in question_clauses(words) for i in range(start, end)}
    return [w for i, w in enumerate(words) if i not in asked], bool(asked)


def _opens_clause(texts: Sequence[str], index: int) -> bool:
    """Whether ``texts[index]`` starts its clause, fillers aside ("oh wait", "well actually", "no, sorry")."""
    while index > 0 and texts[index - 1] in _FILLERS | _CORRECTION_LEADS:
        index -= 1
    return index == 0 or texts[index - 1] in CLAUSE_BREAKS or texts[index - 1] == "-"


def after_last_correction(words: Sequence[Word]) -> Optional[List[Word]]:
    """The words after the last correction phrase ("actually", "I meant" ...), or ``None`` without one.

    A correction must be followed by something to read: a trailing "sorry" or "...
    actually" apologises or stresses. "Actually" corrects only at the start of a
    clause: in "I've never actually tried them" it stresses. A phrase followed by "to"
    ("I meant to mention", "sorry to bother you") corrects nothing.
    """
    texts = [w.text for w in words]
    ends = [
        i + len(p)
        for i in range(len(texts))
        for p in _CORRECTIONS
        if tuple(texts[i : i + len(p)]) == p
        and any(texts[j] not in CLAUSE_BREAKS for j in range(i + len(p), len(texts)))
        and (p not in _CLAUSE_START_CORRECTIONS or _opens_clause(texts, i))
        and (p not in _STANDALONE_CORRECTIONS or (i > 0 and texts[i + 1 : i + 2] in ([","], ["."], ["-"], [";"])))
        # "I meant to mention", "sorry to bother you": an aside or a courtesy, not a new answer.
        and texts[i + len(p) : i + len(p) + 1] != ["to"]
    ]
    return list(words[max(ends) :]) if ends else None


#: Words that open a clause about someone else: "his are flat", "she's the one with ...".
_OTHER_SUBJECTS = word_set("he he's she she's his her hers him")
#: People a clause may be about instead of the person: "my husband's has been years".
_OTHER_PEOPLE = word_set(
    "husband husband's wife wife's missus missus' partner partner's mum mum's mom mom's dad dad's mother mother's"
    " father father's son son's daughter daughter's sister sister's brother brother's friend friend's hubby hubby's"
)
_OWN = word_set("i i'm i've i'd me mine my myself")
#: Someone else's occasion dates the person's own story: "it started before my sister's wedding".
_EVENTS = word_set("wedding birthday funeral christening graduation party retirement holiday visit")
#: Words that let a clause about someone else deny it of the person: "she's the one with it, not me".
_NOT_ME = [("not", "me"), ("not", "mine"), ("not", "i")]
_CLAUSE_OPENERS = word_set("and so just oh well um then plus yeah ok lol actually")
#: Words that join a reason or a result to a clause: "..., so I worry", "... because my dad had it".
_JOINING_REASONS = word_set("so because cos cause")
#: Verbs by which someone else reports on the person: "she diagnosed a gait problem",
#: "she says the outside edges are worn". Such a clause tells the person's own facts.
_REPORTS = word_set(
    "said says told tells diagnosed diagnoses found finds thinks thought reckons reckoned noticed measured"
    " checked confirmed showed"
)
#: Words between someone and their report: "she never actually diagnosed", "he only said".
_REPORT_ADVERBS = word_set("never actually really only just also ever")


#: Words that date a pain by a child's birth: "since I had my daughter", "when he was born".
_BIRTHS = word_set("born had having birth")
_CHILDREN = word_set("daughter son baby twins kid child little youngest eldest")
_NUMBER_WORDS = word_set("one two three four five six seven eight nine ten eleven twelve")


def _dated_by_a_child(texts: Sequence[str], clause: Sequence[str]) -> bool:
    """Whether a clause gives the age of a child whose birth dates the pain ("... and she's just turned two")."""
    # "Had my daughter", "having the twins": a birth; "my son has had it for years" is his pain.
    born = "born" in texts or any(
        texts[i] in _BIRTHS and texts[i + 1] in ("my", "the", "a", "our") and texts[i + 2] in _CHILDREN
        for i in range(len(texts) - 2)
    )
    aged = "old" in clause or any(t.isdigit() or t in _NUMBER_WORDS for t in clause)
    return born and aged


def own_clauses(words: Sequence[Word], *, with_opening: bool = False) -> Optional[List[Word]]:
    """The clauses about the person, when a reply sets them beside clauses about someone else.

    "His are flat, mine are normal" and "I've had mine three weeks, his has been years"
    answer for the person in one clause and tell of someone else in another: only the
    person's own clauses answer. ``None`` when the reply does not mix the two. With
    ``with_opening``, a short opening clause that names nobody ("Oh, high.") counts as
    the person's too.
    """
    sorted_clauses = _own_and_others(words, with_opening)
    return sorted_clauses[0] if sorted_clauses is not None else None


def others_clauses(words: Sequence[Word]) -> Optional[List[Word]]:
    """The clauses about someone else, when a message sets them beside the person's own; else ``None``.

    A clause that names nobody goes with the clause before it in its sentence: "my wife
    has flat feet, always has" is hers throughout, but "I work in a shop, on my feet
    all day, like my sister" tells the person's own day before naming the sister, and
    "She never diagnosed anything. So no diagnosis." opens a sentence of the person's own.
    """
    sorted_clauses = _own_and_others(words)
    return sorted_clauses[1] if sorted_clauses is not None else None


#: Most words of an opening clause that is the answer itself: "high", "flat, sadly", "outside edges".
_SHORT_ANSWER_WORDS = 3
#: Marks that end a sentence: a clause after one that names nobody is the person's own note.
_SENTENCE_ENDS = word_set(". ! ?")


def _own_and_others(words: Sequence[Word], with_opening: bool = False) -> Optional[Tuple[List[Word], List[Word]]]:
    """The person's own clauses and someone else's, when a message has both; else ``None``."""
    texts = [w.text for w in words]
    clauses: List[Tuple[int, int]] = []
    start = 0
    for i, text in enumerate([*texts, ","]):
        # "My dad had sciatica years ago so I'm a bit worried": a "so" or "because" before a
        # new subject opens a clause of its own, whose speaker may differ.
        joined = text in _JOINING_REASONS and bool(texts[i + 1 : i + 2]) and texts[i + 1] in _OWN | _OTHER_SUBJECTS
        if text in CLAUSE_BREAKS or text in ("and", "while") or joined:
            if i > start:
                clauses.append((start, i))
            start = i + 1
    own: List[Word] = []
    other_words: List[Word] = []
    others = 0
    # Whose the clause before was, in this sentence: a clause naming nobody goes on with it.
    previous_is_other = False
    for first, end in clauses:
        if first > 0 and texts[first - 1] in _SENTENCE_ENDS:
            previous_is_other = False
        clause = texts[first:end]
        while clause and clause[0] in _CLAUSE_OPENERS:
            clause = clause[1:]
        # "His are flat", "my husband's has been years", "that's my brother", "they were for my daughter".
        named = [
            i
            for i, (a, b) in enumerate(pairwise(clause))
            if a in ("my", "the", "our") and b in _OTHER_PEOPLE and not _EVENTS & set(clause[i + 2 : i + 3])
        ]
        about_other = bool(clause) and (clause[0] in _OTHER_SUBJECTS or bool(named))
        # "She never actually diagnosed anything": the report may be denied or stressed.
        verb = next((i for i in range(1, len(clause)) if clause[i] not in _REPORT_ADVERBS), len(clause))
        reported = (
            bool(clause)
            and clause[0] in _OTHER_SUBJECTS
            and verb < len(clause)
            and clause[verb] in _REPORTS
            and not _OTHER_SUBJECTS & set(clause[verb + 1 :])
        )
        if reported:
            # "She says the outside edges are worn": someone's finding about the person.
            own.extend(words[first:end])
            previous_is_other = False
            continue
        denied = any(pair in _NOT_ME for pair in pairwise(clause))
        if denied and tuple(clause[:2]) in _NOT_ME:
            other_words.extend(words[first:end])
            continue  # "..., not me,": the other person's clause goes on
        own_words = set(clause[1:] if clause and clause[0] in _OTHER_SUBJECTS else clause)
        if named:
            own_words.discard("my")  # the "my" of "my brother" is not the person's own fact
        if about_other and _dated_by_a_child(texts, clause):
            continue  # "it started when she was born, she's 4 months old": her age dates the pain
        if about_other and (denied or not _OWN & own_words):
            others += 1
            other_words.extend(words[first:end])
            previous_is_other = True
        elif _OWN & set(clause):
            own.extend(words[first:end])
            previous_is_other = False
        elif previous_is_other:
            other_words.extend(words[first:end])
        elif with_opening and not own and not other_words and len(clause) <= _SHORT_ANSWER_WORDS:
            # "Oh, high. My mother had the same": a reply may open with a few words naming
            # nobody that are the person's answer, before the story about others. A longer
            # opening ("flat feet run in the family") tells of the family.
            own.extend(words[first:end])
    return (own, other_words) if own and others else None
