"""Rasa's own REST channel code under another name, for the log tests only.

The project replaces Rasa's REST channel, but Rasa's failure handler (which writes
the whole user message into an ERROR record when a turn fails) must still be kept
out of the logs by the log filter. Mounted at ``/webhooks/rasa_rest/webhook`` in the
security suite's server, it lets a test make that handler run.
"""

from __future__ import annotations

from typing import Text

from rasa.core.channels.rest import RestInput


class RasaRestInput(RestInput):
    """Rasa's ``RestInput`` unchanged, named ``rasa_rest``."""

    @classmethod
    def name(cls) -> Text:
        return "rasa_rest"
