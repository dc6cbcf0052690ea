"""How long something has lasted, in weeks: "6 weeks", "a couple of months", "ages", "since Christmas".

Amounts with a unit are measured as said (months are 52/12 weeks, years 52 weeks);
ranges and "a month or two" take the longer end, and bounds move a duration by a
day so its category honours them ("more than 12 weeks" is chronic, "under 6 weeks"
acute). Named times are measured back from ``today``: a period ("since March",
"since last summer", "since 2019") counts from its middle, a day ("since
Christmas", "since Monday") from that day. Vague words get the reading a careful
listener would give them: "ages", "for years" and "since I was a kid" are long,
"recently" and "the other day" are short; "a while" is left unread.

Dates are worked out with the standard library and python-dateutil (already
installed: Easter and "the fourth Thursday of November"). dateparser was measured
and left out: about a second to import, and it knows neither seasons, holidays nor
"ages"; recognizers-text has not been released since 2019.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, List, Optional, Sequence, Tuple

from dateutil.easter import easter
from dateutil.relativedelta import TH, relativedelta

from rasa_project.understanding.answers.numbers import Number, find_numbers
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import Word

DAY = 1 / 7
MONTH = 52 / 12
YEAR = 52.0
ACUTE_LIMIT_WEEKS = 6.0
SUBACUTE_LIMIT_WEEKS = 12.0
#: Longer than this is no believable duration of back pain.
_LONGEST_WEEKS = 100 * YEAR
#: What "for ages" or "since I was a kid" is taken to be, and "recently" or "the other day".
_LONG_AGO_WEEKS = 2 * YEAR
_RECENT_WEEKS = 1.0

_UNIT_WEEKS = {"day": DAY, "week": 1.0, "fortnight": 2.0, "month": MONTH, "year": YEAR}
_UNITS = Options(
    {
        "day": ["day|days|d"],
        "week": ["week|weeks|wk|wks|w"],
        "fortnight": ["fortnight|fortnights"],
        "month": ["month|months|monthes|mth|mths|mnth|mnths|mo|mos|m"],
        "year": ["year|years|yr|yrs|y"],
    }
)
_VAGUE = Options(
    {
        "long": [
            "ages|forever|decades|lifetime",
            "for ever",
            "a? long time|while",
            "as long as i can remember",
            "all my life",
            "my whole|entire life",
            "since i was a|an|at? kid|child|teenager|teen|boy|girl|student|young|little|baby|school|uni|university",
            "since childhood|school|birth|forever|youth",
            "since my teens|twenties|thirties|youth|childhood",
            "long - standing",
        ],
        "recent": [
            "recently|today|tonight|yesterday",
            "just|only started|begun|began|now",
            "only just",
            "not long",
            "brand|quite|fairly|pretty|very new",
            "this morning|afternoon|evening|week",
            "last night|week",
            "the other day",
            "the weekend",
            "hours",
            "an hour",
        ],
    }
)
_BOUNDS = Options(
    {
        "over": [
            "more|longer than",
            "over|past|beyond",
            "well|just over",
            "a bit|little over",
            "at least",
            "upwards of",
        ],
        "under": [
            "less|shorter than",
            "under|almost|nearly|within",
            "not even|quite",
            "just under",
            "a bit|little under",
            "shy of",
            "up to",
        ],
    }
)
_HEDGES = frozenset({"about", "around", "approximately", "roughly", "like", "maybe", "probably", "some", "good"})
#: Words before an amount that make it a frequency ("twice a week") or a rate, not a duration.
_FREQUENCY = frozenset({"once", "twice", "times", "x", "per", "every", "each", "hours", "hrs", "minutes", "mins"})
#: Words after an amount that make it an age or a pregnancy ("45 years old", "6 months pregnant").
_NOT_PAIN_AFTER = frozenset({"old", "pregnant", "along", "postpartum", "gestation", "younger", "older"})

_MONTHS: Dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name and name != "May"}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}
_HOLIDAYS = ("christmas", "xmas", "new year", "easter", "halloween", "thanksgiving", "valentine", "valentines")
_ANCHORS = frozenset({"since", "from", "in", "around", "at", "over", "before", "after", "till", "until"})
#: A bare year is a time only after these: "around 2000" may be steps or pounds.
_YEAR_ANCHORS = frozenset({"since", "from", "in"})
_LAST = frozenset({"last", "this", "past"})
#: Plurals after these are no amount of time: "some days it's worse".
_NOT_AN_AMOUNT = frozenset({"some", "most", "other", "those", "these", "good", "bad", "on", "few"})
_VOCABULARY = (
    _UNITS.vocabulary
    | _VAGUE.vocabulary
    | _BOUNDS.vocabulary
    | Vocabulary([*_MONTHS, *_WEEKDAYS, *_SEASONS, *_HOLIDAYS, *_ANCHORS, "weekend"])
)


@dataclass(frozen=True)
class Duration:
    """A duration said in an answer: its length in weeks and its words ``first`` to ``last`` (inclusive)."""

    weeks: float
    first: int
    last: int


def duration_category(weeks: float) -> str:
    """The ``pain_duration`` value: ``acute`` below 6 weeks, ``subacute`` from 6 to 12, ``chronic`` above 12.

    Raises:
        ValueError: if ``weeks`` is negative or not a finite number.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, (int, float)) or not math.isfinite(weeks) or weeks < 0:
        raise ValueError(f"not a duration in weeks: {weeks!r}")
    if weeks < ACUTE_LIMIT_WEEKS:
        return "acute"
    return "subacute" if weeks <= SUBACUTE_LIMIT_WEEKS else "chronic"


