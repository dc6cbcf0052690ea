"""Turn the assistant's responses for one turn into the Telegram messages to send.

The assistant answers an emergency with a text and, in the same response, a custom
payload ``{"triage_level": "emergency", "red_flags": [...], "emergency_number": ...}``.
On Telegram that reply is sent first, whatever else the turn produced, as a message
of its own with its opening paragraph in bold, so it cannot be scrolled past or read
as part of an insole tip. The custom payloads that carry triage data are for
integrations, not people: they are never sent to the chat.

Planning is a pure function of the responses, so the order and formatting are
tested without Telegram.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from rasa_project.clinical.contract import TRIAGE_LEVEL, TriageLevel

#: Telegram rejects messages longer than 4096 characters; stay a little below, since
#: Telegram counts UTF-16 code units and HTML entities expand.
MAX_MESSAGE_CHARS = 4000
#: Telegram's limit for a button's ``callback_data``, in bytes.
MAX_CALLBACK_DATA_BYTES = 64
EMERGENCY_MARK = "🚨"
BUTTONS_WITHOUT_TEXT = "Please choose:"
EMERGENCY_WITHOUT_TEXT = (
    "🚨 This could be a medical emergency. Please call {emergency_number} "
    "or go to the nearest emergency department now."
)


@dataclass(frozen=True)
class KeyboardButton:
    """One inline keyboard button: what the person sees, what the bot receives."""

    title: str
    callback_data: str


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to send to a Telegram chat.

    ``kind`` is ``"text"`` (``text``, optional ``parse_mode`` and ``keyboard``),
    ``"photo"`` (``url``) or ``"custom"`` (``payload``, handed to Rasa's Telegram
    output, which maps keys like ``photo`` or ``sticker`` to Bot API methods).
    """

    kind: str
    text: str = ""
    parse_mode: Optional[str] = None
    keyboard: Tuple[KeyboardButton, ...] = ()
    url: str = ""
    payload: Dict[str, Any] = field(default_factory=dict)


def plan_replies(
    responses: Sequence[Mapping[str, Any]],
    *,
    notice: Optional[str] = None,
    emergency_number: str = "your local emergency number",
) -> List[OutgoingMessage]:
    """Order and format one turn's responses for Telegram.

    Args:
        responses: the responses in the order the assistant produced them (Rasa's
            message dicts: ``text``, ``buttons``, ``quick_replies``, ``image``,
            ``custom``).
        notice: something the channel itself must tell the person (for example that
            it cannot read photos); it follows any emergency reply and precedes the rest.
        emergency_number: used only if an emergency payload arrives without text.

    Returns:
        Emergency replies first, each alone; then ``notice``; then everything else in
        the assistant's order.
    """
    emergencies = [response for response in responses if is_emergency(response)]
    others = [response for response in responses if not is_emergency(response)]
    planned = [render_emergency(response, emergency_number) for response in emergencies]
    if notice and notice.strip():
        planned.extend(text_messages(notice))
    for response in others:
        planned.extend(render_response(response))
    return planned


def is_emergency(response: Mapping[str, Any]) -> bool:
    """Whether a response carries the emergency triage payload."""
    custom = response.get("custom")
    return isinstance(custom, Mapping) and custom.get(TRIAGE_LEVEL) == TriageLevel.EMERGENCY.value


def render_emergency(response: Mapping[str, Any], emergency_number: str) -> OutgoingMessage:
    """Format an emergency response as one HTML message with a bold, marked opening.

    Buttons are left off on purpose: the only next step is to get help.
    """
    text = str(response.get("text") or "").strip()
    if not text:
        number = (response.get("custom") or {}).get("emergency_number") or emergency_number
        text = EMERGENCY_WITHOUT_TEXT.format(emergency_number=number)
    if not text.startswith(EMERGENCY_MARK):
        text = f"{EMERGENCY_MARK} {text}"
    opening, _, rest = text.partition("\n\n")
    formatted = f"<b>{html.escape(opening, quote=False)}</b>"
    if rest.strip():
        formatted += "\n\n" + html.escape(rest.strip(), quote=False)
    # An emergency reply is never split: if it were ever too long, the end is cut
    # rather than the call to action being separated from its reasons.
    return OutgoingMessage("text", text=formatted[:MAX_MESSAGE_CHARS], parse_mode="HTML")


def render_response(response: Mapping[str, Any]) -> List[OutgoingMessage]:
    """Format one ordinary response: text (with its keyboard), image, custom payload."""
    planned: List[OutgoingMessage] = []
    buttons = response.get("buttons") or response.get("quick_replies") or []
    keyboard = keyboard_for(buttons if isinstance(buttons, list) else [])
    text = response.get("text")
    text = text if isinstance(text, str) and text.strip() else ""
    if text or keyboard:
        planned.extend(text_messages(text or BUTTONS_WITHOUT_TEXT, keyboard))
    image = response.get("image")
    if isinstance(image, str) and image.strip():
        planned.append(OutgoingMessage("photo", url=image.strip()))
    custom = response.get("custom")
    if isinstance(custom, Mapping) and custom and TRIAGE_LEVEL not in custom:
        planned.append(OutgoingMessage("custom", payload=dict(custom)))
    return planned


def text_messages(text: str, keyboard: Tuple[KeyboardButton, ...] = ()) -> List[OutgoingMessage]:
    """Split a plain text into messages Telegram accepts; the keyboard goes on the last."""
    chunks = split_text(text)
    return [
        OutgoingMessage("text", text=chunk, keyboard=keyboard if index == len(chunks) - 1 else ())
        for index, chunk in enumerate(chunks)
    ]


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> List[str]:
    """Split ``text`` into chunks of at most ``limit`` characters.

    Paragraph breaks are preferred, then line breaks, then spaces; a word longer than
    ``limit`` is cut.
    """
    remaining = text.strip()
    chunks: List[str] = []
    while len(remaining) > limit:
        window = remaining[: limit + 1]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(window.rfind(" "), 0)
        cut = cut or limit
        chunks.append(remaining[:cut].rstrip())
        remaining = remaining[cut:].lstrip()
    if remaining:
        chunks.append(remaining)
    return chunks


def keyboard_for(buttons: Sequence[Any]) -> Tuple[KeyboardButton, ...]:
    """Turn Rasa buttons into inline keyboard buttons.

    A payload longer than Telegram allows in ``callback_data`` is replaced by the
    button's title, which the assistant's language understanding reads like typed
    text. Buttons without a title or payload are dropped.
    """
    keyboard = []
    for button in buttons:
        if not isinstance(button, Mapping):
            continue
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or "").strip() or title
        if not title:
            continue
        if len(payload.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            payload = _truncate_utf8(title, MAX_CALLBACK_DATA_BYTES)
        keyboard.append(KeyboardButton(title, payload))
    return tuple(keyboard)


def inline_keyboard_markup(keyboard: Sequence[KeyboardButton]) -> Dict[str, Any]:
    """Return the Bot API ``reply_markup`` for a keyboard: one button per row.

    One per row because titles are short sentences that would be cut off side by side
    on a phone.
    """
    return {"inline_keyboard": [[{"text": button.title, "callback_data": button.callback_data}] for button in keyboard]}


def _truncate_utf8(text: str, max_bytes: int) -> str:
    return text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
