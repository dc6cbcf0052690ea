"""Interpreting a person's answer to one specific assessment question.

The assistant knows which question it asked, so an answer like "a few days", "nope" or
"a 7 I guess" can be read against that question's slot. Every parser returns the
contract's normalized value, or ``None`` when it cannot tell (the assistant then asks
again); none of them raises on any string.

Typos are tolerated by correcting each word against the small vocabulary of the
question being answered (one edit for words of 5-7 letters, two for longer words,
counting a swap of neighbouring letters as one edit), so "insde", "monts" and
"standng" are understood without letting unrelated words drift into answers.

Conventions worth knowing:

- Durations convert months as 52/12 weeks and years as 52 weeks. "3 months" is 13 weeks
  and so ``chronic``; "12 weeks" is ``subacute``.
- Ranges ("2-3 months", "8-9") take the higher figure: the more serious reading wins.
- A strict bound moves a duration by one day so the category honours it: "more than
  12 weeks" is chronic, "less than 6 weeks" is acute.
- ``gait_diagnosis`` has no ``unknown`` value: "not sure" means no diagnosis is known,
  so it is read as ``no``.
- ``red_flag_screen`` reads uncertainty ("not sure", "maybe") and negatives with an
  exception ("no, except ...") as ``positive``: for red flags, safety wins.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple, Union

from rapidfuzz.distance import OSA

from rasa_project.clinical.contract import (
    DAILY_LOAD,
    FOOT_ARCH,
    GAIT_DIAGNOSIS,
    INSOLE_HISTORY,
    LEG_LENGTH_DIFFERENCE,
    PAIN_DURATION,
    PAIN_SEVERITY,
    RED_FLAG_SCREEN,
    SEVERITY_MAX,
    SEVERITY_MIN,
    SHOE_WEAR,
)

#: Longest answer that is read; longer text is cut (answers are short, and this bounds work).
MAX_ANSWER_CHARS = 2000

WEEKS_PER_DAY = 1 / 7
WEEKS_PER_MONTH = 52 / 12
WEEKS_PER_YEAR = 52.0
ACUTE_LIMIT_WEEKS = 6.0
SUBACUTE_LIMIT_WEEKS = 12.0
#: Durations beyond this are not believable answers about back pain.
_MAX_DURATION_WEEKS = 100 * WEEKS_PER_YEAR

# ---------------------------------------------------------------------------
# Normalization and typo correction
# ---------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc`´]")
_WORD = re.compile(r"[a-z]+")


def _normalize(text: str) -> str:
    """Lowercase, unify apostrophes and dashes, collapse whitespace."""
    text = _APOSTROPHES.sub("'", text[:MAX_ANSWER_CHARS]).lower()
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


#: Real words one edit away from a vocabulary word that must stay as typed
#: ("talking" is not "walking", "tired" is not "tried").
_REAL_WORDS = frozenset(
    {
        "talking",
        "fitting",
        "setting",
        "hitting",
        "getting",
        "letting",
        "waking",
        "tired",
        "worst",
        "horse",
        "nurse",
        "words",
        "worth",
        "chance",
        "letter",
        "bitter",
        "butter",
        "finer",
        "infer",
        "hated",
        "night",
        "right",
        "light",
        "tight",
        "eight",
        "weight",
        "landing",
    }
)


def _max_edits(word: str) -> int:
    if len(word) >= 8:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def _correct_typos(text: str, vocabulary: FrozenSet[str]) -> str:
    """Replace each misspelt word by the vocabulary word closest to it.

    Only words of five letters or more are corrected, so short everyday words ("sit",
    "no", "hi") are never turned into something else. Ties go to the candidate of the
    most similar length, then alphabetically, so the result never depends on set order.
    """

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        limit = _max_edits(word)
        if word in vocabulary or limit == 0 or word in _REAL_WORDS:
            return word
        candidates = []
        for candidate in vocabulary:
            if abs(len(candidate) - len(word)) > limit:
                continue
            distance = OSA.distance(word, candidate, score_cutoff=limit)
            if distance <= limit:
                candidates.append((distance, abs(len(candidate) - len(word)), candidate))
        return min(candidates)[2] if candidates else word

    return _WORD.sub(replace, text)


def _prepare(text: object, vocabulary: Iterable[str] = ()) -> str:
    """Normalize ``text`` and correct typos against ``vocabulary``; non-strings give ``""``."""
    if not isinstance(text, str):
        return ""
    return _correct_typos(_normalize(text), frozenset(vocabulary))


# ---------------------------------------------------------------------------
# Shared phrase handling
# ---------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|"
    r"haven't|hasn't|hadn't|can't|cannot|won't|wouldn't|dont|doesnt|didnt|isnt|arent|havent|nothing)\b"
)

_DONT_KNOW = re.compile(
    r"\b(?:i\s+)?(?:don'?t|do\s+not|didn'?t|did\s+not)\s+(?:really\s+)?know\b(?:\s+(?:my|the|what"
    r"|which|if|whether|about|for\s+sure)\b[^.!?,;]*)?"
    r"|\bdunno\b|\bidk\b|\bidek\b|\bno\s+(?:idea|clue)\b|\bnot\s+(?:really\s+)?(?:sure|certain)\b"
    r"|\bunsure\b|\buncertain\b"
    r"|\b(?:haven'?t|have\s+not|never)\s+(?:got\s+)?(?:a\s+)?clue\b|\bcan'?t\s+(?:tell|say|remember)\b"
    r"|\bcannot\s+(?:tell|say)\b"
    r"|\bno\s+way\s+(?:of|to)\s+know(?:ing)?\b|\b(?:never|haven'?t|have\s+not)\s+(?:been\s+"
    r"|had\s+(?:it|them|that)\s+)?(?:checked|looked|noticed|measured|tested)\b"
    r"|\bwho\s+knows\b|\bbeats\s+me\b|^\s*\?+\s*$"
)
_DONT_KNOW_VOCABULARY = frozenset(
    {"sure", "dunno", "unsure", "certain", "uncertain", "remember", "checked", "noticed", "idea"}
)


def is_dont_know(text: str) -> bool:
    """Return whether ``text`` says the person does not know the answer.

    Matches "I don't know (my arch type)", "no idea", "not sure", "idk", "dunno",
    "never checked" and close misspellings. Non-strings give ``False``.
    """
    return bool(_DONT_KNOW.search(_prepare(text, _DONT_KNOW_VOCABULARY)))


def _without_dont_know(text: str) -> str:
    return _DONT_KNOW.sub(" ", text)


def _squeeze(word: str) -> str:
    """Collapse repeated letters, so "yesss", "noo" and "yeahh" read as their base word."""
    return re.sub(r"(.)\1+", r"\1", word)


_YES_WORDS = frozenset(
    {
        "yes",
        "yeah",
        "yea",
        "yep",
        "yup",
        "ya",
        "yah",
        "ye",
        "yas",
        "y",
        "sure",
        "definitely",
        "correct",
        "right",
        "affirmative",
        "indeed",
        "absolutely",
        "aye",
        "certainly",
        "true",
        "ok",
        "okay",
        "yesh",
        "yeh",
    }
)
_NO_WORDS = frozenset({"no", "nope", "nah", "na", "n", "never", "negative", "nay", "nop", "none", "noway"})
_YES_PHRASES = re.compile(
    r"\b(?:i\s+(?:do|did|have|am)|i'?ve\s+(?:got|been)|it\s+is|they\s+are|uh[\s-]?huh|of\s+course"
    r"|i\s+think\s+so|i\s+believe\s+so|i\s+guess\s+so|think\s+so)\b"
)
_NO_PHRASES = re.compile(
    r"\bnot\s+(?:that\s+i(?:'m|\s+am)?\s+(?:know|aware)|as\s+far\s+as\s+i\s+know|really|at\s+all"
    r"|to\s+my\s+knowledge)(?:\s+of)?\b"
    r"|\b(?:i\s+)?don'?t\s+think\s+so\b|\b(?:i\s+)?do\s+not\s+think\s+so\b|\bi\s+don'?t\s+believe\s+so\b"
    r"|\bi\s+(?:don'?t|do\s+not|haven'?t|have\s+not|am\s+not|'m\s+not)\b|\bi'm\s+not\b|\bno\s+way\b"
    r"|\bnever\s+have\b"
)


def _yes_no(text: str) -> Optional[str]:
    """Read a prepared answer as ``"yes"``, ``"no"`` or ``None`` (unclear or contradictory)."""
    if _NO_PHRASES.search(text):
        found = {"no"}
        rest = _NO_PHRASES.sub(" ", text)
    else:
        found = set()
        rest = text
    if _YES_PHRASES.search(rest):
        found.add("yes")
    for word in _WORD.findall(rest):
        squeezed = _squeeze(word)
        if word in _YES_WORDS or squeezed in _YES_WORDS:
            found.add("yes")
        elif word in _NO_WORDS or squeezed in _NO_WORDS:
            found.add("no")
    return found.pop() if len(found) == 1 else None


def _mentions(text: str, patterns: Sequence[Tuple[str, re.Pattern[str]]]) -> Tuple[List[str], List[str]]:
    """Find which values the patterns mention, split into affirmed and negated mentions.

    A mention is negated when a negation word occurs in the three words before it
    within the same clause ("not flat", "they aren't high").
    """
    affirmed: List[str] = []
    negated: List[str] = []
    for value, pattern in patterns:
        for match in pattern.finditer(text):
            clause = re.split(r"[,.;!?]|\bbut\b", text[: match.start()])[-1]
            window = " ".join(clause.split()[-3:])
            target = negated if _NEGATION.search(window) else affirmed
            if value not in target:
                target.append(value)
    return affirmed, negated


def _single(values: Sequence[str]) -> Optional[str]:
    return values[0] if len(set(values)) == 1 else None


def _compile(pairs: Sequence[Tuple[str, str]]) -> List[Tuple[str, re.Pattern[str]]]:
    return [(value, re.compile(pattern)) for value, pattern in pairs]


def _vocabulary(*groups: Iterable[str]) -> FrozenSet[str]:
    return frozenset(word for group in groups for word in group)


# ---------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------

_NUMBER_WORDS: Dict[str, float] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
}
_QUANTITY_WORDS: Dict[str, float] = {
    "a": 1,
    "an": 1,
    "a single": 1,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "couple": 2,
    "a few": 3,
    "few": 3,
    "several": 4,
    "a dozen": 12,
    "dozen": 12,
    "half a": 0.5,
    "half an": 0.5,
    "a half": 0.5,
}
_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r"|"
    + "|".join(re.escape(q) for q in sorted(_QUANTITY_WORDS, key=len, reverse=True))
    + r")"
)
_UNIT_WEEKS: Dict[str, float] = {
    "day": WEEKS_PER_DAY,
    "week": 1.0,
    "fortnight": 2.0,
    "month": WEEKS_PER_MONTH,
    "year": WEEKS_PER_YEAR,
}
_UNIT = r"(?P<unit>days?|weeks?|wks?|fortnights?|months?|mths?|mnths?|mos?|years?|yrs?)"
#: One-letter units count only straight after digits ("3w", "10d").
_DIGIT_UNIT = r"(?P<short_unit>d|w|y)"
_LOWER_BOUND = r"more\s+than|over|longer\s+than|upwards\s+of|well\s+over|just\s+over|past"
_UPPER_BOUND = r"less\s+than|under|not\s+even|almost|nearly|just\s+under|not\s+quite|shy\s+of"
_DURATION = re.compile(
    r"(?<![\w.,])"
    r"(?:(?P<lower>" + _LOWER_BOUND + r")\s+|(?P<upper>" + _UPPER_BOUND + r")\s+)?"
    r"(?:(?:about|around|approximately|roughly|like|maybe|probably|at\s+least|some)\s+)?"
    r"(?:(?P<quantity>" + _NUMBER + r")(?P<half1>\s+and\s+a\s+half)?"
    r"(?:\s*(?:-|to|or)\s*(?P<upto>" + _NUMBER + r")(?P<half2>\s+and\s+a\s+half)?)?\s*)?"
    r"(?:(?<![a-z])" + _UNIT + r"|(?<=\d)" + _DIGIT_UNIT + r")\b"
    r"(?:\s+or\s+(?P<or_more>so|two|three|more))?"
    r"(?P<half3>\s+and\s+a\s+half)?",
    re.IGNORECASE,
)
_PLURAL_UNITS = frozenset({"days", "weeks", "fortnights", "months", "years"})
_RELATIVE_DAYS: Sequence[Tuple[re.Pattern[str], float]] = (
    (
        re.compile(
            r"\b(?:today|this\s+morning|tonight|this\s+afternoon|this\s+evening|last\s+night|hours?\s+ago"
            r"|an\s+hour)\b",
            re.I,
        ),
        0.0,
    ),
    (re.compile(r"\b(?:(?:the\s+)?day\s+before\s+yesterday|the\s+other\s+day)\b", re.I), 2 * WEEKS_PER_DAY),
    (re.compile(r"\byesterday\b", re.I), 1 * WEEKS_PER_DAY),
    (re.compile(r"\b(?:since\s+the\s+weekend|over\s+the\s+weekend|last\s+weekend)\b", re.I), 5 * WEEKS_PER_DAY),
    (
        re.compile(
            r"\blast\s+week\b|\bsince\s+(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday"
            r"|sunday)\b",
            re.I,
        ),
        1.0,
    ),
    (re.compile(r"\blast\s+month\b", re.I), WEEKS_PER_MONTH),
)
# "last year" is left out: in January it may be a few weeks ago.
# Number words are left out of the typo vocabularies: "right" and "night" are one
# edit from "eight".
_DURATION_VOCABULARY = _vocabulary(
    (
        "days",
        "weeks",
        "months",
        "years",
        "month",
        "week",
        "couple",
        "several",
        "fortnight",
        "yesterday",
        "today",
        "about",
        "around",
        "nearly",
        "almost",
        "roughly",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )
)


def _quantity(word: Optional[str]) -> Optional[float]:
    if word is None:
        return None
    word = re.sub(r"\s+", " ", word.lower())
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    if word in _QUANTITY_WORDS:
        return _QUANTITY_WORDS[word]
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _unit_weeks(match: re.Match[str]) -> float:
    unit = (match.group("unit") or match.group("short_unit")).lower()
    if unit.startswith("d"):
        return _UNIT_WEEKS["day"]
    if unit.startswith("f"):
        return _UNIT_WEEKS["fortnight"]
    if unit.startswith("w"):
        return _UNIT_WEEKS["week"]
    if unit.startswith("m"):
        return _UNIT_WEEKS["month"]
    return _UNIT_WEEKS["year"]


def _duration_of(match: re.Match[str]) -> Optional[float]:
    """The length in weeks of one duration match, or ``None`` when it has no amount."""
    unit = _unit_weeks(match)
    amount = _quantity(match.group("quantity"))
    if amount is None:
        if (match.group("unit") or "").lower() not in _PLURAL_UNITS:
            return None
        # A bare plural ("for months", "years") is read as its smallest plural: two.
        amount = 2.0
    if match.group("half1"):
        amount += 0.5
    upto = _quantity(match.group("upto"))
    if upto is not None:
        amount = max(amount, upto + (0.5 if match.group("half2") else 0.0))
    or_more = (match.group("or_more") or "").lower()
    if or_more in ("two", "three"):
        amount = max(amount, _NUMBER_WORDS[or_more])
    if match.group("half3"):
        amount += 0.5
    weeks = amount * unit
    if match.group("lower") or or_more == "more":
        weeks += WEEKS_PER_DAY
    elif match.group("upper"):
        weeks = max(0.0, weeks - WEEKS_PER_DAY)
    return weeks


def find_durations(text: str, *, include_relative: bool = False) -> List[Tuple[float, int, int]]:
    """Find spoken durations in ``text``: ``(weeks, start, end)`` with offsets into ``text``.

    Recognises digits and number words with a unit ("6 weeks", "two months", "3wks",
    "a year and a half", "a couple of weeks", "2-3 months") and bounds ("over a
    year"). With ``include_relative``, points in the recent past count too, measured
    back to now ("yesterday" -> 1/7, "last week" -> 1, "this morning" -> 0). Results
    are in the order they occur. Non-strings give an empty list.
    """
    if not isinstance(text, str):
        return []
    found = []
    for match in _DURATION.finditer(text):
        if not match.group(0).strip():
            continue
        weeks = _duration_of(match)
        if weeks is not None and 0 <= weeks <= _MAX_DURATION_WEEKS:
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            end = match.start() + len(match.group(0).rstrip())
            found.append((weeks, start, end))
    if include_relative:
        taken = [(start, end) for _, start, end in found]
        for pattern, weeks in _RELATIVE_DAYS:
            for match in pattern.finditer(text):
                if not any(start < match.end() and match.start() < end for start, end in taken):
                    found.append((weeks, match.start(), match.end()))
                    taken.append((match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


_SINCE_YEAR = re.compile(r"\bsince\s+(?:early\s+|late\s+|mid[- ]?)?(?P<year>(?:19|20)\d\d)\b")


def _weeks_since_year(text: str, today: date) -> Optional[float]:
    """The shortest time since an earlier year ("since 2019" -> since 31 Dec 2019).

    The current year gives ``None``: "since 2026" in March may be weeks or months.
    """
    match = _SINCE_YEAR.search(text)
    if match is None or not 1900 < int(match.group("year")) < today.year:
        return None
    return (today - date(int(match.group("year")), 12, 31)).days / 7


def parse_duration_weeks(text: str, *, today: Optional[date] = None) -> Optional[float]:
    """Read how long the pain has lasted, in weeks.

    Understands digits and number words with units ("6 weeks", "3 wks", "about two
    months" -> 8.67), fractions ("a year and a half" -> 78), vague amounts ("a couple
    of weeks" -> 2, "a few days" -> 3/7, "several months" -> 4 months), bare plurals
    ("for years" -> 2 years), bounds ("more than 12 weeks" -> 12 weeks and a day) and
    recent days ("since yesterday", "this morning", "since Monday" -> at most a week).
    An earlier year counts from its last day ("since 2019"), the shortest reading.
    Months are 52/12 weeks. When several durations are given the longest counts, so
    "ages, over a year" is read as just over a year. Other dates and vague words
    ("since Christmas", "since March", "for ages", "a while") give ``None``, so the
    question is asked again.

    Args:
        text: the answer.
        today: the date "since 2019" is measured to; defaults to today.

    Returns:
        The duration in weeks, or ``None`` if none can be read.
    """
    prepared = _prepare(text, _DURATION_VOCABULARY)
    if not prepared:
        return None
    candidates = [weeks for weeks, _, _ in find_durations(prepared, include_relative=True)]
    since_year = _weeks_since_year(prepared, today or date.today())
    if since_year is not None:
        candidates.append(since_year)
    return max(candidates) if candidates else None


def duration_category(weeks: float) -> str:
    """Map a duration in weeks to the ``pain_duration`` category.

    ``acute`` below 6 weeks, ``subacute`` from 6 to 12 weeks inclusive, ``chronic``
    above 12 weeks. With months at 52/12 weeks, "3 months" (13 weeks) is chronic.

    Raises:
        ValueError: if ``weeks`` is negative or not a finite number.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, (int, float)) or not math.isfinite(weeks) or weeks < 0:
        raise ValueError(f"not a duration in weeks: {weeks!r}")
    if weeks < ACUTE_LIMIT_WEEKS:
        return "acute"
    if weeks <= SUBACUTE_LIMIT_WEEKS:
        return "subacute"
    return "chronic"


# ---------------------------------------------------------------------------
# Severity
# ---------------------------------------------------------------------------

_SEVERITY_NUMBER_WORDS = {word: value for word, value in _NUMBER_WORDS.items() if value <= 20}
_SEVERITY_NUMBER = r"(?:\d{1,3}(?:[.,]\d+)?|" + "|".join(sorted(_SEVERITY_NUMBER_WORDS, key=len, reverse=True)) + r")"
_SEVERITY_RANGE = r"(?P<low>" + _SEVERITY_NUMBER + r")(?:\s*(?:-|to|or)\s*(?P<high>" + _SEVERITY_NUMBER + r"))?"
_NOT_A_SCORE = r"(?!\s*(?:%|percent|pm|am|o'?clock|:\d|days?\b|weeks?\b|wks?\b|months?\b|mos?\b|years?\b|yrs?\b|hours?\b|hrs?\b|minutes?\b|mins?\b|times?\b|kg\b|lbs?\b|pounds?\b|kilos?\b|cm\b|km\b|miles?\b|steps?\b|legs?\b|feet\b|foot\b))"
#: Explicit forms: a score out of ten, or a number said to be the pain.
_EXPLICIT_SEVERITY: Sequence[re.Pattern[str]] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"(?<![\w.])"
        + _SEVERITY_RANGE
        + r"\s*(?:/|out\s+of|outta|of|over|on\s+a\s+scale\s+of)\s*(?:10|ten)\b(?!\s*(?:-|to)\s*\d)",
        r"(?<![\w.])" + _SEVERITY_RANGE + r"\s+on\s+(?:a|the)\s+(?:pain\s+)?scale\b",
        r"\bpain(?:\s+level|\s+score)?\s*(?:['\u2019]s|is|was|['\u2019]s\s+at|is\s+at|sits\s+at|at|around"
        r"|about|of)\s+"
        r"(?:(?:a|an|about|around|like|maybe|roughly|probably|solid|good|at|level|usually|generally|mostly"
        r"|constantly)\s+)*"
        + _SEVERITY_RANGE
        + r"(?![\w.,]\d)"
        + _NOT_A_SCORE
        + r"(?=\s*(?:/|out\b|on\b|\b(?:i|and|but|or|most|right|today|now|at|usually|when|if)\b|[.,!?;)]|$))",
    )
)
_BARE_NUMBER = re.compile(
    r"(?<![\w.,/-])(?P<low>"
    + _SEVERITY_NUMBER
    + r")(?:\s*(?:-|to|or)\s*(?P<high>"
    + _SEVERITY_NUMBER
    + r"))?(?![\w.,]*\d)(?!\s*/)"
    + _NOT_A_SCORE,
    re.IGNORECASE,
)
#: Descriptive answers to "how bad is it, 0-10?". Checked longest first.
SEVERITY_WORDS: Dict[str, int] = {
    "no pain": 0,
    "pain free": 0,
    "pain-free": 0,
    "doesn't hurt": 0,
    "barely": 1,
    "very mild": 2,
    "hardly": 1,
    "mild": 3,
    "slight": 3,
    "a little": 3,
    "not too bad": 3,
    "not bad": 3,
    "minor": 3,
    "low": 3,
    "moderate": 5,
    "medium": 5,
    "so-so": 5,
    "so so": 5,
    "manageable": 5,
    "average": 5,
    "middling": 5,
    "quite bad": 7,
    "pretty bad": 7,
    "bad": 7,
    "strong": 7,
    "high": 7,
    "really bad": 8,
    "very bad": 8,
    "severe": 8,
    "terrible": 8,
    "awful": 8,
    "horrible": 8,
    "intense": 8,
    "very severe": 9,
    "extreme": 9,
    "horrendous": 9,
    "excruciating": 10,
    "unbearable": 10,
    "agony": 10,
    "agonising": 10,
    "agonizing": 10,
    "worst pain": 10,
    "worst ever": 10,
    "worst imaginable": 10,
    "the worst": 10,
}
_SEVERITY_WORD = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(SEVERITY_WORDS, key=len, reverse=True)) + r")\b"
)
_SEVERITY_VOCABULARY = _vocabulary(w for w in SEVERITY_WORDS if " " not in w)


