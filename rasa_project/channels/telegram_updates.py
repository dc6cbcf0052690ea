"""Read Telegram updates: what to forward to the assistant, what to answer directly.

An update is the JSON object Telegram posts to the webhook
(https://core.telegram.org/bots/api#update). Reading it is a pure function of that
JSON, so every decision here (which chats we talk in, what happens to photos or
edits) is testable without a network.

Decisions, and why:

- Only private chats are served. Back-pain symptoms (bladder control, numbness in
  the groin) are health data; discussing them in a group exposes them to everyone
  there. In a group the bot answers, only when addressed, with a polite pointer to a
  private chat, and forwards nothing to the assistant.
- Photos, stickers, voice notes, locations, documents and other non-text messages
  are not forwarded as empty text: the person is told the bot only reads text, and
  reminded of the emergency symptoms, since a voice note could have described one.
  A caption on such a message is text, so it is forwarded (with the notice).
- Edited messages are treated as new messages, with a short notice. Ignoring them
  would be tidier, but someone who edits "no bladder problems" into "I can't control
  my bladder" must get the emergency answer; a missed emergency is worse than an
  answer repeated.
- ``/start`` (sent by Telegram when a person first opens the bot) becomes a greeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Union

#: Telegram commands mapped to what the assistant receives instead.
COMMAND_ALIASES: Mapping[str, str] = {
    "/start": "/greet",
    "/help": "/greet",
}

NON_TEXT_NOTICE = (
    "Sorry, I can only read text messages, so I could not see or hear what you sent. "
    "Please type it in words.\n\n"
    "If you have new problems controlling your bladder or bowels, numbness between "
    "your legs, or weakness in both legs, call {emergency_number} now."
)
EDITED_NOTICE = "You edited a message, so I have read it again as a new message."
GROUP_NOTICE = (
    "For your privacy I only talk about health in a private chat, not in groups. Please message me directly{handle}."
)

_COMMAND_WITH_BOT_NAME = re.compile(r"^(/[A-Za-z0-9_]+)@[A-Za-z0-9_]+")


@dataclass(frozen=True)
class ForwardText:
    """Send ``text`` to the assistant as the person's message in chat ``chat_id``.

    ``notice`` is said to the person as well (after any emergency reply), and
    ``callback_query_id`` is set when the text came from a keyboard button, whose
    spinner Telegram keeps turning until it is answered.
    """

    chat_id: str
    text: str
    notice: Optional[str] = None
    callback_query_id: Optional[str] = None


@dataclass(frozen=True)
class ReplyOnly:
    """Answer ``text`` in chat ``chat_id`` without involving the assistant."""

    chat_id: str
    text: str


@dataclass(frozen=True)
class Ignore:
    """Nothing to do; ``reason`` says why, for the debug log."""

    reason: str


UpdateAction = Union[ForwardText, ReplyOnly, Ignore]


def read_update(
    update: Mapping[str, Any],
    *,
    emergency_number: str,
    bot_username: Optional[str] = None,
) -> UpdateAction:
    """Decide what to do with one Telegram update.

    Args:
        update: the update JSON as Telegram posts it.
        emergency_number: the emergency number to name in the non-text notice.
        bot_username: the bot's username without ``@``, to recognise when it is
            addressed in a group; without it only commands count as addressing it.

    Returns:
        The action to take. Unknown or malformed updates are ignored, never raised:
        Telegram would only send them again.
    """
    if isinstance(update.get("callback_query"), Mapping):
        return _read_callback_query(update["callback_query"], bot_username)
    for key, edited in (("message", False), ("edited_message", True)):
        message = update.get(key)
        if isinstance(message, Mapping):
            return _read_message(message, bot_username, emergency_number, edited=edited)
    known = [key for key in update if key != "update_id"]
    return Ignore(f"update without a message ({', '.join(map(str, known)) or 'empty'})")


def update_shape_error(update: Mapping[str, Any]) -> Optional[str]:
    """Return what is wrong with the types of an update's fields, or ``None`` if nothing is.

    Only the fields this channel reads are checked, and only their types: an update
    of a kind the channel does not handle is fine (it is acknowledged and ignored),
    but a ``message`` that is not an object, a ``text`` that is a number or a list,
    or a chat without a usable id cannot come from Telegram and is refused.
    """
    update_id = update.get("update_id")
    if update_id is not None and (isinstance(update_id, bool) or not isinstance(update_id, int)):
        return "update_id must be a whole number"
    for key in ("message", "edited_message"):
        if key in update:
            error = _message_shape_error(update[key], key)
            if error is not None:
                return error
    if "callback_query" in update:
        query = update["callback_query"]
        if not isinstance(query, Mapping):
            return "callback_query must be an object"
        if "data" in query and not isinstance(query["data"], str):
            return "callback_query.data must be a string"
        if "message" in query:
            return _message_shape_error(query["message"], "callback_query.message")
    return None


def _message_shape_error(message: Any, where: str) -> Optional[str]:
    if not isinstance(message, Mapping):
        return f"{where} must be an object"
    if _chat_id(message.get("chat")) is None:
        return f"{where}.chat must be an object with a numeric id"
    for field in ("text", "caption"):
        if field in message and not isinstance(message[field], str):
            return f"{where}.{field} must be a string"
    return None


def normalise_command(text: str) -> str:
    """Strip a ``@botname`` suffix from a command and apply :data:`COMMAND_ALIASES`.

    An aliased command drops its arguments (``/start campaign42`` from a deep link is
    a greeting); other text is returned stripped of outer spaces.
    """
    stripped = text.strip()
    match = _COMMAND_WITH_BOT_NAME.match(stripped)
    if match:
        stripped = match.group(1) + stripped[match.end() :]
    command = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    return COMMAND_ALIASES.get(command, stripped)


def _read_message(
    message: Mapping[str, Any],
    bot_username: Optional[str],
    emergency_number: str,
    *,
    edited: bool,
) -> UpdateAction:
    chat = message.get("chat")
    chat_id = _chat_id(chat)
    if chat_id is None or not isinstance(chat, Mapping):
        return Ignore("message without a usable chat id")
    text = _text_of(message)
    if chat.get("type") != "private":
        if _is_addressed(message, text, bot_username):
            handle = f": @{bot_username}" if bot_username else ""
            return ReplyOnly(chat_id, GROUP_NOTICE.format(handle=handle))
        return Ignore(f"{chat.get('type')} chat, bot not addressed")
    caption = message.get("caption")
    non_text_notice = NON_TEXT_NOTICE.format(emergency_number=emergency_number)
    if text is not None:
        return ForwardText(chat_id, normalise_command(text), EDITED_NOTICE if edited else None)
    if isinstance(caption, str) and caption.strip():
        return ForwardText(chat_id, caption.strip(), non_text_notice)
    return ReplyOnly(chat_id, non_text_notice)


def _read_callback_query(query: Mapping[str, Any], bot_username: Optional[str]) -> UpdateAction:
    message = query.get("message")
    data = query.get("data")
    chat = message.get("chat") if isinstance(message, Mapping) else None
    chat_id = _chat_id(chat)
    if chat_id is None or not isinstance(chat, Mapping):
        return Ignore("button press without a chat")
    if chat.get("type") != "private":
        handle = f": @{bot_username}" if bot_username else ""
        return ReplyOnly(chat_id, GROUP_NOTICE.format(handle=handle))
    query_id = query.get("id")
    query_id = str(query_id) if query_id is not None else None
    if not isinstance(data, str) or not data.strip():
        return Ignore("button press without data")
    return ForwardText(chat_id, data, callback_query_id=query_id)


def _chat_id(chat: Any) -> Optional[str]:
    if not isinstance(chat, Mapping):
        return None
    chat_id = chat.get("id")
    # bool is an int subclass; a JSON true is not a chat id.
    if isinstance(chat_id, bool) or not isinstance(chat_id, (int, str)) or str(chat_id) == "":
        return None
    return str(chat_id)


def _text_of(message: Mapping[str, Any]) -> Optional[str]:
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        return text
    return None


def _is_addressed(message: Mapping[str, Any], text: Optional[str], bot_username: Optional[str]) -> bool:
    if text is not None and text.lstrip().startswith("/"):
        return True
    if not bot_username:
        return False
    username = bot_username.lower()
    if text is not None and f"@{username}" in text.lower():
        return True
    replied_to = message.get("reply_to_message")
    author = replied_to.get("from") if isinstance(replied_to, Mapping) else None
    return isinstance(author, Mapping) and str(author.get("username", "")).lower() == username
