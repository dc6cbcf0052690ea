"""Response generation: the domain's responses, filled with safety information.

Registered in ``endpoints.yml`` as the ``nlg`` endpoint. It runs inside the Rasa
server, so the emergency reply is complete even when the action server is down.

On top of Rasa's templated responses it provides:

- ``{emergency_number}``: the local emergency number, configured with the
  ``ASSISTANT_EMERGENCY_NUMBER`` environment variable (a clinic outside the US, UK
  and EU sets its own).
- ``{red_flag_meanings}``: what the person's red-flag symptoms may mean, from the
  red-flag catalogue, most serious first.
- Typed values in ``custom`` payloads: a payload value written as exactly
  ``"{slot_name}"`` is replaced by the slot's value itself (a list stays a list),
  so channels read ``{"red_flags": ["saddle_anaesthesia"]}`` rather than a string.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_project.clinical.contract import (
    PREGNANT,
    RED_FLAG_CATALOGUE,
    RED_FLAG_QUESTION,
    RED_FLAGS,
    TRIAGE_LEVEL,
    TriageLevel,
)
from rasa_project.clinical.explanation import MATERNITY_LINE, emergency_number, with_emergency_reminder

#: Responses that say what to do in an emergency themselves: no reminder is added.
CARRY_THEIR_OWN_REMINDER = frozenset({"utter_emergency", "utter_emergency_reminder"})
_WHOLE_PLACEHOLDER = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)\}$")


def red_flag_meanings(flags: Sequence[str], *, minimum: TriageLevel = TriageLevel.URGENT) -> str:
    """Explain what the given red flags may mean, most serious first.

    Args:
        flags: red-flag ids; unknown ids are ignored.
        minimum: leave out flags below this level (routine flags need no escalation text).
    """
    known = [RED_FLAG_CATALOGUE[flag] for flag in dict.fromkeys(flags) if flag in RED_FLAG_CATALOGUE]
    serious = [flag for flag in known if flag.level.rank >= minimum.rank]
    serious.sort(key=lambda flag: -flag.level.rank)
    return "\n\n".join(flag.meaning for flag in serious)


def direct_question(flags: Sequence[str]) -> str:
    """The direct question about ``flags``: one question, or one line per flag."""
    questions = [RED_FLAG_CATALOGUE[flag].question for flag in dict.fromkeys(flags) if flag in RED_FLAG_CATALOGUE]
    if len(questions) <= 1:
        return questions[0] if questions else "Do you have any of the warning signs of a serious problem right now?"
    return "Right now:\n" + "\n".join(f"- {question}" for question in questions)


def fill_typed_placeholders(template: Any, interpolated: Any, values: Dict[str, Any]) -> Any:
    """Give a payload's whole-placeholder strings their values' own types.

    ``template`` is a payload as written in the domain, ``interpolated`` the same
    payload after Rasa's interpolation (which makes every value a string). A string
    of ``template`` that is exactly ``"{name}"``, with ``name`` in ``values``, becomes
    ``values[name]`` as it is (a list stays a list); everything else is taken from
    ``interpolated``.
    """
    if isinstance(template, dict) and isinstance(interpolated, dict):
        return {key: fill_typed_placeholders(template.get(key), value, values) for key, value in interpolated.items()}
    if isinstance(template, list) and isinstance(interpolated, list) and len(template) == len(interpolated):
        return [fill_typed_placeholders(t, i, values) for t, i in zip(template, interpolated, strict=True)]
    if isinstance(template, str):
        match = _WHOLE_PLACEHOLDER.match(template)
        if match and match.group(1) in values:
            return copy.deepcopy(values[match.group(1)])
    return interpolated


class SafetyAwareResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's templated responses plus the emergency number and red-flag meanings."""

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        domain: Optional[Domain] = None,
        responses: Optional[Dict[Text, List[Dict[Text, Any]]]] = None,
    ) -> None:
        """Create the generator from the domain's responses (or explicit ``responses``)."""
        if responses is None:
            responses = (domain or Domain.empty()).responses
        super().__init__(responses)

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        """Generate the response ``utter_action`` for this conversation."""
        flags = tracker.get_slot(RED_FLAGS) or []
        minimum = (
            TriageLevel.EMERGENCY
            if utter_action == "utter_emergency" and _has_emergency_flag(flags)
            else TriageLevel.URGENT
        )
        number = emergency_number()
        extra = {
            "emergency_number": number,
            "red_flag_meanings": red_flag_meanings(flags, minimum=minimum)
            or "These symptoms can be a sign of a serious problem that needs checking now.",
            "red_flag_question": direct_question(tracker.get_slot(RED_FLAG_QUESTION) or []),
            "maternity_line": f"\n\n{MATERNITY_LINE}" if tracker.get_slot(PREGNANT) else "",
        }
        slots = tracker.current_slot_values()
        response = self.generate_from_slots(utter_action, slots, output_channel, **{**extra, **kwargs})
        values = {**slots, **extra, **kwargs}
        if response is not None and "custom" in response:
            # Rasa's interpolation turns every value into a string; the contract's
            # payload carries slots as they are ("red_flags" is a list).
            response["custom"] = fill_typed_placeholders(
                self._custom_template(utter_action), response["custom"], values
            )
        if response is not None and utter_action not in CARRY_THEIR_OWN_REMINDER and response.get("text"):
            response["text"] = with_emergency_reminder(response["text"], tracker.get_slot(TRIAGE_LEVEL))
        return response

    def _custom_template(self, utter_action: Text) -> Any:
        """The ``custom`` payload of ``utter_action`` as written in the domain.

        Every response of the domain has at most one variant with a payload (a test of
        the domain checks it); with more, ``None`` keeps Rasa's interpolated payload.
        """
        templates = [variant["custom"] for variant in self.responses.get(utter_action, []) if "custom" in variant]
        return templates[0] if len(templates) == 1 else None


def _has_emergency_flag(flags: Sequence[str]) -> bool:
    return any(flag in RED_FLAG_CATALOGUE and RED_FLAG_CATALOGUE[flag].level is TriageLevel.EMERGENCY for flag in flags)
