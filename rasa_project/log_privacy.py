"""Keep what people write out of every log record at INFO and above.

Messages are health data, and logs are read by more people, kept longer and shipped
further than the database. Rasa writes a user's message into its logs at DEBUG
(which production does not run at) but also at ERROR whenever a turn fails, as part
of a structured event (``rest.message.received.failure text=...``, with the
traceback's local variables); an exception raised while handling a message may carry
the text in its own message.

:func:`install` is called once at process start (by :mod:`rasa_project.rasa_cli` for
the Rasa server and :mod:`rasa_project.action_server` for the action server). From
then on every log record of level INFO or above, from any logger (Rasa's, Sanic's,
this project's), is passed through :class:`MessageTextFilter` as it is created,
before any handler sees it:

- In Rasa's structured (JSON) events, the values of the keys Rasa itself lists as
  holding user content (``text``, ``message``, ``parse_data_text`` ...) are
  replaced, and the local variables of rendered tracebacks are dropped.
- Texts the channels registered with :func:`withheld` while handling a message (and
  those of the last few messages) are replaced wherever they appear, in the message
  and in the formatted traceback, also JSON-escaped; a line holding only the start
  or the end of such a text (a truncated repr) is withheld as a whole.

DEBUG records are left alone: debugging a conversation needs its text, and DEBUG is
never the production level (README, "Configuration").
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Deque, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

WITHHELD = "[message text withheld]"
LINE_WITHHELD = "[line withheld: it contained message text]"

#: Keys of Rasa's structured log events that hold user content: the list Rasa's own
#: log anonymiser (``rasa.utils.log_utils._anonymizer``) applies to, plus ``exc_value``.
STRUCTURED_TEXT_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)
#: Texts shorter than this ("yes", "7") are only withheld where they appear quoted:
#: replacing every bare "yes" in a log would garble it and hide nothing personal.
MIN_BARE_CHARS = 6
#: A log may show only the start or the end of a long text (a truncated repr);
#: a line holding either is withheld.
FRAGMENT_CHARS = 32
#: How many finished messages stay registered, for records written just after a turn.
RECENT_TEXTS = 64


@dataclass(frozen=True)
class WithheldText:
    """A text to withhold, with the forms it takes in a log, worked out once."""

    forms: Tuple[str, ...]
    fragments: Tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> WithheldText:
        """Return the forms of ``text``: as is, JSON-escaped (ASCII or not), as a repr."""
        text = text.strip()
        forms = tuple(
            {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1], repr(text)[1:-1]} if text else ()
        )
        fragments = {
            part
            for form in forms
            if len(form) > FRAGMENT_CHARS
            for part in (form[:FRAGMENT_CHARS], form[-FRAGMENT_CHARS:])
        }
        return cls(forms, tuple(fragments))


class _Registry:
    """The texts of the messages being handled now, and of the last few."""

    def __init__(self, recent: int = RECENT_TEXTS) -> None:
        self._lock = threading.Lock()
        self._active: Dict[int, WithheldText] = {}
        self._recent: Deque[WithheldText] = deque(maxlen=recent)
        self._next_key = 0

    def add(self, text: str) -> int:
        entry = WithheldText.of(text)
        with self._lock:
            self._next_key += 1
            self._active[self._next_key] = entry
            return self._next_key

    def remove(self, key: int) -> None:
        with self._lock:
            entry = self._active.pop(key, None)
            if entry is not None:
                self._recent.append(entry)

    def entries(self) -> List[WithheldText]:
        with self._lock:
            return [*self._active.values(), *self._recent]


_REGISTRY = _Registry()


def hold(texts: Iterable[object]) -> List[int]:
    """Start withholding ``texts`` from log records; return the keys to :func:`release` them with.

    Non-strings and blank strings are ignored.
    """
    return [_REGISTRY.add(text) for text in {text for text in texts if isinstance(text, str) and text.strip()}]


def release(keys: Iterable[int]) -> None:
    """Stop withholding the texts of ``keys`` (they stay among the recent ones for a while)."""
    for key in keys:
        _REGISTRY.remove(key)


@contextmanager
def withheld(texts: Iterable[object]) -> Iterator[None]:
    """Withhold ``texts`` from every log record written while the block runs (and a little after).

    Channels wrap the handling of each message in this, with the text they pass on
    (and the raw text they received, if it differs).
    """
    keys = hold(texts)
    try:
        yield
    finally:
        release(keys)


def redact_texts(content: str, texts: Iterable[Union[str, WithheldText]]) -> str:
    """Return ``content`` with every appearance of ``texts`` withheld (see the module docstring)."""
    fragments: Set[str] = set()
    for text in texts:
        entry = text if isinstance(text, WithheldText) else WithheldText.of(text)
        for form in entry.forms:
            if len(form) >= MIN_BARE_CHARS:
                content = content.replace(form, WITHHELD)
            for quote in ("'", '"'):
                content = content.replace(f"{quote}{form}{quote}", f"{quote}{WITHHELD}{quote}")
        fragments.update(entry.fragments)
    if any(fragment in content for fragment in fragments):
        content = "\n".join(
            LINE_WITHHELD if any(fragment in line for fragment in fragments) else line for line in content.split("\n")
        )
    return content


def redact_structured_event(content: str) -> str:
    """Withhold user content from a structured (JSON) log event; other content is returned as is."""
    stripped = content.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return content
    try:
        event = json.loads(stripped)
    except ValueError:
        return content
    if not isinstance(event, dict) or "event" not in event:
        return content
    redacted = {key: WITHHELD if key in STRUCTURED_TEXT_KEYS else value for key, value in event.items()}
    if isinstance(event.get("exception"), list):
        redacted["exception"] = [_without_locals(entry) for entry in event["exception"]]
    return json.dumps(redacted, ensure_ascii=False, default=str)


class MessageTextFilter(logging.Filter):
    """Withholds message text from records at INFO and above; never drops a record."""

    def __init__(self, texts: Optional[Callable[[], Sequence[Union[str, WithheldText]]]] = None) -> None:
        """Create the filter; ``texts`` returns the texts to withhold (default: the registered ones)."""
        super().__init__()
        self._texts = texts or _REGISTRY.entries

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place so that it holds no message text; always keep it."""
        if record.levelno < logging.INFO:
            return True
        texts = self._texts()
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: logging reports that itself
            return True
        redacted = redact_texts(redact_structured_event(message), texts)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            # Formatted now, so that every handler prints this redacted traceback.
            record.exc_text = redact_texts(logging.Formatter().formatException(record.exc_info), texts)
        if record.stack_info:
            record.stack_info = redact_texts(record.stack_info, texts)
        return True


_installed_filter: Optional[MessageTextFilter] = None


def install() -> MessageTextFilter:
    """Apply :class:`MessageTextFilter` to every log record created from now on, in this process.

    The filter is applied where records are made (the record factory), so it holds
    for every logger and handler, including those Rasa and Sanic configure later.
    Idempotent.
    """
    global _installed_filter
    if _installed_filter is not None:
        return _installed_filter
    message_filter = MessageTextFilter()
    make_record = logging.getLogRecordFactory()

    def filtered_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        message_filter.filter(record)
        return record

    logging.setLogRecordFactory(filtered_record)
    _installed_filter = message_filter
    return message_filter


def _without_locals(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    cleaned = dict(entry)
    if "exc_value" in cleaned:
        cleaned["exc_value"] = redact_texts(str(cleaned["exc_value"]), _REGISTRY.entries())
    if isinstance(cleaned.get("frames"), list):
        cleaned["frames"] = [
            {key: value for key, value in frame.items() if key != "locals"} if isinstance(frame, dict) else frame
            for frame in cleaned["frames"]
        ]
    return cleaned