def _severity_number(word: Optional[str]) -> Optional[float]:
    if word is None:
        return None
    word = word.lower()
    if word in _SEVERITY_NUMBER_WORDS:
        return float(_SEVERITY_NUMBER_WORDS[word])
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _score(low: Optional[str], high: Optional[str], *, out_of_ten: bool) -> Optional[int]:
    """Turn a number or range into a 0-10 score, or ``None`` when it is not one.

    The higher end of a range and the next whole number of a fraction count. A score
    written out of ten above ten ("15/10") is an emphatic maximum and reads as 10; a
    bare number above ten is not a score.
    """
    values = [v for v in (_severity_number(low), _severity_number(high)) if v is not None]
    if not values:
        return None
    value = max(values)
    if value > SEVERITY_MAX:
        return SEVERITY_MAX if out_of_ten and min(values) <= 100 else None
    return max(SEVERITY_MIN, math.ceil(value))


def find_explicit_severity(text: str) -> Optional[Tuple[int, int, int]]:
    """Find an explicit pain score in ``text``: ``(score, start, end)``, offsets into ``text``.

    Explicit forms are a score out of ten ("7/10", "seven out of ten", "8-9/10",
    "6 on the pain scale") and a number said to be the pain ("pain is a 7", "the pain
    is about 6"). When several are given, the highest counts. Non-strings and text
    without an explicit score give ``None``.
    """
    if not isinstance(text, str):
        return None
    best: Optional[Tuple[int, int, int]] = None
    for index, pattern in enumerate(_EXPLICIT_SEVERITY):
        for match in pattern.finditer(text):
            # Only the "out of ten" forms may exceed ten emphatically ("12/10").
            score = _score(match.group("low"), match.group("high"), out_of_ten=index == 0)
            if score is not None and (best is None or score > best[0]):
                best = (score, match.start(), match.end())
    return best


