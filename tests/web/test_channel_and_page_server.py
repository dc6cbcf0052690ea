"""The socket.io channel's input checks and the page server, without a browser."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pytest
import requests

from rasa_project.channels.webchat import (
    CORS_ORIGINS_ENV,
    WebChatInput,
    allowed_origins,
    is_loopback_origin,
    message_metadata,
    origin_may_connect,
    parse_origins,
    quick_replies_to_buttons,
    user_message_text,
    widget_message,
)
from rasa_project.web.server import (
    content_security_policy,
    make_server,
    resolve_public_file,
    widget_config_script,
)

WEB_ROOT = Path(__file__).resolve().parents[2] / "web"


# --- allowed origins


def test_origins_from_the_environment_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CORS_ORIGINS_ENV, " https://clinic.example/ ,https://www.clinic.example")
    assert allowed_origins("https://ignored.example") == [
        "https://clinic.example",
        "https://www.clinic.example",
    ]


def test_origins_from_the_credential_when_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CORS_ORIGINS_ENV, raising=False)
    assert allowed_origins(["https://clinic.example"]) == ["https://clinic.example"]


def test_default_allows_only_loopback_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CORS_ORIGINS_ENV, raising=False)
    policy = allowed_origins()
    assert callable(policy)
    assert policy("http://127.0.0.1:8080") and policy("http://localhost:3000")
    assert not policy("https://attacker.example")
    assert not policy("http://127.0.0.1.attacker.example")
    assert not policy(None) and not policy("") and not policy("null")


def test_wildcard_origin_is_refused() -> None:
    with pytest.raises(ValueError, match="not"):
        parse_origins("https://clinic.example, *")


@pytest.mark.parametrize("origin", ["file://", "javascript:alert(1)", "http://[::1", "ftp://127.0.0.1"])
def test_odd_origins_are_not_loopback(origin: str) -> None:
    assert not is_loopback_origin(origin)


@pytest.mark.parametrize(
    "origin, allowed",
    [
        ("https://clinic.example", True),
        ("https://attacker.example", False),
        (None, False),
        ("", False),
        ("null", False),
        ("https://clinic.example.attacker.example", False),
    ],
)
def test_configured_origins_refuse_other_and_missing_origins(origin, allowed: bool) -> None:
    assert origin_may_connect(["https://clinic.example"], origin or None) is allowed


@pytest.mark.parametrize(
    "origin, allowed",
    [
        (None, True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:3000", True),
        ("https://attacker.example", False),
    ],
)
def test_development_allows_loopback_pages_and_clients_without_origin(origin, allowed: bool) -> None:
    assert origin_may_connect(is_loopback_origin, origin) is allowed


def test_channel_reads_its_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CORS_ORIGINS_ENV, raising=False)
    monkeypatch.delenv("ASSISTANT_SESSION_SECRET", raising=False)
    monkeypatch.setenv("ASSISTANT_SESSION_SECRET_FILE", str(tmp_path / "session-secret"))
    channel = WebChatInput.from_credentials(
        {"session_persistence": True, "cors_allowed_origins": "https://clinic.example"}
    )
    assert isinstance(channel, WebChatInput)
    assert channel.session_persistence is True
    assert channel.origin_policy == ["https://clinic.example"]
    assert channel.name() == "socketio"
    assert channel.sessions is not None and channel.sessions.verify(channel.sessions.issue())


# --- what the browser sends


@pytest.mark.parametrize(
    "data",
    [None, "hello", 42, [], {}, {"message": None}, {"message": 5}, {"message": ["hi"]}, {"text": "hi"}],
)
def test_events_without_text_are_refused(data: object) -> None:
    assert user_message_text(data) is None


@pytest.mark.parametrize("text", ["", "   ", "\x00"])
def test_empty_text_is_still_a_message_to_answer(text: str) -> None:
    assert user_message_text({"message": text}) == text


def test_long_messages_are_passed_whole_to_the_length_limits() -> None:
    # The cut (with the request for a shorter message) happens in prepare_text, after
    # the red-flag detector has had the chance to read the whole text.
    text = user_message_text({"message": "😀 my back hurts " * 2000})
    assert text is not None and len(text) == len("😀 my back hurts ") * 2000


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "Rückenschmerzen 😣", "/greet"])
def test_any_text_passes_through_unchanged(text: str) -> None:
    assert user_message_text({"message": text}) == text


def test_text_with_a_payload_is_one_widget_event() -> None:
    custom = {"triage_level": "routine", "headline": "Custom orthotics"}
    message = {"text": " Your result \n", "custom": custom, "buttons": [{"title": "Yes", "payload": "/affirm"}]}
    assert widget_message(message) == {
        "text": "Your result",
        "custom": custom,
        "buttons": [{"title": "Yes", "payload": "/affirm"}],
    }


@pytest.mark.parametrize(
    "message",
    [
        {"text": "only text"},
        {"custom": {"triage_level": "emergency"}},
        {"text": "", "custom": {"a": 1}},
        {"text": "text", "custom": {}},
        {"text": "text", "custom": "not a dict"},
    ],
)
def test_other_responses_are_sent_as_before(message: dict) -> None:
    assert widget_message(message) is None


def test_metadata_is_always_a_dict() -> None:
    assert message_metadata({"metadata": {"page": "/"}}, "metadata") == {"page": "/"}
    assert message_metadata({"metadata": '{"page": "/"}'}, "metadata") == {"page": "/"}
    assert message_metadata({"metadata": "{not json"}, "metadata") == {}
    assert message_metadata({"metadata": "[1, 2]"}, "metadata") == {}
    assert message_metadata({}, "metadata") == {}


def test_buttons_and_quick_replies_become_title_and_payload() -> None:
    buttons = quick_replies_to_buttons(
        [
            {"title": "Yes", "payload": "/affirm"},
            {"content_type": "text", "title": "No", "payload": "/deny"},
            "not a button",
        ]
    )
    assert buttons == [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


# --- the page server


def test_public_files_resolve() -> None:
    assert resolve_public_file("/") == (WEB_ROOT / "index.html").resolve()
    assert resolve_public_file("/widget/chat-widget.js?v=1") == (WEB_ROOT / "widget/chat-widget.js").resolve()
    assert resolve_public_file("/vendor/socket.io.min.js") is not None


@pytest.mark.parametrize(
    "path",
    [
        "/package.json",
        "/package-lock.json",
        "/node_modules/socket.io-client/package.json",
        "/../credentials.yml",
        "/widget/../../credentials.yml",
        "/widget/%2e%2e/%2e%2e/credentials.yml",
        "/vendor/missing.js",
        "/widget/",
        "/%00",
    ],
)
def test_private_and_missing_files_do_not_resolve(path: str) -> None:
    assert resolve_public_file(path) is None


def test_config_script_cannot_close_a_script_tag() -> None:
    script = widget_config_script({"socketUrl": "http://x/</script><script>alert(1)</script>"}).decode()
    assert "</script>" not in script
    assert script.startswith("window.BackPainChatConfig = {")


def test_csp_allows_only_self_and_the_rasa_server() -> None:
    csp = content_security_policy("https://assistant.clinic.example:5005/")
    assert "script-src 'self'" in csp
    assert "connect-src 'self' https://assistant.clinic.example:5005 wss://assistant.clinic.example:5005" in csp
    assert "unsafe-inline" not in csp and "*" not in csp
    with pytest.raises(ValueError):
        content_security_policy("javascript:alert(1)")


@pytest.fixture()
def page_server() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, "http://127.0.0.1:5999", emergency_number="999")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_page_server_serves_the_page_with_security_headers(page_server: str) -> None:
    response = requests.get(page_server + "/", timeout=10)
    assert response.status_code == 200
    assert "text/html" in response.headers["Content-Type"]
    assert "chat-widget.js" in response.text
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_page_server_generates_the_widget_config(page_server: str) -> None:
    response = requests.get(page_server + "/widget-config.js", timeout=10)
    assert response.status_code == 200
    assert '"socketUrl": "http://127.0.0.1:5999"' in response.text
    assert '"emergencyNumber": "999"' in response.text


def test_page_server_refuses_private_files(page_server: str) -> None:
    for path in ("/package.json", "/node_modules/", "/../credentials.yml", "/%2e%2e/credentials.yml"):
        assert requests.get(page_server + path, timeout=10).status_code == 404, path


def test_vendored_socket_io_client_names_its_version() -> None:
    first_line = (WEB_ROOT / "vendor" / "socket.io.min.js").read_text().splitlines()[0]
    lock = (WEB_ROOT / "package-lock.json").read_text()
    assert first_line.startswith("/* socket.io-client 4.8.4 ")
    assert '"node_modules/socket.io-client": {\n      "version": "4.8.4"' in lock
