"""Reading where the soles wear first."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer

SHOE_WEAR = [
    # A side said to look new or fine is not worn: the other side is.
    ("got my boots now - the outer edge is worn away, the inner one looks new", "outer"),
    ("inside edge is bald, outside looks fine", "inner"),
    ("the inside is ok but the outside is worn right down", "outer"),
    ("both sides look new", NOT_SURE),
    ("inside and outside both worn", NOT_SURE),
    # Dictation splits "inside" and "outside".
    ("mine go on the out side edge", "outer"),
    ("the heels wear down on the in side", "inner"),
    # Both sides alike is even wear, not wear on two sides.
    ("the same each side", "even"),
    ("same on either side really", "even"),
    ("both sides the same", "even"),
    ("under the little toe", "outer"),
    ("near my big toe", "inner"),
    ("normal wear", "even"),
    ("nothing stands out", "even"),
    ("not really noticed", NOT_SURE),
    ("I'd have to check", NOT_SURE),
    ("inside", "inner"),
    ("insde", "inner"),
    ("the inside edge wears first", "inner"),
    ("on the inner side", "inner"),
    ("big toe side", "inner"),
    ("outsides", "outer"),
    ("the outer edge", "outer"),
    ("outsde mostly", "outer"),
    ("OUTSIDE", "outer"),
    ("outer edge of the heel", "outer"),
    ("evenly", "even"),
    ("kind of evenly", "even"),
    ("pretty much the same all over", "even"),
    ("inside - actually no, the outside", "outer"),
    ("dunno", NOT_SURE),
    ("never checked", NOT_SURE),
    ("haven't looked", NOT_SURE),
    ("I don't know if it's the inside", NOT_SURE),
    ("inside and outside", NOT_SURE),
    ("a bit of both really", NOT_SURE),
    ("both edges equally worn", "even"),
    # Wear said to match on the two sides is even, not wear on both sides.
    ("equal on each side", "even"),
    ("pretty balanced, left and right", "even"),
    ("identical on either side I'd say", "even"),
    ("both shoes the same really", "even"),
    ("matching wear", "even"),
    # A comparison names the side that wears first; "the other one" is the side not denied.
    ("outer edges go a lot quicker than the inner ones", "outer"),
    ("the inside wears less than the outside", "outer"),
    ("inner more than outer", "inner"),
    ("not the outside, it's the other side", "inner"),
    ("not the big toe side, the other one", "outer"),
    ("heel", None),
    ("which shoes are best?", None),
    # One shoe wears on one side, the other evenly: the side that wears.
    ("right one goes on the inside, the left one is normal", "inner"),
    ("left shoe more on the outer edge, other one even", "outer"),
    # "Even" as an adverb says nothing about the wear.
    ("outside, the shoe repair man even said so", "outer"),
    ("inner edge, even my slippers", "inner"),
    ("on the little toe side, even the brand new pair", "outer"),
    ("even, I think", "even"),
    ("pretty even all round", "even"),
    # A copula with its subject left out states the wear.
    ("is same on both shoe", "even"),
    ("is more the inside", "inner"),
    ("are mostly outside", "outer"),
]


@pytest.mark.parametrize("text, expected", SHOE_WEAR)
def test_read_shoe_wear(text, expected):
    assert read_answer("shoe_wear", text) == expected