def parse_severity(text: str, *, bare_number_ok: bool = True) -> Optional[int]:
    """Read a pain score from 0 to 10.

    Explicit forms always count ("7/10", "seven out of ten", "pain is a 7"). With
    ``bare_number_ok`` (the person is answering the severity question) a bare number
    counts too ("a 7 I guess" -> 7), and so do descriptive words, mapped by
    :data:`SEVERITY_WORDS` ("mild" -> 3, "moderate" -> 5, "bad" -> 7, "severe" -> 8,
    "unbearable" -> 10). Ranges take the higher end ("8-9" -> 9) and fractions round up
    ("6.5" -> 7), so an uncertain answer errs on the serious side. A bare number out of
    range ("15") gives ``None``; numbers with units ("3 weeks", "5 kg") are not scores.
    Without ``bare_number_ok`` only explicit numeric forms count, since words and bare
    numbers mean nothing outside the question.
    """
    prepared = _prepare(text, _SEVERITY_VOCABULARY)
    if not prepared:
        return None
    explicit = find_explicit_severity(prepared)
    if explicit is not None:
        return explicit[0]
    if not bare_number_ok:
        return None
    numbers = list(_BARE_NUMBER.finditer(prepared))
    if numbers:
        scores = [_score(m.group("low"), m.group("high"), out_of_ten=False) for m in numbers]
        valid = [s for s in scores if s is not None]
        return max(valid) if valid else None
    words = [
        SEVERITY_WORDS[m.group(0)]
        for m in _SEVERITY_WORD.finditer(prepared)
        # "not severe" says nothing about how bad it is; "not bad" is listed itself.
        if not _NEGATION.search(" ".join(prepared[: m.start()].split()[-2:]))
    ]
    return max(words) if words else None


