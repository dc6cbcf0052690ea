"""``gait_diagnosis``: whether a clinician diagnosed a gait or foot-structure problem (``yes``, ``no``).

A named condition ("overpronation", "a gait problem", "flat feet"), a diagnosis or a
clinician's finding ("a podiatrist said I overpronate") is ``yes``; "never been
diagnosed" and a plain "no" are ``no``; "not sure" is ``NOT_SURE`` (the form reads it
as no diagnosis on record). As a fact in a message a condition must come with its
source, a clinician, a diagnosis or a gait analysis ("my doctor said I don't have
flat feet" is ``no``; "I've always been told I have high arches", by no one named, is
no finding), or with nobody ever having said so ("no one has ever said
anything is wrong with how I walk" is ``no``).
"""

from __future__ import annotations

from datetime import date
from typing import List, Optional, Sequence, Tuple

from rasa_project.clinical.contract import GAIT_DIAGNOSIS
from rasa_project.understanding.answers.checks import CHECKS, VERDICTS, checked_and_normal
from rasa_project.understanding.answers.clauses import CLAUSE_BREAKS, is_negated
from rasa_project.understanding.answers.hedges import without_dont_know
from rasa_project.understanding.answers.options import Mention, Options
from rasa_project.understanding.answers.reading import Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import Word, word_set
from rasa_project.understanding.answers.yes_no import yes_no

SOURCES = Options(
    {
        "clinician": "podiatrist|physio*|doctor|doc|gp|orthopaedi*|orthopedi*|chiropodist|chiropractor|osteopath;"
        " clinician|specialist|consultant|surgeon|therapist|dr",
        "diagnosis": "diagnos*; gait analysis|assessment|scan|test; told|tells me; did|does tell me",
        "told": "was|been|got|were told",
    }
)
CONDITIONS = Options(
    {
        "yes": "overpronat*|supinat*|underpronat*; over -? pronate|pronates|pronation|pronating; excessive pronation;"
        " gait|walking|foot|feet|structural|biomechanical problem|problems|abnormality|issue|issues|disorder|deformity;"
        " abnormal|funny|unusual|odd|dodgy|wonky|bad|poor|faulty|awkward|irregular|uneven gait; walk abnormally|unevenly|funny|funnily|oddly|differently;"
        " limp|bunion|bunions; club foot|feet; flat feet|foot; flat -? footed; high|fallen arches;"
        " leg length difference|discrepancy|inequality;"
        " problem|problems|issue|issues|abnormality|trouble|wrong with the? how|way i walk|stand|run|move;"
        " problem|problems|issue|issues|abnormality|trouble|wrong with my walking|gait|stride|feet|foot;"
        " feet|foot|ankles|ankle roll|rolls|rolled|rolling|turn|turns|turned|turning in|inwards|inward|out|outwards;"
        " knee|knees turn|turns|turned|go|goes|collapse|collapses in|inwards; knock knees|kneed; bow legs|legged;"
        " pigeon toed|toes;"
        # Only ever said negated: "nobody has diagnosed anything about how I walk".
        " anything about|with the? how|way i walk|stand|run|move;"
        " anything wrong|odd|unusual about|with the? how|way i walk|stand|run|move",
        "no": "nothing wrong with the? how|way i walk|stand|run|move; nothing wrong with my walking|gait|stride|feet|foot;"
        " not officially|formally;"
        " walk|walking|gait normally|normal|fine; normal|fine gait; gait|walking is|was|looks|looked normal|fine",
    }
)
#: Words that make a check one of the gait, as a fact in a message: "a gait analysis", "watched me walk".
_GAIT_WORDS = word_set("gait walk walking running stride")
_VOCABULARY = SOURCES.vocabulary | CONDITIONS.vocabulary | VERDICTS.vocabulary | Vocabulary(CHECKS)
_SOMEONE_ELSE = word_set(
    "he she his her him wife husband partner son daughter mum mom dad mother father brother sister friend child kid"
)
_NOBODY = word_set("nobody nobody's noone noone's naebody")
_NEVER = word_set("never not haven't hasn't")
_ANYTHING = word_set("anything nothing")
#: Words that close a statement of no diagnosis without naming one: "no diagnosis after all", "... then".
_CLOSING = word_set("after all then really actually at")
#: The words of a condition that is only an arch type: "flat feet", "flat-footed", "high arches".
_ARCH_TYPE = word_set("flat high fallen arch arches feet foot footed -")


