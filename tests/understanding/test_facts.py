"""Facts volunteered in a message: first-person statements and corrections count, questions and talk do not."""

from __future__ import annotations

import random
from datetime import date

import pytest

from rasa_project.clinical.contract import ASSESSMENT_SLOTS, CATEGORICAL_VALUES, PAIN_SEVERITY
from rasa_project.understanding.facts import Fact, answer_leading_the_message, extract_facts, tells_of_back_pain

TODAY = date(2026, 11, 24)

POSITIVE_TABLE = [
    # "Still" opens a note whose "I" is left out, as "also" does.
    ("I'm 68 and still stand at the market stall all day", [("daily_load", "standing", "stand")]),
    ("retired at 60 but still walk the dogs for miles every morning", [("daily_load", "walking", "walk")]),
    # Standing or walking: what the person says they do outweighs what the job suggests.
    ("I'm a carer, long shifts on my feet", [("daily_load", "standing", "carer, long shifts on my feet")]),
    (
        "I'm a postie but I'm stood at the sorting frame most of the shift",
        [("daily_load", "standing", "postie but I'm stood")],
    ),
    ("it's mostly walking, not standing, I'm a hospital porter", [("daily_load", "walking", "mostly walking")]),
    # Sitting beside time on one's feet is still a mix.
    ("I'm a bus driver but I walk the depot for hours too", [("daily_load", "mixed", "bus driver but I walk")]),
    # A place the person is at all day.
    ("I'm at a computer all day for work", [("daily_load", "sitting", "computer")]),
    # The day told in shares.
    (
        "I'm at my desk till lunch and out on the shop floor after, so half and half",
        [("daily_load", "mixed", "desk till lunch and out on the shop floor after, so half and half")],
    ),
    # A gait check that found nothing is no diagnosed gait problem.
    (
        "I had a gait analysis last spring and it was normal",
        [("gait_diagnosis", "no", "gait analysis last spring and it was normal")],
    ),
    ("had my running gait filmed at the shop, all fine", [("gait_diagnosis", "no", "filmed at the shop, all fine")]),
    # What the person does all day outweighs where they work; a small part of the day does not.
    ("I work at a hair salon, sit all day doing nails", [("daily_load", "sitting", "sit")]),
    ("I work in an office, walk a bit at lunch", [("daily_load", "sitting", "office")]),
    # "I use insoles" tells of a trial; the next sentence says how it went.
    (
        "Last year I use insoles from the chemist. No help at all.",
        [("insole_history", "no_change", "insoles from the chemist. No help")],
    ),
    # A child's age dates a pain that began at the birth.
    (
        "it kicked in when my niece was born and she's seven months old now",
        [("pain_duration", "chronic", "seven months")],
    ),
    # A lasting told without its subject, beside nothing else that could last, is the pain.
    (
        "high arches, been around 4 months",
        [("foot_arch", "high", "high arches"), ("pain_duration", "chronic", "4 months")],
    ),
    # "It is ... now" measures the pain up to now; a relative's occasion only dates it.
    ("it started after my brother's wedding, it is about ten weeks now", [("pain_duration", "subacute", "ten weeks")]),
    ("I've been stood at a bar most of the night for years", [("daily_load", "standing", "stood")]),
    ("I'm in a chair all day at work", [("daily_load", "sitting", "in a chair")]),
    # Caribbean English "mi" (my) and "di" (the); the sister's feet are hers.
    ("mi arches dem high, a mi sister have di flat feet", [("foot_arch", "high", "arches dem high")]),
    # A pronoun for the clinician just named reports the finding; "gate" as dictated.
    (
        "I went to a physio and he diagnosed an irregular gate, is that linked to my back pain",
        [("gait_diagnosis", "yes", "physio and he diagnosed an irregular gate")],
    ),
    (
        "I saw a podiatrist last spring and she told me I overpronate",
        [("gait_diagnosis", "yes", "podiatrist last spring and she told me I overpronate")],
    ),
    (
        "a physio diagnosed me with a dodgy gait years ago",
        [("gait_diagnosis", "yes", "physio diagnosed me with a dodgy gait")],
    ),
    (
        "I'm a postman with flat feet and my back has hurt for a month",
        [
            ("daily_load", "walking", "postman"),
            ("foot_arch", "flat", "flat feet"),
            ("pain_duration", "acute", "for a month"),
        ],
    ),
    ("my arches are high", [("foot_arch", "high", "arches are high")]),
    ("actually my arches are high", [("foot_arch", "high", "arches are high")]),
    ("My feet are really flat.", [("foot_arch", "flat", "feet are really flat")]),
    ("I'm flat-footed", [("foot_arch", "flat", "flat-footed")]),
    ("I’m flat footed", [("foot_arch", "flat", "flat footed")]),
    ("I've got high arches", [("foot_arch", "high", "high arches")]),
    ("<b>I have flat feet</b>", [("foot_arch", "flat", "flat feet")]),
    ("my arches have fallen", [("foot_arch", "flat", "arches have fallen")]),
    ("I stand all day at work", [("daily_load", "standing", "stand")]),
    ("I'm on my feet all day", [("daily_load", "standing", "on my feet")]),
    ("I walk a lot for work", [("daily_load", "walking", "walk")]),
    ("I work at a desk", [("daily_load", "sitting", "desk")]),
    ("I have a desk job", [("daily_load", "sitting", "desk job")]),
    ("I spend most of the day sitting", [("daily_load", "sitting", "sitting")]),
    ("I work as a cashier", [("daily_load", "standing", "cashier")]),
    ("I've had back pain for 4 months", [("pain_duration", "chronic", "for 4 months")]),
    ("I've had back pain for a year and a half", [("pain_duration", "chronic", "for a year and a half")]),
    ("My back has been hurting for 6 weeks.", [("pain_duration", "subacute", "for 6 weeks")]),
    ("it started 3 weeks ago", [("pain_duration", "acute", "3 weeks ago")]),
    ("my back's been aching since last week", [("pain_duration", "acute", "since last week")]),
    ("it's been six months now", [("pain_duration", "chronic", "six months")]),
    ("my back has ached for three months, can you help?", [("pain_duration", "chronic", "for three months")]),
    (
        "I have flat feet and my back hurts, do I need insoles?",
        [("foot_arch", "flat", "flat feet")],
    ),
    ("I'm a postman so I walk miles every day", [("daily_load", "walking", "postman")]),
    ("I work sitting down in an office", [("daily_load", "sitting", "sitting")]),
    ("my feet have very high arches", [("foot_arch", "high", "high arches")]),
    ("my arch looks normal", [("foot_arch", "normal", "arch looks normal")]),
    ("the inner edge of my soles wears out", [("shoe_wear", "inner", "inner edge")]),
    ("both my legs are equal", [("leg_length_difference", "no", "my legs are equal")]),
    ("a doctor told me I walk abnormally", [("gait_diagnosis", "yes", "doctor told me I walk abnormally")]),
    # a job held up to now, not one held before
    ("I've been a barber for 15 years, back's shot", [("daily_load", "standing", "barber")]),
    ("I had been a nurse before I retired", []),
    # standing at a stall or a bench, as a habit of the working day
    ("I'm stood at my stall from dawn and the back hates it", [("daily_load", "standing", "stood")]),
    # told, by no one named: what people say of the feet, no clinician's finding
    ("I've been told all my life that my feet are flat", [("foot_arch", "flat", "feet are flat")]),
    ("always been told I've got high arches", [("foot_arch", "high", "high arches")]),
    ("I was told by a podiatrist I overpronate", [("gait_diagnosis", "yes", "was told by a podiatrist I overpronate")]),
    (
        "I had a gait analysis and they found excessive pronation",
        [("gait_diagnosis", "yes", "gait analysis and they found excessive pronation")],
    ),
    ("never worn any inserts", [("insole_history", "none", "never worn any inserts")]),
    ("pain is about 6/10", [("pain_severity", 6, "6/10")]),
    ("I'd rate it 7 out of 10", [("pain_severity", 7, "7 out of 10")]),
    ("one leg is shorter than the other", [("leg_length_difference", "yes", "one leg is shorter")]),
    ("my left leg is 1 cm longer", [("leg_length_difference", "yes", "my left leg is 1 cm longer")]),
    ("I have a leg length discrepancy", [("leg_length_difference", "yes", "leg length discrepancy")]),
    ("my legs are the same length", [("leg_length_difference", "no", "my legs are the same length")]),
    ("a podiatrist diagnosed overpronation", [("gait_diagnosis", "yes", "podiatrist diagnosed overpronation")]),
    ("a podiatrist diagnosed a gait problem", [("gait_diagnosis", "yes", "podiatrist diagnosed a gait problem")]),
    ("a podiatrist said I overpronate", [("gait_diagnosis", "yes", "podiatrist said I overpronate")]),
    ("my doctor said I don't have flat feet", [("gait_diagnosis", "no", "doctor said I don't have flat feet")]),
    ("I've never been diagnosed with a gait problem", [("gait_diagnosis", "no", "diagnosed with a gait problem")]),
    ("my shoes wear on the inside edge", [("shoe_wear", "inner", "inside edge")]),
    ("My trainers always wear out on the outside", [("shoe_wear", "outer", "outside")]),
    (
        "I tried insoles for 2 months and they made no difference",
        [("insole_history", "no_change", "tried insoles for 2 months and they made no difference")],
    ),
    ("I've never tried insoles", [("insole_history", "none", "never tried insoles")]),
    ("insoles made my back worse", [("insole_history", "worse", "insoles made my back worse")]),
    ("my orthotics helped a lot", [("insole_history", "helped", "orthotics helped")]),
    (
        "I've had back pain for 4 months and tried insoles for 2 months",
        [("pain_duration", "chronic", "for 4 months")],
    ),
    # A clinician's diagnosis denied, and what she said played down to an arch type.
    (
        "found the notes. he did not diagnose any walking problem, he only said I have flat feet",
        [
            ("foot_arch", "flat", "he only said I have flat feet"),
            ("gait_diagnosis", "no", "he only said I have flat feet"),
        ],
    ),
    # A plus or a semicolon lists the person's own items as a comma does.
    ("sore lower back + high arches", [("foot_arch", "high", "high arches")]),
    ("bad back; flat footed", [("foot_arch", "flat", "flat footed")]),
    (
        "my pain is 8/10 and I've had it for about two months.",
        [("pain_severity", 8, "8/10"), ("pain_duration", "subacute", "for about two months")],
    ),
    (
        "Do flat feet matter? I have flat feet.",
        [("foot_arch", "flat", "flat feet")],
    ),
    # Several facts in a casual first message, some without "I".
    (
        "I'm a nurse, 12h shifts, flat feet, back's been bad for about a year, one leg is 1.5cm shorter",
        [
            ("daily_load", "walking", "nurse"),
            ("foot_arch", "flat", "flat feet"),
            ("pain_duration", "chronic", "for about a year"),
            ("leg_length_difference", "yes", "one leg is 1.5cm shorter"),
        ],
    ),
    (
        "I run every day and my back has been sore for 3 weeks",
        [("daily_load", "walking", "run"), ("pain_duration", "acute", "for 3 weeks")],
    ),
    (
        # A runner runs in spare time: most of the day is still to be asked.
        "Hi, my back's been killing me for 3 weeks, I'm a keen runner",
        [("pain_duration", "acute", "for 3 weeks")],
    ),
    ("I've had back pain since last summer", [("pain_duration", "chronic", "since last summer")]),
    ("my back has hurt since Christmas", [("pain_duration", "chronic", "since Christmas")]),
    ("I'm 6 months pregnant and my back has hurt for 3 weeks", [("pain_duration", "acute", "for 3 weeks")]),
    (
        "one of my legs is half an inch shorter",
        [("leg_length_difference", "yes", "one of my legs is half an inch shorter")],
    ),
    ("my legs are not the same length", [("leg_length_difference", "yes", "my legs are not the same length")]),
    ("never tried insoles, would they help?", [("insole_history", "none", "never tried insoles")]),
    ("my wife has flat feet and I have high arches", [("foot_arch", "high", "high arches")]),
    ("I'm flat footed, is that why my back hurts?", [("foot_arch", "flat", "flat footed")]),
    # Corrections are facts, when they can only answer one question.
    ("actually more like 4 months", [("pain_duration", "chronic", "4 months")]),
    ("sorry I meant flat not high", [("foot_arch", "flat", "flat not high")]),
    ("wait, I never tried insoles", [("insole_history", "none", "never tried insoles")]),
    ("sorry, mostly sitting", [("daily_load", "sitting", "mostly sitting")]),
    (
        "I've got back pain, it's about 8/10 and it's been going on for 3 weeks",
        [("pain_severity", 8, "8/10"), ("pain_duration", "acute", "for 3 weeks")],
    ),
    (
        "The podiatrist told me I overpronate and gave me orthotics which helped",
        [
            ("gait_diagnosis", "yes", "podiatrist told me I overpronate"),
            ("insole_history", "helped", "orthotics which helped"),
        ],
    ),
    # Note form: a list of facts without "I" or "my" is the person's own.
    (
        "desk job, flat feet, pain for 3 months",
        [
            ("daily_load", "sitting", "desk job"),
            ("foot_arch", "flat", "flat feet"),
            ("pain_duration", "chronic", "for 3 months"),
        ],
    ),
    # ... also across sentences, with a job that opens a clause.
    (
        "Lower back has been stiff roughly 3 months. Flat feet.",
        [("pain_duration", "chronic", "3 months"), ("foot_arch", "flat", "Flat feet")],
    ),
    (
        "cashier, 8 hour shifts, sore back 5 weeks now",
        [("daily_load", "standing", "cashier"), ("pain_duration", "acute", "5 weeks")],
    ),
    ("postie, average feet", [("daily_load", "walking", "postie"), ("foot_arch", "normal", "average feet")]),
    # Durations of the pain without "for": the pain named right before or after them.
    ("my back has been grumbling about six weeks", [("pain_duration", "subacute", "six weeks")]),
    ("my back's been sore the best part of 2 months", [("pain_duration", "subacute", "2 months")]),
    ("lower back ache roughly 4 months", [("pain_duration", "chronic", "4 months")]),
    ("had back pain about a year", [("pain_duration", "chronic", "a year")]),
    ("I've had it a good few weeks", [("pain_duration", "acute", "few weeks")]),
    ("it's been going on 10 weeks", [("pain_duration", "subacute", "10 weeks")]),
    ("six weeks of lower back ache", [("pain_duration", "subacute", "six weeks")]),
    ("back pain: 3 weeks", [("pain_duration", "acute", "3 weeks")]),
    ("the pain kicked off about 5 weeks back", [("pain_duration", "acute", "5 weeks back")]),
    # Statements whose "I" is left out.
    ("Been aching around 7 weeks", [("pain_duration", "subacute", "7 weeks")]),
    ("Sit at a screen all day.", [("daily_load", "sitting", "Sit")]),
    ("Retail, standing 8 hours a day", [("daily_load", "standing", "standing")]),
    ("Work in a kitchen", [("daily_load", "standing", "kitchen")]),
    ("Have high arches", [("foot_arch", "high", "high arches")]),
    ("have flat feet do insoles help", [("foot_arch", "flat", "flat feet")]),
    (
        "Tried gel inserts for a month, made no difference.",
        [("insole_history", "no_change", "Tried gel inserts for a month, made no difference")],
    ),
    (
        "Bought orthotics online, they made it worse",
        [("insole_history", "worse", "Bought orthotics online, they made it worse")],
    ),
    (
        "I do deliveries on foot, about 15k steps a day",
        [("daily_load", "walking", "on foot")],
    ),
    ("normal arches, office job", [("foot_arch", "normal", "normal arches"), ("daily_load", "sitting", "office job")]),
    # Corrections: a trailing apology or a stressing "actually" does not hide them.
    ("actually nearer 5 months, sorry", [("pain_duration", "chronic", "nearer 5 months")]),
    (
        "actually I looked at my diary, it's more 9 weeks than 3",
        [("pain_duration", "subacute", "I looked at my diary, it's more 9 weeks than 3")],
    ),
    ("sorry, I haven't actually tried insoles", [("insole_history", "none", "haven't actually tried insoles")]),
    (
        "oops, correction - my legs are the same length",
        [("leg_length_difference", "no", "my legs are the same length")],
    ),
    (
        "whoops, the arch one was wrong, they're flat not high",
        [("foot_arch", "flat", "the arch one was wrong, they're flat not high")],
    ),
    ("my mistake, it's been going on nearer 5 months", [("pain_duration", "chronic", "5 months")]),
    (
        "I was wrong before, both legs measure the same",
        [("leg_length_difference", "no", "legs measure the same")],
    ),
    ("back pain on and off for years", [("pain_duration", "chronic", "for years")]),
    (
        "Lower back pain, 6/10, about 9 weeks, high arches",
        [("pain_severity", 6, "6/10"), ("pain_duration", "subacute", "9 weeks"), ("foot_arch", "high", "high arches")],
    ),
    ("my back has been sore for the past fortnight", [("pain_duration", "acute", "the past fortnight")]),
    (
        "My back aches after a long shift - has done for about 7 weeks",
        [("pain_duration", "subacute", "for about 7 weeks")],
    ),
    ("I work from home", [("daily_load", "sitting", "work from home")]),
    ("lower back, stiff, 3 weeks", [("pain_duration", "acute", "3 weeks")]),
    ("my back has started aching over the last month", [("pain_duration", "acute", "over the last month")]),
    (
        "bus driver, 20 years, back pain about 5 weeks",
        [("daily_load", "sitting", "bus driver"), ("pain_duration", "acute", "5 weeks")],
    ),
    ("sorry, I've had it much longer, since the summer", [("pain_duration", "chronic", "since the summer")]),
    (
        "should I see a podiatrist? one told me my feet roll in when I walk",
        [("gait_diagnosis", "yes", "told me my feet roll in")],
    ),
    ("sorry I meant high not flat, I mixed them up", [("foot_arch", "high", "high not flat, I mixed them up")]),
    # A clinician's finding about how the person walks, for or against.
    (
        "I forgot, the physio found a problem with the way I walk years back",
        [("gait_diagnosis", "yes", "physio found a problem with the way I walk")],
    ),
    (
        "my podiatrist said there's nothing wrong with how I walk",
        [("gait_diagnosis", "no", "podiatrist said there's nothing wrong with how I walk")],
    ),
    # Nobody ever having found a problem is no diagnosis.
    (
        "nobody has ever mentioned a problem with the way I walk",
        [("gait_diagnosis", "no", "nobody has ever mentioned a problem with the way I walk")],
    ),
    (
        "no one has told me I have a gait problem",
        [("gait_diagnosis", "no", "told me I have a gait problem")],
    ),
    # An arch type beside the person's back pain in note form is theirs.
    ("sore lower back, fallen arches", [("foot_arch", "flat", "fallen arches")]),
    ("Lower back niggle. High arches.", [("foot_arch", "high", "High arches")]),
    # A score set against another: the first is the one meant.
    ("sorry, it's more of a 3 than a 6", [("pain_severity", 3, "3")]),
    # "Did try" tells of a trial.
    (
        "oh and I did try gel inserts over the summer, made no difference",
        [("insole_history", "no_change", "try gel inserts over the summer, made no difference")],
    ),
    # "Zero difference" is no difference; "no orthotics ever" is the person's own history.
    (
        "wore foam inserts a few weeks, zero difference",
        [("insole_history", "no_change", "wore foam inserts a few weeks, zero difference")],
    ),
    (
        "desk job, no orthotics ever, high arches",
        [
            ("daily_load", "sitting", "desk job"),
            ("insole_history", "none", "no orthotics ever"),
            ("foot_arch", "high", "high arches"),
        ],
    ),
    # "~" is "about", and a duration in its own sentence after one about the shoes.
    (
        "My trainers wear on the outer edge. Lower back has been sore ~5 months.",
        [("shoe_wear", "outer", "outer edge"), ("pain_duration", "chronic", "5 months")],
    ),
    # "If anything" states; it supposes nothing.
    (
        "I've used shop orthotics since spring and if anything the ache is worse",
        [("insole_history", "worse", "used shop orthotics since spring and if anything the ache is worse")],
    ),
    # A clinician's word after the finding it reports.
    (
        "nothing wrong with my gait as far as my physio has said",
        [("gait_diagnosis", "no", "nothing wrong with my gait as far as my physio has said")],
    ),
    # A bracketed aside does not cut the clause.
    ("on my feet (behind a bar) every shift", [("daily_load", "standing", "on my feet")]),
    # A word naming the kind of job, and a mix of sitting and walking in one sentence.
    ("crane driver, though I walk the site for hours too", [("daily_load", "mixed", "driver, though I walk")]),
    ("warehouse packer, walking most of shift", [("daily_load", "walking", "walking")]),
    # "The insoles did help": a trial that happened.
    ("sorry, the inserts did help in the end", [("insole_history", "helped", "the inserts did help in the end")]),
    # An earlier answer quoted and taken back: what follows "but" corrects it.
    (
        "I said my feet were flat but the podiatrist reckons they're normal",
        [("foot_arch", "normal", "the podiatrist reckons they're normal")],
    ),
    ("I told you my legs were equal, but one is longer", [("leg_length_difference", "yes", "one is longer")]),
    # A duration as an item of its own after a pain score.
    (
        "high arches, pain 5/10, about 8 months",
        [("foot_arch", "high", "high arches"), ("pain_severity", 5, "5/10"), ("pain_duration", "chronic", "8 months")],
    ),
    # A list with a score but no pain word: its bare duration is the pain's.
    (
        "normal arches, 3/10, roughly 5 weeks",
        [("foot_arch", "normal", "normal arches"), ("pain_severity", 3, "3/10"), ("pain_duration", "acute", "5 weeks")],
    ),
    # A clause that only says something has lasted, in a sentence about the pain.
    (
        "Pain 4/10, flat feet, ongoing since the spring",
        [
            ("pain_severity", 4, "4/10"),
            ("foot_arch", "flat", "flat feet"),
            ("pain_duration", "chronic", "since the spring"),
        ],
    ),
    # A job's years are not the pain's, even beside a score.
    ("bus driver for 12 years, 6/10", [("daily_load", "sitting", "bus driver"), ("pain_severity", 6, "6/10")]),
    # "Mostly" makes an activity a habit of the day.
    ("Retired now, mainly sitting at home", [("daily_load", "sitting", "mainly sitting")]),
    # Jobs whose kind is in two words.
    ("dental assistant, back is sore", [("daily_load", "standing", "dental assistant")]),
    # A trade with a day said outright: the activity is the fact.
    ("plumber, I stand all day", [("daily_load", "standing", "stand")]),
    # A round of work is a habit of the day.
    ("leaflet drops, walking street to street, sore back", [("daily_load", "walking", "walking")]),
    # A trial in one sentence, its outcome in the next.
    (
        "I gave orthotics a go for two months. Neither pair changed anything.",
        [("insole_history", "no_change", "orthotics a go for two months. Neither pair changed anything")],
    ),
    (
        "Wore some foam inserts over the summer, I think. They made the ache worse.",
        [("insole_history", "worse", "Wore some foam inserts over the summer, I think. They made the ache worse")],
    ),
    ("dental assistant, mostly standing by the chair", [("daily_load", "standing", "mostly standing")]),
    # "Are" inside a fact describes the person's own; the leg named before a side is theirs.
    (
        "office job, arches are quite high",
        [("daily_load", "sitting", "office job"), ("foot_arch", "high", "arches are quite high")],
    ),
    ("I got my legs measured, the right is 6mm longer", [("leg_length_difference", "yes", "the right is 6mm longer")]),
    # "A" and a number as a note of its own is a score; with a unit it is not.
    ("back aches on and off, roughly a 6", [("pain_severity", 6, "6")]),
    ("I have a 5 year old and a sore back", []),
    # The print of a wet-foot test is the person's own foot.
    ("tried the test on a towel, whole foot shows", [("foot_arch", "flat", "whole foot")]),
    ("I sit at the computer more than I walk the floor", [("daily_load", "sitting", "sit")]),
    ("thinking about it, I stand most of the day", [("daily_load", "standing", "stand")]),
    ("till worker, 9 hour shifts on my feet", [("daily_load", "standing", "till worker")]),
    ("I'm a home carer and my back aches", [("daily_load", "mixed", "home carer")]),
    # "Whole day" is a habit as "all day" is; "from" leads a duration as "since" does.
    ("I stand at the counter the whole day", [("daily_load", "standing", "stand")]),
    ("my lower back aches from 2 months", [("pain_duration", "subacute", "from 2 months")]),
    ("i am dressmaker and my back is sore", [("daily_load", "sitting", "dressmaker")]),
    # A present-tense trial with no change; legs "same" without "the".
    (
        "I already try arch supports 2 months, nothing change",
        [("insole_history", "no_change", "try arch supports 2 months, nothing change")],
    ),
    ("my legs are same, I checked", [("leg_length_difference", "no", "my legs are same")]),
    # The clause before a duration says the pain began; "finished" soles are worn.
    ("it started long before, about seven months, not two", [("pain_duration", "chronic", "seven months")]),
    ("my trainers are finished on the inner side", [("shoe_wear", "inner", "inner side")]),
    # A courier on foot walks.
    ("my back hurts, I'm a foot courier", [("daily_load", "walking", "foot courier")]),
    # Comma-joined statements ending in a question: only the last clause asks.
    ("I'm a seamstress, sit all day, could it be my chair?", [("daily_load", "sitting", "seamstress")]),
    # A contrast correction keeps what comes before "not", whichever is longer.
    ("oops, I meant 3 weeks not 3 months", [("pain_duration", "acute", "3 weeks not 3 months")]),
    ("sorry, it's 5 months not 5 weeks", [("pain_duration", "chronic", "it's 5 months not 5 weeks")]),
    # Particular insoles that helped are a trial; a brace that did nothing is not the insoles'.
    (
        "my mistake, the orthotics did help, it was the belt that was useless",
        [("insole_history", "helped", "orthotics did help")],
    ),
    # No diagnosis of any kind is no gait diagnosis; "the same length" is no insole outcome.
    ("I've not been diagnosed with anything", [("gait_diagnosis", "no", "not been diagnosed with anything")]),
    (
        "both legs the same length, never worn insoles",
        [("leg_length_difference", "no", "legs the same length"), ("insole_history", "none", "never worn insoles")],
    ),
    # A correction is its first clause; what follows explains it.
    (
        "sorry I was wrong, it's more like 4 months, I'd counted from when it flared",
        [("pain_duration", "chronic", "4 months")],
    ),
    # Someone else's facts beside the person's own: only the person's count, and theirs
    # answers the question the other person's clause names.
    ("my son is the one with a short leg, not me, mine match", [("leg_length_difference", "no", "mine match")]),
    ("my partner has high arches while mine are flat", [("foot_arch", "flat", "mine are flat")]),
    (
        "wait, the orthotics were my son's. I haven't tried any",
        [("insole_history", "none", "I haven't tried any")],
    ),
    (
        "forget what I said on the legs, that was my sister. mine are equal",
        [("leg_length_difference", "no", "mine are equal")],
    ),
    ("I'm a cashier and my wife is a programmer", [("daily_load", "standing", "I'm a cashier")]),
    # A comparison states one side of wear.
    ("my work boots wear more on the outsides than the insides", [("shoe_wear", "outer", "outsides than the insides")]),
    # Where the soles "go" first is where they wear.
    ("my trainers always go on the outer edge first", [("shoe_wear", "outer", "outer edge")]),
    # A count after a named time is the person's measure of it, led by its "since".
    (
        "my back has ached since halloween, so nearly 5 weeks",
        [("pain_duration", "acute", "since halloween, so nearly 5 weeks")],
    ),
    # A sole that "goes on" one side wears there, with or without "first".
    ("not sure about my arches but my boots go on the outside heel", [("shoe_wear", "outer", "outside")]),
    ("my work shoes always going on the inner side", [("shoe_wear", "inner", "inner side")]),
    # "Pain is N": the pain, then how long it is.
    ("My pain is 8 months now, low down", [("pain_duration", "chronic", "8 months")]),
    # What happened when the pain began does not make the duration someone else's.
    (
        "My lower back started hurting three weeks ago when I changed jobs",
        [("pain_duration", "acute", "three weeks ago")],
    ),
    # "Same same": no change from an insole trial, told in second-language English.
    (
        "I wear the gel insoles 2 months, my back still pain same same",
        [("insole_history", "no_change", "insoles 2 months, my back still pain same same")],
    ),
    # No one has ever found anything about how the person walks.
    (
        "Nobody has ever told me there is anything about the way I walk",
        [("gait_diagnosis", "no", "told me there is anything about the way I walk")],
    ),
    # A correction owned up to as a "mistake"; its "it is" is no yes to a yes/no question.
    ("oops, mistake - it is 3 weeks, not 3 months", [("pain_duration", "acute", "it is 3 weeks, not 3 months")]),
    # A note that follows the person's own account of the same topic is theirs.
    (
        "A podiatrist measured my legs last year. Leg length difference: yes, about 1 cm.",
        [("leg_length_difference", "yes", "Leg length difference")],
    ),
    # Evn typed short is even.
    ("my shoes wear evn", [("shoe_wear", "even", "evn")]),
    # A "yes" backed by what a clinician found answers that question; its "last year" dates the finding.
    (
        "hang on, yes - my physio found a gait problem last year",
        [("gait_diagnosis", "yes", "physio found a gait problem")],
    ),
    # A length said as "some years" is several; an age "of age" is the person's, not the pain's.
    ("My lower back has troubled me for some years.", [("pain_duration", "chronic", "for some years")]),
    (
        "I am 68 years of age and my back has ached for some years",
        [("pain_duration", "chronic", "for some years")],
    ),
    # A named time after "since" and an event dates the pain.
    (
        "my back's hurt since I slipped at work last week",
        [("pain_duration", "acute", "last week")],
    ),
    (
        "lower back pain since we moved house in September",
        [("pain_duration", "subacute", "since we moved house in September")],
    ),
    # The "since" of an event dated later in the clause counts from that date; a count
    # after it ("so about N weeks") is the person's own reckoning of it.
    (
        "My lower back has ached since our trip to Wales in March.",
        [("pain_duration", "chronic", "since our trip to Wales in March")],
    ),
    (
        "Sore back since my son's graduation in September, so roughly eleven weeks",
        [("pain_duration", "subacute", "since my son's graduation in September, so roughly eleven weeks")],
    ),
    (
        "Back has been stiff since the middle of November",
        [("pain_duration", "acute", "since the middle of November")],
    ),
    (
        "back pain since the middle of August, so about fifteen weeks",
        [("pain_duration", "chronic", "since the middle of August, so about fifteen weeks")],
    ),
    # A short sentence after the event's says the pain has lasted from it.
    (
        "Tripped down the stairs at home a fortnight ago. Been aching since.",
        [("pain_duration", "acute", "a fortnight ago")],
    ),
    (
        "Came off my bike about two months ago. My back has hurt ever since.",
        [("pain_duration", "subacute", "two months ago")],
    ),
    # "I meant to say" restates an answer.
    ("I meant to say 3 weeks", [("pain_duration", "acute", "3 weeks")]),
    # A second thought opening a correction is no plan: "thinking about it, they did help".
    (
        "Actually, now I think about it, they did help while they lasted",
        [("insole_history", "helped", "they did help while they lasted")],
    ),
    (
        "actually come to think of it they made it worse",
        [("insole_history", "worse", "they made it worse")],
    ),
    # Nobody qualified made a diagnosis.
    (
        "no one medical has ever diagnosed anything",
        [("gait_diagnosis", "no", "no one medical has ever diagnosed anything")],
    ),
    (
        "sorry, that gait bit was wrong - it was the bloke at the sports shop, nobody medical ever diagnosed anything",
        [("gait_diagnosis", "no", "nobody medical ever diagnosed anything")],
    ),
    # A verdict on the legs just named, by a pronoun or on its own.
    (
        "the osteopath checked my legs yesterday, they're equal",
        [("leg_length_difference", "no", "they're equal")],
    ),
    (
        "had my legs measured at the clinic, both the same length",
        [("leg_length_difference", "no", "both the same")],
    ),
    # Someone else's report on the person's own feet is the person's fact.
    ("my partner reckons my feet are flat", [("foot_arch", "flat", "feet are flat")]),
    ("the chiropodist says my arches are high", [("foot_arch", "high", "arches are high")]),
    # A clinician's arch type alone answers the arch question; the gait question is still asked.
    ("my GP said I have flat feet", [("foot_arch", "flat", "flat feet")]),
    ("the physio told me I've got high arches", [("foot_arch", "high", "high arches")]),
    (
        "a podiatrist diagnosed flat feet",
        [("gait_diagnosis", "yes", "podiatrist diagnosed flat feet"), ("foot_arch", "flat", "flat feet")],
    ),
    # A test done, without the "I": "did the X" states.
    ("did the footprint test and it's a high arch", [("foot_arch", "high", "high arch")]),
    # A correction typed in pieces: what it is not, then what it is, in the next sentence.
    ("hold on. not months. 3 weeks, typo", [("pain_duration", "acute", "not months. 3 weeks, typo")]),
    ("oops not 4 months! 4 weeks", [("pain_duration", "acute", "not 4 months! 4 weeks")]),
    ("sorry, not a year. more like 9 weeks", [("pain_duration", "subacute", "9 weeks")]),
    # A score said to have been too low or too high is given anew: the number is the score.
    ("I put it a bit too high earlier, more like a 3", [("pain_severity", 3, "3")]),
    ("I underrated it, really more like 8", [("pain_severity", 8, "8")]),
    ("I went too low with the score, make it a 7", [("pain_severity", 7, "7")]),
    # A bladder trouble's "since" is not the pain's.
    (
        "back's ached for 5 months, and since last night I can't wee properly",
        [("pain_duration", "chronic", "for 5 months")],
    ),
    # Owning up to a misreading is a correction.
    ("I misread it - the scan shows flat feet", [("foot_arch", "flat", "flat feet")]),
    ("I got it wrong, it says normal arches", [("foot_arch", "normal", "normal arches")]),
    # How long, said after a clause that only says the pain has lasted.
    ("My back's sore most evenings. It's been like this around 7 weeks.", [("pain_duration", "subacute", "7 weeks")]),
    ("I get an ache low down. Been that way about 4 months now.", [("pain_duration", "chronic", "4 months")]),
    # A guess at the duration belongs to it; it is not a wish before a statement.
    ("my lower back began to hurt, perhaps 2 weeks ago", [("pain_duration", "acute", "perhaps 2 weeks ago")]),
    ("back's stiff, maybe 10 weeks now", [("pain_duration", "subacute", "maybe 10 weeks")]),
    # Another symptom told with the back pain shares its duration.
    (
        "pins and needles in my right calf for 10 days along with a sore lower back",
        [("pain_duration", "acute", "for 10 days")],
    ),
    (
        "numbness down one leg for 8 weeks as well as back pain",
        [("pain_duration", "subacute", "for 8 weeks")],
    ),
    # An event dated "... ago", and the pain ever since.
    (
        "Five days ago I moved a wardrobe and my back has ached ever since.",
        [("pain_duration", "acute", "Five days ago")],
    ),
    (
        "Three months ago I slept on a bad mattress, and I've had a sore back since then.",
        [("pain_duration", "chronic", "Three months ago")],
    ),
    # An event dated "... ago" after which the back is better: an insole trial, no duration of pain.
    (
        "Two years ago I got orthotics and my back has been better ever since.",
        [("insole_history", "helped", "orthotics and my back has been better")],
    ),
    (
        "I came off my bike 9 days ago and my lower back has been killing me since.",
        [("pain_duration", "acute", "9 days ago")],
    ),
    (
        "I tripped on the stairs last week and landed on my back, it's been bad ever since",
        [("pain_duration", "acute", "last week")],
    ),
    # The pain and another symptom joined by "and" share the duration.
    (
        "Low back pain and tingling in my left thigh for the past 3 weeks",
        [("pain_duration", "acute", "the past 3 weeks")],
    ),
    # A trial told in one sentence, and its outcome in the next with the "I" left out.
    (
        "I have had inserts, I forgot. Used the foam ones about six weeks, made no change",
        [("insole_history", "no_change", "inserts, I forgot. Used the foam ones about six weeks, made no change")],
    ),
    (
        "I bought some arch supports last year. Gave them a month and nothing changed.",
        [("insole_history", "no_change", "bought some arch supports last year. Gave them a month and nothing changed")],
    ),
    # A day told as shares of two activities.
    ("sore back. some sitting, some walking in my job", [("daily_load", "mixed", "sitting, some walking")]),
    (
        "I do a little standing and a little sitting, back aches",
        [("daily_load", "mixed", "standing and a little sitting")],
    ),
    # "A while back", "years back" date the trial: the trial's length is not the pain's.
    (
        "got orthotics from a podiatrist a while back, used them for 3 months, no difference",
        [
            (
                "insole_history",
                "no_change",
                "orthotics from a podiatrist a while back, used them for 3 months, no difference",
            )
        ],
    ),
    # A habit told before the activity, and a workplace one is "working in".
    ("I am working in a bakery, all day standing", [("daily_load", "standing", "standing")]),
    ("working at the checkout, whole shift standing, back is sore", [("daily_load", "standing", "standing")]),
    # A clause that names nobody, beside someone else's, is the person's own when it
    # follows their own clause or opens a sentence.
    ("I work at a call centre, sitting all day, same as my brother", [("daily_load", "sitting", "sitting")]),
    (
        "I work in a care home, walking the corridors all shift, like my sister. My back hurts.",
        [("daily_load", "walking", "walking")],
    ),
    # The clinician, as "she" or "he", who diagnosed nothing.
    (
        "he never diagnosed anything, he only said my shoes were old. So no diagnosis.",
        [("gait_diagnosis", "no", "never diagnosed anything")],
    ),
    (
        "I was thinking, she never diagnosed anything, she only said my shoes were old. No diagnosis then.",
        [("gait_diagnosis", "no", "never diagnosed anything")],
    ),
    ("So no diagnosis after all.", [("gait_diagnosis", "no", "diagnosis")]),
    # Someone else's clause goes on in a clause that names nobody, up to the person's own.
    (
        "my brother works in a call centre, sitting all day, I walk the wards all shift",
        [("daily_load", "walking", "I walk the wards all shift")],
    ),
    # A misspelt "since" still leads the pain's duration.
    ("backk pain snce 3 weeks", [("pain_duration", "acute", "snce 3 weeks")]),
    ("lower back hurting sinse about 5 months", [("pain_duration", "chronic", "sinse about 5 months")]),
    # Taking an earlier answer back by naming it: the new answer is what follows.
    (
        "actually forget what I told you about flat feet, the podiatrist checked and says they're high",
        [("foot_arch", "high", "the podiatrist checked and says they're high")],
    ),
    ("ignore what I said about 2 weeks, it's been about 3 months", [("pain_duration", "chronic", "3 months")]),
    (
        "scrap what I put for the legs - they're the same length",
        [("leg_length_difference", "no", "they're the same length")],
    ),
    # "Even" as an adverb is no even wear.
    (
        "my trainers wear on the outer edge, my wife even noticed it",
        [("shoe_wear", "outer", "outer edge")],
    ),
    # A pain that "started" or "began" some time ago, its subject left out.
    ("began roughly 5 weeks back, sore when I bend", [("pain_duration", "acute", "5 weeks back")]),
    ("Started about 3 weeks ago, lower back mostly.", [("pain_duration", "acute", "3 weeks ago")]),
    (
        "started a fortnight back. my arches are high I think",
        [("pain_duration", "acute", "a fortnight back"), ("foot_arch", "high", "arches are high")],
    ),
    # The back named with its part before a bare duration, in second-language English.
    ("I have ache in the upper back 10 weeks", [("pain_duration", "subacute", "10 weeks")]),
    ("i have pain low back 4 months", [("pain_duration", "chronic", "4 months")]),
    # "About" and "around" clipped, as typed on a phone.
    ("sore back round 4 weeks", [("pain_duration", "acute", "4 weeks")]),
    ("lower back aching abt 2 months", [("pain_duration", "subacute", "2 months")]),
    # The day told as shares, before or after each activity.
    ("I'm a lecturer, half sitting half standing", [("daily_load", "mixed", "sitting half standing")]),
    (
        "lab technician, stood at the bench half the day and sitting at a computer the rest of the time",
        [("daily_load", "mixed", "stood at the bench half the day and sitting")],
    ),
    (
        "I'm on my feet part of the day and sat down the rest",
        [("daily_load", "mixed", "on my feet part of the day and sat")],
    ),
    # An insole outcome whose subject is left out, in second-language English.
    ("I use insoles two months, is no better", [("insole_history", "no_change", "insoles two months, is no better")]),
    (
        "I bought insoles from the chemist but is not different",
        [("insole_history", "no_change", "bought insoles from the chemist but is not different")],
    ),
    # "Since" with an amount before the pain named, in second-language word order: the
    # "back" of "back pain" after the amount is the back, not "ago".
    ("I have since 3 months back pain", [("pain_duration", "chronic", "since 3 months")]),
    ("my problem is since 2 weeks back ache", [("pain_duration", "acute", "since 2 weeks")]),
    ("I suffer for 10 weeks back pains", [("pain_duration", "subacute", "for 10 weeks")]),
    # A span up to now after "this" or "these".
    ("my lower back has been stiff this past fortnight", [("pain_duration", "acute", "this past fortnight")]),
    ("I've had a sore back these last few weeks", [("pain_duration", "acute", "these last few weeks")]),
    # The person as a child is not someone else.
    (
        "sore back 3 weeks, high arches, told as a child one leg is longer",
        [
            ("pain_duration", "acute", "3 weeks"),
            ("foot_arch", "high", "high arches"),
            ("leg_length_difference", "yes", "one leg is longer"),
        ],
    ),
    (
        "Back ache a month, flat feet (noticed as a kid)",
        [("pain_duration", "acute", "a month"), ("foot_arch", "flat", "flat feet")],
    ),
    # A plan in a list item of its own after the facts leaves them stated; "bck" typed in a hurry.
    (
        "sore back 2 months, high arches, considering orthotics",
        [("pain_duration", "subacute", "2 months"), ("foot_arch", "high", "high arches")],
    ),
    ("bck ache, flat feet, planning to buy insoles", [("foot_arch", "flat", "flat feet")]),
    # A span up to now said of the back or its pain, with "this" before it.
    ("evening, my lower back has ached this past week or so", [("pain_duration", "acute", "this past week")]),
    ("the pain has been bad this past fortnight, any ideas?", [("pain_duration", "acute", "this past fortnight")]),
    # "Paining" as in West African English, said of the waist (the low back).
    ("my waist has been paining me for 3 weeks", [("pain_duration", "acute", "for 3 weeks")]),
]


