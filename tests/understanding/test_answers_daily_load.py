"""Reading what most of the day is spent doing: activities, places, jobs and mixtures."""

from __future__ import annotations

import pytest

from rasa_project.understanding.answers import NOT_SURE, read_answer

DAILY_LOAD = [
    # How the person walks is their gait, not their day.
    ("I walk with a limp, but I sit at a computer all day", "sitting"),
    ("sitting mostly, and I walk on my toes", "sitting"),
    ("I potter around the house, a bit of sitting, a bit of reading", "mixed"),
    ("sitting mostly. nah actually half sitting half on the move", "mixed"),
    # Running a business is managing it, not running.
    ("I run a pub, on my feet behind the bar most of the shift", "standing"),
    ("I run the accounts team from my desk", "sitting"),
    ("I run a fair bit, but I'm mostly at a desk", "sitting"),
    ("walking round the warehouse mainly", "walking"),
    ("I run a couple of miles each day for work", "walking"),
    # A chair or a vehicle is a day sitting.
    ("in a chair the whole day, answering the phones", "sitting"),
    ("behind the wheel of my van most of the day", "sitting"),
    ("in the cab of a lorry all shift", "sitting"),
    # A day told in parts: climbing, then the car, then a screen.
    ("walking the site first thing, in the car after lunch, then the computer in the evening", "mixed"),
    # "Me feet" for "my feet".
    ("on me feet from open to close", "standing"),
    # Getting up only now and then leaves the day sitting.
    ("I sit at a screen all day, only stand for lunch", "sitting"),
    # "Is" before a bare verb, in second-language English, states rather than asks.
    ("I'm a typist, is sit all day", "sitting"),
    # the day in two shares, whatever the second share is called
    ("half office, half out meeting clients", "mixed"),
    ("part warehouse part admin", "mixed"),
    ("half at the desk half on site visits", "mixed"),
    ("tailor", "sitting"),
    ("filling shelves at the supermarket", "standing"),
    ("cycle courier", "walking"),
    ("I'm a seamstress", "sitting"),
    ("trucker", "sitting"),
    # "Long-standing" and "long-running" tell how long, not what the day is.
    ("long-standing issue, I'm at a desk all day", "sitting"),
    ("long-running thing, mostly walking", "walking"),
    ("standing", "standing"),
    ("standng mostly", "standing"),
    ("I'm on my feet all day at a till", "standing"),
    ("I'm a hairdresser", "standing"),
    ("I don't sit much, mostly standing", "standing"),
    ("walking", "walking"),
    ("postman", "walking"),
    ("I walk a lot for work", "walking"),
    ("I'm a waitress", "walking"),
    ("I'm a nurse, 12h shifts", "walking"),
    # Hours given for each part of the day: one with at least twice the others' is most of it.
    ("7 hours on my feet, sitting 1 hour for lunch", "standing"),
    ("walking for two hours then at the computer six hours", "sitting"),
    ("9hrs in the office and an hour walking the dog", "sitting"),
    ("about 4 hours sitting and 4 hours walking", "mixed"),
    ("3 hours standing, 2 hours sitting", "mixed"),
    ("nurse, on my feet all day walking the wards", "walking"),
    # A pastime outside the working day gives way to the day itself.
    ("accountant, I cycle at weekends and sit the rest of the time", "sitting"),
    ("receptionist, though I swim 5k a week", "sitting"),
    ("desk based, though I go for a long walk after work", "sitting"),
    ("mostly on my feet in the shop, swim in the evenings", "standing"),
    # Most of the day is the question: a main activity wins, a minor one or an exception drops out.
    ("standing mostly, some walking", "standing"),
    ("on the move mainly, the odd bit of sitting", "walking"),
    ("a bit of walking but standing is most of it", "standing"),
    ("I sit far more than I stand", "sitting"),
    ("sitting, except the school run", "sitting"),
    ("walking the whole shift apart from lunch sitting down", "walking"),
    ("sitting and a little standing", "sitting"),
    ("standing and walking, mostly walking", "walking"),
    # A courier may drive or walk all day, a farmer be on a tractor or on foot: the job alone says nothing.
    ("I'm a courier", None),
    ("farmer", None),
    ("courier, on foot door to door all day", "walking"),
    ("dental hygienist", "standing"),
    ("checkout operator at a supermarket", "standing"),
    ("I run a lot", "walking"),
    ("sitting", "sitting"),
    ("sittng at a computer", "sitting"),
    ("SITTING", "sitting"),
    ("desk job", "sitting"),
    ("office", "sitting"),
    ("I drive a lorry", "sitting"),
    ("bit of both", "mixed"),
    ("a bit of everything", "mixed"),
    ("half sitting half walking", "mixed"),
    ("half sitting half standing", "mixed"),
    ("depends on the day", "mixed"),
    ("it varies", "mixed"),
    # Up and down a place is walking it; up and down by itself is sitting and getting up.
    ("porter, up and down the corridors the whole day", "walking"),
    ("up and down ladders, I paint houses", "walking"),
    ("I'm up and down all day", "mixed"),
    ("mix of everything", "mixed"),
    ("I sit at a desk but walk to work", "mixed"),
    ("sitting, sorry, I mean standing", "standing"),
    ("on foot mostly, I do a paper round", "walking"),
    ("I work in a shop", "standing"),
    ("kitchen work", "standing"),
    # Owning up to a mix-up says nothing about the day.
    ("sitting, I got them mixed up before", "sitting"),
    ("I'm a bricklayer", "walking"),
    ("care worker, on the go", "walking"),
    ("mechanic", "standing"),
    ("up and down all day", "mixed"),
    # After a named activity, "up and down" is that activity on the move.
    ("walking, up and down after the kids", "walking"),
    ("cabbie", "sitting"),
    ("tree surgeon", "walking"),
    # Asked about the day, a trade is read as its likeliest day (said in passing it is no fact).
    ("window cleaner by trade", "walking"),
    ("I'm a van driver", "sitting"),
    ("plasterer", "standing"),
    ("order picker in a big warehouse", "walking"),
    ("district nurse, in and out of the car", "mixed"),
    ("I'm a surgeon", "standing"),
    # "Both" of a pair of body parts or shoes is no day split in two; "both" alone is.
    ("numb in both of my feet, sorry", None),
    ("both knees ache when I stand", "standing"),
    ("both", "mixed"),
    ("both, depends on the rota", "mixed"),
    ("both of them really", "mixed"),
    # A share of the day said after its activity.
    ("standing half the day, sitting the rest", "mixed"),
    ("on my feet some of the time, sat down the rest", "mixed"),
    # "Mostly" before the subject, as in a second language's word order: the main part of
    # the day, whatever it depends on.
    ("it changes with the rota, but mainly I'm walking the wards", "walking"),
    ("depends of the week, mostly I am sitting in the office", "sitting"),
    ("varies, usually it is standing at the counter", "standing"),
    ("sometimes I am standing, sometimes I am sitting", "mixed"),
    ("dunno", NOT_SURE),
    ("retired", None),
    ("I am talking to customers all day", None),
    ("can I keep running?", None),
    ("should I get a standing desk?", None),
    ("🙂", None),
]


@pytest.mark.parametrize("text, expected", DAILY_LOAD)
def test_read_daily_load(text, expected):
    assert read_answer("daily_load", text) == expected
