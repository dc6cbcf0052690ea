"""Play a scripted dialogue against the assistant and judge the outcome.

A dialogue (see ``tests/conversation/blind/README.md``) gives the person's opening
messages, their reply to each assessment question (a list: the replies to the first and
second time it is asked), questions they ask along the way, corrections after the result
and the final state a clinician expects. The player answers whichever question the
assistant asks, reading the question from the tracker's ``requested_slot``, so the
dialogue does not fix the order of questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Sequence, Set

from rasa_project.clinical.contract import SCREEN_SIGNS

#: Replies to a direct safety question the dialogue did not foresee.
NO_TO_A_DIRECT_QUESTION = "no"
#: More turns than any dialogue needs: a conversation still going is a loop.
MAX_TURNS = 40

Send = Callable[[str], Sequence[Mapping[str, Any]]]
Slots = Callable[[], Mapping[str, Any]]


def _direct_question(asked_about: Any, requested: Any) -> bool:
    """Whether a direct safety question is pending that is not the screen's "which one?".

    "Which one?" after a "yes" to the red-flag screen asks about every screen sign and
    counts as the screen asked again; any other question (whether a long-standing leak
    is new, say) is one the dialogue did not foresee, even while the screen is open.
    """
    if not asked_about:
        return False
    return requested != "red_flag_screen" or set(asked_about) != set(SCREEN_SIGNS)


@dataclass
class DialogueOutcome:
    """What happened when a dialogue was played."""

    dialogue_id: str
    problems: List[str] = field(default_factory=list)
    #: Direct safety questions the dialogue did not foresee (answered "no").
    direct_questions: int = 0
    turns: int = 0

    @property
    def passed(self) -> bool:
        """Whether the dialogue ended as expected without a question asked too often."""
        return not self.problems


def _replies(value: Any) -> List[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, list) or isinstance(actual, list):
        return sorted(map(str, expected or [])) == sorted(map(str, actual or []))
    return str(expected) == str(actual)


def play_dialogue(dialogue: Mapping[str, Any], send: Send, slots: Slots) -> DialogueOutcome:
    """Play ``dialogue`` through ``send`` (one user message) and ``slots`` (the tracker's slots).

    Problems recorded: a question asked more often than the dialogue has replies for it
    (a loop, or a reply that was not understood), a question about something the
    opening already said, a conversation that does not end, and every expected slot
    value the final state does not have. Questions asked after a correction are
    answered too, and after a start over (every answered slot cleared) a question whose
    replies are used up is answered once more with its last reply.
    """
    outcome = DialogueOutcome(str(dialogue["id"]))
    answers: Dict[str, List[str]] = {slot: _replies(v) for slot, v in (dialogue.get("answers") or {}).items()}
    before: Dict[str, str] = {slot: str(v) for slot, v in (dialogue.get("before") or {}).items()}
    given = set(dialogue.get("given") or [])
    asked: Dict[str, int] = {}
    #: Slots answered before a start over: each may be answered once more with its last reply.
    may_repeat: Set[str] = set()

    def say(message: str) -> None:
        outcome.turns += 1
        send(message)

    def say_aside(message: str) -> None:
        """Send a message that is not an answer; after a start over, questions count afresh."""
        answered = {slot for slot, value in slots().items() if slot in answers and value is not None}
        say(message)
        state = slots()
        if answered and state.get("requested_slot") and not any(state.get(slot) is not None for slot in answered):
            may_repeat.update(answered)

    def answer_questions() -> None:
        while outcome.turns < MAX_TURNS:
            state = slots()
            requested = state.get("requested_slot")
            if _direct_question(state.get("red_flag_question"), requested):
                outcome.direct_questions += 1
                say(NO_TO_A_DIRECT_QUESTION)
                continue
            if not requested:
                return
            if requested in before:
                say_aside(before.pop(requested))
                continue
            if requested in given:
                outcome.problems.append(f"asked about {requested}, which the opening already said")
                given.discard(requested)
            replies = answers.get(requested, [])
            count = asked.get(requested, 0)
            if count >= len(replies) and requested in may_repeat and replies:
                # Asked again after a start over: the same answer again.
                may_repeat.discard(requested)
                asked[requested] = count + 1
                say(replies[-1])
                continue
            if count >= len(replies):
                outcome.problems.append(f"asked {requested} {count + 1} times with {len(replies)} replies for it")
                return
            asked[requested] = count + 1
            say(replies[count])
        outcome.problems.append(f"still asking after {MAX_TURNS} turns")

    for message in dialogue.get("opening") or []:
        say(str(message))
    answer_questions()
    for message in dialogue.get("after") or []:
        say_aside(str(message))
        # A correction may reopen the assessment (or "start over" restart it): the
        # person answers what is asked, as they would.
        answer_questions()
    final = slots()
    expect = dialogue.get("expect") or {}
    wanted = {key: expect[key] for key in ("triage_level", "recommendation") if key in expect}
    wanted.update(expect.get("slots") or {})
    for slot, value in wanted.items():
        if not _same(value, final.get(slot)):
            outcome.problems.append(f"{slot} is {final.get(slot)!r}, expected {value!r}")
    return outcome
