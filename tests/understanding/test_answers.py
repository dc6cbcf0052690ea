"""Reading answers to specific assessment questions: formal, informal and misspelt."""

from __future__ import annotations

from datetime import date

import pytest

from rasa_project.understanding.answers import (
    duration_category,
    find_durations,
    find_explicit_severity,
    is_dont_know,
    parse_answer,
    parse_duration_weeks,
    parse_severity,
)
from rasa_project.clinical.contract import ASSESSMENT_SLOTS, CATEGORICAL_VALUES, PAIN_SEVERITY

MONTH = 52 / 12
DAY = 1 / 7

DURATION_WEEKS = [
    ("6 weeks", 6.0),
    ("12 weeks", 12.0),
    ("3 wks", 3.0),
    ("3wks", 3.0),
    ("6w", 6.0),
    ("10d", 10 * DAY),
    ("about two months", 2 * MONTH),
    ("about 2 monts", 2 * MONTH),
    ("3 months", 3 * MONTH),
    ("a month", MONTH),
    ("a week", 1.0),
    ("a fortnight", 2.0),
    ("a couple of weeks", 2.0),
    ("few days", 3 * DAY),
    ("a few days", 3 * DAY),
    ("several months", 4 * MONTH),
    ("a year and a half", 78.0),
    ("one and a half months", 1.5 * MONTH),
    ("two and a half weeks", 2.5),
    ("half a year", 26.0),
    ("for 4 yeras", 208.0),
    ("ages, over a year", 52 + DAY),
    ("more than 12 weeks", 12 + DAY),
    ("less than 6 weeks", 6 - DAY),
    ("nearly 6 weeks", 6 - DAY),
    ("2-3 months", 3 * MONTH),
    ("5 to 7 weeks", 7.0),
    ("a month or two", 2 * MONTH),
    ("for months", 2 * MONTH),
    ("years", 104.0),
    ("since yesterday", DAY),
    ("it started this morning", 0.0),
    ("since last week", 1.0),
    ("Roughly SIX WEEKS", 6.0),
]


@pytest.mark.parametrize("text, weeks", DURATION_WEEKS)
def test_parse_duration_weeks(text, weeks):
    assert parse_duration_weeks(text) == pytest.approx(weeks)


@pytest.mark.parametrize(
    "text", ["", "   ", "since Christmas", "since last year", "since march", "for ages", "a while", "dunno", "🙂🙂", "<b></b>", "depuis longtemps", "weeks" * 0, "9999999 years"]
)
def test_parse_duration_weeks_unreadable(text):
    assert parse_duration_weeks(text) is None


CATEGORY_TABLE = [
    (0.0, "acute"),
    (5.99, "acute"),
    (6.0, "subacute"),
    (9.0, "subacute"),
    (12.0, "subacute"),
    (12.0001, "chronic"),
    (13.0, "chronic"),
    (520.0, "chronic"),
]


@pytest.mark.parametrize("weeks, category", CATEGORY_TABLE)
def test_duration_category_boundaries(weeks, category):
    assert duration_category(weeks) == category


@pytest.mark.parametrize("weeks", [-1.0, float("nan"), float("inf"), "6", None, True])
def test_duration_category_rejects_non_durations(weeks):
    with pytest.raises(ValueError):
        duration_category(weeks)


@pytest.mark.parametrize(
    "text, weeks",
    [
        ("since 2019", (date(2026, 11, 24) - date(2019, 12, 31)).days / 7),
        ("since 2025", (date(2026, 11, 24) - date(2025, 12, 31)).days / 7),
        ("since 2026", None),
        ("since 2031", None),
        ("since Monday", 1.0),
        ("since last friday", 1.0),
    ],
)
def test_parse_duration_weeks_from_dates(text, weeks):
    result = parse_duration_weeks(text, today=date(2026, 11, 24))
    assert result == (None if weeks is None else pytest.approx(weeks))


def test_find_durations_relative_only_on_request():
    text = "It hurt since yesterday, then 2 weeks of rest"
    assert [text[s:e] for _, s, e in find_durations(text)] == ["2 weeks"]
    assert [text[s:e] for _, s, e in find_durations(text, include_relative=True)] == ["yesterday", "2 weeks"]