# ---------------------------------------------------------------------------
# Categorical answers
# ---------------------------------------------------------------------------

_ARCH_PATTERNS = _compile(
    [
        (
            "flat",
            r"\bflat\b|\blow\b|\b(?:whole|entire|full)\s+(?:foot|sole|footprint)\b|\bflat[- ]?foot(?:ed)?\b"
            r"|\bfallen\s+arch|\bcollapsed\s+arch|\blow\s+arch|\bno\s+arch|\bpes\s+planus\b|\bpancakes?\b"
            r"|\barch(?:es)?\s+(?:are|is)\s+(?:very\s+|quite\s+|pretty\s+)?low\b",
        ),
        (
            "high",
            r"\bhigh\b|\bonly\b[^.,;]{0,30}\bheel\s+and\s+(?:the\s+)?ball\b|\bthin\s+strip\b|\bhi(?:hg|gth"
            r"|ght)\b|\bhigh[- ]?arch|\btall\s+arch|\bpes\s+cavus\b|\bvery\s+arched\b|\bbig\s+arch"
            r"|\barch(?:es)?\s+(?:are|is)\s+(?:very\s+|quite\s+|pretty\s+)?(?:high|tall)\b",
        ),
        (
            "normal",
            r"\bnormal\b|\bfine\b|\bordinary\b|\baverage\b|\bregular\b|\bmedium\b|\bneutral\b|\btypical\b"
            r"|\bstandard\b|\bnothing\s+(?:special|unusual)\b|\bin\s+between\b|\bmiddle\b",
        ),
    ]
)
_SHOE_WEAR_PATTERNS = _compile(
    [
        ("inner", r"\binside|\binner|\binwards?\b|\binstep\b|\bbig\s+toe\s+side\b|\bmedial\b|\barch\s+side\b"),
        ("outer", r"\boutside|\bouter|\boutwards?\b|\blittle\s+toe\s+side\b|\bpinky\s+toe\s+side\b|\blateral\b"),
        (
            "even",
            r"\bevenly\b|\beven\b|\bsame\s+(?:all\s+over|everywhere)\b|\ball\s+over\b|\bequally\b"
            r"|\buniform(?:ly)?\b|\bno\s+particular\s+(?:side|place|pattern)\b|\bsymmetric",
        ),
    ]
)
_LEG_YES = re.compile(
    r"\bshorter\b|\blonger\b|\buneven\b|\bdifferent\s+lengths?\b|\bdiscrepancy\b|\bdifference\b"
    r"|\bnot\s+the\s+same\s+length\b|\bnot\s+equal\b|\blopsided\b"
)
_LEG_NO = re.compile(r"\bsame\s+length\b|\bthe\s+same\b|\bequal(?:\s+length)?\b|\beven\b|\bmatch\b|\bidentical\b")
_GAIT_YES = re.compile(
    r"\bdiagnos\w*|\b(?:podiatrist|physio\w*|doctor|gp|orthopaedi\w*|orthopedi\w*|chiropodist"
    r"|chiropractor|clinician|specialist|consultant)\b[^.!?]*\b(?:said|told|found|confirmed|think"
    r"|thinks|noticed)\b"
    r"|\boverpronat\w*|\bsupinat\w*|\bexcessive\s+pronation\b|\bgait\s+(?:problem|abnormality|issue"
    r"|disorder|analysis\s+showed)\b"
)
_LOAD_PATTERNS = _compile(
    [
        (
            "standing",
            r"\bstand(?:s|ing)?\b|\bstood\b|\bon\s+my\s+feet\b|\bon\s+your\s+feet\b|\btill\b|\bcashier\b"
            r"|\bcheckout\b|\bcounter\b|\bhairdress\w*|\bbarber\b|\bchef\b|\bcook\b|\bbartender\b|\bfactory\b"
            r"|\bassembly\s+line\b|\bshop\s+assistant\b|\bretail\b|\bsurgeon\b|\bproduction\s+line\b",
        ),
        (
            "walking",
            r"\bwalk(?:s|ing|ed)?\b|\bpostman\b|\bpostwoman\b|\bpostie\b|\bmail\s*(?:man|woman|carrier)\b"
            r"|\bletter\s+carrier\b|\bcourier\b|\bwait(?:er|ress|ing\s+tables)\b|\bdog\s+walker\b|\bhik(?:e"
            r"|ing)\b|\bsteps\b|\bnurse\b|\btour\s+guide\b|\bdelivering\b|\bpatrol\w*\b|\bon\s+the\s+move\b"
            r"|\bback\s+and\s+forth\b",
        ),
        (
            "sitting",
            r"\bsit(?:s|ting)?\b|\bsat\b|\bseated\b|\bdesk\b|\boffice\b|\bcomputer\b|\bscreen\b|\bdriv(?:e|er"
            r"|ing)\b|\bchair\b|\bsedentary\b|\bwork\s+from\s+home\b|\bwfh\b|\bprogrammer\b|\bdeveloper\b"
            r"|\baccountant\b|\breceptionist\b|\bcall\s+cent(?:re|er)\b|\blaptop\b|\bcouch\b|\bsofa\b",
        ),
        (
            "mixed",
            r"\bmix(?:ed|ture)?\b|\bbit\s+of\s+(?:everything|both|all)\b|\bvar(?:ies|ied|ying)\b|\bboth\b"
            r"|\bcombination\b|\ball\s+sorts\b|\bhalf\s+and\s+half\b|\ball\s+of\s+(?:them|those|the\s+above)\b"
            r"|\bdepends\b|\bbalance\b",
        ),
    ]
)
_INSOLE_PATTERNS: Sequence[Tuple[Optional[str], re.Pattern[str]]] = [
    # Order matters: each match is blanked out before the next pattern runs, so "no
    # better" is consumed as no_change before "better" could read as helped.
    (
        None,
        re.compile(
            r"\b(?:not|no|never|didn'?t\s+make\s+(?:it|things|my\s+\w+)|did\s+not\s+make\s+(?:it"
            r"|things))\s+(?:any\s+)?worse\b"
        ),
    ),
    (
        "no_change",
        re.compile(
            r"\bno\s+(?:real\s+|noticeable\s+)?(?:difference|change|better|effect|improvement|help|good|use"
            r"|luck)\b|\bnot\s+(?:any\s+|much\s+)?(?:better|different)\b|\bnever\s+(?:really\s+)?(?:helped"
            r"|worked|made\s+a\s+difference|did\s+anything)\b"
            r"|\b(?:didn'?t|did\s+not|don'?t|do\s+not|doesn'?t|does\s+not|haven'?t|hasn'?t|wasn'?t"
            r"|weren'?t)\s+(?:really\s+|seem\s+to\s+|make\s+(?:a|any)\s+)?(?:help|work|do\s+(?:anything|much)"
            r"|change|difference|improve|any\s+good|make\s+a\s+difference)\w*"
            r"|\b(?:did|does|do|made|make|makes)\s+nothing\b|\bsame\s+as\s+before\b|\bthe\s+same\b|\buseless\b"
            r"|\bwaste\b|\bpointless\b|\bstill\s+(?:hurts|the\s+same|sore|painful|bad)\b"
            r"|\bstopped\s+(?:working|helping)\b|\bwore\s+off\b|\bno\s+dice\b"
        ),
    ),
    (
        "none",
        re.compile(
            r"\b(?:never|haven'?t|have\s+not|not\s+yet|didn'?t|did\s+not)\s+(?:ever\s+)?(?:tried|used|worn"
            r"|wore|try|use|wear|had|bought|got)\b|\bnever\b|\bnot\s+yet\b|\bno\s+insoles\b|\bnone\b|\bnope\b"
            r"|\bnah\b|\bno\b(?!\s+(?:difference|change|better|effect|improvement|help|good|use|luck))"
        ),
    ),
    (
        "worse",
        re.compile(
            r"\bworse\b|\bworsened\b|\bhurt\s+more\b|\bmore\s+pain\b|\baggravat\w*|\bmade\s+it\s+hurt\b"
            r"|\bincreased\s+the\s+pain\b"
        ),
    ),
    (
        "helped",
        re.compile(
            r"\bhelp(?:ed|s|ful)?\b|\bbetter\b|\bimproved?\b|\bworked\b|\bworks\b|\beased\b|\brelie(?:f|ved)\b"
            r"|\bgood\b|\bgreat\b|\bless\s+pain\b|\bdifference\b"
        ),
    ),
]
_NEVER_TRIED = re.compile(
    r"\b(?:never|haven'?t|have\s+not|not\s+yet|didn'?t|did\s+not)\s+(?:ever\s+)?(?:tried|used|worn"
    r"|wore|try|use|wear|had|bought|got)\b"
)
#: When an answer mentions several outcomes, the most serious one counts.
INSOLE_PRIORITY = ("worse", "no_change", "helped", "none")
_SCREEN_EXCEPTION = re.compile(
    r"\b(?:but|except|apart\s+from|other\s+than|besides|aside\s+from|although|though|however)\b"
)
#: An exception that is only the back pain itself ("none apart from the back pain").
_ONLY_THE_BACK_PAIN = re.compile(
    r"^\W*(?:(?:the|my|this)\s+)?(?:back\s*(?:pain|ache)?|pain|backache|lower\s+back\s+pain)(?:\s+itself)?\W*$"
)
_HEDGE = re.compile(r"\b(?:maybe|possibly|perhaps|might|could\s+be|kind\s+of|sort\s+of)\b")
_SCREEN_CLEAR = re.compile(
    r"\bnone\b|\bnothing\b|\bneither\b|\bno\s+to\s+(?:all|everything|both)\b|\ball\s+no\b"
    r"|\bnot\s+(?:any|one)\b|\bnope\b|\bnah\b|\bno\b"
    r"|\bdon'?t\s+have\s+any\b|\bhaven'?t\s+had\s+any\b|\bnot\s+that\s+i\s+(?:know|am\s+aware)\b"
)
_SCREEN_POSITIVE = re.compile(
    r"\b(?:one|two|some|a\s+few|a\s+couple|all|several|both|first|second|third|last)\s+(?:of\s+(?:them"
    r"|those|these)|one|ones)\b"
    r"|\bmaybe\b|\bpossibly\b|\bperhaps\b|\bmight\b|\bkind\s+of\b|\bsort\s+of\b|\ba\s+(?:little|bit)\b"
    r"|\bsometimes\b|\bthat\s+one\b|\bthe\s+\w+(?:ness|ing)\b"
)


