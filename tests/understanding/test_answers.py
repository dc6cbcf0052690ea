"""The answer readers' shared behaviour: the public API, yes/no, questions back, corrections, robustness."""

from __future__ import annotations

import copy
import pickle
import random
from datetime import date

import pytest

from rasa_project.clinical.contract import ASSESSMENT_SLOTS, CATEGORICAL_VALUES, PAIN_SEVERITY
from rasa_project.understanding.answers import NOT_SURE, NotSure, duration_category, read_answer, read_yes_no
from rasa_project.understanding.answers.numbers import find_numbers
from rasa_project.understanding.answers.words import tokenize

TODAY = date(2026, 11, 24)


def test_not_sure_is_one_value_that_survives_copies():
    assert NotSure("not sure") is NOT_SURE and list(NotSure) == [NOT_SURE]
    assert copy.deepcopy(NOT_SURE) is NOT_SURE
    assert pickle.loads(pickle.dumps(NOT_SURE)) is NOT_SURE
    assert repr(NOT_SURE) == "NOT_SURE"


YES_NO_TABLE = [
    # "I am" is a reply on its own, the subject of a statement when one goes on from it.
    ("I am", "yes"),
    ("I am, a little", "yes"),
    ("I am afraid so", "yes"),
    ("I am lost with these questions", None),
    ("I am retired now", None),
    ("I am not sure", NOT_SURE),
    # Scots and Northern English.
    ("naw", "no"),
    ("nae chance", "no"),
    ("naw, never", "no"),
    ("yes", "yes"),
    ("Yeah", "yes"),
    ("yep", "yes"),
    ("yup!", "yes"),
    ("yesss", "yes"),
    ("I think so", "yes"),
    ("I do", "yes"),
    ("definitely", "yes"),
    ("kinda", "yes"),
    ("a bit", "yes"),
    ("sometimes", "yes"),
    ("no", "no"),
    ("NOPE", "no"),
    # "Non" is how many people who learnt French first say no.
    ("non", "no"),
    # "I've been ..." says nothing: "I've been answering for someone else".
    ("I've been answering for someone else", None),
    ("nah", "no"),
    ("noo", "no"),
    ("not really", "no"),
    ("I don't think so", "no"),
    ("not that I know of", "no"),
    ("never", "no"),
    ("no I don't", "no"),
    ("maybe", NOT_SURE),
    ("not sure", NOT_SURE),
    ("dunno", NOT_SURE),
    ("idk", NOT_SURE),
    ("yes and no", NOT_SURE),
    ("?", NOT_SURE),
    ("sorry, I don't understand the question", NOT_SURE),
    ("no, actually yes", "yes"),
    ("yes - sorry, I mean no", "no"),
    ("what do you mean?", None),
    ("can you explain?", None),
    ("flat feet", None),
    ("", None),
    ("🙂", None),
    # A cross or a tick typed for the answer.
    ("❌", "no"),
    ("✅", "yes"),
    ("✔️ yep", "yes"),
]


@pytest.mark.parametrize("text, expected", YES_NO_TABLE)
def test_read_yes_no(text, expected):
    assert read_yes_no(text) == expected


# Real questions mid-assessment are not answers to the question asked.
QUESTIONS_BACK = [
    ("foot_arch", "are Dr Scholl's any good?"),
    ("insole_history", "are Dr Scholl's any good?"),
    ("insole_history", "would insoles help?"),
    # A question opened by a word of candour still asks.
    ("insole_history", "honestly, do insoles help anyone? seems like a gimmick"),
    ("insole_history", "seriously is there proof they help backs"),
    ("gait_diagnosis", "should I see a podiatrist or a physio?"),
    ("leg_length_difference", "do heel lifts work?"),
    ("leg_length_difference", "should I get a heel lift?"),
    ("daily_load", "can I keep running?"),
    ("pain_duration", "is 3 months a long time?"),
    ("pain_severity", "what counts as a 7?"),
    ("shoe_wear", "which shoes are best?"),
    # Questions typed without a question mark.
    ("insole_history", "just wondering if gel heel cups would help"),
    ("gait_diagnosis", "tell me more about custom orthotics"),
    ("pain_severity", "are high arches worse than flat feet"),
    ("insole_history", "so do orthotics work or not"),
    ("foot_arch", "should flat feet be treated"),
    ("pain_severity", "one sec"),
    # A copula opening asks when a subject follows, or when a value word starts a longer clause.
    ("foot_arch", "is high arch a problem"),
    ("foot_arch", "is it normal to have flat feet"),
    ("pain_severity", "is that out of 10"),
    *((slot, "I'm pregnant, is that ok?") for slot in ASSESSMENT_SLOTS),
    *((slot, "What does that mean?") for slot in ASSESSMENT_SLOTS),
]


@pytest.mark.parametrize("slot, text", QUESTIONS_BACK)
def test_questions_asked_back_are_no_answer(slot, text):
    assert read_answer(slot, text, today=TODAY) is None


