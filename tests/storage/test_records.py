"""The assessment record of the result action."""

from __future__ import annotations

import logging
import math

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rasa_project.clinical.contract import ASSESSMENT_SLOTS
from rasa_project.storage.models import Assessment
from rasa_project.storage.records import json_safe, save_assessment
from tests.storage import sample_conversation as sample

ANSWERS = {
    "pain_duration": "chronic",
    "pain_severity": 6.0,
    "red_flag_screen": "clear",
    "daily_load": "standing",
    "foot_arch": "flat",
    "shoe_wear": "inner",
    "leg_length_difference": "no",
    "gait_diagnosis": "no",
    "insole_history": "none",
    "requested_slot": None,
}


def _assessments(url: str) -> list:
    engine = sa.create_engine(url)
    with Session(engine) as session:
        rows = list(session.query(Assessment).order_by(Assessment.id))
    engine.dispose()
    return rows


def test_assessment_is_recorded_encrypted(database_url: str, encryption_key: str) -> None:
    save_assessment("c1", "rest", ANSWERS, "routine", "custom_orthotics", [])

    (row,) = _assessments(database_url)
    assert {name: getattr(row, name) for name in ASSESSMENT_SLOTS} == {name: ANSWERS[name] for name in ASSESSMENT_SLOTS}
    assert (row.conversation_id, row.channel, row.triage_level, row.recommendation, row.red_flags) == (
        "c1",
        "rest",
        "routine",
        "custom_orthotics",
        [],
    )
    raw = sample.raw_database_text(database_url)
    assert "custom_orthotics" not in raw and "chronic" not in raw and "standing" not in raw


def test_missing_slots_are_stored_as_null(database_url: str) -> None:
    save_assessment("c2", None, {}, "self_care", "insoles_unlikely_to_help", ["no_improvement_with_insoles"])

    (row,) = _assessments(database_url)
    assert row.foot_arch is None and row.channel is None
    assert row.red_flags == ["no_improvement_with_insoles"]


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), "🦶" * 5000, "<img src=x onerror=alert(1)>", {"nested": [1, None]}, object()],
)
def test_odd_slot_values_are_stored(database_url: str, encryption_key: str, value: object) -> None:
    save_assessment("odd", "x" * 500, {"foot_arch": value}, "self_care", "otc_cushioning", ())

    (row,) = _assessments(database_url)
    assert row.foot_arch == json_safe(value)
    assert len(row.channel) == 64


def test_database_failure_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        save_assessment(
            "c3",
            "rest",
            ANSWERS,
            "routine",
            "custom_orthotics",
            [],
            database_url="postgresql://nobody@127.0.0.1:1/none",
        )
    assert any("Could not record an assessment" in r.getMessage() for r in caplog.records)


def test_json_safe() -> None:
    assert json_safe(float("nan")) is None
    assert json_safe((1, 2.5, "a")) == [1, 2.5, "a"]
    assert json_safe({1: math.inf}) == {"1": None}
