"""The assessment form: reading answers, settling each question, starting over.

Thin adapters: what an answer means comes from :mod:`rasa_project.understanding.answers`,
how a question is settled (help, a second try, "not sure") from
:mod:`rasa_project.clinical.questions`; this module only decides *when* a message is
an answer to the question just asked, and says what the person needs to know.
"""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from rasa_project.clinical.contract import (
    ASSESSMENT_SLOTS,
    CATEGORICAL_VALUES,
    INSOLE_HISTORY,
    PAIN_DURATION,
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
    SEVERITY_MAX,
    SEVERITY_MIN,
    TRIAGE_LEVEL,
    TriageLevel,
)
from rasa_project.clinical.explanation import ARCH_SELF_CHECK, describe_answer, describe_not_sure
from rasa_project.clinical.questions import SCORE_AS_NUMBER, Attempts, Say, settle
from rasa_project.clinical.triage import NO_IMPROVEMENT_WITH_INSOLES
from rasa_project.understanding.answers import NOT_SURE, read_answer, read_yes_no
from rasa_project.understanding.answers.commands import MESSAGE_TOO_LONG, is_something_else
from rasa_project.understanding.answers.pain_severity import scored_in_words
from rasa_project.understanding.answers.red_flag_screen import names_an_exception
from rasa_project.understanding.facts import answer_leading_the_message, mentions_the_back, tells_of_back_pain
from rasa_project.understanding.openings import asks_to_talk_about_insoles, is_greeting_emoji

#: Bookkeeping slot: the answers the last result was worked out from.
RESULT_ANSWERS = "result_answers"
ASSESSMENT_FORM = "assessment_form"
NLU_FALLBACK = "nlu_fallback"
#: The answer to a greeting outside the assessment, which goes on from a typed greeting
#: into the check (actions/greeting.py).
GREETING = "action_greet"

#: Insole trial answers that say the insoles did not fail.
_INSOLES_NOT_FAILED = frozenset({"helped", "none"})
#: Insole trial answers that are the flag "no improvement with insoles" (spec section 2).
_INSOLES_FAILED = frozenset({"no_change", "worse"})


