"""Reading whether a clinician diagnosed a gait or foot-structure problem."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer

GAIT = [
    # Nobody who could diagnose ever did.
    ("nobody medical has ever diagnosed anything", "no"),
    ("no one qualified ever diagnosed anything", "no"),
    ("no doctor has ever diagnosed anything", "no"),
    # A report played down to an arch type is no diagnosis; an arch type diagnosed is one.
    ("he only told me I've got flat feet", "no"),
    ("the physio just said high arches, that's all", "no"),
    ("only flat feet, diagnosed by my GP", "yes"),
    ("just high arches, but she also found I overpronate", "yes"),
    # A check that found nothing is no diagnosis.
    ("I had a gait analysis and it was normal", "no"),
    ("running shop did a gait scan, all fine", "no"),
    ("the physio watched me walk and said nothing was wrong", "no"),
    ("physio assessed my walking, nothing came up", "no"),
    ("had a gait analysis, it came back ok", "no"),
    ("the gait analysis wasn't normal", "yes"),
    ("had my gait checked, the podiatrist found I overpronate", "yes"),
    # Voice dictation writes "gait" as "gate"; a garden gate stays a gate.
    ("yep my physio found a gate problem", "yes"),
    ("the gate assessment showed I overpronate", "yes"),
    ("no, I only go out through the garden gate", "no"),
    # No clinician of any kind ever found one.
    ("no doctor has ever said there's a problem with my feet", "no"),
    ("No physiotherapist has diagnosed anything wrong with how I walk.", "no"),
    ("no gp or podiatrist ever told me I overpronate", "no"),
    ("yes, no doctor needed, a podiatrist diagnosed overpronation", "yes"),
    ("a physio told me I've a wonky gait", "yes"),
    ("naebody has ever told me that", "no"),
    # "Nobody" negates what follows it.
    ("nope, nobody has diagnosed me with anything", "no"),
    ("nobody's found a problem with my walking", "no"),
    ("yes", "yes"),
    ("yep", "yes"),
    ("yess", "yes"),
    ("yes, overpronation", "yes"),
    ("yes flat feet", "yes"),
    ("a podiatrist said I overpronate", "yes"),
    ("my physio said I overpronate", "yes"),
    ("I had a gait analysis and they found excessive pronation", "yes"),
    ("diagnosed with a leg length discrepancy", "yes"),
    ("yes, the physio said there's a problem with the way I walk", "yes"),
    ("a podiatrist told me my feet roll inwards", "yes"),
    ("my osteopath says my knees turn in when I run", "yes"),
    ("not formally", "no"),
    ("no", "no"),
    ("my GP said there's nothing wrong with how I walk", "no"),
    ("they told me my gait was normal", "no"),
    ("nooo", "no"),
    ("not that I know of", "no"),
    ("never been diagnosed", "no"),
    ("no one has diagnosed anything", "no"),
    ("nobody has checked", "no"),
    ("no I haven't seen a podiatrist", "no"),
    # The form reads "not sure" as no diagnosis on record; the reader only says so.
    ("not sure", NOT_SURE),
    # "I am" is no yes when it opens a "not sure" or a statement of its own.
    ("I am not sure about that", NOT_SURE),
    ("I am lost here", None),
    ("I don't know", NOT_SURE),
    ("should I see a podiatrist or a physio?", None),
    ("what's a gait analysis?", None),
    ("🙂", None),
    # A finding no one ever reported is none.
    ("no one has ever said there's anything about how I walk", "no"),
    ("nobody mentioned anything with the way I run", "no"),
    # A diagnosis of nothing, whatever advice came with it, is no diagnosis.
    ("thinking back, he never diagnosed anything, he only said my boots were worn", "no"),
    ("no, she never really diagnosed anything, just told me to get new trainers", "no"),
    ("nothing diagnosed after all", "no"),
    ("the doctor diagnosed nothing", "no"),
    ("yes, diagnosed with overpronation, nothing else", "yes"),
]


@pytest.mark.parametrize("text, expected", GAIT)
def test_read_gait_diagnosis(text, expected):
    assert read_answer("gait_diagnosis", text) == expected
