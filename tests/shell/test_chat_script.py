"""``scripts/chat`` as a person uses it, through a pseudo-terminal (pexpect).

The script runs exactly as from the README: setup, the action server and the Rasa
server started in the background, then the terminal client. Only the database, the
log folder and the ports are the test's own. What the person saw is checked on the
screen; what reached the assistant is checked in the conversation the server stored.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pexpect
import pytest
import requests
import sqlalchemy as sa

from rasa_project.storage import database
from rasa_project.storage.models import rasa_events
from rasa_project.storage.privacy import export_conversation
from tests.live_servers import REPO_ROOT, STARTUP_TIMEOUT_S, free_port, latest_model
from tests.support.processes import wait_until_closed

pytestmark = pytest.mark.e2e

PROMPT = "You ›"
#: Seconds one turn may take (both servers share the machine with the test).
TURN_TIMEOUT_S = 90
#: Setup (no training: the model is up to date) and loading the model.
START_TIMEOUT_S = STARTUP_TIMEOUT_S + 120
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")
#: What scripts/setup and scripts/chat itself may print before the conversation.
START_LINES = re.compile(
    r"==> .*"  # setup's steps: installing, preparing the database, training
    r"|Database schema is up to date\."
    r"|    trained models/.*"
    r"|Starting the assistant \(loading the model takes up to a minute\)\.\.\."
)
LOG_LIKE = re.compile(
    r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b|Traceback|\w+Warning\b|warnings\.warn|^\d{4}-\d\d-\d\d[ T]\d\d:",
    re.MULTILINE,
)
EMERGENCY_LINE = "🚨 EMERGENCY: call"
#: The client's own notes when the assistant did not answer (rasa_project/channels/terminal.py).
CLIENT_ERROR = re.compile(
    r"The assistant cannot be reached|Something went wrong on the assistant's side|The assistant could not accept"
    r"|The assistant's answer could not be read|The assistant took too long|No answer came back"
)
MARKUP = '<script>alert(1)</script> {"json": true}'
BRACKETED_PASTE_START, BRACKETED_PASTE_END = "\x1b[200~", "\x1b[201~"
LINE_ENTERED, PROMPT_STARTED = "\x1b[?2004l", "\x1b[?2004h"


def plain(text: str) -> str:
    """``text`` without terminal control sequences."""
    return _ANSI.sub("", text)


class ChatScript:
    """``scripts/chat`` running in a pseudo-terminal, and everything it printed."""

    def __init__(self, directory: Path) -> None:
        """Start the script with its own database, logs and ports; wait for the first prompt."""
        self.directory = directory
        self.database_url = f"sqlite:///{directory / 'assistant.db'}"
        self.log_dir = directory / "logs"
        self.rasa_port, self.action_port = free_port(), free_port()
        self.transcript: List[str] = []
        env = {
            **os.environ,
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "ASSISTANT_DATABASE_URL": self.database_url,
            "ASSISTANT_MODEL": str(latest_model()),
            "CHAT_LOG_DIR": str(self.log_dir),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
        }
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(
            str(REPO_ROOT / "scripts" / "chat"),
            cwd=str(REPO_ROOT),
            env=env,
            encoding="utf-8",
            codec_errors="replace",
            dimensions=(50, 110),
            timeout=TURN_TIMEOUT_S,
        )
        self.child.logfile_read = _Recorder(self.transcript)
        try:
            self.child.expect_exact(PROMPT, timeout=START_TIMEOUT_S)
        except pexpect.ExceptionPexpect:
            pytest.fail(f"scripts/chat did not reach its prompt:\n{self.screen()[-3000:]}\n{self.log_tails()}")

    def screen(self, since: int = 0) -> str:
        """What the terminal showed after ``since`` (a length of :attr:`transcript`), as plain text."""
        return plain("".join(self.transcript[since:]))

    def log_tails(self) -> str:
        """The end of each server log, for failure messages."""
        tails = []
        for log in sorted(self.log_dir.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-15:]
            tails.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(tails)

    def say(self, keys: str, reply_contains: str = "") -> str:
        """Type ``keys`` and Enter; return the answer shown, as plain text.

        The prompt is redrawn on every key, so its text cannot tell where an answer
        starts or ends. The line editor switches bracketed paste off when a line is
        entered and on again when the next prompt starts: the answer is in between.
        """
        mark = len(self.transcript)
        self.child.send(keys + "\r")
        try:
            self.child.expect_exact(LINE_ENTERED)
            self.child.expect_exact(PROMPT_STARTED)
        except pexpect.ExceptionPexpect:
            pytest.fail(f"no answer to {keys[:80]!r}:\n{self.screen(mark)[-3000:]}\n{self.log_tails()}")
        answer = plain(str(self.child.before))
        assert reply_contains in answer, answer
        return answer

    def user_texts(self) -> List[str]:
        """The person's messages as the server stored them, oldest first."""
        return [str(event.get("text")) for event in self.events() if event.get("event") == "user"]

    def slots(self) -> Dict[str, Any]:
        """The conversation's slot values as the server stored them."""
        values: Dict[str, Any] = {}
        for event in self.events():
            if event.get("event") == "slot":
                values[event["name"]] = event.get("value")
        return values

    def events(self) -> List[Dict[str, Any]]:
        """Every stored event of the one conversation in this script's database.

        The client picks its conversation id and the server may namespace it, so the
        conversation is found as the only one in the database.
        """
        with database.session_scope(self.database_url) as session:
            senders = [row[0] for row in session.execute(sa.select(rasa_events.c.sender_id).distinct())]
        assert len(senders) == 1, senders
        return list(export_conversation(senders[0], self.database_url)["events"])

    def servers_answer(self) -> bool:
        """Whether both servers answer on the ports the script was given."""
        try:
            rasa = requests.get(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/", timeout=5)
            actions = requests.get(f"http://127.0.0.1:{self.action_port}/health", timeout=5)
        except requests.RequestException:
            return False
        return rasa.status_code == 200 and actions.status_code == 200

    def wait_for_exit(self) -> int:
        """Wait until the script has exited and return its exit status."""
        self.child.expect(pexpect.EOF, timeout=60)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -(self.child.signalstatus or 0))

    def assert_servers_stopped(self) -> None:
        """Both servers' ports refuse connections."""
        for port in (self.rasa_port, self.action_port):
            wait_until_closed(port, timeout=15)

    def close(self) -> None:
        """Stop the script if a test left it running (its EXIT trap stops the servers)."""
        if self.child.isalive():
            self.child.kill(1)  # SIGHUP, as when the terminal closes
            deadline = time.monotonic() + 30
            while self.child.isalive() and time.monotonic() < deadline:
                time.sleep(0.2)
        self.child.close(force=True)


