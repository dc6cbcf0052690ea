"""How much a message may hold, and how every channel prepares a message's text.

One event loop serves every conversation, and reading a message costs time in
proportion to its length: a 1 MB message used to hold the loop for seconds while
everyone else waited, an emergency included. Three limits keep that bounded, the
same for every channel (environment variables, read at start-up):

=================================  =======  ==============================================
``ASSISTANT_MAX_MESSAGE_CHARS``    5,000    longest message the assistant reads as usual;
                                            a longer one is answered with a request for a
                                            shorter message
``ASSISTANT_MESSAGE_HARD_CAP_CHARS`` 20,000 how much of a longer message is still passed
                                            on, for the red-flag detector only, so an
                                            emergency written at the end is still answered
``ASSISTANT_MAX_REQUEST_BYTES``    102,400  largest request body a channel accepts (REST,
                                            callback, Telegram, a socket.io packet); a
                                            larger one is refused with 413 before it is
                                            parsed
=================================  =======  ==============================================

:func:`prepare_text` is what each channel does with a message's text before anything
else reads it: normalise it (:func:`rasa_project.understanding.hygiene.normalise_text`),
cut it at the hard cap, and mark an over-long message in the metadata under
:data:`METADATA_KEY`, which the NLU component
:mod:`rasa_project.nlu.message_length` reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from rasa_project.understanding.hygiene import normalise_text

MAX_MESSAGE_CHARS_ENV = "ASSISTANT_MAX_MESSAGE_CHARS"
HARD_CAP_CHARS_ENV = "ASSISTANT_MESSAGE_HARD_CAP_CHARS"
MAX_REQUEST_BYTES_ENV = "ASSISTANT_MAX_REQUEST_BYTES"
DEFAULT_MAX_MESSAGE_CHARS = 5_000
DEFAULT_HARD_CAP_CHARS = 20_000
DEFAULT_MAX_REQUEST_BYTES = 100 * 1024

#: Metadata key of an over-long message: ``{"over_long": true, "received_chars": n}``.
#: Set only by the channels; a value a client sends under this key is replaced.
METADATA_KEY = "message_length"


@dataclass(frozen=True)
class MessageLimits:
    """The limits every channel applies (see the module docstring)."""

    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    hard_cap_chars: int = DEFAULT_HARD_CAP_CHARS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> MessageLimits:
        """Read the limits from the environment; unset variables keep their defaults.

        Raises:
            ValueError: for a value that is not a positive whole number, or a hard cap
                below the maximum message length.
        """
        environ = os.environ if environ is None else environ
        limits = cls(
            max_message_chars=_positive_int(environ, MAX_MESSAGE_CHARS_ENV, DEFAULT_MAX_MESSAGE_CHARS),
            hard_cap_chars=_positive_int(environ, HARD_CAP_CHARS_ENV, DEFAULT_HARD_CAP_CHARS),
            max_request_bytes=_positive_int(environ, MAX_REQUEST_BYTES_ENV, DEFAULT_MAX_REQUEST_BYTES),
        )
        if limits.hard_cap_chars < limits.max_message_chars:
            raise ValueError(f"{HARD_CAP_CHARS_ENV} must not be below {MAX_MESSAGE_CHARS_ENV}.")
        return limits


@dataclass(frozen=True)
class PreparedText:
    """A message's text as the assistant receives it.

    ``text`` is normalised and at most the hard cap long; ``received_chars`` is its
    length before the cut; ``over_long`` says it exceeds the maximum message length.
    """

    text: str
    received_chars: int
    over_long: bool

    def metadata(self, client_metadata: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Return the message metadata: the client's, with this channel's length mark.

        The mark is present only on an over-long message, and a client's own value
        under :data:`METADATA_KEY` is never passed on.
        """
        metadata = {key: value for key, value in (client_metadata or {}).items() if key != METADATA_KEY}
        if self.over_long:
            metadata[METADATA_KEY] = {"over_long": True, "received_chars": self.received_chars}
        return metadata


def prepare_text(raw: str, limits: MessageLimits) -> PreparedText:
    """Normalise ``raw``, cut it at the hard cap and say whether it is over long.

    The whole received text is normalised (the request-size limit bounds it), so a
    run of control characters cannot push an emergency past the cut.
    """
    text = normalise_text(raw)
    return PreparedText(
        text=text[: limits.hard_cap_chars],
        received_chars=len(text),
        over_long=len(text) > limits.max_message_chars,
    )


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = (environ.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}.")
    return int(value)