def _parse_arch(text: str) -> Optional[str]:
    prepared = _prepare(
        text,
        (
            "flat",
            "footed",
            "fallen",
            "arches",
            "arched",
            "normal",
            "average",
            "regular",
            "collapsed",
            "pancakes",
            "medium",
            "typical",
            "neutral",
            "planus",
            "cavus",
        ),
    )
    # Values inside "I don't know if they're flat" are not answers.
    affirmed, negated = _mentions(_without_dont_know(prepared), _ARCH_PATTERNS)
    if _single(affirmed):
        return affirmed[0]
    if not affirmed and {"flat", "high"} <= set(negated):
        return "normal"
    if is_dont_know(prepared) or len(set(affirmed)) > 1:
        return "unknown" if is_dont_know(prepared) else None
    return None


def _parse_shoe_wear(text: str) -> Optional[str]:
    prepared = _prepare(
        text,
        (
            "inside",
            "insides",
            "inner",
            "inwards",
            "outside",
            "outsides",
            "outer",
            "outwards",
            "evenly",
            "equally",
            "uniformly",
            "instep",
        ),
    )
    affirmed, _ = _mentions(_without_dont_know(prepared), _SHOE_WEAR_PATTERNS)
    if _single(affirmed):
        return affirmed[0]
    if is_dont_know(prepared):
        return "unknown"
    return None


