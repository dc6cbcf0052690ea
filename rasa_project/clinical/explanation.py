"""The texts shown to the person: the result of the assessment and a summary for a clinician.

All medical content comes from the source article ("Can Insoles Help With Back
Pain?") and the clinical-logic spec. Wording stays conservative: insoles are a way to
correct foot mechanics that may be loading the back, never a proven back-pain
treatment. Texts are plain: short paragraphs separated by blank lines and "- "
lists, so they read the same in the web widget, Telegram and a terminal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Dict, Mapping, Optional, Sequence

from rasa_project.clinical.contract import (
    ASSESSMENT_SLOTS,
    DAILY_LOAD,
    FOOT_ARCH,
    GAIT_DIAGNOSIS,
    INSOLE_HISTORY,
    LEG_LENGTH_DIFFERENCE,
    PAIN_DURATION,
    PAIN_SEVERITY,
    RED_FLAG_CATALOGUE,
    RED_FLAG_SCREEN,
    SHOE_WEAR,
    Recommendation,
    TriageLevel,
)
from rasa_project.clinical.triage import Assessment, Decision

#: Same variable and default as the assistant's emergency reply, so both name one number.
EMERGENCY_NUMBER_ENV = "ASSISTANT_EMERGENCY_NUMBER"
DEFAULT_EMERGENCY_NUMBER = "your local emergency number (911 in the US, 999 in the UK, 112 in the EU)"

NOT_A_DIAGNOSIS = (
    "This is a self-help guide, not a diagnosis: only a clinician who examines you can diagnose the cause of your pain."
)

EVIDENCE_STATEMENT = (
    "A word on the evidence: it is mixed. Insoles help most when back pain is linked to a "
    "problem in the feet or legs, such as a leg length difference or feet that roll too far "
    "in or out, and in people who stand or walk for long hours; trials in workers who walk "
    "long distances showed real improvement. For general back pain without such a link, "
    "systematic reviews find too little evidence to recommend insoles as a standard "
    "treatment, and benefits seen in some studies did not always last. UK clinical "
    "guidelines (NICE NG59) advise against foot orthotics as a general treatment for low "
    "back pain."
)

ARCH_SELF_CHECK = (
    "Two simple checks can tell you about your arches.\n"
    "\n"
    "The wet-foot test: wet the sole of your foot, stand normally on a piece of card, a "
    "paper bag or a dry floor tile, then step off and look at the print.\n"
    "- Almost the whole foot shows, with little or no curve on the inner side: your "
    "arches are probably flat (low), and your feet may roll inwards (overpronation).\n"
    "- Only the heel and the ball of the foot show, joined by a thin strip on the outer "
    "side or not at all: your arches are probably high, and your feet may roll outwards "
    "(supination).\n"
    "- About half of the middle of the foot shows: your arches are probably normal.\n"
    "\n"
    "The shoe-wear check: look at the soles of a pair of shoes you have worn for a few "
    "months.\n"
    "- Worn more on the inside edge (big-toe side): a sign of feet rolling inwards.\n"
    "- Worn more on the outside edge (little-toe side): a sign of feet rolling outwards.\n"
    "- Worn evenly: your feet are probably neutral."
)

#: What each recommendation means for the person, one paragraph each (spec section 3).
#: ``{emergency_number}`` is filled in by :func:`result_message`.
RECOMMENDATION_ADVICE: Mapping[str, str] = MappingProxyType(
    {
        Recommendation.EMERGENCY_CARE.value: (
            "Do not wait to see whether it gets better. These symptoms can mean that nerves at the bottom of "
            "the spine are being squeezed, which needs treatment straight away. Insoles cannot "
            "help with this."
        ),
        Recommendation.PROMPT_MEDICAL_REVIEW.value: (
            "This symptom can point to a cause "
            "that insoles cannot address, such as nerve compression, an infection or a fracture. "
            "Insoles are not the answer until a doctor has ruled out serious causes."
        ),
        Recommendation.CLINICIAN_REVIEW.value: (
            "You have already given insoles a try and they did not help, so the cause of your "
            "pain is probably not your feet. A GP or physiotherapist can look for the cause and "
            "discuss other treatment. Back pain that "
            "persists or gets worse after a trial of insoles is a reason to be checked."
        ),
        Recommendation.CUSTOM_ORTHOTICS.value: (
            "Custom orthotics are prescription devices moulded to the shape "
            "of your feet, usually after a gait analysis or a cast of your feet, and made from "
            "durable materials such as medical-grade plastics or graphite. They are designed to "
            "control how the foot moves and to spread pressure more evenly, a correction that "
            "off-the-shelf inserts, made to fit many feet, cannot give. They are meant for people with a diagnosed gait problem, a "
            "significant foot-structure problem or a leg length difference, or with long-lasting "
            "pain linked to misalignment. Book an appointment with a podiatrist (or your GP, who "
            "can refer you) to be assessed; they cost more than off-the-shelf inserts, so an "
            "assessment first is worthwhile."
        ),
        Recommendation.OTC_ARCH_SUPPORT.value: (
            "Flat feet tend to roll inwards (overpronation). That turns the shin and thigh bones inwards, which "
            "can tilt the pelvis, and the lower back then has to compensate, which strains it. "
            "Supporting the arch aims to reduce that chain of strain. These inserts are cheap and "
            "widely available. Wear them for a few weeks; if your back is no better, or gets "
            "worse, come back to this check or see a GP, physiotherapist or podiatrist."
        ),
        Recommendation.OTC_CUSHIONING.value: (
            "A cushioning insert is a shock-absorbing insole made of foam or gel. High arches absorb shock poorly, so more of the impact of "
            "each step travels up to the spine, and long hours of standing or walking repeat "
            "that impact all day. Cushioning aims to soften it. The evidence for insoles is strongest in "
            "people who are on their feet all day. These inserts are cheap and widely available. "
            "Wear them for a few weeks; if your back is no better, or gets worse, see a GP, "
            "physiotherapist or podiatrist."
        ),
        Recommendation.INSOLES_UNLIKELY_TO_HELP.value: (
            "Nothing you told me links your back pain to your feet, and for back pain without "
            "such a link the evidence for insoles is mixed: systematic reviews do not recommend "
            "them as a standard treatment. Off-the-shelf inserts can make shoes more comfortable, "
            "but they are unlikely to treat the back pain itself. If the pain goes on, a GP or "
            "physiotherapist can look for its cause and discuss treatment that fits it."
        ),
    }
)

#: What to do, as the first words of the result's headline (spec section 3: the result
#: opens with what to do and the facts behind it).
_HEADLINES: Dict[str, str] = {
    Recommendation.EMERGENCY_CARE.value: "Call {emergency_number} or go to an emergency department now",
    Recommendation.PROMPT_MEDICAL_REVIEW.value: "See a doctor today or tomorrow, before trying insoles",
    Recommendation.CLINICIAN_REVIEW.value: "Book an appointment with your GP or a physiotherapist rather than trying more insoles",
    Recommendation.CUSTOM_ORTHOTICS.value: "See a podiatrist about custom orthotics",
    Recommendation.OTC_ARCH_SUPPORT.value: "Try an off-the-shelf arch-support insert for a few weeks",
    Recommendation.OTC_CUSHIONING.value: "Try an off-the-shelf cushioning insert for a few weeks",
    Recommendation.INSOLES_UNLIKELY_TO_HELP.value: "Insoles are unlikely to help your back pain",
}
_INSOLE_RECOMMENDATIONS = frozenset(
    {
        Recommendation.CUSTOM_ORTHOTICS.value,
        Recommendation.OTC_ARCH_SUPPORT.value,
        Recommendation.OTC_CUSHIONING.value,
        Recommendation.INSOLES_UNLIKELY_TO_HELP.value,
    }
)

_ARCH_CHECK_POINTER = (
    "You were not sure of your arch type. The wet-foot test and a look at where your shoes "
    "wear first can tell you more; ask me how to do them, and the advice may change."
)
_EMERGENCY_SAFETY_NET = (
    "Call {emergency_number} straight away if you lose control of your bladder or bowels, "
    "have numbness around your groin, genitals or bottom, or get numbness, tingling or "
    "weakness in both legs."
)
_SEE_A_DOCTOR = (
    "See a doctor promptly if the pain becomes severe or unrelenting, wakes you at night, "
    "comes with a fever or weight loss you cannot explain, follows a fall or accident, or "
    "if numbness, tingling or weakness runs down a leg."
)
_NEXT_STEPS: Dict[str, str] = {
    TriageLevel.URGENT.value: "While you wait to be seen: "
    + _EMERGENCY_SAFETY_NET[0].lower()
    + _EMERGENCY_SAFETY_NET[1:],
    TriageLevel.ROUTINE.value: "Book a routine appointment; it does not need to be today. "
    + _SEE_A_DOCTOR
    + " "
    + _EMERGENCY_SAFETY_NET,
    TriageLevel.SELF_CARE.value: _SEE_A_DOCTOR + " " + _EMERGENCY_SAFETY_NET,
}


#: The line every reply ends with once a conversation's triage level is ``emergency``
#: (spec section 1); ``{number}`` is the emergency number.
EMERGENCY_REMINDER_LINE = (
    "🚨 Please remember: with the symptoms you told me about, call {number} or go to an emergency department now."
)
#: Added to an escalation when the person said they are pregnant (spec section 2).
MATERNITY_LINE = (
    "As you are pregnant, you can also call your maternity triage line (the number is in your pregnancy notes)."
)


def emergency_number() -> str:
    """Return the emergency number to tell people, from ``ASSISTANT_EMERGENCY_NUMBER``."""
    return os.environ.get(EMERGENCY_NUMBER_ENV, "").strip() or DEFAULT_EMERGENCY_NUMBER


def with_emergency_reminder(text: str, triage_level: Optional[str]) -> str:
    """End ``text`` with the emergency reminder once the triage level is ``emergency`` (spec section 1)."""
    if triage_level != TriageLevel.EMERGENCY.value:
        return text
    return f"{text.rstrip()}\n\n{EMERGENCY_REMINDER_LINE.format(number=emergency_number())}"


def _join(phrases: Sequence[str]) -> str:
    """Join phrases as English prose: "a", "a and b", "a, b and c"."""
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


@dataclass(frozen=True)
class ResultText:
    """The assessment result, as the person reads it.

    headline: one line: what to do, and the facts behind it.
    body: the explanation, evidence and safety advice, in paragraphs separated by
        blank lines; no sentence of it repeats the headline.
    """

    headline: str
    body: str

    @property
    def text(self) -> str:
        """Headline and body as one text, for channels that show one message."""
        return f"{self.headline}\n\n{self.body}"


def headline(decision: Decision) -> str:
    """The result's headline: what to do, "because" the facts behind it."""
    action = _HEADLINES.get(decision.recommendation, "Here is what I suggest").format(
        emergency_number=emergency_number()
    )
    if not decision.reasons:
        return f"{action}."
    return f"{action}, because {_join(list(decision.reasons))}."


