"""Reading the answer to the explicit red-flag question: clear, positive, or not sure (escalated)."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer
from rasa_project.understanding.answers.red_flag_screen import names_an_exception

SCREEN = [
    ("none of those", "clear"),
    ("no", "clear"),
    ("nope, none", "clear"),
    ("nah", "clear"),
    ("NONE OF THESE", "clear"),
    ("nothing like that", "clear"),
    ("neither", "clear"),
    ("no to all", "clear"),
    ("I don't have any of those", "clear"),
    ("I don't think so", "clear"),
    ("no numbness or tingling", "clear"),
    ("none apart from the back pain", "clear"),
    ("no, just the back pain", "clear"),
    # A "have" or "confirm" whose clause goes on to say none is no yes.
    ("I can confirm that I have had none of those things.", "clear"),
    ("I've had none of them", "clear"),
    ("I have numbness but none of the others", "positive"),
    ("yes I have, none of the others though", "positive"),
    ("yes", "positive"),
    ("yeah the tingling", "positive"),
    ("the tingling one", "positive"),
    ("one of them", "positive"),
    ("I do", "positive"),
    ("I have numbness", "positive"),
    ("sometimes", "positive"),
    ("kinda", "positive"),
    ("no, except numbness", "positive"),
    ("no but my groin feels numb", "positive"),
    ("no but I do get tingling in my leg", "positive"),
    ("only the night pain", "positive"),
    ("I have had a fever", "positive"),
    ("no, actually yes", "positive"),
    # Symptoms are positive even when they are told with "can't" or "don't" ...
    ("I can't control my bladder", "positive"),
    ("I don't feel anything when I wipe", "positive"),
    # ... and denied ones are not.
    ("no problems with my bladder or bowels and no numbness anywhere", "clear"),
    ("I don't have any numbness", "clear"),
    ("no numbness but tingling in my leg", "positive"),
    # Uncertainty about a red flag is for the caller to escalate.
    ("maybe", NOT_SURE),
    # Not understanding the question is never a "no" to the warning signs.
    ("I don't get what you mean", NOT_SURE),
    ("not sure", NOT_SURE),
    ("possibly", NOT_SURE),
    ("negative for all of them", "clear"),
    ("all normal", "clear"),
    ("zilch", "clear"),
    ("non", "clear"),
    ("just the back ache", "clear"),
    ("no, apart from it hurting when I bend", "clear"),
    ("no, apart from when I sit my legs go numb", "positive"),
    ("no, but what counts as numbness?", NOT_SURE),
    # A "no" that also says it does not know is uncertainty, not a clear screen.
    ("um, no clue really, I've not been keeping track of any of that", NOT_SURE),
    ("I don't know, haven't had any reason to check", NOT_SURE),
    ("no, never noticed anything like that", "clear"),
    # A sign told as past and gone does not undo the "no" ...
    ("none now. years back I had pins and needles in my leg but it cleared up", "clear"),
    ("no. I did get a fever last winter, long gone", "clear"),
    ("nothing today, the leg tingling I used to get stopped ages ago", "clear"),
    # ... but a sign not said to be gone, one said to go on, a history that always
    # counts, or a past sign with no "no" at all still asks which one.
    ("none at the moment, but I had night sweats in the summer", "positive"),
    ("no, but the tingling in my leg hasn't gone away", "positive"),
    ("no, the fever went away but I still get numbness in my leg", "positive"),
    ("none now, I had bowel cancer but I've been given the all clear", "positive"),
    ("not now, I was on steroid tablets for years but stopped last year", "positive"),
    ("I had sciatica once but it went away", "positive"),
    # Pointing back at an item already told is a yes to it; naming a topic alone is not.
    ("the legs, as I told you before", "positive"),
    ("my bum, as I said earlier", "positive"),
    ("the bladder thing I mentioned", "positive"),
    ("like I said, my legs are fine", None),
    ("legs ok", None),
    ("I'm pregnant, is that ok?", None),
    ("🙂", None),
]


@pytest.mark.parametrize("text, expected", SCREEN)
def test_read_red_flag_screen(text, expected):
    assert read_answer("red_flag_screen", text) == expected


@pytest.mark.parametrize(
    ("text", "exception"),
    [
        ("no, apart from the leaks I told you about", True),
        ("none except a bit of tingling", True),
        ("nothing other than the backache", True),
        ("nope, none of those", False),
        ("no", False),
    ],
)
def test_names_an_exception(text: str, exception: bool) -> None:
    assert names_an_exception(text) is exception
