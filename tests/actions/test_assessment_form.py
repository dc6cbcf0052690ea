"""The form's validation action on rasa_sdk trackers: reading answers in context, never three times."""

from __future__ import annotations

import asyncio
import re
from typing import Any, Dict, List, Optional, Tuple

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import (
    QUESTION_ATTEMPTS,
    ActionReadEmergencyMessage,
    ActionReadUnclearMessage,
    ActionStartOver,
    AskRedFlagScreen,
    ValidateAssessmentForm,
    leads_into_the_assessment,
)
from rasa_project.clinical.contract import SCREEN_SIGNS
from rasa_project.clinical.questions import SCORE_AS_NUMBER
from tests.actions.conftest import make_tracker, texts


def run_form(domain: Dict[str, Any], requested: str, text: str, **kwargs: Any):
    dispatcher = CollectingDispatcher()
    slots = {"requested_slot": requested, **kwargs.pop("slots", {})}
    tracker = make_tracker(domain, text, slots=slots, **kwargs)
    events = asyncio.run(ValidateAssessmentForm().run(dispatcher, tracker, domain))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, texts(dispatcher)


@pytest.mark.parametrize(
    "requested, text, slot_value",
    [
        ("foot_arch", "high", "high"),
        ("foot_arch", "hgih i think", "high"),
        ("daily_load", "bit of both", "mixed"),
        ("daily_load", "half sitting half walking", "mixed"),
        ("pain_duration", "ages", "chronic"),
        ("pain_severity", "dunno like a 5?", 5),
        ("insole_history", "never tried insoles, would they help?", "none"),
        ("leg_length_difference", "yes, about 1.5 cm", "yes"),
        ("red_flag_screen", "nah none of those", "clear"),
        ("gait_diagnosis", "no", "no"),
    ],
)
def test_a_reply_is_read_as_an_answer_to_the_question_just_asked(
    domain: Dict[str, Any], requested: str, text: str, slot_value: Any
) -> None:
    # "high" is classified as a greeting, "bit of both" as something else: the reader comes first.
    slots, said = run_form(domain, requested, text, intent="greet", confidence=0.8)
    assert slots[requested] == slot_value
    assert said == []


def test_an_unreadable_screen_answer_gets_the_screen_once_more_with_how_to_answer(domain: Dict[str, Any]) -> None:
    slots, said = run_form(domain, "red_flag_screen", "purple elephants")
    assert slots["red_flag_screen"] is None and said == ["<utter_screen_not_understood>"]
    assert slots[QUESTION_ATTEMPTS]["red_flag_screen"]["unreadable"] == 1


def test_unreadable_twice_takes_the_not_sure_value_and_moves_on(domain: Dict[str, Any]) -> None:
    slots, said = run_form(domain, "shoe_wear", "purple elephants")
    assert slots["shoe_wear"] is None and said == ["<utter_answer_not_understood>"]
    attempts = slots[QUESTION_ATTEMPTS]

    slots, said = run_form(domain, "shoe_wear", "purple elephants", slots={QUESTION_ATTEMPTS: attempts})
    assert slots["shoe_wear"] == "unknown"
    assert said == ["<utter_noted_not_sure>"]


@pytest.mark.parametrize("first, second, score", [("mild really", "a 3", 3), ("fairly severe", "still just severe", 8)])
def test_a_score_in_words_asks_once_for_the_number(domain: Dict[str, Any], first: str, second: str, score: int) -> None:
    slots, said = run_form(domain, "pain_severity", first)
    assert slots["pain_severity"] is None and said == [SCORE_AS_NUMBER]
    attempts = slots[QUESTION_ATTEMPTS]

    # The second reply settles it, in a number or in words again.
    slots, said = run_form(domain, "pain_severity", second, slots={QUESTION_ATTEMPTS: attempts})
    assert slots["pain_severity"] == score and said == []