def _amount_durations(words: Sequence[Word], texts: Sequence[str]) -> List[Duration]:
    numbers: Dict[int, Number] = {n.last: n for n in find_numbers(words)}
    found = []
    for unit in _UNITS.mentions(words, correct=False):
        i = unit.first
        number = numbers.get(i - 1)
        if len(texts[i]) == 1 and not (number and not number.article and words[i - 1].end == words[i].start):
            continue  # one-letter units only straight after digits: "3w", "10d"
        if number is None:
            if not texts[i].endswith("s") or (i > 0 and texts[i - 1] in _NOT_AN_AMOUNT):
                continue
            number = Number(2.0, i, i)  # a bare plural, "for months", is read as two
        last, amount = unit.last, number.value
        if texts[last + 1 : last + 4] == ["and", "a", "half"]:
            last, amount = last + 3, amount + 0.5
        elif texts[last + 1 : last + 2] == ["or"] and (more := numbers.get(last + 2)) and not more.article:
            last, amount = more.last, max(amount, more.value)
        before = texts[number.first - 1] if number.first > 0 else ""
        after = texts[last + 1] if last + 1 < len(texts) else ""
        if before in _FREQUENCY or before in ("aged", "age") or after in _NOT_PAIN_AFTER:
            continue
        if texts[last + 1 : last + 3] == ["of", "age"]:
            continue
        weeks = amount * _UNIT_WEEKS[str(unit.value)]
        if texts[last + 1 : last + 3] == ["or", "more"]:
            weeks, last = weeks + DAY, last + 2
        if 0 <= weeks <= _LONGEST_WEEKS:
            found.append(Duration(weeks, number.first, last))
    return found


def _with_bounds(words: Sequence[Word], texts: Sequence[str], durations: List[Duration]) -> List[Duration]:
    bounds = {m.last: m for m in _BOUNDS.mentions(words, correct=False) if not m.negated or m.value == "under"}
    bounded = []
    for duration in durations:
        end = duration.first - 1
        if end >= 0 and texts[end] in _HEDGES:
            end -= 1
        bound = bounds.get(end)
        if bound is None:
            bounded.append(duration)
            continue
        weeks = duration.weeks + DAY if bound.value == "over" else max(0.0, duration.weeks - DAY)
        bounded.append(Duration(weeks, bound.first, duration.last))
    return bounded


def _period_before(today: date, start: date, end: date, *, previous: bool) -> Tuple[date, date]:
    """The latest occurrence of a yearly period [start, end] that began by ``today``.

    ``previous`` ("last summer") skips an occurrence that has not ended yet.
    """
    for years_back in range(0, 3):
        shift = relativedelta(years=-years_back)
        first, last = start + shift, end + shift
        if first <= today and not (previous and last >= today):
            return first, last
    return start + relativedelta(years=-3), end + relativedelta(years=-3)


