"""How the Rasa server checks the action server's replies: with a validator compiled once.

Rasa 3.6 validates every reply of the action server against a fixed JSON schema
with ``jsonschema.validate``, which first checks the schema itself against the
JSON-Schema meta-schema. That check alone costs about 4.6 ms per action call on a
2-core machine, more than validating the reply, and a turn in the assessment form
makes at least one such call. The schema is a constant, so :func:`install` gives
``RemoteAction`` a validator built and checked once: the same checks, and the same
``ValidationError`` with Rasa's own message on an invalid reply.

Validating a reply is itself costly: each event must match exactly one of the
schema's 23 ``oneOf`` branches, so every event is tried against all of them. Each
branch is keyed by a different constant ``event`` name, so an event can only ever
match the branch of its own name: a valid reply is confirmed by checking each event
against that one branch (about a tenth of the time), and anything else goes through
the full validator, which picks the error Rasa would report.

:func:`rasa_project.rasa_overrides.install` installs it when the project's command
line starts the Rasa server.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, Dict, Mapping, Optional, Text, Tuple

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_rasa_validate_action_result = RemoteAction._validate_action_result


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """Return the validator of Rasa's action-server reply schema, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def validators_by_event_name() -> Optional[Tuple[Any, Mapping[str, Any]]]:
    """The reply schema without its per-event ``oneOf``, and a validator per event name.

    ``None`` when a branch of the schema is not keyed by a constant event name that no
    other branch has: then every reply goes through the full validator.
    """
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    items = schema["properties"]["events"]["items"]
    branches = items.pop("oneOf")
    validator_class = validator_for(schema)
    by_name = {}
    for branch in branches:
        name = branch.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in by_name:
            return None
        by_name[name] = validator_class(branch)
    return validator_class(schema), by_name


def valid_by_event_name(result: Any) -> bool:
    """Whether ``result`` is certainly valid, checking each event against its own branch only.

    ``False`` means "not confirmed": the full validator decides.
    """
    validators = validators_by_event_name()
    if validators is None:
        return False
    envelope, by_name = validators
    if not envelope.is_valid(result):
        return False
    for event in result.get("events") or ():
        branch = by_name.get(event["event"])
        if branch is None or not branch.is_valid(event):
            return False
    return True


def validate_action_result(action: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Check an action server's reply as Rasa does, without re-checking the schema.

    Returns:
        ``True`` for a valid reply.

    Raises:
        jsonschema.ValidationError: the most relevant error (as ``jsonschema.validate``
            picks it), with Rasa's pointer to the custom-actions documentation.
    """
    if valid_by_event_name(result):
        return True
    error = best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Make every ``RemoteAction`` of this process validate replies with :func:`validate_action_result`.

    Idempotent.
    """
    RemoteAction._validate_action_result = validate_action_result


def uninstall() -> None:
    """Restore Rasa's own reply validation."""
    RemoteAction._validate_action_result = _rasa_validate_action_result