def test_not_sure_about_the_arch_gets_the_wet_foot_test_first(domain: Dict[str, Any]) -> None:
    slots, said = run_form(domain, "foot_arch", "no idea", intent="dont_know")
    assert slots["foot_arch"] is None
    assert "wet-foot test" in said[0]

    slots, said = run_form(
        domain, "foot_arch", "still not sure", intent="dont_know", slots={QUESTION_ATTEMPTS: slots[QUESTION_ATTEMPTS]}
    )
    assert slots["foot_arch"] == "unknown"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("are Dr Scholl's any good?", "ask_brands"),
        ("should I see a podiatrist or a physio?", "ask_which_clinician"),
        ("do heel lifts work?", "ask_heel_lifts"),
        ("can I keep running?", "ask_exercise"),
        # A pause is no unreadable answer: the question waits.
        ("one moment, my daughter's calling me", "pause"),
    ],
)
def test_a_question_mid_way_is_not_an_answer(domain: Dict[str, Any], text: str, intent: str) -> None:
    slots, said = run_form(domain, "gait_diagnosis", text, intent=intent)
    assert slots.get("gait_diagnosis") is None and QUESTION_ATTEMPTS not in slots
    assert said == []


def test_an_over_long_message_answers_nothing(domain: Dict[str, Any]) -> None:
    slots, said = run_form(
        domain, "pain_duration", "my back has hurt for a few months. " * 200, intent="message_too_long"
    )
    assert slots.get("pain_duration") is None and QUESTION_ATTEMPTS not in slots
    assert said == []


def test_the_answer_to_a_safety_question_is_not_also_an_assessment_answer(domain: Dict[str, Any]) -> None:
    cleared = [{"event": "slot", "name": "red_flag_question", "value": None}]
    slots, said = run_form(domain, "leg_length_difference", "no", events_after_message=cleared)
    assert "leg_length_difference" not in slots and said == []