def test_find_durations_offsets_index_the_input():
    text = "My back has hurt for ABOUT two months."
    [(weeks, start, end)] = find_durations(text)
    assert text[start:end] == "ABOUT two months"
    assert weeks == pytest.approx(2 * MONTH)


SEVERITY_TABLE = [
    # (text, with bare numbers, explicit only)
    ("a 7 I guess", 7, None),
    ("7", 7, None),
    ("0", 0, None),
    ("10", 10, None),
    ("7/10", 7, 7),
    ("7 / 10", 7, 7),
    ("seven out of ten", 7, 7),
    ("7 outta 10", 7, 7),
    ("pain is a 7", 7, 7),
    ("my pain is about 6/10", 6, 6),
    ("pain is 7 out of 10 most days", 7, 7),
    ("8-9", 9, None),
    ("8-9/10", 9, 9),
    ("I'd say 4 or 5", 5, None),
    ("6.5", 7, None),
    ("15/10", 10, 10),
    ("15", None, None),
    ("100", None, None),
    ("mild", 3, None),
    ("very mild", 2, None),
    ("moderate", 5, None),
    ("not bad", 3, None),
    ("pretty bad", 7, None),
    ("severe", 8, None),
    ("not severe, just mild", 3, None),
    ("unbearable", 10, None),
    ("excrutiating", 10, None),
    ("no pain right now", 0, None),
    ("3 weeks", None, None),
    ("I lost 5 kg", None, None),
    ("two legs", None, None),
    ("", None, None),
    ("🙂", None, None),
    ("dunno", None, None),
]


@pytest.mark.parametrize("text, bare, explicit", SEVERITY_TABLE)
def test_parse_severity(text, bare, explicit):
    assert parse_severity(text) == bare
    assert parse_severity(text, bare_number_ok=False) == explicit


def test_find_explicit_severity_with_a_curly_apostrophe():
    assert find_explicit_severity("the pain\u2019s a 7")[0] == 7


def test_find_explicit_severity_offsets():
    text = "Honestly the pain is about 6/10 today"
    score, start, end = find_explicit_severity(text)
    assert score == 6 and text[start:end] == "6/10"