class _Recorder:
    """A pexpect log sink that keeps everything read."""

    def __init__(self, sink: List[str]) -> None:
        self.sink = sink

    def write(self, data: str) -> None:
        self.sink.append(data)

    def flush(self) -> None:
        pass


@pytest.fixture()
def chat(tmp_path: Path) -> Iterator[ChatScript]:
    script = ChatScript(tmp_path)
    yield script
    script.close()


def test_a_conversation_shows_choices_reads_numbers_and_free_text_and_stops_cleanly(chat: ChatScript) -> None:
    start = chat.screen()
    before_conversation = start.split("Type your message", 1)[0]
    unexpected = [line for line in before_conversation.splitlines() if line.strip() and not START_LINES.fullmatch(line)]
    assert unexpected == [], start
    # The assistant greets first, its buttons shown as numbered choices.
    assert "  1. Check my back pain" in start
    assert "  3. Which symptoms are serious?" in start

    # A number picks that choice.
    duration = chat.say("1", "How long have you had this back pain?")
    assert "→ Check my back pain" in duration
    assert "  1. Less than 6 weeks" in duration and "  3. More than 12 weeks" in duration

    # Free text at a menu is sent as typed: not as the first choice ("Less than 6 weeks").
    chat.say("about four months", "how bad is the pain")
    # With no choices listed, a number is the answer itself.
    screen = chat.say("6", "Some important safety questions")
    assert "  1. None of these" in screen
    chat.say("1", "most of your day")

    assert chat.user_texts() == ["/greet", "/start_assessment", "about four months", "6", "/deny"]
    slots = chat.slots()
    assert (slots["pain_duration"], slots["pain_severity"], slots["red_flag_screen"]) == ("chronic", 6, "clear")

    # An emergency is answered first, with a prominent line naming the number to call.
    typed = "I wet myself without noticing today"
    answer = chat.say(typed, EMERGENCY_LINE).lstrip()
    assert answer.startswith(EMERGENCY_LINE), answer
    assert "emergency department now" in answer.split("\n\n")[0]
    assert chat.slots()["triage_level"] == "emergency"

    shown = chat.screen()
    # No payload, JSON or log line ever reached the terminal.
    for raw in ("/inform", "/start_assessment", "/deny", '{"', "triage_level"):
        assert raw not in shown, raw
    assert LOG_LIKE.search(shown) is None, LOG_LIKE.search(shown)

    assert chat.servers_answer()
    chat.child.send("/stop\r")
    assert chat.wait_for_exit() == 0
    assert "Goodbye" in chat.screen()
    chat.assert_servers_stopped()


def test_bad_input_gets_an_answer_and_ctrl_c_stops_everything(chat: ChatScript) -> None:
    # An empty line sends nothing (see the stored messages below): the prompt comes back.
    assert chat.say("").strip() == ""
    # A pasted block of several lines and 6,000 characters is one message.
    pasted = "My back has hurt for months.\n" + "It aches when I stand. " * 260
    for typed in ("😀🙏🏽 ❤️", BRACKETED_PASTE_START + pasted + BRACKETED_PASTE_END, MARKUP, "¿Me duele la espalda?"):
        answer = chat.say(typed)
        # Each gets an answer from the assistant, not an error of the client.
        assert answer.strip(), typed
        assert CLIENT_ERROR.search(answer) is None, answer
    assert LOG_LIKE.search(chat.screen()) is None, LOG_LIKE.search(chat.screen())

    assert chat.user_texts() == ["/greet", "😀🙏🏽 ❤️", pasted.strip(), MARKUP, "¿Me duele la espalda?"]

    assert chat.servers_answer()
    chat.child.sendintr()
    chat.wait_for_exit()
    assert "Goodbye" in chat.screen()
    chat.assert_servers_stopped()