def result_message(decision: Decision, assessment: Assessment) -> ResultText:
    """Compose the assessment result for the person.

    The headline says what to do and why (:func:`headline`). The body, in paragraphs:
    the advice for the recommendation; for insole recommendations the honest evidence
    statement; what to do next and when to seek help; and :data:`NOT_A_DIAGNOSIS`
    last. Urgent and emergency results carry no insole advice (spec section 1): they
    say only where to get care and why.

    Args:
        decision: the outcome of :func:`triage.decide`.
        assessment: the answers it was made from (used to tailor the advice).
    """
    number = emergency_number()
    advice = RECOMMENDATION_ADVICE.get(decision.recommendation, "")
    paragraphs = [advice.format(emergency_number=number)]
    if decision.recommendation in _INSOLE_RECOMMENDATIONS:
        paragraphs.append(EVIDENCE_STATEMENT)
        if assessment.foot_arch in (None, "unknown"):
            paragraphs.append(_ARCH_CHECK_POINTER)
    next_steps = _NEXT_STEPS.get(decision.triage_level)
    if next_steps:
        paragraphs.append(next_steps.format(emergency_number=number))
    paragraphs.append(NOT_A_DIAGNOSIS)
    return ResultText(headline(decision), "\n\n".join(paragraph for paragraph in paragraphs if paragraph))


