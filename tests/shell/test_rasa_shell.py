"""``rasa shell`` driven as a person would, through a pseudo-terminal (pexpect).

Rasa's shell shows a reply's buttons as a numbered ``questionary`` menu (arrow keys
and Enter) with a last entry to type free text instead; otherwise it prompts
``Your input ->``. The test picks buttons, types answers, and reads what is printed.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Iterator, List

import pexpect
import pytest
import yaml

from tests.live_servers import (
    REPO_ROOT,
    STARTUP_TIMEOUT_S,
    VENV_BIN,
    ServerProcess,
    free_port,
    latest_model,
    tracker_slots,
    write_endpoints,
)

pytestmark = pytest.mark.e2e

TEXT_PROMPT = "Your input ->"
FREE_TEXT_CHOICE = "Type out your own message..."
#: Seconds one bot turn may take (the action server is on the same machine).
TURN_TIMEOUT_S = 90
DOWN, UP, ENTER = "\x1b[B", "\x1b[A", "\r"
DOMAIN_RESPONSES = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["responses"]
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def plain(text: str) -> str:
    """``text`` without terminal control sequences."""
    return _ANSI.sub("", text)


@pytest.fixture(scope="module")
def shell_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the shell tests keep logs, endpoints files and databases."""
    return tmp_path_factory.mktemp("shell")



class Shell:
    """A running ``rasa shell`` and everything it printed."""

    def __init__(self, directory: Path, action_port: int) -> None:
        """Start ``rasa shell`` with the newest model and wait for its first prompt."""
        self.port = free_port()
        self.conversation_id = f"shell-{uuid.uuid4().hex[:10]}"
        endpoints = write_endpoints(directory / self.conversation_id, action_port=action_port)
        self.transcript: List[str] = []
        self.child = pexpect.spawn(
            str(VENV_BIN / "python"),
            ["-m", "rasa_project.rasa_cli", "shell", "--model", str(latest_model()), "--endpoints", str(endpoints),
             "--port", str(self.port), "--interface", "127.0.0.1", "--conversation-id", self.conversation_id,
             "--enable-api", "--auth-token", "test-token"],
            cwd=str(REPO_ROOT),
            env={"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(directory), "TERM": "xterm",
                 "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1", "RASA_TELEMETRY_ENABLED": "false",
                 "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                 # The terminal under pexpect answers no cursor-position queries.
                 "PROMPT_TOOLKIT_NO_CPR": "1",
                 "ASSISTANT_DATABASE_URL": f"sqlite:///{directory / (self.conversation_id + '.db')}"},
            encoding="utf-8",
            codec_errors="replace",
            dimensions=(60, 220),
            timeout=TURN_TIMEOUT_S,
        )
        self.child.logfile_read = _Recorder(self.transcript)
        self.child.expect("Bot loaded", timeout=STARTUP_TIMEOUT_S)
        self.menu_open = False
        self.wait_for_prompt()

    @property
    def url(self) -> str:
        """The HTTP API of the server the shell started (for reading the tracker)."""
        return f"http://127.0.0.1:{self.port}"

    def output_since(self, mark: int) -> str:
        """What the shell printed after ``mark`` (a length of :attr:`transcript`)."""
        return plain("".join(self.transcript[mark:]))

    def wait_for_prompt(self) -> None:
        """Wait for the next prompt and note whether it is a button menu."""
        self.menu_open = self.child.expect_exact([FREE_TEXT_CHOICE, TEXT_PROMPT]) == 0

    def say(self, text: str, reply_starts: str) -> str:
        """Type ``text`` as the next message (leaving a button menu if one is open).

        Returns what the shell printed in answer, up to the next prompt; waiting for
        ``reply_starts`` first guarantees that output is the answer, not a redraw.
        """
        if self.menu_open:
            # The free-text entry is the menu's last: one step up from the first wraps to it.
            self.child.send(UP)
            self.child.send(ENTER)
            self.child.expect_exact(TEXT_PROMPT)
        return self._answer(text + ENTER, reply_starts)

    def pick(self, choice: int, reply_starts: str) -> str:
        """Pick button number ``choice`` (1-based, as the menu numbers them); see :meth:`say`."""
        assert self.menu_open, "expected a button menu:\n" + self.output_since(0)[-2000:]
        return self._answer(DOWN * (choice - 1) + ENTER, reply_starts)

    def _answer(self, keys: str, reply_starts: str) -> str:
        mark = len(self.transcript)
        self.child.send(keys)
        self.child.expect_exact(reply_starts)
        self.wait_for_prompt()
        return self.output_since(mark)

    def stop(self) -> None:
        """End the shell with ``/stop``, as a person would, and kill it if that fails.

        Ctrl-C is not used: in a button menu it makes Rasa's shell fail without exiting.
        """
        try:
            if self.child.isalive():
                if self.menu_open:
                    self.child.send(UP + ENTER)
                    self.child.expect_exact(TEXT_PROMPT, timeout=30)
                self.child.send("/stop" + ENTER)
                self.child.expect(pexpect.EOF, timeout=60)
        except pexpect.ExceptionPexpect:
            pass
        finally:
            self.child.close(force=True)


