"""The public contract: slot names, slot values and the red-flag catalogue.

Tests, widgets and integrations read these names from the conversation tracker, so
they must match ``shared/spec/clinical-logic.md`` exactly. Everything else in the
project imports them from here instead of spelling the strings again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Dict, Tuple


class TriageLevel(str, Enum):
    """Triage levels, declared from least to most serious."""

    SELF_CARE = "self_care"
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """Position in the escalation order: a higher rank is more serious."""
        return list(TriageLevel).index(self)


class Recommendation(str, Enum):
    """Values of the ``recommendation`` slot."""

    EMERGENCY_CARE = "emergency_care"
    PROMPT_MEDICAL_REVIEW = "prompt_medical_review"
    CLINICIAN_REVIEW = "clinician_review"
    CUSTOM_ORTHOTICS = "custom_orthotics"
    OTC_ARCH_SUPPORT = "otc_arch_support"
    OTC_CUSHIONING = "otc_cushioning"
    INSOLES_UNLIKELY_TO_HELP = "insoles_unlikely_to_help"


# Slot names.
TRIAGE_LEVEL = "triage_level"
RED_FLAGS = "red_flags"
RECOMMENDATION = "recommendation"
PAIN_DURATION = "pain_duration"
PAIN_SEVERITY = "pain_severity"
FOOT_ARCH = "foot_arch"
SHOE_WEAR = "shoe_wear"
LEG_LENGTH_DIFFERENCE = "leg_length_difference"
GAIT_DIAGNOSIS = "gait_diagnosis"
DAILY_LOAD = "daily_load"
INSOLE_HISTORY = "insole_history"
RED_FLAG_SCREEN = "red_flag_screen"

# Conversation bookkeeping slots (not part of the public contract).
#: The flags the safety policy's direct question (or the red-flag screen's "which
#: one?") asked about, until the person answers.
RED_FLAG_QUESTION = "red_flag_question"
#: Flags the person said "no" to when asked directly: not asked again in the session.
RED_FLAGS_CLEARED = "red_flags_cleared"
#: Flags recorded for a "yes" or "not sure" to the screen that did not say which sign:
#: the signs the person names later replace them.
RED_FLAGS_GUESSED = "red_flags_guessed"
#: Bookkeeping slot: each question's attempts so far (see ``clinical.questions``); the
#: safety policy reads the screen's.
QUESTION_ATTEMPTS = "question_attempts"
#: Whether the person said they are pregnant (the maternity triage line is added to
#: escalations).
PREGNANT = "pregnant"

#: Categorical assessment slots and their allowed values, in the spec's order.
#: ``pain_severity`` is an integer 0-10 and is not listed here.
CATEGORICAL_VALUES: Dict[str, Tuple[str, ...]] = {
    PAIN_DURATION: ("acute", "subacute", "chronic"),
    FOOT_ARCH: ("flat", "high", "normal", "unknown"),
    SHOE_WEAR: ("inner", "outer", "even", "unknown"),
    LEG_LENGTH_DIFFERENCE: ("yes", "no", "unknown"),
    GAIT_DIAGNOSIS: ("yes", "no"),
    DAILY_LOAD: ("standing", "walking", "sitting", "mixed"),
    INSOLE_HISTORY: ("none", "helped", "no_change", "worse"),
    RED_FLAG_SCREEN: ("clear", "positive"),
}

#: The assessment slots, in the order the assistant asks for them. Safety first:
#: the red-flag screen comes straight after the two questions about the pain itself.
ASSESSMENT_SLOTS: Tuple[str, ...] = (
    PAIN_DURATION,
    PAIN_SEVERITY,
    RED_FLAG_SCREEN,
    DAILY_LOAD,
    FOOT_ARCH,
    SHOE_WEAR,
    LEG_LENGTH_DIFFERENCE,
    GAIT_DIAGNOSIS,
    INSOLE_HISTORY,
)

#: Entity name under which the NLU pipeline reports red-flag mentions (value: flag id).
RED_FLAG_ENTITY = "red_flag"
#: Entity name for an emergency flag's body area mentioned without the flag being
#: found (value: the flag id); the assistant then asks about it in plain words.
RED_FLAG_CONCERN_ENTITY = "red_flag_concern"
#: Entity name for a red flag mentioned in a context that sets it aside (someone
#: else's, a question, past and over, a figure of speech; the context is its role).
RED_FLAG_CONTEXT_ENTITY = "red_flag_context"
#: Entity name for a message that says the person is pregnant (value "yes").
PREGNANCY_ENTITY = "pregnancy"

SEVERITY_MIN = 0
SEVERITY_MAX = 10


@dataclass(frozen=True)
class RedFlag:
    """One red flag of the spec's section 2."""

    id: str
    level: TriageLevel
    summary: str
    #: What the symptom may mean, in plain words, for the escalation reply.
    meaning: str
    #: The one direct question asked when a message only may describe this flag.
    question: str = ""


