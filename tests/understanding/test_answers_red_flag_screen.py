"""Reading the answer to the explicit red-flag question: clear, positive, or not sure (escalated)."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer

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
    ("not sure", NOT_SURE),
    ("possibly", NOT_SURE),
    ("no, but what counts as numbness?", NOT_SURE),
    ("I'm pregnant, is that ok?", None),
    ("🙂", None),
]


@pytest.mark.parametrize("text, expected", SCREEN)
def test_read_red_flag_screen(text, expected):
    assert read_answer("red_flag_screen", text) == expected