def _parse_leg_length(text: str) -> Optional[str]:
    prepared = _prepare(
        text,
        (
            "shorter",
            "longer",
            "uneven",
            "different",
            "discrepancy",
            "difference",
            "length",
            "lengths",
            "identical",
            "equal",
        ),
    )
    known = _without_dont_know(prepared)
    differences = list(_LEG_YES.finditer(known))
    if differences:
        # "no difference", "not shorter": a negated difference is a no.
        negated = any(_NEGATION.search(" ".join(known[: m.start()].split()[-3:])) for m in differences)
        return "no" if negated else "yes"
    if _LEG_NO.search(known):
        return "no"
    answer = _yes_no(known)
    if answer is not None:
        return answer
    return "unknown" if is_dont_know(prepared) or _HEDGE.search(prepared) else None


def _parse_gait(text: str) -> Optional[str]:
    prepared = _prepare(
        text,
        (
            "diagnosed",
            "diagnosis",
            "podiatrist",
            "physio",
            "physiotherapist",
            "orthopaedist",
            "overpronate",
            "overpronation",
            "supinate",
            "supination",
            "clinician",
            "specialist",
        ),
    )
    answer = _yes_no(_without_dont_know(prepared))
    if answer is not None:
        return answer
    for match in _GAIT_YES.finditer(prepared):
        window = " ".join(prepared[: match.start()].split()[-3:])
        return "no" if _NEGATION.search(window) else "yes"
    # No diagnosis is known to the person: the contract has no "unknown" here.
    return "no" if is_dont_know(prepared) else None


