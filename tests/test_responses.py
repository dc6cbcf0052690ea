"""The response generator of the Rasa server, on the project's own domain and real trackers."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.clinical.explanation import EMERGENCY_REMINDER_LINE, MATERNITY_LINE, emergency_number
from rasa_project.responses import SafetyAwareResponseGenerator, fill_typed_placeholders
from tests.live_servers import REPO_ROOT


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "domain.yml"))


def generate(domain: Domain, response: str, **slots: Any) -> Optional[Dict[str, Any]]:
    tracker = DialogueStateTracker.from_events("responses-test", [], slots=domain.slots)
    for name, value in slots.items():
        tracker.update(SlotSet(name, value))
    return asyncio.run(SafetyAwareResponseGenerator(domain=domain).generate(response, tracker, "rest"))


def test_the_emergency_payload_keeps_the_slots_own_types(domain: Domain) -> None:
    reply = generate(domain, "utter_emergency", red_flags=["saddle_anaesthesia"], triage_level="emergency")
    assert reply is not None
    assert reply["custom"] == {
        "triage_level": "emergency",
        "recommendation": "emergency_care",
        "red_flags": ["saddle_anaesthesia"],
        "emergency_number": emergency_number(),
    }
    assert "saddle" in reply["text"] and emergency_number() in reply["text"]


def test_every_reply_after_an_emergency_ends_with_the_reminder(domain: Domain) -> None:
    reminder = EMERGENCY_REMINDER_LINE.format(number=emergency_number())
    after = generate(domain, "utter_faq_kinetic_chain", triage_level="emergency")
    before = generate(domain, "utter_faq_kinetic_chain")
    assert after is not None and before is not None
    assert after["text"].endswith(reminder) and reminder not in before["text"]
    emergency = generate(domain, "utter_emergency", red_flags=["saddle_anaesthesia"], triage_level="emergency")
    assert emergency is not None and reminder not in emergency["text"]


def test_the_direct_question_names_the_symptom(domain: Domain) -> None:
    reply = generate(domain, "utter_red_flag_question", red_flag_question=["bladder_bowel_dysfunction"])
    assert reply is not None and "bladder" in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/deny", "/dont_know"]


def test_the_maternity_line_only_in_pregnancy(domain: Domain) -> None:
    pregnant = generate(domain, "utter_urgent", red_flags=["systemic_symptoms"], pregnant=True)
    not_pregnant = generate(domain, "utter_urgent", red_flags=["systemic_symptoms"])
    assert pregnant is not None and not_pregnant is not None
    assert MATERNITY_LINE in pregnant["text"] and MATERNITY_LINE not in not_pregnant["text"]


@pytest.mark.parametrize(
    "template, interpolated, expected",
    [
        ({"flags": "{red_flags}"}, {"flags": "['a', 'b']"}, {"flags": ["a", "b"]}),
        ({"n": "call {number}"}, {"n": "call 999"}, {"n": "call 999"}),
        ({"x": "{unknown}"}, {"x": "None"}, {"x": "None"}),
        ({"list": ["{red_flags}", "fixed"]}, {"list": ["['a', 'b']", "fixed"]}, {"list": [["a", "b"], "fixed"]}),
        (None, {"flags": "['a', 'b']"}, {"flags": "['a', 'b']"}),
    ],
    ids=["whole-placeholder", "text-around", "unknown-name", "inside-a-list", "no-template"],
)
def test_fill_typed_placeholders(template: Any, interpolated: Any, expected: Any) -> None:
    assert fill_typed_placeholders(template, interpolated, {"red_flags": ["a", "b"], "number": "999"}) == expected


def test_every_response_has_at_most_one_payload_variant() -> None:
    responses = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["responses"]
    assert {name for name, variants in responses.items() if sum("custom" in v for v in variants) > 1} == set()
