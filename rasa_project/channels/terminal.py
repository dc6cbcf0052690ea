"""Chat with the assistant in a terminal: the person's side of its REST channel.

``scripts/chat`` starts the servers and then runs::

    python -m rasa_project.channels.terminal --url http://127.0.0.1:5005

The conversation is shown as a person reads it: buttons are numbered choices
without their payloads; typing a choice's number sends that choice, anything else
is sent exactly as typed. An emergency payload becomes one prominent line with the
number to call, an urgent one a line saying to see a doctor promptly, and the
result's headline is emphasised in the colour of its triage level. ``/stop``,
Ctrl+C and Ctrl+D leave.

The formatting functions are pure (replies in, lines out) so they are tested
without a terminal; :class:`RestClient` and :func:`chat` do the input and output.
"""

from __future__ import annotations

import argparse
import enum
import os
import shutil
import sys
import textwrap
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, TypeGuard

import requests

#: Words that end the chat: Rasa's shell's ``/stop`` and its usual synonyms.
STOP_COMMANDS = frozenset({"/stop", "/quit", "/exit"})
#: Sent, not shown, when the chat starts, so the assistant introduces itself first.
GREET_PAYLOAD = "/greet"
#: ``custom.type`` of the message whose text is the assessment result's headline.
HEADLINE_TYPE = "assessment_headline"
EMERGENCY = "emergency"
URGENT = "urgent"
#: Said when an emergency payload names no number.
FALLBACK_EMERGENCY_NUMBER = "your local emergency number"
#: Lines are wrapped to the terminal, but never wider than this: long lines read badly.
MAX_LINE_WIDTH = 100
CHOICE_INDENT = "  "
HEADLINE_LABEL = "Your result: "
#: Seconds to wait for an answer. A turn takes well under a second; a cold server's
#: first answer and a long pasted message take longer.
REPLY_TIMEOUT_S = 120.0
CONNECT_TIMEOUT_S = 5.0

INTRO = (
    "Type your message and press Enter. When choices are listed, type a number to pick one, "
    "or answer in your own words. Type /stop or press Ctrl+D to leave."
)


class Style(enum.Enum):
    """How a line of the conversation is shown."""

    TEXT = "text"
    EMERGENCY = "emergency"
    URGENT = "urgent"
    HEADLINE = "headline"
    CHOICE = "choice"
    NOTE = "note"


@dataclass(frozen=True)
class Line:
    """One line to print; ``level`` is the triage level of a headline."""

    text: str
    style: Style = Style.TEXT
    level: Optional[str] = None


@dataclass(frozen=True)
class Choice:
    """A button: what the person reads and what is sent when they pick it."""

    title: str
    payload: str


@dataclass(frozen=True)
class Turn:
    """The assistant's answer to one message, ready to print."""

    lines: Tuple[Line, ...]
    choices: Tuple[Choice, ...]


@dataclass(frozen=True)
class Outgoing:
    """What to send for a typed line; ``picked`` is the chosen button's title, if any."""

    message: str
    picked: Optional[str] = None


# ------------------------------------------------------------------ reading replies


def _custom_of(reply: Mapping[str, Any]) -> Optional[Mapping[str, Any]]:
    custom = reply.get("custom")
    return custom if isinstance(custom, Mapping) else None


def _text_of(reply: Mapping[str, Any]) -> str:
    text = reply.get("text")
    return text.strip() if isinstance(text, str) else ""


def choices_of(reply: Mapping[str, Any]) -> Tuple[Choice, ...]:
    """Return a reply's buttons (or quick replies) that have a title or a payload."""
    raw = reply.get("buttons") or reply.get("quick_replies") or []
    if not isinstance(raw, list):
        return ()
    choices = []
    for button in raw:
        if not isinstance(button, Mapping):
            continue
        title = str(button.get("title") or button.get("payload") or "").strip()
        payload = str(button.get("payload") or button.get("title") or "").strip()
        if title and payload:
            choices.append(Choice(title, payload))
    return tuple(choices)


