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

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, RED_FLAGS, TriageLevel
from rasa_project.clinical.explanation import emergency_number

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


def fill_typed_placeholders(payload: Any, values: Dict[str, Any]) -> Any:
    """Replace every string that is exactly ``"{name}"`` with ``values[name]``.

    Strings with other text around a placeholder, and unknown names, are left for
    Rasa's own interpolation.
    """
    if isinstance(payload, dict):
        return {key: fill_typed_placeholders(value, values) for key, value in payload.items()}
    if isinstance(payload, list):
        return [fill_typed_placeholders(item, values) for item in payload]
    if isinstance(payload, str):
        match = _WHOLE_PLACEHOLDER.match(payload)
        if match and match.group(1) in values:
            return copy.deepcopy(values[match.group(1)])
    return payload


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
        extra = {
            "emergency_number": emergency_number(),
            "red_flag_meanings": red_flag_meanings(flags, minimum=minimum)
            or "These symptoms can be a sign of a serious problem that needs checking now.",
        }
        return self.generate_from_slots(
            utter_action, tracker.current_slot_values(), output_channel, **{**extra, **kwargs}
        )

    def _fill_response(
        self,
        response: Dict[Text, Any],
        filled_slots: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> Dict[Text, Any]:
        values = {**(filled_slots or {}), **kwargs}
        if "custom" in response:
            response["custom"] = fill_typed_placeholders(response["custom"], values)
        return super()._fill_response(response, filled_slots, **kwargs)


def _has_emergency_flag(flags: Sequence[str]) -> bool:
    return any(flag in RED_FLAG_CATALOGUE and RED_FLAG_CATALOGUE[flag].level is TriageLevel.EMERGENCY for flag in flags)