def describe_changes(before: Mapping[str, object], after: Mapping[str, object], changed_advice: bool) -> str:
    """Say which answers changed since the last result, and whether the advice did.

    Args:
        before: the answers the previous result was worked out from (slot -> value).
        after: the current answers.
        changed_advice: whether the recommendation is different now.
    """
    changes = [
        f"{describe_answer(slot, after.get(slot))} (was {_answer_words(slot, before.get(slot))})"
        for slot in ASSESSMENT_SLOTS
        if before.get(slot) != after.get(slot) and after.get(slot) is not None
    ]
    if not changes:
        return "That's what I had already, so my advice stays the same:"
    verdict = "That changes my advice:" if changed_advice else "That doesn't change my advice:"
    return f"I've updated your answers: {'; '.join(changes)}. {verdict}"


_SLOT_LABELS: Dict[str, str] = {
    PAIN_DURATION: "How long the pain has lasted",
    PAIN_SEVERITY: "Pain severity",
    RED_FLAG_SCREEN: "Warning-sign questions",
    DAILY_LOAD: "Most of the day spent",
    FOOT_ARCH: "Arch type",
    SHOE_WEAR: "Where shoes wear first",
    LEG_LENGTH_DIFFERENCE: "One leg longer than the other",
    GAIT_DIAGNOSIS: "Gait or foot problem diagnosed by a clinician",
    INSOLE_HISTORY: "Insoles tried before",
}
_VALUE_WORDS: Dict[str, Dict[str, str]] = {
    PAIN_DURATION: {"acute": "less than 6 weeks", "subacute": "6 to 12 weeks", "chronic": "more than 12 weeks"},
    RED_FLAG_SCREEN: {"clear": "none reported", "positive": "one or more reported"},
    DAILY_LOAD: {
        "standing": "standing",
        "walking": "walking",
        "sitting": "sitting",
        "mixed": "a mix of sitting, standing and walking",
    },
    FOOT_ARCH: {"flat": "flat (low arches)", "high": "high arches", "normal": "normal", "unknown": "not known"},
    SHOE_WEAR: {"inner": "inside edge", "outer": "outside edge", "even": "evenly", "unknown": "not known"},
    LEG_LENGTH_DIFFERENCE: {"yes": "yes", "no": "no", "unknown": "not known"},
    GAIT_DIAGNOSIS: {"yes": "yes", "no": "no"},
    INSOLE_HISTORY: {
        "none": "never tried",
        "helped": "tried, they helped",
        "no_change": "tried, no difference",
        "worse": "tried, pain got worse",
    },
}
_LEVEL_WORDS: Dict[str, str] = {
    TriageLevel.EMERGENCY.value: "emergency: needs emergency care now",
    TriageLevel.URGENT.value: "urgent: see a doctor the same or next day",
    TriageLevel.ROUTINE.value: "routine: book an appointment with a clinician",
    TriageLevel.SELF_CARE.value: "self-care",
}
_RECOMMENDATION_WORDS: Dict[str, str] = {
    Recommendation.EMERGENCY_CARE.value: "emergency care",
    Recommendation.PROMPT_MEDICAL_REVIEW.value: "prompt review by a doctor",
    Recommendation.CLINICIAN_REVIEW.value: "review by a GP or physiotherapist (insoles tried without benefit)",
    Recommendation.CUSTOM_ORTHOTICS.value: "custom orthotics, after assessment by a podiatrist",
    Recommendation.OTC_ARCH_SUPPORT.value: "off-the-shelf arch-support insert",
    Recommendation.OTC_CUSHIONING.value: "off-the-shelf cushioning insert",
    Recommendation.INSOLES_UNLIKELY_TO_HELP.value: "insoles unlikely to help",
}