def alert_line(custom: Mapping[str, Any]) -> Optional[Line]:
    """Return the prominent line for an emergency or urgent payload, else ``None``."""
    level = custom.get("triage_level")
    if level == EMERGENCY:
        number = str(custom.get("emergency_number") or "").strip() or FALLBACK_EMERGENCY_NUMBER
        return Line(
            f"🚨 EMERGENCY: call {number} or go to the nearest emergency department now.",
            Style.EMERGENCY,
        )
    if level == URGENT:
        return Line("⚠️ URGENT: please see a doctor promptly, today or tomorrow.", Style.URGENT)
    return None


def _is_headline(custom: Optional[Mapping[str, Any]]) -> TypeGuard[Mapping[str, Any]]:
    return custom is not None and custom.get("type") == HEADLINE_TYPE


def format_replies(replies: Sequence[Any], width: int) -> Turn:
    """Turn the REST channel's replies to one message into lines to print.

    The REST channel sends a response's text and its custom payload as two
    consecutive items (text, then custom) and cuts text at blank lines; a web chat
    sends them as one. Both shapes are read: a custom payload belongs to the text
    just before it, or to the text in the same item.

    - An emergency or urgent payload is shown once, first, as one prominent line.
    - A text whose payload is the assessment headline is shown as the headline.
    - Other payloads are machine-readable only and are not shown.
    - The choices are the buttons of the last reply that has any.

    Args:
        replies: the JSON list the REST channel answered; items of other shapes are skipped.
        width: the terminal's width in characters.
    """
    alerts: List[Line] = []
    blocks: List[List[Line]] = []
    choices: Tuple[Choice, ...] = ()
    items = [reply for reply in replies if isinstance(reply, Mapping)]
    for index, reply in enumerate(items):
        custom = _custom_of(reply)
        alert = alert_line(custom) if custom is not None else None
        if alert is not None and alert not in alerts:
            alerts.append(alert)
        text = _text_of(reply)
        if text:
            headline = custom if _is_headline(custom) else _payload_after(items, index)
            if _is_headline(headline):
                level = str(headline.get("triage_level") or "") or None
                label = HEADLINE_LABEL + " ".join(text.split())
                blocks.append(_wrapped(label, width, Style.HEADLINE, "", " " * len(HEADLINE_LABEL), level))
            else:
                blocks += _text_blocks(text, width)
        for key in ("image", "attachment"):
            value = reply.get(key)
            if isinstance(value, str) and value.strip():
                blocks.append(_wrapped(f"[{key}: {value.strip()}]", width, Style.NOTE, "", "  "))
        choices = choices_of(reply) or choices
    if choices:
        blocks.append(
            [
                line
                for number, choice in enumerate(choices, start=1)
                for line in _wrapped(
                    f"{number}. {choice.title}", width, Style.CHOICE, CHOICE_INDENT, CHOICE_INDENT + "   "
                )
            ]
        )
    if any(alert.style is Style.EMERGENCY for alert in alerts):
        alerts = [alert for alert in alerts if alert.style is Style.EMERGENCY]
    alert_blocks = [_wrapped(alert.text, width, alert.style, "", "   ") for alert in alerts]
    return Turn(_with_blank_lines(alert_blocks + blocks), choices)


def _payload_after(items: Sequence[Mapping[str, Any]], index: int) -> Optional[Mapping[str, Any]]:
    """The custom payload sent right after the text at ``index``, if it came on its own."""
    if index + 1 >= len(items) or _text_of(items[index + 1]):
        return None
    return _custom_of(items[index + 1])


def _text_blocks(text: str, width: int) -> List[List[Line]]:
    """Wrap a reply's text, one block per paragraph; "- " items get a hanging indent."""
    blocks: List[List[Line]] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        block: List[Line] = []
        for raw in paragraph.split("\n"):
            stripped = raw.strip()
            if not stripped:
                continue
            if stripped[:2] in ("- ", "* ", "• "):
                block += _wrapped("- " + stripped[2:].strip(), width, Style.TEXT, "", "  ")
            else:
                block += _wrapped(stripped, width, Style.TEXT, "", "")
        if block:
            blocks.append(block)
    return blocks