def _holiday(name: str, year: int) -> Optional[date]:
    if name in ("christmas", "xmas"):
        return date(year, 12, 25)
    if name in ("valentine", "valentines"):
        return date(year, 2, 14)
    fixed = {"new year": date(year, 1, 1), "halloween": date(year, 10, 31), "easter": easter(year)}
    fixed["thanksgiving"] = date(year, 11, 1) + relativedelta(weekday=TH(4))
    return fixed.get(name)


def _named_time(name: str, modifier: str, today: date) -> Optional[Tuple[date, date]]:
    """The dates a named time covers, as the latest such time up to ``today``; ``None`` if unknown."""
    previous = modifier == "last"
    year = today.year
    if name in _MONTHS:
        month = _MONTHS[name]
        start = date(year, month, 1)
        return _period_before(today, start, start + relativedelta(day=31), previous=previous)
    if name in _SEASONS:
        first, last = _SEASONS[name]
        start = date(year, first, 1)
        end = date(year + (last < first), last, 1) + relativedelta(day=31)
        return _period_before(today, start, end, previous=previous)
    if name in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS[name]) % 7 or (7 if previous else 0)
        day = today - timedelta(days=back)
        return day, day
    holiday = _holiday(name, year)
    if holiday is not None:
        if holiday >= today:
            holiday = _holiday(name, year - 1)
        return (holiday, holiday) if holiday is not None else None
    if name in ("year", "month", "week") and modifier:
        unit = {"year": relativedelta(years=1), "month": relativedelta(months=1), "week": relativedelta(weeks=1)}[name]
        start = {"year": date(year, 1, 1), "month": today.replace(day=1)}.get(name, today - timedelta(today.weekday()))
        if previous:
            start -= unit
        return start, start + unit - timedelta(days=1)
    if name.isdigit() and len(name) == 4 and 1900 < int(name) <= year and modifier == "year":
        return date(int(name), 1, 1), date(int(name), 12, 31)
    return None


def _named_times(texts: Sequence[str], today: date) -> List[Duration]:
    found = []
    for i, text in enumerate(texts):
        anchored = text in _ANCHORS
        if not anchored and text not in _LAST:
            continue
        j = i + 1 if anchored else i
        modifier = ""
        if j < len(texts) and texts[j] in _LAST:
            modifier, j = texts[j], j + 1
        while j < len(texts) and texts[j] in ("the", "early", "late", "mid", "-", "start", "end", "beginning", "of"):
            j += 1
        name = texts[j] if j < len(texts) else ""
        if name == "may" and not anchored:
            continue  # "may" is a month only after "since", "in" ...
        if name == "new" and texts[j + 1 : j + 2] == ["year"]:
            name, j = "new year", j + 1
        if name.isdigit() and text in _YEAR_ANCHORS and not modifier:
            modifier = "year"
        dates = _named_time(name, modifier, today)
        if dates is None:
            continue
        start, end = dates
        middle = start + (min(end, today) - start) / 2
        found.append(Duration(max(0, (today - middle).days) / 7, i, j))
    return found


def find_durations(words: Sequence[Word], today: date) -> List[Duration]:
    """The durations said in ``words``, left to right (overlapping readings included)."""
    words = corrected(words, _VOCABULARY)
    texts = [w.text for w in words]
    found = _with_bounds(words, texts, _amount_durations(words, texts))
    for mention in _VAGUE.mentions(words, correct=False):
        if not mention.negated:
            weeks = _LONG_AGO_WEEKS if mention.value == "long" else _RECENT_WEEKS
            found.append(Duration(weeks, mention.first, mention.last))
    found += _named_times(texts, today)
    return sorted(found, key=lambda d: (d.first, -d.last))


def longest_weeks(words: Sequence[Word], today: date) -> Optional[float]:
    """The longest duration said in ``words``, in weeks, or ``None`` when none is said."""
    durations = find_durations(words, today)
    return max(d.weeks for d in durations) if durations else None
