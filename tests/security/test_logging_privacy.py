"""Message text stays out of every log record at INFO and above.

The filter is tested on log records directly, installed in a fresh process, and by
scanning the logs of the real servers after messages carrying a marker went
through every channel, including turns that fail: on a server whose response
generator is down (every response fails; the channels still answer with an
apology), in Rasa's own REST code (whose failure handler writes the whole message
into an ERROR record), in Rasa's tracker store (a conversation whose stored events
cannot be read) and in an action.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from rasa_project.log_privacy import LINE_WITHHELD, WITHHELD, MessageTextFilter, redact_structured_event, withheld
from tests.channels import telegram_samples as samples
from tests.live_servers import REPO_ROOT, ServerProcess, free_port, start_rasa_server, write_endpoints
from tests.security.conftest import ACTION_TOKEN, CLINIC_ORIGIN, HardenedAssistant, new_id, rest_id
from tests.security.webchat_client import WebChatClient

SECRET_TEXT = "MARKER I wet myself last night and feel numb down there"


def record(message: str, *args: object, level: int = logging.ERROR, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("rasa.core.processor", level, __file__, 1, message, args or None, exc_info)


def filtered(log_record: logging.LogRecord, texts: List[str]) -> str:
    MessageTextFilter(lambda: texts).filter(log_record)
    return logging.Formatter("%(levelname)s %(message)s").format(log_record)


@pytest.mark.parametrize(
    "message, args",
    [
        ("An exception occurred while handling user message '%s'.", (SECRET_TEXT,)),
        ("handling %r", (SECRET_TEXT,)),
        (f"text in the message itself: {SECRET_TEXT}", ()),
        ("as JSON: %s", (json.dumps({"text": SECRET_TEXT}),)),
        ("as JSON with accents: %s", (json.dumps({"text": SECRET_TEXT + " é"}),)),
        ("truncated repr: %s", (repr(SECRET_TEXT * 10)[:60] + "...",)),
    ],
    ids=["quoted", "repr", "inline", "json", "json-ascii-escaped", "truncated"],
)
def test_registered_text_is_withheld(message: str, args: tuple) -> None:
    texts = [SECRET_TEXT, SECRET_TEXT + " é"]
    output = filtered(record(message, *args), texts)
    assert "MARKER" not in output
    assert WITHHELD in output or LINE_WITHHELD in output


def test_text_in_a_traceback_is_withheld_and_the_rest_kept() -> None:
    try:
        raise ValueError(f"could not parse {SECRET_TEXT!r}")
    except ValueError:
        log_record = record("The assistant failed to handle a REST message.", exc_info=sys.exc_info())
    output = filtered(log_record, [SECRET_TEXT])
    assert "MARKER" not in output
    assert "ValueError: could not parse" in output and "The assistant failed" in output


def test_debug_records_and_unrelated_text_are_left_alone() -> None:
    assert "MARKER" in filtered(record("%s", SECRET_TEXT, level=logging.DEBUG), [SECRET_TEXT])
    assert filtered(record("Loading model %s", "models/a.tar.gz"), [SECRET_TEXT]).endswith(
        "Loading model models/a.tar.gz"
    )


def test_short_texts_are_withheld_only_where_quoted() -> None:
    output = filtered(record("user said 'yes'; no (model says yes)"), ["yes"])
    assert output == f"ERROR user said '{WITHHELD}'; no (model says yes)"


def test_rasa_structured_events_lose_their_text_fields() -> None:
    event = {
        "event": "rest.message.received.failure",
        "text": ["a message nobody registered"],
        "user_message": "another",
        "level": "error",
        "exception": [
            {"exc_type": "AttributeError", "exc_value": "x", "frames": [{"name": "f", "locals": {"text": "secret"}}]}
        ],
    }
    redacted = json.loads(redact_structured_event(json.dumps(event)))
    assert redacted["text"] == redacted["user_message"] == WITHHELD
    assert redacted["event"] == "rest.message.received.failure" and redacted["level"] == "error"
    assert "locals" not in redacted["exception"][0]["frames"][0]
    assert redact_structured_event("not json {") == "not json {"


def test_install_filters_every_logger_of_the_process() -> None:
    script = textwrap.dedent(
        f"""
        import logging, sys
        from rasa_project import log_privacy
        log_privacy.install()
        log_privacy.install()
        logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(levelname)s %(name)s %(message)s")
        text = {SECRET_TEXT!r}
        with log_privacy.withheld([text]):
            for name in ("rasa.core.processor", "sanic.error", "root", "rasa_project.channels.rest"):
                logging.getLogger(name).error("failed on %s", text)
                logging.getLogger(name).warning(text)
            logging.getLogger("rasa").debug("debug keeps %s", text)
        logging.getLogger("later").error("after the turn: %s", text)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 10
    assert [line for line in lines if "MARKER" in line] == [f"DEBUG rasa debug keeps {SECRET_TEXT}"]


def test_withheld_registers_texts_only() -> None:
    log_record = record("value 5 and x, then %s", SECRET_TEXT)
    with withheld([None, 5, "", "   ", ["x"], SECRET_TEXT]):
        MessageTextFilter().filter(log_record)
    assert log_record.getMessage() == f"value 5 and x, then {WITHHELD}"


# --- the real servers' logs -------------------------------------------------------------