@pytest.mark.parametrize("text, expected", POSITIVE_TABLE)
def test_extract_facts_finds_statements(text, expected):
    assert [(f.slot, f.value, f.text) for f in extract_facts(text, today=TODAY)] == expected


@pytest.mark.parametrize("text", [row[0] for row in POSITIVE_TABLE])
def test_fact_offsets_index_the_message(text):
    for fact in extract_facts(text):
        assert text[fact.start : fact.end] == fact.text


NEGATIVE_TABLE = [
    # A greeting's "good" is no outcome of an insole trial.
    "Good day, I'd like some advice about insoles for my back",
    "Good afternoon, my back hurts and I'm asking about orthotics",
    "good evening - would insoles help my back?",
    # A date of something else the person had, told as an aside, is not the pain's.
    "Oh, I meant to mention, I had my appendix out in 2019.",
    "I meant to tell you, I had a hip operation in March.",
    "I meant to say, I had a kidney stone in June",
    # A shop or gear named by an activity is no day spent doing it.
    "I bought new running shoes last month",
    "Another event with no pain after it: I started a new job two months ago. Been busy since.",
    # A pastime outside the working day says nothing of the day itself.
    "back's been sore for a bit, I go running a lot at the weekend",
    "I cycle for hours in the evenings",
    # How someone walks is their gait, not how long they spend walking.
    "I walk with my toes pointing in a lot",
    "I've always walked on the outsides of my feet all day long",
    # An apology is no correction of the insole question: "good" here is of the English.
    "hello. sorry my english not so good. I have back pain.",
    "sorry, my typing is not great, my back hurts",
    # A warehouse day may be picking on foot, packing or driving a forklift: asked, not assumed.
    "I work in a warehouse and my back has been bad",
    "warehouse job, back's killing me",
    "my son is 5 months old",
    # Someone else's finding, and a gate that is a gate.
    "my podiatrist said she has flat feet herself",
    "tripped on the gate step, my back's been sore since",
    # Something else that lasts: a trial or a job, not the pain.
    "wore insoles, been about 3 weeks",
    "married, been about 10 years",
    # Questions and general talk.
    "do flat feet cause back pain?",
    "what are high arches?",
    "can insoles help?",
    "Do I have flat feet if my shoes wear on the inside?",
    "is 7/10 pain bad?",
    "does one leg being shorter than the other cause back pain",
    "how long should I try insoles for 6 weeks or more?",
    "people with flat feet often get back pain",
    "flat feet",
    "high arches and back pain",
    "flat feet + back pain?",
    "flat feet and high arches are common",
    "flat feet often cause back pain in people who stand all day",
    "if anything, would insoles make it worse?",
    "if I had flat feet would that matter",
    "my brother driver",
    "did the inserts help people like me?",
    # A teacher's day may be mostly standing, walking or sitting: asked, not assumed.
    "I'm a music teacher",
    # Not the person's own situation.
    "My wife has flat feet",
    "my friend is a postman",
    "I heard insoles help with back pain",
    "I believe insoles help",
    # Conditionals and negations.
    "if I have flat feet will insoles help",
    "I don't have flat feet",
    "I'm not a postman",
    "I'm a retired teacher",
    "I'm an ex-postman",
    "my son is flat-footed",
    "my arches are not high",
    "I don't stand all day",
    "my back hurts when I stand all day",
    "I think I might have flat feet",
    "My GP thinks my left leg might be shorter",
    "I have no idea if insoles help",
    # Durations that are not the pain's.
    "I've been a teacher for 10 years and my back hurts",
    "I'm 45 years old",
    "my back has hurt since I was 20 years old",
    "I had a fall 2 weeks ago",
    "I saw my GP last week",
    "can you help? my friend has had back pain for 3 months",
    "I've worked there for 3 years",
    # Bare numbers are never a severity here.
    "7",
    "a 7 I guess",
    "I have 2 kids and 3 dogs",
    # Non-English, markup, emoji, nothing.
    "Tengo los pies planos 😀",
    "J'ai les pieds plats depuis deux mois",
    "<script>alert('flat feet')</script>",
    "",
    "   ",
    # Not a pain duration, not a fact, or not only one question's answer.
    "I'm 6 months pregnant",
    "I have high blood pressure and back pain",
    "I don't think insoles helped",
    "my daughter's pain is 8/10",
    "actually it's high",
    "actually no",
    "actually yes",
    "sorry, my wife has flat feet",
    "actually, can insoles help?",
    # Someone else's day, a general claim, a past job, an opinion about insoles.
    "my sister is a teacher and stands all day",
    "nurses walk miles every day",
    "standing all day is bad for the back",
    "Was a nurse for years, now retired",
    "nurse said I should see a doctor",
    "my physio said my husband has flat feet",
    # "Years back" is no pain duration; a fall is no pain.
    "a podiatrist checked my feet a few years back",
    "Had a fall 3 weeks ago",
    "I tried insoles, since the spring",
    "back pain, tried insoles, 2 months",
    # Someone else named in a sentence without "I" or "my": it may be about them.
    "Husband has flat feet, desk job, back pain 3 months.",
    # A span that is not the pain's.
    "I got new insoles over the last month",
    "I go on holiday in the last week of June",
    # One phrase alone in each sentence names a topic.
    "Flat feet. High arches.",
    "My wife has flat feet. Normal arches.",
    # A student with a job beside the studies: the shares of the day are not said.
    "I'm a uni student and work evenings at a burger place",
    "student, also doing shifts in a supermarket",
    # Back pain beside a foot type as a topic, a question or someone else's.
    "do high arches give you back pain?",
    "back pain and flat feet are linked",
    # Advice to try insoles is no trial.
    "try some inserts, they help loads",
    # When something else happened to "it" is not when the pain began.
    "the podiatrist measured it a year ago",
    "my GP looked at it 2 years ago",
    "is my back strong enough for running?",
    # A bare "for weeks" or "for months" may fall either side of a category boundary.
    "lower back has been grumbling for months",
    "my back has ached for weeks now",
    # What runs in the family may not be the person's own.
    "bad back, and high arches run in my family",
    "sore back, fallen arches in the family",
    # A diagnosis of something else says nothing of the gait.
    "I was never diagnosed with a slipped disc",
    # Someone else's trial, or insoles in general, with an outcome in the next sentence.
    "My brother tried insoles. They did nothing.",
    "I read up on insoles. They help some people.",
    # A trade's day mixes walking, standing, climbing, kneeling and driving: no one daily load.
    "roofer, my back's sore",
    "I'm a landscape gardener and my back aches",
    "joiner by trade, back pain",
    "window cleaner, sore back",
    "I'm a van driver, back's stiff",
    "multi-drop delivery driver, lower back",
    # A correction's date of a measurement is not how long the pain has lasted.
    "Sorry, I forgot: my physio measured my legs in 2021.",
    # How long another symptom has lasted is not the back pain's duration.
    "since this morning my feet have gone numb and tingly",
    "I've had pins and needles in my left foot since yesterday",
    # A correction that tells a symptom of both legs is no mixed day.
    "actually, yes: both my legs have gone tingly and it's worse today",
    "sorry, I forgot, weakness in both of my legs since Sunday",
    # What an answer is not says nothing of what it is.
    "wait, not years",
    "sorry not 3 months!",
    # How long a bladder or bowel trouble has lasted is not the back pain's duration.
    "and since this morning i can barely pee, it's like it won't get going",
    "since Friday my bowels have not been right",
    # Someone else's feet stay theirs, reported or not.
    "my sister says her arches are flat",
    "the podiatrist said my son has flat feet",
    # Shares of someone else's day, or outside the working day.
    "my wife does a bit of sitting and a bit of standing",
    "bit of walking at weekends, bit of sitting in the evenings",
    # Someone else's trial, its outcome in the next sentence with the "I" left out.
    "My brother tried insoles. Wore them a month, no difference.",
    # A symptom's own duration after a clause in which the back hurts.
    "my back hurts and I've had tingling in my leg since yesterday",
    # A symptom's duration beside a back that is not said to hurt.
    "tingling in my left foot for 5 days, my back is fine",
    # What began may be something else: a job, a trial, or what the sentence goes on to name.
    "Started a new job 3 months ago",
    "Tried insoles. Started 2 weeks ago, no help",
    "Started 2 weeks ago with the insoles",
    # Shares of someone else's day.
    "my wife is half standing half sitting",
    # A value with its subject left out, asked.
    "I tried insoles, is the same for everyone?",
    # Someone else's child, or a plan before the facts that makes them a guess.
    "back pain, my kid has flat feet",
    "thinking about insoles, maybe flat feet",
    # A span up to now said of another symptom, as in a reply to the safety screen: the
    # "this" of "this past week" is the span's, not the pain.
    "yes, I've had a temperature on and off this past week",
    "no to those, just a fever this past fortnight",
    "a cough and a temperature these last few days",
    "had the chills these past 2 weeks",
    # "Waist" names the low back only when it hurts.
    "up to my waist in paperwork for 3 weeks",
]


