"""Requests about the questions themselves: "start over", "stop the questions", "one sec".

"Can we start again, I've been answering for my mum" is no answer to the question
asked, however many answer-like words it has ("I've been ..."); the conversation
acts on the request instead. Only explicit phrases count: "it started again a month
ago" answers, "start again" asks. A pause ("can we stop for a sec, someone's at the
door", "brb") is no stop: the person carries on in a moment.
"""

from __future__ import annotations

from typing import Optional, Sequence

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


#: Messages with these intents, classified with confidence, are something other than
#: an answer when the reader finds no answer to the question in them: the form steps
#: aside and the rules answer them, then the form carries on.
#: The intent an NLU component gives a message over the length limit.
MESSAGE_TOO_LONG = "message_too_long"
NOT_AN_ANSWER = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "bot_challenge",
        "start_over",
        "stop_assessment",
        "pause",
        "request_summary",
        "ask_what_to_do",
        "delete_my_data",
        "emergency",
        "out_of_scope",
        MESSAGE_TOO_LONG,
    }
)
#: Questions about insoles, feet and care are answered by ``action_answer_question``.
QUESTION_INTENT_PREFIX = "ask_"
CONFIDENT = 0.5


def is_something_else(intent: Optional[str], confidence: float) -> bool:
    """Whether a message the reader found no answer in is a question or other request, by its intent.

    Such a message is answered or acted on, and the question is asked again; it does
    not count as an unreadable answer.
    """
    if confidence < CONFIDENT or intent is None:
        return False
    return intent in NOT_AN_ANSWER or intent.startswith(QUESTION_INTENT_PREFIX)