def marker() -> str:
    return f"ZEBRA{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def failing(hardened: HardenedAssistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A Rasa server whose every turn fails: its response generator (NLG server) is down."""
    directory: Path = tmp_path_factory.mktemp("failing")
    endpoints = write_endpoints(
        directory,
        action_port=hardened.actions.port,
        action_token=ACTION_TOKEN,
        overrides={"nlg": {"url": f"http://127.0.0.1:{free_port()}/nlg"}},
    )
    server = start_rasa_server(
        directory,
        endpoints=endpoints,
        credentials=REPO_ROOT / "credentials.yml",
        env={"ASSISTANT_CORS_ORIGINS": CLINIC_ORIGIN, "ASSISTANT_SESSION_SECRET": "f" * 40},
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def markers(hardened: HardenedAssistant, failing: ServerProcess) -> Iterator[List[str]]:
    """Send messages with markers through every channel, including turns that fail."""
    sent: List[str] = []

    def text(template: str) -> str:
        value = marker()
        sent.append(value)
        return template.format(value)

    # Normal turns on every channel, through the assessment (so the action server is called).
    sender = new_id("log")
    hardened.say(sender, text("I want to check my back pain {}"))
    hardened.say(sender, text("about four months {}"))
    hardened.say(sender, text("{} I can't control my bladder"))
    hardened.callback({"sender": new_id("log"), "message": text("hello {}")})
    hardened.telegram_update(samples.text_update(730000001, text("my back hurts {}")))
    client = hardened.webchat()
    try:
        token = client.request_session()
        client.say({"message": text("hello {} from the web"), "session_id": token})
    finally:
        client.disconnect()
    # A conversation whose stored events cannot be read: the store logs the error and goes on afresh.
    broken = new_id("broken")
    hardened.corrupt(rest_id(broken))
    assert hardened.say(broken, text("my back hurts {} and I wet myself"))
    # A turn that fails in Rasa's own REST code, whose failure handler logs the message:
    # a message that is a list, not a string.
    rasa_rest = requests.post(
        f"{hardened.url}/webhooks/rasa_rest/webhook",
        json={"sender": new_id("rasa-rest"), "message": [text("{} I cannot control my bowels")]},
        timeout=120,
    )
    assert rasa_rest.status_code == 200
    # Turns that fail on the server without a response generator: every response fails
    # (Rasa logs each), the turn ends without a word, and the channels answer with the
    # apology that names the emergency signs.
    failed = requests.post(
        f"{failing.url}/webhooks/rest/webhook",
        json={"sender": new_id("failing"), "message": text("{} I wet myself and my legs are numb")},
        timeout=120,
    ).json()
    assert "something went wrong" in failed[-1]["text"] and "bladder" in failed[-1]["text"]
    web = WebChatClient(failing.url, CLINIC_ORIGIN).connect()
    try:
        session = web.request_session()
        answer = web.say({"message": text("hello {} again"), "session_id": session})
        assert "something went wrong" in answer[-1]["text"]
    finally:
        web.disconnect()
    # A failing action call with the right token and a broken tracker holding markers.
    forged = requests.post(
        f"{hardened.actions.url}/webhook",
        json={
            "next_action": "action_assessment_result",
            "sender_id": "rest:x",
            "tracker": {
                "sender_id": "rest:x",
                "slots": 5,
                "latest_message": {"text": text("{} help")},
                "events": [{"event": "user", "text": text("{} numb legs")}],
            },
            "domain": {},
            "version": "3.6.2",
        },
        headers={"Authorization": f"Bearer {ACTION_TOKEN}"},
        timeout=60,
    )
    assert forged.status_code == 500 and forged.json() == {"error": "the action server failed to handle the request"}
    yield sent


@pytest.mark.e2e
def test_no_marker_reaches_the_rasa_server_logs(
    hardened: HardenedAssistant, failing: ServerProcess, markers: List[str]
) -> None:
    log = hardened.server.log_path.read_text(errors="replace")
    failing_log = failing.log_path.read_text(errors="replace")
    assert [value for value in markers if value in log + failing_log] == []
    # The failures were logged, without their text.
    assert "rest.message.received.failure" in log
    assert "Could not read a stored conversation" in log
    assert "Encountered an exception while running action 'utter_emergency'" in failing_log
    # A typed greeting runs the greeting action, whose reply fails there too.
    assert re.search(r"(exception while running action|Failed to execute custom action) 'action_greet'", failing_log)


@pytest.mark.e2e
def test_no_marker_reaches_the_action_server_log(hardened: HardenedAssistant, markers: List[str]) -> None:
    log = hardened.actions.log_path.read_text(errors="replace")
    assert [value for value in markers if value in log] == []
    assert "The action server failed to handle a request to /webhook" in log


@pytest.mark.e2e
def test_a_failing_action_does_not_send_the_conversation_back(hardened: HardenedAssistant) -> None:
    value = marker()
    response = requests.post(
        f"{hardened.actions.url}/webhook",
        json={
            "next_action": "action_assessment_result",
            "tracker": {"events": [{"event": "user", "text": value}], "slots": 5},
        },
        headers={"Authorization": f"Bearer {ACTION_TOKEN}"},
        timeout=60,
    )
    assert response.status_code == 500 and value not in response.text
