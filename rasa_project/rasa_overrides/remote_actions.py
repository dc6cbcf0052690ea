"""How the Rasa server checks the action server's replies: with a validator compiled once.

Rasa 3.6 validates every reply of the action server against a fixed JSON schema
with ``jsonschema.validate``, which first checks the schema itself against the
JSON-Schema meta-schema. That check alone costs about 4.6 ms per action call on a
2-core machine, more than validating the reply, and a turn in the assessment form
makes at least one such call. The schema is a constant, so :func:`install` gives
``RemoteAction`` a validator built and checked once: the same checks, and the same
``ValidationError`` with Rasa's own message on an invalid reply.

:func:`rasa_project.rasa_overrides.install` installs it when the project's command
line starts the Rasa server.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

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


def validate_action_result(action: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Check an action server's reply as Rasa does, without re-checking the schema.

    Returns:
        ``True`` for a valid reply.

    Raises:
        jsonschema.ValidationError: the most relevant error (as ``jsonschema.validate``
            picks it), with Rasa's pointer to the custom-actions documentation.
    """
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
