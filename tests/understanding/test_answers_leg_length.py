"""Reading whether one leg is longer: words, measurements, yes and no."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer

LEG_LENGTH = [
    # An answering "no", then the value with its subject left out.
    ("no is same", "no"),
    ("nope, are equal", "no"),
    ("no, it's the same", "no"),
    # "They're" written as it sounds: "no" answers, it does not negate "the same".
    ("nope there equal", "no"),
    ("no their the same length", "no"),
    ("no theyre identical", "no"),
    # A measurement that found nothing is no difference.
    ("the physio measured my legs, all normal", "no"),
    ("GP measured them and they came out fine", "no"),
    ("had them checked at the clinic, nothing wrong", "no"),
    # Nobody has looked: not known, not "no".
    ("dunno, no one ever looked", NOT_SURE),
    ("no idea, nobody has ever measured them", NOT_SURE),
    ("no one has said anything about it", "no"),
    # Nobody has measured: the person does not know.
    ("never had them measured", NOT_SURE),
    ("I have never checked such a thing", NOT_SURE),
    ("not sure, they've never been checked", NOT_SURE),
    ("never been measured, but they look the same to me", "no"),
    ("nae difference", "no"),
    # "The" left out, as people writing in a second language often do.
    ("they are same", "no"),
    ("both same", "no"),
    # A plain "no" and then its reason is no difference, not "not the same".
    ("nope, same", "no"),
    ("no equal", "no"),
    ("not the same", "yes"),
    # "Longer than that" is about time.
    ("it's been a lot longer than that", None),
    ("yes", "yes"),
    ("yeah", "yes"),
    ("yes I think so", "yes"),
    ("kinda", "yes"),
    ("yes one leg is shorter", "yes"),
    ("my left leg is longer", "yes"),
    ("one is a bit longer, I think", "yes"),
    ("trousers hang unevenly", "yes"),
    ("1.5cm", "yes"),
    ("about 1.5 cm", "yes"),
    ("half an inch", "yes"),
    ("5mm", "yes"),
    ("my physio said my left is 1cm shorter", "yes"),
    ("no, actually yes a bit", "yes"),
    ("nope", "no"),
    ("nah", "no"),
    ("noo", "no"),
    ("both legs are the same", "no"),
    ("no they're the same", "no"),
    ("no difference", "no"),
    ("my legs are the same length", "no"),
    ("not that I know of", "no"),
    ("I don't think so", "no"),
    ("0 cm", "no"),
    ("not sure", NOT_SURE),
    ("no idea", NOT_SURE),
    ("never measured", NOT_SURE),
    ("hmm maybe", NOT_SURE),
    ("I don't know if one is shorter", NOT_SURE),
    ("the same length but one is shorter", NOT_SURE),
    ("do heel lifts work?", None),
    ("should I get a heel lift?", None),
    ("🦵", None),
    # "Ever" is not a misspelt "even".
    ("not that anybody ever told me", "no"),
    ("not that anyone's mentioned", "no"),
]


@pytest.mark.parametrize("text, expected", LEG_LENGTH)
def test_read_leg_length_difference(text, expected):
    assert read_answer("leg_length_difference", text) == expected