ANSWER_WITH_A_QUESTION = [
    # A relative clause after a comma goes on with the statement; it asks nothing.
    ("pain_duration", "since I moved house, which was roughly 5 weeks ago", "acute"),
    ("pain_duration", "since I got the new job, which means about four months", "chronic"),
    ("foot_arch", "flat, which is what the physio said", "flat"),
    ("insole_history", "never tried insoles, would they help?", "none"),
    ("foot_arch", "flat, why?", "flat"),
    ("foot_arch", "high I think, does that matter?", "high"),
    ("pain_duration", "about 2 months, is that bad?", "subacute"),
    ("daily_load", "I sit all day, should I get a standing desk?", "sitting"),
]


@pytest.mark.parametrize("slot, text, expected", ANSWER_WITH_A_QUESTION)
def test_the_answer_part_of_a_reply_that_also_asks(slot, text, expected):
    assert read_answer(slot, text, today=TODAY) == expected


CORRECTIONS = [
    ("foot_arch", "flat, sorry I meant high", "high"),
    ("foot_arch", "sorry I meant flat not high", "flat"),
    ("pain_duration", "3 weeks, actually more like 4 months", "chronic"),
    # A corrected bare number keeps the unit of the answer it replaces.
    ("pain_duration", "5 weeks - no hang on, closer to 9", "subacute"),
    ("pain_duration", "a month, sorry I mean 5", "chronic"),
    ("pain_duration", "10 days, actually 3", "acute"),
    ("pain_severity", "6, no wait, 8", 8),
    # A "no" on its own, opening a later clause, takes back the answer before it.
    ("pain_severity", "5. no, 3 most days", 3),
    ("foot_arch", "high - nah, normal I reckon", "normal"),
    ("gait_diagnosis", "no one ever checked", "no"),
    ("red_flag_screen", "no. I had a fever last winter, long gone", "clear"),
    ("shoe_wear", "inside - actually no, the outside", "outer"),
    ("leg_length_difference", "no, actually yes a bit", "yes"),
    ("insole_history", "they helped, well actually they made no difference", "no_change"),
    ("daily_load", "sitting, sorry, I mean standing", "standing"),
    # "Actually" for emphasis: nothing after it to read, so the whole reply counts.
    ("foot_arch", "they're high actually", "high"),
    # A trailing apology corrects nothing: the correction before it counts.
    ("pain_duration", "actually nearer 5 months, sorry", "chronic"),
    ("pain_duration", "sorry, about 10 days actually", "acute"),
    # "Actually" inside a clause stresses; it does not cut the reply.
    ("insole_history", "I haven't actually tried any", "none"),
    ("insole_history", "they did help actually, I wore them last winter", "helped"),
]


@pytest.mark.parametrize("slot, text, expected", CORRECTIONS)
def test_a_reply_that_corrects_itself_counts_its_last_word(slot, text, expected):
    assert read_answer(slot, text, today=TODAY) == expected


# Asking to start again or to stop is no answer, whatever answer-like words it has.
SOMEONE_ELSES_BESIDE_ONE_OWN = [
    ("foot_arch", "her feet are flat, mine are high I reckon", "high"),
    ("pain_duration", "mine started a fortnight ago but my dad's has gone on for decades", "acute"),
    ("leg_length_difference", "he's got the longer leg, not me, mine are equal", "no"),
    # A clinician's report about the person is the person's own.
    ("foot_arch", "she said my arches are high", "high"),
    # Someone else reporting on the person, with no word of their own to set against it.
    ("gait_diagnosis", "yep, he found a gait abnormality, hence the referral", "yes"),
    ("shoe_wear", "my husband looked at my boots and he reckons the inside edge goes first", "inner"),
    ("foot_arch", "my mum's are flat, and she thinks mine are too", None),
    # A child whose birth dates the pain: the child's age is how long it has lasted.
    ("pain_duration", "ever since having my son, and he is nearly three now", "chronic"),
    ("pain_duration", "since I had the baby, she's 9 weeks old", "subacute"),
    ("pain_duration", "my daughter has had it for 2 years, I've had mine 3 weeks", "acute"),
    # Someone else's story, then "so" or "because" and the person's worry: no answer.
    ("pain_duration", "my mum had a slipped disc years ago so I'm worried", None),
    ("pain_duration", "I'm worried because my brother had back surgery 2 years ago", None),
    ("pain_duration", "my back's been sore 3 weeks so I'm worried", "acute"),
    # The answer first, naming nobody, then a story about a relative and the person's own foot.
    ("foot_arch", "Flat, sadly. My father was the same, I get sore by the evening", "flat"),
    ("foot_arch", "well high. my gran had them too, I take after her", "high"),
    ("shoe_wear", "outside edges. my brother's go the same way, I always need new ones", "outer"),
    # An opening that does not answer leaves the answer to the person's own clauses.
    ("foot_arch", "no clue. my husband reckons mine look normal, his are flat", "normal"),
    # A longer opening naming nobody tells of the family, not the person's answer.
    ("foot_arch", "flat feet run in our family. my dad has them, mine are normal", "normal"),
]


