"""Reading the arch type: single words, typos, the wet-foot test, hedges, two types at once."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer

ARCH = [
    # The subject left out, a short value settled by a hedge after it: no question.
    ("is flat I guess", "flat"),
    ("is high i reckon", "high"),
    ("was normal I believe", "normal"),
    ("is normal probably", "normal"),
    ("is flat feet bad", None),
    # The conclusion drawn from a print wins over its description.
    ("there's a deep curve on the inside edge, so normal I think", "normal"),
    ("big gap under the middle, looks like a high arch to me", "high"),
    # The wet-foot test described: the whole sole, half the arch, heel and toes only.
    ("flattish", "flat"),
    ("you can see roughly half the arch on the print", "normal"),
    ("only heel and toes show up", "high"),
    ("just a narrow strip down the outside", "high"),
    ("high", "high"),
    ("HIGH", "high"),
    ("hgih", "high"),
    ("hihg", "high"),
    ("pretty high arches", "high"),
    ("high arcehs", "high"),
    ("kinda high", "high"),
    # A place on the foot is no arch type: "the middle of my foot" is not "middle".
    ("high, there's a huge gap under the middle of the sole", "high"),
    ("flat, the middle of my foot touches the floor", "flat"),
    ("my footprint only shows the heel and the ball", "high"),
    ("flat", "flat"),
    ("flta", "flat"),
    ("flatt", "flat"),
    ("Flat as pancakes", "flat"),
    ("flat footed", "flat"),
    ("flat-footed", "flat"),
    ("I have fallen arches", "flat"),
    ("my arches are collapsed", "flat"),
    ("low", "flat"),
    ("the wet foot test showed the whole foot", "flat"),
    # The print's inner edge: a curve is a normal arch, a deep curve a high one.
    ("stood on a paper bag, the print goes in with a nice curve", "normal"),
    ("the mark curves inwards along the inner side", "normal"),
    ("a deep curve, hardly anything between heel and toes", "high"),
    ("maybe flat", "flat"),
    ("not sure, maybe flat", "flat"),
    ("<b>flat</b>", "flat"),
    ("normal I think", "normal"),
    ("kind of average", "normal"),
    ("my arches are just ordinary", "normal"),
    ("my arches are fine", "normal"),
    ("somewhere in between", "normal"),
    # A named type explains the curve beside it; a middle beside "don't know" is an unread print.
    ("flat ones, hardly curved at all", "flat"),
    ("arch is high, strongly curved", "high"),
    ("print was sort of in the middle, really can't tell", NOT_SURE),
    ("a clear curve along the inside, not the whole sole", "normal"),
    ("not flat, not high", "normal"),
    # corrections
    ("sorry I meant flat not high", "flat"),
    ("flat, actually no, high", "high"),
    # not sure
    ("I don't know", NOT_SURE),
    ("I don't know my arch type", NOT_SURE),
    ("no idea", NOT_SURE),
    ("tried the wet footprint, I honestly can't quite tell", NOT_SURE),
    ("I cannot really say", NOT_SURE),
    ("not sure", NOT_SURE),
    ("not shure", NOT_SURE),
    ("idk", NOT_SURE),
    ("I don't know if they're flat", NOT_SURE),
    ("flat or high, no idea", NOT_SURE),
    ("flat or high?", NOT_SURE),
    # A hedge between two types that then settles on one is that one; a pair left open is not.
    ("between high and normal, high I'd say", "high"),
    ("could be flat or normal, normal probably", "normal"),
    ("not sure if high or normal... normal I think", "normal"),
    ("flat or high, I think", NOT_SURE),
    ("did the test on the kitchen tiles but couldn't make much out", NOT_SURE),
    # no answer
    ("they're not flat", None),
    ("I wear high heels", None),
    ("are Dr Scholl's any good?", None),
    ("neither", None),
    ("😀", None),
]


@pytest.mark.parametrize("text, expected", ARCH)
def test_read_foot_arch(text, expected):
    assert read_answer("foot_arch", text) == expected
