"""Openings that say only that the person has come to talk: a waved hand, "can I ask about insoles?".

Such a message asks nothing in particular and tells nothing of the back, so the
intent classifier is unsure of it. The assistant's answer about insoles is the check of
the person's own case, so these openings lead into it rather than to "please rephrase".
A message that asks something in particular ("can I ask whether insoles help
everyone?") is a question, not an opening, and is left to the classifier.
"""

from __future__ import annotations

import re
from typing import FrozenSet

from rasa_project.understanding.answers.words import is_word, tokenize

#: A waving or raised hand, with or without a skin tone: a greeting without words.
_GREETING_EMOJI = re.compile("[\U0001f44b\U0001f64b\U0001f91a\U0001f590\u270b]")
_LETTERS_OR_DIGITS = re.compile(r"\w")
_GREETINGS = frozenset(
    [
        "hi",
        "hii",
        "hiya",
        "hey",
        "heya",
        "hello",
        "helo",
        "hallo",
        "howdy",
        "yo",
        "morning",
        "afternoon",
        "evening",
        "good",
        "there",
    ]
)
#: What the person may be wanting: to ask, a question, some advice or help.
_REQUESTS = frozenset(
    [
        "ask",
        "question",
        "questions",
        "query",
        "advice",
        "help",
        "info",
        "information",
        "enquiry",
        "inquiry",
        "chat",
        "talk",
    ]
)
#: The assistant's topic, as named in an opening: insoles and their kin.
_TOPIC = frozenset(
    [
        "insole",
        "insoles",
        "inserts",
        "insert",
        "orthotics",
        "orthotic",
        "orthoses",
        "footbeds",
        "arch",
        "supports",
        "support",
        "shoe",
        "shoes",
    ]
)
#: The words around a request in an opening: "could I ask you something about", "is it ok to ask about".
_FRAME = frozenset(
    [
        "can",
        "could",
        "may",
        "might",
        "i",
        "i'd",
        "i'm",
        "i've",
        "id",
        "im",
        "ive",
        "you",
        "please",
        "pls",
        "just",
        "quick",
        "quickly",
        "a",
        "an",
        "some",
        "few",
        "little",
        "bit",
        "something",
        "anything",
        "about",
        "on",
        "with",
        "regarding",
        "re",
        "for",
        "have",
        "got",
        "get",
        "is",
        "it",
        "ok",
        "okay",
        "alright",
        "to",
        "like",
        "want",
        "wanted",
        "wondering",
        "would",
        "be",
        "hoping",
        "need",
        "needed",
        "looking",
    ]
)


def is_greeting_emoji(text: str) -> bool:
    """Whether a message is a waved or raised hand and nothing readable: "👋", "🙋‍♀️", "👋🏽🙂"."""
    if not isinstance(text, str):
        return False
    return bool(_GREETING_EMOJI.search(text)) and not _LETTERS_OR_DIGITS.search(text)


def _words_besides_greetings(text: str) -> FrozenSet[str]:
    """The words of a short message other than greetings; none for anything but text."""
    if not isinstance(text, str):
        return frozenset()
    return frozenset(word.text for word in tokenize(text[:500]) if is_word(word)) - _GREETINGS


def asks_to_talk_about_insoles(text: str) -> bool:
    """Whether a message only asks to ask about, or for help with, insoles: "hey, got a question on orthotics".

    Besides a greeting, every word must belong to the request ("could I ask you
    something", "I'd like some advice") or name the topic, and both must be there.
    """
    words = _words_besides_greetings(text)
    return bool(words & _REQUESTS and words & _TOPIC) and words <= _REQUESTS | _TOPIC | _FRAME


#: The requests that announce a question: "quick question", "got a query".
_QUESTION_WORDS = frozenset(["ask", "question", "questions", "query", "enquiry", "inquiry"])


def announces_a_question(text: str) -> bool:
    """Whether a message only announces a question, with or without its topic: "quick question", "insole query".

    Besides a greeting, every word must belong to the request or name the topic, as in
    :func:`asks_to_talk_about_insoles`: "no more questions" or "skip the questions" has
    words of its own and is no announcement.
    """
    words = _words_besides_greetings(text)
    return bool(words & _QUESTION_WORDS) and words <= _REQUESTS | _TOPIC | _FRAME


def opens_the_conversation(text: str) -> bool:
    """Whether a message is an opening that leads into the check (see the module)."""
    return is_greeting_emoji(text) or asks_to_talk_about_insoles(text)