def _reply_to_a_safety_question_with_a_duration(domain: Dict[str, Any], text: str) -> Dict[str, Any]:
    """The form run on a reply to a direct safety question from which a chronic duration was mapped."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        text,
        intent="deny",
        slots={"requested_slot": "daily_load", "pain_duration": "chronic"},
        entities=[{"entity": "pain_duration", "value": "chronic"}],
        events_after_message=[
            {"event": "slot", "name": "pain_duration", "value": "chronic"},
            {"event": "slot", "name": "red_flag_question", "value": None},
        ],
    )
    tracker.events = [{"event": "slot", "name": "pain_duration", "value": "acute"}, *tracker.events]
    events = asyncio.run(ValidateAssessmentForm().run(dispatcher, tracker, domain))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    "text, duration",
    [
        # "It" is the symptom asked about: the pain keeps the duration it had.
        ("no, it has been like this for donkey's years", "acute"),
        ("nope, same as it's been for ages", "acute"),
        # A reply that names the back or its pain speaks of the pain.
        ("no, but my back has hurt for years", "chronic"),
        ("no. the pain has been there for ages though", "chronic"),
    ],
)
def test_a_duration_in_the_reply_to_a_safety_question_is_the_symptoms_unless_it_names_the_pain(
    domain: Dict[str, Any], text: str, duration: str
) -> None:
    assert _reply_to_a_safety_question_with_a_duration(domain, text)["pain_duration"] == duration


def _reply_to_the_screen_with_a_duration(domain: Dict[str, Any], text: str, intent: str) -> Dict[str, Any]:
    """The form run on a reply to the red-flag screen from which an acute duration was mapped."""
    dispatcher = CollectingDispatcher()
    span = re.search(r"(this|these|for|about) [a-z0-9 ]*(week|day|month)s?", text)
    assert span is not None
    tracker = make_tracker(
        domain,
        text,
        intent=intent,
        slots={"requested_slot": "red_flag_screen", "pain_duration": "acute"},
        entities=[{"entity": "pain_duration", "value": "acute", "start": span.start(), "end": span.end()}],
        events_after_message=[{"event": "slot", "name": "pain_duration", "value": "acute"}],
    )
    tracker.events = [{"event": "slot", "name": "pain_duration", "value": "subacute"}, *tracker.events]
    events = asyncio.run(ValidateAssessmentForm().run(dispatcher, tracker, domain))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    "text, intent, duration",
    [
        # The screen asks about symptoms: how long one of them lasted is not the pain's.
        ("no, I've only had a temperature on and off this past week", "deny", "subacute"),
        ("none, apart from a cough these last few days", "deny", "subacute"),
        # A reply that names the back or its pain corrects the pain's duration, and so does
        # a span with a start of its own.
        ("no, and my back has only hurt this past week really", "deny", "acute"),
        ("no none of those, it's been going on for about 3 weeks", "deny", "acute"),
    ],
)
def test_a_duration_in_the_reply_to_the_screen_is_the_symptoms_unless_it_names_the_pain(
    domain: Dict[str, Any], text: str, intent: str, duration: str
) -> None:
    slots = _reply_to_the_screen_with_a_duration(domain, text, intent)
    assert slots["pain_duration"] == duration
    # The reply is still read as the screen's answer (here, "which one?" follows).
    assert "red_flag_screen" in slots[QUESTION_ATTEMPTS]


def _after_safety_question(domain: Dict[str, Any], requested: str, reply: str, attempts: Any = None):
    """The form run on "no" to a safety question that ``reply`` to ``requested`` prompted."""
    dispatcher = CollectingDispatcher()
    slots = {"requested_slot": requested, QUESTION_ATTEMPTS: attempts}
    tracker = make_tracker(domain, "no", intent="deny", slots=slots)
    tracker.events = [
        {"event": "user", "text": reply, "parse_data": {"text": reply}},
        {"event": "bot", "text": "Before we go on, I need to ask you directly ..."},
        *tracker.events,
        {"event": "slot", "name": "red_flag_question", "value": None},
    ]
    events = asyncio.run(ValidateAssessmentForm().run(dispatcher, tracker, domain))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, texts(dispatcher)


def test_a_reply_that_prompted_a_safety_question_still_answers_the_question(domain: Dict[str, Any]) -> None:
    slots, _ = _after_safety_question(domain, "foot_arch", "flat, the whole sole leaves a wet mark")
    assert slots["foot_arch"] == "flat"


def test_a_not_sure_that_prompted_a_safety_question_counts_as_the_second_try(domain: Dict[str, Any]) -> None:
    # The wet-foot test was taught after the first "not sure"; the second settles it.
    first_try = {"foot_arch": {"unreadable": 0, "not_sure": 1}}
    slots, said = _after_safety_question(domain, "foot_arch", "wet my foot and stood on paper, no clue", first_try)
    assert slots["foot_arch"] == "unknown"
    assert said == ["<utter_noted_not_sure>"]


@pytest.mark.parametrize("text, intent", [("yes", "affirm"), ("not sure", "dont_know")])
def test_a_screen_yes_or_not_sure_asks_which_warning_sign(domain: Dict[str, Any], text: str, intent: str) -> None:
    slots, _ = run_form(domain, "red_flag_screen", text, intent=intent)
    assert slots["red_flag_screen"] is None
    assert slots["red_flag_question"] == list(SCREEN_SIGNS)

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, text, slots={"requested_slot": "red_flag_screen", **slots})
    asyncio.run(AskRedFlagScreen().run(dispatcher, tracker, domain))
    assert texts(dispatcher) == ["<utter_ask_which_red_flag>"]


PAST_SIGN = "nothing these days; I had tingling in one leg two winters ago but it cleared up"


def test_a_screen_no_with_a_past_resolved_sign_is_clear(domain: Dict[str, Any]) -> None:
    context = [{"entity": "red_flag_context", "value": "radiating_leg_symptoms"}]
    slots, said = run_form(domain, "red_flag_screen", PAST_SIGN, entities=context)
    assert slots["red_flag_screen"] == "clear" and said == []


@pytest.mark.parametrize(
    "entity",
    [
        {"entity": "red_flag_concern", "value": "radiating_leg_symptoms"},
        {"entity": "red_flag", "value": "radiating_leg_symptoms"},
    ],
)
def test_a_past_sign_the_detector_counts_or_doubts_asks_which_one(
    domain: Dict[str, Any], entity: Dict[str, Any]
) -> None:
    slots, _ = run_form(domain, "red_flag_screen", PAST_SIGN, entities=[entity])
    assert slots["red_flag_screen"] is None
    assert slots["red_flag_question"] == list(SCREEN_SIGNS)


LEAK = {"entity": "red_flag_concern", "value": "bladder_bowel_dysfunction"}


@pytest.mark.parametrize(
    ("text", "entities", "cleared", "screen"),
    [
        # Symptom words the detector read as denied: a no.
        ("nah, I can feel it fine when I wipe, no accidents, legs are ok", [], [], "clear"),
        # An exception that is a sign already answered no to: a no.
        (
            "no, apart from the sneeze leaks I told you about, same as ever",
            [LEAK],
            ["bladder_bowel_dysfunction"],
            "clear",
        ),
        # An exception the detector did not place: "which one?" asks.
        ("no, apart from some weirdness down there", [], [], None),
        # An exception that is a sign not yet answered: "which one?" asks.
        ("no, apart from the sneeze leaks", [LEAK], [], None),
        # Not a "no" at all.
        ("my legs are numb", [], [], None),
    ],
)
def test_a_screen_no_that_names_signs(
    domain: Dict[str, Any], text: str, entities: List[Dict[str, Any]], cleared: List[str], screen: Optional[str]
) -> None:
    slots, _ = run_form(domain, "red_flag_screen", text, entities=entities, slots={"red_flags_cleared": cleared})
    assert slots["red_flag_screen"] == screen


def test_a_routine_flag_does_not_reopen_a_clear_screen(domain: Dict[str, Any]) -> None:
    routine = [{"entity": "red_flag", "value": "no_improvement_with_insoles"}]
    slots, _ = run_form(domain, "red_flag_screen", "none of those", entities=routine)
    assert slots["red_flag_screen"] == "clear"


def run_form_with_fact(
    domain: Dict[str, Any], requested: str, text: str, fact: Tuple[str, Any, int, int], **kwargs: Any
):
    """Run the form on a reply in which the NLU found ``fact`` (slot, value, start, end).

    Rasa maps the fact's entity to its slot before the form runs (action_extract_slots).
    """
    slot, value, start, end = fact
    return run_form(
        domain,
        requested,
        text,
        entities=[{"entity": slot, "value": value, "start": start, "end": end}],
        slots={slot: value, **kwargs.pop("slots", {})},
        events_after_message=[{"event": "slot", "name": slot, "value": value}],
        **kwargs,
    )


def test_facts_given_with_an_answer_are_noted(domain: Dict[str, Any]) -> None:
    slots, said = run_form_with_fact(
        domain, "daily_load", "standing mostly, and I have flat feet", ("foot_arch", "flat", 0, 4)
    )
    assert slots["daily_load"] == "standing"
    assert said == ["Noted: arch type: flat (low arches)."]


def test_the_reply_read_as_the_answer_decides_over_a_fact_found_in_it(domain: Dict[str, Any]) -> None:
    # The fact is mapped first; the reply to the question asked names another value.
    slots, _ = run_form_with_fact(
        domain, "daily_load", "a mixture really, gardening and then office work", ("daily_load", "sitting", 38, 44)
    )
    assert slots["daily_load"] == "mixed"


def test_a_fact_for_the_question_asked_stands_when_the_reply_reads_no_otherwise(domain: Dict[str, Any]) -> None:
    slots, said = run_form_with_fact(domain, "daily_load", "I'm a receptionist", ("daily_load", "sitting", 5, 17))
    assert slots["daily_load"] == "sitting"
    assert said == []


def test_start_over_clears_the_answers_and_the_triage_and_says_so(domain: Dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        "start over",
        intent="start_over",
        slots={"foot_arch": "flat", "triage_level": "routine", "red_flags": ["significant_trauma"]},
    )
    events: List[Dict[str, Any]] = asyncio.run(ActionStartOver().run(dispatcher, tracker, domain))
    cleared = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert {"foot_arch", "triage_level", "recommendation", "red_flags", "requested_slot"} <= cleared
    assert texts(dispatcher) == ["<utter_start_over>"]
    assert "delete" in domain["responses"]["utter_start_over"][0]["text"]


def _unclear(domain: Dict[str, Any], ranking: List[str], entities: List[Dict[str, Any]], text: str = "x", **slots: Any):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, text, intent="nlu_fallback", slots=slots, entities=entities, active_loop=None)
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.35}] + [
        {"name": name, "confidence": 0.4} for name in ranking
    ]
    events = asyncio.run(ActionReadUnclearMessage().run(dispatcher, tracker, domain))
    return texts(dispatcher), [(e["event"], e.get("name")) for e in events]


FLAT = [{"entity": "foot_arch", "value": "flat"}]


@pytest.mark.parametrize(
    "ranking, entities",
    [(["inform", "start_assessment"], []), (["start_assessment", "inform"], []), (["inform", "ask_arch_types"], FLAT)],
)
def test_an_unclear_message_about_ones_back_starts_the_assessment(
    domain: Dict[str, Any], ranking: List[str], entities: List[Dict[str, Any]]
) -> None:
    said, events = _unclear(domain, ranking, entities)
    assert said == ["<utter_start_assessment>"]
    assert events == [("followup", "assessment_form")]


@pytest.mark.parametrize(
    "ranking, entities",
    [(["greet", "start_assessment"], []), (["start_assessment", "ask_brands"], []), (["ask_cost", "inform"], FLAT)],
)
def test_any_other_unclear_message_is_asked_again(
    domain: Dict[str, Any], ranking: List[str], entities: List[Dict[str, Any]]
) -> None:
    assert _unclear(domain, ranking, entities) == (["<utter_please_rephrase>"], [])


def test_an_unclear_message_after_a_result_reworks_it_and_after_an_emergency_does_not(domain: Dict[str, Any]) -> None:
    assert _unclear(domain, ["inform", "start_assessment"], FLAT, triage_level="self_care") == (
        [],
        [("followup", "assessment_form")],
    )
    said, events = _unclear(domain, ["inform", "start_assessment"], FLAT, triage_level="emergency")
    assert said == ["<utter_please_rephrase>"] and events == []


WALKING = [{"entity": "daily_load", "value": "walking"}]


def test_an_unclear_message_that_restates_an_answer_after_a_result_reworks_it(domain: Dict[str, Any]) -> None:
    chronic = [{"entity": "pain_duration", "value": "chronic"}]
    text = "my mistake: more like four months, since I joined the warehouse"
    given = {"triage_level": "self_care", "result_answers": {"pain_duration": "acute"}}
    assert _unclear(domain, ["greet", "ask_cost"], chronic, text=text, **given) == (
        [],
        [("followup", "assessment_form")],
    )
    # A result with no fact in the message is no correction.
    assert _unclear(domain, ["greet", "ask_cost"], [], text="hmm ok", **given) == (["<utter_please_rephrase>"], [])


def test_an_unclear_note_of_ones_job_and_back_starts_the_assessment_whatever_the_guess(domain: Dict[str, Any]) -> None:
    said, events = _unclear(domain, ["ask_cost", "greet"], WALKING, text="postie, miles a day. back")
    assert said == ["<utter_start_assessment>"]
    assert events == [("followup", "assessment_form")]
    # Without the back, a fact alone is not enough when the likeliest intent is something else.
    assert _unclear(domain, ["ask_cost", "greet"], WALKING, text="postie, miles a day") == (
        ["<utter_please_rephrase>"],
        [],
    )


NO_IMPROVEMENT = [{"entity": "red_flag", "value": "no_improvement_with_insoles"}]


def test_an_insole_trial_that_helped_decides_over_a_no_improvement_flag(domain: Dict[str, Any]) -> None:
    text = "the inserts did help, it was the massage that did nothing"
    slots, _ = run_form(domain, "insole_history", text, entities=NO_IMPROVEMENT)
    assert slots["insole_history"] == "helped"
    assert "no_improvement_with_insoles" not in (slots.get("red_flags") or [])
    # An earlier flag goes too when the trial is now said to have helped.
    slots, _ = run_form(domain, "insole_history", "they helped", slots={"red_flags": ["no_improvement_with_insoles"]})
    assert slots["red_flags"] == []


def test_an_insole_trial_that_failed_keeps_its_flag(domain: Dict[str, Any]) -> None:
    slots, _ = run_form(domain, "insole_history", "wore them 2 months, nothing changed", entities=NO_IMPROVEMENT)
    assert slots["insole_history"] == "no_change"
    assert slots["red_flags"] == ["no_improvement_with_insoles"]


@pytest.mark.parametrize(
    "text", ["tried gel ones for six weeks and they did nothing", "the arch supports made it worse"]
)
def test_an_insole_trial_that_failed_is_the_flag_when_the_detector_missed_it(domain: Dict[str, Any], text: str) -> None:
    slots, _ = run_form(domain, "insole_history", text)
    assert slots["insole_history"] in ("no_change", "worse")
    assert slots["red_flags"] == ["no_improvement_with_insoles"]


@pytest.mark.parametrize(
    "text", ["sore lower back. any advice", "backache, help me out", "roofer, my back's killing me"]
)
def test_an_unclear_message_that_the_back_hurts_starts_the_assessment(domain: Dict[str, Any], text: str) -> None:
    said, _ = _unclear(domain, ["ask_cost", "greet"], [], text=text)
    assert said == ["<utter_start_assessment>"]


@pytest.mark.parametrize("text", ["why is my back sore", "does back pain go away?", "my dad's back"])
def test_an_unclear_question_about_back_pain_is_asked_again(domain: Dict[str, Any], text: str) -> None:
    assert _unclear(domain, ["ask_cost", "greet"], [], text=text)[0] == ["<utter_please_rephrase>"]


def test_an_unclear_request_that_tells_of_back_pain_and_asks_more_starts_the_assessment(domain: Dict[str, Any]) -> None:
    text = "my lower back has ached for weeks, could insoles do anything?"
    said, _ = _unclear(domain, ["start_assessment", "ask_cost"], [], text=text)
    assert said == ["<utter_start_assessment>"]
    assert _unclear(domain, ["ask_cost", "start_assessment"], [], text=text)[0] == ["<utter_please_rephrase>"]


@pytest.mark.parametrize(
    "text", ["hey, got a quick question on orthotics", "morning, I'd like some advice about arch supports"]
)
def test_an_unclear_request_to_ask_about_insoles_starts_the_assessment(domain: Dict[str, Any], text: str) -> None:
    said, events = _unclear(domain, ["ask_cost", "greet"], [], text=text)
    assert said == ["<utter_start_assessment>"]
    assert ("followup", "assessment_form") in events


@pytest.mark.parametrize("text", ["\U0001f590", "\U0001f64b\U0001f3fd"])
def test_a_waved_hand_is_answered_as_a_greeting(domain: Dict[str, Any], text: str) -> None:
    said, events = _unclear(domain, [], [], text=text)
    assert said == []
    assert events == [("followup", "action_greet")]


def test_an_unreadable_message_without_a_greeting_is_asked_again(domain: Dict[str, Any]) -> None:
    assert _unclear(domain, [], [], text="\U0001f914")[0] == ["<utter_please_rephrase>"]


def _ranking(*names: str) -> List[Dict[str, Any]]:
    return [{"name": "nlu_fallback", "confidence": 0.35}] + [
        {"name": name, "confidence": 0.5 - 0.01 * i} for i, name in enumerate(names)
    ]


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        # Torn between "do insoles help?" and a request: the person's own back pain decides.
        ("sore lower back, could an insert fix it?", _ranking("ask_insoles_help", "start_assessment"), True),
        ("my back is aching, would an insole do anything?", _ranking("ask_insoles_help", "inform"), True),
        # Other questions are asked again: their answer does not go on to the person's case.
        ("my back is aching, are orthotics worth it?", _ranking("ask_custom_vs_otc", "inform"), False),
        ("could an insert fix a sore back?", _ranking("ask_insoles_help", "start_assessment"), False),
        ("are orthotics worth it?", _ranking("ask_custom_vs_otc", "start_assessment"), False),
        ("sore lower back, could an insert fix it?", _ranking("ask_insoles_help", "ask_custom_vs_otc"), False),
        ("my back hurts", _ranking(), True),
        ("hmm", _ranking(), False),
    ],
)
def test_an_unsure_reading_leads_in_when_it_tells_of_own_back_pain(
    text: str, ranking: List[Dict[str, Any]], expected: bool
) -> None:
    assert leads_into_the_assessment(ranking, [], text) is expected


def _emergency_guess(domain: Dict[str, Any], text: str, entities: List[Dict[str, Any]], **slots: Any):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, text, intent="emergency", slots=slots, entities=entities, active_loop=None)
    events = asyncio.run(ActionReadEmergencyMessage().run(dispatcher, tracker, domain))
    return texts(dispatcher), [(e["event"], e.get("name")) for e in events]


SITTING = [{"entity": "daily_load", "value": "sitting"}]


@pytest.mark.parametrize(
    "text, entities",
    [
        ("I drive a forklift all shift and my back is done in", SITTING),
        ("lower back is killing me, I can't take it any more", []),
    ],
)
def test_an_emergency_guess_about_ones_back_names_the_signs_and_starts_the_assessment(
    domain: Dict[str, Any], text: str, entities: List[Dict[str, Any]]
) -> None:
    said, events = _emergency_guess(domain, text, entities)
    assert said == ["<utter_emergency_signs>", "<utter_start_assessment>"]
    assert events == [("followup", "assessment_form")]


def test_an_emergency_guess_about_nothing_of_ones_own_only_names_the_signs(domain: Dict[str, Any]) -> None:
    assert _emergency_guess(domain, "what happens in an emergency department?", []) == (
        ["<utter_emergency_signs>"],
        [],
    )


def test_an_emergency_guess_after_a_result_reworks_it_and_after_an_emergency_does_not(domain: Dict[str, Any]) -> None:
    text = "I drive a forklift all shift and my back is done in"
    assert _emergency_guess(domain, text, SITTING, triage_level="self_care") == (
        ["<utter_emergency_signs>"],
        [("followup", "assessment_form")],
    )
    assert _emergency_guess(domain, text, SITTING, triage_level="emergency") == (["<utter_emergency_signs>"], [])


@pytest.mark.parametrize("greeted, expected", [(True, "acute"), (False, "chronic")])
def test_a_story_told_after_a_typed_greeting_is_an_opening_not_the_first_answer(
    domain: Dict[str, Any], greeted: bool, expected: str
) -> None:
    # "Hi" went on to "how long?": the next message tells the story, and its own fact
    # of the pain's duration stands over the years the feet have been flat.
    text = "my arches dropped years back and now the lower back has been sore since last week"
    fact = {"entity": "pain_duration", "value": "acute", "start": 52, "end": 82}
    earlier = [
        {"event": "user", "text": "hello", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "action", "name": "action_greet" if greeted else "utter_start_assessment"},
        {"event": "action", "name": "assessment_form"},
    ]
    tracker = make_tracker(
        domain,
        text,
        slots={"requested_slot": "pain_duration", "pain_duration": "acute"},
        entities=[fact],
        events_after_message=[{"event": "slot", "name": "pain_duration", "value": "acute"}],
    )
    tracker.events[:0] = earlier
    events = asyncio.run(ValidateAssessmentForm().run(CollectingDispatcher(), tracker, domain))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots.get("pain_duration", "acute") == expected


@pytest.mark.parametrize(
    "text, score_at, expected",
    [
        # The reply opens with the answer to "how long?" and goes on to the score.
        ("roughly 5 months, and most days it's a 7 out of 10", (37, 48), "chronic"),
        # It opens with the feet: no answer to "how long?", which is asked again.
        ("flat feet since school, and most days it's a 7 out of 10", (43, 54), None),
    ],
)
def test_an_answer_that_opens_a_story_after_a_typed_greeting_answers_the_question(
    domain: Dict[str, Any], text: str, score_at: Tuple[int, int], expected: Optional[str]
) -> None:
    fact = {"entity": "pain_severity", "value": 7, "start": score_at[0], "end": score_at[1]}
    earlier = [
        {"event": "user", "text": "hiya", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "action", "name": "action_greet"},
        {"event": "action", "name": "assessment_form"},
    ]
    tracker = make_tracker(
        domain,
        text,
        slots={"requested_slot": "pain_duration", "pain_severity": 7},
        entities=[fact],
        events_after_message=[{"event": "slot", "name": "pain_severity", "value": 7}],
    )
    tracker.events[:0] = earlier
    events = asyncio.run(ValidateAssessmentForm().run(CollectingDispatcher(), tracker, domain))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots.get("pain_duration") == expected
