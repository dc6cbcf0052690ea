"""The real assistant on loopback: action server and Rasa server with the REST channel."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.live_servers import ServerProcess, start_rasa_server, write_endpoints


@pytest.fixture(scope="package")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("assistant")


@pytest.fixture(scope="package")
def assistant(servers_dir: Path, action_server: ServerProcess) -> Iterator[ServerProcess]:
    """The Rasa server, talking to the action server."""
    endpoints = write_endpoints(servers_dir / "with-actions", action_port=action_server.port)
    server = start_rasa_server(servers_dir, endpoints=endpoints)
    yield server
    server.stop()


@pytest.fixture(scope="package")
def assistant_without_actions(servers_dir: Path) -> Iterator[ServerProcess]:
    """The Rasa server with its action server down (nothing listens on its port)."""
    endpoints = write_endpoints(servers_dir / "without-actions", action_port=None)
    server = start_rasa_server(servers_dir, endpoints=endpoints)
    yield server
    server.stop()
