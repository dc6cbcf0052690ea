"""Requests about the questions themselves: "start over", "stop the questions", "one sec".

"Can we start again, I've been answering for my mum" is no answer to the question
asked, however many answer-like words it has ("I've been ..."); the conversation
acts on the request instead. Only explicit phrases count: "it started again a month
ago" answers, "start again" asks. A pause ("can we stop for a sec, someone's at the
door", "brb") is no stop: the person carries on in a moment.
"""

from __future__ import annotations

from typing import Sequence

from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.words import Word

COMMANDS = Options(
    {
        "start_over": "start|begin|starting over|again|afresh; start from scratch; restart|redo|reset|restarting;"
        " start|go back to|at the start|beginning|top; start the questions|assessment|check over|again;"
        " from the top; do it all again",
        "stop": "stop|quit|cancel|end|stopping the|these|your questions|assessment|quiz|check; stop asking;"
        " no more questions; enough questions; don't want to answer|continue; don't want to carry on",
    }
)


def asks_to_start_over_or_stop(words: Sequence[Word]) -> bool:
    """Whether ``words`` ask to start the questions again or to stop them."""
    return any(not mention.negated for mention in COMMANDS.mentions(words))


#: A short break, not the end of the questions: a stop or a wait "for a sec", "one moment", "brb".
PAUSES = Options(
    {
        "pause": "stop|wait|pause|hold|hang on? for? a|one|just|few sec|secs|second|seconds|moment|min|minute|minutes|mo|tick|bit;"
        " one|a|just|two sec|secs|second|moment|min|minute|mo|tick;"
        " just a|one sec|second|moment|min|minute|mo|tick;"
        " give me|us a|one|two|few sec|secs|second|seconds|moment|min|minute|minutes|mo|tick;"
        " brb; be right back; back in a sec|second|moment|min|minute|mo|tick|bit|few;"
        " bear with me"
    }
)


#: Words that may follow a request for a moment: "one sec please", "brb :)".
_AFTER_A_PAUSE = frozenset({",", ".", "!", "-", ";", "...", "please", "pls", "plz", "x", "then", "sorry"})


def asks_to_pause(words: Sequence[Word]) -> bool:
    """Whether ``words`` ask for a short break in the questions ("hang on a sec", "brb"), not to stop them.

    The request ends its clause: in "one minute I'm fine, the next it hurts" the
    minute is part of an answer.
    """
    return any(
        not mention.negated and (mention.last + 1 == len(words) or words[mention.last + 1].text in _AFTER_A_PAUSE)
        for mention in PAUSES.mentions(words)
    )