@pytest.mark.parametrize("text", NEGATIVE_TABLE)
def test_extract_facts_ignores_questions_and_talk(text):
    assert extract_facts(text, today=TODAY) == []


ROBUSTNESS_INPUTS = [
    "x" * 10_000,
    "I have flat feet and " * 500,
    "my back has hurt for 3 weeks " * 800,
    "for " * 3000,
    "😀🙃🦶" * 3000,
    "<div>" * 2000,
    "İ" * 5000 + " I have flat feet",
    "\x00\ufeff\u200b I'm a postman",
    "9/10 " * 2000,
]


@pytest.mark.parametrize("text", ROBUSTNESS_INPUTS, ids=lambda t: repr(t[:15]))
def test_extract_facts_never_crashes_and_stays_in_the_contract(text):
    facts = extract_facts(text)
    for fact in facts:
        assert isinstance(fact, Fact)
        assert fact.slot in ASSESSMENT_SLOTS
        assert text[fact.start : fact.end] == fact.text
        if fact.slot == PAIN_SEVERITY:
            assert 0 <= fact.value <= 10
        else:
            assert fact.value in CATEGORICAL_VALUES[fact.slot]


def test_offsets_survive_characters_that_change_length_when_lowercased():
    text = "İİİ I'm a postman"
    [fact] = extract_facts(text)
    assert text[fact.start : fact.end] == "postman"


