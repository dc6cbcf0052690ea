"""Start the real Rasa server and action server on loopback for end-to-end tests.

Every end-to-end test (channels, widget, storage, scale-out) talks to the same
processes a person would: ``rasa run`` with this project's trained model and the
project's action server (rasa_sdk serving ``actions/``, answering only callers with
the shared token). Each server gets a free port, its own log file and, unless told
otherwise, its own SQLite database, so tests never collide with a developer's
running assistant or with each other.

Conversation ids are namespaced by channel (``rest:<sender>``, ``telegram:<chat>``
...): the helpers take the id a client uses and the channel, and map it.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import requests
import yaml

from rasa_project.channels.conversation_ids import REST, conversation_id
from tests.support.processes import ManagedProcess as ServerProcess
from tests.support.processes import (
    free_port,
    spawn,
    wait_for_http,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
#: How long a cold Rasa server may take to load the model and answer.
STARTUP_TIMEOUT_S = 180.0
#: The secret the test action servers require and the test endpoints send, new for each run.
ACTION_SERVER_TOKEN = f"test-actions-{secrets.token_urlsafe(24)}"


def latest_model() -> Path:
    """Return the trained model to test: ``$ASSISTANT_MODEL`` or the newest in ``models/``.

    Raises:
        FileNotFoundError: if no model has been trained (run ``scripts/setup``).
    """
    configured = os.environ.get("ASSISTANT_MODEL")
    if configured:
        return Path(configured)
    models = sorted((REPO_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError("No trained model in models/: run scripts/setup first.")
    return models[-1]


def start_action_server(
    log_dir: Path,
    port: Optional[int] = None,
    env: Optional[Mapping[str, str]] = None,
    token: str = ACTION_SERVER_TOKEN,
) -> ServerProcess:
    """Start the project's action server on ``actions/`` with ``token`` and wait until ``/health`` answers."""
    port = port or free_port()
    args = [str(VENV_BIN / "python"), "-m", "rasa_project.action_server", "--actions", "actions", "--port", str(port)]
    # rasa_sdk has no --interface option; it reads the address from SANIC_HOST.
    server_env = {"SANIC_HOST": "127.0.0.1", "ACTION_SERVER_TOKEN": token, **(env or {})}
    server = spawn("action-server", args, log_dir, port=port, env=server_env)
    wait_for_http(server, "/health", timeout=90)
    return server


def write_endpoints(
    directory: Path,
    *,
    action_port: Optional[int],
    overrides: Optional[Mapping[str, Any]] = None,
    action_token: str = ACTION_SERVER_TOKEN,
) -> Path:
    """Write a copy of the project's ``endpoints.yml`` pointing at a test action server.

    Args:
        directory: where to write ``endpoints.yml``.
        action_port: the test action server's port; ``None`` points the assistant at
            a port nobody listens on, to test behaviour without the action server.
        overrides: top-level sections to replace or add (``None`` values remove one).
        action_token: the bearer token sent to the action server (written into the
            file in place of ``${ACTION_SERVER_TOKEN}``).
    """
    endpoints: Dict[str, Any] = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text()) or {}
    port = action_port if action_port is not None else free_port()
    endpoints["action_endpoint"] = {
        **endpoints["action_endpoint"],
        "url": f"http://127.0.0.1:{port}/webhook",
        "headers": {"Authorization": f"Bearer {action_token}"},
    }
    for key, value in (overrides or {}).items():
        if value is None:
            endpoints.pop(key, None)
        else:
            endpoints[key] = value
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def start_rasa_server(
    log_dir: Path,
    *,
    endpoints: Path,
    credentials: Optional[Path] = None,
    model: Optional[Path] = None,
    port: Optional[int] = None,
    database_url: Optional[str] = None,
    auth_token: str = "test-token",
    env: Optional[Mapping[str, str]] = None,
    extra_args: Sequence[str] = (),
) -> ServerProcess:
    """Start ``rasa run`` with the REST channel and the HTTP API, and wait until ready.

    Args:
        log_dir: where the server's log goes (also where its SQLite file goes when
            ``database_url`` is not given).
        endpoints: an endpoints file, usually from :func:`write_endpoints`.
        credentials: a credentials file; the project's ``credentials.yml`` by default.
        database_url: SQLAlchemy URL of the database (tracker store and records).
        env: extra environment variables for the server.
    """
    port = port or free_port()
    model = model or latest_model()
    database_url = database_url or f"sqlite:///{log_dir / f'assistant-{port}.db'}"
    args = [
        str(VENV_BIN / "python"),
        "-m",
        "rasa_project.rasa_cli",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials or REPO_ROOT / "credentials.yml"),
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
        "--enable-api",
        "--auth-token",
        auth_token,
        *extra_args,
    ]
    server_env = {"ASSISTANT_DATABASE_URL": database_url, **(env or {})}
    server = spawn("rasa", args, log_dir, port=port, env=server_env)
    wait_for_http(server, f"/status?token={auth_token}", timeout=STARTUP_TIMEOUT_S)
    return server


def rest_conversation_id(sender: str) -> str:
    """The conversation id (tracker sender id) of a REST ``sender``: ``rest:<sender>``."""
    return conversation_id(REST, sender)


def send_rest(
    server_url: str, sender: str, message: str, timeout: float = 30, headers: Optional[Mapping[str, str]] = None
) -> List[Dict[str, Any]]:
    """Send one message through the REST channel as ``sender`` and return the bot's replies."""
    response = requests.post(
        f"{server_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers=dict(headers or {}),
        timeout=timeout,
    )
    response.raise_for_status()
    return response.json()


def reply_texts(replies: Sequence[Mapping[str, Any]]) -> str:
    """Join the text of REST replies into one string, for assertions."""
    return "\n".join(str(reply.get("text", "")) for reply in replies)


def tracker(
    server_url: str, sender: str, auth_token: str = "test-token", channel: Optional[str] = REST
) -> Dict[str, Any]:
    """Return a conversation's tracker through the HTTP API.

    ``sender`` is the id the client of ``channel`` uses (mapped to the channel's
    namespace); with ``channel`` ``None`` it is the conversation id itself.
    """
    conversation = conversation_id(channel, sender) if channel is not None else sender
    response = requests.get(
        f"{server_url}/conversations/{conversation}/tracker",
        params={"token": auth_token},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def tracker_slots(
    server_url: str, sender: str, auth_token: str = "test-token", channel: Optional[str] = REST
) -> Dict[str, Any]:
    """Return the current slots of a conversation (see :func:`tracker` for ``sender`` and ``channel``)."""
    return tracker(server_url, sender, auth_token, channel)["slots"]
