"""The result message and the clinician summary."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from rasa_project.clinical.contract import ASSESSMENT_SLOTS, RED_FLAG_CATALOGUE, Recommendation, TriageLevel
from rasa_project.clinical.explanation import (
    ARCH_SELF_CHECK,
    EVIDENCE_STATEMENT,
    NOT_A_DIAGNOSIS,
    RECOMMENDATION_ADVICE,
    describe_answer,
    result_message,
    summary_text,
)
from rasa_project.clinical.triage import Assessment, decide

EMERGENCY_FLAGS = [f for f, flag in RED_FLAG_CATALOGUE.items() if flag.level is TriageLevel.EMERGENCY]
URGENT_FLAGS = [f for f, flag in RED_FLAG_CATALOGUE.items() if flag.level is TriageLevel.URGENT]
FULL = Assessment("chronic", 6, "flat", "inner", "no", "no", "standing", "none", "clear")

# One case per decision-table row: (assessment, flags, phrases the result must name).
ROW_CASES = [
    (FULL, ["bladder_bowel_dysfunction"], ["bladder or bowel control", "emergency"]),
    (FULL, ["severe_night_pain"], ["wakes you at night", "doctor"]),
    (
        Assessment(insole_history="no_change"),
        [],
        ["the insoles you tried made no difference", "probably not your feet"],
    ),
    (Assessment(leg_length_difference="yes"), [], ["one of your legs is longer than the other", "podiatrist"]),
    (
        Assessment(foot_arch="flat", pain_duration="chronic"),
        [],
        ["your feet are flat and your pain has lasted more than 12 weeks", "custom orthotics"],
    ),
    (Assessment(foot_arch="flat"), [], ["your feet are flat", "arch-support"]),
    (Assessment(foot_arch="high", pain_duration="chronic"), [], ["you have high arches", "custom orthotics"]),
    (Assessment(foot_arch="high"), [], ["you have high arches", "cushioning"]),
    (Assessment(foot_arch="normal", daily_load="standing"), [], ["you spend most of your day standing", "cushioning"]),
    (
        Assessment(foot_arch="normal", daily_load="sitting"),
        [],
        ["you spend most of your day sitting", "unlikely to help"],
    ),
]


@pytest.mark.parametrize("assessment, flags, phrases", ROW_CASES)
def test_result_names_the_facts_and_ends_with_the_note(assessment, flags, phrases):
    decision = decide(assessment, flags)
    message = result_message(decision, assessment).text
    for phrase in phrases:
        assert phrase in message
    # The headline comes first: what to do, then "because" and the facts behind it.
    headline = result_message(decision, assessment).headline
    assert message.startswith(headline) and "\n" not in headline
    assert ", because " in headline and phrases[0] in headline
    assert message.rstrip().endswith(NOT_A_DIAGNOSIS)
    assert message.count(NOT_A_DIAGNOSIS) == 1


@pytest.mark.parametrize("assessment, flags, phrases", ROW_CASES)
def test_no_sentence_of_the_result_is_said_twice(assessment, flags, phrases):
    message = result_message(decide(assessment, flags), assessment).text
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", message) if s.strip()]
    assert len(sentences) == len(set(sentences))


def test_rows_cover_the_whole_table():
    assert sorted(decide(a, f).row for a, f, _ in ROW_CASES) == list(range(1, 11))


INSOLE_ADVICE_WORDS = re.compile(
    r"arch support|arch-support|cushioning|orthotic|off-the-shelf|insert|foam|gel|NICE", re.IGNORECASE
)


@pytest.mark.parametrize("flag", EMERGENCY_FLAGS + URGENT_FLAGS)
def test_no_insole_advice_for_urgent_or_emergency(flag):
    decision = decide(FULL, [flag])
    message = result_message(decision, FULL).text
    assert not INSOLE_ADVICE_WORDS.search(message)
    assert EVIDENCE_STATEMENT not in message
    for recommendation in (
        Recommendation.OTC_ARCH_SUPPORT,
        Recommendation.OTC_CUSHIONING,
        Recommendation.CUSTOM_ORTHOTICS,
    ):
        assert RECOMMENDATION_ADVICE[recommendation.value] not in message
    assert RED_FLAG_CATALOGUE[flag].summary in message


@pytest.mark.parametrize("flag", EMERGENCY_FLAGS)
def test_emergency_result_tells_to_call_the_emergency_number(flag, monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMERGENCY_NUMBER", "000")
    message = result_message(decide(FULL, [flag]), FULL).text
    assert "Call 000" in message and "emergency department" in message


@pytest.mark.parametrize(
    "assessment, has_evidence",
    [
        (Assessment(foot_arch="flat"), True),
        (Assessment(foot_arch="high"), True),
        (Assessment(leg_length_difference="yes"), True),
        (Assessment(), True),
        (Assessment(insole_history="worse"), False),
    ],
)
def test_evidence_statement_with_insole_recommendations(assessment, has_evidence):
    assert (EVIDENCE_STATEMENT in result_message(decide(assessment), assessment).text) is has_evidence


def test_evidence_statement_is_honest():
    assert "NICE NG59" in EVIDENCE_STATEMENT
    assert "mixed" in EVIDENCE_STATEMENT
    assert "advise against foot orthotics as a general treatment for low back pain" in EVIDENCE_STATEMENT
    assert "standing" in EVIDENCE_STATEMENT or "stand" in EVIDENCE_STATEMENT


def test_every_recommendation_has_advice():
    assert set(RECOMMENDATION_ADVICE) == {r.value for r in Recommendation}
    assert all(advice.strip() for advice in RECOMMENDATION_ADVICE.values())


def test_self_care_results_say_when_to_seek_help():
    message = result_message(decide(Assessment(foot_arch="flat")), Assessment(foot_arch="flat")).text
    assert "bladder or bowels" in message and "See a doctor promptly" in message


def test_unknown_arch_points_to_the_self_check():
    assessment = Assessment(foot_arch="unknown", daily_load="walking")
    assert "wet-foot test" in result_message(decide(assessment), assessment).text
    assert (
        "wet-foot test" not in result_message(decide(Assessment(foot_arch="flat")), Assessment(foot_arch="flat")).text
    )


def test_arch_self_check_explains_both_checks():
    for words in ("wet", "print", "flat", "high", "inside edge", "outside edge", "evenly"):
        assert words in ARCH_SELF_CHECK


def test_result_with_no_answers_still_reads():
    message = result_message(decide(Assessment()), Assessment()).text
    assert message.startswith("Insoles are unlikely to help your back pain.\n\n")


def test_result_is_plain_paragraphs():
    message = result_message(decide(FULL), FULL).text
    assert "\n\n" in message and "\n\n\n" not in message
    assert not re.search(r"[<>*_#`]", message)


def test_not_a_diagnosis_is_one_short_sentence():
    assert NOT_A_DIAGNOSIS.count(".") == 1 and len(NOT_A_DIAGNOSIS) < 140


SUMMARY_ANSWERS = [
    ("pain_duration", "chronic", "more than 12 weeks"),
    ("pain_severity", 7, "7 out of 10"),
    ("red_flag_screen", "positive", "one or more reported"),
    ("daily_load", "walking", "walking"),
    ("foot_arch", "unknown", "Arch type: not known"),
    ("shoe_wear", "outer", "outside edge"),
    ("leg_length_difference", "yes", "One leg longer than the other: yes"),
    ("gait_diagnosis", "no", "diagnosed by a clinician: no"),
    ("insole_history", "no_change", "tried, no difference"),
]


@pytest.mark.parametrize("slot, value, words", SUMMARY_ANSWERS)
def test_summary_contains_each_answer_in_words(slot, value, words):
    assessment = Assessment(**{slot: value})
    assert words in summary_text(assessment, decide(assessment), [])


def test_summary_contents():
    assessment = Assessment(foot_arch="flat", pain_duration="chronic")
    flags = ["severe_night_pain", "not_a_flag"]
    decision = decide(assessment, flags)
    text = summary_text(assessment, decision, flags, when=datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc))
    assert "Date: 2026-11-24 07:30 UTC" in text
    assert RED_FLAG_CATALOGUE["severe_night_pain"].summary in text
    assert "not_a_flag" not in text
    assert "Triage level: urgent" in text
    assert "Recommendation: prompt review by a doctor" in text
    assert "Foot mechanics (from arch type and shoe wear): overpronation" in text
    assert text.count("not answered") == len(ASSESSMENT_SLOTS) - 2
    assert text.rstrip().endswith(NOT_A_DIAGNOSIS)


def test_summary_without_flags_or_date():
    text = summary_text(Assessment(), decide(Assessment()), [])
    assert "Date:" not in text
    assert "Warning signs reported:\n- none" in text
    assert "Recommendation: insoles unlikely to help" in text


@pytest.mark.parametrize(
    "slot, value, text",
    [
        ("foot_arch", "flat", "arch type: flat (low arches)"),
        ("pain_duration", "chronic", "how long the pain has lasted: more than 12 weeks"),
        ("pain_severity", 7, "pain severity: 7 out of 10"),
        ("daily_load", "mixed", "most of the day spent: a mix of sitting, standing and walking"),
        ("insole_history", "worse", "insoles tried before: tried, pain got worse"),
        ("shoe_wear", "sideways", "where shoes wear first: sideways"),
        ("not_a_slot", "x", "not a slot: x"),
    ],
)
def test_describe_answer(slot, value, text):
    assert describe_answer(slot, value) == text
