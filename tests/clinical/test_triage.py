"""The decision table of spec section 3, row by row, with its precedence and boundaries."""

from __future__ import annotations

import pytest

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel
from rasa_project.clinical.triage import Assessment, Decision, decide, derive_mechanics
from rasa_project.understanding.answers import duration_category

EMERGENCY_FLAGS = [f for f, flag in RED_FLAG_CATALOGUE.items() if flag.level is TriageLevel.EMERGENCY]
URGENT_FLAGS = [f for f, flag in RED_FLAG_CATALOGUE.items() if flag.level is TriageLevel.URGENT]

# (arch, wear, expected mechanics)
MECHANICS_TABLE = [
    ("flat", None, "overpronation"),
    ("flat", "outer", "overpronation"),
    ("flat", "even", "overpronation"),
    ("high", None, "supination"),
    ("high", "inner", "supination"),
    ("normal", "inner", "neutral"),
    ("normal", "outer", "neutral"),
    ("normal", None, "neutral"),
    ("unknown", "inner", "overpronation"),
    ("unknown", "outer", "supination"),
    ("unknown", "even", "neutral"),
    ("unknown", "unknown", "neutral"),
    ("unknown", None, "neutral"),
    (None, "inner", "overpronation"),
    (None, "outer", "supination"),
    (None, None, "neutral"),
]


@pytest.mark.parametrize("arch, wear, expected", MECHANICS_TABLE)
def test_derive_mechanics(arch, wear, expected):
    assert derive_mechanics(arch, wear) == expected


