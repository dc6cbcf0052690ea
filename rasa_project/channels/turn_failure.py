"""What every channel says when the assistant fails to answer a message.

A turn can fail (a database that does not answer, a bug), or end without a word (an
action that failed on a malformed button payload): the person must still get an
answer rather than silence, and since the message could have described an
emergency, the answer names the emergency signs and the number to call. Whatever
the assistant said before failing (possibly the emergency reply itself) is sent
first.
"""

from __future__ import annotations

from rasa_project.clinical.explanation import emergency_number

TURN_FAILED_TEXT = (
    "Sorry, something went wrong on my side and I could not answer that message. "
    "Please send it again in a moment.\n\n"
    "If you have new problems controlling your bladder or bowels, numbness between "
    "your legs, or weakness in both legs, call {emergency_number} now."
)


def turn_failed_text() -> str:
    """Return the apology with the configured emergency number."""
    return TURN_FAILED_TEXT.format(emergency_number=emergency_number())
