"""The decision table of the spec's section 3: from assessment answers to a recommendation.

Everything here is a pure function over plain values. The dialogue layer fills an
:class:`Assessment` from the tracker's slots with :meth:`Assessment.from_slots`,
collects the red-flag ids the detector found, and calls :func:`decide`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple

from rasa_project.clinical.contract import (
    CATEGORICAL_VALUES,
    PAIN_SEVERITY,
    RED_FLAG_CATALOGUE,
    SEVERITY_MAX,
    SEVERITY_MIN,
    Recommendation,
    TriageLevel,
)

OVERPRONATION = "overpronation"
SUPINATION = "supination"
NEUTRAL = "neutral"

#: The red flag that sends a person to a clinician through row 3 (its catalogue level
#: is ``routine``, so rows 1 and 2 never see it).
NO_IMPROVEMENT_WITH_INSOLES = "no_improvement_with_insoles"


def _categorical(slot: str, value: Any) -> Optional[str]:
    """Return ``value`` as one of the slot's contract values, or ``None``."""
    if not isinstance(value, str):
        return None
    normalized = value.strip().lower()
    return normalized if normalized in CATEGORICAL_VALUES[slot] else None


def _severity(value: Any) -> Optional[int]:
    """Return ``value`` as an integer severity 0-10, or ``None``.

    Accepts ints, integral floats (``7.0``, as Rasa stores float slots) and strings of
    them (``"7"``, ``" 7.0 "``). Booleans, fractions and out-of-range numbers are
    rejected rather than guessed.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int) and SEVERITY_MIN <= value <= SEVERITY_MAX:
        return value
    return None


@dataclass(frozen=True)
class Assessment:
    """The person's answers to the assessment questions. ``None`` means not answered.

    Field names are the contract's slot names; values are the contract's values.
    """

    pain_duration: Optional[str] = None
    pain_severity: Optional[int] = None
    foot_arch: Optional[str] = None
    shoe_wear: Optional[str] = None
    leg_length_difference: Optional[str] = None
    gait_diagnosis: Optional[str] = None
    daily_load: Optional[str] = None
    insole_history: Optional[str] = None
    red_flag_screen: Optional[str] = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Assessment:
        """Build an assessment from tracker slot values.

        Tolerant by design, because slots come from NLU and from older sessions:
        unknown keys are ignored, ``pain_severity`` is coerced from ``"7"`` or ``7.0``
        to ``7``, categorical values are compared case-insensitively, and any value
        outside the contract becomes ``None`` (treated as not answered).

        Args:
            slots: slot name to value, e.g. ``tracker.current_slot_values()``.

        Returns:
            The assessment; a non-mapping argument gives an empty assessment.
        """
        if not isinstance(slots, Mapping):
            return cls()
        values: Dict[str, Any] = {}
        for field in fields(cls):
            raw = slots.get(field.name)
            if field.name == PAIN_SEVERITY:
                values[field.name] = _severity(raw)
            else:
                values[field.name] = _categorical(field.name, raw)
        return cls(**values)


def derive_mechanics(foot_arch: Optional[str], shoe_wear: Optional[str]) -> str:
    """Derive the foot mechanics from the arch type and the shoe-wear pattern.

    Spec section 3: ``overpronation`` when the arch is ``flat``, or it is ``unknown``
    and the soles wear first on the inner edge; ``supination`` when the arch is
    ``high``, or it is ``unknown`` and the soles wear first on the outer edge;
    ``neutral`` otherwise. The shoe-wear check only stands in for a missing arch type:
    an arch that was not answered at all (``None``) is treated like ``unknown``, since
    the person has told us nothing better.

    Returns:
        ``"overpronation"``, ``"supination"`` or ``"neutral"``.
    """
    if foot_arch == "flat":
        return OVERPRONATION
    if foot_arch == "high":
        return SUPINATION
    if foot_arch in (None, "unknown"):
        if shoe_wear == "inner":
            return OVERPRONATION
        if shoe_wear == "outer":
            return SUPINATION
    return NEUTRAL


@dataclass(frozen=True)
class Decision:
    """The outcome of the decision table."""

    #: A :class:`TriageLevel` value.
    triage_level: str
    #: A :class:`Recommendation` value.
    recommendation: str
    #: The decision-table row (1-10) that matched.
    row: int
    #: ``"overpronation"``, ``"supination"`` or ``"neutral"``.
    mechanics: str
    #: The facts behind the decision as short second-person phrases
    #: ("your feet are flat"), in the order they should be read out.
    reasons: Tuple[str, ...]


_INSOLE_REASONS = {
    "no_change": "the insoles you tried made no difference",
    "worse": "your pain got worse with the insoles you tried",
}
_LOAD_REASONS = {
    "standing": "you spend most of your day standing",
    "walking": "you spend most of your day walking",
    "sitting": "you spend most of your day sitting",
    "mixed": "your day is a mix of sitting, standing and walking",
}
_CHRONIC_REASON = "your pain has lasted more than 12 weeks"


def _flag_reason(flag_id: str) -> str:
    return f"you reported {RED_FLAG_CATALOGUE[flag_id].summary}"


def _mechanics_reasons(assessment: Assessment, mechanics: str) -> Tuple[str, ...]:
    """Name the answers the mechanics were derived from."""
    arch = assessment.foot_arch
    wear = assessment.shoe_wear
    if arch == "flat":
        return ("your feet are flat",)
    if arch == "high":
        return ("you have high arches",)
    arch_reason = ("you are not sure of your arch type",) if arch == "unknown" else ()
    if mechanics == OVERPRONATION:
        return (*arch_reason, "your shoes wear first on the inside edge")
    if mechanics == SUPINATION:
        return (*arch_reason, "your shoes wear first on the outside edge")
    if arch == "normal":
        return ("your arches are normal",)
    if wear == "even":
        return (*arch_reason, "your shoes wear evenly")
    return arch_reason


def _known_flags(red_flags: Iterable[str] | str | None) -> Tuple[str, ...]:
    """Return the catalogued flag ids in ``red_flags``, in order, without duplicates."""
    if red_flags is None:
        return ()
    if isinstance(red_flags, str):
        # A single id passed bare would otherwise be iterated character by character.
        red_flags = (red_flags,)
    known = []
    for flag in red_flags:
        if isinstance(flag, str) and flag in RED_FLAG_CATALOGUE and flag not in known:
            known.append(flag)
    return tuple(known)


def decide(assessment: Assessment, red_flags: Iterable[str] = ()) -> Decision:
    """Apply the spec's decision table; the first matching row wins.

    Args:
        assessment: the answers so far. Unanswered fields simply do not match the
            rows that need them, so a partial assessment still gets a decision.
        red_flags: red-flag ids from ``contract.RED_FLAG_CATALOGUE``. Rows 1 and 2
            use each flag's catalogue level; row 3 also matches on
            ``no_improvement_with_insoles``. Ids that are not in the catalogue are
            ignored: they have no effect on the decision and raise nothing, so a
            stale or misspelt id cannot crash the result turn (the detector is the
            place that guarantees ids are correct). A bare string is read as one id.

    Returns:
        The decision, with the row that matched and the facts behind it.
    """
    flags = _known_flags(red_flags)
    mechanics = derive_mechanics(assessment.foot_arch, assessment.shoe_wear)

    def decision(level: TriageLevel, recommendation: Recommendation, row: int, reasons: Iterable[str]) -> Decision:
        return Decision(level.value, recommendation.value, row, mechanics, tuple(reasons))

    emergency = [f for f in flags if RED_FLAG_CATALOGUE[f].level is TriageLevel.EMERGENCY]
    if emergency:
        return decision(TriageLevel.EMERGENCY, Recommendation.EMERGENCY_CARE, 1, map(_flag_reason, emergency))

    urgent = [f for f in flags if RED_FLAG_CATALOGUE[f].level is TriageLevel.URGENT]
    if urgent:
        return decision(TriageLevel.URGENT, Recommendation.PROMPT_MEDICAL_REVIEW, 2, map(_flag_reason, urgent))

    insole_reason = _INSOLE_REASONS.get(assessment.insole_history or "")
    if insole_reason or NO_IMPROVEMENT_WITH_INSOLES in flags:
        reasons = [insole_reason or _flag_reason(NO_IMPROVEMENT_WITH_INSOLES)]
        return decision(TriageLevel.ROUTINE, Recommendation.CLINICIAN_REVIEW, 3, reasons)

    structural = []
    if assessment.leg_length_difference == "yes":
        structural.append("one of your legs is longer than the other")
    if assessment.gait_diagnosis == "yes":
        structural.append("a clinician has diagnosed a gait or foot-structure problem")
    if structural:
        return decision(TriageLevel.ROUTINE, Recommendation.CUSTOM_ORTHOTICS, 4, structural)

    mechanics_reasons = _mechanics_reasons(assessment, mechanics)
    chronic = assessment.pain_duration == "chronic"
    if mechanics == OVERPRONATION:
        if chronic:
            return decision(
                TriageLevel.ROUTINE, Recommendation.CUSTOM_ORTHOTICS, 5, (*mechanics_reasons, _CHRONIC_REASON)
            )
        return decision(TriageLevel.SELF_CARE, Recommendation.OTC_ARCH_SUPPORT, 6, mechanics_reasons)
    if mechanics == SUPINATION:
        if chronic:
            return decision(
                TriageLevel.ROUTINE, Recommendation.CUSTOM_ORTHOTICS, 7, (*mechanics_reasons, _CHRONIC_REASON)
            )
        return decision(TriageLevel.SELF_CARE, Recommendation.OTC_CUSHIONING, 8, mechanics_reasons)

    load_reasons = (_LOAD_REASONS[assessment.daily_load],) if assessment.daily_load in _LOAD_REASONS else ()
    if assessment.daily_load in ("standing", "walking"):
        return decision(TriageLevel.SELF_CARE, Recommendation.OTC_CUSHIONING, 9, mechanics_reasons + load_reasons)
    return decision(
        TriageLevel.SELF_CARE, Recommendation.INSOLES_UNLIKELY_TO_HELP, 10, mechanics_reasons + load_reasons
    )


#: The highest pain score. A typical day at the worst pain imaginable is severe and
#: unrelenting pain (spec section 2, ``severe_night_pain``: "constant, nothing helps,
#: 10/10"), whether it is typed as "10", "ten" or "10/10".
MAXIMUM_SEVERITY_FLAG = "severe_night_pain"


def flags_from_answer(slot: str, value: object) -> Tuple[str, ...]:
    """Red flags an assessment answer raises by itself: a pain score of 10 raises ``severe_night_pain``."""
    if slot == PAIN_SEVERITY and _severity(value) == SEVERITY_MAX:
        return (MAXIMUM_SEVERITY_FLAG,)
    return ()