# (assessment fields, red flags, expected row, level, recommendation)
DECISION_TABLE = [
    # Row 1: any emergency flag, whatever else is true.
    ({}, ["bladder_bowel_dysfunction"], 1, "emergency", "emergency_care"),
    ({}, ["saddle_anaesthesia"], 1, "emergency", "emergency_care"),
    ({}, ["bilateral_or_progressive_leg_symptoms"], 1, "emergency", "emergency_care"),
    (
        {"foot_arch": "flat", "insole_history": "worse"},
        ["severe_night_pain", "saddle_anaesthesia"],
        1,
        "emergency",
        "emergency_care",
    ),
    # Row 2: any urgent flag.
    ({}, ["radiating_leg_symptoms"], 2, "urgent", "prompt_medical_review"),
    ({}, ["severe_night_pain"], 2, "urgent", "prompt_medical_review"),
    ({}, ["systemic_symptoms"], 2, "urgent", "prompt_medical_review"),
    ({"leg_length_difference": "yes"}, ["significant_trauma"], 2, "urgent", "prompt_medical_review"),
    (
        {"insole_history": "no_change"},
        ["no_improvement_with_insoles", "significant_trauma"],
        2,
        "urgent",
        "prompt_medical_review",
    ),
    # Row 3: insoles tried without benefit, or the flag; beats rows 4-10.
    ({"insole_history": "no_change"}, [], 3, "routine", "clinician_review"),
    ({"insole_history": "worse"}, [], 3, "routine", "clinician_review"),
    (
        {"insole_history": "helped", "foot_arch": "flat"},
        ["no_improvement_with_insoles"],
        3,
        "routine",
        "clinician_review",
    ),
    (
        {"insole_history": "worse", "leg_length_difference": "yes", "gait_diagnosis": "yes"},
        [],
        3,
        "routine",
        "clinician_review",
    ),
    # Row 4: leg length difference or diagnosed gait problem; beats mechanics.
    ({"leg_length_difference": "yes"}, [], 4, "routine", "custom_orthotics"),
    ({"gait_diagnosis": "yes"}, [], 4, "routine", "custom_orthotics"),
    ({"gait_diagnosis": "yes", "foot_arch": "flat", "insole_history": "helped"}, [], 4, "routine", "custom_orthotics"),
    (
        {"leg_length_difference": "unknown", "gait_diagnosis": "no", "foot_arch": "flat"},
        [],
        6,
        "self_care",
        "otc_arch_support",
    ),
    # Row 5: overpronation and chronic.
    ({"foot_arch": "flat", "pain_duration": "chronic"}, [], 5, "routine", "custom_orthotics"),
    ({"foot_arch": "unknown", "shoe_wear": "inner", "pain_duration": "chronic"}, [], 5, "routine", "custom_orthotics"),
    # Row 6: overpronation otherwise.
    ({"foot_arch": "flat"}, [], 6, "self_care", "otc_arch_support"),
    ({"foot_arch": "flat", "pain_duration": "subacute"}, [], 6, "self_care", "otc_arch_support"),
    (
        {"foot_arch": "unknown", "shoe_wear": "inner", "pain_duration": "acute", "daily_load": "sitting"},
        [],
        6,
        "self_care",
        "otc_arch_support",
    ),
    ({"foot_arch": "flat", "insole_history": "helped"}, [], 6, "self_care", "otc_arch_support"),
    # Row 7: supination and chronic.
    ({"foot_arch": "high", "pain_duration": "chronic"}, [], 7, "routine", "custom_orthotics"),
    ({"foot_arch": "unknown", "shoe_wear": "outer", "pain_duration": "chronic"}, [], 7, "routine", "custom_orthotics"),
    # Row 8: supination otherwise.
    ({"foot_arch": "high"}, [], 8, "self_care", "otc_cushioning"),
    ({"foot_arch": "high", "pain_duration": "subacute", "daily_load": "sitting"}, [], 8, "self_care", "otc_cushioning"),
    # Row 9: neutral and on one's feet.
    ({"foot_arch": "normal", "daily_load": "standing"}, [], 9, "self_care", "otc_cushioning"),
    (
        {"foot_arch": "normal", "daily_load": "walking", "pain_duration": "chronic"},
        [],
        9,
        "self_care",
        "otc_cushioning",
    ),
    ({"foot_arch": "unknown", "shoe_wear": "even", "daily_load": "walking"}, [], 9, "self_care", "otc_cushioning"),
    # Row 10: otherwise.
    ({"foot_arch": "normal", "daily_load": "sitting"}, [], 10, "self_care", "insoles_unlikely_to_help"),
    (
        {"foot_arch": "normal", "daily_load": "mixed", "pain_duration": "chronic"},
        [],
        10,
        "self_care",
        "insoles_unlikely_to_help",
    ),
    ({}, [], 10, "self_care", "insoles_unlikely_to_help"),
    (
        {"insole_history": "none", "leg_length_difference": "no", "gait_diagnosis": "no"},
        [],
        10,
        "self_care",
        "insoles_unlikely_to_help",
    ),
    # Unknown flag ids have no effect.
    ({"foot_arch": "flat"}, ["not_a_flag", ""], 6, "self_care", "otc_arch_support"),
]


@pytest.mark.parametrize("fields, flags, row, level, recommendation", DECISION_TABLE)
def test_decision_table(fields, flags, row, level, recommendation):
    decision = decide(Assessment(**fields), flags)
    assert (decision.row, decision.triage_level, decision.recommendation) == (row, level, recommendation)


@pytest.mark.parametrize("flag", EMERGENCY_FLAGS)
def test_every_emergency_flag_wins_over_everything(flag):
    everything = Assessment("chronic", 10, "flat", "inner", "yes", "yes", "standing", "worse", "positive")
    assert decide(everything, [*URGENT_FLAGS, "no_improvement_with_insoles", flag]).row == 1


@pytest.mark.parametrize("flag", URGENT_FLAGS)
def test_every_urgent_flag_gives_row_two(flag):
    assert decide(Assessment(foot_arch="flat"), [flag]).triage_level == "urgent"


# Duration boundaries feed rows 5 and 7: 6 and 12 weeks are subacute, just over 12 is chronic.
BOUNDARY_TABLE = [
    (5.99, "acute", 6),
    (6.0, "subacute", 6),
    (12.0, "subacute", 6),
    (12.01, "chronic", 5),
    (13.0, "chronic", 5),
]


