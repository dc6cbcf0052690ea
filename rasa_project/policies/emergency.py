"""The safety policy: red flags are answered first, in the same turn, in every state.

Rasa's ``RulePolicy`` marks "continue the active form" as a *no-user* prediction,
which the policy ensemble prefers over every prediction based on the user's message,
whatever its priority (``DefaultPolicyPredictionEnsemble._pick_best_policy``). A
safety rule written in ``data/rules.yml`` therefore cannot interrupt a form. This
policy marks its own predictions as no-user predictions too and has the highest
priority, so it wins against an active form and against every other policy.

It needs neither the action server nor a database: it predicts responses from the
domain (``utter_emergency`` ...) and sets the triage slots through the prediction's
events, which Rasa applies to the tracker itself. The escalation record and the
clinic's webhook are written downstream from those slot events.

What it does after a message (spec section 2), decided by :func:`decide_safety_step`,
a pure function over plain values:

1. The answer to its own direct question (slot ``red_flag_question``): "no" carries
   on; "yes", "not sure" or anything it cannot read escalates, in that turn.
2. A red flag in the message escalates: emergency first, then urgent.
3. After an emergency, anything that would resume the assessment repeats the advice.
4. A message that only may describe a red flag gets one direct question about it
   (leaking on coughing or laughing gets the question whether it is new).
5. An emergency sign mentioned as a question, about someone else, as past or as a
   figure of speech is answered by naming the emergency signs.
6. A stop asked while the red-flag screen is the question gets the screen once more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Text, Tuple

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.clinical.contract import (
    ASSESSMENT_SLOTS,
    FOOT_ARCH,
    PAIN_SEVERITY,
    QUESTION_ATTEMPTS,
    RECOMMENDATION,
    RED_FLAG_CATALOGUE,
    RED_FLAG_CONCERN_ENTITY,
    RED_FLAG_CONTEXT_ENTITY,
    RED_FLAG_ENTITY,
    RED_FLAG_QUESTION,
    RED_FLAG_SCREEN,
    RED_FLAGS,
    RED_FLAGS_CLEARED,
    RED_FLAGS_GUESSED,
    SCREEN_SIGNS,
    SHOE_WEAR,
    TRIAGE_LEVEL,
    Recommendation,
    TriageLevel,
    escalate,
)
from rasa_project.clinical.questions import Attempts
from rasa_project.clinical.triage import flags_from_answer
from rasa_project.understanding.answers import NOT_SURE, read_answer, read_yes_no
from rasa_project.understanding.answers.commands import asks_to_start_over_or_stop, is_something_else
from rasa_project.understanding.answers.red_flag_screen import points_at_items, points_back_at_an_item, signs_named
from rasa_project.understanding.answers.words import tokenize
from rasa_project.understanding.facts import tells_of_back_pain

logger = logging.getLogger(__name__)

UTTER_EMERGENCY = "utter_emergency"
UTTER_URGENT = "utter_urgent"
UTTER_EMERGENCY_REMINDER = "utter_emergency_reminder"
UTTER_RED_FLAG_QUESTION = "utter_red_flag_question"
UTTER_LEAK_QUESTION = "utter_leak_question"
UTTER_RED_FLAG_CHECK_CLEAR = "utter_red_flag_check_clear"
UTTER_EMERGENCY_SIGNS = "utter_emergency_signs"
#: "I'll stop after this one": a stop asked at the red-flag screen, the first time.
UTTER_SCREEN_BEFORE_STOPPING = "utter_screen_before_stopping"
SAFETY_RESPONSES = (
    UTTER_EMERGENCY,
    UTTER_URGENT,
    UTTER_EMERGENCY_REMINDER,
    UTTER_RED_FLAG_QUESTION,
    UTTER_LEAK_QUESTION,
    UTTER_RED_FLAG_CHECK_CLEAR,
    UTTER_EMERGENCY_SIGNS,
    UTTER_SCREEN_BEFORE_STOPPING,
)
#: After these the person must answer (or read) before anything else is said.
LISTEN_AFTER = frozenset(
    {UTTER_EMERGENCY, UTTER_URGENT, UTTER_EMERGENCY_REMINDER, UTTER_RED_FLAG_QUESTION, UTTER_LEAK_QUESTION}
)
#: After these the assessment carries on where it was, if one is going on.
CARRY_ON_AFTER = frozenset({UTTER_RED_FLAG_CHECK_CLEAR, UTTER_EMERGENCY_SIGNS, UTTER_SCREEN_BEFORE_STOPPING})
ASSESSMENT_FORM = "assessment_form"
#: Intents of a message that starts (or updates) the assessment when no safety
#: question is in the way.
STARTS_ASSESSMENT = frozenset({"start_assessment", "inform"})
#: The intent of a message that tells of emergency symptoms.
EMERGENCY_INTENT = "emergency"
#: Intents of a message that starts the assessment when it tells of the person's own
#: back pain: read as symptoms, or read by none of the intents with confidence.
TOLD_AS_A_STORY = frozenset({EMERGENCY_INTENT, "nlu_fallback"})
#: The intent of a request to stop the questions.
STOP_INTENT = "stop_assessment"

#: After an emergency these intents would lead back into the insole assessment,
#: which must not resume: the emergency advice is repeated instead.
ASSESSMENT_INTENTS = frozenset({"start_assessment", "inform", "dont_know", "ask_what_to_do", "request_summary"})
#: Intents whose own answer names the emergency signs already.
SIGNS_INTENTS = frozenset({"ask_red_flags"})
#: Reasons to ask about leaking whether it is new, rather than about loss of control.
LEAK_REASONS = frozenset({"stress_leak", "long_standing"})
BLADDER_BOWEL = "bladder_bowel_dysfunction"
#: Questions the assistant asks about wet feet, footprints and worn soles, and about what
#: the person could or could not tell from them.
FOOT_QUESTIONS = frozenset({FOOT_ARCH, SHOE_WEAR})
#: The ``source`` of a red-flag entity found by the learned signal alone.
LEARNED_SIGNAL = "classifier"

YES = "yes"
NO = "no"
UNSURE = "not_sure"
#: Readings of a reply to the red-flag screen.
POSITIVE = "positive"
CLEAR = "clear"


@dataclass(frozen=True)
class MessageFindings:
    """What the NLU pipeline found in one message about red flags."""

    #: Flags that count, in text order.
    flags: Sequence[str] = ()
    #: Flags the message only may describe -> why (see ``red_flag_concern`` entities).
    to_ask: Mapping[str, str] = field(default_factory=dict)
    #: Flags mentioned in a context that sets them aside -> the context.
    set_aside: Mapping[str, str] = field(default_factory=dict)
    intent: Optional[str] = None
    #: The message read as the answer to the assessment question asked, when it is one
    #: that raises a flag by itself (a pain score of 10): slot -> value.
    answer: Mapping[str, Any] = field(default_factory=dict)
    #: The message read as the answer to the red-flag screen, when the screen was asked:
    #: ``"positive"``, ``"clear"``, ``"not_sure"`` or ``None`` when it cannot be read.
    screen_answer: Optional[str] = None
    #: The screen items the answer to the screen points at ("yes, the legs thing"), as flags.
    screen_signs: Sequence[str] = ()
    #: Whether the message is meant as the answer to the screen and cannot be read as one
    #: (not a question, a stop, a pause or a fact for another question).
    screen_unreadable: bool = False


@dataclass(frozen=True)
class ConversationState:
    """The conversation, as far as safety is concerned, before the message."""

    known_flags: Sequence[str] = ()
    triage_level: Optional[str] = None
    #: Flags the assistant's direct question of the previous turn was about.
    pending_question: Sequence[str] = ()
    #: Flags the person already said "no" to in this session: not asked again.
    cleared: Sequence[str] = ()
    requested_slot: Optional[str] = None
    #: Flags recorded for a "yes" to the screen that did not say which sign.
    guessed: Sequence[str] = ()
    #: Whether a stop at the red-flag screen was already answered by asking it once more.
    screen_kept_once: bool = False
    #: Whether an earlier answer to the red-flag screen could not be read (it was asked again).
    screen_unreadable_before: bool = False


@dataclass(frozen=True)
class SafetyStep:
    """What the safety policy does after one user message."""

    response: str
    slot_values: Dict[str, Any] = field(default_factory=dict)
    stop_form: bool = False


def decide_safety_step(
    findings: MessageFindings, state: ConversationState, answer: Optional[str] = None
) -> Optional[SafetyStep]:
    """Decide how to answer a user message for safety, or ``None`` to stay silent.

    Args:
        findings: the red flags, flags to ask about and set-aside mentions of the message.
        state: the conversation before the message.
        answer: when a direct question is pending, the message read as its answer:
            ``"yes"``, ``"no"``, ``"not_sure"``, or ``None`` when it cannot be read.
    """
    answer_flags = [flag for slot, value in findings.answer.items() for flag in flags_from_answer(slot, value)]
    new_flags = [flag for flag in dict.fromkeys([*findings.flags, *answer_flags]) if flag in RED_FLAG_CATALOGUE]
    pending = [flag for flag in state.pending_question if flag in RED_FLAG_CATALOGUE]
    # Whatever comes next, the pending question has had its answer.
    answered: Dict[str, Any] = {RED_FLAG_QUESTION: None} if pending else {}
    if pending and not _serious(new_flags) and answer == NO:
        return SafetyStep(
            UTTER_RED_FLAG_CHECK_CLEAR,
            {**answered, RED_FLAGS_CLEARED: _merge(state.cleared, pending), **_screen(state, "clear")},
        )
    guessed: List[str] = []
    if (
        pending
        and answer != NO
        and not _tells_its_own_sign_instead(answer, new_flags, pending)
        and not _names_which_sign(new_flags, pending)
    ):
        # "Yes", "not sure" or an answer that cannot be read: uncertainty escalates, at
        # the most serious level asked about, with the flags of that level.
        raised = _most_serious(pending)
        if set(pending) == set(SCREEN_SIGNS):
            guessed = [flag for flag in raised if flag not in new_flags]
        new_flags = _merge(new_flags, raised)
    elif state.requested_slot == RED_FLAG_SCREEN and not _serious(new_flags):
        # The screen is a direct question too: "yes" or "not sure" escalates in the same turn.
        raised, unnamed = _screen_signs_meant(findings, state)
        guessed = [flag for flag in raised if flag not in new_flags] if unnamed else []
        new_flags = _merge(new_flags, raised)
    named = _signs_named_after_a_guess(new_flags, state) if not guessed else []
    if named:
        # The person now says which sign they have: it replaces the signs recorded for a
        # "yes" that did not say. The level stays where the guess put it (section 1).
        state = replace(state, known_flags=[flag for flag in state.known_flags if flag not in state.guessed])
    escalation = _escalation(new_flags, state)
    if escalation is not None:
        # The answer that raised a flag is kept: the form does not run in this turn.
        recorded = dict(findings.answer) if answer_flags else {}
        if guessed:
            recorded[RED_FLAGS_GUESSED] = _merge(state.guessed, guessed)
        elif named:
            recorded[RED_FLAGS_GUESSED] = []
        return SafetyStep(escalation.response, {**answered, **recorded, **escalation.slot_values}, escalation.stop_form)

    already_emergency = state.triage_level == TriageLevel.EMERGENCY.value
    if already_emergency:
        if findings.intent in ASSESSMENT_INTENTS:
            return SafetyStep(UTTER_EMERGENCY_REMINDER, stop_form=True)
        return None

    to_ask = {
        flag: reason
        for flag, reason in findings.to_ask.items()
        if _is_serious(flag) and flag not in state.known_flags and flag not in state.cleared
    }
    if to_ask:
        if set(to_ask) == {BLADDER_BOWEL} and to_ask[BLADDER_BOWEL] in LEAK_REASONS:
            return SafetyStep(UTTER_LEAK_QUESTION, {RED_FLAG_QUESTION: [BLADDER_BOWEL]})
        ordered = sorted(to_ask, key=lambda flag: (-RED_FLAG_CATALOGUE[flag].level.rank, flag))
        return SafetyStep(UTTER_RED_FLAG_QUESTION, {RED_FLAG_QUESTION: ordered})

    set_aside_emergency = [
        flag for flag in findings.set_aside if RED_FLAG_CATALOGUE.get(flag) and _level(flag) is TriageLevel.EMERGENCY
    ]
    if set_aside_emergency and findings.intent not in SIGNS_INTENTS:
        return SafetyStep(UTTER_EMERGENCY_SIGNS)
    if findings.intent == STOP_INTENT and state.requested_slot == RED_FLAG_SCREEN and not state.screen_kept_once:
        # The screen is the one question a person may not know to mention by themselves
        # (section 2): a stop there gets it once more, then a second stop stops.
        return SafetyStep(UTTER_SCREEN_BEFORE_STOPPING)
    return None


def goes_on_to_the_assessment(tracker: DialogueStateTracker) -> bool:
    """Whether the safety reply just given leads into the assessment the person asked for.

    After the "all clear" to the direct question, the request is the message that
    prompted the question ("sore back and my legs are a bit tingly, can you help?");
    after the emergency signs given for someone else's symptoms, it is the message just
    answered ("my sister had cauda equina, mine is a normal ache"). Either way the
    safety reply came first and the request still stands. Inside the form, the form
    carries on by itself.
    """
    if tracker.active_loop_name or tracker.get_slot(TRIAGE_LEVEL) == TriageLevel.EMERGENCY.value:
        return False
    back = 1 if tracker.latest_action_name == UTTER_RED_FLAG_CHECK_CLEAR else 0
    user_messages = [event for event in reversed(tracker.events) if isinstance(event, UserUttered)]
    if len(user_messages) <= back:
        return False
    request = user_messages[back]
    intent = request.intent.get("name")
    # The intent classifier reads symptom-like words as "emergency" ("I drive all day
    # and my back's had enough"), and is unsure of many second-language openings; once
    # the question cleared them, a message that tells of the person's own back pain is
    # a request for the check, as it is when no question came first.
    return intent in STARTS_ASSESSMENT or (intent in TOLD_AS_A_STORY and tells_of_back_pain(request.text or ""))


def _escalation(flags: Sequence[str], state: ConversationState) -> Optional[SafetyStep]:
    levels = {_level(flag) for flag in flags}
    all_flags = list(dict.fromkeys([*state.known_flags, *flags]))
    if TriageLevel.EMERGENCY in levels:
        return SafetyStep(
            UTTER_EMERGENCY,
            {
                TRIAGE_LEVEL: TriageLevel.EMERGENCY.value,
                RECOMMENDATION: Recommendation.EMERGENCY_CARE.value,
                RED_FLAGS: all_flags,
                **_screen(state, "positive"),
            },
            stop_form=True,
        )
    if TriageLevel.URGENT in levels:
        if state.triage_level == TriageLevel.EMERGENCY.value:
            return SafetyStep(UTTER_EMERGENCY_REMINDER, {RED_FLAGS: all_flags}, stop_form=True)
        return SafetyStep(
            UTTER_URGENT,
            {
                TRIAGE_LEVEL: escalate(state.triage_level, TriageLevel.URGENT.value),
                RECOMMENDATION: Recommendation.PROMPT_MEDICAL_REVIEW.value,
                RED_FLAGS: all_flags,
                **_screen(state, "positive"),
            },
            stop_form=True,
        )
    return None


def _level(flag: str) -> TriageLevel:
    return RED_FLAG_CATALOGUE[flag].level


def _is_serious(flag: str) -> bool:
    return flag in RED_FLAG_CATALOGUE and _level(flag).rank >= TriageLevel.URGENT.rank


def _serious(flags: Iterable[str]) -> List[str]:
    return [flag for flag in flags if _is_serious(flag)]


def _tells_its_own_sign_instead(answer: Optional[str], new_flags: Sequence[str], pending: Sequence[str]) -> bool:
    """Whether a reply that does not answer the pending question tells a sign at least as serious.

    "And this morning I wet myself" sent while a question about a fall is pending
    escalates for what it tells; counting the unanswered question as an unsure yes too
    would name a sign the person never gave. A less serious sign does not excuse the
    question: the level asked about still counts.
    """
    if answer is not None or not _serious(new_flags) or not _serious(pending):
        return False
    return max(_level(flag).rank for flag in _serious(new_flags)) >= max(
        _level(flag).rank for flag in _serious(pending)
    )


def _names_which_sign(new_flags: Sequence[str], pending: Sequence[str]) -> bool:
    """Whether a reply to the screen's "which one?" names a sign of the screen: that sign is its answer.

    "Which one?" asks the person to pick among all the signs. A reply that tells one of
    them ("the tingling was in my left foot") has picked it, whatever else it says:
    counting it as unreadable as well would raise every emergency sign the person
    never gave. Another direct question (about one sign) still counts at its own level.
    """
    return set(pending) == set(SCREEN_SIGNS) and any(flag in SCREEN_SIGNS for flag in _serious(new_flags))


def _signs_named_after_a_guess(new_flags: Sequence[str], state: ConversationState) -> List[str]:
    """The screen's signs a message names after a "yes" to the screen that did not say which.

    "It's the numbness between my legs", told after a bare "yes" recorded every
    emergency sign of the screen, says which one was meant; so does any other sign the
    screen lists ("I had breast cancer"), at whatever level.
    """
    if not state.guessed:
        return []
    return [flag for flag in _serious(new_flags) if flag in SCREEN_SIGNS]


def _most_serious(flags: Sequence[str]) -> List[str]:
    serious = _serious(flags)
    if not serious:
        return []
    top = max(_level(flag).rank for flag in serious)
    return [flag for flag in serious if _level(flag).rank == top]


def _merge(known: Sequence[str], new: Sequence[str]) -> List[str]:
    return list(dict.fromkeys([*known, *new]))


def _screen(state: ConversationState, value: str) -> Dict[str, str]:
    # An answer given while the red-flag screen is the question answers the screen.
    return {RED_FLAG_SCREEN: value} if state.requested_slot == RED_FLAG_SCREEN else {}


def _screen_signs_meant(findings: MessageFindings, state: ConversationState) -> Tuple[List[str], bool]:
    """The warning signs a "yes" or "not sure" to the screen raises, and whether they are a guess.

    A second reply that cannot be read raises them as a "not sure" does. A "yes" that
    says which sign only as something the detector would ask about ("yes, my legs feel a
    bit odd") raises those signs: the screen already asked. A "yes" that points at items
    of the screen ("yeah, the legs thing") raises the most serious of those. A bare "yes"
    or "not sure" raises the most serious signs of the screen. A "yes" whose only sign is
    set aside or already answered ("no, apart from the old sneeze leaks") raises none:
    the form asks which sign is meant. Long-standing leaking keeps its own question.
    The signs of a bare "yes" or "not sure" are a guess: the person did not say which.
    """
    if findings.screen_answer == UNSURE:
        return _most_serious(SCREEN_SIGNS), True
    concerns = {
        flag: reason for flag, reason in findings.to_ask.items() if _is_serious(flag) and flag not in state.cleared
    }
    if findings.screen_unreadable and state.screen_unreadable_before and not concerns:
        # The second reply to the screen that cannot be read: asking a third time would
        # loop (section 5) and uncertainty about the warning signs escalates (section 2),
        # as a "not sure" does. A possible sign in it keeps its own direct question.
        return _most_serious(SCREEN_SIGNS), True
    if findings.screen_answer != POSITIVE:
        return [], False
    if concerns:
        leak_only = set(concerns) == {BLADDER_BOWEL} and concerns[BLADDER_BOWEL] in LEAK_REASONS
        return ([] if leak_only else _most_serious(list(concerns))), False
    if findings.set_aside or any(flag in state.cleared for flag in findings.to_ask):
        return [], False
    return _most_serious(findings.screen_signs or SCREEN_SIGNS), not findings.screen_signs


def read_screen_answer(text: Optional[str], intent: Optional[str]) -> Optional[str]:
    """Read a reply to the red-flag screen: ``"positive"``, ``"clear"``, ``"not_sure"`` or ``None``.

    ``"positive"`` needs a "yes", plain or hedged, as well as the screen's reading: a reply that
    only mentions a sign ("nope, I can feel everything when I wipe", "what counts as a
    bladder problem?") is left to the detector and the form. The screen's buttons name
    a sign (read as a red-flag entity) or none (``/deny``).
    """
    if not text or text.startswith("/"):
        return UNSURE if intent == "dont_know" else None
    reading = read_answer(RED_FLAG_SCREEN, text)
    if reading is NOT_SURE:
        return UNSURE
    if read_yes_no(text) is None and points_at_items(text):
        # "The legs thing only", "just the second one": picking items of the list is a
        # yes to them, though the word "yes" is not said.
        return POSITIVE
    if reading == POSITIVE:
        # "I don't know, maybe? I cannot say yes or no" hedges a yes: it is read as one.
        # "The legs, as I told you" points at a sign already told: a yes to it, unless
        # it says no ("no, apart from the leaks I told you about").
        said = read_yes_no(text)
        return POSITIVE if said in (YES, NOT_SURE) or (said is None and points_back_at_an_item(text)) else None
    return CLEAR if reading == CLEAR else None


def is_unreadable_screen_reply(
    text: Optional[str], intent: Optional[str], confidence: float, entities: Iterable[Dict[str, Any]]
) -> bool:
    """Whether a typed reply to the screen is meant as its answer and cannot be read.

    The same test the form applies before it counts an unreadable answer: a question,
    a stop, a pause or a fact for another question is answered or noted instead, and
    the screen is asked again without counting it.
    """
    if not text or text.startswith("/") or read_answer(RED_FLAG_SCREEN, text) is not None:
        return False
    if is_something_else(intent, confidence) or asks_to_start_over_or_stop(tokenize(text)):
        return False
    return not any(entity.get("entity") in ASSESSMENT_SLOTS for entity in entities)


def screen_signs_named(text: Optional[str]) -> List[str]:
    """The screen items a typed reply to the screen points at, as flags; none for a button."""
    if not text or text.startswith("/"):
        return []
    return signs_named(text)


def read_yes_no_answer(text: Optional[str], intent: Optional[str]) -> Optional[str]:
    """Read a message as the answer to a direct yes/no question about symptoms.

    A button's ``/affirm`` or ``/deny`` counts as typed; ``None`` means unreadable.
    """
    if intent == "affirm" and (not text or text.startswith("/")):
        return YES
    if intent == "deny" and (not text or text.startswith("/")):
        return NO
    reading = read_yes_no(text or "")
    if reading is NOT_SURE:
        return UNSURE
    if reading in (YES, NO):
        return str(reading)
    if intent == "deny":
        return NO
    return YES if intent == "affirm" else None


def entity_values(entities: Iterable[Dict[str, Any]], name: str) -> List[str]:
    """Return the values of a parsed message's entities called ``name``, in order."""
    return [str(entity.get("value")) for entity in entities if entity.get("entity") == name and entity.get("value")]


def entity_attributes(entities: Iterable[Dict[str, Any]], name: str, attribute: str) -> Dict[str, str]:
    """Return value -> ``attribute`` of the entities called ``name`` (first one per value)."""
    found: Dict[str, str] = {}
    for entity in entities:
        if entity.get("entity") == name and entity.get("value"):
            found.setdefault(str(entity["value"]), str(entity.get(attribute) or ""))
    return found


def findings_of(
    entities: List[Dict[str, Any]], intent: Optional[str], answer: Optional[Mapping[str, Any]] = None
) -> MessageFindings:
    """Read the red-flag entities of a parsed message into :class:`MessageFindings`."""
    return MessageFindings(
        flags=entity_values(entities, RED_FLAG_ENTITY),
        to_ask=entity_attributes(entities, RED_FLAG_CONCERN_ENTITY, "reason"),
        set_aside=entity_attributes(entities, RED_FLAG_CONTEXT_ENTITY, "role"),
        intent=intent,
        answer=answer or {},
    )


def in_the_context_of_the_question(
    findings: MessageFindings, entities: Iterable[Dict[str, Any]], requested_slot: Optional[str]
) -> MessageFindings:
    """``findings``, with the learned signal's uncertain flags asked about in answers on the feet.

    The arch and shoe-wear questions (and the wet-foot test taught with them) lead people
    to write "wet", "couldn't tell", "came out", "floor": words the learned signal, which
    reads the message without the question, takes for a bladder symptom ("did the wet foot
    thing, it came out a smudge, I really can't tell"). There, a flag that only the learned
    signal found, and only as uncertain, gets the one direct question instead of the
    escalation; a "yes", "not sure" or unreadable answer to it still escalates in the same
    turn. What the rules find escalates as everywhere.
    """
    if requested_slot not in FOOT_QUESTIONS:
        return findings
    entities = list(entities)
    sources = entity_attributes(entities, RED_FLAG_ENTITY, "source")
    certainties = entity_attributes(entities, RED_FLAG_ENTITY, "certainty")
    uncertain_learned = [
        flag for flag in findings.flags if sources.get(flag) == LEARNED_SIGNAL and certainties.get(flag) == "uncertain"
    ]
    if not uncertain_learned:
        return findings
    return replace(
        findings,
        flags=[flag for flag in findings.flags if flag not in uncertain_learned],
        to_ask={**dict.fromkeys(uncertain_learned, LEARNED_SIGNAL), **findings.to_ask},
    )


def answer_to_the_question(text: Optional[str], requested_slot: Optional[str]) -> Any:
    """The message read as the answer to the assessment question asked, or ``None``.

    Button payloads are the form's to read; "not sure" is no answer here.
    """
    if requested_slot not in ASSESSMENT_SLOTS or not text or text.startswith("/"):
        return None
    value = read_answer(requested_slot, text)
    return None if value is NOT_SURE else value


def severity_answer(text: Optional[str], requested_slot: Optional[str]) -> Dict[str, Any]:
    """The message read as the pain score asked for, when that score raises a flag by itself."""
    if requested_slot != PAIN_SEVERITY:
        return {}
    score = answer_to_the_question(text, requested_slot)
    return {PAIN_SEVERITY: score} if isinstance(score, int) and flags_from_answer(PAIN_SEVERITY, score) else {}


def with_the_answer_given(step: SafetyStep, text: Optional[str], requested_slot: Optional[str]) -> SafetyStep:
    """``step``, also keeping the message's answer to the question the assessment asked.

    A reply that answers the question and says something the safety reply comes first
    for ("8, and it wakes me most nights", "3 weeks, and my legs tingle") still answers
    it: when the assessment goes on after the safety reply, asking again would ask what
    the person already told. The red-flag screen's answer is the step's own.
    """
    if requested_slot is None or requested_slot == RED_FLAG_SCREEN or requested_slot in step.slot_values:
        return step
    value = answer_to_the_question(text, requested_slot)
    return step if value is None else replace(step, slot_values={**step.slot_values, requested_slot: value})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class EmergencyPolicy(Policy):
    """Answers red flags before anything else and keeps the triage slots up to date."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The policy's default config: above RulePolicy's priority (6)."""
        return {"priority": 7}

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn: the behaviour is the clinical rule itself."""
        self._check_domain(domain)
        return self._resource

    @staticmethod
    def _check_domain(domain: Domain) -> None:
        missing = [name for name in SAFETY_RESPONSES if name not in domain.action_names_or_texts]
        if missing:
            raise ValueError(f"The domain must define the safety responses {missing}.")

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Predict a safety response after a user message, then listening after it."""
        latest_action = tracker.latest_action_name
        if latest_action in CARRY_ON_AFTER and goes_on_to_the_assessment(tracker):
            return self._predict(ASSESSMENT_FORM, domain)
        if latest_action in LISTEN_AFTER or (latest_action in CARRY_ON_AFTER and not tracker.active_loop_name):
            return self._predict(ACTION_LISTEN_NAME, domain)
        if latest_action != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return self._prediction(self._default_predictions(domain))

        message = tracker.latest_message
        intent = message.intent.get("name")
        pending = list(tracker.get_slot(RED_FLAG_QUESTION) or [])
        requested = tracker.get_slot(REQUESTED_SLOT)
        answer = read_yes_no_answer(message.text, intent) if pending else None
        findings = findings_of(message.entities, intent, severity_answer(message.text, requested))
        findings = in_the_context_of_the_question(findings, message.entities, requested)
        if requested == RED_FLAG_SCREEN:
            findings = replace(
                findings,
                screen_answer=read_screen_answer(message.text, intent),
                screen_signs=screen_signs_named(message.text),
                screen_unreadable=is_unreadable_screen_reply(
                    message.text, intent, float(message.intent.get("confidence") or 0.0), message.entities
                ),
            )
        step = decide_safety_step(
            findings,
            ConversationState(
                known_flags=tracker.get_slot(RED_FLAGS) or [],
                triage_level=tracker.get_slot(TRIAGE_LEVEL),
                pending_question=pending,
                cleared=tracker.get_slot(RED_FLAGS_CLEARED) or [],
                requested_slot=requested,
                guessed=tracker.get_slot(RED_FLAGS_GUESSED) or [],
                # Only the screen reads it: the walk over the events is not paid on every message.
                screen_kept_once=requested == RED_FLAG_SCREEN
                and any(
                    isinstance(event, ActionExecuted) and event.action_name == UTTER_SCREEN_BEFORE_STOPPING
                    for event in tracker.applied_events()
                ),
                screen_unreadable_before=Attempts.from_value(
                    (tracker.get_slot(QUESTION_ATTEMPTS) or {}).get(RED_FLAG_SCREEN)
                ).unreadable
                > 0,
            ),
            # Read only when the previous turn asked; not on every message.
            answer,
        )
        if step is None:
            return self._prediction(self._default_predictions(domain))
        step = with_the_answer_given(step, message.text, requested)
        logger.info("Safety response %s for conversation %s.", step.response, tracker.sender_id)
        return self._predict(step.response, domain, self._events_for(step, tracker))

    @staticmethod
    def _events_for(step: SafetyStep, tracker: DialogueStateTracker) -> List[Event]:
        events: List[Event] = [SlotSet(name, value) for name, value in step.slot_values.items()]
        if step.stop_form and tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return events

    def _predict(self, action: str, domain: Domain, events: Optional[List[Event]] = None) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        # A no-user prediction, like RulePolicy's form continuation, so that the
        # ensemble compares it with that one by priority instead of discarding it.
        return self._prediction(probabilities, optional_events=events, is_no_user_prediction=True)