@pytest.mark.parametrize("slot, text, expected", SOMEONE_ELSES_BESIDE_ONE_OWN)
def test_only_the_persons_own_clauses_answer(slot: str, text: str, expected: object) -> None:
    assert read_answer(slot, text) == expected


REQUESTS_ABOUT_THE_QUESTIONS = [
    ("leg_length_difference", "wait, can we start again? I've been answering for my brother"),
    ("leg_length_difference", "stop, I don't want to answer any more"),
    ("foot_arch", "let's start over, flat"),
    ("insole_history", "restart please, no I mean from the top"),
    ("red_flag_screen", "can we go back to the beginning"),
    ("daily_load", "no more questions, I'm done"),
    # Asked as a question after a statement: still a request, not an answer.
    ("gait_diagnosis", "Apologies, I am muddled, I replied in a hurry. Could we begin again please?"),
    ("leg_length_difference", "I have made a mess of this. Can you restart the questions?"),
]


@pytest.mark.parametrize("slot, text", REQUESTS_ABOUT_THE_QUESTIONS)
def test_a_request_to_start_over_or_stop_is_no_answer(slot, text):
    assert read_answer(slot, text, today=TODAY) is None


@pytest.mark.parametrize(
    "slot, text, expected",
    [
        ("pain_duration", "from the beginning of summer", "chronic"),
        ("pain_duration", "it started again about a month ago", "acute"),
        ("pain_duration", "since the start of the year", "chronic"),
    ],
)
def test_words_of_time_are_no_request_to_start_over(slot, text, expected):
    assert read_answer(slot, text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text, values",
    [
        ("seven", [7]),
        ("twenty five", [25]),
        ("1.5", [1.5]),
        ("1,5", [1.5]),
        ("a couple of", [2]),
        ("a few", [3]),
        ("half an", [0.5]),
        ("one and a half", [1.5]),
        ("8-9", [9]),
        ("4 or 5", [5]),
        ("three and eight", [3, 8]),
        ("no numbers", []),
    ],
)
def test_numbers_in_words_and_digits(text, values):
    assert [n.value for n in find_numbers(tokenize(text)) if not n.article] == values


def test_words_keep_their_offsets_in_the_text_as_typed():
    text = "İİ Back\u2019s SORE"
    assert [(w.text, text[w.start : w.end]) for w in tokenize(text)][-2:] == [("back", "Back\u2019s"), ("sore", "SORE")]


@pytest.mark.parametrize(
    "weeks, category",
    [(0.0, "acute"), (5.99, "acute"), (6.0, "subacute"), (12.0, "subacute"), (12.0001, "chronic"), (520.0, "chronic")],
)
def test_duration_category_boundaries(weeks, category):
    assert duration_category(weeks) == category


@pytest.mark.parametrize("weeks", [-1.0, float("nan"), float("inf"), "6", None, True])
def test_duration_category_rejects_non_durations(weeks):
    with pytest.raises(ValueError):
        duration_category(weeks)


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
    "\ud800\udfff lone surrogates \ud800 seven",
    "İİİ ß ﬁ",
    "9" * 500,
    "-" * 1000 + "8-9",
    "since since since since",
    "and a half and a half",
    "? ? ? ?",
    "nine hundred and ninety nine thousand weeks",
    "1/0 0/0 10/0",
]


@pytest.mark.parametrize("slot", ASSESSMENT_SLOTS)
@pytest.mark.parametrize("text", ROBUSTNESS_INPUTS, ids=lambda t: repr(t[:15]))
def test_answers_never_crash_and_stay_in_the_contract(slot, text):
    _assert_in_contract(slot, read_answer(slot, text, today=TODAY))


def test_random_text_never_breaks_a_reader():
    rng = random.Random(20261124)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,?!'-/\u2019\U0001f600\u0130\ud800\n<>"
    words = ["not", "sure", "flat", "high", "since", "march", "a", "half", "weeks", "no", "yes", "10", "/", "out", "of"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        text += " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        for slot in ASSESSMENT_SLOTS:
            _assert_in_contract(slot, read_answer(slot, text, today=TODAY))
        assert read_yes_no(text) in ("yes", "no", NOT_SURE, None)


def _assert_in_contract(slot, value):
    if value is None or value is NOT_SURE:
        return
    if slot == PAIN_SEVERITY:
        assert isinstance(value, int) and 0 <= value <= 10
    else:
        assert value in CATEGORICAL_VALUES[slot]


@pytest.mark.parametrize("slot, text", [("no_such_slot", "yes"), (None, "yes"), ("foot_arch", None), ("foot_arch", 42)])
def test_read_answer_rejects_bad_arguments(slot, text):
    assert read_answer(slot, text) is None


@pytest.mark.parametrize("text", [None, 42, b"yes"])
def test_read_yes_no_rejects_non_strings(text):
    assert read_yes_no(text) is None