@pytest.mark.parametrize("weeks, category, row", BOUNDARY_TABLE)
def test_duration_boundaries_through_the_table(weeks, category, row):
    assert duration_category(weeks) == category
    assert decide(Assessment(pain_duration=category, foot_arch="flat")).row == row


REASON_TABLE = [
    (
        {"foot_arch": "flat", "pain_duration": "chronic"},
        [],
        ("your feet are flat", "your pain has lasted more than 12 weeks"),
    ),
    ({"foot_arch": "high"}, [], ("you have high arches",)),
    (
        {"foot_arch": "unknown", "shoe_wear": "inner"},
        [],
        ("you are not sure of your arch type", "your shoes wear first on the inside edge"),
    ),
    (
        {"foot_arch": "normal", "daily_load": "standing"},
        [],
        ("your arches are normal", "you spend most of your day standing"),
    ),
    ({"leg_length_difference": "yes"}, [], ("one of your legs is longer than the other",)),
    ({"insole_history": "no_change"}, [], ("the insoles you tried made no difference",)),
    (
        {},
        ["bladder_bowel_dysfunction"],
        ("you reported new loss of bladder or bowel control, or trouble passing urine",),
    ),
    ({}, ["no_improvement_with_insoles"], ("you reported pain that persists or worsens after a trial of insoles",)),
    ({}, [], ()),
]


@pytest.mark.parametrize("fields, flags, reasons", REASON_TABLE)
def test_reasons_name_the_facts(fields, flags, reasons):
    assert decide(Assessment(**fields), flags).reasons == reasons


def test_decision_records_mechanics():
    assert decide(Assessment(foot_arch="unknown", shoe_wear="outer"), ["severe_night_pain"]).mechanics == "supination"


@pytest.mark.parametrize(
    "flags",
    [None, "bladder_bowel_dysfunction", ("bladder_bowel_dysfunction", "bladder_bowel_dysfunction"), [1, None, "x"]],
)
def test_odd_flag_containers_never_crash(flags):
    decision = decide(Assessment(), flags)
    assert isinstance(decision, Decision)
    if flags and "bladder_bowel_dysfunction" in flags:
        assert decision.row == 1 and len(decision.reasons) == 1


FROM_SLOTS_TABLE = [
    ({"pain_severity": "7"}, "pain_severity", 7),
    ({"pain_severity": 7.0}, "pain_severity", 7),
    ({"pain_severity": " 7.0 "}, "pain_severity", 7),
    ({"pain_severity": 0}, "pain_severity", 0),
    ({"pain_severity": 11}, "pain_severity", None),
    ({"pain_severity": -1}, "pain_severity", None),
    ({"pain_severity": 6.5}, "pain_severity", None),
    ({"pain_severity": True}, "pain_severity", None),
    ({"pain_severity": "seven"}, "pain_severity", None),
    ({"pain_severity": float("nan")}, "pain_severity", None),
    ({"foot_arch": "FLAT "}, "foot_arch", "flat"),
    ({"foot_arch": "banana"}, "foot_arch", None),
    ({"foot_arch": 3}, "foot_arch", None),
    ({"gait_diagnosis": "unknown"}, "gait_diagnosis", None),
    ({"pain_duration": "chronic", "requested_slot": "foot_arch", "red_flags": ["x"]}, "pain_duration", "chronic"),
    ({"red_flag_screen": "clear"}, "red_flag_screen", "clear"),
]


@pytest.mark.parametrize("slots, field, expected", FROM_SLOTS_TABLE)
def test_from_slots_is_tolerant(slots, field, expected):
    assert getattr(Assessment.from_slots(slots), field) == expected


@pytest.mark.parametrize("slots", [{}, None, "not a mapping", {"unknown": object()}])
def test_from_slots_with_nothing_usable(slots):
    assert Assessment.from_slots(slots) == Assessment()
