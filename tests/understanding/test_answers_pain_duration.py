"""Reading how long the back pain has lasted: amounts, vague words and dates, measured from a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer
from rasa_project.understanding.answers.durations import longest_weeks
from rasa_project.understanding.answers.words import tokenize

TODAY = date(2026, 11, 24)  # a Tuesday
MONTH = 52 / 12
DAY = 1 / 7

CATEGORIES = [
    # "The middle of" a month is counted from its middle, as "mid" is.
    ("since the middle of September", "subacute"),
    ("since the middle of November", "acute"),
    # An event dated after "since" counts from its date.
    ("since the christening in October", "acute"),
    ("ever since our move in September, so about ten weeks", "subacute"),
    # The length taken back with "not" gives way to the one given: the answer corrected.
    ("not months, more like 10 days", "acute"),
    ("3 weeks, not 3 months", "acute"),
    ("it hasn't been a year. about 2 months", "subacute"),
    ("NOT MONTHS. 4 WEEKS", "acute"),
    # A "not" said of something else, or of the only length, leaves it be.
    ("haven't slept well for 2 weeks, the back's been bad for 5 months", "chronic"),
    ("not even a fortnight", "acute"),
    # A count said after a named time or an event is the person's own measure of it.
    ("since the autumn half term, so roughly 5 weeks", "acute"),
    ("since I joined the gym, that's about 8 weeks", "subacute"),
    ("since the easter holidays, which is like 7 months", "chronic"),
    ("since last summer, and the last 2 weeks are worse", "chronic"),
    ("since christmas last year, so I tried insoles for 3 weeks", "chronic"),
    ("for ages, so the last fortnight has been the worst", "chronic"),
    # "approximately" leads an amount like "about"
    ("for approximately 3 months", "chronic"),
    # The age of a child born when it began is how long it has lasted; another age is not.
    ("began the week my grandson was born, he's 10 weeks old", "subacute"),
    ("my daughter is 6 months old, it started 3 weeks ago", "acute"),
    # Scots and Irish "o" is "of".
    ("a couple o months", "subacute"),
    ("a few o weeks", "acute"),
    # how old the pain is; "~" is "about"
    ("it's only 2 weeks old", "acute"),
    ("the ache is about 10 days old", "acute"),
    ("~4 months", "chronic"),
    ("I'm 40 years old and it's been a month", "acute"),
    # a span up to now, not the calendar month or year before this one
    ("over the last month", "acute"),
    ("for the past week", "acute"),
    ("in the last year", "chronic"),
    # an earlier episode that ended dates nothing about this pain
    ("my knee went years ago but it healed fine, this one is new", None),
    ("slipped a disc 20 years ago and it resolved, this is new", None),
    ("had a bad back 5 years ago that got better, this started a month ago", "acute"),
    ("hurt it 2 years ago, went away, then came back", "chronic"),
    # amounts
    ("6 weeks", "subacute"),
    ("12 weeks", "subacute"),
    ("3 months", "chronic"),
    ("about two months", "subacute"),
    ("a few days", "acute"),
    ("a couple of weeks", "acute"),
    ("for a couple of weeks now", "acute"),
    ("a month or two", "subacute"),
    # a bare unit, as typed in a hurry or in a second language
    ("month or so", "acute"),
    ("about month, maybe more", "acute"),
    ("year and a half", "chronic"),
    ("every week it's worse", None),
    ("6-8 weeks", "subacute"),
    ("a year and a half", "chronic"),
    ("2 yrs", "chronic"),
    ("3wks", "acute"),
    ("10d", "acute"),
    ("half a year", "chronic"),
    # The article left out, as typed in a second language.
    ("since half year now", "chronic"),
    ("half month only", "acute"),
    ("six weeks ago", "subacute"),
    # typos and capitals
    ("it's been like 5 monts", "chronic"),
    ("three monthes", "chronic"),
    ("for 4 yeras", "chronic"),
    ("Roughly SIX WEEKS", "subacute"),
    ("4 mo", "chronic"),
    # bounds
    ("more than 12 weeks", "chronic"),
    ("less than 6 weeks", "acute"),
    ("nearly 6 weeks", "acute"),
    ("over a year", "chronic"),
    ("the past 12 weeks", "subacute"),
    # vague
    ("ages", "chronic"),
    ("for ages", "chronic"),
    ("years", "chronic"),
    ("on and off for years", "chronic"),
    ("ages, over a year", "chronic"),
    ("years and years", "chronic"),
    ("since I was a kid", "chronic"),
    ("for as long as I can remember", "chronic"),
    ("for months", "subacute"),
    ("recently", "acute"),
    ("just started", "acute"),
    ("since yesterday", "acute"),
    ("it started this morning", "acute"),
    ("since the weekend", "acute"),
    # dates, measured back from TODAY
    ("since last summer", "chronic"),
    ("since the summer", "chronic"),
    ("since Christmas", "chronic"),
    ("since xmas", "chronic"),
    ("since March", "chronic"),
    ("since about August", "chronic"),
    ("since the start of the year", "chronic"),
    ("since november", "acute"),
    ("since Easter", "chronic"),
    ("since 2019", "chronic"),
    ("since last year", "chronic"),
    ("since Monday", "acute"),
    ("since last friday", "acute"),
    ("it started last week", "acute"),
    # hedges with an estimate, and without one
    ("not sure, maybe a couple of months", "subacute"),
    ("dunno, a few weeks?", "acute"),
    ("not sure", NOT_SURE),
    ("no idea", NOT_SURE),
    ("can't remember", NOT_SURE),
    # a length too vague to place is "not sure": the rough-guess help asks for a number
    ("a while", NOT_SURE),
    ("quite a while to be honest", NOT_SURE),
    ("oh some time now", NOT_SURE),
    ("a while, maybe 10 weeks", "subacute"),
    # not a duration of the pain
    ("3", None),
    ("twice a week", None),
    ("some days it's worse than others", None),
    ("I'm 6 months pregnant", None),
    ("I'm 45 years old", None),
    ("since 2031", None),
    ("since my operation", None),
    ("🙂🙂", None),
    ("<b></b>", None),
    ("depuis longtemps", None),
    ("9999999 years", None),
    # corrections and several durations
    ("3 weeks, actually more like 4 months", "chronic"),
    ("I'm 6 months pregnant and it started 2 weeks ago", "acute"),
    # the first sentence answers; later ones add only the pain's own durations
    ("around 7 weeks. My knee was operated on 3 years ago and that's fine now", "subacute"),
    ("roughly a month! Years back I had a frozen shoulder, long gone", "acute"),
    ("4 weeks. But my back has ached on and off for years", "chronic"),
    ("hmm. about 5 months", "chronic"),
    # The pandemic dates the pain: years ago.
    ("since before the pandemic", "chronic"),
    ("it's been like this since lockdown", "chronic"),
    ("since b4 corona", "chronic"),
    # "For some years" is several; "some days" stays no amount.
    ("for some years now", "chronic"),
    ("I've had it for some years", "chronic"),
    # Seasons and holidays counted back, told inside a story.
    ("it was the week of my nephew's 40th, three winters back, and it never left", "chronic"),
    ("a couple of easters ago we moved house and that is when it began", "chronic"),
    ("it came on the summer before last, when we went to the lakes", "chronic"),
    ("one christmas ago, give or take", "chronic"),
    # A season with no count before it is no count back.
    ("summers back home are hard on it", None),
]


@pytest.mark.parametrize("text, expected", CATEGORIES)
def test_read_pain_duration(text, expected):
    assert read_answer("pain_duration", text, today=TODAY) == expected


WEEKS = [
    ("6 weeks", 6.0),
    ("about two months", 2 * MONTH),
    ("a fortnight", 2.0),
    ("a year and a half", 78.0),
    ("one and a half months", 1.5 * MONTH),
    ("more than 12 weeks", 12 + DAY),
    ("less than 6 weeks", 6 - DAY),
    ("2-3 months", 3 * MONTH),
    ("5 to 7 weeks", 7.0),
    ("for months", 2 * MONTH),
    ("since yesterday", 1.0),  # "recently": under a week
    ("since Monday", DAY),
    ("since Christmas", (TODAY - date(2025, 12, 25)).days / 7),
    ("since 2019", (TODAY - date(2019, 7, 2)).days / 7),  # the middle of the year
    ("since March", (TODAY - date(2026, 3, 16)).days / 7),  # the middle of the month
    ("since last summer", (TODAY - date(2026, 7, 16)).days / 7),
    # "The ... before last": the one before the last one.
    ("since the summer before last", (TODAY - date(2025, 7, 16)).days / 7),
    ("since the Christmas before last", (TODAY - date(2024, 12, 25)).days / 7),
    ("since the Friday before last", 1 + 4 / 7),
    # Counted back: "two summers ago" is the summer before the last one.
    ("that was two summers ago now", (TODAY - date(2025, 7, 16)).days / 7),
    ("it began the winter before last", (TODAY - date(2025, 1, 15)).days / 7),
    ("a summer ago", (TODAY - date(2026, 7, 16)).days / 7),
]


@pytest.mark.parametrize("text, weeks", WEEKS)
def test_durations_in_weeks(text, weeks):
    assert longest_weeks(tokenize(text), TODAY) == pytest.approx(weeks, abs=DAY)


@pytest.mark.parametrize(
    "text, today, expected",
    [
        # "last summer" in September is the one that just ended; in July, last year's.
        ("since last summer", date(2026, 9, 10), "subacute"),
        ("since last summer", date(2026, 7, 10), "chronic"),
        ("since the summer", date(2026, 7, 10), "acute"),
        ("since March", date(2026, 4, 5), "acute"),
        ("since March", date(2026, 5, 20), "subacute"),
        ("since Christmas", date(2027, 1, 10), "acute"),
        ("since Christmas", date(2027, 3, 30), "chronic"),
        # the clocks go back on the last Sunday of October (25 October 2026)
        ("since the clocks went back", date(2026, 11, 20), "acute"),
        ("ever since the clocks changed", date(2027, 1, 20), "chronic"),
        ("since the clocks went forward", date(2026, 4, 20), "acute"),
        ("since bonfire night", date(2026, 11, 30), "acute"),
        ("since bonfire night", date(2027, 1, 5), "subacute"),
    ],
)
def test_dates_depend_on_today(text, today, expected):
    assert read_answer("pain_duration", text, today=today) == expected