def _only_an_arch_type(texts: Sequence[str], condition: Mention, sources: Sequence[Mention]) -> bool:
    """Whether a clinician's report names an arch type and nothing was diagnosed: "the podiatrist said I have high arches".

    Such a report answers the arch question; whether a gait problem or a significant
    foot-structure problem was diagnosed is still asked. "Diagnosed with flat feet" is a diagnosis.
    """
    named = set(texts[condition.first : condition.last + 1])
    diagnosed = any(texts[s.first].startswith("diagnos") for s in sources if s.last < condition.first)
    return named <= _ARCH_TYPE and not diagnosed


#: People who might have found a problem: "no clinician has ever diagnosed ...", "no doctor said".
_CLINICIANS = word_set(
    "clinician clinicians doctor doctors doc gp gps podiatrist podiatrists physio physios physiotherapist"
    " physiotherapists specialist specialists consultant consultants chiropodist osteopath chiropractor"
    " surgeon therapist professional professionals expert experts medic medics"
)
_REPORTS = word_set(
    "said says told found confirmed thinks thought noticed showed diagnosed reckons mentioned suggested"
)


#: Words next to which a dictated "gate" can only be "gait": "a gate analysis", "an uneven gate".
_GAIT_AFTER = word_set(
    "analysis analyses assessment assessments scan test tests study lab abnormality abnormalities problem problems"
    " issue issues disorder disturbance pattern cycle"
)
_GAIT_BEFORE = word_set(
    "abnormal funny unusual odd dodgy wonky bad poor faulty awkward irregular uneven antalgic shuffling my normal"
)
#: "my gate was open", "my gate to the garden": the gate of a house.
_NOT_GAIT_AFTER = word_set("was were open opens opened shut closed to post code key keys latch")


def heard_as_gait(words: Sequence[Word]) -> List[Word]:
    """``words`` with the "gate" that voice dictation writes for "gait" put right.

    Only next to a word of walking or its assessment: "a gate analysis", "diagnosed a
    gate abnormality", "my gate is uneven"; a garden gate stays a gate ("I fell at the
    gate", "the gate to the park").
    """

    def meant(i: int) -> bool:
        after = words[i + 1].text if i + 1 < len(words) else ""
        before = words[i - 1].text if i > 0 else ""
        return after in _GAIT_AFTER or (before in _GAIT_BEFORE and after not in _NOT_GAIT_AFTER)

    return [
        Word("gait", w.start, w.end) if w.text in ("gate", "gates") and meant(i) else w for i, w in enumerate(words)
    ]