def _answer_words(slot: str, value: object) -> str:
    if value is None:
        return "not answered"
    if slot == PAIN_SEVERITY:
        return f"{value} out of 10"
    return _VALUE_WORDS.get(slot, {}).get(str(value), str(value))


def describe_answer(slot: str, value: object) -> str:
    """Describe one assessment answer in words, e.g. ``"arch type: flat (low arches)"``.

    Used to confirm answers taken from a longer message. Unknown slots and values are
    shown as given rather than dropped, so nothing the person said disappears.
    """
    label = _SLOT_LABELS.get(slot, str(slot).replace("_", " "))
    return f"{label[:1].lower()}{label[1:]}: {_answer_words(slot, value)}"


def describe_not_sure(slot: str, value: object) -> str:
    """Describe the value a "not sure" answer stands for.

    "arch type: not known", or "how long the pain has lasted: counted as 6 to 12 weeks
    for now" where the slot has no ``unknown`` value.
    """
    words = _answer_words(slot, value)
    label = _SLOT_LABELS.get(slot, str(slot).replace("_", " "))
    if value == "unknown":
        return f"{label[:1].lower()}{label[1:]}: {words}"
    return f"{label[:1].lower()}{label[1:]}: counted as {words} for now"


def summary_text(
    assessment: Assessment,
    decision: Decision,
    red_flags: Sequence[str],
    *,
    when: Optional[datetime] = None,
) -> str:
    """Compose a short plain-text summary a person can show a clinician.

    Lists each answer in words (``not answered`` where there is none), the red flags
    reported, the derived foot mechanics, the triage level, the recommendation with
    the facts behind it, and :data:`NOT_A_DIAGNOSIS`.

    Args:
        assessment: the answers.
        decision: the outcome of :func:`triage.decide` for them.
        red_flags: red-flag ids; ids that are not in the catalogue are left out.
        when: the time to print on the summary; without it no date line is printed.

    Returns:
        Plain text, one item per line.
    """
    lines = ["Back pain and insoles: self-check summary"]
    if when is not None:
        zone = when.tzname()
        lines.append(f"Date: {when.strftime('%Y-%m-%d %H:%M')}{' ' + zone if zone else ''}")
    lines += ["", "Answers:"]
    for slot in ASSESSMENT_SLOTS:
        lines.append(f"- {_SLOT_LABELS[slot]}: {_answer_words(slot, getattr(assessment, slot, None))}")
    if isinstance(red_flags, str):
        red_flags = (red_flags,)
    flags = [
        RED_FLAG_CATALOGUE[f] for f in dict.fromkeys(red_flags or ()) if isinstance(f, str) and f in RED_FLAG_CATALOGUE
    ]
    lines += ["", "Warning signs reported:"]
    lines += [f"- {flag.summary} ({flag.level.value})" for flag in flags] or ["- none"]
    lines += [
        "",
        f"Foot mechanics (from arch type and shoe wear): {decision.mechanics}",
        f"Triage level: {_LEVEL_WORDS.get(decision.triage_level, decision.triage_level)}",
        f"Recommendation: {_RECOMMENDATION_WORDS.get(decision.recommendation, decision.recommendation)}",
    ]
    if decision.reasons:
        lines.append(f"Because: {_join(list(decision.reasons))}")
    lines += ["", NOT_A_DIAGNOSIS]
    return "\n".join(lines)
