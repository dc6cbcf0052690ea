"""Concerns: an emergency flag's body area or function mentioned without the flag firing.

The detector's rules miss wording they have not met, so a mention of the bladder, the
saddle area or both legs that is neither negated nor given an all-clear raises a
concern, and the assistant asks about the emergency symptom in plain words. A
message whose flag fired raises no concern of that flag: it is escalated already.

These are properties of the concept rules, so they are tested on the rules alone; the
learned signal's part is tested in ``test_classifier.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, FrozenSet, List, Tuple

import pytest
import yaml

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel
from rasa_project.understanding.red_flags.detector import RedFlagDetector, RedFlagReading

BLADDER = "bladder_bowel_dysfunction"
SADDLE = "saddle_anaesthesia"
LEGS = "bilateral_or_progressive_leg_symptoms"

NLU_DIR = Path(__file__).resolve().parents[3] / "data" / "nlu"
#: Intents of ordinary assessment and insole talk, where a concern interrupts the
#: conversation with a question the person has no reason for.
ORDINARY_INTENTS = ("inform", "start_assessment", "deny", "affirm")
ORDINARY_INTENT_PREFIX = "ask_"
#: At most this share of those training examples may raise a concern. Measured:
#: 3 of 717 (0.4%), all questions about the bladder under ``ask_red_flags``.
ORDINARY_CONCERN_RATE_MAX = 0.03

#: (text, concerns expected, flags expected): every case checks both, so a case
#: cannot pass because the flag fired where a concern was meant, or the reverse.
CASES: List[Tuple[str, FrozenSet[str], FrozenSet[str]]] = [
    # Area mentioned, no flag fired: a concern.
    ("my bladder has been acting strange", frozenset({BLADDER}), frozenset()),
    ("I keep needing the toilet", frozenset({BLADDER}), frozenset()),
    ("my bowels have been weird this week", frozenset({BLADDER}), frozenset()),
    ("peeing feels different lately", frozenset({BLADDER}), frozenset()),
    ("something is off with my waterworks", frozenset({BLADDER}), frozenset()),
    ("I'm going to the loo a lot more", frozenset({BLADDER}), frozenset()),
    ("my poo looks different", frozenset({BLADDER}), frozenset()),
    ("my bladder isn't right", frozenset({BLADDER}), frozenset()),
    ("my bladder is not fine", frozenset({BLADDER}), frozenset()),
    # A general question is answered with the emergency signs instead (test_context.py).
    ("is it normal to need the loo more?", frozenset(), frozenset()),
    ("I'm not sure my bladder is ok", frozenset({BLADDER}), frozenset()),
    ("something feels off down below", frozenset({SADDLE}), frozenset()),
    ("my groin feels a bit strange", frozenset({SADDLE}), frozenset()),
    ("not normal down there", frozenset({SADDLE}), frozenset()),
    ("my inner thighs are not right", frozenset({SADDLE}), frozenset()),
    ("my privates feel off", frozenset({SADDLE}), frozenset()),
    ("there's something up with my willy", frozenset({SADDLE}), frozenset()),
    ("sex has been different since the pain started", frozenset({SADDLE}), frozenset()),
    ("my backside has been bothering me", frozenset({SADDLE}), frozenset()),
    ("my legs feel funny", frozenset({LEGS}), frozenset()),
    ("my legs feel odd", frozenset({LEGS}), frozenset()),
    ("my legs keep going", frozenset({LEGS}), frozenset()),
    ("both legs", frozenset({LEGS}), frozenset()),
    # Pain travelling down both legs is sciatica in both: the flag, not a concern.
    ("the pain goes down both legs", frozenset(), frozenset({LEGS})),
    ("my legs feel heavy and wobbly", frozenset({LEGS}), frozenset()),
    ("my thighs have gone weird", frozenset({LEGS}), frozenset()),
    ("both feet feel strange", frozenset({LEGS}), frozenset()),
    ("my legs aren't working properly", frozenset({LEGS}), frozenset()),
    ("my legs are letting me down", frozenset({LEGS}), frozenset()),
    ("I'm struggling to feel my legs when I walk", frozenset({LEGS}), frozenset()),
    ("my legs just don't feel like mine anymore", frozenset({LEGS}), frozenset()),
    ("my bladder doesn't feel the same", frozenset({BLADDER}), frozenset()),
    ("my back aches and my bladder has been acting up", frozenset({BLADDER}), frozenset()),
    (
        "my bowels are weird and my legs feel funny",
        frozenset({BLADDER, LEGS}),
        frozenset(),
    ),
    # A flag of the same id fired: escalated already, no concern.
    ("I wet myself", frozenset(), frozenset({BLADDER})),
    ("weird feeling in my bum", frozenset(), frozenset({SADDLE})),
    ("I can't control my bladder", frozenset(), frozenset({BLADDER})),
    ("numb down there", frozenset(), frozenset({SADDLE})),
    ("I didn't notice I'd wet myself", frozenset(), frozenset({BLADDER})),
    ("I can't stand on my legs, they're too weak", frozenset(), frozenset({LEGS})),
    ("I've had a couple of embarrassing leaks this week", frozenset(), frozenset({BLADDER})),
    ("my underwear keeps getting damp and I don't know why", frozenset(), frozenset({BLADDER})),
    ("the tingling has moved from one leg into the other", frozenset(), frozenset({LEGS})),
    ("both my legs are numb", frozenset(), frozenset({LEGS})),
    # A flag of another id fired: the other area still raises its concern.
    ("I wet myself and my legs feel funny", frozenset({LEGS}), frozenset({BLADDER})),
    ("both my legs are numb. My bowels have been weird too", frozenset({BLADDER}), frozenset({LEGS})),
    # Negated or given an all-clear: nothing.
    ("no issues with my bladder", frozenset(), frozenset()),
    ("my bladder is fine", frozenset(), frozenset()),
    ("no problems with my bowels", frozenset(), frozenset()),
    ("no numbness down there", frozenset(), frozenset()),
    ("my bladder and bowels are fine", frozenset(), frozenset()),
    ("everything's normal down there", frozenset(), frozenset()),
    ("I can feel everything normally down there", frozenset(), frozenset()),
    ("toilet habits are normal", frozenset(), frozenset()),
    ("no tingling in my legs", frozenset(), frozenset()),
    ("my legs aren't weak", frozenset(), frozenset()),
    ("legs feel fine, no weakness", frozenset(), frozenset()),
    ("never had any trouble with my waterworks", frozenset(), frozenset()),
    # The negation reaches its own clause only.
    ("no problems with my bladder but my legs feel funny", frozenset({LEGS}), frozenset()),
    ("my bladder is fine but my groin has been bothering me", frozenset({SADDLE}), frozenset()),
    ("my bladder is fine but my groin feels odd", frozenset(), frozenset({SADDLE})),
    # One leg, feet and insoles, look-alikes: nothing.
    ("one leg is shorter", frozenset(), frozenset()),
    ("my left leg", frozenset(), frozenset()),
    ("my left leg is shorter than my right", frozenset(), frozenset()),
    ("both my legs are equal", frozenset(), frozenset()),
    ("both legs are the same length", frozenset(), frozenset()),
    ("I have flat feet", frozenset(), frozenset()),
    ("my feet ache after a long shift", frozenset(), frozenset()),
    ("I have flat arches in both feet", frozenset(), frozenset()),
    ("my arches collapse when I stand", frozenset(), frozenset()),
    ("the insoles feel odd in my shoes", frozenset(), frozenset()),
    ("I stretch my legs every morning", frozenset(), frozenset()),
    ("my back is a wee bit sore", frozenset(), frozenset()),
    ("it hurts walking downstairs", frozenset(), frozenset()),
    ("I sit on a stool at work", frozenset(), frozenset()),
    ("the pain is at the bottom of my back", frozenset(), frozenset()),
    ("what's the bottom line", frozenset(), frozenset()),
    ("what is supination?", frozenset(), frozenset()),
    ("what's pes planus", frozenset(), frozenset()),
    ("indeed", frozenset(), frozenset()),
    ("the toilet paper is on the shelf", frozenset(), frozenset()),
    ("the balls of my feet hurt", frozenset(), frozenset()),
    ("I have to go now", frozenset(), frozenset()),
    ("my shoes have had leaks", frozenset(), frozenset()),
    ("my legs feel the same as ever", frozenset(), frozenset()),
    ("I didn't notice any problems with my bladder", frozenset(), frozenset()),
    ("I sit on a saddle stool at work", frozenset(), frozenset()),
]


@pytest.fixture(scope="module")
def detector() -> RedFlagDetector:
    return RedFlagDetector.from_config(learned=False)


def test_the_table_is_large_and_covers_every_emergency_flag() -> None:
    assert len(CASES) >= 40
    expected = set().union(*(concerns for _, concerns, _ in CASES))
    emergency = {f for f, flag in RED_FLAG_CATALOGUE.items() if flag.level is TriageLevel.EMERGENCY}
    assert expected == emergency


@pytest.mark.parametrize("text,concerns,flags", CASES, ids=[text[:50] for text, _, _ in CASES])
def test_concerns_table(detector: RedFlagDetector, text: str, concerns: FrozenSet[str], flags: FrozenSet[str]) -> None:
    assert detector.concerns(text) == sorted(concerns)
    emergency_flags = {m.flag_id for m in detector.detect(text) if m.level == TriageLevel.EMERGENCY.value}
    assert emergency_flags == flags


def test_read_returns_what_detect_and_concerns_return(detector: RedFlagDetector) -> None:
    text = "I wet myself last night, my legs feel funny and something feels off down below"
    reading = detector.read(text)
    mentions, concerns = list(reading.mentions), list(reading.concerns)
    assert mentions == detector.detect(text)
    assert sorted({c.flag_id for c in concerns}) == detector.concerns(text) == [LEGS, SADDLE]
    assert [c.text for c in concerns] == [text[c.start : c.end] for c in concerns]
    assert concerns == sorted(concerns, key=lambda c: c.start)
    legs = next(c for c in concerns if c.flag_id == LEGS)
    assert legs.text == "legs feel funny"


def test_concerns_are_sorted_and_unique(detector: RedFlagDetector) -> None:
    text = "my legs feel funny, my bladder is odd, my legs feel funny again, my bowels too"
    assert detector.concerns(text) == [LEGS, BLADDER]  # sorted by id, not by position
    assert len(detector.read(text).concerns) > 2


def test_a_flag_anywhere_in_the_message_suppresses_its_concern(detector: RedFlagDetector) -> None:
    text = "my bladder has been acting strange. Also yesterday I wet myself."
    assert [m.flag_id for m in detector.detect(text)] == [BLADDER]
    assert detector.concerns(text) == []


def test_concerns_in_a_long_message_are_found_past_the_first_window(detector: RedFlagDetector) -> None:
    text = "my insoles are comfortable. " * 1_500 + "my legs feel funny"
    assert len(text) > 20_000
    reading = detector.read(text)
    mentions, concerns = list(reading.mentions), list(reading.concerns)
    assert mentions == []
    assert [(c.flag_id, c.text) for c in concerns] == [(LEGS, "legs feel funny")]
    assert concerns[0].start == text.index("legs feel funny")


def test_markup_does_not_hide_a_concern(detector: RedFlagDetector) -> None:
    assert detector.concerns("<p>my bladder has been acting strange</p>") == [BLADDER]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 10_000, "😀🙏🏽" * 500, "¿Dónde está el baño?", "<script>alert(1)</script>", "\x00\x07"],
)
def test_bad_input_gives_no_concern(detector: RedFlagDetector, text: str) -> None:
    assert detector.concerns(text) == []
    assert detector.read(text) == RedFlagReading()


@pytest.mark.parametrize("value", [None, 42, b"my bladder is odd", ["my legs feel funny"]])
def test_non_strings_give_no_concern(detector: RedFlagDetector, value: object) -> None:
    assert detector.concerns(value) == []  # type: ignore[arg-type]


# --- ordinary conversation ---------------------------------------------------------------

ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


def ordinary_examples() -> Dict[str, List[str]]:
    """Return the training examples of ordinary intents, annotations removed, by intent."""
    examples: Dict[str, List[str]] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        with open(path, encoding="utf8") as handle:
            raw = yaml.safe_load(handle)
        for block in raw.get("nlu") or []:
            intent = block.get("intent")
            if intent is None or not (intent in ORDINARY_INTENTS or intent.startswith(ORDINARY_INTENT_PREFIX)):
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.setdefault(intent, []).append(ANNOTATION.sub(r"\1", line[2:]))
    return examples


def test_ordinary_training_examples_rarely_raise_a_concern(detector: RedFlagDetector, report_figure) -> None:
    examples = ordinary_examples()
    assert set(ORDINARY_INTENTS) <= set(examples)
    raised = {intent: [t for t in texts if detector.concerns(t)] for intent, texts in examples.items()}
    total = sum(len(texts) for texts in examples.values())
    count = sum(len(texts) for texts in raised.values())
    assert total > 500
    per_intent = ", ".join(f"{intent} {len(raised[intent])}/{len(examples[intent])}" for intent in sorted(examples))
    report_figure(f"red-flag concerns in ordinary NLU examples: {count}/{total} = {count / total:.1%} ({per_intent})")
    assert count / total < ORDINARY_CONCERN_RATE_MAX, {i: t for i, t in raised.items() if t}
    # Answers and assessment facts never raise one; only questions about red flags may.
    for intent in (*ORDINARY_INTENTS,):
        assert raised[intent] == [], (intent, raised[intent])