def read(answer: Answer) -> Reading:
    """``yes`` for a condition or a diagnosis, ``no`` for a negated one, else a plain yes or no."""
    words = corrected(heard_as_gait(without_dont_know(answer.words)), _VOCABULARY)
    texts = [w.text for w in words]
    normal = _checked_and_normal(words)
    if normal is not None and not any(
        m.value == "yes" and _found(m) for m in CONDITIONS.mentions(words, correct=False)
    ):
        # "Had a gait analysis, it was normal": the check is no diagnosis when it found nothing.
        return "no"
    conditions = CONDITIONS.mentions(words, correct=False)
    diagnosed = any(
        texts[m.first].startswith("diagnos") and not m.negated for m in SOURCES.mentions(words, correct=False)
    )
    if not diagnosed and conditions and all(_only_an_arch_type_said(texts, m) for m in conditions if _found(m)):
        # "She only said I have high arches": a finding played down to an arch type is no
        # diagnosis ("only flat feet, diagnosed by my GP" is one).
        return "no"
    sources = SOURCES.mentions(words, correct=False)
    if not any(_found(m) for m in conditions) and _never_diagnosed(texts, sources) is not None:
        # "She never diagnosed anything, just told me to get new trainers": advice is no finding.
        return "no"
    # What the clinician found decides: "my GP said there's nothing wrong with how I walk" is no.
    said = conditions or [
        m
        for m in SOURCES.mentions(words, correct=False)
        if m.value in ("diagnosis", "told") or _REPORTS & set(texts[m.last + 1 : m.last + 4])
    ]
    # "Nobody ever said there was anything about how I walk": a finding no one reported is none.
    if any(_found(m) and _nobody_reported(texts, m.first) is None for m in said):
        return "yes"
    return "no" if said else yes_no(answer.words)


#: Words that play a report down to no more than it says: "she only said I have high arches".
_ONLY = word_set("only just merely simply")


def _only_an_arch_type_said(texts: Sequence[str], condition: Mention) -> bool:
    """Whether a condition is only an arch type, said with "only" or "just" before it in its clause."""
    if not set(texts[condition.first : condition.last + 1]) <= _ARCH_TYPE:
        return False
    before = texts[max(0, condition.first - 6) : condition.first]
    cut = max((i for i, t in enumerate(before) if t in CLAUSE_BREAKS or t == ","), default=-1)
    return bool(_ONLY & set(before[cut + 1 :]))


def _found(condition: Mention) -> bool:
    """Whether a condition, a source or a diagnosis is said to be there ("nothing wrong with my gait" is not)."""
    return (condition.value == "no") == condition.negated


def _checked_and_normal(words: Sequence[Word]) -> Optional[Tuple[int, int]]:
    """Where a check by a clinician, a shop or a gait analysis is said to have found nothing, if it is."""
    return checked_and_normal(words, (m.first for m in SOURCES.mentions(words, correct=False) if m.value != "told"))


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """A condition reported by a clinician, a diagnosis or a gait analysis in a sentence."""
    words = corrected(heard_as_gait(words), _VOCABULARY)
    texts = [w.text for w in words]
    sources = SOURCES.mentions(words, correct=False)
    # "I've always been told I have high arches": told, by no one named, is no clinician's finding.
    if not any(s.value != "told" for s in sources):
        sources = []
    found = []
    for condition in CONDITIONS.mentions(words, correct=False):
        before = [s for s in sources if condition.first - 10 <= s.last < condition.first]
        before = [s for s in before if not CLAUSE_BREAKS & (set(texts[s.last : condition.first]) - {","})]
        # "My physio said my husband has flat feet" is someone else's finding.
        # "Nobody's ever said there's anything wrong with how I walk": no finding, ever.
        nobody = _nobody_reported(texts, condition.first)
        if before and not _SOMEONE_ELSE & _others_between(texts, before[0].last, condition.first):
            negated = not _found(condition) or before[0].negated or is_negated(texts, condition.first, window=5)
            if not negated and nobody is None and _only_an_arch_type(texts, condition, before):
                continue
            # "A podiatrist diagnosed overpronation": a finding reported to the person is theirs.
            found.append(
                Finding("no" if negated or nobody is not None else "yes", before[0].first, condition.last, True)
            )
        elif nobody is not None:
            found.append(Finding("no", nobody, condition.last, True))
        elif condition.value == "no" and not condition.negated:
            # "Nothing wrong with my walking, my GP said": the finding first, its source after.
            source = _reported_after(texts, sources, condition)
            if source is not None:
                found.append(Finding("no", condition.first, source, True))
    normal = _checked_and_normal(words)
    positive = any(m.value == "yes" and _found(m) for m in CONDITIONS.mentions(words, correct=False))
    if not found and normal is not None and _GAIT_WORDS & set(texts) and not positive:
        # "Had a gait analysis at the running shop, it was normal": a check that found nothing.
        found.append(Finding("no", normal[0], normal[1], True))
    if not found:
        never = _never_diagnosed(texts, sources)
        if never is not None:
            found.append(Finding("no", *never, True))
    return found


