"""Reading an insole trial and its effect."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer

INSOLE_HISTORY = [
    # A greeting's "good" is no outcome.
    ("good morning, no never tried them", "none"),
    ("good afternoon - never had any", "none"),
    # Second-language English for worse; blisters that got bad are not the back.
    ("I use gel insole two week, pain go more bad", "worse"),
    ("yes bought insoles, the back became more bad after", "worse"),
    ("tried them, got bad blisters but back better", "helped"),
    # Regional ways of saying a trial did nothing.
    ("bought a pair from the chemist, did nowt for me", "no_change"),
    ("wore some for a couple of months, done sod all", "no_change"),
    ("tried gel ones, they did hee-haw", "no_change"),
    ("tried gel ones, nothing change", "no_change"),
    ("never tried", "none"),
    ("no", "none"),
    ("nope never", "none"),
    ("I haven't tried any", "none"),
    ("not yet", "none"),
    ("never tried insoles, would they help?", "none"),
    ("wait, I never tried insoles", "none"),
    # Text-speak: "nvr" is never, "em" them.
    ("nvr tried them insoles", "none"),
    ("never worn em", "none"),
    ("never even tried them", "none"),
    ("I haven't actually used any", "none"),
    ("they helped a bit", "helped"),
    ("worked great", "helped"),
    ("yes they helped", "helped"),
    ("a bit better", "helped"),
    ("made no difference", "no_change"),
    # Several pairs, none with an effect: "helped" under "none of them" is no help.
    ("had three different pairs, none of them helped", "no_change"),
    ("neither pair did much", "no_change"),
    ("made no diference", "no_change"),
    ("didn't help", "no_change"),
    ("didn't really help", "no_change"),
    ("no better", "no_change"),
    ("used some gel ones for six weeks, no different", "no_change"),
    ("yes, nothing different really", "no_change"),
    ("they never helped", "no_change"),
    ("they didn't make it worse but didn't help", "no_change"),
    ("tried some from the pharmacy, no change", "no_change"),
    ("they did nothing", "no_change"),
    ("I tried Dr Scholl's but it didn't make any difference", "no_change"),
    ("tried some for a month, didn't notice any change", "no_change"),
    ("they helped, well actually they made no difference", "no_change"),
    ("yep, but I never noticed anything", "no_change"),
    ("tried a pair, rubbish", "no_change"),
    ("not much change", "no_change"),
    ("a slight improvement", "helped"),
    ("some on order, not tried yet", "none"),
    ("made it worse", "worse"),
    ("made it wrose", "worse"),
    ("they hurt more", "worse"),
    ("helped at first then got worse", "worse"),
    ("not sure", NOT_SURE),
    ("zero difference whatsoever", "no_change"),
    ("no inserts ever", "none"),
    # An outcome said of another treatment is not the insoles'.
    ("the orthotics helped, it was the physio that did nothing", "helped"),
    ("yoga helped but the insoles made no difference", "no_change"),
    ("can't remember", NOT_SURE),
    # "Yes" says nothing about the effect; "not really" could be either.
    ("yes", None),
    ("not really", None),
    ("would insoles help?", None),
    ("are Dr Scholl's any good?", None),
    ("used some for a month, still aching", "no_change"),
    ("same same, no better", "no_change"),
    # The outcome with its subject left out, as in second-language English.
    ("is no better", "no_change"),
    ("wore them some weeks but is the same", "no_change"),
]


@pytest.mark.parametrize("text, expected", INSOLE_HISTORY)
def test_read_insole_history(text, expected):
    assert read_answer("insole_history", text) == expected
