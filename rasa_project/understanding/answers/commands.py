"""Requests about the questions themselves: "start over", "stop the questions".

"Can we start again, I've been answering for my mum" is no answer to the question
asked, however many answer-like words it has ("I've been ..."); the conversation
acts on the request instead. Only explicit phrases count: "it started again a month
ago" answers, "start again" asks.
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