def _wrapped(text: str, width: int, style: Style, first: str, rest: str, level: Optional[str] = None) -> List[Line]:
    wrapper = textwrap.TextWrapper(
        width=max(20, min(width, MAX_LINE_WIDTH)),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return [Line(line, style, level) for line in wrapper.wrap(text)]


def _with_blank_lines(blocks: Sequence[Sequence[Line]]) -> Tuple[Line, ...]:
    lines: List[Line] = []
    for block in blocks:
        if not block:
            continue
        if lines:
            lines.append(Line(""))
        lines += block
    return tuple(lines)


# ------------------------------------------------------------------ reading what is typed


def outgoing(typed: str, choices: Sequence[Choice]) -> Optional[Outgoing]:
    """Return what to send for a typed line, or ``None`` when there is nothing to send.

    A whole number from 1 to the number of choices picks that choice; anything else,
    a number out of range included, is sent as typed (surrounding whitespace aside).
    Characters that cannot be sent as UTF-8 (a terminal's broken bytes) become "?".
    """
    text = typed.strip().encode("utf-8", "replace").decode("utf-8")
    if not text:
        return None
    if text.isascii() and text.isdigit() and choices and 1 <= int(text) <= len(choices):
        choice = choices[int(text) - 1]
        return Outgoing(choice.payload, picked=choice.title)
    return Outgoing(text)


def is_stop(typed: str) -> bool:
    """Whether the typed line asks to leave the chat."""
    return typed.strip().lower() in STOP_COMMANDS


# ------------------------------------------------------------------ talking to the server


class ChatError(Exception):
    """The assistant did not answer; the message says so in words a person understands."""


class RestClient:
    """Sends the person's messages to the REST channel and returns the replies."""

    def __init__(self, url: str, sender: Optional[str] = None, timeout: float = REPLY_TIMEOUT_S) -> None:
        self.webhook = url.rstrip("/") + "/webhooks/rest/webhook"
        self.sender = sender or f"terminal-{uuid.uuid4().hex}"
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, message: str) -> List[Any]:
        """Send ``message`` and return the list of replies.

        Raises:
            ChatError: when the server cannot be reached, fails, refuses the message or
                answers something that is not a list.
        """
        try:
            response = self.session.post(
                self.webhook,
                json={"sender": self.sender, "message": message},
                timeout=(CONNECT_TIMEOUT_S, self.timeout),
            )
        except requests.Timeout as error:
            raise ChatError(
                "The assistant took too long to answer. Please wait a moment and send your message again."
            ) from error
        except requests.RequestException as error:
            raise ChatError("The assistant cannot be reached. Is it still running?") from error
        if response.status_code == 413:
            raise ChatError("That message is too long to send. Please send a shorter one.")
        if 400 <= response.status_code < 500:
            raise ChatError(f"The assistant could not accept that message (HTTP {response.status_code}).")
        if response.status_code >= 500:
            raise ChatError(
                f"Something went wrong on the assistant's side (HTTP {response.status_code}). Please try again."
            )
        try:
            replies = response.json()
        except ValueError as error:
            raise ChatError("The assistant's answer could not be read. Please try again.") from error
        if not isinstance(replies, list):
            raise ChatError("The assistant's answer could not be read. Please try again.")
        return replies


# ------------------------------------------------------------------ the terminal

_RESET = "\x1b[0m"
_LEVEL_COLOURS: Dict[Optional[str], str] = {
    EMERGENCY: "\x1b[1;31m",
    URGENT: "\x1b[1;33m",
    "routine": "\x1b[1;34m",
    "self_care": "\x1b[1;32m",
}
_STYLE_COLOURS: Dict[Style, str] = {
    Style.EMERGENCY: "\x1b[1;97;41m",
    Style.URGENT: "\x1b[1;30;43m",
    Style.HEADLINE: "\x1b[1m",
    Style.CHOICE: "\x1b[36m",
    Style.NOTE: "\x1b[2m",
}


