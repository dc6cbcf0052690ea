"""Context of red-flag mentions, as people tell them: whose, when, how sure, and why.

Each case gives a message, the flags that must count, and the flags that must be asked
about or set aside with their reason (``context.py``). The cases are properties of the
concept and context rules, so they run on the rules alone; the learned signal's part
is in ``test_classifier.py``.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, List, Tuple

import pytest

from rasa_project.understanding.red_flags.detector import RedFlagDetector

BLADDER = "bladder_bowel_dysfunction"
SADDLE = "saddle_anaesthesia"
LEGS = "bilateral_or_progressive_leg_symptoms"
RADIATING = "radiating_leg_symptoms"
TRAUMA = "significant_trauma"
CANCER = "cancer_history"
INFECTION = "infection_risk"
FRACTURE = "fracture_risk"
NIGHT = "severe_night_pain"
SYSTEMIC = "systemic_symptoms"

Case = Tuple[str, FrozenSet[str], Dict[str, str], Dict[str, str]]


def case(
    text: str, counts: Tuple[str, ...] = (), ask: Dict[str, str] | None = None, aside: Dict[str, str] | None = None
) -> Case:
    return (text, frozenset(counts), ask or {}, aside or {})


CASES: List[Case] = [
    # The person claims the symptom of their own question: it counts.
    case("Is it serious if my groin feels numb? Because mine does, since Friday", (SADDLE,)),
    case("Can a bad back stop you noticing you need a wee? Because I don't anymore", (BLADDER,)),
    case("If your privates go numb is that bad? Asking for a friend", aside={SADDLE: "hypothetical"}),
    # Suppositions and general questions are set aside.
    case("say my legs went numb one day, would insoles still be safe?", aside={LEGS: "hypothetical"}),
    case("let's say I fell off a ladder, what would you tell me?", aside={TRAUMA: "hypothetical"}),
    case("Out of interest, why is numbness down below such a warning sign?", aside={SADDLE: "hypothetical"}),
    # A question after the symptom is the person's.
    case("Both legs numb, what should I do?", (LEGS,)),
    case("If my sciatica ever went into both legs, would that be serious?", aside={LEGS: "hypothetical"}),
    # A lasting state is not over because its date is past; a course of tablets is.
    case("I had a heart transplant six years ago and take anti-rejection drugs, new back pain", (INFECTION,)),
    case("I had bowel cancer 12 years ago, now my back aches in a new way", (CANCER,)),
    case("I was on steroid tablets for a month back in 2015, nothing since", aside={INFECTION: "past"}),
    # A condition told in another sentence, the person's, not negated.
    case("I'm 77. Last week I lifted a heavy pot and my back went", (FRACTURE,)),
    case("Osteoporosis for years. I shoved the wardrobe and now my back is sore", (FRACTURE,)),
    case("My mum is 80. I lifted a heavy box and my back aches", aside={FRACTURE: "other_person"}),
    case("I don't have osteoporosis. I bent down and my back twinged", ()),
    # A spread to the other side, however far apart in the sentence.
    case("the numbness was only in my right leg for weeks, but since this morning it is in my left leg too", (LEGS,)),
    # A negation opening the clause of the later part negates the mention.
    case("bladder's fine, I can feel it when I wipe, no tingling anywhere", ()),
    # Pain travelling down the leg has no everyday cause; numb toes in tight boots may.
    case("pain shoots from my buttock down to my heel, worse in my work boots", (RADIATING,)),
    case("my toes go numb in my tight work boots", ask={RADIATING: "ordinary_cause"}),
    # An everyday cause told as the onset, or a numbness still there, explains nothing.
    case("both feet have been numb, it started after the gym on Tuesday", (LEGS,)),
    case("both feet went numb at the gym on Tuesday and they still are", (LEGS,)),
    case("my legs are like jelly after the gym", ask={LEGS: "ordinary_cause"}),
    # Long known and unchanged: asked about for emergency signs only.
    case("tingling down my left leg for months, it hasn't changed at all", (RADIATING,)),
    case("numb patches on both feet for years, my GP knows, nothing has changed", ask={LEGS: "long_standing"}),
    # Leaking on coughing said to be unchanged has answered whether it is new: the question
    # is not asked again; told without that, it is asked once.
    case("I leak when I sneeze, since my kids were born, nothing new", aside={BLADDER: "long_standing"}),
    case("a little leak when I laugh. No change lately.", aside={BLADDER: "long_standing"}),
    case("I wet myself a bit on coughing, same as ever since my son", aside={BLADDER: "long_standing"}),
    case("I leak when I sneeze since my daughter was born", ask={BLADDER: "stress_leak"}),
    # Leaking with no cough behind it is no stress leak; a change from fine is new.
    case("always been dry, but now I leak just walking to the shop, no cough or anything", (BLADDER,)),
    case("I leak when I sneeze since my kids were born, but now it's worse", (BLADDER,)),
    case("always had a bad back, and I leak when I cough", ask={BLADDER: "stress_leak"}),
    # Numbness explained by an everyday cause and gone as soon as the person moved is
    # over; gone on moving with no cause told, it still counts.
    case("my bum went numb on the wooden benches at the gig, fine once I got up and moved", aside={SADDLE: "past"}),
    case("both feet numb in the cold store, fine as soon as I warm up", aside={LEGS: "past"}),
    case("both feet numb in the cold store at work", ask={LEGS: "ordinary_cause"}),
    case("both my legs went numb this morning, better once I moved about", (LEGS,)),
    # Footwear explains numb toes, not a numb seat.
    case("looking at trainers with arch support, since I can't feel my bum properly", (SADDLE,)),
    # A date that points back dates the whole story before it.
    case(
        "I couldn't feel when I needed a wee for days after the op with a catheter in, but that was 6 years ago",
        ask={BLADDER: "past"},
    ),
    # "Well" opening a report is no wellness since then.
    case("Well since 4am I can't go at all", (BLADDER,)),
    # Someone's own words typed for them are theirs.
    case("typing for my grandma, her words: I can't feel my bottom since Sunday", (SADDLE,)),
    case("my grandma can't feel her bottom since Sunday", aside={SADDLE: "other_person"}),
    # Figures of speech.
    case("I'm crapping myself about the scan results", ()),
    case("I could wet myself with excitement, the insoles are here", ()),
    case("so scared I almost wet myself when my back clicked", aside={BLADDER: "figurative"}),
    # Someone else, and the person describing themself.
    case("the lady I care for can't feel her bottom", aside={SADDLE: "other_person"}),
    case("mum of 2, treated for melanoma in my twenties, new back pain", (CANCER,)),
    case("my dog's back legs are wobbly, do you do insoles for dogs?", ()),
    # Planned, over, or long past.
    case("my back operation is booked for June, should I get insoles first?", ()),
    case("pins and needles in my leg last year, it went away and never came back", aside={RADIATING: "past"}),
    case("I broke my tailbone falling off a wall as a teenager, fine since", aside={TRAUMA: "past"}),
    case("my foot goes to sleep when I kneel, goes in a minute when I stand up", aside={RADIATING: "past"}),
    # A feeling that comes on standing is not one that goes; "fine ever since" is over.
    case("my shin goes numb when I stand in a queue", (RADIATING,)),
    case("came off my bike 10 years ago and have been fine ever since", aside={TRAUMA: "past"}),
    # A date pointing back covers the occasion told first and what happened on it.
    case(
        "after the epidural for my second I couldn't feel to wee for a day, but that was 5 years ago",
        ask={BLADDER: "past"},
        aside={INFECTION: "past"},
    ),
    # Relief denied is no figure of speech.
    case("the pain is there day and night and painkillers give no relief", ("severe_night_pain",)),
    # Someone who noticed or asked is an observer; the symptom is the person's own.
    case("my husband noticed a wet patch on the sofa where I sat, I never felt it happen", (BLADDER,)),
    case("my husband noticed his feet were numb after the drive", aside={LEGS: "other_person"}),
    # Chemotherapy named by its drug; a leak not noticed; a spilt drink is no leak.
    case("second cycle of paclitaxel and now my lower back aches", (CANCER, INFECTION)),
    case("my brother pointed at the sofa, I hadn't noticed I'd dribbled", (BLADDER,)),
    case("I dribbled coffee down my shirt reaching for my sore back", ()),
    # None of a list applies, or a scan ruled it out: up to an exception or a "but now".
    case("Read the warning signs, I don't have any of those, except I can't feel the toilet paper", (SADDLE,)),
    case("I don't have any of that, apart from I can't feel the loo roll when I wipe", (SADDLE,)),
    case("They scanned me to rule out cauda equina and it was normal, but now I can't control my bladder", (BLADDER,)),
    case("I can't control my bladder but they ruled out anything serious and it was normal", (BLADDER,)),
    # A cancer in a question is the person's when they tell of their diagnosis, or of
    # "the" cancer coming back; a diagnosis of something else claims no other question.
    case("could the ache be the bowel cancer spreading? I was diagnosed in 2021", (CANCER,)),
    case("is a new backache a sign of the melanoma coming back?", (CANCER,)),
    case("can breast cancer cause back pain? I was diagnosed with IBS last year", aside={CANCER: "hypothetical"}),
    case("I was diagnosed last year with sciatica. What if I lose bladder control?", aside={BLADDER: "hypothetical"}),
    # "Almost nothing" is how little came, not a near miss; "almost wet myself" is one.
    case("stood at the loo ages and almost nothing came out", (BLADDER,)),
    case("I almost didn't make it to the loo in time after my long drive", ask={BLADDER: "counterfactual"}),
    # An everyday cause that is denied explains nothing; legs fine by a named day are over.
    case("numb patch on my inner thighs, and it's not from riding, I've not been on the horse for weeks", (SADDLE,)),
    case("both calves totally dead after Saturday's hill run, fine by Wednesday", aside={LEGS: "past"}),
    # The writer introduced by a role is the person; someone named after it is not.
    case("cyclist here, both legs numb since monday and it isn't wearing off", (LEGS,)),
    case("mum here, since this morning I can't feel the loo roll when I wipe", (SADDLE,)),
    case("dad here, my daughter says both her legs are numb", aside={LEGS: "other_person"}),
    # A start of its own beside an older pain is new; without one, it may be the old pain.
    case("my legs both feel weak since tuesday, back sore since the pregnancy", (LEGS,)),
    case("my legs both feel weak, back sore since the pregnancy", ask={LEGS: "long_standing"}),
    # Gone at a birth, or "all over now", is past; an accident that went "all over" is not.
    case("I had sciatica while expecting but it cleared the week she was born", aside={RADIATING: "past"}),
    case("lost control of my bowels with a tummy bug in May, that's all over now", aside={BLADDER: "past"}),
    case("I lost control of my bowels this morning and it was all over the bed", (BLADDER,)),
    # A case only supposed in the "if" of a question is set aside: told in the past
    # subjunctive, as a change yet to start, in the future, or said not to have happened.
    case("what should I do if my legs went weak on a walk?", aside={LEGS: "hypothetical"}),
    case("if the pain began waking me in the night, would you want to know?", aside={NIGHT: "hypothetical"}),
    case("if I got a temperature with all this would that change things", aside={SYSTEMIC: "hypothetical"}),
    case("if I slipped on the stairs would the insoles be ok? I haven't.", aside={TRAUMA: "hypothetical"}),
    case("if my privates went numb after the op next month, is that A&E?", aside={SADDLE: "hypothetical"}),
    # An "if" told in the present, or dated now, may be the person's: still asked.
    case("what do I do if my legs went numb this morning and they're both still numb?", ask={LEGS: "conditional"}),
    case("if I haven't been able to pee since yesterday, should I go to A&E?", ask={BLADDER: "conditional"}),
    case("what should I do if I can't feel myself wipe?", ask={SADDLE: "conditional"}),
    case("if I sit for long my bum goes numb, is that bad?", ask={SADDLE: "conditional"}),
    # An emergency sign long ago is asked about, unless the person says after it that it is over.
    case(
        "I had an operation for cauda equina in 2015 and my bladder has been totally normal for years now",
        aside={BLADDER: "past", SADDLE: "past", LEGS: "past"},
    ),
    case(
        "I had an operation for cauda equina in 2015 and my bladder has been playing up again this week",
        (BLADDER, SADDLE, LEGS),
    ),
    # Weight lost on purpose is the whole of it; more than meant, or a diet, is asked about.
    case("I've been trying to lose weight and I've lost 4kg, my back's stiff", aside={SYSTEMIC: "explained"}),
    case("I've been trying to lose weight but I've lost 4kg too quickly, my back's stiff", ask={SYSTEMIC: "explained"}),
    case("I've been on a diet and I've lost 4kg, my back's stiff", ask={SYSTEMIC: "explained"}),
    case("I've lost 4kg, not trying to lose weight, my back's stiff", (SYSTEMIC,)),
    # After going numb, what has not come back is the feeling: numb now.
    case("my groin went numb on Sunday night and it hasn't come back", (SADDLE,)),
    case("both my legs went numb this morning and the feeling hasn't returned", (LEGS,)),
    case("my bottom went numb in the bath but the feeling came back within the hour", aside={SADDLE: "past"}),
    # A symptom told as past and over in the next sentence; an emergency sign is asked
    # about, and one that passes each time on a condition still counts.
    case(
        "I had tingling down my left leg in May. The physio fixed it and it's completely gone.",
        aside={RADIATING: "past"},
    ),
    case("Both my legs went numb on Tuesday. It's completely gone now.", ask={LEGS: "past"}),
    case("I had tingling down my left leg last week. It goes away when I lie down.", (RADIATING,)),
    case("I had tingling down my left leg in May. It went away but it's back now.", (RADIATING,)),
    # A clinician's question answered no by "there isn't any" or by the next sentence.
    case("the doctor asked about numbness down below and there isn't any", aside={SADDLE: "hypothetical"}),
    case("The GP asked if I'd had any numbness down below. I haven't.", aside={SADDLE: "hypothetical"}),
    case("The GP asked if I'd had any numbness down below. I have.", (SADDLE,)),
    # A document's words named as words; without a document, words are the person's own.
    case("the leaflet has words like retention on it, what does that mean?", aside={BLADDER: "hypothetical"}),
    case("I'd use words like numb and cold for my bum since Monday", (SADDLE,)),
    # A claim of the question's symptom that denies the sign; an emergency keeps its claim.
    case(
        "How would I know if my sciatica was serious? I ask because I get a twinge but nothing down the leg now.",
        aside={RADIATING: "hypothetical"},
    ),
    case("How would I know if my sciatica was serious? I ask because I get it down the leg now.", (RADIATING,)),
    # An age of 70 yet to come is under 70 now.
    case("I'm 70 next year and I strained my back lifting the shopping"),
    case("I'm 71 and I strained my back lifting the shopping", (FRACTURE,)),
    # The narrower state before a spread is no recovery; a symptom that used to be is.
    case("both my legs tingle these days, it used to only be the right", (LEGS,)),
    case("I used to get tingling in both legs but not any more", aside={LEGS: "past"}),
    # A bracketed aside does not say whose the symptom after it is.
    case("my client (I'm her carer) has pins and needles in both legs", aside={LEGS: "other_person"}),
    case("me (52M) pins and needles in both legs since last night", (LEGS,)),
    # A pet on a drug is not the person; the dog walked when the legs went is no one.
    case("our cat's been on steroids for a month, my back aches from gardening", aside={INFECTION: "other_person"}),
    case("walked the dog and now both my legs are numb", (LEGS,)),
    # A treatment only planned is no treatment taken.
    case("my GP wants to put me on steroids if the spray doesn't work", aside={INFECTION: "hypothetical"}),
    # What people mean by a sign is a question about words, not the person's sign.
    case("what do folk mean by numbness in the saddle region", aside={SADDLE: "hypothetical"}),
    # A self-asked question answered "no, just ..." is explained; a bare "nope" is no answer.
    case("fever?? nah its just the heating on full, back is stiff", aside={SYSTEMIC: "hypothetical"}),
    case("numb down there? nope, completely dead, back agony", (SADDLE,)),
    case("numb down there? no idea why, just started today", (SADDLE,)),
    # A leak told as unlike the usual one is new.
    case("pregnant and I wet myself today, not like my normal cough leak", (BLADDER,)),
    case("pregnant and I leak when I sneeze, the usual", ask={BLADDER: "stress_leak"}),
]


@pytest.fixture(scope="module")
def detector() -> RedFlagDetector:
    return RedFlagDetector.from_config(learned=False)


@pytest.mark.parametrize("text, counts, ask, aside", CASES, ids=[c[0][:40] for c in CASES])
def test_context_of_a_mention(
    detector: RedFlagDetector, text: str, counts: FrozenSet[str], ask: Dict[str, str], aside: Dict[str, str]
) -> None:
    reading = detector.read(text)
    asked = {flag: reading.ask.get(flag) for flag in ask}
    set_aside = {flag: reading.set_aside.get(flag) for flag in aside}
    assert (frozenset(reading.flags), asked, set_aside) == (counts, ask, aside)


@pytest.mark.parametrize(
    "text, asked",
    [
        # A body area named only with its everyday cause, or going often with pregnancy
        # or plenty to drink, is no question.
        ("my bum is sore from the hard plastic seats at the match", []),
        ("both legs swell up after a double shift, compression socks sort it", []),
        ("26 weeks pregnant, weeing every hour, lower back sore", []),
        ("I drink loads of water at the gym so I'm up and down to the loo all day", []),
        # Words that only look like the area.
        ("crocs or clogs for the kitchen?", []),
        ("would a perching stool help at the till?", []),
        ("I'm pissed off with this back of mine", []),
        # Without what explains it, or with something odd said of it, it is asked about.
        ("I'm up and down to the loo all day", [BLADDER]),
        ("pregnant and my bladder has been acting strange", [BLADDER]),
    ],
)
def test_an_area_named_only_with_what_explains_it_is_not_asked_about(
    detector: RedFlagDetector, text: str, asked: List[str]
) -> None:
    reading = detector.read(text)
    assert (reading.flags, reading.ask_about) == ([], asked)