class _Recorder:
    """A pexpect log sink that keeps everything read."""

    def __init__(self, sink: List[str]) -> None:
        self.sink = sink

    def write(self, data: str) -> None:
        """Keep ``data``."""
        self.sink.append(data)

    def flush(self) -> None:
        """Nothing is buffered."""


@pytest.fixture()
def shell(shell_dir: Path, action_server: ServerProcess) -> Iterator[Shell]:
    """A fresh ``rasa shell`` conversation."""
    session = Shell(shell_dir, action_server.port)
    yield session
    session.stop()


def opening(utter_action: str, length: int = 30) -> str:
    """The first words of a response in ``domain.yml``, as the shell prints them."""
    return DOMAIN_RESPONSES[utter_action][0]["text"][:length]


def test_whole_assessment_by_buttons_and_typed_answers(shell: Shell) -> None:
    greeting = shell.say("hello", "Check my back pain")
    assert "1: Check my back pain (/start_assessment)" in greeting

    duration = shell.pick(1, opening("utter_ask_pain_duration"))
    assert "3: More than 12 weeks" in duration
    shell.pick(3, opening("utter_ask_pain_severity"))
    screen = shell.say("6", opening("utter_ask_red_flag_screen"))
    assert "1: None of these (/deny)" in screen
    steps = [(1, "utter_ask_daily_load"), (2, "utter_ask_foot_arch"), (1, "utter_ask_shoe_wear"),
             (1, "utter_ask_leg_length_difference"), (2, "utter_ask_gait_diagnosis"),
             (2, "utter_ask_insole_history")]  # none of these, walking, flat, inside edge, no, no
    for choice, next_question in steps:
        shell.pick(choice, opening(next_question))
    result = shell.pick(1, "not a diagnosis")  # never tried insoles

    assert "because" in result.lower()
    slots = tracker_slots(shell.url, shell.conversation_id, channel=None)
    assert (slots["pain_duration"], slots["pain_severity"], slots["daily_load"], slots["foot_arch"]) == (
        "chronic", 6, "walking", "flat")
    assert (slots["triage_level"], slots["recommendation"]) == ("routine", "custom_orthotics")


def test_emergency_mid_assessment_is_printed_first(shell: Shell) -> None:
    shell.say("my lower back has been hurting, can you help me?", opening("utter_ask_pain_duration"))
    typed = "I wet myself without noticing today"
    answer = shell.say(typed, "🚨")
    assert "emergency" in answer.lower()
    assert '"triage_level": "emergency"' in answer
    # The warning is the first thing printed after the typed message's echo.
    assert answer.split("🚨")[0].rsplit(typed, 1)[-1].strip() == ""
    assert tracker_slots(shell.url, shell.conversation_id, channel=None)["triage_level"] == "emergency"
