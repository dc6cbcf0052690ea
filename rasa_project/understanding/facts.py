"""Assessment facts a person volunteers anywhere in a message, before they are asked.

"I'm a postman with flat feet and my back has hurt for a month" answers three
questions at once. :func:`extract_facts` finds such statements so the assistant does
not ask them again. Only unambiguous first-person statements count: questions ("do
flat feet cause back pain?"), conditionals ("if I have flat feet ..."), hearsay ("I
heard insoles help") and negated mentions ("I don't have flat feet") give nothing,
because a wrong fact silently skips a question. Bare numbers never count as a pain
score here; only explicit forms such as "6/10" do.

Matching runs case-insensitively on the original text, so every :class:`Fact`
carries character offsets into the message as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Sequence, Tuple, Union

from rasa_project.clinical.contract import (
    DAILY_LOAD,
    FOOT_ARCH,
    GAIT_DIAGNOSIS,
    INSOLE_HISTORY,
    LEG_LENGTH_DIFFERENCE,
    PAIN_DURATION,
    PAIN_SEVERITY,
    SHOE_WEAR,
)
from rasa_project.understanding.answers import (
    INSOLE_PRIORITY,
    duration_category,
    find_durations,
    find_explicit_severity,
    find_insole_outcomes,
)

#: Longest message that is read; the rest is ignored (a person does not state
#: assessment facts 20,000 characters into a message).
MAX_MESSAGE_CHARS = 20_000


#: How far back from a mention its clause is searched for negation and context.
_CONTEXT_CHARS = 200


@dataclass(frozen=True)
class Fact:
    """One volunteered assessment answer."""

    #: An assessment slot name from ``contract``.
    slot: str
    #: The contract value (an ``int`` for ``pain_severity``).
    value: Union[str, int]
    #: Character offsets of the phrase that states the fact.
    start: int
    end: int
    #: ``message[start:end]``.
    text: str


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int


_FLAGS = re.IGNORECASE
_APOSTROPHE = r"['\u2019]"
_I_AM = r"\bi(?:" + _APOSTROPHE + r"m|\s+am|m)\b"
_I_HAVE = r"\bi(?:\s+have|" + _APOSTROPHE + r"?ve)(?:\s+got)?\b|\bi\s+(?:got|had)\b"
_DEGREE = r"(?:(?:very|quite|really|pretty|extremely|super|slightly|a\s+bit|somewhat|naturally|fairly|totally|completely|always|kind\s+of|rather)\s+)*"

_QUESTION_START = re.compile(
    r"^\W*(?:what|why|how|when|where|which|who|whom|whose|do|does|did|can|could|should|would|will|is"
    r"|are|am|was|were|may|might|shall|has|have|had|isn"
    + _APOSTROPHE
    + r"?t|aren"
    + _APOSTROPHE
    + r"?t|don"
    + _APOSTROPHE
    + r"?t|doesn"
    + _APOSTROPHE
    + r"?t)\b",
    _FLAGS,
)
#: Words after which a statement is not a claim about the person's own situation.
_NOT_A_CLAIM = re.compile(
    r"\b(?:if|whether|when|whenever|unless|suppose|supposing|assuming|imagine|heard|hear|read|wonder"
    r"|wondering|hope|hoping|want|wanted|wish|would|could|might|should|maybe|perhaps|considering"
    r"|thinking\s+(?:of|about)|planning|going\s+to|gonna|friend|wife|husband|partner|son|daughter"
    r"|mother|father|mum|mom|dad|sister|brother|people|someone|somebody|patients?)\b",
    _FLAGS,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|without|don"
    + _APOSTROPHE
    + r"?t|doesn"
    + _APOSTROPHE
    + r"?t|didn"
    + _APOSTROPHE
    + r"?t|isn"
    + _APOSTROPHE
    + r"?t|aren"
    + _APOSTROPHE
    + r"?t|haven"
    + _APOSTROPHE
    + r"?t|hasn"
    + _APOSTROPHE
    + r"?t|wasn"
    + _APOSTROPHE
    + r"?t|nor|neither)\b",
    _FLAGS,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i" + _APOSTROPHE + r"(?:m|ve|d|ll)|im|ive|my|me|mine|myself)\b", _FLAGS)
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?![\s]|$))+[.!?]*")
_SEGMENT_BREAK = re.compile(r"[,;:]")
_CLAUSE_BREAK = re.compile(
    r"[,;:]|\band\b(?!\s+a\s+half)|\bbut\b|\bthough\b|\balthough\b|\bwhile\b|\bwhereas\b|\bso\b", _FLAGS
)

# --- foot_arch ----------------------------------------------------------------

_ARCH_WORDS = {
    "flat": "flat",
    "fallen": "flat",
    "collapsed": "flat",
    "low": "flat",
    "planus": "flat",
    "high": "high",
    "cavus": "high",
    "normal": "normal",
    "average": "normal",
    "ordinary": "normal",
}
_ARCH_PHRASE = (
    r"(?P<span>flat\s+feet|flat\s+foot|fallen\s+arches|collapsed\s+arches|low\s+arches|high\s+arches|"
    r"high[- ]arched\s+feet|(?:very\s+)?high\s+arches|normal\s+arches|average\s+arches|pes\s+planus"
    r"|pes\s+cavus)\b"
)
_ARCH_STATEMENTS: Sequence[re.Pattern[str]] = tuple(
    re.compile(pattern, _FLAGS)
    for pattern in (
        _I_AM + r"\s+" + _DEGREE + r"(?P<span>flat[- ]?footed)\b",
        r"(?:"
        + _I_HAVE
        + r"|\bi\s+was\s+born\s+with|"
        + _I_AM
        + r"[^.,;!?]{0,40}?\bwith|\bas\s+(?:someone|somebody|a\s+person)\s+with)\s+"
        + _DEGREE
        + _ARCH_PHRASE,
        r"\bmy\s+(?P<span>(?:feet|foot|arch|arches)\s+(?:are|is|have\s+always\s+been|have\s+been|were"
        r"|looks?|seems?|are\s+always)\s+(?:just\s+)?"
        + _DEGREE
        + r"(?:flat|high|normal|low|fallen|average|collapsed|ordinary))\b",
        r"\bmy\s+(?P<span>arch(?:es)?\s+(?:have|has)\s+(?:fallen|collapsed|dropped))\b",
        r"\bmy\s+feet\s+(?:have|have\s+got|'ve\s+got)\s+" + _DEGREE + _ARCH_PHRASE,
    )
)

# --- daily_load ---------------------------------------------------------------

_OCCUPATIONS = {
    "walking": (
        "postman",
        "postwoman",
        "postie",
        "mailman",
        "mail carrier",
        "letter carrier",
        "courier",
        "waiter",
        "waitress",
        "dog walker",
        "nurse",
        "tour guide",
        "delivery rider",
    ),
    "standing": (
        "cashier",
        "checkout operator",
        "hairdresser",
        "barber",
        "chef",
        "cook",
        "bartender",
        "barista",
        "shop assistant",
        "sales assistant",
        "retail worker",
        "factory worker",
        "surgeon",
        "security guard",
        "teacher",
        "pharmacist",
        "dentist",
    ),
    "sitting": (
        "office worker",
        "programmer",
        "software developer",
        "software engineer",
        "developer",
        "accountant",
        "receptionist",
        "secretary",
        "lorry driver",
        "truck driver",
        "taxi driver",
        "bus driver",
        "cab driver",
        "call centre worker",
        "call center worker",
        "data analyst",
        "designer",
        "writer",
    ),
}
_OCCUPATION_VALUE = {name: value for value, names in _OCCUPATIONS.items() for name in names}
_OCCUPATION = (
    r"(?P<span>"
    + "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in _OCCUPATION_VALUE), key=len, reverse=True))
    + r")s?\b"
)
_LOAD_WORD = r"(?P<span>stand(?:ing)?|walk(?:ing)?|sit(?:ting)?|on\s+my\s+feet)"
_LOAD_QUALIFIER = (
    r"(?=[^.!?]{0,30}?\b(?:all\s+day|a\s+lot|lots|most\s+of\s+the\s+(?:day|time)|for\s+hours"
    r"|for\s+work|at\s+work|long\s+hours|"
    r"all\s+the\s+time|every\s+day|at\s+(?:a|my)\s+desk|at\s+(?:a|the)\s+(?:computer|till|counter)"
    r"|miles|for\s+(?:my|a)\s+(?:job|living)|"
    r"in\s+my\s+job|shifts?|hours\s+a\s+day|constantly|for\s+long\s+periods)\b)"
)
_LOAD_STATEMENTS: Sequence[Tuple[re.Pattern[str], Callable[[str], Optional[str]]]] = (
    (
        re.compile(
            r"(?:"
            + _I_AM
            + r"|\bi\s+work\s+as|\bmy\s+job\s+is|\bi\s+am\s+working\s+as)\s+(?:a|an)\s+(?:\w+\s+){0,2}?"
            + _OCCUPATION,
            _FLAGS,
        ),
        lambda span: _OCCUPATION_VALUE.get(" ".join(span.lower().split())),
    ),
    (
        re.compile(_I_AM + r"\s+(?:(?:always|constantly|mostly|basically)\s+)?(?P<span>on\s+my\s+feet)\b", _FLAGS),
        lambda span: "standing",
    ),
    (
        re.compile(
            r"\bi\s+(?:(?:mostly|mainly|usually|basically|just|have\s+to|need\s+to|must)\s+)*"
            + _LOAD_WORD
            + r"\b"
            + _LOAD_QUALIFIER,
            _FLAGS,
        ),
        lambda span: _load_of_word(span),
    ),
    (
        re.compile(
            _I_AM + r"\s+(?:(?:mostly|mainly|usually|basically|just)\s+)*" + _LOAD_WORD + r"\b" + _LOAD_QUALIFIER,
            _FLAGS,
        ),
        lambda span: _load_of_word(span),
    ),
    (
        re.compile(
            r"\bi\s+spend\s+(?:most\s+of\s+|all\s+|much\s+of\s+)?(?:the|my)\s+(?:days?|time"
            r"|work(?:ing)?\s+days?|shifts?)\s+" + _LOAD_WORD + r"\b",
            _FLAGS,
        ),
        lambda span: _load_of_word(span),
    ),
    (
        re.compile(
            r"(?:" + _I_HAVE + r"|\bmy\s+job\s+is|\bi\s+do)\s+(?:a|an)\s+"
            r"(?P<span>desk\s+job|office\s+job|sedentary\s+job|standing\s+job|desk-based\s+job)\b",
            _FLAGS,
        ),
        lambda span: "standing" if span.lower().startswith("standing") else "sitting",
    ),
    (
        re.compile(r"\bi\s+work\s+(?P<span>at\s+(?:a|my)\s+(?:desk|computer)|in\s+an?\s+office|from\s+home)\b", _FLAGS),
        lambda span: "sitting",
    ),
    (re.compile(r"\bi\s+work\b[^.!?,;]{0,30}?\b" + _LOAD_WORD + r"\b", _FLAGS), lambda span: _load_of_word(span)),
    (
        re.compile(
            r"\bi\s+work\s+(?P<span>at\s+(?:a|the)\s+(?:till|checkout)|on\s+(?:a|an|the)\s+(?:assembly"
            r"|production)\s+line)\b",
            _FLAGS,
        ),
        lambda span: "standing",
    ),
)


_PAST_JOB = re.compile(r"\b(?:retired|former|ex|formerly|trainee|unemployed|used\s+to)\b", _FLAGS)


def _load_of_word(span: str) -> Optional[str]:
    word = span.lower()
    if word.startswith("stand") or word.startswith("on"):
        return "standing"
    if word.startswith("walk"):
        return "walking"
    if word.startswith("sit"):
        return "sitting"
    return None


# --- leg_length_difference ------------------------------------------------------

_LEG_STATEMENTS: Sequence[Tuple[re.Pattern[str], Callable[[str], Optional[str]]]] = (
    (
        re.compile(
            r"(?P<span>\b(?:one\s+of\s+my\s+legs|one\s+(?:of\s+my\s+)?leg|my\s+(?:left"
            r"|right)\s+leg)\s+is\s+(?:(?:a\s+(?:bit|little|lot)|slightly|much|about\s+\S+\s+\S+"
            r"|\d+(?:[.,]\d+)?\s*(?:cm|mm|inch(?:es)?))\s+)?(?:shorter|longer))\b",
            _FLAGS,
        ),
        lambda span: "yes",
    ),
    (
        re.compile(
            r"(?:" + _I_HAVE + r")\s+(?:a\s+)?(?:(?:slight|small|big|significant|known|real)\s+)?"
            r"(?P<span>leg[- ]length\s+(?:difference|discrepancy|inequality))\b",
            _FLAGS,
        ),
        lambda span: "yes",
    ),
    (
        re.compile(
            r"\bmy\s+(?P<span>legs\s+are\s+(?:(?:slightly|a\s+bit|a\s+little)\s+)?(?:(?:different"
            r"|uneven)\s+lengths?|uneven|the\s+same\s+length|equal(?:\s+in\s+length)?))\b",
            _FLAGS,
        ),
        lambda span: "no" if re.search(r"same|equal", span, re.IGNORECASE) else "yes",
    ),
)

# --- gait_diagnosis -------------------------------------------------------------

_CONDITION = (
    r"(?:over-?pronat\w*|excessive\s+pronation|(?:i\s+)?walk\s+(?:abnormally|unevenly|with\s+a\s+limp)"
    r"|an?\s+abnormal\s+gait|supinat\w*|under-?pronat\w*|a\s+gait\s+\w+|gait\s+(?:problem|abnormality"
    r"|issue|disorder)s?|"
    r"flat\s+feet|high\s+arches|fallen\s+arches|pes\s+planus|pes\s+cavus|a\s+leg\s+length\s+\w+"
    r"|leg\s+length\s+\w+|"
    r"(?:a\s+)?foot\s+(?:problem|deformity|abnormality)|(?:a\s+)?(?:structural|biomechanical)\s+\w+)"
)
_CLINICIAN = r"(?:podiatrist|physio(?:therapist)?|doctor|gp|orthopa?edic\s+\w+|orthopa?edist|chiropodist|chiropractor|specialist|consultant|surgeon|clinician|sports\s+therapist)"
_GAIT_STATEMENTS: Sequence[Tuple[re.Pattern[str], Callable[[str], Optional[str]]]] = (
    (
        re.compile(
            r"\b(?:a|an|my|the)\s+(?P<span>" + _CLINICIAN + r"\s+(?:has\s+|had\s+|once\s+|also\s+)?"
            r"(?:said|told\s+me|diagnosed|found|confirmed|noticed|showed|says)\b[^.!?;]{0,40}?\b" + _CONDITION + r")",
            _FLAGS,
        ),
        lambda span: "yes",
    ),
    (
        re.compile(
            r"(?:\bi(?:"
            + _APOSTROPHE
            + r"ve|\s+have|\s+was|\s+got)|\bi"
            + _APOSTROPHE
            + r"?ve)\s+(?P<neg>never\s+|not\s+)?(?:been\s+)?(?P<span>diagnosed\s+with\s+(?:\w+\s+){0,2}?"
            + _CONDITION
            + r")",
            _FLAGS,
        ),
        lambda span: "yes",
    ),
    (
        re.compile(
            r"\b(?P<span>gait\s+(?:analysis|assessment)\b[^.!?;]{0,30}?\b(?:showed|found"
            r"|revealed)\s+(?:\w+\s+){0,2}?" + _CONDITION + r")",
            _FLAGS,
        ),
        lambda span: "yes",
    ),
)

# --- shoe_wear ------------------------------------------------------------------

_SHOE_WEAR_STATEMENTS: Sequence[Tuple[re.Pattern[str], Callable[[str], Optional[str]]]] = (
    (
        re.compile(
            r"\bmy\s+(?:shoes|soles|trainers|heels|boots|sneakers)\s+(?:always\s+|usually\s+|tend\s+to\s+"
            r"|seem\s+to\s+)?(?:wear|wears|wore|are\s+worn|get\s+worn)(?:\s+(?:out|down"
            r"|away))?\s+(?:first\s+)?(?:more\s+)?(?:on|at|along|down)\s+the\s+(?P<span>(?:inside|outside"
            r"|inner|outer)(?:\s+(?:edges?|sides?))?)",
            _FLAGS,
        ),
        lambda span: "inner" if span.lower().startswith(("inside", "inner")) else "outer",
    ),
    (
        re.compile(r"\bmy\s+(?:shoes|soles|trainers)\s+(?:wear|wear\s+out|wear\s+down)\s+(?P<span>evenly)\b", _FLAGS),
        lambda span: "even",
    ),
    (
        re.compile(
            r"\bthe\s+(?P<span>(?:inside|outside|inner|outer)\s+(?:edges?|sides?))\s+of\s+my\s+(?:shoes|soles"
            r"|trainers|heels|boots|sneakers)\s+(?:wears?|goes|go|is\s+worn|are\s+worn|gets?\s+worn)\b",
            _FLAGS,
        ),
        lambda span: "inner" if span.lower().startswith(("inside", "inner")) else "outer",
    ),
)

# --- pain_duration and insole_history ------------------------------------------------

_PAIN_CUE = re.compile(r"\b(?:pain|painful|hurt\w*|ach\w*|sore|back|it|this)\b", _FLAGS)
_PAIN_START = re.compile(
    r"\b(?:pain|it|this|back\s+pain|problem)\s+(?:started|began|came\s+on)\b|^\W*it(?:"
    + _APOSTROPHE
    + r"s|\s+has)\s+been\b",
    _FLAGS,
)
_NOT_PAIN_DURATION = re.compile(
    r"\b(?:insoles?|inserts?|orthotics?|orthoses|arch\s+supports?|shoes?|trainers|boots|years?\s+old"
    r"|aged?|married|job|worked|working|been\s+an?\s+\w+|lived|living|retired)\b",
    _FLAGS,
)
_DURATION_LEAD = re.compile(
    r"(?:\b(?:for|since|over\s+the\s+(?:last|past)|in\s+the\s+(?:last|past)|the\s+(?:last|past)"
    r"|these\s+(?:last|past)|it" + _APOSTROPHE + r"s\s+been|it\s+has\s+been)\s+"
    r"(?:(?:about|around|roughly|like|maybe|probably|at\s+least|almost|nearly|the\s+(?:last|past))\s+)?)$",
    _FLAGS,
)
_DURATION_TAIL = re.compile(r"^\s+(?:ago|now)\b", _FLAGS)
_INSOLE_CUE = re.compile(r"\b(?:insoles?|inserts?|orthotics?|orthoses|arch\s+supports?)\b", _FLAGS)
#: Reports without "I" that can only be the person's own: "never worn any inserts",
#: "insoles made it worse", "tried insoles, no change".
_IMPLIED_EXPERIENCE = re.compile(
    r"^\W*(?:never|tried|used|wore|been\s+(?:using|wearing))\b|\b(?:made|make)\s+it\s+(?:worse"
    r"|no\s+better)\b|\bmade\s+no\s+difference\b",
    _FLAGS,
)
_INSOLE_EXPERIENCE = re.compile(
    r"\b(?:tried|used|using|wore|worn|wearing|wear|bought|got|had|have)\b|\bmy\s+(?:insoles?|inserts?"
    r"|orthotics?)\b",
    _FLAGS,
)


def _sentences(text: str) -> Iterator[_Sentence]:
    for match in _SENTENCE.finditer(text):
        if match.group(0).strip():
            yield _Sentence(match.group(0), match.start())


def _question_spans(sentence: str) -> List[Tuple[int, int]]:
    """The parts of a sentence that ask rather than state, as ``(start, end)`` offsets.

    A sentence is cut at commas and semicolons; a part that opens with a question
    word ("can you help?", "do I need insoles") is a question. A sentence that ends
    with "?" but has no such part ("flat feet cause back pain?") is a question as a
    whole. So "my back has ached for three months, can you help?" still states its
    first part.
    """
    spans = []
    start = 0
    for boundary in [m.start() for m in _SEGMENT_BREAK.finditer(sentence)] + [len(sentence)]:
        if _QUESTION_START.match(sentence[start:boundary]):
            spans.append((start, boundary))
        start = boundary + 1
    if not spans and sentence.strip().endswith("?"):
        spans.append((0, len(sentence)))
    return spans


def _clause_before(sentence: str, position: int) -> str:
    """The part of the sentence's clause that comes before ``position``.

    Only the preceding ``_CONTEXT_CHARS`` are looked at, which keeps long run-on
    messages linear.
    """
    return _CLAUSE_BREAK.split(sentence[max(0, position - _CONTEXT_CHARS) : position])[-1]


def _is_claim(sentence: str, start: int) -> bool:
    """Whether a mention at ``start`` is stated as true of the person.

    Not when a negation occurs in the three words before it in the same clause, nor
    when the clause before it is conditional, hearsay, or about someone else.
    """
    before = _clause_before(sentence, start)
    window = " ".join(before.split()[-3:])
    return not _NEGATION.search(window) and not _NOT_A_CLAIM.search(before)


def _fact(slot: str, value: Union[str, int], sentence: _Sentence, start: int, end: int) -> Fact:
    absolute_start, absolute_end = sentence.start + start, sentence.start + end
    return Fact(slot, value, absolute_start, absolute_end, sentence.text[start:end])


def _statement_facts(
    slot: str,
    sentence: _Sentence,
    statements: Sequence[Tuple[re.Pattern[str], Callable[[str], Optional[str]]]],
) -> List[Fact]:
    facts = []
    for pattern, value_of in statements:
        for match in pattern.finditer(sentence.text):
            value = value_of(match.group("span"))
            if value is None or not _is_claim(sentence.text, match.start()):
                continue
            negated = ("neg" in pattern.groupindex and match.group("neg")) or _NEGATION.search(match.group("span"))
            if negated:
                # "The doctor said I don't have flat feet" is a statement of no diagnosis;
                # for other slots a negation inside the phrase makes it unreliable.
                if slot != GAIT_DIAGNOSIS:
                    continue
                value = "no"
            if slot == DAILY_LOAD and _PAST_JOB.search(match.group(0)):
                continue
            facts.append(_fact(slot, value, sentence, match.start("span"), match.end("span")))
    return facts


def _arch_facts(sentence: _Sentence) -> List[Fact]:
    facts = []
    for pattern in _ARCH_STATEMENTS:
        for match in pattern.finditer(sentence.text):
            span = match.group("span").lower()
            value = next((v for word, v in _ARCH_WORDS.items() if word in span), None)
            if value is not None and _is_claim(sentence.text, match.start()):
                facts.append(_fact(FOOT_ARCH, value, sentence, match.start("span"), match.end("span")))
    return facts


def _duration_facts(sentence: _Sentence) -> List[Fact]:
    facts = []
    for weeks, start, end in find_durations(sentence.text, include_relative=True):
        window_start = max(0, start - _CONTEXT_CHARS)
        lead = _DURATION_LEAD.search(sentence.text[window_start:start])
        tail = _DURATION_TAIL.match(sentence.text[end : end + 10])
        if lead is None and tail is None:
            continue
        clause = _clause_before(sentence.text, start) + sentence.text[start:end]
        has_person = _FIRST_PERSON.search(clause) and _PAIN_CUE.search(clause)
        if not (has_person or _PAIN_START.search(clause)) or _NOT_PAIN_DURATION.search(clause):
            continue
        # The span is what a person would point at: "for a month", "3 weeks ago",
        # but "six months" in "it's been six months now".
        span_start = (
            window_start + lead.start() if lead is not None and not lead.group(0).lower().startswith("it") else start
        )
        span_end = end + tail.end() if tail is not None and tail.group(0).strip().lower() == "ago" else end
        if not _is_claim(sentence.text, span_start):
            continue
        facts.append(_fact(PAIN_DURATION, duration_category(weeks), sentence, span_start, span_end))
    return facts


def _severity_facts(sentence: _Sentence) -> List[Fact]:
    found = find_explicit_severity(sentence.text)
    if found is None:
        return []
    score, start, end = found
    if _NOT_A_CLAIM.search(_clause_before(sentence.text, start)):
        return []
    return [_fact(PAIN_SEVERITY, score, sentence, start, end)]


def _insole_facts(sentence: _Sentence) -> List[Fact]:
    cue = _INSOLE_CUE.search(sentence.text)
    if cue is None or not (_FIRST_PERSON.search(sentence.text) or _IMPLIED_EXPERIENCE.search(sentence.text)):
        return []
    if _NOT_A_CLAIM.search(sentence.text[: cue.start()]):
        return []
    outcomes = find_insole_outcomes(sentence.text)
    if not outcomes:
        return []
    rank = {value: index for index, value in enumerate(INSOLE_PRIORITY)}
    value = min(outcomes, key=lambda outcome: rank[outcome[0]])[0]
    # "Insoles help" alone is an opinion; "insoles made it worse" is an experience.
    if value == "helped" and not _INSOLE_EXPERIENCE.search(sentence.text):
        return []
    start = min(cue.start(), min(s for _, s, _ in outcomes))
    end = max(cue.end(), max(e for _, _, e in outcomes))
    return [_fact(INSOLE_HISTORY, value, sentence, start, end)]


def extract_facts(text: str) -> List[Fact]:
    """Find assessment answers stated in a message.

    Recognises first-person statements of: arch type ("I'm flat-footed", "my arches
    are high"), daily load ("I'm a postman", "I stand all day at work"), pain duration
    ("my back has hurt for a month"), an explicit pain score ("pain is about 6/10"),
    leg length ("one leg is shorter than the other"), a clinician's diagnosis ("a
    podiatrist said I overpronate"), shoe wear ("my shoes wear on the inside") and an
    insole trial ("I tried insoles for 2 months and they made no difference"; its
    "2 months" is not the pain's duration). A later statement in the message does not
    replace an earlier one; callers that keep one value per slot take the last fact.

    Args:
        text: the person's message as typed; anything that is not a string gives no facts.

    Returns:
        The facts in the order they occur in the message.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    facts: List[Fact] = []
    for sentence in _sentences(text[:MAX_MESSAGE_CHARS]):
        found = (
            _arch_facts(sentence)
            + _statement_facts(DAILY_LOAD, sentence, _LOAD_STATEMENTS)
            + _duration_facts(sentence)
            + _severity_facts(sentence)
            + _statement_facts(LEG_LENGTH_DIFFERENCE, sentence, _LEG_STATEMENTS)
            + _statement_facts(GAIT_DIAGNOSIS, sentence, _GAIT_STATEMENTS)
            + _statement_facts(SHOE_WEAR, sentence, _SHOE_WEAR_STATEMENTS)
            + _insole_facts(sentence)
        )
        if found:
            questions = _question_spans(sentence.text)
            facts.extend(
                fact
                for fact in found
                if not any(start <= fact.start - sentence.start < end for start, end in questions)
            )
    return _deduplicated(sorted(facts, key=lambda fact: (fact.start, -fact.end)))


def _deduplicated(facts: Sequence[Fact]) -> List[Fact]:
    """Keep the first statement of each slot value, and one fact per phrase.

    "I'm a postman so I walk miles" states ``walking`` twice; two patterns can match
    one phrase. Different values for one slot are all kept, in order.
    """
    kept: List[Fact] = []
    for fact in facts:
        if any(
            k.slot == fact.slot and (k.value == fact.value or (k.start < fact.end and fact.start < k.end)) for k in kept
        ):
            continue
        kept.append(fact)
    return kept