def paint(line: Line, colour: bool) -> str:
    """Return ``line`` as terminal text, with ANSI colours when ``colour`` is set."""
    if not colour or not line.text:
        return line.text
    code = _STYLE_COLOURS.get(line.style, "")
    if line.style is Style.HEADLINE:
        code = _LEVEL_COLOURS.get(line.level, code)
    return f"{code}{line.text}{_RESET}" if code else line.text


def use_colour(stream: Any = None) -> bool:
    """Whether to colour output: a terminal, ``NO_COLOR`` unset, ``TERM`` not ``dumb``."""
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def terminal_width() -> int:
    """The terminal's width in characters (80 when it cannot be told)."""
    return shutil.get_terminal_size((80, 24)).columns


def line_reader() -> Callable[[str], str]:
    """Return a function that reads one line after a prompt.

    On a terminal it has line editing, history and bracketed paste (prompt_toolkit),
    so a pasted block of several lines is sent as one message; otherwise it is
    :func:`input`. Both raise ``EOFError`` on Ctrl+D and ``KeyboardInterrupt`` on Ctrl+C.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return input
    # The cursor position is only needed for completion menus, which this prompt has
    # none of; without asking, terminals that never answer cause no delay or warning.
    os.environ.setdefault("PROMPT_TOOLKIT_NO_CPR", "1")
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import ANSI

    session: PromptSession[str] = PromptSession()

    def read(prompt: str) -> str:
        return session.prompt(ANSI(prompt))

    return read


def chat(
    client: RestClient,
    read_line: Callable[[str], str],
    write: Callable[[str], None],
    *,
    colour: bool = False,
    width: Callable[[], int] = terminal_width,
) -> None:
    """Run the conversation until the person leaves; never raises for their input."""
    prompt = "\x1b[1mYou ›\x1b[0m " if colour else "You › "

    def show(lines: Sequence[Line]) -> None:
        for line in lines:
            write(paint(line, colour) + "\n")

    def exchange(message: str, choices: Tuple[Choice, ...]) -> Tuple[Choice, ...]:
        """Send ``message``, show the answer and return its choices (the old ones if it failed)."""
        try:
            replies = client.send(message)
        except ChatError as error:
            show([Line(str(error), Style.NOTE), Line("")])
            return choices
        turn = format_replies(replies, width())
        if not turn.lines:
            show([Line("(No answer came back. Please try again, or put it another way.)", Style.NOTE)])
        show([*turn.lines, Line("")])
        return turn.choices

    show([*_wrapped(INTRO, width(), Style.NOTE, "", ""), Line("")])
    choices = exchange(GREET_PAYLOAD, ())
    while True:
        try:
            typed = read_line(prompt)
        except (EOFError, KeyboardInterrupt):
            write("\n")
            break
        if is_stop(typed):
            break
        message = outgoing(typed, choices)
        if message is None:
            continue
        if message.picked is not None:
            show([Line(f"{CHOICE_INDENT}→ {message.picked}", Style.NOTE)])
        write("\n")
        try:
            choices = exchange(message.message, choices)
        except KeyboardInterrupt:
            write("\n")
            break
    show([Line("Goodbye. Take care of your back.", Style.NOTE)])


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Chat with the assistant at ``--url`` in this terminal."""
    parser = argparse.ArgumentParser(description="Chat with the back pain assistant in a terminal.")
    parser.add_argument("--url", required=True, help="the Rasa server, e.g. http://127.0.0.1:5005")
    args = parser.parse_args(argv)
    # Bytes a terminal cannot decode or encode become "?" instead of ending the chat.
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    try:
        chat(RestClient(args.url), line_reader(), write, colour=use_colour())
    except KeyboardInterrupt:
        write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