#: Pronouns that may stand for the clinician just named: "a podiatrist ... and she diagnosed ...".
_CLINICIAN_PRONOUNS = word_set("she he they")


def _others_between(texts: Sequence[str], start: int, end: int) -> set[str]:
    """The words from ``start`` to ``end``, without a pronoun that reports the finding.

    In "I saw a podiatrist and she diagnosed a gait abnormality" the "she" who
    diagnosed is the clinician; in "my physio said she has flat feet" she is someone else.
    """
    return {
        texts[i]
        for i in range(start, end)
        if not (texts[i] in _CLINICIAN_PRONOUNS and texts[i + 1 : i + 2] and texts[i + 1] in _REPORTS)
    }


def _never_diagnosed(texts: Sequence[str], sources: Sequence[Mention]) -> Optional[Tuple[int, int]]:
    """Where a sentence says no diagnosis of any kind was ever made: "never been diagnosed with anything".

    Only a diagnosis of nothing in particular counts: "never diagnosed with sciatica"
    says nothing of the feet or the gait.
    """
    for source in sources:
        # "Nothing was diagnosed", "she diagnosed nothing": the diagnosis denied by what it found.
        denied = source.negated or "nothing" in texts[max(0, source.first - 3) : source.first + 2]
        # "Nobody medical has ever diagnosed anything": no one made the diagnosis.
        nobody = _nobody_reported(texts, source.last + 1)
        denied = denied or nobody is not None
        if source.value != "diagnosis" or not denied or not texts[source.first].startswith("diagnos"):
            continue
        rest = texts[source.last + 1 : source.last + 3]
        # The words after it up to the end of its clause: "diagnosed anything, she only said ...".
        cut = next((i for i, text in enumerate(rest) if text in CLAUSE_BREAKS or text == ","), len(rest))
        rest = rest[:cut]
        if not rest or rest[-1] in _ANYTHING or set(rest) <= _CLOSING:
            first = next((i for i in range(max(0, source.first - 3), source.first) if texts[i] in _NEVER), source.first)
            first = min(first, nobody) if nobody is not None else first
            return first, source.last + (len(rest) if rest and rest[-1] in _ANYTHING else 0)
    return None


def _reported_after(texts: Sequence[str], sources: Sequence[Mention], condition: Mention) -> Optional[int]:
    """The last word of a clinician's report that follows a condition closely ("... that any doctor has said")."""
    for source in sources:
        if source.value == "clinician" and condition.last < source.first <= condition.last + 5:
            report = next(
                (i for i in range(source.last + 1, source.last + 4) if texts[i : i + 1] and texts[i] in _REPORTS), None
            )
            if report is not None and not _SOMEONE_ELSE & set(texts[condition.last : source.first]):
                return report
    return None


def _nobody_reported(texts: Sequence[str], condition: int) -> Optional[int]:
    """Where the words before a condition say that no one ever reported it ("no one has told me ..."), if they do."""
    start = max(0, condition - 10)
    for i in range(start, condition):
        # "No one", and "no doctor" or "no clinician": nobody who could have found it.
        nobody = texts[i] in _NOBODY or (texts[i] == "no" and texts[i + 1] in _CLINICIANS | {"one", "one's"})
        # "No doctor needed, a podiatrist diagnosed it": the "no" of another clause denies nothing.
        if nobody and _REPORTS & set(texts[i:condition]) and not CLAUSE_BREAKS & set(texts[i:condition]):
            return i
    return None


READER = SlotReader(GAIT_DIAGNOSIS, read, find)