def _parse_daily_load(text: str) -> Optional[str]:
    prepared = _prepare(
        text,
        (
            "standing",
            "walking",
            "sitting",
            "postman",
            "cashier",
            "office",
            "seated",
            "hairdresser",
            "mixture",
            "combination",
            "everything",
            "varies",
            "courier",
            "sedentary",
        ),
    )
    affirmed, _ = _mentions(prepared, _LOAD_PATTERNS)
    values = set(affirmed)
    if "mixed" in values or ("sitting" in values and len(values) > 1):
        return "mixed"
    if values == {"standing", "walking"}:
        # Both mean being on one's feet and lead to the same advice; walking is the
        # more specific of the two ("on my feet all day, walking the wards").
        return "walking"
    return _single(affirmed)


def find_insole_outcomes(text: str, *, bare_answers: bool = False) -> List[Tuple[str, int, int]]:
    """Find what an insole trial did, as ``(insole_history value, start, end)`` matches.

    Reads "made no difference"/"didn't help" (``no_change``), "made it worse"
    (``worse``), "helped a bit" (``helped``) and "never tried" (``none``); "didn't
    make it worse" is recognised and ignored. Offsets index into ``text``, which is
    read case-insensitively as given (no typo correction).

    Args:
        text: the message or answer.
        bare_answers: also read bare replies to the insole question ("no",
            "nope", "never") as ``none``; only right when the question was asked.
    """
    if not isinstance(text, str):
        return []
    # Same-length lowercasing keeps the offsets valid for the caller.
    rest = "".join(c.lower() if len(c.lower()) == 1 else c for c in _APOSTROPHES.sub("'", text))
    found: List[Tuple[str, int, int]] = []
    for value, pattern in _INSOLE_PATTERNS:
        if value == "none" and not bare_answers:
            pattern = _NEVER_TRIED
        for match in pattern.finditer(rest):
            if value is not None:
                found.append((value, match.start(), match.end()))
        rest = pattern.sub(lambda m: " " * len(m.group(0)), rest)
    return found


