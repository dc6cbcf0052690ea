"""Reading how bad the pain is, 0 to 10: numbers, scores out of ten and words."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer
from rasa_project.understanding.answers.pain_severity import scored_in_words

SEVERITY = [
    # The usual score of several answers the typical day the question asks about.
    ("normally a 3, on bad days 6", 3),
    ("8 when it flares, but 4 most days", 4),
    ("6 usually, 9 at its worst", 6),
    ("usually 4 or 5", 5),
    ("3 at rest, 8 when walking", 8),
    # "-ish" typed onto a number word
    ("sevenish", 7),
    ("threeish i think", 3),
    ("somewhere in the middle", 5),
    ("sevn", 7),
    ("fiev maybe", 5),
    # bare numbers, as answers to the question
    ("7", 7),
    ("0", 0),
    ("10", 10),
    ("10.", 10),
    ("10!!", 10),
    ("a 7 I guess", 7),
    ("about a 5", 5),
    ("5ish", 5),
    ("dunno like a 5?", 5),
    ("a solid 10", 10),
    ("seven", 7),
    ("Ten", 10),
    ("zero", 0),
    # scores out of ten: "10" and "10/10" read alike
    ("10/10", 10),
    ("10 out of 10", 10),
    ("7/10", 7),
    ("7 / 10", 7),
    ("seven out of ten", 7),
    ("7 outta 10", 7),
    ("pain is a 7", 7),
    ("the pain\u2019s a 7", 7),
    ("6 on the pain scale", 6),
    ("7 on a scale of 1 to 10", 7),
    ("on a scale of 1 to 10 it's a 7", 7),
    ("15/10", 10),
    # ranges, fractions, several scores: the more serious reading
    ("8-9", 9),
    ("8-9/10", 9),
    ("I'd say 4 or 5", 5),
    ("about seven or eight", 8),
    ("6.5", 7),
    ("It's a 3 when resting and 8 when walking", 8),
    ("7/10 at worst, 3/10 most days", 7),
    # several scores, then one settled on: that one
    ("five, six when it's bad - call it five", 5),
    ("2 lying down, 6 on the stairs, so say 4", 4),
    ("3 or 4, let's go with 3", 3),
    ("7 at worst but I'd put it at a 5", 5),
    ("I'd say 6", 6),
    # words
    ("mild", 3),
    ("very mild", 2),
    ("moderate", 5),
    ("not bad", 3),
    ("not too bad", 3),
    ("pretty bad", 7),
    # A comparison with another pain, without a number, is no score; a number still is.
    ("roughly as painful as a migraine", None),
    ("worse than when I broke my wrist", None),
    ("as bad as a 6 on most days", 6),
    ("severe", 8),
    ("not severe, just mild", 3),
    ("unbearable", 10),
    ("bearable", 4),
    ("killing me", 8),
    ("excrutiating", 10),
    ("no pain right now", 0),
    # corrections
    ("6, no wait, 8", 8),
    # not sure
    ("not sure", NOT_SURE),
    ("dunno", NOT_SURE),
    ("hard to say", NOT_SURE),
    # no score
    ("15", None),
    # A number set against a duration shares its unit: no score.
    ("nearer 10 weeks than 5", None),
    ("100", None),
    ("around 4/5", None),
    ("3 weeks", None),
    ("I lost 5 kg", None),
    ("two legs", None),
    ("what counts as a 7?", None),
    # A copula with its subject left out, as in second-language English, states the score.
    ("is 8", 8),
    ("was about four", 4),
    ("is maybe 3", 3),
    ("is 5?", None),
    # Text-speak spellings are no misspelt numbers: "nite" is no "nine".
    ("7 and worse at nite", 7),
    ("6 tho it's worse thru the nite", 6),
    ("a 4, bit more tonite", 4),
    ("", None),
    ("🙂", None),
]


@pytest.mark.parametrize("text, expected", SEVERITY)
def test_read_pain_severity(text, expected):
    assert read_answer("pain_severity", text) == expected


@pytest.mark.parametrize("text", ["10", "10/10", "10 out of 10", "ten", "a 10", "10/10!", "TEN OUT OF TEN"])
def test_ten_reads_the_same_however_it_is_written(text):
    assert read_answer("pain_severity", text) == 10


@pytest.mark.parametrize(
    "text, in_words",
    [
        ("moderate", True),
        ("pretty bad really", True),
        ("tolerable!", True),
        ("a 6", False),
        ("bad, maybe 7", False),
        ("6/10, severe", False),
        ("dunno", False),
        ("", False),
        (None, False),
    ],
)
def test_a_score_in_words_only_is_told_apart_from_a_number(text, in_words):
    assert scored_in_words(text) is in_words
