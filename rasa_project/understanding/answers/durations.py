"""How long something has lasted, in weeks: "6 weeks", "a couple of months", "ages", "since Christmas".

Amounts with a unit are measured as said (months are 52/12 weeks, years 52 weeks);
ranges and "a month or two" take the longer end, and bounds move a duration by a
day so its category honours them ("more than 12 weeks" is chronic, "under 6 weeks"
acute). Named times are measured back from ``today``: a period ("since March",
"since last summer", "since 2019") counts from its middle, a day ("since
Christmas", "since Monday") from that day. Vague words get the reading a careful
listener would give them: "ages", "for years" and "since I was a kid" are long,
"recently" and "the other day" are short; "a while" is left unread. Ages and
pregnancies ("45 years old", "6 months pregnant") and frequencies ("twice a week")
are no durations.

Dates are worked out with the standard library and python-dateutil (already
installed: Easter and "the fourth Thursday of November"). dateparser was measured
and left out: about a second to import, and it knows neither seasons, holidays nor
"ages"; recognizers-text has not been released since 2019.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Dict, List, Optional, Sequence, Tuple

from dateutil.easter import easter
from dateutil.relativedelta import SU, TH, relativedelta

from rasa_project.understanding.answers.clauses import CLAUSE_BREAKS
from rasa_project.understanding.answers.numbers import Number, find_numbers
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import Word, word_set

ACUTE_LIMIT_WEEKS = 6.0
SUBACUTE_LIMIT_WEEKS = 12.0
_DAY = 1 / 7
_UNIT_WEEKS = {"day": _DAY, "week": 1.0, "fortnight": 2.0, "month": 52 / 12, "year": 52.0}
#: What "for ages" or "since I was a kid" is taken to be, and "recently" or "the other day".
_VAGUE_WEEKS = {"long": 104.0, "recent": 1.0}
_UNITS = Options(
    {
        "day": "day|days|d",
        "week": "week|weeks|wk|wks|w",
        "fortnight": "fortnight|fortnights",
        "month": "month|months|monthes|mth|mths|mnth|mnths|mo|mos|m",
        "year": "year|years|yr|yrs|y",
    }
)
_VAGUE = Options(
    {
        "long": "ages|forever|decades|lifetime; for ever; a? long time|while; as long as i can remember; all my life;"
        " my whole|entire life; since childhood|school|birth|forever|youth; since my teens|twenties|thirties|youth|20|30 s?;"
        " since i was a|an|at? kid|child|teenager|teen|boy|girl|student|young|little|baby|school|uni; long - standing;"
        # "Since before covid", "since lockdown": the pandemic began in 2020, years ago.
        # "b4" is typed "b 4" once split into words.
        " since|before covid|corona|coronavirus|lockdown|lockdowns|pandemic; since|before the pandemic|lockdown|lockdowns;"
        " since before|b4 covid|corona|coronavirus|lockdown|pandemic; since before|b4 the pandemic|lockdown;"
        " since|sinse b 4 covid|corona|coronavirus|lockdown|pandemic; since b 4 the pandemic|lockdown",
        "recent": "recently|today|tonight|yesterday; just|only started|begun|began|now; only just; not long;"
        " brand|quite|fairly|pretty|very new; this morning|afternoon|evening|week; last night|week; the other day;"
        " the weekend; hours; an hour",
    }
)
_BOUNDS = Options(
    {
        "over": "more|longer than; over|beyond; well|just over; a bit|little over; at least; upwards of",
        "under": "less|shorter than; under|almost|nearly|within; not even|quite; just under; a bit|little under;"
        " shy of; up to",
    }
)
_HEDGES = word_set("about around approximately roughly like maybe probably some good")
#: Words before an amount that make it a frequency or a rate ("twice a week", "8 hours a day").
_FREQUENCY = word_set("once twice times x per every each hours hrs minutes mins aged age")
#: Words after an amount that make it an age or a pregnancy ("45 years old", "6 months pregnant").
_NOT_PAIN_AFTER = word_set("old pregnant along postpartum gestation younger older")
#: Plurals after these are no amount of time: "some days it's worse".
#: Units after which "old" tells how old the pain is, not a person: "it's only 3 weeks old".
_AGES_OF_A_PAIN = word_set("day week fortnight")
#: "It started when she was born, and she's 4 months old": a child's age dates the pain.
_BEGAN_AT = word_set("started began begun start since when")
_NOT_AN_AMOUNT = word_set("some most other those these good bad on few")

_MONTHS = {name.lower(): i for names in (calendar.month_name, calendar.month_abbr) for i, name in enumerate(names) if i}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}
_HOLIDAYS = word_set("christmas xmas easter halloween thanksgiving valentine valentines bonfire")
#: "Since the clocks went back": the days the clocks change (UK and EU: the last Sunday
#: of October and of March; in the US a week later, which does not move a category).
_CLOCK_CHANGES = {"clocks back": 10, "clocks forward": 3}
_ANCHORS = word_set("since from in around at over before after till until")
_LAST = word_set("last this past")
_SKIPPED = word_set("the early late mid middle - start end beginning of about around roughly like maybe")
_VOCABULARY = _UNITS.vocabulary | _VAGUE.vocabulary | _BOUNDS.vocabulary
_VOCABULARY |= Vocabulary([*_MONTHS, *_WEEKDAYS, *_SEASONS, *_HOLIDAYS, *_ANCHORS, "weekend"])


@dataclass(frozen=True)
class Duration:
    """A duration said in an answer: its length in weeks and its words ``first`` to ``last`` (inclusive)."""

    weeks: float
    first: int
    last: int
    #: A bare "weeks" or "months": read as two, though it may be anything up to eleven,
    #: which crosses a category boundary ("for months" may be 2 or 10 months).
    vague: bool = False
    #: Dated by a named time, an event or a vague word ("since the summer", "for ages"),
    #: not counted in units.
    named: bool = False


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


def _bare_singular(texts: Sequence[str], i: int) -> bool:
    """Whether the singular unit at ``i`` stands for one of it with no article.

    Only where a reply opens with it or a hedge leads it ("month or so", "about week",
    as typed in a hurry or in a second language); "last month" and "every week" are not
    amounts.
    """
    if texts[i].endswith("s") or len(texts[i]) < 3:
        return False
    return i == 0 or (texts[i - 1] in _HEDGES and (i == 1 or texts[i - 2] not in _LAST))


def _amounts(words: Sequence[Word], texts: Sequence[str]) -> List[Duration]:
    """Amounts with a unit: "6 weeks", "3wks", "a year and a half", "a month or two", "for months"."""
    numbers: Dict[int, Number] = {n.last: n for n in find_numbers(words)}
    bounds = {m.last: m for m in _BOUNDS.mentions(words, correct=False) if not m.negated}
    dated_by_a_birth = "born" in texts and bool(_BEGAN_AT & set(texts))
    found = []
    for unit in _UNITS.mentions(words, correct=False):
        i, last = unit.first, unit.last
        number = numbers.get(i - 1)
        if len(texts[i]) == 1 and not (number and not number.article and words[i - 1].end == words[i].start):
            continue  # one-letter units only straight after digits: "3w", "10d"
        if number is None and i > 0 and texts[i - 1] in ("past", "last") and unit.value == "fortnight":
            number = Number(1.0, i, i)  # "the past fortnight"; "last week" is a time named below
        if number is None and i > 0 and texts[i - 1] == "half" and not texts[i].endswith("s"):
            number = Number(0.5, i - 1, i - 1)  # "half year already", as typed without its article
        vague = number is None and unit.value in ("week", "month")
        if number is None and _bare_singular(texts, i):
            number, vague = Number(1.0, i, i), False  # "month or so", "about week" (no article)
        if number is None:
            # "Some days it's worse" is no amount, but "for some years" is a length: several.
            several = i > 1 and texts[i - 1] == "some" and texts[i - 2] == "for"
            if not texts[i].endswith("s") or (i > 0 and texts[i - 1] in _NOT_AN_AMOUNT and not several):
                continue
            # A bare plural, "for months", is read as two; "for some years" from its "some".
            number = Number(2.0, i - 1 if several else i, i)
        amount = number.value
        if texts[last + 1 : last + 4] == ["and", "a", "half"]:
            last, amount = last + 3, amount + 0.5
        elif texts[last + 1 : last + 2] == ["or"] and (more := numbers.get(last + 2)) and not more.article:
            last, amount = more.last, max(amount, more.value)
        before = texts[number.first - 1] if number.first > 0 else ""
        after = texts[last + 1] if last + 1 < len(texts) else ""
        # "3 weeks old" is the pain's age; "45 years old" and "6 months old" are a person's.
        # "72 years of age" is the person's age.
        aged = after in _NOT_PAIN_AFTER and not (after == "old" and (unit.value in _AGES_OF_A_PAIN or dated_by_a_birth))
        aged = aged or texts[last + 1 : last + 3] == ["of", "age"]
        # "6 months along" is a pregnancy; "3 weeks along with the back pain" goes with something.
        aged = aged and texts[last + 1 : last + 3] != ["along", "with"]
        if before in _FREQUENCY or aged:
            continue
        weeks, first = amount * _UNIT_WEEKS[str(unit.value)], number.first
        if texts[last + 1 : last + 3] == ["or", "more"]:
            weeks, last = weeks + _DAY, last + 2
        lead = first - 2 if before in _HEDGES else first - 1
        if lead in bounds:
            first, weeks = bounds[lead].first, weeks + _DAY if bounds[lead].value == "over" else max(0, weeks - _DAY)
        if weeks <= 5200:
            found.append(Duration(weeks, first, last, vague))
    return found


def _holiday(name: str, year: int) -> Optional[date]:
    fixed = {
        "christmas": (12, 25),
        "xmas": (12, 25),
        "halloween": (10, 31),
        "valentine": (2, 14),
        "valentines": (2, 14),
        "bonfire": (11, 5),
    }
    if name in fixed:
        return date(year, *fixed[name])
    if name in _CLOCK_CHANGES:
        return date(year, _CLOCK_CHANGES[name], 31) + relativedelta(weekday=SU(-1))
    if name == "easter":
        return easter(year)
    return date(year, 11, 1) + relativedelta(weekday=TH(4)) if name == "thanksgiving" else None


def _named_time(name: str, modifier: str, today: date, *, may_be_year: bool) -> Optional[Tuple[date, date]]:
    """The first and last day of the latest time called ``name`` up to ``today``; ``None`` if unknown.

    ``modifier`` "last" skips a period that has not ended yet ("last summer" in July
    is last year's).
    """
    year = today.year
    if name in _WEEKDAYS:
        day = today - timedelta((today.weekday() - _WEEKDAYS[name]) % 7 or (7 if modifier == "last" else 0))
        return day, day
    if name in _HOLIDAYS or name in _CLOCK_CHANGES or name == "new year":
        day = _holiday(name, year) or date(year, 1, 1)
        day = (_holiday(name, year - 1) or date(year - 1, 1, 1)) if day >= today else day
        return day, day
    if name in ("year", "month", "week"):  # "last year", "since the start of the year"
        step = {"year": relativedelta(years=1), "month": relativedelta(months=1), "week": relativedelta(weeks=1)}[name]
        start = {"year": date(year, 1, 1), "month": today.replace(day=1)}.get(name, today - timedelta(today.weekday()))
        start -= step if modifier == "last" else relativedelta()  # no modifier: this one
        return start, start + step - timedelta(days=1)
    if may_be_year and name.isdigit() and len(name) == 4 and 1900 < int(name) <= year:
        return date(int(name), 1, 1), date(int(name), 12, 31)
    if name in _MONTHS:
        first_month, last_month = _MONTHS[name], _MONTHS[name]
    elif name in _SEASONS:
        first_month, last_month = _SEASONS[name]
    else:
        return None
    start = date(year, first_month, 1)
    end = date(year + (last_month < first_month), last_month, 1) + relativedelta(day=31)
    for back in range(4):
        shift = relativedelta(years=-back)
        if start + shift <= today and not (modifier == "last" and end + shift >= today):
            return start + shift, end + shift
    return None


def _one_earlier(name: str, dates: Tuple[date, date]) -> Tuple[date, date]:
    """The time called ``name`` before the one at ``dates``: a week, a month or a year earlier."""
    step = {"week": relativedelta(weeks=1), "month": relativedelta(months=1)}.get(name, relativedelta(years=1))
    if name in _WEEKDAYS:
        step = relativedelta(weeks=1)
    return dates[0] - step, dates[1] - step


def _clock_change(following: Sequence[str]) -> str:
    """Which clock change "the clocks" names by the words after it ("went back", "changed"); "" if none."""
    if "forward" in following or "forwards" in following:
        return "clocks forward"
    return "clocks back" if {"back", "changed", "change"} & set(following) else ""


def _named_times(texts: Sequence[str], today: date) -> List[Duration]:
    """Times named after "since", "in", "last" ...: "since March", "last summer", "since Christmas"."""
    found = []
    for i, text in enumerate(texts):
        if text not in _ANCHORS and text not in _LAST:
            continue
        j = i + 1 if text in _ANCHORS else i
        modifier = texts[j] if j < len(texts) and texts[j] in _LAST else ""
        j += bool(modifier)
        if (
            modifier
            and j > 0
            and texts[j - 2 : j - 1] == ["the"]
            and texts[j : j + 1] in (["week"], ["month"], ["year"])
        ):
            # "over the last month", "for the past year": a span of one unit up to now,
            # not the calendar month or year before this one.
            found.append(Duration(_UNIT_WEEKS[texts[j]], j - 2, j))
            continue
        while j < len(texts) and texts[j] in _SKIPPED:
            j += 1
        name = texts[j] if j < len(texts) else ""
        if name == "new" and texts[j + 1 : j + 2] == ["year"]:
            name, j = "new year", j + 1
        elif name == "clocks" and (way := _clock_change(texts[j + 1 : j + 4])):
            name, j = way, j + 1
        if name == "may" and text not in _ANCHORS:
            continue  # "may" is a month only after "since", "in" ...
        before_last = texts[j + 1 : j + 3] == ["before", "last"]
        dates = _named_time(
            name, "last" if before_last else modifier, today, may_be_year=text in ("since", "from", "in")
        )
        if dates is not None and before_last:
            # "Since the autumn before last": the one before the last one.
            dates, j = _one_earlier(name, dates), j + 2
        if dates is not None:
            start, end = dates
            middle = start + (min(end, today) - start) / 2
            found.append(Duration(max(0, (today - middle).days) / 7, i, j, named=True))
    return found


#: Words by which a person counts out the time a named time or event gives: "since the
#: summer hols ended, so like 10 weeks", "since I started at the salon, which is about ten weeks".
_RECKONING = word_set("so which that's thats making makes = i.e ie meaning")
#: Words between a reckoning word and its count: "which is about", "so it's nearly", "that makes it".
_COUNT_FILLERS = word_set("is was it it's be been now nearly almost just well over makes making")
#: Things other than the pain whose length may follow: "for ages, so I tried insoles for 6 weeks".
_SOMETHING_ELSE = word_set("insole insoles insert inserts orthotic orthotics tried trying wore worn wearing")
#: A child the pain is dated by: "since I had my daughter and she's just turned two".
_CHILDREN = word_set("daughter son baby babies twins little one kid kids child youngest eldest")
_CHILD_IS = word_set("she's shes he's hes she he they're is has turned turns just nearly almost now only")
_HAD_A_CHILD = word_set("had having born birth")


def _reckoned(found: List[Duration], texts: Sequence[str]) -> List[Duration]:
    """``found`` without named times that the person counts out in units later in the sentence.

    "Since the summer hols ended, so like 10 weeks": the person's own count is the
    answer, not a date worked out from a season that may have been long.
    """
    counted = [d for d in found if not d.named]
    replaced: Dict[Duration, Duration] = {}
    for duration in found:
        later = [c for c in counted if c.first > duration.last and c.first - duration.last <= 12]
        if duration.named and later and _counts_out(texts, duration.last, later[0].first):
            # The count stands for the named time, and takes over its words and its
            # lead: "since Easter, so about 10 weeks" is led by the "since".
            replaced[duration] = replace(later[0], first=duration.first)
            replaced[later[0]] = replaced[duration]
    return list({replaced.get(d, d): None for d in found})


def _counts_out(texts: Sequence[str], named_end: int, amount: int) -> bool:
    """Whether the amount at ``amount`` counts out the named time before it: a reckoning word leads it.

    "Since Easter, so about 10 weeks" counts out Easter; "for ages, so I tried insoles
    for 6 weeks" says how long something else lasted.
    """
    between = texts[named_end + 1 : amount]
    if {".", ";", "!"} & set(between) or _SOMETHING_ELSE & set(between):
        return False
    lead = amount - 1
    while lead > named_end and texts[lead] in _HEDGES | _COUNT_FILLERS:
        lead -= 1
    return lead > named_end and texts[lead] in _RECKONING


def _ages_of_a_child(words: Sequence[Word], texts: Sequence[str]) -> List[Duration]:
    """A child's age in years when the pain is dated by the child's birth: "since I had my daughter, she's two".

    Only a number with no unit after it; "she's 4 months old" is measured as an amount.
    """
    born = "born" in texts or any(
        texts[i] in _HAD_A_CHILD and texts[i + 1] in ("my", "the", "a", "our") and texts[i + 2] in _CHILDREN
        for i in range(len(texts) - 2)
    )
    if not born:
        return []
    found = []
    for number in find_numbers(words):
        i = number.first - 1
        while i >= 0 and texts[i] in _CHILD_IS:
            i -= 1
        led = i < number.first - 1 and {"she's", "shes", "he's", "hes", "she", "he", "they're"} & set(
            texts[i + 1 : number.first]
        )
        after = texts[number.last + 1] if number.last + 1 < len(texts) else ""
        if led and after not in _UNITS.vocabulary.words and not number.article and 0 < number.value <= 18:
            found.append(Duration(number.value * 52, i + 1, number.last, named=True))
    return found


#: Seasons and holidays counted back: "two summers ago", "three Christmases back".
_COUNTED_TIMES = {
    **{f"{season}s": season for season in _SEASONS},
    **{season: season for season in _SEASONS},
    "christmases": "christmas",
    "xmases": "xmas",
    "easters": "easter",
    "halloweens": "halloween",
    "thanksgivings": "thanksgiving",
    **{holiday: holiday for holiday in ("christmas", "xmas", "easter", "halloween", "thanksgiving")},
}
_AGO = word_set("ago back")
_VOCABULARY |= Vocabulary([*_COUNTED_TIMES, *_AGO])


def _counted_times(words: Sequence[Word], texts: Sequence[str], today: date) -> List[Duration]:
    """Seasons or holidays counted back from now: "two summers ago", "a couple of Christmases back".

    "Two summers ago" is the summer before the last one: counted from the latest one
    that has ended, a year further back for each one more.
    """
    numbers: Dict[int, Number] = {n.last: n for n in find_numbers(words)}
    found = []
    for i, text in enumerate(texts):
        name = _COUNTED_TIMES.get(text)
        ago = i + 1 < len(texts) and texts[i + 1] in _AGO
        number = numbers.get(i - 1) or (numbers.get(i - 2) if texts[i - 1 : i] == ["of"] else None)
        if name is not None and texts[i + 1 : i + 3] == ["before", "last"] and not _ANCHORS & set(texts[i - 3 : i]):
            # "It began the summer before last", with no "since" (which is read above).
            number, ago = Number(2.0, i, i + 2), True
        if name is None or not ago or number is None or not 0 < number.value <= 20:
            continue
        dates = _named_time(name, "last", today, may_be_year=False)
        if dates is None:
            continue
        start, end = dates
        middle = start + (end - start) / 2 - relativedelta(years=round(number.value) - 1)
        last = max(i + 1, number.last)
        found.append(Duration(max(0, (today - middle).days) / 7, min(number.first, i), last, named=True))
    return found


def find_durations(words: Sequence[Word], today: date) -> List[Duration]:
    """The durations said in ``words``, left to right (overlapping readings included)."""
    words = corrected(words, _VOCABULARY)
    texts = [w.text for w in words]
    found = _amounts(words, texts) + _named_times(texts, today) + _counted_times(words, texts, today)
    vague = _VAGUE.mentions(words, correct=False)
    found += [Duration(_VAGUE_WEEKS[str(m.value)], m.first, m.last, named=True) for m in vague if not m.negated]
    found += _ages_of_a_child(words, texts)
    found = [_since_the_event(d, texts) for d in found]
    return sorted(_reckoned(found, texts), key=lambda d: (d.first, -d.last))


#: Words that date an event by the time it happened: "my daughter's wedding in May".
_EVENT_DATES = word_set("in at on around")
#: How far back a "since" may open the event a date is told of.
_EVENT_WORDS = 6


def _since_the_event(duration: Duration, texts: Sequence[str]) -> Duration:
    """``duration`` led by the "since" of the event it dates: "since my daughter's wedding in May".

    The date is when the event happened, and the "since" before the event counts from
    it, as "since May" would; without the "since" the date may be of anything.
    """
    if not duration.named or texts[duration.first] not in _EVENT_DATES:
        return duration
    for i in range(duration.first - 1, max(-1, duration.first - 1 - _EVENT_WORDS), -1):
        if texts[i] in CLAUSE_BREAKS or texts[i] in _EVENT_DATES:
            return duration
        if texts[i] == "since":
            return replace(duration, first=i) if i < duration.first - 1 else duration
    return duration


def longest_weeks(words: Sequence[Word], today: date) -> Optional[float]:
    """The longest duration said in ``words``, in weeks, or ``None`` when none is said."""
    durations = find_durations(words, today)
    return max(d.weeks for d in durations) if durations else None
