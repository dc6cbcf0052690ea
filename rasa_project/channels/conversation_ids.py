"""Conversation ids, one namespace per channel.

A conversation's tracker is found by its sender id alone, and every channel used to
take that id from the client: a web chat client that sent a Telegram chat id (or a
REST sender id) as its session id read and wrote that person's conversation. So each
channel puts its own prefix on the id it hands to Rasa (``webchat:<session>``,
``rest:<sender>``, ``telegram:<chat id>``, ``callback:<sender>``): an id that arrives
through one channel can never name a conversation of another.

The prefix is added in the channels, the only code that knows where a message came
from; Rasa, the tracker store and the actions see the prefixed id as the
conversation id (it is what operators pass to ``python -m rasa_project erase``).
"""

from __future__ import annotations

import re
from typing import Optional

WEBCHAT = "webchat"
REST = "rest"
TELEGRAM = "telegram"
CALLBACK = "callback"
NAMESPACES = (WEBCHAT, REST, TELEGRAM, CALLBACK)

#: Longest id a client may choose (REST and callback senders).
MAX_CLIENT_ID_CHARS = 128
#: What a client-chosen id may contain: URL-safe characters that need no escaping in
#: the HTTP API's ``/conversations/<id>/...`` paths, and ``:`` and ``@`` for the
#: ids other platforms use (``user@example``, ``tenant:42``).
_CLIENT_ID = re.compile(r"[A-Za-z0-9._~:@+=-]+")
#: The rule above in words, for error messages.
CLIENT_ID_RULE = f"must be a string of 1-{MAX_CLIENT_ID_CHARS} characters from letters, digits and . _ ~ : @ + = -"


def conversation_id(namespace: str, local_id: str) -> str:
    """Return the conversation id of ``local_id`` in channel ``namespace``.

    Raises:
        ValueError: for a namespace that is not one of :data:`NAMESPACES`.
    """
    if namespace not in NAMESPACES:
        raise ValueError(f"unknown conversation namespace {namespace!r}")
    return f"{namespace}:{local_id}"


def local_id(namespace: str, conversation: str) -> str:
    """Return the id the channel's client knows, given a conversation id of ``namespace``.

    An id without the namespace's prefix is returned unchanged, so replies addressed
    to a plain id (a conversation stored before ids were namespaced) still arrive.
    """
    prefix = f"{namespace}:"
    return conversation[len(prefix) :] if conversation.startswith(prefix) else conversation


def valid_client_id(value: object) -> Optional[str]:
    """Return ``value`` if it is usable as a client-chosen id, else ``None``.

    Usable: a string of 1 to :data:`MAX_CLIENT_ID_CHARS` characters from letters,
    digits and ``. _ ~ : @ + = -``. Anything else (a number, an empty string, spaces,
    slashes, markup, control characters) is refused rather than repaired, so two
    different ids can never be repaired into the same conversation.
    """
    if isinstance(value, str) and len(value) <= MAX_CLIENT_ID_CHARS and _CLIENT_ID.fullmatch(value):
        return value
    return None
