"""Fixtures for the channel tests: the action server, and a credentials file per test module.

The end-to-end modules start their own Rasa server (module scope) so each server's
environment is exactly what that module tests; the action server is shared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable

import pytest
import yaml

from tests.live_servers import REPO_ROOT


@pytest.fixture(scope="package")
def channels_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the channel tests' servers keep their logs, databases and config files."""
    return tmp_path_factory.mktemp("channels")


#: The project's REST channel, which every test server has for ``send_rest``.
REST_CHANNEL_KEY = "rasa_project.channels.rest.RestInput"


def write_credentials_with(directory: Path, keys: Iterable[str]) -> Path:
    """Write a credentials file with the project's sections ``keys`` (and the REST channel).

    The sections are copied from the project's ``credentials.yml``, so the test runs
    the configuration that ships.

    Raises:
        KeyError: if the project's file lacks one of ``keys``.
    """
    shipped: Dict[str, Any] = yaml.safe_load((REPO_ROOT / "credentials.yml").read_text()) or {}
    selected = {REST_CHANNEL_KEY: shipped[REST_CHANNEL_KEY], **{key: shipped[key] for key in keys}}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "credentials.yml"
    path.write_text(yaml.safe_dump(selected, sort_keys=False))
    return path