ANSWER_TABLE = [
    # pain_duration
    ("pain_duration", "about two months", "subacute"),
    ("pain_duration", "ages, over a year", "chronic"),
    ("pain_duration", "a few days", "acute"),
    ("pain_duration", "3 months", "chronic"),
    ("pain_duration", "6 weeks", "subacute"),
    ("pain_duration", "12 weeks", "subacute"),
    ("pain_duration", "for a couple of weeks now", "acute"),
    ("pain_duration", "it's been like 5 monts", "chronic"),
    ("pain_duration", "since yesterday", "acute"),
    ("pain_duration", "since march", None),
    ("pain_duration", "on and off for years", "chronic"),
    ("pain_duration", "6-8 weeks", "subacute"),
    ("pain_duration", "three monthes", "chronic"),
    ("pain_duration", "4 mo", "chronic"),
    ("pain_duration", "not sure", None),
    # pain_severity
    ("pain_severity", "a 7 I guess", 7),
    ("pain_severity", "about a 5", 5),
    ("pain_severity", "unbearable", 10),
    ("pain_severity", "15", None),
    ("pain_severity", "It's a 3 when resting and 8 when walking", 8),
    ("pain_severity", "5ish", 5),
    ("pain_severity", "around 4/5", None),
    # foot_arch
    ("foot_arch", "flat as pancakes", "flat"),
    ("foot_arch", "flatt", "flat"),
    ("foot_arch", "I have fallen arches", "flat"),
    ("foot_arch", "flat footed", "flat"),
    ("foot_arch", "pretty high arches", "high"),
    ("foot_arch", "high arcehs", "high"),
    ("foot_arch", "hihg", "high"),
    ("foot_arch", "normal I think", "normal"),
    ("foot_arch", "kind of average", "normal"),
    ("foot_arch", "low", "flat"),
    ("foot_arch", "the wet foot test showed the whole foot", "flat"),
    ("foot_arch", "my footprint only shows the heel and the ball", "high"),
    ("foot_arch", "my arches are just ordinary", "normal"),
    ("foot_arch", "my arches are fine", "normal"),
    ("foot_arch", "not flat, not high", "normal"),
    ("foot_arch", "maybe flat", "flat"),
    ("foot_arch", "<b>flat</b>", "flat"),
    ("foot_arch", "I don't know", "unknown"),
    ("foot_arch", "I don't know my arch type", "unknown"),
    ("foot_arch", "no idea", "unknown"),
    ("foot_arch", "not sure", "unknown"),
    ("foot_arch", "not shure", "unknown"),
    ("foot_arch", "flat or high, no idea", "unknown"),
    ("foot_arch", "they're not flat", None),
    ("foot_arch", "I don't know if they're flat", "unknown"),
    ("foot_arch", "not sure, maybe flat", "flat"),
    ("shoe_wear", "I don't know if it's the inside", "unknown"),
    ("foot_arch", "😀", None),
    # shoe_wear
    ("shoe_wear", "the inside edge wears first", "inner"),
    ("shoe_wear", "insde", "inner"),
    ("shoe_wear", "on the inner side", "inner"),
    ("shoe_wear", "outsides", "outer"),
    ("shoe_wear", "the outer edge", "outer"),
    ("shoe_wear", "outsde mostly", "outer"),
    ("shoe_wear", "evenly", "even"),
    ("shoe_wear", "pretty much the same all over", "even"),
    ("shoe_wear", "dunno", "unknown"),
    ("shoe_wear", "never checked", "unknown"),
    ("shoe_wear", "inside and outside", None),
    # leg_length_difference
    ("leg_length_difference", "yes one leg is shorter", "yes"),
    ("leg_length_difference", "my left leg is longer", "yes"),
    ("leg_length_difference", "yeah", "yes"),
    ("leg_length_difference", "yes I think so", "yes"),
    ("leg_length_difference", "nope", "no"),
    ("leg_length_difference", "both legs are the same", "no"),
    ("leg_length_difference", "nah", "no"),
    ("leg_length_difference", "noo", "no"),
    ("leg_length_difference", "no difference", "no"),
    ("leg_length_difference", "my legs are the same length", "no"),
    ("leg_length_difference", "not that I know of", "no"),
    ("leg_length_difference", "I don't think so", "no"),
    ("leg_length_difference", "not sure", "unknown"),
    ("leg_length_difference", "no idea", "unknown"),
    ("leg_length_difference", "never measured", "unknown"),
    ("leg_length_difference", "hmm maybe", "unknown"),
    ("leg_length_difference", "I don't know if one is shorter", "unknown"),
    ("leg_length_difference", "one is a bit longer, I think", "yes"),
    # gait_diagnosis
    ("gait_diagnosis", "yes", "yes"),
    ("gait_diagnosis", "yep", "yes"),
    ("gait_diagnosis", "yess", "yes"),
    ("gait_diagnosis", "a podiatrist said I overpronate", "yes"),
    ("gait_diagnosis", "yes, overpronation", "yes"),
    ("gait_diagnosis", "I had a gait analysis and they found excessive pronation", "yes"),
    ("gait_diagnosis", "no", "no"),
    ("gait_diagnosis", "nooo", "no"),
    ("gait_diagnosis", "not that I know of", "no"),
    ("gait_diagnosis", "never been diagnosed", "no"),
    ("gait_diagnosis", "no one has diagnosed anything", "no"),
    ("gait_diagnosis", "not sure", "no"),
    ("gait_diagnosis", "I don't know", "no"),
    # daily_load
    ("daily_load", "I'm on my feet all day at a till", "standing"),
    ("daily_load", "standng mostly", "standing"),
    ("daily_load", "I'm a hairdresser", "standing"),
    ("daily_load", "postman", "walking"),
    ("daily_load", "I walk a lot for work", "walking"),
    ("daily_load", "nurse, on my feet all day walking the wards", "walking"),
    ("daily_load", "desk job", "sitting"),
    ("daily_load", "office", "sitting"),
    ("daily_load", "sittng at a computer", "sitting"),
    ("daily_load", "I don't sit much, mostly standing", "standing"),
    ("daily_load", "a bit of everything", "mixed"),
    ("daily_load", "I sit at a desk but walk to work", "mixed"),
    ("daily_load", "it varies", "mixed"),
    ("daily_load", "retired", None),
    ("daily_load", "I'm a waitress", "walking"),
    ("daily_load", "I drive a lorry", "sitting"),
    ("daily_load", "I am talking to customers all day", None),
    ("daily_load", "half sitting half standing", "mixed"),
    # insole_history
    ("insole_history", "never tried", "none"),
    ("insole_history", "no", "none"),
    ("insole_history", "nope never", "none"),
    ("insole_history", "I haven't tried any", "none"),
    ("insole_history", "they helped a bit", "helped"),
    ("insole_history", "worked great", "helped"),
    ("insole_history", "made no difference", "no_change"),
    ("insole_history", "made no diference", "no_change"),
    ("insole_history", "didn't help", "no_change"),
    ("insole_history", "no better", "no_change"),
    ("insole_history", "they never helped", "no_change"),
    ("insole_history", "they didn't make it worse but didn't help", "no_change"),
    ("insole_history", "made it worse", "worse"),
    ("insole_history", "made it wrose", "worse"),
    ("insole_history", "helped at first then got worse", "worse"),
    ("insole_history", "yes", None),
    ("insole_history", "tried some from the pharmacy, no change", "no_change"),
    ("insole_history", "they did nothing", "no_change"),
    ("insole_history", "they hurt more", "worse"),
    ("insole_history", "not really", None),
    # red_flag_screen
    ("red_flag_screen", "none of those", "clear"),
    ("red_flag_screen", "no", "clear"),
    ("red_flag_screen", "nope, none", "clear"),
    ("red_flag_screen", "nah", "clear"),
    ("red_flag_screen", "nothing like that", "clear"),
    ("red_flag_screen", "neither", "clear"),
    ("red_flag_screen", "no to all", "clear"),
    ("red_flag_screen", "yes", "positive"),
    ("red_flag_screen", "yeah the tingling", "positive"),
    ("red_flag_screen", "one of them", "positive"),
    ("red_flag_screen", "I do", "positive"),
    ("red_flag_screen", "maybe", "positive"),
    ("red_flag_screen", "not sure", "positive"),
    ("red_flag_screen", "no, except numbness", "positive"),
    ("red_flag_screen", "none apart from the back pain", "clear"),
    ("red_flag_screen", "no, just the back pain", "clear"),
    ("red_flag_screen", "no but my groin feels numb", "positive"),
    ("red_flag_screen", "I have numbness", "positive"),
    ("red_flag_screen", "I don't have any of those", "clear"),
    ("red_flag_screen", "🙂", None),
]