RED_FLAG_CATALOGUE: Dict[str, RedFlag] = {
    flag.id: flag
    for flag in (
        RedFlag(
            "bladder_bowel_dysfunction",
            TriageLevel.EMERGENCY,
            "new loss of bladder or bowel control, or trouble passing urine",
            "Changes in bladder or bowel control together with back pain can be a sign "
            "of cauda equina syndrome, where the nerves at the bottom of the spine are "
            "squeezed. It needs emergency treatment to prevent permanent damage.",
            question="Do you have new problems controlling your bladder or bowels, leaking without meaning to, trouble starting to pee, or not feeling when you need to go?",
        ),
        RedFlag(
            "saddle_anaesthesia",
            TriageLevel.EMERGENCY,
            "numbness around the groin, genitals, bottom or inner thighs",
            "Numbness or altered feeling in the 'saddle' area (groin, genitals, bottom, "
            "inner thighs) can be a sign of cauda equina syndrome, where the nerves at "
            "the bottom of the spine are squeezed. It needs emergency treatment.",
            question="Is there numbness or an odd feeling between your legs, around your bottom or genitals, for example not feeling the toilet paper when you wipe?",
        ),
        RedFlag(
            "bilateral_or_progressive_leg_symptoms",
            TriageLevel.EMERGENCY,
            "numbness, tingling or weakness in both legs, or leg weakness that is getting worse",
            "Numbness, tingling or weakness in both legs, or leg weakness that is getting "
            "worse, can mean the spinal cord or nerve roots are being compressed. It "
            "needs emergency assessment.",
            question="Do you have numbness, tingling or weakness in both legs, or weakness in a leg that is getting worse?",
        ),
        RedFlag(
            "radiating_leg_symptoms",
            TriageLevel.URGENT,
            "numbness, tingling or weakness running down one leg",
            "Numbness, tingling or weakness running down one leg suggests an irritated "
            "nerve root (for example sciatica) that a doctor should examine.",
            question="Do you have numbness, tingling or weakness going down one leg?",
        ),
        RedFlag(
            "severe_night_pain",
            TriageLevel.URGENT,
            "severe, unrelenting pain or pain that wakes you at night",
            "Pain that is severe and unrelenting, or wakes you from sleep, can have a "
            "cause other than mechanics, such as an infection or a fracture.",
            question="Is the pain severe and constant, or does it wake you from sleep?",
        ),
        RedFlag(
            "systemic_symptoms",
            TriageLevel.URGENT,
            "fever, chills, night sweats or unexplained weight loss",
            "Fever, chills, night sweats or weight loss you cannot explain, together "
            "with back pain, need a doctor to rule out an infection or other illness.",
            question="Have you had a fever, chills, night sweats or weight loss you cannot explain?",
        ),
        RedFlag(
            "significant_trauma",
            TriageLevel.URGENT,
            "pain that started after a fall, accident or other injury",
            "Back pain that started after a fall, accident or collision needs a doctor "
            "to rule out a fracture or other injury.",
            question="Did the pain start after a fall, an accident or another injury?",
        ),
        RedFlag(
            "cancer_history",
            TriageLevel.URGENT,
            "a past or current cancer, with back pain that is new or different",
            "Back pain that is new or different in someone who has or has had cancer needs "
            "a doctor to check that the cancer has not spread to the spine.",
            question="Do you have, or have you had, cancer?",
        ),
        RedFlag(
            "infection_risk",
            TriageLevel.URGENT,
            "a weakened immune system, injecting drugs, or a recent spinal operation, injection or serious infection",
            "Back pain with a weakened immune system (for example chemotherapy, long-term "
            "steroids or transplant medicines), after injecting drugs, or after a recent "
            "spinal operation, injection or serious infection needs a doctor to rule out "
            "an infection of the spine.",
            question="Is your immune system weakened (for example by chemotherapy, long-term steroids or transplant medicines), do you inject drugs, or have you had a spinal operation, spinal injection or serious infection in the last few weeks?",
        ),
        RedFlag(
            "fracture_risk",
            TriageLevel.URGENT,
            "osteoporosis, long-term steroids or age 70 or over, with new back pain after a minor fall or strain",
            "New back pain after a minor fall or strain, with osteoporosis, long-term "
            "steroid use or at 70 or over, needs a doctor to rule out a fracture of the spine.",
            question="Do you have osteoporosis, take steroid tablets long-term or are you 70 or over, and did the pain start after a minor fall or strain?",
        ),
        RedFlag(
            "no_improvement_with_insoles",
            TriageLevel.ROUTINE,
            "pain that persists or worsens after a trial of insoles",
            "Pain that stays the same or gets worse after a fair trial of insoles "
            "suggests the cause is probably not your feet.",
            question="Have you tried insoles for some weeks without the pain getting better?",
        ),
    )
}

#: What the assessment's red-flag screen asks about: every urgent and emergency sign, in
#: catalogue order. "Which one?" after the screen asks about all of them again.
SCREEN_SIGNS: Tuple[str, ...] = tuple(
    flag for flag, item in RED_FLAG_CATALOGUE.items() if item.level.rank >= TriageLevel.URGENT.rank
)


def red_flag_level(flag_id: str) -> TriageLevel:
    """Return the triage level a red flag calls for.

    Raises:
        KeyError: if ``flag_id`` is not in the catalogue.
    """
    return RED_FLAG_CATALOGUE[flag_id].level


def escalate(current: str | None, new: str | None) -> str | None:
    """Return the more serious of two triage levels (levels only ever go up).

    ``None`` means no level has been set yet.
    """
    if current is None:
        return new
    if new is None:
        return current
    return max(TriageLevel(current), TriageLevel(new), key=lambda level: level.rank).value