def _intent(tracker: Tracker) -> tuple[Optional[str], float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _is_something_else(tracker: Tracker) -> bool:
    """Whether the latest message, read as no answer, is a question or other request."""
    return is_something_else(*_intent(tracker))


def _reply_text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text") or ""
    # A button payload: its entities were mapped already; only the intent is left.
    return "" if text.startswith("/") else text


def answered_safety_question(tracker: Tracker) -> bool:
    """Whether the safety policy read the latest message as the answer to its own question.

    The policy clears ``red_flag_question`` in the turn it reads the answer; such a
    "no" must not also be taken as the answer to the assessment question.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == RED_FLAG_QUESTION and event.get("value") is None:
            return True
    return False


def message_before_safety_question(tracker: Tracker) -> Optional[str]:
    """The text of the user message before the latest one: the reply that prompted the question."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if seen_latest:
            return str(event.get("text") or "")
        seen_latest = True
    return None


def volunteered_facts(tracker: Tracker) -> List[str]:
    """Assessment slots that entities in the latest message filled."""
    return [
        str(entity.get("entity"))
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") in ASSESSMENT_SLOTS
    ]


def _reading(slot: str, tracker: Tracker) -> Any:
    """The latest message read as an answer to ``slot``'s question (value, NOT_SURE or None)."""
    text = _reply_text(tracker)
    name, _ = _intent(tracker)
    if slot == RED_FLAG_SCREEN and not text and name in {"deny", "affirm"}:
        return "clear" if name == "deny" else "positive"
    if not text:
        return NOT_SURE if name == "dont_know" else None
    reading = read_answer(slot, text)
    if slot == RED_FLAG_SCREEN and reading == "clear" and _detector_saw_a_sign(tracker):
        # "None now, but ...": the reader set a past sign aside that the red-flag
        # detector counts or is unsure of; "which one?" settles it.
        return "positive"
    if slot == RED_FLAG_SCREEN and reading == "positive" and _a_no_naming_no_open_sign(text, tracker):
        return "clear"
    return reading


def _detector_saw_a_sign(tracker: Tracker, cleared: Collection[str] = ()) -> bool:
    """Whether the red-flag detector found a sign the screen asks about, or a possible one, in the latest message.

    Possible signs in ``cleared`` (the person already said no to them) do not count.
    """
    entities = tracker.latest_message.get("entities") or []
    return any(
        (entity.get("entity") == RED_FLAG_CONCERN_ENTITY and entity.get("value") not in cleared)
        or (entity.get("entity") == RED_FLAG_ENTITY and entity.get("value") in SCREEN_SIGNS)
        for entity in entities
    )


def _a_no_naming_no_open_sign(text: str, tracker: Tracker) -> bool:
    """Whether a screen reply the reader took for "yes" is a "no" that only names signs that do not count.

    The screen's reader counts any symptom word as a "yes"; the red-flag detector knows
    what is denied ("nope, I can feel everything when I wipe, no accidents"). A reply
    that says no, in which the detector finds no sign, is a no. An exception ("no,
    apart from the sneeze leaks I told you about") counts as a no only when the detector
    read it as a sign the person has already said no to.
    """
    if read_yes_no(text) != "no":
        return False
    cleared = tracker.get_slot(RED_FLAGS_CLEARED) or []
    if _detector_saw_a_sign(tracker, cleared):
        return False
    if not names_an_exception(text):
        return True
    entities = tracker.latest_message.get("entities") or []
    return any(
        entity.get("entity") in (RED_FLAG_CONCERN_ENTITY, RED_FLAG_CONTEXT_ENTITY) and entity.get("value") in cleared
        for entity in entities
    )


#: Words that make a reply to a safety question speak of the pain itself.
_THE_PAIN = frozenset({"pain", "pains", "ache", "aches", "aching", "hurt", "hurts", "hurting", "sore", "soreness"})


def slot_before_latest_message(tracker: Tracker, slot: str) -> Any:
    """The value ``slot`` had before the latest user message was mapped to slots."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    before = tracker.events[: users[-1]] if users else tracker.events
    values = [event.get("value") for event in before if event.get("event") == "slot" and event.get("name") == slot]
    return values[-1] if values else None


def _asked_after_greeting(tracker: Tracker) -> bool:
    """Whether the question now answered was asked by a typed greeting's going on into the check."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(users) < 2:
        return False
    between = tracker.events[users[-2] + 1 : users[-1]]
    return any(event.get("event") == "action" and event.get("name") == GREETING for event in between)


def _spans_of_the_screened_symptoms(tracker: Tracker) -> List[EventType]:
    """Keep the pain's duration when a reply to the red-flag screen gives a span up to now.

    The screen asks about symptoms: "yes, a temperature on and off this past week" tells
    how long the fever has lasted. A span said with "this" or "these" ("this past week")
    names no start of its own, so unless the reply names the back or its pain it is the
    symptom's. "No, and it's been going 6 months now" still corrects the pain's duration.
    """
    text = str(tracker.latest_message.get("text") or "")
    spans = [
        text[int(entity["start"]) : int(entity["end"])].lower()
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == PAIN_DURATION and entity.get("start") is not None and entity.get("end") is not None
    ]
    if not any(span.split()[:1] in (["this"], ["these"]) for span in spans):
        return []
    return _durations_of_the_asked_symptom(tracker)


def _durations_of_the_asked_symptom(tracker: Tracker) -> List[EventType]:
    """Keep the pain's duration when the reply to a safety question gives the symptom's.

    A reply to a direct question is about the symptom asked: "no, it's been the same
    for years", to whether a leak is new, tells how long the leak has lasted. Unless the
    reply names the back or its pain, the duration it gives is not the pain's.
    """
    text = _reply_text(tracker)
    if PAIN_DURATION not in volunteered_facts(tracker) or mentions_the_back(text):
        return []
    if _THE_PAIN & {word.strip(".,!?;:").lower() for word in text.split()}:
        return []
    return [SlotSet(PAIN_DURATION, slot_before_latest_message(tracker, PAIN_DURATION))]


class ValidateAssessmentForm(FormValidationAction):
    """Validates ``assessment_form``: one question at a time, free text welcome, never three times."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "validate_assessment_form"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Read the latest message as an answer to the question just asked, first.

        Facts stated in the message are mapped to their slots by entities before this
        runs; here the reply to the requested slot is read and settled.
        """
        requested = tracker.get_slot("requested_slot")
        if requested not in ASSESSMENT_SLOTS or _intent(tracker)[0] == MESSAGE_TOO_LONG:
            # An over-long message was read for red flags only: answers taken from
            # part of it would move the form on without saying it was too long.
            return []
        if answered_safety_question(tracker):
            kept = _durations_of_the_asked_symptom(tracker)
            if requested == RED_FLAG_SCREEN:
                # The screen's "which one?" follow-up: the policy has read the reply.
                return kept
            # The reply that prompted the safety question may still answer this one.
            return kept + self._answer_before_safety_question(requested, tracker, dispatcher)
        # The reply to the screen is still read as the screen's answer.
        kept = _spans_of_the_screened_symptoms(tracker) if requested == RED_FLAG_SCREEN else []
        return kept + self._read_reply(requested, tracker, dispatcher)

    def _read_reply(self, requested: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> List[EventType]:
        """Read the latest message as the reply to ``requested``, beside any facts stated in it."""
        reading = _reading(requested, tracker)
        if volunteered_facts(tracker) and _asked_after_greeting(tracker):
            # "Hi" went straight on to the first question, and the next message tells
            # the person's story ("flat feet for years, back sore since last week"):
            # an opening whose facts fill their own slots, not a reply to the question,
            # unless it opens with the answer ("about 4 months, and it's a 6 out of 10")
            # and states no other answer to the question anywhere.
            if requested in volunteered_facts(tracker):
                return []
            value = answer_leading_the_message(requested, _reply_text(tracker))
            return [SlotSet(requested, value)] if value is not None else []
        if requested in volunteered_facts(tracker):
            # A fact found in the reply fills the slot; the reply read as the answer to
            # the question decides when it names another value ("bit of both, school
            # runs and a desk job" is mixed, not the desk job's sitting).
            return [SlotSet(requested, reading)] if reading is not None and reading is not NOT_SURE else []
        if reading is None and (_is_something_else(tracker) or volunteered_facts(tracker)):
            # A question mid-way, or another fact or a correction: answered or noted,
            # and the question is asked again; it was not an unreadable answer.
            return []
        return self._settle(requested, reading, tracker, dispatcher)

    def _settle(
        self, requested: str, reading: Any, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> List[EventType]:
        """Settle the reply to ``requested`` (help, a second try, "not sure") and count the attempt."""
        attempts_by_slot = dict(tracker.get_slot(QUESTION_ATTEMPTS) or {})
        in_words = requested == PAIN_SEVERITY and scored_in_words(_reply_text(tracker))
        attempts = Attempts.from_value(attempts_by_slot.get(requested))
        settlement = settle(requested, reading, attempts, not_sure=NOT_SURE, in_words=in_words)
        attempts_by_slot[requested] = settlement.attempts.as_dict()
        events: List[EventType] = [SlotSet(QUESTION_ATTEMPTS, attempts_by_slot)]
        self._say(settlement.say, requested, settlement.value, dispatcher)
        if settlement.say is Say.WHICH_RED_FLAG:
            events.append(SlotSet(RED_FLAG_QUESTION, list(SCREEN_SIGNS)))
        events.append(SlotSet(requested, settlement.value))
        return events

    def _answer_before_safety_question(
        self, requested: str, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> List[EventType]:
        text = message_before_safety_question(tracker)
        value = read_answer(requested, text) if text and not text.startswith("/") else None
        if value is None:
            return []
        if value == NOT_SURE:
            # "Did the test, still can't tell" prompted the safety question by a word in
            # it; it is still this question's "not sure", counted so that the question
            # is not asked a third time.
            return self._settle(requested, value, tracker, dispatcher)
        return [SlotSet(requested, value)]

    @staticmethod
    def _say(say: Optional[Say], slot: str, value: Any, dispatcher: CollectingDispatcher) -> None:
        # "Which one?" is asked by action_ask_red_flag_screen, as the form's next question.
        if say is Say.ARCH_SELF_CHECK:
            dispatcher.utter_message(text=ARCH_SELF_CHECK)
        elif say is Say.NOTED_NOT_SURE:
            dispatcher.utter_message(response="utter_noted_not_sure", noted=describe_not_sure(slot, value))
        elif say is Say.NOT_UNDERSTOOD and slot == RED_FLAG_SCREEN:
            # The screen is asked once more, with how to answer it: a second reply that
            # cannot be read is taken as "not sure", which escalates.
            dispatcher.utter_message(response="utter_screen_not_understood")
        elif say is Say.NOT_UNDERSTOOD:
            dispatcher.utter_message(response="utter_answer_not_understood")
        elif say is Say.ROUGH_GUESS:
            dispatcher.utter_message(response="utter_rough_guess")
        elif say is Say.SCORE_AS_NUMBER:
            dispatcher.utter_message(text=SCORE_AS_NUMBER)

    # --- validation: normalise values ---------------------------------------------------
    #
    # rasa_sdk returns only the form's own slots from extraction; the bookkeeping slots
    # set while settling the question are already on the tracker it passes here, and
    # are returned with the validated value so that they are kept.

    @staticmethod
    def _validated(slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        result: Dict[Text, Any] = {slot: value}
        if slot == tracker.get_slot("requested_slot"):
            for bookkeeping in (QUESTION_ATTEMPTS, RED_FLAG_QUESTION):
                result[bookkeeping] = tracker.get_slot(bookkeeping)
        return result

    def _category(self, slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        value = str(value).strip().lower() if value is not None else None
        return self._validated(slot, value if value in CATEGORICAL_VALUES[slot] else None, tracker)

    async def validate_pain_severity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept a whole number from 0 to 10."""
        try:
            number: Optional[int] = round(float(value))
        except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite number from a payload
            number = None
        valid = number is not None and SEVERITY_MIN <= number <= SEVERITY_MAX
        return self._validated(PAIN_SEVERITY, number if valid else None, tracker)

    async def validate_pain_duration(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept acute, subacute or chronic."""
        return self._category("pain_duration", value, tracker)

    async def validate_red_flag_screen(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept clear or positive."""
        return self._category(RED_FLAG_SCREEN, value, tracker)

    async def validate_daily_load(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept standing, walking, sitting or mixed."""
        return self._category("daily_load", value, tracker)

    async def validate_foot_arch(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept flat, high, normal or unknown."""
        return self._category("foot_arch", value, tracker)

    async def validate_shoe_wear(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept inner, outer, even or unknown."""
        return self._category("shoe_wear", value, tracker)

    async def validate_leg_length_difference(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept yes, no or unknown."""
        return self._category("leg_length_difference", value, tracker)

    async def validate_gait_diagnosis(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept yes or no."""
        return self._category("gait_diagnosis", value, tracker)

    async def validate_insole_history(self, value: Any, _d: Any, tracker: Tracker, _m: Any) -> Dict[Text, Any]:
        """Accept none, helped, no_change or worse."""
        return self._category("insole_history", value, tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Validate, then record routine red flags and acknowledge volunteered facts."""
        events = await super().run(dispatcher, tracker, domain)
        events += _routine_flag_events(tracker, events)
        _acknowledge_volunteered_facts(dispatcher, tracker, events)
        return events


class AskRedFlagScreen(Action):
    """Ask the red-flag screen, or, after a "yes" that did not say which, which symptom it is."""

    def name(self) -> Text:
        """The action's name in the domain (the form asks ``red_flag_screen`` through it)."""
        return "action_ask_red_flag_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Utter the screen, or the one direct "which one?" question when it is pending."""
        pending = tracker.get_slot(RED_FLAG_QUESTION)
        dispatcher.utter_message(response="utter_ask_which_red_flag" if pending else "utter_ask_red_flag_screen")
        return []


#: Intents that each lead into the assessment outside it: asking for it, or telling about one's back.
ASSESSMENT_STARTERS = frozenset({"start_assessment", "inform"})
#: The general question whose answer goes on to the person's own case.
_DO_INSOLES_HELP = "ask_insoles_help"


def leads_into_the_assessment(ranking: List[Dict[str, Any]], entities: List[Dict[str, Any]], text: str = "") -> bool:
    """Whether a message the classifier was unsure of still clearly tells about the person's own back pain.

    It is unsure when two intents score alike; when both of the likeliest lead into the
    assessment ("my back's been sore for weeks, I walk all day" is both a request and
    a fact), or the likeliest does and the message states an assessment fact, either
    reading starts it. A message that states a fact of the person's own and names
    their back ("window cleaner, on ladders all day. back") starts it whatever the
    classifier guessed: a note about one's job and back asks for nothing else. So does
    a message that says the back hurts and asks nothing ("bad back, help me out"), or
    one the likeliest reading of which leads in, whatever else it asks. Whether insoles
    help goes on to the person's own case anyway, so "lower back pain here, do insoles
    help?", torn between that question and a request, tells of their pain and starts it.
    """
    names = [str(item.get("name")) for item in ranking if item.get("name") != NLU_FALLBACK]
    facts = any(entity.get("entity") in ASSESSMENT_SLOTS for entity in entities)
    if (facts and mentions_the_back(text)) or tells_of_back_pain(text):
        return True
    if asks_to_talk_about_insoles(text):
        return True  # "hello, could I ask about orthotics?": come for the check, whatever the classifier guessed
    if not names:
        return False
    if names[0] not in ASSESSMENT_STARTERS:
        torn = names[0] == _DO_INSOLES_HELP and len(names) > 1 and names[1] in ASSESSMENT_STARTERS
        return torn and tells_of_back_pain(text, asking=True)
    return facts or (len(names) > 1 and names[1] in ASSESSMENT_STARTERS) or tells_of_back_pain(text, asking=True)


class ActionReadUnclearMessage(Action):
    """Outside the assessment, a message the classifier was unsure of: the check of one's own case, or "say that again"."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_read_unclear_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Start the assessment, or rework a result, when the message tells about the back; else ask to rephrase."""
        message = tracker.latest_message
        after_emergency = tracker.get_slot(TRIAGE_LEVEL) == TriageLevel.EMERGENCY.value
        entities = message.get("entities") or []
        # After a result, a message that states an answer anew corrects it, back named or
        # not ("it started when I began at the bakery, six months ago"): the result is reworked.
        corrects_a_result = tracker.get_slot(RESULT_ANSWERS) is not None and any(
            entity.get("entity") in ASSESSMENT_SLOTS for entity in entities
        )
        text = str(message.get("text") or "")
        if is_greeting_emoji(text):
            # A waved hand has no words for the classifier, but greets as "hi" does.
            return [FollowupAction(GREETING)]
        # After an emergency the assessment does not resume (spec section 1).
        if after_emergency or not (
            corrects_a_result or leads_into_the_assessment(message.get("intent_ranking") or [], entities, text)
        ):
            dispatcher.utter_message(response="utter_please_rephrase")
            return []
        if tracker.get_slot(RESULT_ANSWERS) is None and tracker.get_slot(TRIAGE_LEVEL) is None:
            dispatcher.utter_message(response="utter_start_assessment")
        # After a result the form finds every answer in and the result is worked out again.
        return [FollowupAction(ASSESSMENT_FORM)]


class ActionReadEmergencyMessage(Action):
    """Outside the assessment, a message classified as an emergency that the safety policy let through.

    The red-flag detector reads every message first and escalates, or asks, by itself;
    when it found nothing that counts, the classifier's guess rests on words such as
    "had enough" or "can't". The emergency signs are named all the same, and a message
    that tells of the person's own back ("I sit in a cab all day and my back's had
    enough") goes on into the assessment, as any other message about their back does.
    """

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_read_emergency_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Name the emergency signs, then start the assessment when the message is about the person's back."""
        dispatcher.utter_message(response="utter_emergency_signs")
        message = tracker.latest_message
        text = str(message.get("text") or "")
        facts = any(entity.get("entity") in ASSESSMENT_SLOTS for entity in message.get("entities") or [])
        about_their_back = (facts and mentions_the_back(text)) or tells_of_back_pain(text, asking=True)
        # After an emergency the assessment does not resume (spec section 1).
        if not about_their_back or tracker.get_slot(TRIAGE_LEVEL) == TriageLevel.EMERGENCY.value:
            return []
        if tracker.get_slot(RESULT_ANSWERS) is None and tracker.get_slot(TRIAGE_LEVEL) is None:
            dispatcher.utter_message(response="utter_start_assessment")
        return [FollowupAction(ASSESSMENT_FORM)]


class ActionStartOver(Action):
    """Begin the assessment again at its first question, saying truthfully what was kept."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Clear the answers, the result and the triage of this session; keep the record."""
        dispatcher.utter_message(response="utter_start_over")
        cleared = [*ASSESSMENT_SLOTS, TRIAGE_LEVEL, RECOMMENDATION, RED_FLAGS, RED_FLAG_QUESTION]
        cleared += [RED_FLAGS_CLEARED, RED_FLAGS_GUESSED]
        return [
            *(SlotSet(slot, None) for slot in cleared),
            SlotSet(QUESTION_ATTEMPTS, None),
            SlotSet(RESULT_ANSWERS, None),
            SlotSet("requested_slot", None),
        ]


def _red_flags_in_latest_message(tracker: Tracker) -> List[str]:
    return [
        str(entity.get("value"))
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == RED_FLAG_ENTITY
    ]


def _routine_flag_events(tracker: Tracker, events: List[EventType]) -> List[EventType]:
    """Add routine flags of this message (e.g. insoles did not help) to ``red_flags``.

    An insole trial answered as no better or worse is that flag too.

    Emergency and urgent flags are recorded by the safety policy before the form runs.
    An insole trial answered in this message as having helped, or as never tried,
    decides over a "no improvement with insoles" flag, this message's or an earlier
    one's: the answer reads the trial itself ("the insoles did help, it was the
    stretches that did nothing"), and a correction replaces what was said before.
    """
    known = list(tracker.get_slot(RED_FLAGS) or [])
    routine = [
        flag
        for flag in _red_flags_in_latest_message(tracker)
        if flag in RED_FLAG_CATALOGUE and RED_FLAG_CATALOGUE[flag].level is TriageLevel.ROUTINE and flag not in known
    ]
    flags = known + routine
    trial = [e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == INSOLE_HISTORY]
    if trial and trial[-1] in _INSOLES_NOT_FAILED:
        flags = [flag for flag in flags if flag != NO_IMPROVEMENT_WITH_INSOLES]
    elif trial and trial[-1] in _INSOLES_FAILED and NO_IMPROVEMENT_WITH_INSOLES not in flags:
        # A trial that did not help is the flag itself, whether or not the detector saw it.
        flags.append(NO_IMPROVEMENT_WITH_INSOLES)
    return [SlotSet(RED_FLAGS, flags)] if flags != known else []


def _acknowledge_volunteered_facts(dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType]) -> None:
    """Say which facts were taken from the message besides the answer asked for.

    People should see that "flat feet" in a longer message was understood, and that a
    correction ("actually my arches are high") replaced the old answer.
    """
    if tracker.get_slot(RESULT_ANSWERS):
        # After a result, the recomputed result says what changed.
        return
    requested = tracker.get_slot("requested_slot")
    volunteered = volunteered_facts(tracker)
    noted = [
        describe_answer(event["name"], event["value"])
        for event in events
        if event.get("event") == "slot"
        and event.get("name") in ASSESSMENT_SLOTS
        and event.get("name") != requested
        and event.get("value") is not None
        and event["name"] in volunteered
        and event["value"] != slot_before_latest_message(tracker, event["name"])
    ]
    if noted:
        dispatcher.utter_message(text="Noted: " + "; ".join(noted) + ".")
