r"""Make a message's text safe to read: one pure function every channel applies first.

A message arrives as whatever a client put in a JSON string, and JSON can carry
things that are not text: a lone UTF-16 surrogate (``"\ud800"``) cannot be encoded
as UTF-8 and makes spaCy raise, so the red-flag detector, and with it the emergency
reply, was lost; NUL and other control characters confuse storage and logs; invisible
format characters ("blad\u200bder") can hide a key word from the red-flag detector
without changing what the person sees.

:func:`normalise_text` removes all of that and keeps everything a person wrote:
letters of every script, emoji, punctuation, line breaks and tabs. It is applied by
every channel before anything reads the text, and once more, defensively, by the
first NLU component (:mod:`rasa_project.nlu.message_length`).
"""

from __future__ import annotations

import re
import unicodedata

#: Line and paragraph separators a person may paste are read as a line break.
_LINE_SEPARATORS = {0x85: "\n", 0x2028: "\n", 0x2029: "\n"}
#: Control characters other than tab and newline (a carriage return is handled
#: first), lone surrogates, and the Unicode noncharacters (U+FDD0-U+FDEF and the
#: last two code points of every plane), which are never text.
_NOT_TEXT = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0x85),
    *range(0x86, 0xA0),
    *range(0xD800, 0xE000),
    *range(0xFDD0, 0xFDF0),
    *(plane * 0x10000 + last for plane in range(17) for last in (0xFFFE, 0xFFFF)),
]
#: Invisible characters that split a word without showing anything: soft hyphen,
#: Mongolian vowel separator, zero-width space and non-joiner, the directional marks
#: and overrides, word joiner and invisible operators, and the byte-order mark.
_INVISIBLE = [0xAD, 0x180E, 0x200B, 0x200C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2060, 0x2065)]
_INVISIBLE += [*range(0x2066, 0x206A), 0xFEFF]
#: One table, so the whole text is rewritten in a single pass.
_TRANSLATION = {**dict.fromkeys((*_NOT_TEXT, *_INVISIBLE)), **_LINE_SEPARATORS}
#: The zero-width joiner is part of emoji sequences (family, profession emoji), so
#: it is only removed between two word characters, where it can only hide a word.
_JOINER_IN_WORD = re.compile(r"(?<=\w)\u200d(?=\w)")
#: Terminal escape sequences (ECMA-48 CSI such as "\x1b[2J", and OSC strings): their
#: printable tail would otherwise stay glued to a word once the escape is removed.
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def normalise_text(text: str) -> str:
    r"""Return ``text`` with everything that is not readable text removed.

    Line breaks of every kind become ``"\n"``; control characters (other than tab
    and newline), lone surrogates, noncharacters and invisible word-splitting
    characters are removed; the result is in Unicode normal form C, so that a
    letter typed as a base and a combining accent matches the same letter typed
    precomposed. Terminal escape sequences are removed whole. Nothing else changes: outer spaces are kept, and a message that
    held nothing readable becomes ``""``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _TERMINAL_ESCAPE.sub("", text)
    text = text.translate(_TRANSLATION)
    if "\u200d" in text:
        text = _JOINER_IN_WORD.sub("", text)
    # NFC leaves ASCII unchanged; skipping it keeps long plain messages cheap.
    return text if text.isascii() else unicodedata.normalize("NFC", text)