@pytest.mark.parametrize("slot, text, expected", ANSWER_TABLE)
def test_parse_answer(slot, text, expected):
    assert parse_answer(slot, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I don't know my arch type", True),
        ("i dont know", True),
        ("no idea", True),
        ("not sure", True),
        ("not shure", True),
        ("idk", True),
        ("dunno", True),
        ("no clue", True),
        ("never checked", True),
        ("I know", False),
        ("yes", False),
        ("flat", False),
        ("", False),
        (None, False),
    ],
)
def test_is_dont_know(text, expected):
    assert is_dont_know(text) is expected


ROBUSTNESS_INPUTS = [
    "",
    " \n\t ",
    "x" * 10_000,
    "I have flat feet and " * 500,
    "😀🙃🦶" * 1000,
    "<script>alert('x')</script><b>flat</b>",
    "Tengo dolor de espalda desde hace dos meses",
    "腰痛が三ヶ月続いています",
    "\x00\x01\x02",
    "İİİ ß ﬁ",
    "9" * 500,
    "-" * 1000 + "8-9",
]


@pytest.mark.parametrize("slot", ASSESSMENT_SLOTS)
@pytest.mark.parametrize("text", ROBUSTNESS_INPUTS, ids=lambda t: repr(t[:15]))
def test_answers_never_crash_and_stay_in_the_contract(slot, text):
    value = parse_answer(slot, text)
    if slot == PAIN_SEVERITY:
        assert value is None or 0 <= value <= 10
    else:
        assert value is None or value in CATEGORICAL_VALUES[slot]


@pytest.mark.parametrize("slot, text", [("no_such_slot", "yes"), (None, "yes"), ("foot_arch", None), ("foot_arch", 42)])
def test_parse_answer_rejects_bad_arguments(slot, text):
    assert parse_answer(slot, text) is None