def _parse_insole_history(text: str) -> Optional[str]:
    prepared = _prepare(
        text,
        (
            "helped",
            "better",
            "improved",
            "worse",
            "difference",
            "change",
            "useless",
            "never",
            "tried",
            "aggravated",
            "worked",
        ),
    )
    found = {value for value, _, _ in find_insole_outcomes(prepared, bare_answers=True)}
    for value in INSOLE_PRIORITY:
        if value in found:
            return value
    return None


def _parse_red_flag_screen(text: str) -> Optional[str]:
    prepared = _prepare(text, ("none", "nothing", "neither"))
    if not prepared:
        return None
    if _SCREEN_POSITIVE.search(prepared):
        return "positive"
    if is_dont_know(prepared):
        # Uncertainty about a red flag counts as the red flag: safety wins.
        return "positive"
    answer = _yes_no(prepared)
    clear = answer == "no" or (answer is None and _SCREEN_CLEAR.search(prepared) and not _YES_PHRASES.search(prepared))
    if clear:
        exception = _SCREEN_EXCEPTION.search(prepared)
        if exception and not _ONLY_THE_BACK_PAIN.match(prepared[exception.end() :]):
            return "positive"
        return "clear"
    if answer == "yes":
        return "positive"
    return None


def _parse_duration_category(text: str) -> Optional[str]:
    weeks = parse_duration_weeks(text)
    return duration_category(weeks) if weeks is not None else None


_PARSERS: Dict[str, Callable[[str], Union[str, int, None]]] = {
    PAIN_DURATION: _parse_duration_category,
    PAIN_SEVERITY: parse_severity,
    FOOT_ARCH: _parse_arch,
    SHOE_WEAR: _parse_shoe_wear,
    LEG_LENGTH_DIFFERENCE: _parse_leg_length,
    GAIT_DIAGNOSIS: _parse_gait,
    DAILY_LOAD: _parse_daily_load,
    INSOLE_HISTORY: _parse_insole_history,
    RED_FLAG_SCREEN: _parse_red_flag_screen,
}


def parse_answer(slot: str, text: str) -> Union[str, int, None]:
    """Interpret ``text`` as the person's answer to the question for ``slot``.

    Args:
        slot: an assessment slot name from ``contract`` (``pain_duration`` ...).
        text: the person's message, as typed.

    Returns:
        The contract value for the slot (an ``int`` for ``pain_severity``, a string
        otherwise), or ``None`` when the answer cannot be read or ``slot`` is not an
        assessment slot. "I don't know" gives ``unknown`` where the contract has that
        value, ``no`` for ``gait_diagnosis`` (no diagnosis is known) and ``positive``
        for ``red_flag_screen`` (an uncertain red flag counts).
    """
    parser = _PARSERS.get(slot) if isinstance(slot, str) else None
    if parser is None or not isinstance(text, str):
        return None
    return parser(text)