@pytest.mark.parametrize("value", [None, 42, b"I have flat feet", ["I have flat feet"]])
def test_extract_facts_non_strings(value):
    assert extract_facts(value) == []


def test_random_text_never_breaks_offsets():
    rng = random.Random(20261124)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,?!'-/\u2019\U0001f600\u0130\n<>"
    for _ in range(1000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        for fact in extract_facts(text):
            assert text[fact.start : fact.end] == fact.text


@pytest.mark.parametrize(
    ("text", "asking", "tells"),
    [
        ("sore back, help", False, True),
        ("my low back hurt since two month", False, True),
        ("I hurt my back lifting boxes", False, True),
        ("my back is not good these days", False, True),
        ("back no good since the move", False, True),
        ("my back's been rough since I took up the drums again", False, True),
        ("back playing up after the decorating", False, True),
        ("the roads have been rough this winter", False, False),
        ("my back is good now", False, False),
        ("I drive all day, my back aches, is it the seat?", True, True),
        ("I drive all day, my back aches, is it the seat?", False, False),
        ("my back aches when I sit?", True, False),
        ("why does my back hurt?", False, False),
        ("my knee hurt after the run", False, False),
        # "Waist" for the low back, in West African English.
        ("good evening, my waist is paining me", False, True),
        ("my waist dey pain me well well", False, True),
        ("my waist is 34 inches", False, False),
    ],
)
def test_tells_of_back_pain(text: str, asking: bool, tells: bool) -> None:
    assert tells_of_back_pain(text, asking=asking) is tells


@pytest.mark.parametrize(
    "slot, text, expected",
    [
        ("pain_duration", "roughly 3 months, and the pain's about a 7/10", "chronic"),
        ("pain_duration", "a fortnight but it's 8 out of 10 at night", "acute"),
        ("foot_arch", "high, and I'm on my feet all day", "high"),
        # The first clause tells another question's fact: no answer here.
        ("pain_duration", "high arches since I was a kid, back bad since spring", None),
        ("pain_duration", "not sure, it's a 5/10 though", None),
        ("pain_duration", 42, None),
    ],
)
def test_answer_leading_the_message(slot, text, expected) -> None:
    assert answer_leading_the_message(slot, text, today=TODAY) == expected
